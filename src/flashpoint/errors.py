"""Flashpoint's exception tree, the only errors the library raises on purpose.

Only the edges translate them: the CLI into a one-line message and an exit code (once, in the
command group), the web API into one JSON error shape. Each class carries a short, stable
``code`` that a batch records as the reason a document was skipped::

    FlashpointError                     code "error"
    ├── InputError                      "input"      the input cannot be read as a news article
    │   ├── EmptyInputError             "empty"
    │   ├── BinaryInputError            "binary"
    │   ├── EncodingInputError          "encoding"
    │   ├── TooLargeError               "too_large"
    │   ├── LanguageError               "language"
    │   ├── UnreadableError             "unreadable"
    │   └── RecordError                 "record"     a JSON Lines / CSV record is malformed
    ├── DataFileError                   "data_file"  a shipped or user data file is invalid
    ├── ModelNotFoundError              "model"      no spaCy English pipeline is installed
    ├── StageError                      "stage"      a pipeline stage failed on one document
    ├── QueryError                      "query"      an event filter is invalid (a bad label)
    │   └── NotFoundError               "not_found"  what a view names is not in the store
    ├── StoreError                      "store"      the DuckDB store cannot be opened/written
    ├── IngestError                     "ingest"     a corpus run had to stop (resumable)
    ├── ReportError                     "report"     a report cannot be written
    ├── BusyError                       "busy"       every analysis slot of the web app is taken
    └── EvalError                       "eval"       a benchmark set is missing or malformed
        ├── BenchmarkMissing            "eval_missing"
        ├── BenchmarkFormatError        "eval_format"
        └── FloorsError                 "eval_floors"
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class FlashpointError(Exception):
    """Base class of every error Flashpoint raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


# -- inputs ----------------------------------------------------------------------------------


class InputError(FlashpointError):
    """The input cannot be read or analysed as a news article."""

    code = "input"


class EmptyInputError(InputError):
    code = "empty"


class BinaryInputError(InputError):
    code = "binary"


class EncodingInputError(InputError):
    code = "encoding"


class TooLargeError(InputError):
    code = "too_large"


class LanguageError(InputError):
    code = "language"


class UnreadableError(InputError):
    code = "unreadable"


class RecordError(InputError):
    """A JSON Lines or CSV record is malformed (bad JSON, missing text)."""

    code = "record"


# -- knowledge, model, pipeline ----------------------------------------------------------------


class DataFileError(FlashpointError):
    """A shipped or user data file (lexicon, dictionary) is invalid."""

    code = "data_file"


class ModelNotFoundError(FlashpointError):
    """No usable spaCy English pipeline is installed."""

    code = "model"


class StageError(FlashpointError):
    """A pipeline stage failed on one document (a bug in the stage: it is named)."""

    code = "stage"


# -- store and corpus runs ---------------------------------------------------------------------


class StoreError(FlashpointError):
    """The DuckDB store cannot be opened, migrated or written."""

    code = "store"


class QueryError(FlashpointError):
    """An event filter is invalid (an unknown type or certainty label, dates in the wrong order)."""

    code = "query"


class NotFoundError(QueryError):
    """What a view names (an incident, a dyad, an actor) is not in the store."""

    code = "not_found"


class IngestError(FlashpointError):
    """A corpus ingest had to stop (a worker died, the cluster is unreachable); what was
    committed stays, and running it again resumes."""

    code = "ingest"


class ReportError(FlashpointError):
    """A report cannot be written (the output file is not writable)."""

    code = "report"


class BusyError(FlashpointError):
    """Every analysis slot of the web app is taken (answered 503: try again)."""

    code = "busy"


# -- evaluation --------------------------------------------------------------------------------


class EvalError(FlashpointError):
    """A benchmark set is missing or malformed."""

    code = "eval"


class BenchmarkMissing(EvalError):
    """A benchmark set's files are not under the data directory."""

    code = "eval_missing"

    def __init__(self, name: str, missing: Sequence[Path]) -> None:
        self.set_name = name
        self.missing = tuple(missing)
        shown = ", ".join(str(p) for p in self.missing[:3])
        more = f" (+{len(self.missing) - 3} more)" if len(self.missing) > 3 else ""
        super().__init__(f"missing {shown}{more}", source=name)


class BenchmarkFormatError(EvalError):
    """A benchmark file is there but not in the format its loader expects."""

    code = "eval_format"


class FloorsError(EvalError):
    """The floors file is missing or malformed."""

    code = "eval_floors"
