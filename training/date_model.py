"""Train the date chooser (``src/flashpoint/data/dates/date_model.json``) on the Wikinews gold
set's **dev** split only — the test split is never read here.

Every dev gold event whose own sentence names no time for it (and which is not in the article's
first sentence) is one choice: the options :func:`flashpoint.stages.event_dates.options` offers
at the gold trigger (publication, the carried day, a month or year just before, no date), each
labelled 1 when its date equals the gold date (value and granularity; no date for a gold
``null``). A logistic regression scores the options; the best-scoring one is the event's date.
The regularisation is chosen by cross-validated accuracy of that choice, in folds grouped by
article (no article is in both the fitting and the scoring folds), repeated over shuffled
folds; then the model is refit on the whole dev split.

    pip install -e '.[train]'
    python training/date_model.py                # writes the model, prints the CV accuracy
    python training/date_model.py --dry-run      # only prints
    python training/date_model.py --held-out     # also: dev date accuracy on matched events,
                                                 # in-sample and with each article's dates chosen
                                                 # by a model fitted without that article
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "benchmarks" / "gold" / "wikinews"
OUT = REPO / "src" / "flashpoint" / "data" / "dates" / "date_model.json"
GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS, REPEATS = 10, 5
TOLERANCE = 0.01


def collect(gold_dir: Path) -> list[tuple[int, Any, dict[str, tuple[Any, dict[str, float]]]]]:
    """(article number, gold date, options) of every dev gold event its sentence leaves undated."""
    from flashpoint.draft import Draft
    from flashpoint.evaluation.runner import wikinews_article
    from flashpoint.evaluation.sets import training_records
    from flashpoint.evaluation.wikinews import offset_map
    from flashpoint.pipeline import Pipeline
    from flashpoint.stages import parser
    from flashpoint.stages.dates import event_date
    from flashpoint.stages.event_dates import options

    pipe = Pipeline()
    before = [s for s in pipe.stages if s.name in ("sentences", "dates", "certainty")]
    choices = []
    for number, record in enumerate(training_records(gold_dir)):  # never "test"
        article = wikinews_article(record)
        draft = Draft(article=article, doc=parser.parse(pipe.nlp, article.text, pipe.settings))
        for stage in before:
            draft = stage.run(draft)
        text, published = article.text, article.published
        # gold spans index the original text; the draft's, the cleaned one
        where = offset_map(record.text, text) if record.text != text else list(range(len(text) + 1))
        located = []
        for gold in record.events:
            if gold.trigger_span is None:
                continue
            trigger = (bisect.bisect_left(where, gold.trigger_span[0]), bisect.bisect_left(where, gold.trigger_span[1]))
            sentence = next((s for s in draft.sentences if s.span[0] <= trigger[0] < s.span[1]), None)
            if sentence is not None:
                located.append((gold, trigger, sentence))
        lead = min((sentence.index for _, _, sentence in located), default=0)
        for gold, trigger, sentence in located:
            if sentence.index == 0:  # the first sentence keeps the publication date
                continue
            own = event_date(draft.times, sentence.span, trigger, published, draft.doc)
            if own.basis != "publication":
                continue
            offered = options(draft.doc, text, draft.sentences, draft.times, sentence, trigger, published,
                              lead=sentence.index <= lead)
            choices.append((number, gold.date, offered))
    return choices


def heldout_dates(gold_dir: Path, model_for: Any) -> tuple[float, float, int]:
    """Date accuracy (value and granularity; month) on the matched events of the dev split, each
    article dated by ``model_for(article number)`` (weights and bias of a chooser)."""
    from flashpoint.evaluation.runner import wikinews_article
    from flashpoint.evaluation.sets import training_records
    from flashpoint.evaluation.wikinews import match, month_of, output_events, same_type
    from flashpoint.pipeline import Pipeline
    from flashpoint.stages.event_dates import DateModel, EventDater

    pipe = Pipeline()
    dater = next(s.run for s in pipe.stages if isinstance(s.run, EventDater))
    exact = month = total = 0
    fitted: dict[int, DateModel] = {}
    for number, record in enumerate(training_records(gold_dir)):  # never "test"
        chosen = model_for(number)
        dater.model = fitted.setdefault(id(chosen), DateModel(chosen["weights"], chosen["bias"]))
        analysis = pipe.analyze_article(wikinews_article(record))
        outs = output_events(analysis, record.text)
        for pair in match(record.events, outs, same_type):  # as the wikinews scorer matches
            gold, out = record.events[pair.gold].date, outs[pair.output].date
            total += 1
            exact += gold == out
            month += month_of(gold) == month_of(out)
    return round(exact / total, 3), round(month / total, 3), total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true")
    # --held-out as in training/role_model.py; --heldout, its first spelling, still works
    parser.add_argument("--held-out", "--heldout", dest="heldout", action="store_true",
                        help="also score dev dates end to end, in-sample and held out by article")
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    choices = collect(args.gold)
    rows, labels, groups, owner = [], [], [], []
    for k, (number, gold, offered) in enumerate(choices):
        for name, (when, features) in offered.items():
            rows.append(features)
            labels.append(int((when.value, when.granularity) == gold if when.value else gold is None))
            groups.append(number)
            owner.append((k, name))
    vec = DictVectorizer()
    M = vec.fit_transform(rows)
    y = np.array(labels)
    group = np.array(groups)
    articles = sorted(set(groups))
    print(f"dev: {len(choices)} undated gold events in {len(articles)} articles, {len(rows)} options")

    def accuracy(scores: np.ndarray) -> float:
        best: dict[int, tuple[float, int]] = {}
        for i, (k, _) in enumerate(owner):
            if k not in best or scores[i] > best[k][0]:
                best[k] = (float(scores[i]), int(y[i]))
        return sum(right for _, right in best.values()) / len(choices)

    def cv_accuracy(c: float) -> float:
        runs = []
        for repeat in range(REPEATS):
            order = articles[:]
            random.Random(repeat).shuffle(order)
            scores = np.zeros(len(y))
            for fold in range(FOLDS):
                held = np.isin(group, order[fold::FOLDS])
                model = LogisticRegression(C=c, max_iter=3000).fit(M[~held], y[~held])
                scores[held] = model.decision_function(M[held])
            runs.append(accuracy(scores))
        return float(np.mean(runs))

    scores_by_c = {c: cv_accuracy(c) for c in GRID}
    # The strongest regularisation within a point of the best: with some 200 choices the CV
    # accuracies of neighbouring C differ by noise, and a flatter model carries better.
    top = max(scores_by_c.values())
    best_c = min(c for c in GRID if scores_by_c[c] >= top - TOLERANCE)
    always = {name: sum(1 for _, gold, offered in choices if name in offered and
                        ((offered[name][0].value, offered[name][0].granularity) == gold
                         if offered[name][0].value else gold is None)) / len(choices)
              for name in ("publication", "carried", "none")}
    print("CV accuracy by C:", {c: round(v, 3) for c, v in scores_by_c.items()}, "→ C =", best_c)
    print("always one option:", {k: round(v, 3) for k, v in always.items()})

    final = LogisticRegression(C=best_c, max_iter=3000).fit(M, y)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), final.coef_[0])
               if abs(w) >= 1e-4}
    model = {
        "format": "flashpoint-date-model-1",
        "trained_on": "Wikinews gold set, dev split (benchmarks/gold/wikinews), by training/date_model.py",
        "events": len(choices), "C": best_c,
        "cv": {"accuracy": round(scores_by_c[best_c], 4), "folds": FOLDS, "repeats": REPEATS,
               "always": {k: round(v, 4) for k, v in always.items()}},
        "bias": round(float(final.intercept_[0]), 5),
        "threshold": 0.0,  # unused: the best-scoring option wins
        "weights": dict(sorted(weights.items())),
    }
    if args.heldout:
        def fitted(held: set[int] | None) -> dict[str, Any]:
            keep = np.ones(len(y), bool) if held is None else ~np.isin(group, sorted(held))
            fit = LogisticRegression(C=best_c, max_iter=3000).fit(M[keep], y[keep])
            return {"weights": dict(zip(vec.get_feature_names_out(), map(float, fit.coef_[0]))),
                    "bias": float(fit.intercept_[0])}
        order = articles[:]
        random.Random(0).shuffle(order)
        folds = [set(order[fold::FOLDS]) for fold in range(FOLDS)]
        print("dev dates on matched events (value+granularity / month):")
        whole = fitted(None)
        print("  in-sample:", heldout_dates(args.gold, lambda number: whole))
        per_fold = {number: fitted(fold) for fold in folds for number in fold}
        # an article with no choice to learn from is held out of the whole fit already
        print(f"  held out ({FOLDS} folds by article):",
              heldout_dates(args.gold, lambda number: per_fold.get(number, whole)))
    if args.dry_run:
        return 0
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
