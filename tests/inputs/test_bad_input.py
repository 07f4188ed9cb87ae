"""Hostile and unlucky inputs (issue 12, "Hardening"): every reader bounds what one record can
cost, skips what it cannot read with a reason, and goes on with the rest."""

from __future__ import annotations

import json
from pathlib import Path

from flashpoint.inputs.corpus import CorpusItem, iter_corpus
from flashpoint.inputs.documents import Document, iter_documents
from flashpoint.settings import Settings

SETTINGS = Settings()
ARTICLE = "Armenia accused Azerbaijan of shelling Jermuk on Tuesday, officials said."


def corpus(*inputs: str | Path, fmt: str | None = None, settings: Settings = SETTINGS) -> list[CorpusItem]:
    return list(iter_corpus([str(i) for i in inputs], input_format=fmt, settings=settings))


def kinds(items: list) -> list[str]:
    """"doc" or the failure's reason code, per item, in order."""
    items = [getattr(i, "item", i) for i in items]
    return ["doc" if isinstance(i, Document) else i.error.code for i in items]


# -- fault 2: a record nested thousands of levels deep -------------------------------------------

DEEP = '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"


def test_a_deeply_nested_jsonl_record_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "text": ARTICLE})
    path.write_text(f"{good}\n{DEEP}\n{good}\n", encoding="utf-8")
    items = list(iter_documents(str(path), settings=SETTINGS))
    assert kinds(items) == ["doc", "record", "doc"]
    assert "nested" in items[1].error.message
    assert kinds(corpus(path)) == ["doc", "record", "doc"]


def test_a_deeply_nested_first_line_is_skipped_too(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(f"{DEEP}\n" + json.dumps({"id": "ok", "text": ARTICLE}) + "\n", encoding="utf-8")
    assert kinds(iter_documents(str(path), settings=SETTINGS)) == ["record", "doc"]
    other = tmp_path / "feed.data"  # sniffed: a deep object on the first line is still JSON Lines
    other.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert kinds(iter_documents(str(other), settings=SETTINGS)) == ["record", "doc"]
