"""Reliability of event ``confidence``: how often an event of a given confidence is right.

    .venv/bin/python benchmarks/confidence.py [--split train test] [--json]

Data: the ConfliBERT CAMEO sentences (``cameo_class/{train,test}.tsv`` under
../shared/benchmarks/raw), each labelled with the PentaClass of its main event (0 statement,
1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict). An
event counts as right when its CAMEO root falls in the sentence's class — a lenient proxy (it
says nothing of the actors), but the only event-level truth the allowed data carries. The
table is reported for every event and for the sentence's most confident event, in confidence
bands of 0.1. Nothing is fitted here: the confidence is the pipeline's own.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "benchmarks" / "raw" / "ConfliBERT" / "data" / "cameo_class"


def sentences(split: str) -> list[tuple[str, int]]:
    path = DATA / f"{split}.tsv"
    if not path.exists():
        sys.exit(f"benchmarks/confidence.py: {path} not found (../shared/benchmarks is needed)")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if text.strip() and label.strip().isdigit():
            rows.append((text.strip(), int(label)))
    return rows


def reliability(split: str) -> dict[str, dict[str, list[int]]]:
    from flashpoint import Pipeline
    from flashpoint.evaluation.runner import cameo_root
    from flashpoint.evaluation.sets import penta_class
    from flashpoint.records import Article

    rows = sentences(split)
    pipe = Pipeline()
    tables: dict[str, dict[str, list[int]]] = {"all": defaultdict(lambda: [0, 0]), "main": defaultdict(lambda: [0, 0])}
    for (_, label), analysis in zip(rows, pipe.analyze_many([(Article(text=t), None) for t, _ in rows]), strict=True):
        if isinstance(analysis, tuple):
            continue
        ranked = sorted(analysis.events, key=lambda e: -e.confidence)
        for rank, event in enumerate(ranked):
            root = cameo_root(event)
            right = root is not None and penta_class(root) == label
            band = f"{min(int(event.confidence * 10), 9) / 10:.1f}"
            for name in ("all", "main") if rank == 0 else ("all",):
                tables[name][band][0] += right
                tables[name][band][1] += 1
    return {name: dict(sorted(t.items())) for name, t in tables.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", nargs="+", default=["train", "test"], choices=["train", "test"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {split: reliability(split) for split in args.split}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for split, tables in results.items():
        print(f"ConfliBERT {split}: share of events whose CAMEO root is in the sentence's PentaClass")
        print("| confidence | every event | the sentence's most confident event |")
        print("|---|---|---|")
        bands = sorted(set(tables["all"]) | set(tables["main"]))
        for band in bands:
            cells = []
            for name in ("all", "main"):
                right, n = tables[name].get(band, [0, 0])
                cells.append(f"{right / n:.2f} (n={n})" if n else "—")
            print(f"| {band}–{float(band) + 0.1:.1f} | {cells[0]} | {cells[1]} |")
        print()


if __name__ == "__main__":
    main()
