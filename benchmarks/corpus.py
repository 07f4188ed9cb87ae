"""Corpus-ingest benchmark (issue 7): `flashpoint ingest` on ≥ 5,000 articles of real news text.

    .venv/bin/python benchmarks/corpus.py [--copies 52] [--configs local:1 local:2 dask:2] [--json]

The corpus is built at run time in a temporary folder from the 96 full articles of the
Giveme5W1H gold set and the seed article under ../shared (never copied into the project).
Each is cut to its first sentences, about 350 words (a news brief; the full articles average
700 words and would make one run take most of an hour on 2 cores), and written ``--copies`` times (52 × 97 = 5,044), every copy but the first varied the
way re-reports vary — re-dated (a new dateline and publication date), paragraphs after the
first shuffled, a paragraph dropped, a word in twenty swapped for another, an outlet line added —
so that most documents are near-duplicates of one original, as in a crisis news stream. It is
written as the formats the ingest reads: gzip JSON Lines shards, a CSV file and a folder of
text files.

Each configuration runs `flashpoint ingest` (the Python API) in a fresh process on a fresh
database and reports wall time, articles/s and events/s (start-up and the incident rebuild
included), the peak RSS of every worker and of the parent, and CPU seconds. Parallel
efficiency is (rate with N workers) / (N × rate with 1). Configurations: ``local:N`` (N local
worker processes; 1 = in the parent), ``dask:N`` (a Dask LocalCluster of N one-thread worker
processes on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLD = SHARED / "benchmarks/raw/Giveme5W1H/Giveme5W1H/examples/datasets/gold_standard/data"
SEED = SHARED / "examples" / "seed-article.html"
OUTLETS = ("Global Wire", "The Daily Courier", "Evening Standard-Times", "Metro News Service",
           "The Observer Post", "Regional Herald", "World Report", "Capital Dispatch")


BRIEF_WORDS = 350


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z])")


def brief(text: str) -> str:
    """The first sentences of an article, about BRIEF_WORDS words, as paragraphs of three
    sentences (the Giveme5W1H texts come as one block)."""
    sentences: list[str] = []
    words = 0
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        if sentences and words + len(sentence.split()) > BRIEF_WORDS:
            break
        sentences.append(sentence)
        words += len(sentence.split())
    return "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def base_articles() -> list[dict]:
    """The 97 real articles as {title, text, published, outlet}, each cut to a news brief."""
    from flashpoint.inputs import clean as ingest
    from flashpoint.settings import Settings

    articles = []
    for path in sorted(GOLD.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        text, lede = record.get("text") or "", record.get("description") or ""
        body = text if text.startswith(lede[:60]) else f"{lede}\n\n{text}"  # the lede is often the description
        published = str(record.get("date_publish") or "")[:10]
        published = published if published[:2] in ("19", "20") else None
        articles.append({"title": record.get("title"), "text": brief(body), "published": published,
                         "outlet": record.get("publisher")})
    if SEED.exists():
        article = ingest.to_article(ingest.document_from_string(SEED.read_text(encoding="utf-8")),
                                    settings=Settings())
        articles.append({"title": article.title, "text": brief(article.text), "published": "2022-09-15",
                         "outlet": article.outlet})
    if len(articles) < 90:
        sys.exit(f"benchmark data missing: found {len(articles)} articles under {GOLD}")
    return articles


def vary(article: dict, n: int, rng: random.Random) -> dict:
    """The nth re-report of an article (n = 0 is the article itself)."""
    if n == 0:
        return dict(article, id=f"{article['id']}-0")
    paragraphs = [p for p in article["text"].split("\n\n") if p.strip()]
    if len(paragraphs) > 3:
        rest = paragraphs[1:]
        rng.shuffle(rest)
        if rng.random() < 0.5:
            rest.pop(rng.randrange(len(rest)))
        paragraphs = [paragraphs[0], *rest]
    words = "\n\n".join(paragraphs).split(" ")
    vocabulary = [w for w in words if w.isalpha() and len(w) > 3] or ["report"]
    for i in rng.sample(range(len(words)), k=len(words) // 20):
        if words[i].isalpha():
            words[i] = rng.choice(vocabulary)
    published = date.fromisoformat(article["published"] or "2022-01-01") + timedelta(days=rng.randint(0, 3))
    outlet = OUTLETS[n % len(OUTLETS)]
    dateline = f"{outlet.upper()}, {published:%B} {published.day}, {published.year} —"
    text = f"{dateline} " + " ".join(words) + f"\n\nThis report was distributed by {outlet}."
    return {"id": f"{article['id']}-{n}", "title": article["title"], "text": text,
            "published": published.isoformat(), "outlet": outlet}


def build_corpus(folder: Path, copies: int, seed: int = 7) -> tuple[int, str]:
    rng = random.Random(seed)
    bases = base_articles()
    for i, article in enumerate(bases):
        article["id"] = f"a{i:03d}"
    documents = [vary(a, n, rng) for n in range(copies) for a in bases]
    rng.shuffle(documents)
    shards = 4
    text_files, csv_rows = documents[:100], documents[100:600]
    rest = documents[600:]
    (folder / "texts").mkdir()
    for doc in text_files:
        (folder / "texts" / f"{doc['id']}.txt").write_text(f"{doc['title']}\n\n{doc['text']}\n", encoding="utf-8")
    with (folder / "wire.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=("id", "title", "text", "published"))
        writer.writeheader()
        writer.writerows({k: d[k] for k in ("id", "title", "text", "published")} for d in csv_rows)
    for s in range(shards):
        with gzip.open(folder / f"stream-{s}.jsonl.gz", "wt", encoding="utf-8") as f:
            for doc in rest[s::shards]:
                f.write(json.dumps({k: doc[k] for k in ("id", "title", "text", "published")}) + "\n")
    words = sum(len(d["text"].split()) for d in documents)
    how = (f"{len(bases)} real articles ({len(bases) - 1} Giveme5W1H + the seed) × {copies} "
           f"re-reports = {len(documents):,} documents, {words:,} words: 100 .txt files, "
           f"{len(csv_rows)} CSV rows, {len(rest):,} records in {shards} gzip JSON Lines shards")
    return len(documents), how


def measure(config: str, corpus_dir: Path, db: Path, batch_size: int) -> dict:
    """Run one configuration in this (fresh) process."""
    from flashpoint.ingest.run import IngestOptions, ingest, load_rules

    kind, n = config.split(":")
    dedup, incident_rules = load_rules()
    cluster = None
    options = IngestOptions(workers=int(n) if kind == "local" else 1, batch_size=batch_size,
                            dedup=dedup, incident_rules=incident_rules)
    if kind == "dask":
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=int(n), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        options = IngestOptions(scheduler=cluster.scheduler_address, batch_size=batch_size,
                                dedup=dedup, incident_rules=incident_rules)
    sources = [str(corpus_dir / "texts"), str(corpus_dir / "wire.csv"), str(corpus_dir / "stream-*.jsonl.gz")]
    cpu0 = os.times()
    start = time.perf_counter()
    report = ingest(sources, db, options=options)
    wall = time.perf_counter() - start
    cpu1 = os.times()
    if cluster is not None:
        cluster.close()
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    counts = dict(con.execute(
        "SELECT 'articles', count(*) FROM articles UNION ALL SELECT 'near_duplicates', count(*) FROM articles "
        "WHERE duplicate_of IS NOT NULL UNION ALL SELECT 'events', count(*) FROM events UNION ALL "
        "SELECT 'incidents', count(*) FROM incidents UNION ALL SELECT 'multi_source_incidents', count(*) "
        "FROM incidents WHERE source_count > 1 UNION ALL SELECT 'documents', count(*) FROM documents "
        "UNION ALL SELECT 'skipped', count(*) FROM skipped").fetchall())
    con.close()
    articles = report.analysed + report.copies
    return {
        "config": config, "wall_s": round(wall, 1), "articles": articles, "events": report.events,
        "articles_per_s": round(articles / wall, 2), "events_per_s": round(report.events / wall, 1),
        "near_duplicates": report.duplicates, "skipped": report.skipped, "incidents": report.incidents,
        "worker_peak_rss_mb": sorted(round(v) for v in report.worker_rss_mb.values()),
        "parent_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cpu_s_parent": round(cpu1.user - cpu0.user + cpu1.system - cpu0.system, 1),
        "cpu_s_children": round(cpu1.children_user - cpu0.children_user, 1),
        "load_average_after": round(os.getloadavg()[0], 2), "db_counts": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=52, help="re-reports per real article")
    parser.add_argument("--configs", nargs="+", default=["local:1", "local:2", "dask:2"])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the databases in DIR")
    parser.add_argument("--measure", nargs=3, metavar=("CONFIG", "CORPUS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        config, corpus_dir, db = args.measure
        print(json.dumps(measure(config, Path(corpus_dir), Path(db), args.batch_size)))
        return
    with tempfile.TemporaryDirectory(prefix="flashpoint-corpus-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        documents, how = build_corpus(folder, args.copies)
        print(f"corpus: {how}", file=sys.stderr)
        # every configuration runs the same code and data files, even if the work tree changes
        # meanwhile: a snapshot of the package goes first on the path (spawned workers inherit it)
        snapshot = Path(tmp) / "src"
        shutil.copytree(REPO / "src" / "flashpoint", snapshot / "flashpoint",
                        ignore=shutil.ignore_patterns("__pycache__"))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(snapshot), os.environ.get("PYTHONPATH")])))
        results = []
        for config in args.configs:
            db = Path(tmp) / f"{config.replace(':', '-')}.duckdb"
            run = subprocess.run([sys.executable, __file__, "--batch-size", str(args.batch_size),
                                  "--measure", config, str(folder), str(db)],
                                 capture_output=True, text=True, check=False, env=env)
            if run.returncode != 0:
                sys.exit(f"{config} failed:\n{run.stderr[-3000:]}")
            results.append(json.loads(run.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), file=sys.stderr)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy2(db, args.keep / db.name)
    one = next((r for r in results if r["config"] == "local:1"), None)
    for r in results:
        n = int(r["config"].split(":")[1])
        r["efficiency"] = round(r["articles_per_s"] / (n * one["articles_per_s"]), 3) if one else None
    summary = {"corpus": how, "documents": documents, "machine": f"{platform.machine()}, "
               f"{os.cpu_count()} cores, Python {platform.python_version()}", "results": results}
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"corpus: {how}")
    print("| configuration | wall s | articles/s | events/s | efficiency | worker peak RSS MB | parent peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['config']} | {r['wall_s']} | {r['articles_per_s']} | {r['events_per_s']} | "
              f"{r['efficiency']} | {', '.join(map(str, r['worker_peak_rss_mb']))} | {r['parent_peak_rss_mb']} |")


if __name__ == "__main__":
    main()
