#!/usr/bin/env python3
"""Validate Flashpoint gold annotation files (JSON Lines, one line per article).

Texts: Wikinews (CC BY 2.5), see articles.jsonl `url` for each article's source.
The code tables are the project's own (src/flashpoint/data/events/cameo.csv and
src/flashpoint/data/actors/*.csv), read from this checkout.

Usage:
    python3 validate.py FILE.jsonl [FILE2.jsonl ...] [--articles articles.jsonl]
                        [--spans OUT.jsonl] [--expect-split dev|test] [--complete dev|test|all] [--quiet]

Checks (E = error -> non-zero exit, W = warning):
  E  JSON validity; required keys; url in articles.jsonl; duplicate url lines in one file
  E  quote is a substring of the article text   (W if it occurs more than once: first is used)
  E  trigger is a substring of the quote
  E  type is one of the 16 PLOVER 2.0 types
  E  cameo code exists in cameo.csv;  W if its PLOVER type differs from `type`
  W  mode differs from cameo.csv's plover_mode for that code;  E if mode is not a known mode
  E  actor code well formed: COUNTRY[SECTOR] | ORG | GROUPCODE (countries.csv / organisations.csv /
     groups.csv / sector_codes.csv);  W for IGO/INS/RAD sectors or an org with a sector
  E  actor text not found in the quote nor anywhere in the text (W if only outside the quote)
  E  date null or {"value","granularity","basis"} with matching format
  E  certainty is one of the six labels
  W  an `also` sentence is not a substring of the text
  W  --expect-split: article not in that split
  E  --complete SPLIT: an article of that split has no line (every assigned article needs one)
With --spans OUT.jsonl the resolved character spans (quote, trigger, actors, and each `also`
sentence) are written; this is how gold.jsonl and double.jsonl were made.
"""
import argparse
import csv
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
# benchmarks/gold/wikinews/ -> the repository root -> the project's own tables
DATA = os.path.join(HERE, os.pardir, os.pardir, os.pardir, "src", "flashpoint", "data")
EVENT_TABLES = os.path.join(DATA, "events")  # cameo.csv
ACTOR_TABLES = os.path.join(DATA, "actors")  # countries, organisations, groups, sector_codes
PLOVER_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
CERTAINTY = ["asserted", "attributed", "hedged", "hypothetical", "future", "negated"]
DATE_RE = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$"),
           "year": re.compile(r"^\d{4}$")}
csv.field_size_limit(10 ** 9)


def load_cameo(path=None):
    path = path or os.path.join(EVENT_TABLES, "cameo.csv")
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out[r["code"]] = r
    return out


def load_codes():
    a = ACTOR_TABLES
    with open(os.path.join(a, "countries.csv"), newline="", encoding="utf-8") as f:
        countries = {r["iso3"] for r in csv.DictReader(f)}
    with open(os.path.join(a, "organisations.csv"), newline="", encoding="utf-8") as f:
        orgs = {r["org"] for r in csv.DictReader(f)}
    with open(os.path.join(a, "groups.csv"), newline="", encoding="utf-8") as f:
        groups = {r["code"] for r in csv.DictReader(f) if r["code"]}
    with open(os.path.join(a, "sector_codes.csv"), newline="", encoding="utf-8") as f:
        sectors = {r["code"] for r in csv.DictReader(f)}
    return countries, orgs, groups, sectors


def load_articles(path):
    arts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                arts[o["url"]] = o
    return arts


def find_word(hay, needle, start=0, end=None):
    """First occurrence of needle in hay[start:end], preferring word-bounded matches."""
    end = len(hay) if end is None else end
    if not needle:
        return -1
    pat = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    m = pat.search(hay, start, end)
    if m:
        return m.start()
    return hay.find(needle, start, end)


def resolve_spans(text, ev):
    """Return dict of spans: quote, trigger, source/target lists, also list ([s,e] or None)."""
    q = ev.get("quote") or ""
    qs = text.find(q) if q else -1
    res = {"quote": [qs, qs + len(q)] if qs >= 0 else None, "trigger": None, "source": [], "target": [],
           "also": []}
    for later in ev.get("also") or []:
        s = text.find(later) if isinstance(later, str) and later else -1
        res["also"].append([s, s + len(later)] if s >= 0 else None)
    if qs >= 0:
        t = ev.get("trigger") or ""
        ts = find_word(text, t, qs, qs + len(q)) if t else -1
        res["trigger"] = [ts, ts + len(t)] if ts >= 0 else None
    for role in ("source", "target"):
        for a in ev.get(role) or []:
            at = (a or {}).get("text") or ""
            s = -1
            if at and qs >= 0:
                s = find_word(text, at, qs, qs + len(q))
            if s < 0 and at:
                s = find_word(text, at)
            res[role].append([s, s + len(at)] if s >= 0 else None)
    return res


def code_problem(code, countries, orgs, groups, sectors):
    """Return (error, warning) strings for an actor code."""
    if not isinstance(code, str) or not code:
        return "empty actor code", None
    if code in orgs or code in groups:
        return None, None
    for o in sorted(orgs | groups, key=len, reverse=True):
        if code.startswith(o) and code[len(o):] in sectors:
            return None, f"organisation with sector '{code}' (guide: orgs take no sector)"
    if len(code) in (3, 6) and code[:3] in countries:
        if len(code) == 3:
            return None, None
        sec = code[3:]
        if sec not in sectors:
            return f"unknown sector '{sec}' in '{code}'", None
        if sec in ("IGO", "INS", "RAD"):
            return None, f"sector {sec} not used by the guide in '{code}'"
        return None, None
    return f"malformed/unknown actor code '{code}'", None


def validate_file(path, arts, cameo, codes, spans_out=None, expect_split=None, quiet=False, complete=None):
    countries, orgs, groups, sectors = codes
    modes = {r["plover_mode"] for r in cameo.values() if r["plover_mode"]}
    errors, warnings = [], []
    stats = Counter()
    type_counts = Counter()
    seen = set()

    def err(loc, msg):
        errors.append(f"{path}:{loc}: ERROR {msg}")

    def warn(loc, msg):
        warnings.append(f"{path}:{loc}: warning {msg}")

    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for ln, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"{ln}", f"invalid JSON: {e}")
            continue
        if not isinstance(rec, dict):
            err(f"{ln}", "line is not a JSON object")
            continue
        url = rec.get("url")
        if url not in arts:
            err(f"{ln}", f"url not in articles.jsonl: {url!r}")
            continue
        if url in seen:
            err(f"{ln}", f"duplicate line for url {url}")
        seen.add(url)
        if not rec.get("annotator"):
            warn(f"{ln}", "missing 'annotator'")
        art = arts[url]
        if expect_split and art.get("split") != expect_split:
            warn(f"{ln}", f"article split is {art.get('split')}, expected {expect_split}")
        text = art["text"]
        events = rec.get("events")
        if not isinstance(events, list):
            err(f"{ln}", "'events' must be a list")
            continue
        stats["articles"] += 1
        if not events:
            stats["empty_articles"] += 1
        span_events = []
        for k, ev in enumerate(events):
            loc = f"{ln}:event{k}"
            stats["events"] += 1
            if not isinstance(ev, dict):
                err(loc, "event is not an object")
                continue
            for key in ("quote", "trigger", "type", "cameo", "source", "target", "date", "certainty"):
                if key not in ev:
                    err(loc, f"missing key '{key}'")
            q = ev.get("quote") or ""
            n = text.count(q) if q else 0
            if not q or n == 0:
                err(loc, f"quote not found in text: {q[:80]!r}")
            elif n > 1:
                warn(loc, f"quote occurs {n} times; first occurrence used: {q[:60]!r}")
            t = ev.get("trigger") or ""
            if not t or t not in q:
                err(loc, f"trigger {t!r} not inside quote")
            typ = ev.get("type")
            if typ not in PLOVER_TYPES:
                err(loc, f"type {typ!r} not one of the 16 PLOVER types")
            else:
                type_counts[typ] += 1
            cc = str(ev.get("cameo") or "")
            row = cameo.get(cc)
            if row is None:
                err(loc, f"cameo code {cc!r} not in cameo.csv")
            else:
                if row["plover_type"] != typ:
                    warn(loc, f"cameo {cc} ({row['name']}) maps to PLOVER {row['plover_type'] or 'none'}, "
                              f"annotated type {typ}")
                m = ev.get("mode")
                if m is not None and m not in modes:
                    err(loc, f"mode {m!r} is not a PLOVER mode used in cameo.csv")
                elif (m or "") != (row["plover_mode"] or ""):
                    warn(loc, f"mode {m!r} differs from cameo.csv mode {row['plover_mode'] or None!r} for {cc}")
            for role in ("source", "target"):
                lst = ev.get(role)
                if not isinstance(lst, list):
                    err(loc, f"{role} must be a list")
                    continue
                for a in lst:
                    if not isinstance(a, dict) or "code" not in a or "text" not in a:
                        err(loc, f"{role} entry must be {{'text','code'}}: {a!r}")
                        continue
                    e, w = code_problem(a["code"], countries, orgs, groups, sectors)
                    if e:
                        err(loc, f"{role}: {e}")
                    if w:
                        warn(loc, f"{role}: {w}")
                    at = a["text"] or ""
                    if not at or at not in text:
                        err(loc, f"{role} text {at!r} not found in article text")
                    elif at not in q:
                        stats["actor_text_outside_quote"] += 1
            for later in ev.get("also") or []:
                if not isinstance(later, str) or later not in text:
                    warn(loc, f"also sentence not found in text: {str(later)[:60]!r}")
            d = ev.get("date", None)
            if d is not None:
                if not isinstance(d, dict):
                    err(loc, "date must be null or an object")
                else:
                    g = d.get("granularity")
                    v = d.get("value")
                    if g not in DATE_RE:
                        err(loc, f"date granularity {g!r} not day|month|year")
                    elif not isinstance(v, str) or not DATE_RE[g].match(v):
                        err(loc, f"date value {v!r} does not match granularity {g}")
                    if d.get("basis") not in ("text", "publication"):
                        err(loc, f"date basis {d.get('basis')!r} not text|publication")
                    if g in DATE_RE and isinstance(v, str) and DATE_RE[g].match(v) and \
                            v[:10] > art["date"] and ev.get("certainty") not in (
                            "future", "hypothetical", "negated"):
                        warn(loc, f"date {v} after publication {art['date']} for a non-future event")
            else:
                stats["null_dates"] += 1
            if ev.get("certainty") not in CERTAINTY:
                err(loc, f"certainty {ev.get('certainty')!r} not one of {CERTAINTY}")
            if spans_out is not None:
                sp = resolve_spans(text, ev)
                se = dict(ev)
                se["quote_span"] = sp["quote"]
                se["trigger_span"] = sp["trigger"]
                se["source"] = [dict(a, span=s) for a, s in zip(ev.get("source") or [], sp["source"])]
                se["target"] = [dict(a, span=s) for a, s in zip(ev.get("target") or [], sp["target"])]
                if ev.get("also"):
                    se["also_spans"] = sp["also"]
                row = cameo.get(cc)
                if row:
                    se["quad_class"] = int(row["quad_class"])
                    se["goldstein"] = float(row["goldstein"])
                span_events.append(se)
        if spans_out is not None:
            spans_out.append({"url": url, "annotator": rec.get("annotator"),
                              "credit": "Wikinews, CC BY 2.5, " + url, "events": span_events})
    if complete:
        want = {u for u, o in arts.items() if complete == "all" or o.get("split") == complete}
        for u in sorted(want - seen):
            errors.append(f"{path}: ERROR no line for article {u} (split {arts[u].get('split')})")
    if not quiet:
        for w in warnings:
            print(w)
    for e in errors:
        print(e)
    print(f"{path}: {stats['articles']} articles ({stats['empty_articles']} with no events), "
          f"{stats['events']} events, {len(errors)} errors, {len(warnings)} warnings; "
          f"null dates {stats['null_dates']}, actor texts outside quote {stats['actor_text_outside_quote']}")
    if type_counts:
        print("  types: " + ", ".join(f"{k} {v}" for k, v in type_counts.most_common()))
    return len(errors)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--articles", default=os.path.join(HERE, "articles.jsonl"))
    ap.add_argument("--spans", metavar="OUT.jsonl", help="write events with resolved character spans")
    ap.add_argument("--expect-split", choices=["dev", "test"])
    ap.add_argument("--quiet", action="store_true", help="do not print warnings")
    ap.add_argument("--complete", choices=["dev", "test", "all"],
                    help="error if any article of this split has no line in the file")
    args = ap.parse_args()
    arts = load_articles(args.articles)
    cameo = load_cameo()
    codes = load_codes()
    spans = [] if args.spans else None
    nerr = 0
    for p in args.files:
        nerr += validate_file(p, arts, cameo, codes, spans, args.expect_split, args.quiet, args.complete)
    if args.spans:
        order = {u: i for i, u in enumerate(arts)}  # lines in the order of articles.jsonl
        spans.sort(key=lambda r: order[r["url"]])
        with open(args.spans, "w", encoding="utf-8") as f:
            for r in spans:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"spans written to {args.spans}")
    sys.exit(1 if nerr else 0)


if __name__ == "__main__":
    main()
