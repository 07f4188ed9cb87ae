"""Reading inputs into :class:`Document` records: files, directories, stdin and JSON Lines.

:func:`iter_documents` checks size (before reading), binary content and encoding, and yields
a :class:`Failure` for an input it cannot read so that a batch goes on. Cleaning a document
into an article is :func:`flashpoint.ingest.to_article`.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import stat
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO

from flashpoint.errors import (
    BinaryInputError,
    DataFileError,
    EncodingInputError,
    FlashpointError,
    InputError,
    RecordError,
    TooLargeError,
    UnreadableError,
)
from flashpoint.resources import data_file
from flashpoint.settings import Settings

INPUT_FORMATS = ("text", "markdown", "html", "jsonl")
EXTENSIONS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
              ".htm": "html", ".jsonl": "jsonl"}


@dataclass(frozen=True, slots=True)
class Document:
    """Raw input before cleaning: the content, its kind and what its source says about it."""

    content: str
    kind: str  # "text" | "markdown" | "html"
    id: str | None = None
    title: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None
    origin: str = "<string>"  # a path, "<stdin>", "<string>" or "file.jsonl:LINE"


@dataclass(frozen=True)
class Failure:
    """An input that could not be read; a batch records it and goes on."""

    origin: str
    error: FlashpointError
    id: str | None = None  # a bad JSON Lines record's id, when it has a readable one


_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.I | re.S)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|body|head|article|section|main|h[1-6]|ul|ol|li|"
                       r"table|script|style|meta|title|header|footer|nav|img|strong|em)\b[^>]*>", re.I)
# a heading, a link, a code fence, an escape, a *** rule, a **bold** span (not "f**k")
_MARKDOWN_SIGNS = re.compile(r"^#{1,6}\s+\S|\[[^\]\n]{1,500}\]\([^)\n]{0,2000}\)|^\s*(?:```|~~~)|"
                             r"\\[*_#\[\]]|^\s*(?:\*\s*){3,}$|"
                             r"(?<![\w*])\*\*[^\s*][^*\n]{0,300}?(?<=[^\s*])\*\*(?![\w*])", re.M)


def sniff(text: str) -> str:
    """Tell HTML from Markdown from plain text by their markup."""
    if _HTML_START.match(text) or len(_HTML_TAG.findall(text[:100_000])) >= 5:
        return "html"
    return "markdown" if _MARKDOWN_SIGNS.search(text) else "text"


def iter_documents(source: str, *, input_format: str | None = None,
                   settings: Settings) -> Iterator[Document | Failure]:
    """Yield a :class:`Document` per input, or a :class:`Failure` for one that cannot be read.

    ``source`` is a file, a directory (its .txt .md .markdown .html .htm .jsonl files,
    recursively, sorted; hidden entries skipped) or "-" for stdin. ``input_format`` overrides
    the format guessed from the extension (or sniffed, for stdin and other extensions).
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use one of {', '.join(INPUT_FORMATS)}")
    return _iter_documents(source, input_format, settings)


def _iter_documents(source: str, fmt: str | None, settings: Settings) -> Iterator[Document | Failure]:
    if source == "-":
        yield from _guarded("<stdin>", _read_stream(sys.stdin.buffer, "<stdin>", fmt, settings))
    elif not Path(source).is_dir():
        yield from _guarded(source, _read_path(Path(source), fmt, settings))
    else:
        for item in _walk(Path(source)):
            if isinstance(item, Failure):
                yield item
            elif isinstance(item, OSError):
                yield Failure(str(item.filename), _unreadable(item, str(item.filename)))
            else:
                yield from _guarded(str(item), _read_path(item, fmt, settings))


def _walk(root: Path) -> list[Path | OSError | Failure]:
    """Input files under ``root`` sorted by path, the directories that could not be listed, and
    a failure for each entry that is no regular file (see :func:`special_file`)."""
    found: list[Path | OSError | Failure] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=found.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # .git, editor folders
        # a directory named like an input ("x.txt") is listed too, to be reported as unreadable
        for name in filenames + dirnames:
            if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                path = Path(dirpath, name)
                found.append(Failure(str(path), error) if (error := special_file(path)) else path)
    return sorted(found, key=lambda x: Path(_where(x)).parts)


def _where(item: Path | OSError | Failure) -> str:
    if isinstance(item, Failure):
        return item.origin
    return str(item.filename if isinstance(item, OSError) else item)


def special_file(path: Path) -> UnreadableError | None:
    """The reason to skip ``path`` found in a directory when it is a FIFO, a socket or a device:
    opening a FIFO blocks until someone writes to it, a device may never end. Only regular
    files (and directories, reported elsewhere) are read from a directory; a path named on the
    command line is read whatever it is (``<(cmd)``, /dev/stdin)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a dangling link: opening it gives the usual message
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return UnreadableError("not a regular file (a FIFO, socket or device); only regular files are "
                           "read from a directory", source=str(path))


def _guarded(origin: str, items: Iterator[Document | Failure]) -> Iterator[Document | Failure]:
    """Turn an error while reading one input into a :class:`Failure` for that input."""
    try:
        yield from items
    except FlashpointError as err:
        yield Failure(origin, err)
    except OSError as exc:
        yield Failure(origin, _unreadable(exc, origin))


_OS_ERRORS = (
    (FileNotFoundError, "no such file or directory; check the path"),
    (IsADirectoryError, "is a directory, not a file; give the directory itself as the source"),
    (PermissionError, "permission denied; check the file's permissions"),
)


def _unreadable(exc: OSError, origin: str) -> UnreadableError:
    why = next((msg for kind, msg in _OS_ERRORS if isinstance(exc, kind)), None)
    return UnreadableError(why or f"cannot read: {exc.strerror or exc}", source=origin)


def too_large(what: str, settings: Settings, origin: str) -> TooLargeError:
    return TooLargeError(f"{what} is larger than {settings.max_bytes:,} bytes; split it or raise "
                         "max_bytes", source=origin)


def too_long(chars: int, settings: Settings, origin: str | None = None) -> TooLargeError:
    """An article text over ``settings.max_chars`` (its parse would take minutes and gigabytes)."""
    return TooLargeError(
        f"the article text has {chars:,} characters, more than the {settings.max_chars:,} Flashpoint "
        "analyses (about 40 s and 350 MB per million); split it into articles", source=origin)


def _read_path(path: Path, fmt: str | None, settings: Settings) -> Iterator[Document | Failure]:
    fmt = fmt or EXTENSIONS.get(path.suffix.lower())
    # checked before opening, so a huge file fails fast; JSON Lines files are batches and are
    # checked record by record instead
    if fmt != "jsonl" and path.stat().st_size > settings.max_bytes:
        raise too_large("file", settings, str(path))
    with path.open("rb") as handle:
        yield from _read_stream(handle, str(path), fmt, settings)


def _read_stream(handle: IO[bytes], origin: str, fmt: str | None,
                 settings: Settings) -> Iterator[Document | Failure]:
    lines = _lines(handle, settings.max_bytes)
    head: list[bytes] = []
    for line in lines:  # the first non-blank line tells JSON Lines from the rest
        head.append(line)
        if line.strip():
            break
    if fmt == "jsonl" or (fmt is None and head and _is_json_object(head[-1])):
        if head and b"\x00" in head[-1]:
            raise BinaryInputError(_BINARY, source=origin)
        yield from _iter_jsonl(chain(head, lines), origin, settings)
        return
    data = b"".join(head)
    if len(data) <= settings.max_bytes:  # read(negative) would read everything
        data += handle.read(settings.max_bytes + 1 - len(data))
    if len(data) > settings.max_bytes:  # pipes and special files have no size to stat
        raise too_large("input", settings, origin)
    text = _decode(data, origin, fmt)
    yield Document(text, fmt if fmt in ("text", "markdown", "html") else sniff(text), origin=origin)


def read_stream(handle: IO[bytes], origin: str, *, input_format: str | None = None,
                settings: Settings) -> Iterator[Document | Failure]:
    """Documents from an open binary stream (a decompressed file, a socket), like a file's.

    A JSON Lines stream is read line by line, so memory stays flat whatever its length.
    """
    return _guarded(origin, _read_stream(handle, origin, input_format, settings))


def _is_json_object(line: bytes) -> bool:
    try:
        return line.lstrip().startswith(b"{") and isinstance(json.loads(line), dict)
    except ValueError:
        return False
    except RecursionError:  # an object nested too deeply: a JSON Lines record, to be refused
        return True


def _lines(handle: IO[bytes], limit: int) -> Iterator[bytes]:
    """Lines of at most ``limit`` bytes; a longer line comes out cut at ``limit + 1``."""
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the rest of an overlong line without holding it in memory
        yield line


_BINARY = "input looks binary, not text; give a .txt, .md, .html or .jsonl file"


def _decode(data: bytes, origin: str, fmt: str | None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or an HTML page's declared charset."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 byte order marks
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    sample = data[:8192]
    controls = sum(b < 32 and b not in b"\t\n\r\f" for b in sample)
    # NUL never occurs in text; 10% other control bytes is far beyond any real document
    if b"\x00" in data or controls > 0.1 * max(len(sample), 1):
        raise BinaryInputError(_BINARY, source=origin)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # HTML says how it is encoded; anything else would be a guess (latin-1 "decodes" every
        # byte string), so it is refused with a clear message instead
        if fmt in (None, "html") and (m := re.search(rb"""charset=["']?([\w-]+)""", data[:4096], re.I)):
            try:
                return data.decode(m.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise EncodingInputError(
            f"input is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. `iconv -f latin1 -t utf-8`", source=origin) from exc


def _iter_jsonl(lines: Iterable[bytes], origin: str, settings: Settings) -> Iterator[Document | Failure]:
    for number, raw in enumerate(lines, 1):
        where = f"{origin}:{number}"
        if not raw.strip():
            continue
        try:
            if len(raw) > settings.max_bytes:
                raise too_large("record", settings, where)
            yield _record(raw, where, settings)
        except FlashpointError as err:
            yield Failure(where, err, _record_id(raw))


def _record_id(raw: bytes) -> str | None:
    try:
        rid = json.loads(raw).get("id")
    except (ValueError, AttributeError, RecursionError):
        return None
    return None if rid is None else str(rid)


_MONTHS = {m[:3].lower(): i for i, m in enumerate(
    ("January February March April May June July August September October November "
     "December").split(), 1)}
_MONTH = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATES = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}})\b"),
)


def find_date(line: str) -> tuple[re.Match[str], date | None] | None:
    """The first date in ``line`` and its value (None when it has no year or is invalid)."""
    for pattern in _DATES:
        if m := pattern.search(line):
            month = int(m["m"]) if "m" in m.groupdict() else _MONTHS[m["mon"][:3].lower()]
            try:
                return m, date(int(m["y"]), month, int(m["d"])) if m["y"] else None
            except ValueError:
                return m, None
    return None


def iso_date(value: str | None) -> date | None:
    """``2022-09-15`` or an ISO timestamp as a date; None when absent or not ISO."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """A record's publication date: ISO (``2020-01-05``, ``2020-01-05T10:00:00Z``), RFC 2822
    (``Sun, 05 Jan 2020 10:00:00 +0000``), written (``Jan 5, 2020``, ``5 January 2020``) or a
    number of seconds (milliseconds above 10^11) since 1970; None when it is none of them."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if (found := iso_date(text)) is not None:
        return found
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    written = find_date(text[:100])
    return written[1] if written else None


@lru_cache(maxsize=1)
def field_names() -> dict[str, tuple[str, ...]]:
    """Each record field and the names it goes by (``data/inputs/fields.toml``)."""
    try:
        data = tomllib.loads(data_file("inputs", "fields.toml").read_text("utf-8"))["fields"]
        names = {field: tuple(str(n) for n in aliases) for field, aliases in data.items()}
    except (OSError, KeyError, TypeError, AttributeError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"cannot load fields.toml: {exc}; reinstall Flashpoint") from exc
    return names


def check_fields(fields: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``Settings.fields`` as {field: column}; raise :class:`InputError` for an unknown field."""
    known = field_names()
    mapping = {}
    for name, column in fields:
        if name not in known:
            raise InputError(f"--field {name}={column}: no field {name!r}; map one of {', '.join(known)}")
        mapping[name] = column
    return mapping


def _record(raw: bytes, where: str, settings: Settings) -> Document:
    """One JSON Lines record: {"id", "text" | "html", "published"?, "title"?, "url"?, "author"?}."""
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RecordError("line is not valid UTF-8; convert the file to UTF-8", source=where) from exc
    except ValueError as exc:
        raise RecordError(f"line is not valid JSON ({exc.msg}, column {exc.colno}); fix or remove it",
                          source=where) from exc
    except RecursionError:  # json's decoder stops at the interpreter's recursion limit
        raise RecordError("line is nested too deeply (about a thousand levels of [ or {); no article "
                          "record is; fix or remove it", source=where) from None
    if not isinstance(record, dict):
        raise RecordError("line is not a JSON object; each line must be {\"id\", \"text\" or \"html\"}",
                          source=where)
    return record_document(record, where, settings.fields)


def record_document(record: dict, where: str, fields: Iterable[tuple[str, str]] = ()) -> Document:
    """A record's fields as a :class:`Document`; JSON Lines and CSV rows share these rules.

    Each field is found under its usual names (:func:`field_names`) or the column ``fields``
    maps it to (``--field NAME=COLUMN``). Raise :class:`RecordError` when there is no text or
    HTML string or a field is malformed.
    """
    mapped = check_fields(fields)

    def pick(name: str) -> tuple[str | None, object]:
        if name in mapped:
            column = mapped[name]
            key = column if column in record else column.lower()
            return column, record.get(key)
        empty = (None,) if name in ("text", "html") else (None, "")  # an empty text is reported as empty
        for alias in field_names()[name]:
            if record.get(alias) not in empty:
                return alias, record[alias]
        return None, None

    kind = "html"
    key, body = pick("html")
    if not isinstance(body, str):
        key, body = pick("text")
        if not isinstance(body, str):
            raise RecordError('record has no "text" or "html" string; add the article\'s text (or map '
                              "its column: --field text=COLUMN)", source=where)
        kind = sniff(body)
    values = {}
    for name in ("title", "url", "author"):
        key, value = pick(name)
        if value is not None and not isinstance(value, str):
            raise RecordError(f'"{key}" must be a string or null, not {type(value).__name__}', source=where)
        values[name] = value or None
    key, value = pick("published")
    published = parse_date(value)
    # a value under Flashpoint's own name or a mapped column must be a date; under another
    # usual name ("date", "timestamp") it may mean something else, and is left alone
    if published is None and value not in (None, "") and (key == "published" or "published" in mapped):
        raise RecordError(f'"{key}" {value!r} is not a date (YYYY-MM-DD, an ISO timestamp or "Jan 5, '
                          '2020"); fix or remove it', source=where)
    rid = pick("id")[1]
    return Document(body, kind, id=None if rid is None else str(rid), published=published,
                    origin=where, **values)
