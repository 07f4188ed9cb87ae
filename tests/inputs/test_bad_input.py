"""Hostile and unlucky inputs (issue 12, "Hardening"): every reader bounds what one record can
cost, skips what it cannot read with a reason, and goes on with the rest."""

from __future__ import annotations

import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

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


# -- fault 3: a CSV field over the size limit ----------------------------------------------------


def test_an_oversized_csv_record_is_skipped_whole_and_the_next_one_read(tmp_path: Path) -> None:
    """The csv module used to resume in the middle of the oversized field: the next record was
    lost and each line of the field became a record."""
    line = 'garbage,""x"",https://evil.example/,' + ARTICLE + "\n"
    huge = line * (SETTINGS.max_bytes // len(line) + 10)  # 20 MB and more, quoted, many lines
    path = tmp_path / "wire.csv"
    path.write_text(f'id,text\n1,"{ARTICLE}"\n2,"{huge}"\n3,"{ARTICLE} Three."\n4,"{ARTICLE}"\n',
                    encoding="utf-8")
    items = corpus(path)
    assert kinds(items) == ["doc", "too_large", "doc", "doc"]
    assert [i.item.id for i in items if isinstance(i.item, Document)] == ["1", "3", "4"]
    assert [i.origin for i in items] == [f"{path}:{n}" for n in (1, 2, 3, 4)]


def test_csv_quotes_and_line_breaks_inside_fields_still_read(tmp_path: Path) -> None:
    settings = Settings(max_bytes=200)
    path = tmp_path / "wire.csv"
    path.write_bytes(b'id,title,text\r\n1,"A ""quoted"", title","line one\r\nline, two"\r\n'
                     b'2,plain "inner" quote,"' + ARTICLE.encode() + b'"\r\n'
                     b'3,,"' + b"long " * 60 + b'"\n4,,"after, the ""long"" one"')
    items = corpus(path, settings=settings)
    assert kinds(items) == ["doc", "doc", "too_large", "doc"]
    docs = [i.item for i in items if isinstance(i.item, Document)]
    assert docs[0].title == 'A "quoted", title' and docs[0].content == "line one\r\nline, two"
    assert docs[1].title == 'plain "inner" quote'
    assert docs[2].content == 'after, the "long" one'


def test_a_huge_line_in_a_gzipped_csv_takes_bounded_memory(tmp_path: Path) -> None:
    import gzip
    import tracemalloc

    path = tmp_path / "wire.csv.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"id,text\n1,")
        for _ in range(40):
            out.write(b"x" * 1_000_000)  # one 40 MB line
        out.write(b'\n2,"' + ARTICLE.encode() + b'"\n')
    tracemalloc.start()
    try:
        items = corpus(path, settings=Settings(max_bytes=100_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert kinds(items) == ["too_large", "doc"]
    assert peak < 10_000_000, f"peak {peak:,} bytes"


# -- fault 4: a FIFO (or any file that is not a regular file) in an input directory ---------------


@pytest.fixture
def folder_with_fifo(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "b.txt")  # nobody ever writes to it: opening it would block for ever
    (folder / "c.jsonl").write_text(json.dumps({"id": "c", "text": ARTICLE}) + "\n", encoding="utf-8")
    return folder


@contextmanager
def deadline(seconds: float):
    def expire(signum, frame):
        raise TimeoutError("the reader hung")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_fifo_in_a_directory_is_skipped_not_opened(folder_with_fifo: Path) -> None:
    with deadline(5):
        items = list(iter_documents(str(folder_with_fifo), settings=SETTINGS))
    assert kinds(items) == ["doc", "unreadable", "doc"]
    assert "not a regular file" in items[1].error.message
    assert items[1].origin.endswith("b.txt")


def test_a_fifo_in_a_corpus_directory_is_skipped_not_opened(folder_with_fifo: Path) -> None:
    with deadline(5):
        items = corpus(folder_with_fifo)
    assert kinds(items) == ["doc", "unreadable", "doc"]
    assert "not a regular file" in items[1].item.error.message


# -- fault 10: fields under their usual names, any other mapped by --field ------------------------


def test_csv_columns_under_their_usual_names_are_recognised(tmp_path: Path) -> None:
    """The Wikinews CSV (url,date,title,text): 118 of 122 articles were stored undated."""
    path = tmp_path / "wikinews.csv"
    path.write_text(f'url,date,title,text\nhttps://example.com/a,2019-01-04,Clash,"{ARTICLE}"\n'
                    f'https://example.com/b,"Jan 5, 2020",Clash,"{ARTICLE}"\n', encoding="utf-8")
    docs = [i.item for i in corpus(path)]
    assert [d.published.isoformat() for d in docs] == ["2019-01-04", "2020-01-05"]
    assert docs[0].url == "https://example.com/a"


@pytest.mark.parametrize("record, published", [
    ({"id": "1", "body": ARTICLE, "pubdate": "2020-01-05T10:00:00Z", "link": "https://x.example/1"}, "2020-01-05"),
    ({"id": "2", "content": ARTICLE, "publish_date": "5 January 2020"}, "2020-01-05"),
    ({"id": "3", "text": ARTICLE, "datetime": "Sun, 05 Jan 2020 10:00:00 +0000"}, "2020-01-05"),
    ({"id": "4", "text": ARTICLE, "timestamp": 1578218400}, "2020-01-05"),
    ({"id": "5", "text": ARTICLE, "published": "January 5, 2020"}, "2020-01-05"),
    ({"id": "6", "text": ARTICLE, "date": "not a date at all"}, None),  # an alias that is no date: ignored
])
def test_jsonl_fields_under_their_usual_names_are_recognised(tmp_path: Path, record: dict,
                                                             published: str | None) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = iter_documents(str(path), settings=SETTINGS)
    assert isinstance(doc, Document), doc
    assert doc.content == ARTICLE
    assert (doc.published.isoformat() if doc.published else None) == published
    if "link" in record:
        assert doc.url == record["link"]


def test_any_other_column_is_mapped_with_field(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(f'Fecha,Cuerpo,id\n2020-01-05,"{ARTICLE}",a\n', encoding="utf-8")
    settings = Settings(fields=(("published", "Fecha"), ("text", "cuerpo")))
    (doc,) = [i.item for i in corpus(path, settings=settings)]
    assert isinstance(doc, Document), doc
    assert doc.published.isoformat() == "2020-01-05" and doc.content == ARTICLE
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "b", "text": ARTICLE, "when": "yesterday"}) + "\n", encoding="utf-8")
    (failure,) = iter_documents(str(path), settings=Settings(fields=(("published", "when"),)))
    assert failure.error.code == "record" and "when" in failure.error.message


# -- fault 8: short texts in other scripts -------------------------------------------------------


@pytest.mark.parametrize("text", [
    "亚美尼亚指责阿塞拜疆炮击杰尔穆克镇。俄罗斯敦促双方保持克制。",
    "Армения обвинила Азербайджан в обстреле. Россия призвала к сдержанности.",
    "اتهمت أرمينيا أذربيجان بقصف بلدة جيرموك.",
])
def test_a_short_text_in_another_script_is_not_english(text: str) -> None:
    from flashpoint.errors import LanguageError
    from flashpoint.inputs.clean import document_from_string, to_article

    with pytest.raises(LanguageError, match="Latin"):
        to_article(document_from_string(text), settings=SETTINGS)


def test_an_english_text_quoting_other_scripts_is_english() -> None:
    from flashpoint.inputs.clean import document_from_string, to_article

    text = (f"{ARTICLE} The foreign minister, Wang Yi (王毅), met Sergei Lavrov (Сергей Лавров) in Beijing "
            "and said that China backed talks between the two sides.")
    assert to_article(document_from_string(text), settings=SETTINGS).text == text
