"""Speed benchmark: Flashpoint's full analysis against raw spaCy parsing, in one run.

    .venv/bin/python benchmarks/speed.py [--processes 1 2] [--repeat 3] [--json]

The corpus is real-world news: the 96 full articles of the Giveme5W1H gold set and the seed
article (read from ../shared at run time, never copied into the project), plus the bundled
samples; repeated --repeat times. For each process count it measures, on the same texts:

- raw: ``nlp.pipe`` over the article texts (tokenise, tag, parse, NER) — the floor, since
  Flashpoint cannot be faster than the parser it reads;
- full: ``Pipeline.analyze_many`` (spaCy plus actors, dates, certainty, events);

and reports words/s, sentences/s, articles/s, the ratio full/raw, and the peak RSS of each
worker process. Processes split the corpus into equal shares and load the model once each.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def corpus(repeat: int) -> tuple[list[str], str]:
    from flashpoint.inputs import clean as ingest
    from flashpoint.settings import Settings

    settings = Settings()
    texts: list[str] = []
    sources = []
    gold = SHARED / "benchmarks/raw/Giveme5W1H/Giveme5W1H/examples/datasets/gold_standard/data"
    if gold.is_dir():
        for path in sorted(gold.glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            body = "\n\n".join(p for p in (record.get("title"), record.get("description"), record.get("text")) if p)
            texts.append(body)
        sources.append(f"{len(texts)} Giveme5W1H articles")
    seed = SHARED / "examples" / "seed-article.html"
    if seed.exists():
        doc = ingest.document_from_string(seed.read_text(encoding="utf-8"))
        texts.append(ingest.to_article(doc, settings=settings).text)
        sources.append("the seed article")
    samples = sorted((REPO / "src/flashpoint/data/samples").glob("*.txt"))
    texts.extend(p.read_text(encoding="utf-8") for p in samples)
    sources.append(f"{len(samples)} bundled samples")
    return texts * repeat, ", ".join(sources) + f", repeated {repeat}×"


def _worker(args: tuple[str, list[str]]) -> dict[str, float]:
    mode, texts = args
    from flashpoint import Pipeline
    from flashpoint.records import Article

    pipe = Pipeline()
    pipe.nlp("warm up the model.")
    start = time.perf_counter()
    sentences = 0
    if mode == "raw":
        for doc in pipe.nlp.pipe(texts, batch_size=pipe.settings.batch_size):
            sentences += sum(1 for _ in doc.sents)
    else:
        for analysis in pipe.analyze_many((Article(text=t), None) for t in texts):
            if not isinstance(analysis, tuple):
                sentences += len(analysis.sentences)
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"elapsed": elapsed, "sentences": sentences, "articles": len(texts), "rss_mb": rss_mb}


def measure(mode: str, texts: list[str], processes: int) -> dict[str, float]:
    shares = [texts[i::processes] for i in range(processes)]
    ctx = mp.get_context("spawn")  # a clean process per worker, as a user's run would be
    with ctx.Pool(processes) as pool:
        start = time.perf_counter()
        parts = pool.map(_worker, [(mode, share) for share in shares])
        wall = time.perf_counter() - start
    # the parallel wall time counts only the analysis, not the model loads: the slowest worker
    elapsed = max(p["elapsed"] for p in parts)
    return {
        "processes": processes,
        "articles_per_s": sum(p["articles"] for p in parts) / elapsed,
        "words_per_s": sum(len(t.split()) for t in texts) / elapsed,
        "sentences_per_s": sum(p["sentences"] for p in parts) / elapsed,
        "peak_rss_mb_per_worker": max(p["rss_mb"] for p in parts),
        "elapsed_s": elapsed,
        "wall_with_startup_s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    texts, described = corpus(args.repeat)
    total_words = sum(len(t.split()) for t in texts)
    rows = []
    for n in args.processes:
        raw = measure("raw", texts, n)
        full = measure("full", texts, n)
        rows.append({"processes": n, "raw": raw, "full": full, "ratio": full["words_per_s"] / raw["words_per_s"]})
    report = {
        "corpus": described,
        "articles": len(texts),
        "words": total_words,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "rows": rows,
    }
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return
    print(f"corpus: {described}: {len(texts)} articles, {total_words:,} words")
    print(f"machine: {report['machine']}")
    print(f"{'proc':>4} {'mode':>5} {'words/s':>9} {'sent/s':>8} {'art/s':>7} {'RSS MB':>7} {'full/raw':>8}")
    for row in rows:
        for mode in ("raw", "full"):
            m = row[mode]
            ratio = f"{row['ratio']:.2f}" if mode == "full" else ""
            print(f"{row['processes']:>4} {mode:>5} {m['words_per_s']:>9,.0f} {m['sentences_per_s']:>8,.1f} "
                  f"{m['articles_per_s']:>7,.2f} {m['peak_rss_mb_per_worker']:>7,.0f} {ratio:>8}")


if __name__ == "__main__":
    main()
