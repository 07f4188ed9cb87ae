"""Train the event model's **article** weights (the ``article`` part of
``src/flashpoint/data/events/event_model.json``) on the Wikinews gold set's **dev** split only —
the test split is never read here. The file's own weights, which score lone sentences (the
sentence benchmarks), are carried over unchanged.

Every event Flashpoint codes in a dev article (with no model, so nothing is dropped) is labelled
1 when it matches a gold event of the same type (its trigger inside the gold quote: the matcher
of ``flashpoint eval wikinews``) and 0 otherwise; a logistic regression over
:func:`flashpoint.models.event_model.features` learns which are real, with the trigger's word vector
reduced to ``COMPONENTS`` principal components (fitted, like the weights, on the fitting folds
only). The regularisation, the Platt calibration and the drop
threshold are chosen by cross-validation grouped by article (no article is in both the fitting
and the scoring folds; the mean of ``SEEDS`` shuffled 5-fold splits), then the model is refit on
the whole dev split.

    pip install -e '.[train]'
    python training/event_model.py              # writes the model, prints the CV figures
    python training/event_model.py --dry-run    # only prints
    python training/event_model.py --ablate     # also the CV log loss without each feature family
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "benchmarks" / "gold" / "wikinews"
OUT = REPO / "src" / "flashpoint" / "data" / "events" / "event_model.json"

# Lemmas enter the model only when seen this often among the training events: rarer ones would
# be fitted to a single article.
MIN_LEMMA_COUNT = 4
# The trigger's word vector enters reduced to this many principal components: 8 had a lower
# cross-validated log loss than 4 or 16 on the dev split (docs/benchmarks.md, issue 13).
COMPONENTS = 8
VECTOR_SIZE = 300  # the static vectors of spaCy's md English pipelines
# Largest held-out expected calibration error a chosen regularisation may have.
MAX_ECE = 0.05
# The drop threshold is the lowest whose held-out F1 is within this of the best: a higher one
# that buys less F1 than this is not worth the gold events it loses (recall is pinned by the
# floors gate): near ties go to keeping more events.
F1_TIE = 0.002
GRID = (0.01, 0.03, 0.1, 0.3, 1.0)  # the regularisations tried (C of scikit-learn)
SEEDS = (0, 1, 2)  # shuffled 5-fold splits grouped by article; figures are their mean
# Feature families left out of the article weights: each was measured by --ablate and did not
# lower the cross-validated log loss (docs/benchmarks.md, issue 13). Prefixes of feature names.
LEFT_OUT: tuple[str, ...] = ()


def traced_pipeline() -> tuple[Any, dict[str, Any]]:
    """A pipeline whose events stage codes everything (no model: the model learns what to drop)
    and records each event's features, by event id, in the returned dict."""
    from flashpoint.pipeline import Pipeline
    from flashpoint.stages.events import EventCoder

    pipe = Pipeline()
    coder = next(s.run for s in pipe.stages if isinstance(s.run, EventCoder))
    coder.model = None
    traced: dict[str, Any] = {}
    coder.trace = lambda event, context: traced.setdefault(event.id, context)
    return pipe, traced


def collect(gold_dir: Path, pipe: Any, traced: dict[str, Any]
            ) -> tuple[list[Any], list[int], list[str], int]:
    """(features, label, article url) of every event coded in the dev split, and the number of
    dev gold events."""
    from flashpoint.evaluation.runner import wikinews_article
    from flashpoint.evaluation.sets import load_wikinews
    from flashpoint.evaluation.wikinews import match, output_events

    records = load_wikinews(gold_dir, "dev")  # never "test"
    X, y, groups = [], [], []
    gold_total = 0
    for record in records:
        analysis = pipe.analyze_article(wikinews_article(record))
        matched = {pair.output for pair in match(record.events, output_events(analysis, record.text))}
        gold_total += len(record.events)
        for j, event in enumerate(analysis.events):
            X.append(traced[event.id])
            y.append(1 if j in matched else 0)
            groups.append(record.url)
    return X, y, groups, gold_total


# the families --ablate measures (prefixes of feature names)
FAMILIES = ("habitual", "vec", "lemma=", "tense=", "part=", "recap", "repeated", "copula", "negated_above",
            "certainty=", "governed=")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--ablate", action="store_true",
                        help="also print the CV log loss without each feature family (FAMILIES)")
    args = parser.parse_args(argv)

    import numpy as np

    from flashpoint.models.event_model import EventModel

    shipped = EventModel.read_file(args.out)  # its own weights, for lone sentences, are kept
    pipe, traced = traced_pipeline()
    contexts, y, groups, gold_total = collect(args.gold, pipe, traced)
    y_arr = np.array(y)
    print(f"dev: {len(contexts)} coded events, {int(y_arr.sum())} real (right type), {gold_total} gold events")
    fit = Fitting(contexts, y_arr, groups, gold_total)
    if args.ablate:
        base = fit.cv(LEFT_OUT)
        print(f"CV with the families kept: log loss {base.loss:.4f} (C {base.c}), best F1 {base.best[4]:.3f}")
        for family in FAMILIES:
            result = fit.cv((*LEFT_OUT, family)) if family not in LEFT_OUT else fit.cv(
                tuple(f for f in LEFT_OUT if f != family))
            change = "without" if family not in LEFT_OUT else "with"
            print(f"  {change} {family:10s} log loss {result.loss:.4f} (C {result.c}), AUC {result.auc:.3f}, "
                  f"best F1 {result.best[4]:.3f} (P {result.best[2]:.3f} R {result.best[3]:.3f})")
    result = fit.cv(LEFT_OUT)
    print("CV log loss / calibration error (after Platt) by C:",
          {c: (round(loss, 4), round(ece, 3)) for c, (loss, ece) in result.by_c.items()}, "→ C =", result.c)
    print(f"{'threshold':>9} {'kept':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for t, kept, p, r, f1 in result.curve:
        print(f"{t:9.2f} {kept:5d} {p:6.3f} {r:6.3f} {f1:6.3f}")
    threshold, _, p, r, f1 = result.best
    everything = result.curve[0]
    print(f"held out, everything kept: P {everything[2]:.3f} R {everything[3]:.3f} F1 {everything[4]:.3f}; "
          f"threshold {threshold:.2f}: P {p:.3f} R {r:.3f} F1 {f1:.3f}; ECE {result.ece:.3f}, AUC {result.auc:.3f}")

    article = fit.final(result.c, LEFT_OUT, threshold, meta={
        "trained_on": "Wikinews gold set, dev split (benchmarks/gold/wikinews), by training/event_model.py",
        "events": len(contexts), "real": int(y_arr.sum()), "C": result.c, "components": COMPONENTS,
        "cv": {"threshold": round(threshold, 2), "ece": round(result.ece, 4), "log_loss": round(result.loss, 4),
               "best_f1": [round(threshold, 2), round(p, 4), round(r, 4)],
               "curve": [[round(t, 2), k, round(p, 4), round(r, 4)] for t, k, p, r, _ in result.curve]}})
    model = EventModel(shipped.weights, shipped.bias, shipped.threshold, shipped.meta, shipped.projection,
                       shipped.calibration, shipped.kind_copies, article)
    if args.dry_run:
        return 0
    args.out.write_text(json.dumps(model.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(article.weights)} article weights)")
    return 0


class CV:
    """Held-out figures of one feature set: the chosen C, its log loss, calibration error after
    Platt scaling, AUC, the precision/recall curve by threshold and its best row."""

    def __init__(self, c: float, loss: float, ece: float, auc: float, curve: list[tuple[float, int, float, float, float]],
                 by_c: dict[float, tuple[float, float]]) -> None:
        self.c, self.loss, self.ece, self.auc, self.curve, self.by_c = c, loss, ece, auc, curve, by_c
        # the drop threshold: the lowest whose held-out F1 is within F1_TIE of the highest
        top = max(row[4] for row in curve)
        self.best = min((row for row in curve if row[4] >= top - F1_TIE), key=lambda row: row[0])


class Fitting:
    """The dev events and how the article weights are fitted and cross-validated on them."""

    def __init__(self, contexts: list[Any], y: Any, groups: list[str], gold_total: int) -> None:
        import numpy as np
        from sklearn.model_selection import GroupKFold

        self.contexts, self.y, self.gold_total = contexts, y, gold_total
        self.vectors = np.array([c.vector if len(c.vector) == VECTOR_SIZE else [0.0] * VECTOR_SIZE
                                 for c in contexts])
        if not self.vectors.any():
            raise SystemExit("the spaCy pipeline has no static word vectors: train with a md/lg English pipeline")
        index = np.arange(len(y))
        self.splits = [list(GroupKFold(n_splits=5, shuffle=True, random_state=seed).split(index, y, groups))
                       for seed in SEEDS]

    def projection(self, rows: Any) -> Any:
        """Principal components of the trigger vectors of ``rows`` (words with one)."""
        from sklearn.decomposition import PCA

        from flashpoint.models.event_model import Projection

        vectors = self.vectors[rows]
        pca = PCA(n_components=COMPONENTS).fit(vectors[vectors.any(axis=1)])
        return Projection(pca.mean_, pca.components_)

    def rows(self, rows: Any, left_out: tuple[str, ...]) -> list[dict[str, float]]:
        """The features of every event, with the projections fitted on ``rows``; lemmas seen
        fewer than MIN_LEMMA_COUNT times among ``rows`` and the ``left_out`` families dropped."""
        from flashpoint.models.event_model import SPARSE, features

        projection = self.projection(rows)
        feats = [features(c, projection, kind_copies=False) for c in self.contexts]
        counts = Counter(k for i in rows for k in feats[i] if k.startswith(SPARSE))
        return [{k: v for k, v in f.items()
                 if not k.startswith(left_out or ("\0",)) and (not k.startswith(SPARSE) or counts[k] >= MIN_LEMMA_COUNT)}
                for f in feats]

    def cv(self, left_out: tuple[str, ...]) -> CV:
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import roc_auc_score

        y = self.y
        # per split and fold: the fold's matrices (projections and lemma counts of the fitting rows)
        matrices = []
        for folds in self.splits:
            for fit, held in folds:
                vec = DictVectorizer()
                feats = self.rows(fit, left_out)
                matrices.append((fit, held, vec.fit_transform([feats[i] for i in fit]),
                                 vec.transform([feats[i] for i in held])))
        by_c, probs_by_c = {}, {}
        for c in GRID:
            scores = np.zeros((len(SEEDS), len(y)))
            for n, (fit, held, Mf, Mh) in enumerate(matrices):
                model = LogisticRegression(C=c, max_iter=3000).fit(Mf, y[fit])
                scores[n // 5, held] = model.decision_function(Mh)
            probs = np.zeros_like(scores)
            for s, folds in enumerate(self.splits):  # Platt: (a, b) from the other folds' held-out scores
                for fit, held in folds:
                    platt = LogisticRegression(C=1e6, max_iter=1000).fit(scores[s, fit, None], y[fit])
                    probs[s, held] = platt.predict_proba(scores[s, held, None])[:, 1]
            by_c[c] = (float(np.mean([_log_loss(p, y) for p in probs])), float(np.mean([_ece(p, y) for p in probs])))
            probs_by_c[c] = probs
        calibrated = [c for c in GRID if by_c[c][1] <= MAX_ECE] or list(GRID)
        best_c = min(calibrated, key=lambda c: by_c[c][0])
        probs = probs_by_c[best_c]
        curve = []
        for threshold in np.arange(0.0, 0.9, 0.05):
            kept = [p >= threshold for p in probs]
            right = np.mean([y[k].sum() for k in kept])
            n = float(np.mean([k.sum() for k in kept]))
            p = right / max(1.0, n)
            r = right / max(1, self.gold_total)
            curve.append((float(threshold), round(n), float(p), float(r), float(2 * p * r / (p + r)) if p + r else 0.0))
        auc = float(np.mean([roc_auc_score(y, p) for p in probs]))
        return CV(best_c, by_c[best_c][0], by_c[best_c][1], auc, curve, by_c)

    def final(self, c: float, left_out: tuple[str, ...], threshold: float, meta: dict[str, Any]) -> Any:
        """The article weights fitted on every dev event, with Platt scaling fitted on the
        held-out scores of the first split."""
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        from flashpoint.models.event_model import EventModel

        y = self.y
        scores = np.zeros(len(y))
        for fit, held in self.splits[0]:
            vec = DictVectorizer()
            feats = self.rows(fit, left_out)
            model = LogisticRegression(C=c, max_iter=3000).fit(vec.fit_transform([feats[i] for i in fit]), y[fit])
            scores[held] = model.decision_function(vec.transform([feats[i] for i in held]))
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(scores[:, None], y)
        everything = np.arange(len(y))
        vec = DictVectorizer()
        M = vec.fit_transform(self.rows(everything, left_out))
        final = LogisticRegression(C=c, max_iter=3000).fit(M, y)
        weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), final.coef_[0])
                   if abs(w) >= 1e-4}
        return EventModel(weights, round(float(final.intercept_[0]), 5), round(threshold, 2), meta,
                          projection=self.projection(everything),
                          calibration=(round(float(platt.coef_[0][0]), 5), round(float(platt.intercept_[0]), 5)),
                          kind_copies=False)


def _log_loss(p: Any, y: Any) -> float:
    import numpy as np

    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _ece(p: Any, y: Any) -> float:
    """Expected calibration error: bins 0.1 wide, weighted by count."""
    import numpy as np

    bins = np.clip((p * 10).astype(int), 0, 9)
    return float(sum(abs(p[bins == b].mean() - y[bins == b].mean()) * (bins == b).sum()
                     for b in range(10) if (bins == b).any()) / len(p))


if __name__ == "__main__":
    sys.exit(main())
