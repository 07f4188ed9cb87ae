"""Flashpoint: turn news into geopolitical event data.

>>> import flashpoint
>>> analysis = flashpoint.analyze(text, published="2022-09-15")
>>> analysis.to_dict()  # the JSON contract (shared/spec/analysis-json.md)

Importing the package is light: the pipeline (and with it spaCy and every stage) loads only
when ``Pipeline`` or ``analyze`` is first used, so the store, the analysis layer and the web
app never pay for a parser they do not use.
"""

from typing import TYPE_CHECKING, Any

from flashpoint._version import __version__
from flashpoint.errors import (
    DataFileError,
    FlashpointError,
    InputError,
    ModelNotFoundError,
    StoreError,
)
from flashpoint.records import (
    Actor,
    ActorRef,
    Analysis,
    Article,
    Certainty,
    CertaintyProfile,
    Event,
    EventDate,
    Location,
    Sentence,
    Skipped,
)
from flashpoint.settings import Settings

if TYPE_CHECKING:
    from flashpoint.pipeline import Pipeline, analyze

_LAZY = {"Pipeline": "flashpoint.pipeline", "analyze": "flashpoint.pipeline"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'flashpoint' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    "analyze",
    "Pipeline",
    "Settings",
    "Analysis",
    "Article",
    "Sentence",
    "Actor",
    "ActorRef",
    "Event",
    "EventDate",
    "Location",
    "Certainty",
    "CertaintyProfile",
    "Skipped",
    "FlashpointError",
    "InputError",
    "DataFileError",
    "ModelNotFoundError",
    "StoreError",
]
