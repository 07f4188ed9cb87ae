"""Pure scorers: precision, recall and F1 from sets or counts, accuracy, macro-F1, spans.

Nothing here knows about the pipeline or the benchmark files; every function takes gold and
predicted values and returns numbers, so each one is unit-tested on hand-made pairs.

Convention for empty denominators: a ratio whose denominator is 0 is 0.0 (precision with no
predictions, recall with no gold, accuracy of nothing). This is conlleval's and scikit-learn's
``zero_division=0`` convention; the scorecard always reports ``n`` beside a score so an empty
set is visible rather than hidden behind a number.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Score:
    """One number of the scorecard and the number of items it was computed on."""

    metric: str
    value: float
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "value": round(self.value, 6), "n": self.n}


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives; add them to micro-average."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        # 2PR/(P+R) written on counts: equal, and exact for integers.
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def prf(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> Counts:
    """Counts of one item: gold and predicted are compared as sets (duplicates collapse)."""
    g, p = set(gold), set(predicted)
    return Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def micro(counts: Iterable[Counts]) -> Counts:
    """Micro-average: sum the counts of every item, then compute P/R/F1 once."""
    total = Counts()
    for c in counts:
        total = total + c
    return total


def accuracy(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Share of positions where the prediction equals the gold label."""
    _same_length(gold, predicted)
    return _ratio(sum(1 for g, p in zip(gold, predicted, strict=True) if g == p), len(gold))


def per_label(
    gold: Sequence[Hashable], predicted: Sequence[Hashable], labels: Iterable[Hashable] | None = None
) -> dict[Hashable, Counts]:
    """One-vs-rest counts per label of a single-label classification.

    A prediction of ``None`` (the system produced no label) is a miss for the gold label and a
    false positive for no label. ``labels`` defaults to every non-None label seen in gold or
    predictions, in first-seen order (gold first).
    """
    _same_length(gold, predicted)
    if labels is None:
        labels = dict.fromkeys(x for x in (*gold, *predicted) if x is not None)
    out: dict[Hashable, Counts] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        out[label] = Counts(tp, fp, fn)
    return out


def macro_f1(
    gold: Sequence[Hashable], predicted: Sequence[Hashable], labels: Iterable[Hashable] | None = None
) -> float:
    """Unweighted mean of per-label F1 over ``labels`` (default: the labels present in gold).

    Averaging over gold labels only means a label the system invents but gold never uses costs
    precision of the gold labels it was confused with, not an extra zero in the mean.
    """
    if labels is None:
        labels = dict.fromkeys(x for x in gold if x is not None)
    table = per_label(gold, predicted, labels)
    return _ratio(sum(c.f1 for c in table.values()), len(table))


Span = tuple[int, int, str]  # (first token, last token + 1, kind)


def bio_spans(tags: Sequence[str]) -> set[Span]:
    """Spans of a BIO tag sequence as ``(start, end, kind)`` token ranges, end-exclusive.

    ``B-X`` starts a span; ``I-X`` continues a span of the same kind and otherwise starts one
    (the lenient conlleval reading of a stray ``I-``); ``O`` or anything else ends it.
    """
    spans: set[Span] = set()
    start, kind = -1, ""
    for i, tag in enumerate((*tags, "O")):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind and start >= 0
        if start >= 0 and not continues:
            spans.add((start, i, kind))
            start, kind = -1, ""
        if prefix in ("B", "I") and label and not continues:
            start, kind = i, label
    return spans


def span_prf(gold: Iterable[Span], predicted: Iterable[Span], kind: str | None = None) -> Counts:
    """Exact-match counts of spans: a prediction counts only if start, end and kind all agree.

    With ``kind`` given, only spans of that kind are compared.
    """
    if kind is not None:
        gold = (s for s in gold if s[2] == kind)
        predicted = (s for s in predicted if s[2] == kind)
    return prf(gold, predicted)


def _same_length(gold: Sequence[object], predicted: Sequence[object]) -> None:
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items but predictions have {len(predicted)}")
