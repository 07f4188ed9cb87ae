"""Scale benchmark of the analysis layer: dyads, escalation and the network on ≥ 5M events.

    PYTHONPATH=src .venv/bin/python benchmarks/analysis_scale.py [--db FILE] [--events 5000000] [--json]

Generates (once, when FILE is missing) a synthetic store in DuckDB SQL — ``generate_series``
inserts in chunks of a million events, never Python loops — then times, each in a fresh
process so that every step's peak RSS is its own:

1. a dyad timeline (daily, undirected, incidents) of the busiest dyad: target < 1 s;
2. escalation (alerts, changed-period labels, phases) for every dyad with ≥ 50 events: < 30 s;
3. the network of a one-year window: < 5 s.

The store: 2 years of days, 200 country actors whose activity follows a power law (a few
busy, most quiet), incidents of 2 reports each (so 5M events are 2.5M incidents) in articles
of 5 events; types, Goldstein scores and certainty labels drawn per incident from ``hash()``
so a run is reproducible. The shape, not the content, is what is measured.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ACTORS = 200
DAYS = 730
START = date(2023, 1, 1)
CHUNK = 1_000_000

# PLOVER type, QuadClass, Goldstein of a representative CAMEO code
TYPES = [("AGREE", 1, 4.0), ("CONSULT", 1, 1.0), ("SUPPORT", 1, 3.5), ("CONCEDE", 2, 5.0),
         ("COOPERATE", 2, 6.0), ("AID", 2, 7.0), ("RETREAT", 2, 5.0), ("REQUEST", 1, 3.0),
         ("ACCUSE", 3, -2.0), ("REJECT", 3, -4.0), ("THREATEN", 3, -6.0), ("PROTEST", 4, -6.5),
         ("SANCTION", 3, -4.0), ("MOBILIZE", 4, -7.2), ("COERCE", 4, -7.0), ("ASSAULT", 4, -10.0)]


def _code(expr: str) -> str:
    """A three-letter code from an integer 0..675: AAA, AAB, …"""
    return f"'A' || chr(65 + ({expr}) // 26) || chr(65 + ({expr}) % 26)"


def generate(db: Path, events: int) -> dict[str, float]:
    from flashpoint.store import Store

    t0 = time.perf_counter()
    with Store(db) as store:
        store.execute("SET memory_limit = '3GB'")
        store.execute("SET preserve_insertion_order = false")
        store.execute("SET enable_progress_bar = false")
        types = "[" + ", ".join(f"('{t}', {q}, {g})" for t, q, g in TYPES) + "]"
        for lo in range(0, events, CHUNK):
            hi = min(events, lo + CHUNK)
            with store.transaction():
                # one row per event: incident k = i // 2; everything about the incident from hash(k, salt)
                store.execute(f"""
CREATE OR REPLACE TEMP TABLE gen AS
SELECT i, i // 2 AS k, 'a' || (i // 5) AS article_id, (i % 5)::INTEGER AS position,
       DATE '{START}' + (hash(i // 2, 1) % {DAYS})::INTEGER AS day,
       floor({ACTORS} * pow((hash(i // 2, 2) % 1000003) / 1000003.0, 3))::INTEGER AS s,
       (hash(i // 2, 4) % 16)::INTEGER + 1 AS t,
       (hash(i // 2, 5) % 100)::INTEGER AS c
FROM generate_series({lo}, {hi - 1}) g(i)""")
                store.execute(f"""
CREATE OR REPLACE TEMP TABLE gen2 AS
SELECT g.*, ((s + 1 + floor({ACTORS - 1} * pow((hash(k, 3) % 1000003) / 1000003.0, 2))::INTEGER) % {ACTORS}) AS r,
       {types}[t] AS ty,
       CASE WHEN c < 70 THEN 'asserted' WHEN c < 85 THEN 'attributed' WHEN c < 93 THEN 'future'
            WHEN c < 97 THEN 'hedged' WHEN c < 99 THEN 'hypothetical' ELSE 'negated' END AS certainty
FROM gen g""")
                store.execute("""
INSERT INTO articles (id, record_id, published, outlet, language, text, analysed_at, flashpoint_version)
SELECT article_id, article_id, min(day), 'bench', 'en', '', now()::TIMESTAMP, 'bench'
FROM gen2 WHERE article_id NOT IN (SELECT id FROM articles) GROUP BY article_id""")
                store.execute("""
INSERT INTO events (id, article_id, position, sentence, trigger_start, trigger_end, type, context, cameo, cameo_root,
                    quad_class, goldstein, date_value, date_granularity, date_start, date_end, date_basis,
                    certainty, cues, confidence)
SELECT 'e' || i, article_id, position, 0, 0, 0, ty[1], [], '190', '19', ty[2], ty[3], day::VARCHAR, 'day', day, day,
       'text', certainty, [], 0.8
FROM gen2""")
                for role, col in (("source", "s"), ("target", "r")):
                    store.execute(f"""
INSERT INTO event_actors (event_id, article_id, event_position, role, position, start, "end", key, country, code, name)
SELECT 'e' || i, article_id, position, '{role}', 0, 0, 0, {_code(col)}, {_code(col)}, {_code(col)}, {_code(col)}
FROM gen2""")
                store.execute("INSERT INTO incident_events SELECT 'i' || k, 'e' || i, article_id, position FROM gen2")
                store.execute(f"""
INSERT INTO incidents (id, type, quad_class, first_date, last_date, source_codes, target_codes, events, source_count,
                       reports, sources, certainty, confidence)
SELECT 'i' || k, any_value(ty[1]), any_value(ty[2]), min(day), max(day), [any_value({_code('s')})],
       [any_value({_code('r')})], count(*), count(*), count(*), [], any_value(certainty), 0.8
FROM gen2 GROUP BY k""")
            print(f"  {hi:,} events", file=sys.stderr, flush=True)
        store.execute("DROP TABLE gen")
        store.execute("DROP TABLE gen2")
        store.execute("CHECKPOINT")
    return {"seconds": round(time.perf_counter() - t0, 1), "peak_rss_mb": _rss()}


def _rss() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def step(db: Path, name: str) -> dict[str, object]:
    """One timed step in this process (called in a fresh process per step)."""
    from flashpoint.analysis.dyads import timeline
    from flashpoint.analysis.network import network
    from flashpoint.analysis.stored_escalation import escalation
    from flashpoint.store import EventQuery, Store

    with Store(db, read_only=True) as store:
        store.execute("SET memory_limit = '3GB'")
        store.execute("SET enable_progress_bar = false")
        pair = store.fetchall(
            "SELECT s.code, t.code FROM event_actors s JOIN event_actors t USING (article_id, event_position) "
            "WHERE s.role = 'source' AND t.role = 'target' AND s.article_id < 'a2' "
            "GROUP BY ALL ORDER BY count(*) DESC LIMIT 1")[0]
        t0 = time.perf_counter()
        if name == "dyad":
            result = timeline(store, EventQuery(dyad=f"{pair[0]}-{pair[1]}"))
            cold = round(time.perf_counter() - t0, 2)  # the first query of the process
            t0 = time.perf_counter()
            result = timeline(store, EventQuery(dyad=f"{pair[1]}-{pair[0]}"))  # the same dyad, asked again
            out: dict[str, object] = {"dyad": f"{pair[0]}-{pair[1]}", "rows": len(result),
                                      "events": sum(r.events for r in result.rows), "seconds_first": cold}
        elif name == "escalation":
            esc = escalation(store, EventQuery(), min_events=50)
            out = {"dyads_tested": esc.keys, "alerts": len(esc.alerts), "labels": len(esc.labels),
                   "phases": len(esc.phases)}
        elif name == "network":
            net = network(store, EventQuery(since=date(2024, 1, 1), until=date(2024, 12, 31)))
            out = {"nodes": len(net.nodes), "edges": len(net.edges), "triangles": net.balance.triangles,
                   "balance": round(net.balance.share, 3), "blocs": len({n.bloc for n in net.nodes}),
                   "incident_ids": sum(len(e.incident_ids) for e in net.edges)}
        else:
            raise SystemExit(f"unknown step {name}")
        out["seconds"] = round(time.perf_counter() - t0, 2)
    out["peak_rss_mb"] = _rss()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("bench-analysis.duckdb"))
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.db, args.step)))
        return
    results: dict[str, object] = {}
    if not args.db.exists():
        print(f"generating {args.events:,} events into {args.db} …", file=sys.stderr)
        results["generate"] = generate(args.db, args.events)
    from flashpoint.analysis.dyads import materialised, refresh
    from flashpoint.store import Store

    with Store(args.db) as store:  # migrates an older store; refreshes what incidents.rebuild would
        if not materialised(store):
            t0 = time.perf_counter()
            store.execute("SET memory_limit = '3GB'")
            rows = refresh(store)
            results["materialise"] = {"rows": rows, "seconds": round(time.perf_counter() - t0, 1),
                                      "peak_rss_mb": _rss()}
    with Store(args.db, read_only=True) as store:
        results["store"] = {t: store.count(t) for t in ("articles", "events", "event_actors", "incidents")}
        results["store"]["file_mb"] = round(args.db.stat().st_size / 2**20)  # type: ignore[index]
    for name in ("dyad", "escalation", "network"):
        done = subprocess.run([sys.executable, __file__, "--db", str(args.db), "--step", name],
                              capture_output=True, text=True, check=True)
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for name, values in results.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
