"""Flashpoint: turn news into geopolitical event data.

>>> import flashpoint
>>> analysis = flashpoint.analyze(text, published="2022-09-15")
>>> analysis.to_dict()  # the JSON contract (shared/spec/analysis-json.md)
"""

from ._version import __version__
from .errors import (
    DataFileError,
    FlashpointError,
    InputError,
    ModelNotFoundError,
    StoreError,
)
from .pipeline import Pipeline, analyze
from .records import (
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
from .settings import Settings

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
