#!/usr/bin/env python3
"""Event-level agreement between two annotation files (pass A = reference, pass B = compared).

Texts: Wikinews (CC BY 2.5); annotations keep each article's url.
Code tables: the project's own (src/flashpoint/data/), read through validate.py.

Usage:
    python3 agreement.py A.jsonl B.jsonl [--articles articles.jsonl] [--json] [--split dev|test]

Only articles present in both files are compared. Within an article, events are matched greedily
(largest quote overlap first) when their quote character spans intersect and:
  * level "type":  PLOVER types are equal                     (main score)
  * level "quad":  CAMEO QuadClass (cameo.csv) is equal       (1 verbal coop .. 4 material conflict)
  * level "span":  any type                                   (did both annotators see an event here?)
P = matched / events in B, R = matched / events in A, F1 symmetric.
On type-matched pairs it also reports:
  * cameo root (2-digit) agreement and exact CAMEO code agreement
  * dyad agreement: set of source countries and set of target countries both equal
    (country = first 3 letters of a country-based code; org/group codes count whole; [] = empty set)
  * source / target code-set agreement (full codes)
  * date agreement (value and granularity equal; also value equal at month level)
  * certainty agreement (+ Cohen's kappa)
"""
import argparse
import json
import os
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from validate import HERE, load_articles, load_cameo, load_codes, resolve_spans  # noqa: E402

TYPE_QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 2, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
             "REQUEST": 1, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 3,
             "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}


def load_ann(path):
    return {url: record.get("events") or [] for url, record in load_articles(path).items()}


def actor_units(actors, countries):
    units = set()
    for a in actors or []:
        c = a.get("code") or ""
        units.add(c[:3] if len(c) in (3, 6) and c[:3] in countries else c)
    return frozenset(units)


def prep(events, text, cameo):
    out = []
    for ev in events:
        sp = resolve_spans(text, ev)["quote"]
        row = cameo.get(str(ev.get("cameo") or ""))
        quad = int(row["quad_class"]) if row else TYPE_QUAD.get(ev.get("type"))
        out.append(dict(ev, _span=sp, _quad=quad))
    return out


def overlap(a, b):
    if not a or not b:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(evA, evB, level):
    cands = []
    for i, a in enumerate(evA):
        for j, b in enumerate(evB):
            ov = overlap(a["_span"], b["_span"])
            if ov <= 0:
                continue
            if level == "type" and a.get("type") != b.get("type"):
                continue
            if level == "quad" and a["_quad"] != b["_quad"]:
                continue
            # tie-breakers: same trigger start, then exact cameo
            cands.append((-ov, a.get("trigger") != b.get("trigger"), a.get("cameo") != b.get("cameo"), i, j))
    cands.sort()
    usedA, usedB, pairs = set(), set(), []
    for _, _, _, i, j in cands:
        if i in usedA or j in usedB:
            continue
        usedA.add(i)
        usedB.add(j)
        pairs.append((evA[i], evB[j]))
    return pairs


def prf(m, nA, nB):
    p = m / nB if nB else 0.0
    r = m / nA if nA else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"matched": m, "A": nA, "B": nB, "P": round(p, 3), "R": round(r, 3), "F1": round(f, 3)}


def kappa(pairs):
    if not pairs:
        return None
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return round((po - pe) / (1 - pe), 3) if pe < 1 else 1.0


def date_key(d, month=False):
    if not d:
        return None
    v = d.get("value") or ""
    return v[:7] if month else (v, d.get("granularity"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--articles", default=os.path.join(HERE, "articles.jsonl"))
    ap.add_argument("--split", choices=["dev", "test"])
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    arts = load_articles(args.articles)
    cameo = load_cameo()
    countries = load_codes()[0]
    A, B = load_ann(args.a), load_ann(args.b)
    shared = sorted(u for u in set(A) & set(B) if u in arts and (not args.split or arts[u]["split"] == args.split))
    counts = defaultdict(lambda: [0, 0, 0])
    typed_pairs = []
    per_type = defaultdict(lambda: [0, 0, 0])
    for u in shared:
        text = arts[u]["text"]
        ea, eb = prep(A[u], text, cameo), prep(B[u], text, cameo)
        for level in ("type", "quad", "span"):
            pairs = match(ea, eb, level)
            counts[level][0] += len(pairs)
            counts[level][1] += len(ea)
            counts[level][2] += len(eb)
            if level == "type":
                typed_pairs += pairs
                for a, _ in pairs:
                    per_type[a["type"]][0] += 1
        for e in ea:
            per_type[e.get("type")][1] += 1
        for e in eb:
            per_type[e.get("type")][2] += 1
    res = {"files": [args.a, args.b], "articles_shared": len(shared),
           "event": {lvl: prf(*counts[lvl]) for lvl in ("type", "quad", "span")},
           "per_type": {t: prf(*v) for t, v in sorted(per_type.items())}}
    n = len(typed_pairs)

    def rate(fn):
        k = sum(1 for a, b in typed_pairs if fn(a, b))
        return {"agree": k, "n": n, "rate": round(k / n, 3) if n else None}

    res["on_type_matches"] = {
        "cameo_root": rate(lambda a, b: str(a.get("cameo"))[:2] == str(b.get("cameo"))[:2]),
        "cameo_exact": rate(lambda a, b: str(a.get("cameo")) == str(b.get("cameo"))),
        "dyad_country": rate(lambda a, b: actor_units(a.get("source"), countries) == actor_units(b.get("source"), countries)
                             and actor_units(a.get("target"), countries) == actor_units(b.get("target"), countries)),
        "source_codes": rate(lambda a, b: {x.get("code") for x in a.get("source") or []} == {x.get("code") for x in b.get("source") or []}),
        "target_codes": rate(lambda a, b: {x.get("code") for x in a.get("target") or []} == {x.get("code") for x in b.get("target") or []}),
        "date_exact": rate(lambda a, b: date_key(a.get("date")) == date_key(b.get("date"))),
        "date_month": rate(lambda a, b: date_key(a.get("date"), True) == date_key(b.get("date"), True)),
        "certainty": rate(lambda a, b: a.get("certainty") == b.get("certainty")),
    }
    res["on_type_matches"]["certainty"]["kappa"] = kappa([(a.get("certainty"), b.get("certainty")) for a, b in typed_pairs])
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"A = {args.a}\nB = {args.b}\narticles compared: {len(shared)}")
    print(f"{'level':<8}{'A':>6}{'B':>6}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for lvl, r in res["event"].items():
        print(f"{lvl:<8}{r['A']:>6}{r['B']:>6}{r['matched']:>7}{r['P']:>8.3f}{r['R']:>8.3f}{r['F1']:>8.3f}")
    print("\nper type (type-level matching)")
    for t, r in res["per_type"].items():
        print(f"  {t:<10}{r['A']:>5}{r['B']:>5}{r['matched']:>6}  F1 {r['F1']:.3f}")
    print(f"\non {n} type-matched events")
    for k, r in res["on_type_matches"].items():
        extra = f"  kappa {r['kappa']}" if "kappa" in r else ""
        print(f"  {k:<14}{r['agree']:>5}/{r['n']:<5} {r['rate'] if r['rate'] is not None else '-'}{extra}")


if __name__ == "__main__":
    main()
