"""Run the pipeline on the benchmark sets and score what it found: the scorecard.

How a prediction is read off an :class:`~flashpoint.records.Analysis` (decided once, here):

* **main event** of a sentence-sized text (plover-gsr, conflibert-cameo): the event with the
  highest confidence; on a tie the first in document order. No event is a wrong answer.
* **lead event** of an article (giveme5w1h): the highest-confidence event of the earliest
  sentence that has one — news puts the main event in its lead, and Giveme5W1H's "when"
  annotates that event.
* **actor code** of an :class:`~flashpoint.records.ActorRef`: its ISO country, else ``ORG``
  when it names an international organisation (the gold has only generic IGO/NGO codes),
  else nothing (the mention is left out of actor scores).
* **PentaClass** (conflibert-cameo): the main event's CAMEO root mapped to ConfliBERT's five
  classes. A sentence with no event is predicted class 0 "statement/appeal": a sentence
  Flashpoint codes no event in is at most a statement, and this is the reading that costs
  nothing when the gold is 0 and is plainly wrong otherwise. An event whose CAMEO code has
  no valid root counts as no event.
* **every event** of a whole article (wikinews, wikinews-dev): matched one-to-one with the
  gold events of the article, in :mod:`.wikinews`.
* **uncertain** (wiki-weasel): any sentence of the text labelled ``hedged`` or
  ``hypothetical``. The gold marks a sentence uncertain when it holds any weasel or hedge cue,
  so one uncertain clause is enough, whatever the splitter made of the text.

The runner builds :class:`~flashpoint.records.Article` records directly rather than going
through ingest: the benchmark texts are already clean text, and span scores need offsets into
exactly the text that was analysed.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from flashpoint._version import __version__
from flashpoint.errors import EvalError, FlashpointError
from flashpoint.evaluation import scoring
from flashpoint.evaluation.scoring import Counts, Score
from flashpoint.evaluation.sets import (
    ORG,
    PENTA_CLASSES,
    SETS,
    BenchmarkMissing,
    ConfliRecord,
    GivemeRecord,
    PloverRecord,
    WeaselRecord,
    WikinewsRecord,
    expand_dyads,
    penta_class,
    sector_code,
    subsample,
)
from flashpoint.evaluation.wikinews import score_wikinews
from flashpoint.inputs.clean import Document, to_article
from flashpoint.records import ActorRef, Analysis, Article, Event
from flashpoint.settings import Settings

UNCERTAIN_LABELS = frozenset({"hedged", "hypothetical"})


class Analyzer(Protocol):
    """What the runner needs of a pipeline (``flashpoint.pipeline.Pipeline`` is one)."""

    def analyze_many(
        self, articles: Iterable[tuple[Article, str | None]]
    ) -> Iterator[Analysis | tuple[str | None, FlashpointError]]: ...


# -- the scorecard ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetResult:
    """The outcome of one benchmark set.

    ``status`` is ``ok`` (scored), ``missing`` (files not found), ``unavailable`` (the set
    cannot be scored by this version) or ``error`` (files malformed). ``key`` names the set in
    the floors file: the set name, with ``@N`` appended when ``--limit`` sampled N records.
    """

    name: str
    status: str
    key: str
    scores: tuple[Score, ...] = ()
    detail: str = ""
    records: int = 0
    failed: int = 0  # documents the pipeline could not analyse (scored as "nothing found")
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    def score(self, metric: str) -> Score | None:
        return next((s for s in self.scores if s.metric == metric), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "key": self.key,
            "status": self.status,
            "detail": self.detail,
            "records": self.records,
            "failed": self.failed,
            "seconds": round(self.seconds, 2),
            "scores": [s.to_dict() for s in self.scores],
            "details": self.details,
        }


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Every requested set's result, and what the run was made with."""

    sets: tuple[SetResult, ...]
    data_dir: str
    data_dir_exists: bool
    commit: str = "unknown"
    model: str | None = None
    limit: int | None = None
    version: str = __version__

    def result(self, key: str) -> SetResult | None:
        return next((r for r in self.sets if r.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "flashpoint": self.version,
            "commit": self.commit,
            "model": self.model,
            "data_dir": self.data_dir,
            "data_dir_exists": self.data_dir_exists,
            "limit": self.limit,
            "sets": [r.to_dict() for r in self.sets],
        }


# -- reading predictions off an analysis -------------------------------------------------------


def _most_confident(events: Iterable[Event]) -> Event | None:
    best: Event | None = None
    for event in events:
        if best is None or event.confidence > best.confidence:  # strict: ties keep the first
            best = event
    return best


def main_event(analysis: Analysis | None) -> Event | None:
    """The highest-confidence event; on a tie the first. None when there is no event."""
    return _most_confident(analysis.events) if analysis else None


def lead_event(analysis: Analysis | None) -> Event | None:
    """The main event of the earliest sentence that has an event."""
    if analysis is None or not analysis.events:
        return None
    first = min(e.sentence for e in analysis.events)
    return _most_confident(e for e in analysis.events if e.sentence == first)


def actor_code(ref: ActorRef) -> str | None:
    """The code an actor mention is scored under: country, else ``ORG``, else None."""
    if ref.country:
        return ref.country.upper()
    if ref.org:
        return ORG
    return None


def _codes(refs: Sequence[ActorRef]) -> list[str]:
    return [c for c in map(actor_code, refs) if c]


def cameo_root(event: Event | None) -> int | None:
    if event is None or len(event.cameo) < 2 or not event.cameo[:2].isdigit():
        return None
    root = int(event.cameo[:2])
    return root if 1 <= root <= 20 else None


def token_span(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The token range ``[first, last + 1)`` covering characters ``[start, end)``, if any."""
    hit = [i for i, (s, e) in enumerate(spans) if s < end and e > start]
    return (hit[0], hit[-1] + 1) if hit else None


# -- per-set scoring (pure: gold records and analyses in, scores out) --------------------------


def _table(counts: dict[Any, Counts]) -> dict[str, dict[str, float | int]]:
    return {
        str(label): {"gold": c.gold, "predicted": c.predicted, **c.to_dict()} for label, c in counts.items()
    }


def _prf_scores(prefix: str, c: Counts, n: int, only_f1: bool = False) -> list[Score]:
    if only_f1:
        return [Score(f"{prefix}_f1", c.f1, n)]
    return [
        Score(f"{prefix}_precision", c.precision, n),
        Score(f"{prefix}_recall", c.recall, n),
        Score(f"{prefix}_f1", c.f1, n),
    ]


def score_plover(
    records: Sequence[PloverRecord], analyses: Sequence[Analysis | None]
) -> tuple[list[Score], dict[str, Any]]:
    """Event type, actor codes (plain, by role, with sector) and dyads of the main event."""
    gold_types = [r.type for r in records]
    pred_types: list[str | None] = []
    actors, roles, sectors, dyads = [], [], [], []
    for record, analysis in zip(records, analyses, strict=True):
        event = main_event(analysis)
        pred_types.append(event.type if event else None)
        source = event.source if event else ()
        target = event.target if event else ()
        actors.append(scoring.prf(record.codes, _codes((*source, *target))))
        roles.append(
            scoring.prf(
                record.role_codes,
                {("source", c) for c in _codes(source)} | {("target", c) for c in _codes(target)},
            )
        )
        sectors.append(
            scoring.prf(
                record.code_sectors,
                {(actor_code(a), sector_code(a.sector)) for a in (*source, *target) if actor_code(a)},
            )
        )
        dyads.append(
            scoring.prf(
                record.dyads, expand_dyads(_codes(source), _codes(target), event.type) if event else ()
            )
        )
    n = len(records)
    scores = [
        Score("type_accuracy", scoring.accuracy(gold_types, pred_types), n),
        Score("type_macro_f1", scoring.macro_f1(gold_types, pred_types), n),
        *_prf_scores("actor", scoring.micro(actors), n),
        *_prf_scores("actor_role", scoring.micro(roles), n, only_f1=True),
        *_prf_scores("actor_sector", scoring.micro(sectors), n),
        *_prf_scores("dyad", scoring.micro(dyads), n),
    ]
    details = {
        "per_type": _table(scoring.per_label(gold_types, pred_types)),
        "no_event": sum(1 for t in pred_types if t is None),
        "confusions": [
            [g, p or "(none)", k]
            for (g, p), k in sorted(
                Counter((g, p) for g, p in zip(gold_types, pred_types, strict=True) if g != p).items(),
                key=lambda item: (-item[1], item[0][0], item[0][1] or ""),
            )
        ][:25],
        "actor_counts": scoring.micro(actors).to_dict(),
        "actor_role_counts": scoring.micro(roles).to_dict(),
        "actor_sector_counts": scoring.micro(sectors).to_dict(),
        "dyad_counts": scoring.micro(dyads).to_dict(),
    }
    return scores, details


def score_conflibert(
    records: Sequence[ConfliRecord], analyses: Sequence[Analysis | None]
) -> tuple[list[Score], dict[str, Any]]:
    """PentaClass of the main event, and exact token spans of its source and target."""
    gold, pred = [], []
    source, target = [], []
    no_event = 0
    for record, analysis in zip(records, analyses, strict=True):
        event = main_event(analysis)
        root = cameo_root(event)
        no_event += event is None
        gold.append(record.label)
        pred.append(penta_class(root) if root is not None else 0)
        predicted: set[tuple[int, int, str]] = set()
        for kind, refs in (("S", event.source if event else ()), ("T", event.target if event else ())):
            for ref in refs:
                span = token_span(record.token_spans, *ref.span)
                if span:
                    predicted.add((*span, kind))
        source.append(scoring.span_prf(record.gold_spans, predicted, "S"))
        target.append(scoring.span_prf(record.gold_spans, predicted, "T"))
    n = len(records)
    scores = [
        Score("class_accuracy", scoring.accuracy(gold, pred), n),
        Score("class_macro_f1", scoring.macro_f1(gold, pred, PENTA_CLASSES), n),
        *_prf_scores("source_span", scoring.micro(source), n),
        *_prf_scores("target_span", scoring.micro(target), n),
    ]
    details = {
        "per_class": _table(scoring.per_label(gold, pred, PENTA_CLASSES)),
        "no_event": no_event,
        "source_span_counts": scoring.micro(source).to_dict(),
        "target_span_counts": scoring.micro(target).to_dict(),
    }
    return scores, details


def score_weasel(
    records: Sequence[WeaselRecord], analyses: Sequence[Analysis | None]
) -> tuple[list[Score], dict[str, Any]]:
    """Precision, recall and F1 of "uncertain" (any hedged or hypothetical sentence)."""
    counts = Counts()
    labels: dict[str, Counter[str]] = {"uncertain": Counter(), "certain": Counter()}
    for record, analysis in zip(records, analyses, strict=True):
        sentence_labels = [s.certainty.label for s in analysis.sentences] if analysis else []
        predicted = any(label in UNCERTAIN_LABELS for label in sentence_labels)
        counts = counts + Counts(
            tp=int(record.uncertain and predicted),
            fp=int(predicted and not record.uncertain),
            fn=int(record.uncertain and not predicted),
        )
        labels["uncertain" if record.uncertain else "certain"].update(sentence_labels)
    n = len(records)
    details = {
        "counts": counts.to_dict(),
        "gold_uncertain": sum(r.uncertain for r in records),
        "sentence_labels_by_gold": {k: dict(sorted(v.items())) for k, v in labels.items()},
    }
    return _prf_scores("uncertain", counts, n), details


def score_giveme(
    records: Sequence[GivemeRecord], analyses: Sequence[Analysis | None]
) -> tuple[list[Score], dict[str, Any]]:
    """Date of the lead event against the (consistent) gold "when": exact day, and month."""
    day = month = 0
    basis: Counter[str] = Counter()
    no_event = 0
    for record, analysis in zip(records, analyses, strict=True):
        assert record.when is not None
        event = lead_event(analysis)
        if event is None:
            no_event += 1
            continue
        value, granularity = event.date.value or "", event.date.granularity
        basis[event.date.basis] += 1
        gold = record.when.isoformat()
        day += granularity == "day" and value == gold
        month += granularity in ("day", "month") and value[:7] == gold[:7]
    n = len(records)
    scores = [
        Score("date_day_accuracy", day / n if n else 0.0, n),
        Score("date_month_accuracy", month / n if n else 0.0, n),
    ]
    # The same accuracies over the articles that have an event: date resolution on its own,
    # apart from event coding (an article with no event scores as a wrong date above).
    coded = n - no_event
    details = {
        "no_event": no_event,
        "date_basis": dict(sorted(basis.items())),
        "with_event": {
            "n": coded,
            "date_day_accuracy": day / coded if coded else 0.0,
            "date_month_accuracy": month / coded if coded else 0.0,
        },
    }
    return scores, details


# -- running -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    articles: Callable[[list[Any]], list[Article]]
    score: Callable[[Sequence[Any], Sequence[Analysis | None]], tuple[list[Score], dict[str, Any]]]
    scored: Callable[[list[Any]], list[Any]] = lambda records: records
    # what to say about records left out of scoring (goes into the set's details)
    left_out: Callable[[list[Any]], dict[str, Any]] = lambda records: {}


_PLANS: dict[str, _Plan] = {
    "plover-gsr": _Plan(lambda rs: [Article(text=r.text) for r in rs], score_plover),
    "conflibert-cameo": _Plan(lambda rs: [Article(text=r.text) for r in rs], score_conflibert),
    "wiki-weasel": _Plan(lambda rs: [Article(text=r.text) for r in rs], score_weasel),
    "giveme5w1h": _Plan(
        lambda rs: [
            Article(text=r.text, title=r.title, published=r.published, published_source="metadata")
            for r in rs
        ],
        score_giveme,
        # Only articles with a trustworthy gold "when" are analysed and scored.
        scored=lambda rs: [r for r in rs if r.when is not None],
        left_out=lambda rs: {"excluded": dict(sorted(Counter(r.excluded for r in rs if r.excluded).items()))},
    ),
    "wikinews": _Plan(lambda rs: [wikinews_article(r) for r in rs], score_wikinews),
    "wikinews-dev": _Plan(lambda rs: [wikinews_article(r) for r in rs], score_wikinews),
}


def wikinews_article(record: WikinewsRecord) -> Article:
    """The article exactly as ``flashpoint ingest`` of the Wikinews corpus CSV would analyse it:
    its text cleaned by :func:`~flashpoint.inputs.clean.to_article` (the dateline line comes
    off), its title and URL, the CSV's date as metadata. The scorer maps the output's spans
    back onto the gold's text (:func:`.wikinews.offset_map`)."""
    document = Document(
        record.text, "text", title=record.title, url=record.url, published=record.published, origin=record.url
    )
    return to_article(document, settings=Settings())


def analyse_all(analyzer: Analyzer, articles: Sequence[Article]) -> tuple[list[Analysis | None], list[str]]:
    """Analyses in input order; a document the pipeline fails on gives None and its reason."""
    results: dict[str, Analysis] = {}
    failures: list[str] = []
    for item in analyzer.analyze_many((a, str(i)) for i, a in enumerate(articles)):
        if isinstance(item, Analysis):
            results[item.id] = item
        else:
            record_id, error = item
            failures.append(f"{record_id}: {error}")
    return [results.get(str(i)) for i in range(len(articles))], failures


def run_set(
    name: str, analyzer: Callable[[], Analyzer], data_dir: Path, limit: int | None = None
) -> SetResult:
    """Load one set, analyse it and score it; a missing or broken set is a result, not a raise.

    ``analyzer`` is a zero-argument factory, called only once the set's files are found, so
    a run without data never loads the language model.
    """
    bench = SETS[name]
    started = time.perf_counter()
    if bench.load is None:
        return SetResult(name, "unavailable", name, detail=bench.unavailable or "")
    try:
        everything = bench.records(data_dir)
    except BenchmarkMissing as exc:
        return SetResult(name, "missing", name, detail=exc.message)
    except EvalError as exc:
        return SetResult(name, "error", name, detail=f"error: {exc.message}")
    records = subsample(everything, limit)
    key = f"{name}@{limit}" if limit is not None and limit < len(everything) else name
    plan = _PLANS[name]
    scored = plan.scored(records)
    try:
        analyses, failures = analyse_all(analyzer(), plan.articles(scored))
    except FlashpointError as exc:  # the pipeline gave up on the whole batch
        return SetResult(name, "error", key, detail=f"error: the pipeline failed: {exc}")
    scores, details = plan.score(scored, analyses)
    details.update(plan.left_out(records))
    if failures:
        details["failures"] = failures[:20]
    detail = f"{len(scored)} of {len(records)} records scored" if len(scored) != len(records) else ""
    return SetResult(
        name,
        "ok",
        key,
        tuple(scores),
        detail=detail,
        records=len(scored),
        failed=len(failures),
        seconds=time.perf_counter() - started,
        details=details,
    )


def evaluate(
    names: Sequence[str] | None = None,
    *,
    data_dir: Path,
    analyzer: Analyzer | None = None,
    limit: int | None = None,
) -> Scorecard:
    """Run the named sets (default: all) and return the scorecard.

    Without ``analyzer`` a :class:`~flashpoint.pipeline.Pipeline` with default settings is
    built, once, when the first set with data needs it.
    """
    names = list(names or SETS)
    unknown = [n for n in names if n not in SETS]
    if unknown:
        raise EvalError(f"unknown benchmark set(s) {', '.join(unknown)}; known: {', '.join(SETS)}")
    cache: list[Analyzer] = []

    def get() -> Analyzer:
        if not cache:
            if analyzer is None:
                from flashpoint.pipeline import (
                    Pipeline,  # imported late: it loads every stage
                )

                cache.append(Pipeline())
            else:
                cache.append(analyzer)
        return cache[0]

    results = tuple(run_set(n, get, data_dir, limit) for n in names)
    model = getattr(cache[0], "model_name", None) if cache else None
    return Scorecard(
        sets=results,
        data_dir=str(data_dir),
        data_dir_exists=data_dir.is_dir(),
        commit=git_commit(),
        model=model,
        limit=limit,
    )


def git_commit(cwd: Path | None = None) -> str:
    """``git rev-parse --short HEAD`` of the source checkout, or ``unknown``."""
    where = cwd or Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else "unknown"
