"""The learned role model: how likely a candidate actor is the source or target of an event
whose parse names none (the candidates and their features: ``stages/events/_ranker.py``).

A logistic regression over each candidate's place in the parse (its side of the trigger, its
distance, how it hangs on the trigger), its kind (country, organisation, person, sector), and
how it came to be a candidate (an actor mention, a mention by a sector alone, a name the parser
finds, a pronoun's referent, one of the article's most mentioned countries, keeping the first
cut). The best candidate whose probability
reaches the model's ``threshold`` fills the role. Trained by ``training/role_model.py`` on the **dev**
split of the Wikinews gold set only; shipped as ``data/events/role_model.json`` with a format
marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from flashpoint.models.logistic import ModelFile, sigmoid


@dataclass(frozen=True, slots=True)
class RoleModel(ModelFile):
    """A logistic regression over candidate features; ``best`` picks a candidate or none."""

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    FORMAT: ClassVar[str] = "flashpoint-role-model-1"
    FILE: ClassVar[str] = "role_model.json"
    STAGE: ClassVar[str] = "events"
    OPTIONAL: ClassVar[bool] = True
    WHAT: ClassVar[str] = "role model"
    RETRAIN: ClassVar[str] = "training/role_model.py"
    ZERO_THRESHOLD: ClassVar[bool] = False

    def to_dict(self) -> dict[str, Any]:
        return {**self.meta, "format": self.FORMAT, "bias": self.bias, "threshold": self.threshold,
                "weights": dict(sorted(self.weights.items()))}

    def probability(self, feats: dict[str, float]) -> float:
        return sigmoid(self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items()))

    def best(self, candidates: list[dict[str, float]], role: str = "") -> int | None:
        """The index of the most probable candidate if it reaches the threshold (the role's own,
        ``role_thresholds`` in the file, else the model's), else None (ties: the first, in the
        order given)."""
        if not candidates:
            return None
        scores = [self.probability(c) for c in candidates]
        top = max(range(len(scores)), key=lambda i: (scores[i], -i))
        return top if scores[top] >= self.meta.get("role_thresholds", {}).get(role, self.threshold) else None


@dataclass(frozen=True, slots=True)
class SentenceRoleModel(RoleModel):
    """The role model of lone sentences (a headline, a benchmark sentence): the same candidates
    and features, trained apart by ``training/role_model.py`` on the ConfliBERT **train**
    sentences (a candidate is right when its span is the gold source or target span), so that
    whole articles and lone sentences do not move each other's choices; shipped as
    ``data/events/role_model_sentences.json``."""

    FILE: ClassVar[str] = "role_model_sentences.json"
    WHAT: ClassVar[str] = "sentence role model"
