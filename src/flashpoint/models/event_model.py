"""The learned event model: how likely a coded event is a real event of the right type.

A logistic regression over what the events stage knows when it codes an event (the trigger's
place in the parse, whether its roles were read off the parse or filled by position, its type,
its certainty, whether it sits in a quote or a background clause …: :func:`features`). Its
probability is the event's ``confidence``; events below the model's ``threshold`` are dropped
as non-events. Trained by ``training/event_model.py`` on the **dev** split of the Wikinews gold
set only (``benchmarks/gold/wikinews/``), shipped as ``data/events/event_model.json`` with a
format marker; the test split is never read for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, ClassVar

from flashpoint.models.logistic import logistic_fields, read_model
from flashpoint.resources import data_file


@dataclass(frozen=True, slots=True)
class EventContext:
    """What the events stage knows about one coded event, as plain values (no parse objects)."""

    type: str
    quad_class: int
    cameo: str
    certainty: str
    source_given: bool  # a source read off the parse (not filled by position)
    target_given: bool
    sources: int
    targets: int
    nominal: bool  # the trigger is a noun ("the shelling of")
    depth: int  # the anchor's distance from the sentence root
    background: bool  # a purpose, condition or time clause, or a clause under another trigger
    governed: str  # "" | "refusal" | "intent" | "demand" | "negated" | "request" | "means" …
    dep: str  # the anchor's dependency label
    head_lemma: str  # the lemma of the anchor's head ("say" for reported content)
    lemma: str  # the anchor's lemma
    sentence: int  # index of the sentence in the article
    in_quote: bool  # the trigger sits inside quotation marks
    located: bool
    self_dyad: bool  # a source and a target of the same country
    source_sector: str  # "" | "GOV" | "MIL" … of the first source
    target_sector: str
    prior: float = 0.5  # the stage's first-cut confidence (roles given, depth, nominal, mood)
    article_sentences: int = 1  # a lone sentence (a headline, a wire snippet) or a whole article


# Reporting verbs: an event in their complement is reported content, not the writer's.
_REPORTING = frozenset({"say", "tell", "state", "announce", "report", "claim", "add", "note", "write",
                        "declare", "insist", "warn", "explain", "confirm", "believe", "think"})
_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "pobj", "dobj",
                   "nsubj", "nsubjpass", "compound", "amod", "appos", "attr", "npadvmod", "parataxis"})


def features(c: EventContext) -> dict[str, float]:
    """The model's features of one event: indicator features (value 1) and a few counts.

    Lemmas enter as features too; the training script keeps only those seen often enough in
    its data (a lemma the model has no weight for adds nothing).
    """
    f: dict[str, float] = {
        "prior": c.prior,
        f"text={'sentence' if c.article_sentences <= 1 else 'short' if c.article_sentences <= 4 else 'article'}": 1.0,
        f"type={c.type}": 1.0,
        f"quad={c.quad_class}": 1.0,
        f"root={c.cameo[:2]}": 1.0,
        f"certainty={c.certainty}": 1.0,
        f"dep={c.dep if c.dep in _DEPS else 'other'}": 1.0,
        f"lemma={c.lemma}": 1.0,
        f"governed={c.governed or 'none'}": 1.0,
        f"position={_bucket(c.sentence, (0, 1, 3, 6, 11))}": 1.0,
        f"depth={min(c.depth, 4)}": 1.0,
        f"src_sector={c.source_sector or 'none'}": 1.0,
        f"tgt_sector={c.target_sector or 'none'}": 1.0,
    }
    roles = ("S" if c.source_given else "s" if c.sources else "-") + ("T" if c.target_given else "t" if c.targets else "-")
    f[f"roles={roles}"] = 1.0
    for flag, on in (("nominal", c.nominal), ("background", c.background), ("in_quote", c.in_quote),
                     ("located", c.located), ("self_dyad", c.self_dyad),
                     ("reported", c.head_lemma in _REPORTING),
                     ("many_sources", c.sources > 1), ("many_targets", c.targets > 1)):
        if on:
            f[flag] = 1.0
    # Each feature also counts once more in a copy for the kind of text, so the model can learn
    # that a cue means one thing in a lone sentence and another in a whole article (feature
    # augmentation for domain adaptation, Daumé III 2007).
    kind = "sentence" if c.article_sentences <= 1 else "article"
    f.update({f"{kind}|{k}": v for k, v in list(f.items())})
    return f


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    """The lowest edge at or below ``value`` ("3" for 4 with edges 0, 1, 3, 6)."""
    return str(max(e for e in edges if e <= value))


@dataclass(frozen=True, slots=True)
class EventModel:
    """A logistic regression: ``probability(features)``; events below ``threshold`` are dropped."""

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    FORMAT: ClassVar[str] = "flashpoint-event-model-1"
    FILE: ClassVar[str] = "event_model.json"

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventModel | None:
        """The shipped model (None when the package ships none), or the one at ``path``."""
        if path is not None:
            return cls._read(Path(path), str(path))
        return _shipped()

    @classmethod
    def _read(cls, path: Path | Traversable, name: str) -> EventModel:
        return read_model(path, name, "event model", cls.from_dict)

    @classmethod
    def from_dict(cls, data: Any) -> EventModel:
        """Build a model from its JSON form, refusing anything malformed."""
        weights, bias, threshold, meta = logistic_fields(
            data, fmt=cls.FORMAT, what="event model", file=cls.FILE, retrain="training/event_model.py",
            zero_threshold=True)
        return cls(weights, bias, threshold, meta)

    def to_dict(self) -> dict[str, Any]:
        return {**self.meta, "format": self.FORMAT, "bias": self.bias, "threshold": self.threshold,
                "weights": dict(sorted(self.weights.items()))}

    def probability(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def _shipped() -> EventModel | None:
    path = data_file("events", EventModel.FILE)
    if not path.is_file():
        return None
    return EventModel._read(path, EventModel.FILE)
