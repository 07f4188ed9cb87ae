"""Soak benchmark (issue 12): does the main process of `flashpoint ingest` stay flat in memory?

    .venv/bin/python benchmarks/soak.py [--copies 52] [--workers 2] [--every 1.0]

Builds the corpus of ``benchmarks/corpus.py`` (5,044 documents by default: real news briefs from
../shared and their re-reports, as .txt files, CSV rows and gzip JSON Lines shards) in a
temporary folder and ingests it with the Python API in this process, with ``--workers`` local
worker processes, so that this process is the ingest's main process alone: it reads the corpus,
queues batches, writes the database, links near-duplicates. A thread samples this process's
resident memory (VmRSS in /proc/self/status) every ``--every`` seconds; the progress callback
records how many documents were committed. It prints the curve (RSS against documents
committed), its start, end, peak and the slope over the second half, for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build_corpus  # noqa: E402  (benchmarks/corpus.py, beside this file)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=52, help="re-reports per real article (52: 5,044 documents)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between RSS samples")
    args = parser.parse_args()

    from flashpoint.ingest.run import IngestOptions, ingest, load_rules

    dedup, incident_rules = load_rules()
    options = IngestOptions(workers=args.workers, dedup=dedup, incident_rules=incident_rules)
    samples: list[tuple[float, int, float]] = []  # (seconds, documents committed, RSS MB)
    committed = [0]
    stop = threading.Event()
    started = time.perf_counter()

    def sample() -> None:
        while not stop.wait(args.every):
            samples.append((time.perf_counter() - started, committed[0], rss_mb()))

    def on_batch(report) -> None:
        committed[0] = report.documents

    with tempfile.TemporaryDirectory(prefix="flashpoint-soak-") as folder:
        count, how = build_corpus(Path(folder), args.copies)
        print(f"# corpus: {how}")
        print(f"# main process RSS before the run: {rss_mb():.0f} MB")
        samples.append((0.0, 0, rss_mb()))
        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        report = ingest([folder], Path(folder) / "soak.duckdb", options=options, on_batch=on_batch)
        stop.set()
        thread.join()
        samples.append((time.perf_counter() - started, report.documents, rss_mb()))
    print(f"# {report.documents:,} documents, {report.analysed:,} articles, {report.skipped:,} skipped, "
          f"{report.seconds:.0f} s, {args.workers} workers")
    print("| documents committed | seconds | main process RSS (MB) |")
    print("|---|---|---|")
    step = max(1, count // 10)
    shown = -step
    for seconds, documents, rss in samples:
        if documents - shown >= step or (seconds, documents, rss) == samples[-1]:
            print(f"| {documents:,} | {seconds:.0f} | {rss:.0f} |")
            shown = documents
    # the slope over the second half of the commits (the incident rebuild after the last one left out)
    half = [s for s in samples if count // 2 <= s[1] < report.documents]
    slope = ((half[-1][2] - half[0][2]) / max(1, half[-1][1] - half[0][1]) * 1000) if len(half) > 1 else 0.0
    peak = max(samples, key=lambda s: s[2])
    print(f"# RSS start {samples[0][2]:.0f} MB, end {samples[-1][2]:.0f} MB, peak {peak[2]:.0f} MB at "
          f"{peak[0]:.0f} s ({peak[1]:,} documents committed); second half of the commits: "
          f"{slope:+.1f} MB per 1,000 documents ({len(samples)} samples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
