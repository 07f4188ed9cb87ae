"""What the report and the dashboard show of a store, each computed once, here.

The views (``flashpoint report``, ``flashpoint serve`` and its JSON API) call these functions
and only choose the format. Every function takes the store and one
:class:`~flashpoint.store.query.EventQuery` and returns plain rows (dicts of JSON-ready values).

* A **dyad** is an unordered pair of actor roots (an organisation, else a country: ``AZEMIL``
  counts for ``AZE``) that are the source and the target of one event; its key is the two roots
  in alphabetical order, ``"ARM-AZE"``. Events whose actors have no country or organisation
  belong to no dyad.
* **Magnitudes** count each incident once, not each report: an incident's Goldstein score in a
  dyad is the mean of its events' scores there; conflict is the sum of the negative ones
  (as positive numbers), cooperation the sum of the positive ones. That is the unit of the
  ``conflict`` and ``cooperation`` channels of ``data/analysis/escalation.toml``.
* Daily series use events dated to one day; month- or year-dated events are counted apart
  (``undated``), as incidents do (``max_date_span_days``).
* A **day with data** is a day on which the store has any day-dated event: the escalation rules
  read the other days as missing, not as quiet (see ``analysis/_series.py``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from flashpoint.analysis.stored_escalation import choose_rules
from flashpoint.errors import QueryError
from flashpoint.records import CERTAINTY_ORDER
from flashpoint.store.query import EventQuery

# What an analyst reads as reported, as speculation, or as denied (the README's certainty labels).
REPORTED = ("asserted", "attributed")
SPECULATED = ("future", "hedged", "hypothetical")
DENIED = ("negated",)
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

_ROOT = "coalesce({x}.org, {x}.country)"
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


def _dyad_events(query: EventQuery, dyad: tuple[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    """SQL of the day-dated and other events of the query, one row per (event, dyad)."""
    where = query.events_where("e")
    params = dict(where.params)
    pair = ""
    if dyad is not None:
        pair = "WHERE least(s.r, t.r) = $dyad_a AND greatest(s.r, t.r) = $dyad_b"
        params.update(dyad_a=dyad[0], dyad_b=dyad[1])
    sql = f"""
WITH ev AS (
  SELECT e.article_id, e.position, e.id AS event_id, e.type, e.quad_class, e.goldstein, e.certainty,
         e.confidence, e.date_start, e.date_end,
         coalesce(ie.incident_id, e.id) AS incident
  FROM events e
  LEFT JOIN incident_events ie ON ie.article_id = e.article_id AND ie.event_position = e.position
  {where.sql}
), roles AS (
  SELECT article_id, event_position, role, {_ROOT.format(x="x")} AS r
  FROM event_actors x WHERE {_ROOT.format(x="x")} IS NOT NULL
), pairs AS (
  SELECT DISTINCT s.article_id, s.event_position AS position,
         least(s.r, t.r) AS a, greatest(s.r, t.r) AS b
  FROM roles s JOIN roles t ON t.article_id = s.article_id AND t.event_position = s.event_position
       AND s.role = 'source' AND t.role = 'target' AND s.r <> t.r
  {pair}
)
SELECT ev.*, pairs.a, pairs.b, ev.date_start = ev.date_end AS day_dated
FROM ev JOIN pairs USING (article_id, position)
"""
    return sql, params


def active_dyads(store: Any, query: EventQuery | None = None, *, limit: int = 20) -> list[dict[str, Any]]:
    """The dyads with the most incidents under ``query``, with their conflict and cooperation."""
    query = query or EventQuery()
    sql, params = _dyad_events(query)
    rows = store.fetchall(
        f"""
WITH d AS ({sql}), inc AS (
  SELECT a, b, incident, avg(goldstein) AS g, min(quad_class) AS q, min(date_start) AS first,
         max(date_end) AS last, count(*) AS events
  FROM d GROUP BY a, b, incident
)
SELECT a, b, count(*) AS incidents, sum(events)::BIGINT AS events,
       sum(CASE WHEN g < 0 THEN -g ELSE 0 END) AS conflict,
       sum(CASE WHEN g > 0 THEN g ELSE 0 END) AS cooperation,
       count(*) FILTER (WHERE q >= 3) AS conflict_incidents,
       min(first) AS first_date, max(last) AS last_date
FROM inc GROUP BY a, b
ORDER BY incidents DESC, conflict DESC, a, b LIMIT {int(limit)}
""",
        params,
    )
    names = ("a", "b", "incidents", "events", "conflict", "cooperation", "conflict_incidents",
             "first_date", "last_date")
    return [{"key": dyad_key(r[0], r[1]), **dict(zip(names, r, strict=True))} for r in rows]


def data_days(store: Any) -> list[date]:
    """Days on which the store has any day-dated event: the days with data."""
    rows = store.fetchall("SELECT DISTINCT date_start FROM events WHERE date_start = date_end ORDER BY 1")
    return [r[0] for r in rows]


def dyad_incidents(store: Any, key: str, query: EventQuery | None = None) -> list[dict[str, Any]]:
    """Every incident of a dyad under ``query``, oldest first: its day, type, QuadClass, strongest
    certainty, independent sources and its mean Goldstein score in the dyad."""
    a, b = parse_dyad(key)
    sql, params = _dyad_events(query or EventQuery(), (a, b))
    rows = store.fetchall(
        f"""
WITH d AS ({sql})
SELECT d.incident, min(d.date_start) AS day, bool_and(d.day_dated) AS day_dated,
       coalesce(any_value(i.type), any_value(d.type)) AS type,
       coalesce(any_value(i.quad_class), min(d.quad_class)) AS quad_class,
       coalesce(any_value(i.certainty), min(d.certainty)) AS certainty,
       coalesce(any_value(i.source_count), 1) AS sources,
       avg(d.goldstein) AS goldstein, max(d.confidence) AS confidence, count(*) AS events,
       any_value(i.id) IS NOT NULL AS stored
FROM d LEFT JOIN incidents i ON i.id = d.incident
GROUP BY d.incident ORDER BY day NULLS LAST, d.incident
""",
        params,
    )
    names = ("id", "date", "day_dated", "type", "quad_class", "certainty", "sources", "goldstein",
             "confidence", "events", "stored")
    return [dict(zip(names, r, strict=True)) for r in rows]


def daily(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per-day channels of a dyad's incidents (day-dated only): incidents per QuadClass,
    conflict and cooperation magnitude, incidents per certainty label, and all incidents."""
    days: dict[date, dict[str, Any]] = {}
    for inc in incidents:
        if not inc["day_dated"] or inc["date"] is None:
            continue
        row = days.setdefault(inc["date"], {"date": inc["date"], "count": 0, "conflict": 0.0, "cooperation": 0.0,
                                            **{f"q{q}": 0 for q in QUAD_NAMES},
                                            **{label: 0 for label in CERTAINTY_ORDER}})
        g = float(inc["goldstein"])
        row["count"] += 1
        row[f"q{inc['quad_class']}"] += 1
        row["conflict" if g < 0 else "cooperation"] += abs(g)
        if inc["certainty"] in row:
            row[inc["certainty"]] += 1
    return [days[d] for d in sorted(days)]


def dyad_escalation(key: str, days: list[dict[str, Any]], with_data: list[date], rules: Any = None) -> dict[str, Any]:
    """The escalation rules (``analysis/escalation.py``; the wire preset unless ``rules`` are given)
    on a dyad's daily channels, summed into ISO weeks when the rules are weekly (the articles
    preset): the label of its last period with data and why, its risk alerts and phase changes."""
    from flashpoint.analysis.escalation import (
        DyadSeries,
        EscalationRules,
        change_points,
        detect,
        label_periods,
    )

    rules = rules or EscalationRules.load()
    by_day = {d["date"]: d for d in days}
    observed = [d for d in with_data if days and days[0]["date"] <= d <= days[-1]["date"]] or \
        [d["date"] for d in days]
    if not observed:
        return {"label": "no data", "rule": "no day-dated incident in this dyad", "alerts": [],
                "change_points": [], "period": None}
    channels = {name: [float(by_day[d][name]) if d in by_day else 0.0 for d in observed]
                for name in ("conflict", "cooperation", "count")}
    series = DyadSeries.from_observations(key, observed, channels)
    if rules.period == "week":
        series = _weekly(series)
    labels = label_periods(series, rules, [len(series) - 1])
    last = labels[0].to_dict()
    return {
        "period": last["period"], "weekly": series.step == 7, "rules": rules.name,
        "label": last["label"], "rule": last["rule"], "measures": last["measures"],
        "alerts": [a.to_dict() for a in detect(series, rules)],
        "change_points": [c.to_dict() for c in change_points(series, rules)],
    }


def _weekly(series: Any) -> Any:
    """A daily series summed into ISO weeks (from Monday); a week with no day with data is missing."""
    import numpy as np

    from flashpoint.analysis.escalation import DyadSeries

    monday = series.dates - ((series.dates.view("int64") - 4) % 7).astype("timedelta64[D]")
    weeks = np.arange(monday[0], monday[-1] + np.timedelta64(7, "D"), np.timedelta64(7, "D"))
    slot = (monday - weeks[0]).astype(int) // 7
    channels = {}
    for name, values in series.channels.items():
        total = np.zeros(len(weeks))
        present = np.zeros(len(weeks), dtype=bool)
        ok = ~np.isnan(values)
        np.add.at(total, slot[ok], values[ok])
        present[slot[ok]] = True
        channels[name] = np.where(present, total, np.nan)
    return DyadSeries(series.key, weeks, channels, step=7)


def dyad_timeline(store: Any, key: str, query: EventQuery | None = None) -> dict[str, Any]:
    """A dyad's incidents, its daily channels and its escalation label, alerts and phases."""
    a, b = parse_dyad(key)
    key = dyad_key(a, b)
    incidents = dyad_incidents(store, key, query)
    days = daily(incidents)
    return {
        "key": key, "a": a, "b": b, "incidents": incidents, "days": days,
        "undated": sum(1 for i in incidents if not i["day_dated"]),
        "escalation": dyad_escalation(key, days, data_days(store), choose_rules(store, query)[0]),
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

    graph = network(store, query or EventQuery()).to_dict()
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
    dyads = [d for d in active_dyads(store, q, limit=200) if code.startswith(d["a"]) or code.startswith(d["b"])
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
    rows = store.fetchall(
        """
SELECT ie.incident_id, e.article_id, e.position, e.id, e.type, e.cameo, e.quad_class, e.goldstein,
       e.certainty, e.cues, e.attributed_to, e.confidence, e.date_value, e.trigger_start, e.trigger_end,
       s.start, s."end", substr(a.text, s.start + 1, s."end" - s.start) AS quote,
       a.title, a.url, a.published, a.outlet, a.duplicate_of
FROM incident_events ie
JOIN events e ON e.article_id = ie.article_id AND e.position = ie.event_position
JOIN articles a ON a.id = e.article_id
JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
WHERE ie.incident_id IN (SELECT unnest($ids::VARCHAR[]))
ORDER BY ie.incident_id, e.confidence DESC, a.published NULLS LAST, e.article_id, e.position
""",
        {"ids": list(incident_ids)},
    )
    keys = [(r[1], r[2]) for r in rows]
    actors: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    if keys:
        for aid, pos, role, start, end, code, name in store.fetchall(
            'SELECT x.article_id, x.event_position, x.role, x.start, x."end", x.code, x.name '
            "FROM event_actors x JOIN (SELECT unnest($a::VARCHAR[]) AS a, unnest($p::INTEGER[]) AS p) k "
            "ON k.a = x.article_id AND k.p = x.event_position ORDER BY x.role DESC, x.position",
            {"a": [k[0] for k in keys], "p": [k[1] for k in keys]},
        ):
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


def top_incidents(store: Any, query: EventQuery | None = None, *, limit: int = 20,
                  quotes: int = 2) -> list[dict[str, Any]]:
    """The incidents reported by the most independent sources, each with up to ``quotes``
    evidence quotes."""
    from flashpoint.analysis.incidents import listing

    rows = listing(store, query or EventQuery(), limit=limit, sort="sources")
    ev = evidence(store, [r["id"] for r in rows], per_incident=quotes)
    return [{**r, "evidence": ev.get(r["id"], [])} for r in rows]


def store_summary(store: Any, query: EventQuery | None = None) -> dict[str, Any]:
    """How much the store holds under ``query``: articles, events, incidents, date range."""
    query = query or EventQuery()
    where = query.events_where("e")
    events, first, last, articles = store.fetchall(
        f"SELECT count(*), min(e.date_start), max(e.date_end), count(DISTINCT e.article_id) FROM events e {where.sql}",
        where.params)[0]
    iw = query.incidents_where("incidents")
    (incidents,) = store.fetchall(f"SELECT count(*) FROM incidents {iw.sql}", iw.params)[0]
    return {"articles": articles, "events": events, "incidents": incidents, "first_date": first, "last_date": last,
            "stored_articles": store.count("articles")}


def type_counts(rows: list[dict[str, Any]], field: str = "type") -> list[tuple[str, int]]:
    """Rows counted by one field, most frequent first."""
    return Counter(r[field] for r in rows).most_common()


__all__ = ["REPORTED", "SPECULATED", "DENIED", "QUAD_NAMES", "active_dyads", "actor_overview", "certainty_split",
           "daily", "data_days", "dyad_escalation", "dyad_incidents", "dyad_key", "dyad_timeline", "evidence",
           "incident_detail", "parse_dyad", "signed_edges", "store_summary", "top_incidents"]
