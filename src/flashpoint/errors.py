"""Flashpoint's exception hierarchy.

The library raises these and nothing else for user errors; only the CLI (and later the HTTP
API) translates them into messages and exit codes. Each carries a short, stable ``code`` so
that a batch can record why a document was skipped.
"""

from __future__ import annotations


class FlashpointError(Exception):
    """Base class of every error Flashpoint raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


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
    """A JSON Lines record is malformed (bad JSON, missing text)."""

    code = "record"


class DataFileError(FlashpointError):
    """A shipped or user data file (lexicon, dictionary) is invalid."""

    code = "data_file"


class ModelNotFoundError(FlashpointError):
    """No usable spaCy English pipeline is installed."""

    code = "model"


class StoreError(FlashpointError):
    """The DuckDB store cannot be opened, migrated or written."""

    code = "store"


class EvalError(FlashpointError):
    """A benchmark set is missing or malformed."""

    code = "eval"
