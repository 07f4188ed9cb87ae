"""Fuzz tests (issue 12): whatever bytes come in, the readers yield documents or failures and
``analyze`` returns an Analysis or raises a FlashpointError, never another exception.

Examples are bounded (few, short, derandomized) so that ``make test`` stays fast; CI runs them
with the rest of the suite. Raise ``FUZZ_EXAMPLES`` in the environment for a longer search.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashpoint.errors import FlashpointError
from flashpoint.inputs.clean import to_article
from flashpoint.inputs.corpus import iter_corpus
from flashpoint.inputs.documents import Document, Failure, read_stream
from flashpoint.records import Analysis
from flashpoint.settings import Settings

SMALL = Settings(max_bytes=4_000, max_chars=3_000)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Pieces of the formats the readers know, glued at random: random bytes alone rarely get past
# the first check of any reader.
FRAGMENTS = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"\r\n", b"\r", b'"text"', b'"html"', b'"id"',
             b'"published"', b"null", b"1e999", b"\\u0000", b"\x00", b"\x1b[2J", b"&#27;", b"<p>", b"</p>",
             b"<html>", b"<!doctype html>", b"# ", b"**", b"[a](b)", b"id,text\n", b'""', b"\xef\xbb\xbf",
             b"\xff\xfe", b"\xe9", b"Armenia accused Azerbaijan of shelling Jermuk on Tuesday. ",
             b"2022-09-15", b"By Jane Doe", b"YEREVAN, Sept. 14 (Reuters) - "]
raw = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(b"".join),
)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)
records = st.dictionaries(st.sampled_from(["id", "text", "html", "title", "url", "author", "published",
                                           "date", "body", "link", "timestamp"]), json_values, max_size=6)


def _drain(items) -> list[Document | Failure]:
    out = list(items)
    assert all(isinstance(getattr(i, "item", i), (Document, Failure)) for i in out)
    return out


def _clean(items: list) -> None:
    for item in items:
        document = getattr(item, "item", item)
        if isinstance(document, Document):
            try:
                to_article(document, settings=SMALL)
            except FlashpointError:
                pass


@FUZZ
@given(data=raw, fmt=st.sampled_from([None, "text", "markdown", "html", "jsonl"]))
def test_any_bytes_read_as_documents_or_failures(data: bytes, fmt: str | None) -> None:
    _clean(_drain(read_stream(io.BytesIO(data), "<fuzz>", input_format=fmt, settings=SMALL)))


@FUZZ
@given(data=raw, name=st.sampled_from(["a.csv", "a.jsonl", "a.txt", "a.html", "a.md", "a.csv.gz",
                                       "a.jsonl.gz"]), pack=st.booleans())
def test_any_file_in_a_corpus_reads_as_documents_or_failures(data: bytes, name: str, pack: bool) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder, name)
        path.write_bytes(gzip.compress(data) if pack and name.endswith(".gz") else data)
        _clean(_drain(iter_corpus([folder], settings=SMALL)))


@FUZZ
@given(lines=st.lists(records, max_size=5))
def test_any_json_records_read_as_documents_or_failures(lines: list[dict]) -> None:
    data = "".join(json.dumps(r) + "\n" for r in lines).encode()
    _clean(_drain(read_stream(io.BytesIO(data), "<fuzz>", input_format="jsonl", settings=SMALL)))


@FUZZ
@given(data=raw)
def test_analyze_gives_an_analysis_or_a_flashpoint_error(pipeline, data: bytes) -> None:
    for value in (data, data.decode("utf-8", "replace")):
        try:
            result = pipeline.analyze(value)
        except FlashpointError:
            continue
        assert isinstance(result, Analysis)
