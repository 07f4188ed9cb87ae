"""What Flashpoint's learned models share: a logistic regression kept in a JSON file with a
format marker, read and checked here once (the certainty stage's weasel model, the events
stage's event and role models, the event dates' chooser): :class:`ModelFile`; and the word
vectors those models read reduced to a few components: :class:`Projection`."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

import numpy as np

from flashpoint.errors import DataFileError
from flashpoint.resources import data_file

T = TypeVar("T")


def read_model(path: Path | Traversable, name: str, what: str, build: Callable[[Any], T]) -> T:
    """A learned model's JSON file built by ``build`` (its ``from_dict``), every failure a
    :class:`DataFileError` naming the file: unreadable, not JSON, or refused by ``build``."""
    try:
        return build(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"cannot read the {what}: {exc}", source=name) from exc
    except DataFileError as exc:
        raise DataFileError(exc.message, source=name) from None


def logistic_fields(data: Any, *, fmt: str, what: str, file: str, retrain: str, zero_threshold: bool
                    ) -> tuple[dict[str, float], float, float, dict[str, Any]]:
    """``(weights, bias, threshold, meta)`` of a model's JSON form, refusing anything malformed.

    ``zero_threshold``: a threshold of 0 is allowed (a model that drops nothing), else the
    threshold lies strictly between 0 and 1."""

    def bad(why: str) -> DataFileError:
        return DataFileError(f"invalid {what}: {why}", source=file)

    if not isinstance(data, dict) or data.get("format") != fmt:
        raise bad(f"expected an object with format {fmt!r} (retrain: {retrain})")
    bias, threshold, weights = data.get("bias"), data.get("threshold"), data.get("weights")
    if not finite(bias):
        raise bad("bias must be a finite number")
    if zero_threshold and not (finite(threshold) and 0 <= threshold < 1):
        raise bad("threshold must be a probability in [0, 1)")
    if not zero_threshold and not (finite(threshold) and 0 < threshold < 1):
        raise bad("threshold must be a probability strictly between 0 and 1")
    if not isinstance(weights, dict) or not weights:
        raise bad("weights must be a non-empty object of feature → weight")
    for name, weight in weights.items():
        if not isinstance(name, str) or not name.strip() or not finite(weight):
            raise bad(f"weight of {name!r} is not a finite number")
    meta = {k: v for k, v in data.items() if k not in ("bias", "threshold", "weights")}
    return {k: float(v) for k, v in weights.items()}, float(bias), float(threshold), meta


def sigmoid(z: float) -> float:
    """The logistic function, its argument clamped to ±30 (no overflow; 1e-13 from 0 or 1)."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def finite(value: Any) -> bool:
    """A real, finite number (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class ModelFile:
    """A learned model's file: its format marker, file name, what it is called in messages and
    the script that retrains it; :meth:`load` gives the shipped model (read once per process)
    or another file's, :meth:`fields` checks the logistic part of its JSON form. The model
    classes (frozen dataclasses) add their own ``from_dict``."""

    __slots__ = ()
    FORMAT: ClassVar[str]
    FILE: ClassVar[str]
    STAGE: ClassVar[str]  # the data folder the shipped file is in (data/<stage>/FILE)
    OPTIONAL: ClassVar[bool] = False  # without a shipped file the stage works without the model
    WHAT: ClassVar[str]  # "event model"
    RETRAIN: ClassVar[str]  # "training/event_model.py"
    ZERO_THRESHOLD: ClassVar[bool] = True  # a threshold of 0 (nothing dropped) is allowed

    @classmethod
    def load(cls, path: str | Path | None = None) -> Self | None:
        """The model at ``path``, else the shipped one — None only for an :attr:`OPTIONAL`
        model the package ships no file of."""
        return cls.read_file(Path(path)) if path is not None else _shipped(cls)

    @classmethod
    def from_dict(cls, data: Any) -> Any:
        """A plain logistic model (``weights, bias, threshold, meta``) from its JSON form,
        refusing anything malformed; a model with more parts reads them in its own."""
        return cls(*cls.fields(data))

    @classmethod
    def read_file(cls, path: Path | Traversable, name: str | None = None) -> Any:
        """The model in ``path`` (``name`` in messages: the path unless given)."""
        return read_model(path, str(path) if name is None else name, cls.WHAT, cls.from_dict)

    @classmethod
    def fields(cls, data: Any) -> tuple[dict[str, float], float, float, dict[str, Any]]:
        """:func:`logistic_fields` of ``data`` with this model's format and messages."""
        return logistic_fields(data, fmt=cls.FORMAT, what=cls.WHAT, file=cls.FILE, retrain=cls.RETRAIN,
                               zero_threshold=cls.ZERO_THRESHOLD)


@cache
def _shipped(cls: type[ModelFile]) -> Any:
    path = data_file(cls.STAGE, cls.FILE)
    if cls.OPTIONAL and not path.is_file():
        return None
    return cls.read_file(path, cls.FILE)


@dataclass(frozen=True, slots=True)
class Projection:
    """A word vector reduced to a few components (principal components fitted by a training
    script on its examples' vectors): ``components · (vector - mean)``. The components say what
    kind of word it is (an attack, a meeting, a ruling …) beyond its lemma, which a model only
    knows for lemmas seen often enough."""

    mean: np.ndarray
    components: np.ndarray  # k × dim

    def features(self, vector: tuple[float, ...], prefix: str) -> dict[str, float]:
        """``{prefix}0`` … of the reduced vector; nothing for a vector missing or of another size
        (another spaCy pipeline, or a word it has no vector for)."""
        if len(vector) != self.mean.shape[0] or not any(vector):
            return {}
        # a product and a sum rather than ``@``: the matrix product goes to the BLAS library,
        # whose threads, one set per worker process, fought over the cores (two workers ran at
        # 0.68 of raw spaCy's speed instead of 0.97); the numbers are the same
        reduced = (self.components * (np.asarray(vector, dtype="float64") - self.mean)).sum(axis=1)
        return {f"{prefix}{i}": float(x) for i, x in enumerate(reduced)}

    @classmethod
    def from_dict(cls, data: Any, owner: type[ModelFile]) -> Projection:
        """A projection of ``owner``'s file, refusing anything malformed."""
        try:
            mean = np.asarray(data["mean"], dtype="float64")
            components = np.asarray(data["components"], dtype="float64")
        except (TypeError, KeyError, ValueError) as exc:
            raise DataFileError(f"invalid {owner.WHAT}: bad projection ({exc})", source=owner.FILE) from None
        if mean.ndim != 1 or components.ndim != 2 or components.shape[1] != mean.shape[0] \
                or not (np.isfinite(mean).all() and np.isfinite(components).all()):
            raise DataFileError(f"invalid {owner.WHAT}: a projection must be a mean vector and a matrix of "
                                "components of its size, all finite", source=owner.FILE)
        return cls(mean, components)

    def to_dict(self) -> dict[str, Any]:
        return {"mean": [round(float(x), 5) for x in self.mean],
                "components": [[round(float(x), 5) for x in row] for row in self.components]}
