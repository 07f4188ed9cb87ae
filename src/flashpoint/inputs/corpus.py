"""Corpora as streams of documents: files, directories, globs, JSON Lines and CSV, gzipped or not.

:func:`iter_corpus` yields one :class:`CorpusItem` per document (or per input it could not
read) without ever holding the corpus: a directory is walked one folder at a time, JSON Lines
and CSV files are read record by record, ``.gz`` files are decompressed as they are read.
Reading single files and JSON Lines records is :mod:`flashpoint.sources`; this module adds
globs, CSV, gzip and each document's identity, which makes an ingest resumable:

- ``key``: the absolute path, plus ``:N`` for the Nth record of a JSON Lines or CSV file;
- ``content_hash``: a hash of the document's content and of the metadata its source gives.
"""

from __future__ import annotations

import csv
import glob
import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flashpoint.errors import (
    EmptyInputError,
    EncodingInputError,
    FlashpointError,
    InputError,
    RecordError,
    UnreadableError,
)
from flashpoint.inputs import documents as sources
from flashpoint.inputs.documents import Document, Failure
from flashpoint.settings import Settings

#: Input formats of a corpus: those of ``flashpoint analyze`` and CSV.
CORPUS_FORMATS = (*sources.INPUT_FORMATS, "csv")
#: File extensions read from a directory; each may also end in ``.gz``.
CORPUS_EXTENSIONS = {**sources.EXTENSIONS, ".csv": "csv"}
_GLOB_CHARS = frozenset("*?[")
# After this many malformed CSV rows in a row the file is taken to be no CSV at all.
MAX_CSV_ERRORS_IN_A_ROW = 20


@dataclass(frozen=True, slots=True)
class CorpusItem:
    """One document of a corpus (``document``), or an input that could not be read (``failure``)."""

    key: str
    item: Document | Failure
    content_hash: str | None = None

    @property
    def origin(self) -> str:
        return self.item.origin

    @property
    def record_id(self) -> str | None:
        return self.item.id


def content_hash(document: Document) -> str:
    """A hash of what an analysis depends on: the content and the source's metadata."""
    published = document.published.isoformat() if document.published else None
    fields = [document.content, document.kind, document.id, document.title, document.author,
              published, document.url]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def iter_corpus(inputs: Iterable[str], *, input_format: str | None = None,
                settings: Settings) -> Iterator[CorpusItem]:
    """Yield every document of ``inputs`` (files, directories, globs, ``-`` for stdin), in order.

    A directory's files (``.txt .md .markdown .html .htm .jsonl .csv``, each maybe ``.gz``) come
    sorted by path, hidden entries skipped; a glob's matches come sorted. ``input_format``
    overrides the format the extension gives.
    """
    if input_format is not None and input_format not in CORPUS_FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use one of {', '.join(CORPUS_FORMATS)}")
    return _iter_corpus(list(inputs), input_format, settings)


def _iter_corpus(inputs: list[str], fmt: str | None, settings: Settings) -> Iterator[CorpusItem]:
    for source in inputs:
        if source == "-":
            yield from _items(source, "<stdin>", sources.iter_documents("-", input_format=_plain(fmt),
                                                                       settings=settings))
        elif Path(source).is_dir():
            for found in walk(Path(source)):
                if isinstance(found, Failure):
                    yield _failure(found.origin, found.error)
                elif isinstance(found, OSError):
                    where = str(found.filename)
                    yield _failure(where, UnreadableError(f"cannot list the folder: {found.strerror}",
                                                          source=where))
                else:
                    yield from _file(found, fmt, settings)
        elif _GLOB_CHARS & set(source) and not Path(source).exists():
            matches = sorted(glob.iglob(source, recursive=True))
            if not matches:
                yield _failure(source, UnreadableError("no file matches this pattern", source=source))
            for match in matches:
                if Path(match).is_dir():
                    continue
                yield from _file(Path(match), fmt, settings)
        else:
            yield from _file(Path(source), fmt, settings)


def walk(root: Path) -> Iterator[Path | OSError | Failure]:
    """Corpus files under ``root`` in path order, one folder listed at a time; an
    :class:`OSError` for a folder that cannot be listed and a :class:`Failure` for a FIFO, socket
    or device (:func:`~flashpoint.inputs.documents.special_file`), which is never opened."""
    try:
        with os.scandir(root) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(root)
        yield exc
        return
    for entry in entries:
        if entry.name.startswith("."):  # .git, editor folders, hidden files
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from walk(Path(entry.path))
        elif _format_of(Path(entry.name)) is not None:
            path = Path(entry.path)
            yield Failure(entry.path, error) if (error := sources.special_file(path)) else path


def _format_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return CORPUS_EXTENSIONS.get(os.path.splitext(name)[1])


def _plain(fmt: str | None) -> str | None:
    return None if fmt == "csv" else fmt


def _file(path: Path, fmt: str | None, settings: Settings) -> Iterator[CorpusItem]:
    origin = str(path)
    key = os.path.abspath(origin)
    kind = fmt or _format_of(path)
    compressed = path.name.lower().endswith(".gz")
    if not compressed and kind != "csv":
        yield from _items(origin, key, sources.iter_documents(origin, input_format=kind, settings=settings))
        return
    yield from _items(origin, key, _guarded(origin, _read_packed(path, kind, compressed, settings)))


def _read_packed(path: Path, kind: str | None, compressed: bool,
                 settings: Settings) -> Iterator[Document | Failure]:
    origin = str(path)
    with (gzip.open(path, "rb") if compressed else path.open("rb")) as handle:
        if kind == "csv":
            yield from _read_csv(handle, origin, settings)
        else:
            yield from sources.read_stream(handle, origin, input_format=kind, settings=settings)


def _guarded(origin: str, items: Iterator[Document | Failure]) -> Iterator[Document | Failure]:
    """A damaged compressed file ends its documents with a failure, and the run goes on."""
    try:
        yield from items
    except FlashpointError as err:
        yield Failure(origin, err)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Failure(origin, UnreadableError(
            f"the compressed file is damaged or cut short ({exc}); the documents before the "
            "damage were read", source=origin))
    except OSError as exc:
        yield Failure(origin, UnreadableError(f"cannot read: {exc.strerror or exc}", source=origin))


def _items(origin: str, key: str, items: Iterable[Document | Failure]) -> Iterator[CorpusItem]:
    for item in items:
        suffix = item.origin[len(origin):] if item.origin.startswith(origin) else ""
        if isinstance(item, Failure):
            yield CorpusItem(key + suffix, item)
        else:
            yield CorpusItem(key + suffix, item, content_hash(item))


def _failure(where: str, error: FlashpointError) -> CorpusItem:
    return CorpusItem(os.path.abspath(where), Failure(where, error))


def _read_csv(handle: IO[bytes], origin: str, settings: Settings) -> Iterator[Document | Failure]:
    """Records of a CSV file with a header row naming the JSON Lines fields:
    ``id``, ``text`` or ``html``, and optionally ``title``, ``url``, ``author``, ``published``.

    Records are cut by :func:`csv_records` (a record over ``max_bytes`` characters is skipped
    whole, never held in memory) and each is parsed by the csv module alone, so that a bad
    record never puts the reader out of step with the ones after it.
    """
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    # csv's limit is process-wide; it is raised, never lowered, to the largest article allowed
    csv.field_size_limit(max(csv.field_size_limit(), settings.max_bytes))
    records = csv_records(text, settings.max_bytes)
    try:
        header = next(records, None)
        if header is None:
            raise EmptyInputError("the CSV file is empty; it needs a header row and records",
                                  source=origin)
        if header is _TOO_LONG:
            raise sources.too_large("the CSV header", settings, origin)
        columns = [name.strip().lower() for name in _rows(header)[0]] if _rows(header) else []
        mapped = sources.check_fields(settings.fields)
        bodies = {*(c.lower() for f, c in mapped.items() if f in ("text", "html")),
                  *(n for f in ("text", "html") if f not in mapped for n in sources.field_names()[f])}
        if not bodies & set(columns):
            raise RecordError(f"the CSV header ({', '.join(columns)[:200]}) has no `text` or `html` "
                              "column; name the article's column `text` or map it: --field text=COLUMN",
                              source=origin)
        number = errors = 0
        for raw in records:
            number += 1
            where = f"{origin}:{number}"
            if raw is _TOO_LONG:
                yield Failure(where, sources.too_large("record", settings, where))
                continue
            try:
                rows = _rows(raw)
            except csv.Error as exc:
                errors += 1
                yield Failure(where, RecordError(f"malformed CSV record ({exc}); fix or remove it",
                                                 source=where))
                if errors >= MAX_CSV_ERRORS_IN_A_ROW:
                    raise RecordError(f"{errors} malformed records in a row; is this a CSV file?",
                                      source=origin) from exc
                continue
            errors = 0
            row = rows[0] if rows else []
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) > 1 or len(row) != len(columns):
                fields = sum(len(r) for r in rows)
                yield Failure(where, RecordError(f"the record has {fields} fields and the header "
                                                 f"{len(columns)}; fix or remove it", source=where))
                continue
            record = dict(zip(columns, row, strict=True))
            try:
                yield sources.record_document(record, where, settings.fields)
            except FlashpointError as err:
                yield Failure(where, err, record.get("id") or None)
    except UnicodeDecodeError as exc:
        raise EncodingInputError("the CSV file is not valid UTF-8; convert it, e.g. `iconv -f latin1 "
                                 "-t utf-8`", source=origin) from exc


def _rows(record: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(record, newline="")))


# -- CSV records -------------------------------------------------------------------------------

# Where the scanner is in a record (the csv module's excel dialect, not strict): at the start of
# a field, in an unquoted field, in a quoted field, or just after a quote inside a quoted field.
_FIELD, _PLAIN, _QUOTED, _QUOTE = range(4)
_PIECE = 1 << 20  # characters read at a time: a line of any length costs at most this much more
_TOO_LONG = "\x00too long"  # stands for a skipped record (NUL is never in a record csv accepts)


def csv_records(text: IO[str], limit: int) -> Iterator[str]:
    """The raw records of a CSV stream (opened with ``newline=""``), line ends included.

    A record longer than ``limit`` characters comes out as :data:`_TOO_LONG`: it is read to its
    end (quoted line breaks included) in pieces and dropped as it goes, so the next record
    starts where it should and memory stays bounded whatever the record's length.
    """
    parts: list[str] = []
    size, state = 0, _FIELD
    while piece := text.readline(_PIECE):
        state = _scan(piece, state)
        size += len(piece)
        if size <= limit:
            parts.append(piece)
        else:
            parts.clear()
        if state != _QUOTED and piece[-1] in "\r\n":  # the record ends with this line
            yield "".join(parts) if size <= limit else _TOO_LONG
            parts, size, state = [], 0, _FIELD
    if size:
        yield "".join(parts) if size <= limit else _TOO_LONG


def _scan(piece: str, state: int) -> int:
    """The scanner's state after ``piece``; one step per field or quote, not per character."""
    i, n = 0, len(piece)
    while i < n:
        if state == _QUOTED:
            j = piece.find('"', i)
            if j < 0:
                return _QUOTED
            i, state = j + 1, _QUOTE
            continue
        if state == _QUOTE:
            if piece[i] == '"':  # "" inside quotes: a quote character
                i, state = i + 1, _QUOTED
                continue
            state = _PLAIN  # the quoted part ended; the csv module keeps what follows
        elif state == _FIELD:
            if piece[i] == '"':
                i, state = i + 1, _QUOTED
                continue
            state = _PLAIN
        j = piece.find(",", i)  # _PLAIN: the field ends at the next comma or the line end
        if j < 0:
            return _PLAIN
        i, state = j + 1, _FIELD
    return state
