"""Fingerprint every analysis Flashpoint makes of a fixed set of inputs, to prove a refactor
changed nothing: the seed article (HTML and Markdown), the bundled samples and every record of
the evaluation sets, analysed exactly as ``flashpoint eval`` builds them.

    python benchmarks/snapshot.py > before.tsv      # on the old commit
    python benchmarks/snapshot.py > after.tsv       # on the new one
    cmp before.tsv after.tsv                        # byte-identical analyses

Each line is ``name<TAB>sha256 of the analysis JSON`` (sorted keys); ``--full`` prints the JSON
itself instead of its hash, for diffing when the hashes differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _inputs(data_dir: Path) -> Iterator[tuple[str, object]]:
    """(name, Article or (text, published)) for every input, in a fixed order."""
    from flashpoint.evaluation.sets import SETS
    from flashpoint.records import Article

    for name in ("seed-article.html", "seed-article.md"):
        path = SHARED / "examples" / name
        if path.exists():
            yield name, (path.read_text(encoding="utf-8"), "2022-09-15")
    samples = sorted((REPO / "src" / "flashpoint" / "data").rglob("samples/*.txt"))
    for path in samples:
        yield f"sample/{path.name}", (path.read_text(encoding="utf-8"), None)
    for set_name in ("plover-gsr", "conflibert-cameo", "wiki-weasel", "giveme5w1h"):
        bench = SETS[set_name]
        if bench.missing_files(data_dir):
            print(f"# {set_name}: missing, not fingerprinted", file=sys.stderr)
            continue
        for i, record in enumerate(bench.records(data_dir)):
            if set_name == "giveme5w1h":
                article = Article(
                    text=record.text, title=record.title, published=record.published, published_source="metadata"
                )
            else:
                article = Article(text=record.text)
            yield f"{set_name}/{i}", article


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "benchmarks" / "raw")
    parser.add_argument("--full", action="store_true", help="print the analysis JSON, not its hash")
    args = parser.parse_args(argv)

    from flashpoint import Pipeline

    pipe = Pipeline()
    for name, item in _inputs(args.data):
        if isinstance(item, tuple):
            text, published = item
            analysis = pipe.analyze(text, published=published)
        else:
            analysis = pipe.analyze_article(item)
        blob = json.dumps(analysis.to_dict(), sort_keys=True, ensure_ascii=False)
        print(f"{name}\t{blob if args.full else hashlib.sha256(blob.encode()).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
