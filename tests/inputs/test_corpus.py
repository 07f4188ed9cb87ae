"""Streaming corpus readers: directories, globs, JSON Lines, CSV, gzip; document identities."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from flashpoint.errors import InputError
from flashpoint.inputs.corpus import CorpusItem, content_hash, iter_corpus, walk
from flashpoint.inputs.documents import Document, Failure
from flashpoint.settings import Settings

SETTINGS = Settings()
ARTICLE = "Armenia accused Azerbaijan of shelling Jermuk on Tuesday, officials said."


def read(*inputs: str | Path, fmt: str | None = None, settings: Settings = SETTINGS) -> list[CorpusItem]:
    return list(iter_corpus([str(i) for i in inputs], input_format=fmt, settings=settings))


def documents(items: list[CorpusItem]) -> list[Document]:
    return [i.item for i in items if isinstance(i.item, Document)]


def failures(items: list[CorpusItem]) -> list[Failure]:
    return [i.item for i in items if isinstance(i.item, Failure)]


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# -- formats -----------------------------------------------------------------------------------


def test_csv_records_become_documents_with_their_metadata(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text('id,Title,text,published,url\n'
                    f'a1,Border clash,"{ARTICLE}",2022-09-14,https://example.com/a1\n'
                    'a2,,"Line one, with a comma.\nLine two ""quoted"".",,\n', encoding="utf-8")
    items = read(path)
    docs = documents(items)
    assert [d.id for d in docs] == ["a1", "a2"]
    assert docs[0].title == "Border clash" and docs[0].published.isoformat() == "2022-09-14"
    assert docs[0].url == "https://example.com/a1"
    assert docs[1].content == 'Line one, with a comma.\nLine two "quoted".'
    assert docs[1].title is None
    assert [i.key for i in items] == [f"{path.resolve()}:1", f"{path.resolve()}:2"]
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:2"]


@pytest.mark.parametrize("row, reason", [
    ('a3,"only two"', "record"),                      # fields missing
    ('a4,Title,"text",yesterday,', "record"),          # bad date
])
def test_a_bad_csv_record_fails_alone(tmp_path: Path, row: str, reason: str) -> None:
    path = tmp_path / "wire.csv"
    path.write_text(f'id,title,text,published,url\n{row}\nok,T,"{ARTICLE}",,\n', encoding="utf-8")
    items = read(path)
    assert [f.error.code for f in failures(items)] == [reason]
    assert [d.id for d in documents(items)] == ["ok"]


def test_a_csv_without_a_text_column_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("item,amount\ntea,3\n", encoding="utf-8")
    (failure,) = failures(read(path))
    assert "no `text` or `html` column" in failure.error.message


def test_a_csv_that_is_not_utf8_keeps_the_records_read_before(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    good = b"".join(b'%d,"%s %d"\n' % (i, ARTICLE.encode(), i) for i in range(300))  # ~24 KB
    path.write_bytes(b"id,text\n" + good + b"300,caf\xe9\n")
    items = read(path)
    # text is decoded in blocks: the records of the block with the bad byte are lost with it
    assert [d.id for d in documents(items)][:100] == [str(i) for i in range(100)]
    (failure,) = failures(items)
    assert failure.error.code == "encoding" and failure.origin == str(path)


@pytest.mark.parametrize("name", ["stream.jsonl.gz", "wire.csv.gz", "article.txt.gz"])
def test_gzip_files_are_read_as_their_inner_format(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.startswith("stream"):
        body = jsonl([{"id": "x", "text": ARTICLE}, {"id": "y", "text": ARTICLE + " Again."}])
    elif name.startswith("wire"):
        body = f'id,text\nx,"{ARTICLE}"\ny,"{ARTICLE} Again."\n'
    else:
        body = ARTICLE + "\n"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(body)
    docs = documents(read(path))
    assert docs and all(d.content.startswith(ARTICLE) for d in docs)
    assert len(docs) == (1 if name.startswith("article") else 2)


def test_a_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    records = [{"id": str(i), "text": f"{ARTICLE} Number {i}. " + "padding " * 200} for i in range(200)]
    packed = gzip.compress(jsonl(records).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    items = read(path)
    docs = documents(items)
    assert 0 < len(docs) < 200 and [d.id for d in docs] == [str(i) for i in range(len(docs))]
    (failure,) = failures(items)
    assert failure.error.code == "unreadable" and "damaged or cut short" in failure.error.message


def test_a_file_that_is_not_gzip_despite_its_name_fails(tmp_path: Path) -> None:
    path = tmp_path / "fake.jsonl.gz"
    path.write_text(jsonl([{"id": "x", "text": ARTICLE}]), encoding="utf-8")
    (failure,) = failures(read(path))
    assert failure.error.code == "unreadable"


# -- directories and globs -----------------------------------------------------------------------


def make_tree(root: Path) -> None:
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "b" / "deep" / "c.md").write_text("# Title\n\n" + ARTICLE, encoding="utf-8")
    (root / "b" / "d.csv").write_text(f'id,text\nd1,"{ARTICLE}"\n', encoding="utf-8")
    (root / "b" / "e.jsonl.gz").write_bytes(gzip.compress(jsonl([{"id": "e1", "text": ARTICLE}]).encode()))
    (root / "b" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / ".git" / "x.txt").write_text("hidden", encoding="utf-8")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")


def test_a_directory_is_walked_in_path_order_without_hidden_or_foreign_files(tmp_path: Path) -> None:
    make_tree(tmp_path)
    keys = [i.key for i in read(tmp_path)]
    root = str(tmp_path.resolve())
    assert keys == [f"{root}/a.txt", f"{root}/b/d.csv:1", f"{root}/b/deep/c.md", f"{root}/b/e.jsonl.gz:1"]


def test_walk_is_a_stream(tmp_path: Path) -> None:
    make_tree(tmp_path)
    walker = walk(tmp_path)
    assert next(walker) == tmp_path / "a.txt"  # the first file comes before the rest is listed


def test_a_glob_expands_sorted_and_an_empty_glob_is_reported(tmp_path: Path) -> None:
    make_tree(tmp_path)
    items = read(tmp_path / "**" / "*.csv", tmp_path / "nothing-*.jsonl")
    assert [d.id for d in documents(items)] == ["d1"]
    (failure,) = failures(items)
    assert "no file matches" in failure.error.message


def test_relative_and_absolute_paths_give_the_same_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert [i.key for i in read("b")] == [i.key for i in read(tmp_path / "b")]


def test_a_missing_file_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    (failure,) = failures(read(tmp_path / "missing.jsonl"))
    assert failure.error.code == "unreadable"


def test_an_unknown_input_format_is_refused() -> None:
    with pytest.raises(InputError, match="unknown input format"):
        iter_corpus(["x"], input_format="pdf", settings=SETTINGS)


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "export.dat"
    path.write_text(f'id,text\nz,"{ARTICLE}"\n', encoding="utf-8")
    assert [d.id for d in documents(read(path, fmt="csv"))] == ["z"]


# -- identity ---------------------------------------------------------------------------------


def test_content_hash_follows_content_and_metadata() -> None:
    doc = Document(ARTICLE, "text", id="a")
    assert content_hash(doc) == content_hash(Document(ARTICLE, "text", id="a"))
    assert content_hash(doc) != content_hash(Document(ARTICLE + " ", "text", id="a"))
    assert content_hash(doc) != content_hash(Document(ARTICLE, "text", id="a", title="New"))


def test_failures_have_no_content_hash(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    items = read(path)
    assert [i.content_hash is None for i in items] == [False, True]


def test_memory_stays_flat_on_a_long_stream(tmp_path: Path) -> None:
    """20,000 records are read one at a time: the reader holds none of the earlier ones."""
    import tracemalloc

    path = tmp_path / "long.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(20_000):
            f.write(json.dumps({"id": str(i), "text": f"{ARTICLE} {i} " + "word " * 100}) + "\n")
    items = iter_corpus([str(path)], settings=SETTINGS)
    tracemalloc.start()
    for n, _ in enumerate(items):
        if n == 1_000:
            early = tracemalloc.get_traced_memory()[0]
    late = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert n == 19_999
    assert late < early + 200_000, (early, late)


def test_keys_are_absolute(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert all(os.path.isabs(i.key) for i in read(tmp_path))
