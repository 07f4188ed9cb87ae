"""Flashpoint: turn news into geopolitical event data.

>>> import flashpoint
>>> analysis = flashpoint.analyze(text, published="2022-09-15")
>>> analysis.to_dict()  # the JSON contract (shared/spec/analysis-json.md)
"""

from flashpoint._version import __version__
from flashpoint.errors import (
    DataFileError,
    FlashpointError,
    InputError,
    ModelNotFoundError,
    StoreError,
)
from flashpoint.pipeline import Pipeline, analyze
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
