"""What the report and the dashboard show of a store, gathered here from the analysis layer.

The views (``flashpoint report``, ``flashpoint serve`` and its JSON API) call these functions
and only choose the format. Every function takes the store and one
:class:`~flashpoint.store.query.EventQuery` and returns plain rows (dicts of JSON-ready values).
Nothing is defined twice: the numbers are those of the layer's own modules.

* A **dyad** and its numbers are :mod:`flashpoint.analysis.dyads`'s: an unordered pair of
  members (an actor's organisation, else its country: ``AZEMIL`` counts for ``AZE``), keyed
  ``"ARM-AZE"``; incidents counted once, in the day of their first event in the dyad; an
  incident's magnitude is its mean Goldstein score in the dyad weighted by its strongest
  certainty (``data/analysis/dyads.toml``), conflict and cooperation kept apart; negated
  incidents are counted apart. Events not dated to one day are left out of the daily series
  and counted (``undated``).
* A dyad's **escalation** label, alerts and phases are
  :func:`flashpoint.analysis.stored_escalation.states`: the detector on the dyad's daily series,
  where a day with no article at all in the store is missing, not quiet.
* The **network** is :func:`flashpoint.analysis.network.network`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from flashpoint.analysis import dyads as dyad_layer
from flashpoint.analysis.stored_escalation import states
from flashpoint.errors import QueryError
from flashpoint.records import CERTAINTY_ORDER
from flashpoint.store.query import EventQuery

# What an analyst reads as reported, as speculation, or as denied (the README's certainty labels).
REPORTED = ("asserted", "attributed")
SPECULATED = ("future", "hedged", "hypothetical")
DENIED = ("negated",)
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

_KEY = re.compile(r"^([A-Z0-9]{2,12})-([A-Z0-9]{2,12})$")


def dyad_key(a: str, b: str) -> str:
    """The key of the unordered pair ``a``, ``b``: ``"ARM-AZE"``."""
    return "-".join(sorted((a.upper(), b.upper())))


def parse_dyad(key: str) -> tuple[str, str]:
    """The two roots of a dyad key, alphabetical; QueryError when it is not ``XXX-YYY``."""
    m = _KEY.match(key.strip().upper())
    if not m or m[1] == m[2]:
        raise QueryError(f"{key!r} is not a dyad: give two actor codes as AAA-BBB (e.g. ARM-AZE)")
    a, b = sorted((m[1], m[2]))
    return a, b


def _dyad_row(t: dict[str, Any]) -> dict[str, Any]:
    return {"key": dyad_key(t["actor1"], t["actor2"]), "a": t["actor1"], "b": t["actor2"],
            "incidents": t["units"], "conflict_incidents": t["conflict_units"], "conflict": t["conflict"],
            "cooperation": t["cooperation"], "first_date": t["first_day"], "last_date": t["last_day"]}


def active_dyads(store: Any, query: EventQuery | None = None, *, limit: int | None = 20) -> list[dict[str, Any]]:
    """The dyads with the most incidents under ``query`` (:func:`dyads.totals`), with their
    conflict and cooperation; a country's internal events are no dyad here."""
    rows = dyad_layer.totals(store, query, limit=None if limit is None else limit + 50)
    return [_dyad_row(t) for t in rows if t["actor1"] != t["actor2"]][:limit]


def _pair_query(query: EventQuery | None, a: str, b: str) -> EventQuery:
    return replace(query or EventQuery(), dyad=f"{a}-{b}")


def dyad_incidents(store: Any, key: str, query: EventQuery | None = None) -> list[dict[str, Any]]:
    """Every day-dated incident of a dyad under ``query``, oldest first (:func:`dyads.units`): its
    day, type, QuadClass, strongest certainty, independent sources, mean Goldstein score in the
    dyad, weighted magnitudes and events."""
    a, b = parse_dyad(key)
    found = [u for u in dyad_layer.units(store, _pair_query(query, a, b), members=(a, b))
             if (u["actor1"], u["actor2"]) == (a, b)]
    ids = [u["incident_id"] for u in found]
    sources = dict(store.fetchall("SELECT id, source_count FROM incidents WHERE id IN (SELECT unnest($ids::VARCHAR[]))",
                                  {"ids": ids})) if ids else {}
    return [{"id": u["incident_id"], "date": u["first_day"], "day_dated": True, "type": u["type"],
             "quad_class": u["quad_class"], "certainty": u["certainty"], "sources": sources.get(u["incident_id"], 1),
             "goldstein": u["goldstein"], "conflict": u["conflict"], "cooperation": u["cooperation"],
             "events": u["events"], "stored": u["incident_id"] in sources} for u in found]


def daily(store: Any, key: str, query: EventQuery | None, incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per-day channels of a dyad: the daily rows of :func:`dyads.timeline` (incidents, per
    QuadClass, conflict and cooperation) and the dyad's incidents per certainty label."""
    a, b = parse_dyad(key)
    return _days(_pair_timeline(store, a, b, query), a, b, incidents)


def _pair_timeline(store: Any, a: str, b: str, query: EventQuery | None) -> Any:
    """The timeline of one dyad: its members only, no volume (neither is drawn)."""
    return dyad_layer.timeline(store, _pair_query(query, a, b), members=(a, b), volume=False)


def _days(timeline: Any, a: str, b: str, incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels: dict[Any, Counter[str]] = defaultdict(Counter)
    for inc in incidents:
        labels[inc["date"]][inc["certainty"]] += 1
    rows = timeline.rows
    return [{"date": r.period, "count": r.incidents, "conflict": r.conflict, "cooperation": r.cooperation,
             **{f"q{q}": n for q, n in zip(QUAD_NAMES, r.quads, strict=True)},
             **{label: labels[r.period][label] for label in CERTAINTY_ORDER}}
            for r in rows if (r.actor1, r.actor2) == (a, b)]


def dyad_timeline(store: Any, key: str, query: EventQuery | None = None) -> dict[str, Any]:
    """A dyad's incidents, its daily channels and its escalation label, alerts and phases."""
    a, b = parse_dyad(key)
    key = dyad_key(a, b)
    incidents = dyad_incidents(store, key, query)
    pair = _pair_query(query, a, b)
    days = _pair_timeline(store, a, b, query)  # its coarse_events are the undated ones: not counted twice
    return {
        "key": key, "a": a, "b": b, "incidents": incidents, "days": _days(days, a, b, incidents),
        "undated": days.coarse_events,
        "escalation": states(store, [key], pair)[key],
    }


def certainty_split(store: Any, query: EventQuery | None = None) -> dict[str, Any]:
    """What is reported and what is speculated: events and incidents per certainty label and
    per group (reported, speculated, denied)."""
    query = query or EventQuery()
    where = query.events_where("e")
    events = dict(store.fetchall(f"SELECT e.certainty, count(*) FROM events e {where.sql} GROUP BY 1", where.params))
    iw = query.incidents_where("incidents")
    incidents = dict(store.fetchall(f"SELECT certainty, count(*) FROM incidents {iw.sql} GROUP BY 1", iw.params))
    groups = {"reported": REPORTED, "speculated": SPECULATED, "denied": DENIED}
    return {
        "labels": [{"label": label, "events": int(events.get(label, 0)), "incidents": int(incidents.get(label, 0))}
                   for label in CERTAINTY_ORDER],
        "groups": [{"group": g, "labels": list(labels),
                    "events": sum(int(events.get(label, 0)) for label in labels),
                    "incidents": sum(int(incidents.get(label, 0)) for label in labels)}
                   for g, labels in groups.items()],
    }


def signed_edges(store: Any, query: EventQuery | None = None, *, limit: int = 40) -> dict[str, Any]:
    """The signed actor network of :func:`flashpoint.analysis.network.network` as the views draw
    it: its ``limit`` heaviest edges (by absolute weight), every bloc, balance and frustration."""
    from flashpoint.analysis.network import network

    # the views show how many incidents an edge rests on, not their ids: none are listed
    graph = network(store, query or EventQuery(), max_ids=0).to_dict()
    edges = sorted(graph["edges"], key=lambda e: (-abs(e["weight"]), e["actor1"], e["actor2"]))[:limit]
    kept = {e["actor1"] for e in edges} | {e["actor2"] for e in edges}
    return {
        "edges": [{"a": e["actor1"], "b": e["actor2"], "key": dyad_key(e["actor1"], e["actor2"]),
                   "weight": float(e["weight"]), "sign": 1 if e["weight"] > 0 else -1, "incidents": e["incidents"],
                   "cooperation": e["cooperation"], "conflict": e["conflict"]} for e in edges if e["weight"]],
        # a bloc of one actor says nothing to draw: only blocs of several drawn actors are kept
        "blocs": [b for b in ([a for a in bloc if a in kept] for bloc in graph["blocs"]) if len(b) > 1],
        "balance": graph["balance"], "frustration": graph["frustration"],
        "half_life_days": graph["half_life_days"], "window": graph["window"],
    }


def actor_overview(store: Any, code: str, query: EventQuery | None = None) -> dict[str, Any]:
    """One actor (a code prefix, as ``EventQuery.actors``): its events by type and certainty,
    the dyads it is in and its most reported incidents."""
    from flashpoint.analysis.incidents import listing

    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{2,12}", code):
        raise QueryError(f"{code!r} is not an actor code (letters and digits, e.g. AZE or AZEGOV)")
    base = query or EventQuery()
    q = EventQuery(actors=(code,), types=base.types, since=base.since, until=base.until,
                   min_certainty=base.min_certainty, min_confidence=base.min_confidence,
                   min_sources=base.min_sources)
    where = q.events_where("e")
    by_type = store.fetchall(f"SELECT e.type, e.quad_class, count(*) FROM events e {where.sql} "
                             "GROUP BY 1, 2 ORDER BY 3 DESC, 1", where.params)
    by_certainty = dict(store.fetchall(f"SELECT e.certainty, count(*) FROM events e {where.sql} GROUP BY 1",
                                       where.params))
    names = store.fetchall("SELECT name, sum(mentions)::BIGINT FROM actors WHERE starts_with(key, $c) "
                           "OR starts_with(coalesce(org, country, ''), $c) GROUP BY 1 ORDER BY 2 DESC LIMIT 5",
                           {"c": code})
    dyads = [d for d in active_dyads(store, q, limit=None) if code.startswith(d["a"]) or code.startswith(d["b"])
             or d["a"].startswith(code) or d["b"].startswith(code)][:20]
    return {
        "code": code, "names": [{"name": n, "mentions": m} for n, m in names],
        "events": sum(n for _, _, n in by_type),
        "types": [{"type": t, "quad_class": qc, "events": n} for t, qc, n in by_type],
        "certainty": [{"label": label, "events": int(by_certainty.get(label, 0))} for label in CERTAINTY_ORDER],
        "dyads": dyads,
        "incidents": listing(store, q, limit=20, sort="sources"),
    }


def incident_detail(store: Any, incident_id: str) -> dict[str, Any] | None:
    """An incident with each of its events: the article (title, URL, date), the sentence
    quoted, and where the trigger and the actors are in it (offsets into the quote)."""
    from flashpoint.analysis.incidents import _INCIDENT_COLUMNS

    found = store.fetchall(f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents WHERE id = $id",
                           {"id": incident_id})
    if not found:
        return None
    incident = dict(zip(_INCIDENT_COLUMNS, found[0], strict=True))
    incident["events_detail"] = evidence(store, [incident_id]).get(incident_id, [])
    return incident


def evidence(store: Any, incident_ids: list[str], *, per_incident: int | None = None) -> dict[str, list[dict]]:
    """The events of these incidents with their quotes, strongest certainty first."""
    if not incident_ids:
        return {}
    # constants, not a join with a list: each table is then read only where its rows are (zone
    # maps, the filter inside the scan) instead of hashed whole — 10 incidents' quotes on a
    # million events 180-280 ms -> ~20 ms
    ids, id_params = _constants("i", list(dict.fromkeys(incident_ids)))
    found = store.fetchall(f"SELECT DISTINCT article_id FROM incident_events WHERE incident_id IN ({ids})", id_params)
    if not found:
        return {}
    arts, art_params = _constants("a", sorted(r[0] for r in found))
    rows = store.fetchall(
        f"""
SELECT ie.incident_id, e.article_id, e.position, e.id, e.type, e.cameo, e.quad_class, e.goldstein,
       e.certainty, e.cues, e.attributed_to, e.confidence, e.date_value, e.trigger_start, e.trigger_end,
       s.start, s."end", substr(a.text, s.start + 1, s."end" - s.start) AS quote,
       a.title, a.url, a.published, a.outlet, a.duplicate_of
FROM (SELECT * FROM incident_events WHERE incident_id IN ({ids})) ie
JOIN (SELECT * FROM events WHERE article_id IN ({arts})) e
     ON e.article_id = ie.article_id AND e.position = ie.event_position
JOIN (SELECT * FROM articles WHERE id IN ({arts})) a ON a.id = e.article_id
JOIN (SELECT * FROM sentences WHERE article_id IN ({arts})) s ON s.article_id = e.article_id AND s.idx = e.sentence
ORDER BY ie.incident_id, e.confidence DESC, a.published NULLS LAST, e.article_id, e.position
""",
        {**id_params, **art_params},
    )
    keys = {(r[1], r[2]) for r in rows}
    actors: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    if keys:
        for aid, pos, role, start, end, code, name in store.fetchall(
            'SELECT x.article_id, x.event_position, x.role, x.start, x."end", x.code, x.name '
            f"FROM event_actors x WHERE x.article_id IN ({arts}) ORDER BY x.role DESC, x.position",
            art_params,
        ):
            if (aid, pos) in keys:
                actors[(aid, pos)].append({"role": role, "span": [start, end], "code": code, "name": name})
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (iid, aid, pos, eid, type_, cameo, quad, goldstein, certainty, cues, attributed, confidence, date_value,
         t_start, t_end, s_start, s_end, quote, title, url, published, outlet, duplicate_of) in rows:
        if per_incident is not None and len(out[iid]) >= per_incident:
            continue
        spans = [{"role": "trigger", "start": t_start - s_start, "end": t_end - s_start, "code": type_}]
        for x in actors[(aid, pos)]:
            if s_start <= x["span"][0] and x["span"][1] <= s_end:
                spans.append({"role": x["role"], "start": x["span"][0] - s_start, "end": x["span"][1] - s_start,
                              "code": x["code"]})
        out[iid].append({
            "event_id": eid, "article_id": aid, "position": pos, "type": type_, "cameo": cameo,
            "quad_class": quad, "goldstein": goldstein, "certainty": certainty, "cues": list(cues or ()),
            "attributed_to": attributed, "confidence": confidence, "date": date_value, "quote": quote,
            "spans": spans, "actors": actors[(aid, pos)], "title": title, "url": url, "published": published,
            "outlet": outlet, "copy_of": duplicate_of,
        })
    return dict(out)


def _constants(prefix: str, values: list[str]) -> tuple[str, dict[str, str]]:
    """An SQL list of one parameter per value (``$a0, $a1``) and the parameters."""
    named = {f"{prefix}{k}": v for k, v in enumerate(values)}
    return ", ".join(f"${k}" for k in named), named


def top_incidents(store: Any, query: EventQuery | None = None, *, limit: int = 20, quotes: int = 2,
                  domestic: int | None = None) -> list[dict[str, Any]]:
    """The incidents reported by the most independent sources, each with up to ``quotes``
    evidence quotes and its ``scope`` (:func:`incident_scopes`).

    Without ``domestic``: the ``limit`` most reported, whatever their scope. With it: the
    ``limit`` most reported international incidents first, then the ``domestic`` most reported
    domestic ones — a country's own quarrels (the government accusing the opposition) are
    reported most and would crowd the international ones out of a short list."""
    from flashpoint.analysis.incidents import listing

    query = query or EventQuery()
    if domestic is None:
        rows = listing(store, query, limit=limit, sort="sources")
        scopes = incident_scopes(store, rows)
        rows = [{**r, "scope": scopes[r["id"]]} for r in rows]
    else:
        # the scopes' lists are filled from the _SCOPE_POOL most reported incidents: a bounded
        # cost (on a million events, classifying page after page of a store with no domestic
        # incident at all took 20 s); the incidents page lists every incident
        pool = listing(store, query, limit=max(_SCOPE_POOL, limit + domestic), sort="sources")
        scopes = incident_scopes(store, pool)
        wanted = {"international": limit, "domestic": domestic}
        rows = [{**r, "scope": scope} for scope, n in wanted.items()
                for r in [r for r in pool if scopes[r["id"]] == scope][:n]]
    ev = evidence(store, [r["id"] for r in rows], per_incident=quotes)
    return [{**r, "evidence": ev.get(r["id"], [])} for r in rows]


_SCOPE_POOL = 1000


def incident_scopes(store: Any, incidents: list[dict[str, Any]]) -> dict[str, str]:
    """Each incident's scope (rows of :func:`~flashpoint.analysis.incidents.listing`, by id):
    ``international`` when a source and a target of the incident are different dyad members
    (an actor's organisation, else its country: as :mod:`flashpoint.analysis.dyads` pairs them),
    else ``domestic`` (within one country or organisation, or with one side unknown:
    ``USAGOV → USA``, ``IRQGOV → ?``). The members of the incidents' actor codes are read in
    one query."""
    codes = sorted({c for i in incidents for c in (*i["source_codes"], *i["target_codes"])})
    members = dict(store.fetchall(
        "SELECT code, any_value(coalesce(org, country)) FROM event_actors "
        "WHERE code IN (SELECT unnest($codes::VARCHAR[])) AND coalesce(org, country) IS NOT NULL GROUP BY 1",
        {"codes": codes})) if codes else {}

    def scope(incident: dict[str, Any]) -> str:
        sources = {members.get(c) for c in incident["source_codes"]} - {None}
        targets = {members.get(c) for c in incident["target_codes"]} - {None}
        return "international" if any(s != t for s in sources for t in targets) else "domestic"

    return {i["id"]: scope(i) for i in incidents}


def store_summary(store: Any, query: EventQuery | None = None) -> dict[str, Any]:
    """How much the store holds under ``query``: articles, events, incidents and three ranges.

    The headline range is the articles' publication range (``published_first`` …
    ``published_last``): the events' own dates stretch far beyond the corpus (an article of 2020
    recalls a treaty of 1924 and sets a target for 2025), so ``first_date`` … ``last_date`` (every
    event date, coarse ones included) is kept for the API only. The views add the range of the
    events dated to a day (``day_first`` … ``day_last``) and how many events are dated outside
    the publication range (``dated_outside``: history recalled, plans announced)."""
    query = query or EventQuery()
    where = query.events_where("e")
    # per article first, then joined to the articles: the publication range of the articles the
    # query keeps, without joining every event to its article
    events, first, last, day_first, day_last, articles, published_first, published_last = store.fetchall(
        f"""
SELECT coalesce(sum(e.n), 0), min(e.first), max(e.last), min(e.day_first), max(e.day_last), count(*),
       min(a.published), max(a.published)
FROM (SELECT e.article_id, count(*) AS n, min(e.date_start) AS first, max(e.date_end) AS last,
             min(e.date_start) FILTER (e.date_granularity = 'day') AS day_first,
             max(e.date_end) FILTER (e.date_granularity = 'day') AS day_last
      FROM events e {where.sql} GROUP BY 1) e
JOIN articles a ON a.id = e.article_id""", where.params)[0]
    outside = 0
    if published_first is not None:
        beyond = where.and_("(e.date_end < $published_first OR e.date_start > $published_last)")
        (outside,) = store.fetchall(f"SELECT count(*) FROM events e {beyond.sql}",
                                    {**where.params, "published_first": published_first,
                                     "published_last": published_last})[0]
    iw = query.incidents_where("incidents")
    (incidents,) = store.fetchall(f"SELECT count(*) FROM incidents {iw.sql}", iw.params)[0]
    return {"articles": articles, "events": int(events), "incidents": incidents,
            "published_first": published_first, "published_last": published_last,
            "day_first": day_first, "day_last": day_last, "dated_outside": outside,
            "first_date": first, "last_date": last, "stored_articles": store.count("articles")}


def type_counts(rows: list[dict[str, Any]], field: str = "type") -> list[tuple[str, int]]:
    """Rows counted by one field, most frequent first."""
    return Counter(r[field] for r in rows).most_common()


__all__ = ["REPORTED", "SPECULATED", "DENIED", "QUAD_NAMES", "active_dyads", "actor_overview", "certainty_split",
           "daily", "dyad_incidents", "dyad_key", "dyad_timeline", "evidence",
           "incident_detail", "incident_scopes", "parse_dyad", "signed_edges", "store_summary", "top_incidents"]
