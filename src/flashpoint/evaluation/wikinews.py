"""Scoring every event of a whole article against the Wikinews gold set (issue 13).

The other sets compare one main event per sentence; here each output event of an article is
matched to at most one gold event of the same article, and each gold event to at most one
output event (``benchmarks/gold/wikinews/README.md`` describes the gold).

**Anchoring.** An output event is *anchored* on a gold event when its trigger span overlaps
the gold quote span, or one of the gold event's later sentences (``also``: the guide codes an
action once, at its first clear mention, and lists the recaps). Failing that — the trigger
lies outside every gold span — the output event's sentence span is tried. Trigger anchors
rank above sentence anchors; within a rank, the larger overlap first, then the larger overlap
of the two triggers (two events of one sentence), then document order.

**Matching** is greedy over the anchored pairs in that order, one-to-one. Strict: the PLOVER
types are equal. Lenient: the CAMEO QuadClasses are equal (verbal/material, cooperation/
conflict). Event precision and recall follow (P over output events, R over gold events).

On the strict pairs:

* **dyads** — each event's (source code, target code, type) triples, every source × every
  target, an empty side as ``-`` (plover-gsr's :func:`~flashpoint.evaluation.sets.expand_dyads`).
  A matched pair scores the overlap of its two sets; an unmatched output event's triples are
  all false positives, an unmatched gold event's all misses. Strict on full actor codes
  (``USAGOV``), and at country level (``USA``; organisation and group codes whole).
  **Reciprocal events** have no direction: the guide codes a meeting, talks, a mutual agreement
  or cooperation, or a clash between two sides with every party as source and no target, where
  Flashpoint says *A met B* (A→B) or splits *A and B agreed* into A→B and B→A. A gold event of
  those types with two or more sources and no target, and an output event whose two directions
  were split, are scored on their **parties** (``A``, ``B``: one unit each, as the gold's
  source list), so the same meeting is neither wrong for its direction nor counted twice
  (:func:`merge_split`); the event paired with it is scored on its parties too.
* **date** — value and granularity equal (no date on both sides counts as equal), and the same
  at month level (a day's value cut to its month).
* **certainty** — the six labels equal.

And on all output events:

* **duplicates** — unmatched output events that would strictly match a gold event already
  matched: the same event coded twice (two triggers of one sentence, or a recap later on).
* **no counterpart** — output events anchored on no gold event of any type: events the gold
  says are not there at all (a wrong type at a gold event's place is not counted here).
* **precision at confidence ≥ 0.6**, and a **calibration** table: confidence in bins 0.1
  wide, with each bin's count, mean confidence and share of events that are real (matched
  strictly); the expected calibration error is the count-weighted mean gap.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from flashpoint.evaluation import scoring
from flashpoint.evaluation.scoring import Counts, Score
from flashpoint.evaluation.sets import GoldEvent, WikinewsRecord, country_unit, expand_dyads
from flashpoint.records import ActorRef, Analysis, Span

#: Output events at or above this confidence are the "confident" ones (precision reported).
CONFIDENT = 0.6
#: Width of a calibration bin.
BIN = 0.1
TRIGGER, SENTENCE = 0, 1  # anchor ranks: trigger overlap beats sentence overlap
#: Types whose events the annotation guide codes as reciprocal when every party is a source
#: (meetings and talks, mutual agreements and cooperation, clashes between two sides).
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "ASSAULT"})


@dataclass(frozen=True, slots=True)
class OutputEvent:
    """What is scored of one output event (built from an :class:`~flashpoint.records.Event`)."""

    type: str
    quad_class: int
    trigger: Span
    sentence: Span | None
    source: tuple[str, ...]  # resolved actor codes
    target: tuple[str, ...]
    date: tuple[str, str] | None  # (value, granularity)
    certainty: str
    confidence: float
    reciprocal: bool = False  # the two directions of one split event, merged (:func:`merge_split`)


@dataclass(frozen=True, slots=True)
class Pair:
    gold: int  # index into the article's gold events
    output: int  # index into the article's output events
    anchor: int  # TRIGGER or SENTENCE


Same = Callable[[GoldEvent, OutputEvent], bool]


def same_type(gold: GoldEvent, out: OutputEvent) -> bool:
    return gold.type == out.type


def same_quad(gold: GoldEvent, out: OutputEvent) -> bool:
    return gold.quad_class == out.quad_class


# -- reading output events off an analysis -----------------------------------------------------


def resolved_code(ref: ActorRef) -> str | None:
    """The actor code scored for a mention: None when it names neither a country, an
    organisation nor a group (a bare sector such as ``GOV`` is no actor the gold could code)."""
    if not ref.code or (ref.country is None and ref.org is None and ref.code == ref.sector):
        return None
    return ref.code


def offset_map(original: str, cleaned: str, probe: int = 32) -> list[int]:
    """For each position of ``cleaned`` (and its end), the position in ``original`` it came from.

    Cleaning deletes (the dateline, boilerplate), squeezes whitespace and now and then replaces
    a character; so the two texts are walked together, whitespace of the original skipped, and
    a deleted stretch jumped by finding the next words (``probe`` characters) of the cleaned
    text. On the 123 Wikinews articles every one of the 229,365 non-space characters of the
    cleaned texts lands on the same character of the original.
    """
    out: list[int] = []
    i, n = 0, len(original)
    for j, ch in enumerate(cleaned):
        if i < n and original[i] == ch:
            out.append(i)
            i += 1
            continue
        k = i
        while k < n and original[k].isspace() and original[k] != ch:
            k += 1
        if k < n and original[k] == ch:
            out.append(k)
            i = k + 1
            continue
        found = -1 if ch.isspace() else _find_words(original, cleaned[j : j + probe], i)
        if found < 0:  # whitespace the cleaner added, or a replaced character: stay
            out.append(min(i, n))
            continue
        out.append(found)
        i = found + 1
    out.append(min(out[-1] + 1, n) if out else 0)
    return out


def _find_words(text: str, piece: str, start: int) -> int:
    """Where ``piece`` next occurs in ``text`` from ``start``, any run of whitespace matching any
    other (the cleaner squeezes blank lines); -1 if it does not."""
    words = piece.split()[:-1] or piece.split()  # the last word may be cut short
    found = re.compile(r"\s+".join(map(re.escape, words))).search(text, start)
    return found.start() if found else -1


def _mapped(span: Span, where: list[int] | None) -> Span:
    if where is None:
        return span
    start, end = span
    return (where[start], where[end - 1] + 1) if end > start else (where[start], where[start])


def output_events(analysis: Analysis | None, original: str | None = None) -> list[OutputEvent]:
    """Every event of an analysis, in document order, reduced to what is scored; spans are
    moved into ``original`` when the analysed text is a cleaned copy of it."""
    if analysis is None:
        return []
    text = analysis.article.text
    where = offset_map(original, text) if original is not None and original != text else None
    sentences = {s.index: _mapped(s.span, where) for s in analysis.sentences}
    out = []
    for event in analysis.events:
        when = event.date
        out.append(
            OutputEvent(
                type=event.type,
                quad_class=event.quad_class,
                trigger=_mapped(event.trigger, where),
                sentence=sentences.get(event.sentence),
                source=tuple(c for c in map(resolved_code, event.source) if c),
                target=tuple(c for c in map(resolved_code, event.target) if c),
                date=(when.value, when.granularity or "") if when and when.value else None,
                certainty=event.certainty.label,
                confidence=event.confidence,
            )
        )
    return out


def merge_split(output: Sequence[OutputEvent]) -> list[OutputEvent]:
    """The output with each reciprocal event Flashpoint split into its directions (one trigger,
    one type, A→B and B→A) back as one event of every party, as the guide codes it; in document
    order, the merged event at its first direction's place, with the higher confidence."""
    groups: dict[tuple[Span, str], list[int]] = defaultdict(list)
    for j, o in enumerate(output):
        if o.type in RECIPROCAL_TYPES and len(o.source) == 1 and len(o.target) == 1:
            groups[(o.trigger, o.type)].append(j)
    merged: dict[int, OutputEvent] = {}
    dropped: set[int] = set()
    for members in groups.values():
        directed = {(output[j].source[0], output[j].target[0]) for j in members}
        if len(members) < 2 or any((b, a) not in directed for a, b in directed):
            continue
        first = output[members[0]]
        parties = tuple(dict.fromkeys(c for j in members for c in (*output[j].source, *output[j].target)))
        merged[members[0]] = replace(first, source=parties, target=(), reciprocal=True,
                                     confidence=max(output[j].confidence for j in members))
        dropped.update(members[1:])
    return [merged.get(j, o) for j, o in enumerate(output) if j not in dropped]


def reciprocal(event: GoldEvent | OutputEvent) -> bool:
    """Whether an event is scored on its parties rather than its directed dyads (module docstring)."""
    if isinstance(event, OutputEvent):
        return event.reciprocal
    return event.type in RECIPROCAL_TYPES and len(event.source) >= 2 and not event.target


# -- matching ----------------------------------------------------------------------------------


def overlap(a: Span | None, b: Span | None) -> int:
    """Characters two ``[start, end)`` spans share (0 if either is missing)."""
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def anchor(gold: GoldEvent, out: OutputEvent) -> tuple[int, int] | None:
    """``(rank, overlap)`` of the output event on the gold event's spans, or None."""
    by_trigger = max(overlap(span, out.trigger) for span in gold.spans)
    if by_trigger:
        return TRIGGER, by_trigger
    by_sentence = max(overlap(span, out.sentence) for span in gold.spans)
    return (SENTENCE, by_sentence) if by_sentence else None


def match(gold: Sequence[GoldEvent], output: Sequence[OutputEvent], same: Same = same_type) -> list[Pair]:
    """One-to-one pairs of one article's events, greedy, best anchor first (module docstring)."""
    candidates = []
    for i, g in enumerate(gold):
        for j, o in enumerate(output):
            found = anchor(g, o) if same(g, o) else None
            if found:
                rank, size = found
                candidates.append((rank, -size, -overlap(g.trigger_span, o.trigger), i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_output: set[int] = set()
    pairs = []
    for rank, _, _, i, j in candidates:
        if i in used_gold or j in used_output:
            continue
        used_gold.add(i)
        used_output.add(j)
        pairs.append(Pair(i, j, rank))
    return pairs


def duplicates(gold: Sequence[GoldEvent], output: Sequence[OutputEvent], pairs: Sequence[Pair]) -> list[int]:
    """Unmatched output events that strictly match a gold event someone else already took."""
    taken = {p.gold for p in pairs}
    matched = {p.output for p in pairs}
    return [
        j
        for j, o in enumerate(output)
        if j not in matched and any(same_type(gold[i], o) and anchor(gold[i], o) for i in taken)
    ]


def no_counterpart(gold: Sequence[GoldEvent], output: Sequence[OutputEvent]) -> list[int]:
    """Output events anchored on no gold event at all, whatever its type."""
    return [j for j, o in enumerate(output) if not any(anchor(g, o) for g in gold)]


# -- the scores on matched pairs -----------------------------------------------------------------


def _dyads(source: Sequence[str], target: Sequence[str], type_: str, unit: Callable[[str], str]):
    return expand_dyads([unit(c) for c in source], [unit(c) for c in target], type_)


def _parties(event: GoldEvent | OutputEvent, unit: Callable[[str], str]) -> set[tuple[str, str]]:
    """An event's parties, each with its type (none as ``-``): what a reciprocal event says."""
    return {(c, event.type) for c in sorted({unit(c) for c in (*event.source, *event.target)}) or ["-"]}


def _units(event: GoldEvent | OutputEvent, unit: Callable[[str], str], undirected: bool) -> set[tuple[str, ...]]:
    return _parties(event, unit) if undirected else _dyads(event.source, event.target, event.type, unit)


def dyad_counts(
    gold: Sequence[GoldEvent],
    output: Sequence[OutputEvent],
    pairs: Sequence[Pair],
    unit: Callable[[str], str] = str,
) -> Counts:
    """Dyad counts of one article, anchored on the strict pairs (module docstring)."""
    total = Counts()
    for p in pairs:
        g, o = gold[p.gold], output[p.output]
        undirected = reciprocal(g) or reciprocal(o)
        total = total + scoring.prf(_units(g, unit, undirected), _units(o, unit, undirected))
    paired_gold = {p.gold for p in pairs}
    paired_output = {p.output for p in pairs}
    for i, g in enumerate(gold):
        if i not in paired_gold:
            total = total + Counts(fn=len(_units(g, unit, reciprocal(g))))
    for j, o in enumerate(output):
        if j not in paired_output:
            total = total + Counts(fp=len(_units(o, unit, reciprocal(o))))
    return total


def month_of(when: tuple[str, str] | None) -> str | None:
    """A date at month level: a day's value cut to ``YYYY-MM``; months and years as they are."""
    return None if when is None else when[0][:7]


# -- calibration -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    low: float
    count: int
    mean_confidence: float
    real: float  # share of the bin's events that match a gold event strictly

    def to_dict(self) -> dict[str, Any]:
        return {
            "bin": f"{self.low:.1f}–{self.low + BIN:.1f}",
            "count": self.count,
            "mean_confidence": round(self.mean_confidence, 4),
            "real": round(self.real, 4),
        }


def calibration(confidences: Sequence[float], real: Sequence[bool]) -> tuple[list[CalibrationBin], float]:
    """Bins 0.1 wide (1.0 goes in the last) and the expected calibration error."""
    bins: dict[int, list[tuple[float, bool]]] = {}
    for c, r in zip(confidences, real, strict=True):
        bins.setdefault(min(int(c / BIN + 1e-9), round(1 / BIN) - 1), []).append((c, r))
    table = []
    ece = 0.0
    for k in sorted(bins):
        items = bins[k]
        mean = sum(c for c, _ in items) / len(items)
        share = sum(r for _, r in items) / len(items)
        table.append(CalibrationBin(round(k * BIN, 1), len(items), mean, share))
        ece += len(items) / len(confidences) * abs(mean - share)
    return table, ece


# -- the set's scores --------------------------------------------------------------------------


def _prf(prefix: str, c: Counts) -> list[Score]:
    return [
        Score(f"{prefix}_precision", c.precision, c.predicted),
        Score(f"{prefix}_recall", c.recall, c.gold),
        Score(f"{prefix}_f1", c.f1, c.gold),
    ]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score_wikinews(
    records: Sequence[WikinewsRecord], analyses: Sequence[Analysis | None]
) -> tuple[list[Score], dict[str, Any]]:
    """Event P/R/F1 (strict, lenient), dyads, dates, certainty and calibration of whole articles."""
    strict = lenient = dyads = dyads_country = Counts()
    date_ok = month_ok = certainty_ok = 0
    by_sentence = 0
    dup = unanchored = 0
    gold_types: Counter[str] = Counter()
    output_types: Counter[str] = Counter()
    matched_types: Counter[str] = Counter()
    confidences: list[float] = []
    real: list[bool] = []
    selections: dict[str, Selection] = {}
    for record, analysis in zip(records, analyses, strict=True):
        gold, output = record.events, merge_split(output_events(analysis, record.text))
        pairs = match(gold, output, same_type)
        loose = match(gold, output, same_quad)
        counts = Counts(len(pairs), len(output) - len(pairs), len(gold) - len(pairs))
        strict = strict + counts
        selections[record.selection] = selections.get(record.selection, Selection()).add(counts)
        lenient = lenient + Counts(len(loose), len(output) - len(loose), len(gold) - len(loose))
        dyads = dyads + dyad_counts(gold, output, pairs)
        dyads_country = dyads_country + dyad_counts(gold, output, pairs, country_unit)
        for p in pairs:
            g, o = gold[p.gold], output[p.output]
            date_ok += g.date == o.date
            month_ok += month_of(g.date) == month_of(o.date)
            certainty_ok += g.certainty == o.certainty
            by_sentence += p.anchor == SENTENCE
            matched_types[g.type] += 1
        dup += len(duplicates(gold, output, pairs))
        unanchored += len(no_counterpart(gold, output))
        gold_types.update(g.type for g in gold)
        output_types.update(o.type for o in output)
        real_here = {p.output for p in pairs}
        confidences.extend(o.confidence for o in output)
        real.extend(j in real_here for j in range(len(output)))
    n_pairs, n_output = strict.tp, strict.predicted
    confident = [r for c, r in zip(confidences, real, strict=True) if c >= CONFIDENT]
    table, ece = calibration(confidences, real)
    scores = [
        *_prf("event", strict),
        *_prf("event_lenient", lenient),
        *_prf("dyad", dyads),
        *_prf("dyad_country", dyads_country),
        Score("date_accuracy", _share(date_ok, n_pairs), n_pairs),
        Score("date_month_accuracy", _share(month_ok, n_pairs), n_pairs),
        Score("certainty_accuracy", _share(certainty_ok, n_pairs), n_pairs),
        Score(f"event_precision_at_{CONFIDENT}", _share(sum(confident), len(confident)), len(confident)),
    ]
    per_type = {
        t: Counts(matched_types[t], output_types[t] - matched_types[t], gold_types[t] - matched_types[t])
        for t in sorted(gold_types.keys() | output_types.keys())
    }
    details = {
        "summary": (
            f"{strict.gold} gold and {n_output} output events in {len(records)} articles; "
            f"{dup} duplicates ({_share(dup, n_output):.1%} of output), "
            f"{unanchored} with no gold counterpart ({_share(unanchored, n_output):.1%}), "
            f"ECE {ece:.3f}{_by_selection(selections)}"
        ),
        "per_type": {
            t: {"gold": c.gold, "predicted": c.predicted, **c.to_dict()} for t, c in per_type.items()
        },
        "event_counts": strict.to_dict(),
        "event_lenient_counts": lenient.to_dict(),
        "dyad_counts": dyads.to_dict(),
        "dyad_country_counts": dyads_country.to_dict(),
        "matched_by_sentence": by_sentence,
        "duplicates": {"n": dup, "share": _share(dup, n_output)},
        "no_counterpart": {"n": unanchored, "share": _share(unanchored, n_output)},
        "calibration": [b.to_dict() for b in table],
        "ece": ece,
        "by_selection": {name: sel.to_dict() for name, sel in sorted(selections.items())},
    }
    return scores, details


@dataclass(frozen=True, slots=True)
class Selection:
    """Event counts of the articles of one selection of the gold set (``politics``, ``wider``),
    and how many output events fell on its articles that have no gold event at all: in the wider
    selection (disasters, crime, science, interviews) every such event is a false alarm."""

    articles: int = 0
    events: Counts = Counts()
    eventless: int = 0  # articles with no gold event
    on_eventless: int = 0  # output events on those articles

    def add(self, counts: Counts) -> Selection:
        none = counts.gold == 0
        return Selection(
            self.articles + 1,
            self.events + counts,
            self.eventless + none,
            self.on_eventless + (counts.predicted if none else 0),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            **self.events.to_dict(),
            "eventless_articles": self.eventless,
            "output_on_eventless": self.on_eventless,
        }


def _by_selection(selections: dict[str, Selection]) -> str:
    """The summary's per-selection part: only when the split holds more than one selection."""
    if len(selections) < 2:
        return ""
    parts = []
    for name, sel in sorted(selections.items()):
        e = sel.events
        parts.append(
            f"{name} ({sel.articles} articles) P/R/F1 {e.precision:.3f}/{e.recall:.3f}/{e.f1:.3f}, "
            f"{sel.on_eventless} output events on its {sel.eventless} articles with no gold event"
        )
    return "; by selection: " + "; ".join(parts)
