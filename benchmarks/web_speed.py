"""Speed of the dashboard and the report on a store of a million events (a benchmark, not a test).

    python benchmarks/web_speed.py [--events 1000000] [--db /tmp/web-speed.duckdb] [--requests 2000]

1. Builds (once) a synthetic store with DuckDB SQL: articles of 10 one-sentence events each,
   40 countries, 2 years of days, two events per incident; the schema is the real one.
2. Serves the app on 127.0.0.1 in a background thread and times every page and API route:
   uncached (each request with a filter never asked before, so the result cache cannot answer)
   and cached (the same URL again); median and max of each.
3. Times the report for one dyad.
4. A bounded load test: ``--requests`` requests, 8 at a time, over every page; counts errors and
   samples the process's resident memory (the server runs in this process) before, during and after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx
import psutil

from flashpoint.analysis.dyads import materialised, refresh
from flashpoint.report.html import ReportOptions, write_report
from flashpoint.store import Store
from flashpoint.store.query import EventQuery
from flashpoint.web.app import create_app
from flashpoint.web.server import background

COUNTRIES = ["ARM", "AZE", "RUS", "TUR", "IRN", "USA", "UKR", "GEO", "FRA", "DEU", "GBR", "CHN", "IND", "PAK",
             "ISR", "SYR", "IRQ", "SAU", "EGY", "LBY", "NGA", "NER", "MLI", "BFA", "ETH", "SOM", "SDN", "VEN",
             "COL", "BRA", "MEX", "CUB", "PRK", "KOR", "JPN", "TWN", "PHL", "VNM", "AFG", "YEM"]
TYPES = [("ASSAULT", "190", 4, -10.0), ("ACCUSE", "112", 3, -2.0), ("THREATEN", "138", 3, -7.0),
         ("AGREE", "057", 1, 8.0), ("AID", "070", 2, 7.0), ("CONSULT", "040", 1, 1.0), ("SANCTION", "163", 4, -8.0),
         ("REQUEST", "020", 1, 3.0)]
CERTAINTY = ["asserted", "asserted", "asserted", "attributed", "attributed", "hedged", "hypothetical", "negated"]
START = date(2022, 1, 1)
DAYS = 730


def build(path: Path, events: int) -> None:
    per_article = 10
    articles = events // per_article
    countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    types = "[" + ", ".join(f"'{t[0]}'" for t in TYPES) + "]"
    cameos = "[" + ", ".join(f"'{t[1]}'" for t in TYPES) + "]"
    quads = "[" + ", ".join(str(t[2]) for t in TYPES) + "]"
    golds = "[" + ", ".join(str(t[3]) for t in TYPES) + "]"
    certs = "[" + ", ".join(f"'{c}'" for c in CERTAINTY) + "]"
    sentence = "Country forces attacked the other side near the border today."  # 62 characters
    n = len(sentence) + 1
    with Store(path) as store:
        store.execute(f"""
CREATE TEMP TABLE g AS
SELECT i AS g, i // {per_article} AS art, i % {per_article} AS pos, i // 2 AS inc, h,
       {countries}[1 + h % 40] AS src,
       {countries}[1 + (h % 40 + 1 + (h // 40) % 39) % 40] AS tgt,
       1 + (h // 1600) % {len(TYPES)} AS t,
       DATE '{START}' + CAST((h // 12800) % {DAYS} AS INTEGER) AS day,
       {certs}[1 + ((hash(i) % 1000003)::BIGINT // 7) % {len(CERTAINTY)}] AS certainty
FROM (SELECT i, (hash(i // 2) % 2147483647)::BIGINT AS h FROM range({articles * per_article}) r(i))""")
        store.execute(f"""
INSERT INTO articles (id, record_id, title, published, outlet, url, language, text, analysed_at, flashpoint_version)
SELECT printf('a%08d', a), printf('r%08d', a), printf('Synthetic article %d', a),
       DATE '{START}' + CAST((hash(a) % {DAYS})::BIGINT AS INTEGER), printf('outlet%d.example', a % 50),
       printf('https://outlet%d.example/news/%d', a % 50, a), 'en', repeat('{sentence} ', {per_article}),
       now()::TIMESTAMP, 'bench'
FROM range({articles}) r(a)""")
        store.execute(f"""
INSERT INTO sentences SELECT printf('a%08d', art), pos, pos * {n}, pos * {n} + {n - 1}, certainty, [], NULL
FROM g""")
        store.execute(f"""
INSERT INTO events (id, article_id, position, sentence, trigger_start, trigger_end, type, mode, context, cameo,
    cameo_root, quad_class, goldstein, date_value, date_granularity, date_start, date_end, date_basis,
    certainty, cues, confidence)
SELECT printf('e%09d', g), printf('a%08d', art), pos, pos, pos * {n} + 14, pos * {n} + 22, {types}[t], NULL, [],
       {cameos}[t], substr({cameos}[t], 1, 2), {quads}[t], {golds}[t], strftime(day, '%Y-%m-%d'), 'day', day, day,
       'text', certainty, [], 0.5 + (h % 50) / 100.0
FROM g""")
        store.execute(f"""
INSERT INTO event_actors
SELECT printf('e%09d', g), printf('a%08d', art), pos, 'source', 0, pos * {n}, pos * {n} + 7, src, src, NULL, NULL, src, src FROM g
UNION ALL
SELECT printf('e%09d', g), printf('a%08d', art), pos, 'target', 0, pos * {n} + 27, pos * {n} + 41, tgt, tgt, NULL, NULL, tgt, tgt FROM g""")
        store.execute("""
INSERT INTO actors SELECT article_id, row_number() OVER (PARTITION BY article_id ORDER BY code) - 1, code, code,
       code, NULL, NULL, count(*) FROM event_actors GROUP BY article_id, code""")
        store.execute("""
INSERT INTO incidents
SELECT printf('i%015d', inc), any_value(e.type), any_value(e.quad_class), min(day), max(day), [any_value(src)],
       [any_value(tgt)], NULL, NULL, count(*), 1 + any_value(h) % 4, 1 + any_value(h) % 4,
       [printf('outlet%d.example', any_value(art) % 50)], min(day), max(day), min(g.certainty), max(e.confidence)
FROM g JOIN events e ON e.id = printf('e%09d', g.g) GROUP BY inc""")
        store.execute("INSERT INTO incident_events SELECT printf('i%015d', inc), printf('e%09d', g), "
                      "printf('a%08d', art), pos FROM g")
        store.execute("CHECKPOINT")


def timed(client: httpx.Client, url: str) -> float:
    t = time.perf_counter()
    r = client.get(url)
    elapsed = time.perf_counter() - t
    if r.status_code != 200:
        raise SystemExit(f"{url}: {r.status_code} {r.text[:200]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "flashpoint-web-speed.duckdb")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    if not args.db.exists():
        t = time.perf_counter()
        build(args.db, args.events)
        print(f"built {args.db} in {time.perf_counter() - t:.1f} s")
    with Store(args.db) as store:  # migrates an older store; refreshes what incidents.rebuild would
        if not materialised(store):
            t = time.perf_counter()
            rows = refresh(store)
            print(f"materialised {rows:,} dyad event rows in {time.perf_counter() - t:.1f} s")
    with Store(args.db, read_only=True) as store:
        print(f"store: {store.count('events'):,} events, {store.count('incidents'):,} incidents, "
              f"{store.count('articles'):,} articles")
        incident = store.fetchall("SELECT id FROM incidents ORDER BY id LIMIT 1")[0][0]
    app = create_app(args.db)
    pages = ["/", "/api/overview", "/dyad/ARM-AZE", "/api/dyad/ARM-AZE", "/actor/RUS", "/api/actor/RUS",
             f"/incident/{incident}", f"/api/incident/{incident}", "/incidents", "/api/incidents", "/network",
             "/api/network"]
    rss = psutil.Process()
    with background(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        print("\n| page | uncached median (ms) | uncached max (ms) | cached median (ms) |\n|---|---|---|---|")
        for n, path in enumerate(pages):
            sep = "&" if "?" in path else "?"
            # a since date never asked before (by any page): the result cache cannot answer
            cold = [timed(client, f"{path}{sep}since={START + timedelta(days=100 + n * args.repeat + k)}")
                    for k in range(args.repeat)]
            if path.startswith(("/incident/", "/api/incident/")):  # the incident page ignores filters: cached
                cold = [timed(client, path) for _ in range(1)]
            warm = [timed(client, path) for _ in range(args.repeat)]
            print(f"| `{path.replace(incident, 'ID')}` | {statistics.median(cold) * 1000:.0f} | "
                  f"{max(cold) * 1000:.0f} | {statistics.median(warm) * 1000:.1f} |")
        # the load test: bounded in count; 8 at a time; mixed pages and uncached filters
        urls = [f"{pages[k % len(pages)]}" + ("" if "incident/" in pages[k % len(pages)] else
                                              f"?since={START + timedelta(days=k % 60)}") for k in range(args.requests)]
        memory = [rss.memory_info().rss]
        errors = 0
        lock = threading.Lock()

        def hit(url: str) -> float:
            nonlocal errors
            t = time.perf_counter()
            r = client.get(url)
            if r.status_code != 200:
                with lock:
                    errors += 1
            return time.perf_counter() - t

        t0 = time.perf_counter()
        times: list[float] = []
        with ThreadPoolExecutor(8) as pool:
            for k, elapsed in enumerate(pool.map(hit, urls)):
                times.append(elapsed)
                if k % 250 == 0:
                    memory.append(rss.memory_info().rss)
        wall = time.perf_counter() - t0
        memory.append(rss.memory_info().rss)
        times.sort()
        print(f"\nload: {len(urls)} requests, 8 concurrent, {wall:.1f} s ({len(urls) / wall:.0f}/s), {errors} errors, "
              f"median {times[len(times) // 2] * 1000:.0f} ms, p95 {times[int(len(times) * 0.95)] * 1000:.0f} ms; "
              f"RSS MB during: {', '.join(f'{m / 2**20:.0f}' for m in memory)}")
    with Store(args.db, read_only=True) as store:
        out = Path(tempfile.gettempdir()) / "flashpoint-web-speed.html"
        t = time.perf_counter()
        write_report(store, ReportOptions(query=EventQuery(), dyads=("ARM-AZE",), top_incidents=15), out)
        print(f"report for ARM-AZE (whole store, 2 years): {time.perf_counter() - t:.1f} s, "
              f"{out.stat().st_size / 1024:.0f} KB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
