"""The learned type model: which PLOVER type a trigger has in its context.

A conditional logit over the trigger's candidate types (``stages/events/_types.py``): each
candidate type ``T`` scores ``w · φ(T)``, where ``φ(T)`` crosses every context feature (the
lemma, the kind of object and subject, the governing word, the preposition, the participants'
sectors, the word vectors of trigger, object and subject reduced to a few principal
components) with ``T``, plus one shared feature for "the lexicon's own type". The best
candidate replaces the lexicon's type only when its probability beats the lexicon type's by the
model's ``margin``. Trained by ``training/type_model.py`` on the **dev** split of the Wikinews
gold set and the ConfliBERT **train** sentences (never a test split); shipped as
``data/events/type_model.json`` with a format marker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flashpoint.errors import DataFileError
from flashpoint.models.logistic import ModelFile, Projection
from flashpoint.records import PLOVER_TYPES

#: The shared feature of the candidate that is the lexicon's own type.
LEXICON = "is_lexicon"


def crossed(type_: str, context: dict[str, float], lexicon_type: str | None) -> dict[str, float]:
    """The features of one candidate type: each context feature crossed with the type, the
    type's own bias, and the shared lexicon feature."""
    out = {f"{type_}|{k}": v for k, v in context.items()}
    out[f"{type_}|bias"] = 1.0
    if type_ == lexicon_type:
        out[LEXICON] = 1.0
    return out


@dataclass(frozen=True, slots=True)
class TypeModel(ModelFile):
    """Scores a trigger's candidate types; :meth:`choose` keeps the lexicon's unless another
    is more probable by ``margin``."""

    weights: dict[str, float]
    bias: float  # unused by a conditional logit; kept for the shared file checks
    threshold: float  # the margin: how much more probable another type must be
    meta: dict[str, Any] = field(default_factory=dict)
    reducers: dict[str, Projection] = field(default_factory=dict)  # "trig", "obj", "subj"
    defaults: dict[str, str] = field(default_factory=dict)  # PLOVER type → its usual CAMEO code

    FORMAT: ClassVar[str] = "flashpoint-type-model-1"
    FILE: ClassVar[str] = "type_model.json"
    STAGE: ClassVar[str] = "events"
    OPTIONAL: ClassVar[bool] = True
    WHAT: ClassVar[str] = "type model"
    RETRAIN: ClassVar[str] = "training/type_model.py"

    @classmethod
    def from_dict(cls, data: Any) -> TypeModel:
        """Build a model from its JSON form, refusing anything malformed."""
        weights, bias, threshold, meta = cls.fields(data)
        reducers = meta.pop("reducers", {})
        defaults = meta.pop("defaults", {})
        if not isinstance(reducers, dict) or not isinstance(defaults, dict) or not all(
                t in PLOVER_TYPES and isinstance(c, str) and c.isdigit() for t, c in defaults.items()):
            raise DataFileError("invalid type model: reducers must be an object of projections, defaults "
                                "an object of PLOVER type → CAMEO code", source=cls.FILE)
        return cls(weights, bias, threshold, meta, {k: Projection.from_dict(v, cls) for k, v in reducers.items()},
                   {str(k): str(v) for k, v in defaults.items()})

    def to_dict(self) -> dict[str, Any]:
        return {**self.meta, "format": self.FORMAT, "bias": self.bias, "threshold": self.threshold,
                "defaults": dict(sorted(self.defaults.items())),
                "reducers": {k: r.to_dict() for k, r in sorted(self.reducers.items())},
                "weights": dict(sorted(self.weights.items()))}

    def context(self, feats: dict[str, float], vectors: dict[str, tuple[float, ...]]) -> dict[str, float]:
        """The context features with the word vectors reduced."""
        out = dict(feats)
        for name, reducer in self.reducers.items():
            out.update(reducer.features(vectors.get(name, ()), f"{name}_v"))
        return out

    def probabilities(self, context: dict[str, float], types: list[str], lexicon_type: str | None) -> list[float]:
        scores = [sum(self.weights.get(k, 0.0) * v for k, v in crossed(t, context, lexicon_type).items())
                  for t in types]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def choose(self, context: dict[str, float], types: list[str], lexicon_type: str | None) -> str | None:
        """The type to code: the most probable candidate if it beats the lexicon's type by the
        margin, else the lexicon's type (None when there is no candidate)."""
        if not types:
            return lexicon_type
        probs = self.probabilities(context, types, lexicon_type)
        best = max(range(len(types)), key=lambda i: (probs[i], types[i] == lexicon_type))
        if lexicon_type not in types:
            return types[best]
        own = probs[types.index(lexicon_type)]
        return types[best] if probs[best] - own > self.threshold else lexicon_type

