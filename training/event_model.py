"""Train the event model (``src/flashpoint/data/events/event_model.json``) on the Wikinews gold
set's **dev** split only — the test split is never read here.

Every event Flashpoint codes in a dev article (with no model, so nothing is dropped) is labelled
1 when it matches a gold event of the same type (its trigger inside the gold quote: the matcher
of ``flashpoint eval wikinews``) and 0 otherwise; a logistic regression over
:func:`flashpoint.models.event_model.features` learns which are real, with the trigger's word
vector reduced to ``COMPONENTS`` principal components (fitted, like the weights, on the fitting
folds only). The regularisation, the articles' Platt calibration and the drop threshold are
chosen by cross-validation grouped by article (no article is in both the fitting and the
scoring folds), then the model is refit on the whole dev split.

    pip install -e '.[train]'
    python training/event_model.py --sentences    # writes the model, prints the CV curve
    python training/event_model.py --dry-run      # only prints
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
# The drop threshold keeps the held-out recall within this much of keeping every event (about
# one gold event in 250): the floors gate lets no recall drop (docs/benchmarks.md, issue 13).
RECALL_SLACK = 0.004
# Largest held-out expected calibration error a chosen regularisation may have.
MAX_ECE = 0.05


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


def collect_sentences(data_dir: Path, pipe: Any, traced: dict[str, Any]
                      ) -> tuple[list[Any], list[int], list[str]]:
    """The ConfliBERT **train** sentences (``cameo_class/train.tsv``; never the test file): an
    event is right when its CAMEO root's PentaClass is the sentence's class. Single sentences
    teach the model what a sentence's main event looks like; whole articles what a real one is."""
    import csv

    from flashpoint.evaluation.sets import penta_class
    from flashpoint.records import Article

    path = data_dir / "ConfliBERT" / "data" / "cameo_class" / "train.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r[0], int(r[1])) for r in csv.reader(handle, delimiter="\t") if len(r) == 2]
    X, y, groups = [], [], []
    for i, (text, label) in enumerate(rows):
        analysis = pipe.analyze_article(Article(text=text))
        for event in analysis.events:
            root = int(event.cameo[:2]) if event.cameo[:2].isdigit() else 0
            X.append(traced[event.id])
            y.append(1 if 1 <= root <= 20 and penta_class(root) == label else 0)
            groups.append(f"conflibert:{i}")
    return X, y, groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--sentences", type=Path, nargs="?", const=REPO.parent / "shared" / "benchmarks" / "raw",
                        default=None, help="also train on the ConfliBERT train sentences under this data dir")
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn.decomposition import PCA
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from flashpoint.models.event_model import SPARSE, EventModel, Projection, features

    pipe, traced = traced_pipeline()
    contexts, y, groups, gold_total = collect(args.gold, pipe, traced)
    articles = len(contexts)  # the first rows are the Wikinews events: the precision curve is theirs
    if args.sentences is not None:
        Cs, ys, gs = collect_sentences(args.sentences, pipe, traced)
        contexts, y, groups = contexts + Cs, y + ys, groups + gs
        print(f"ConfliBERT train: {len(Cs)} coded events, {sum(ys)} of the sentence's class")
    y_arr = np.array(y)
    print(f"dev: {articles} coded events, {int(y_arr[:articles].sum())} real (right type), {gold_total} gold events")
    vectors = np.array([c.vector if len(c.vector) == VECTOR_SIZE else [0.0] * VECTOR_SIZE for c in contexts])
    if not vectors.any():
        raise SystemExit("the spaCy pipeline has no static word vectors: train with a md/lg English pipeline")

    def projection(rows: np.ndarray) -> Projection:
        """Principal components of the trigger vectors of ``rows`` (words with a vector)."""
        fitted = PCA(n_components=COMPONENTS).fit(vectors[rows][vectors[rows].any(axis=1)])
        return Projection(fitted.mean_, fitted.components_)

    def featurize(proj: Projection) -> list[dict[str, float]]:
        return [features(c, proj) for c in contexts]

    everything = np.arange(len(y_arr))
    final_projection = projection(everything)
    rows = featurize(final_projection)
    counts = Counter(k for f in rows for k in f if k.partition("|")[2].startswith(SPARSE) or k.startswith(SPARSE))
    keep = {k for k, n in counts.items() if n >= MIN_LEMMA_COUNT}

    def pruned(feats: list[dict[str, float]]) -> list[dict[str, float]]:
        """Lemma features seen fewer than MIN_LEMMA_COUNT times dropped."""
        return [{k: v for k, v in f.items() if k in keep or k not in counts} for f in feats]

    vec = DictVectorizer()
    M = vec.fit_transform(pruned(rows))
    folds = list(GroupKFold(n_splits=5, shuffle=True, random_state=0).split(M, y_arr, groups))
    # the vectors' components are fitted on the fitting folds only, like the weights
    fold_matrices = [vec.transform(pruned(featurize(projection(fit)))) for fit, _ in folds]

    def cv_probabilities(c: float) -> np.ndarray:
        out = np.zeros(len(y_arr))
        for (fit, held), Mf in zip(folds, fold_matrices, strict=True):
            model = LogisticRegression(C=c, max_iter=3000).fit(Mf[fit], y_arr[fit])
            out[held] = model.predict_proba(Mf[held])[:, 1]
        return out

    def log_loss(p: np.ndarray) -> float:
        p = np.clip(p[:articles], 1e-6, 1 - 1e-6)
        t = y_arr[:articles]
        return float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))

    def calibration_error(p: np.ndarray) -> float:
        """Expected calibration error of the dev events: bins 0.1 wide, weighted by count."""
        p, t = p[:articles], y_arr[:articles]
        bins = np.clip((p * 10).astype(int), 0, 9)
        return float(sum(abs(p[bins == b].mean() - t[bins == b].mean()) * (bins == b).sum()
                         for b in range(10) if (bins == b).any()) / len(p))

    # C: the lowest held-out log loss among the values whose held-out calibration error stays
    # within MAX_ECE (confidence is read as a probability), else the lowest log loss
    grid = (0.03, 0.1, 0.3, 1.0)
    held_out = {c: cv_probabilities(c) for c in grid}
    losses = {c: log_loss(p) for c, p in held_out.items()}
    errors = {c: calibration_error(p) for c, p in held_out.items()}
    calibrated = [c for c in grid if errors[c] <= MAX_ECE] or list(grid)
    best_c = min(calibrated, key=losses.get)
    print("CV log loss / calibration error on the dev events by C:",
          {c: (round(losses[c], 4), round(errors[c], 3)) for c in grid}, "→ C =", best_c)
    raw = held_out[best_c]

    # Platt scaling of the article events' scores: (a, b) fitted on held-out probabilities;
    # the curve and the calibration error below use, for each fold, (a, b) fitted on the
    # other folds' held-out probabilities only
    scores = np.log(np.clip(raw, 1e-6, 1 - 1e-6) / np.clip(1 - raw, 1e-6, 1 - 1e-6))

    def platt(rows: np.ndarray) -> tuple[float, float]:
        rows = rows[rows < articles]
        fitted = LogisticRegression(C=1e6, max_iter=1000).fit(scores[rows, None], y_arr[rows])
        return float(fitted.coef_[0][0]), float(fitted.intercept_[0])

    probs = raw.copy()
    for fit, held in folds:
        a, b = platt(fit)
        held = held[held < articles]
        probs[held] = 1 / (1 + np.exp(-(a * scores[held] + b)))
    calibration = platt(np.arange(articles))
    print(f"article calibration (Platt): a = {calibration[0]:.3f}, b = {calibration[1]:.3f}; held-out "
          f"calibration error {calibration_error(raw):.3f} before, {calibration_error(probs):.3f} after")

    # The trade-off, on held-out folds: precision among kept events, and recall of gold events
    # (an event kept and right counts once toward recall).
    print(f"{'threshold':>9} {'kept':>5} {'P':>6} {'R':>6} {'F1':>6}")
    curve = []
    wp, wy = probs[:articles], y_arr[:articles]
    for threshold in np.arange(0.0, 0.9, 0.05):
        kept = wp >= threshold
        right = int(wy[kept].sum())
        p = right / max(1, int(kept.sum()))
        r = right / max(1, gold_total)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        curve.append((float(threshold), int(kept.sum()), p, r, f1))
        print(f"{threshold:9.2f} {int(kept.sum()):5d} {p:6.3f} {r:6.3f} {f1:6.3f}")
    # Drop threshold: the highest one that keeps the held-out recall within RECALL_SLACK of
    # keeping everything. Dropping is for what is almost surely no event; the confidence of
    # the rest lets a user choose more precision (filter by confidence).
    top = curve[0][3]
    threshold = max(row[0] for row in curve if row[3] >= top - RECALL_SLACK)
    best_f1 = max(curve, key=lambda row: (round(row[4], 3), -row[0]))
    print(f"best held-out F1 {best_f1[4]:.3f} at threshold {best_f1[0]:.2f} (P {best_f1[2]:.3f}, R {best_f1[3]:.3f})")
    ece = calibration_error(probs)
    print(f"chosen threshold {threshold:.2f}; CV expected calibration error {ece:.3f}")

    final = LogisticRegression(C=best_c, max_iter=3000).fit(M, y_arr)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), final.coef_[0])
               if abs(w) >= 1e-4}
    model = EventModel(weights, round(float(final.intercept_[0]), 5), round(threshold, 2), meta={
        "trained_on": "Wikinews gold set, dev split (benchmarks/gold/wikinews), by training/event_model.py"
                      + (" with the ConfliBERT train sentences" if args.sentences is not None else ""),
        "events": len(contexts), "real": int(y_arr.sum()), "C": best_c, "components": COMPONENTS,
        "cv": {"threshold": round(threshold, 2), "ece": round(float(ece), 4),
               "best_f1": [round(best_f1[0], 2), round(best_f1[2], 4), round(best_f1[3], 4)],
               "curve": [[round(t, 2), k, round(p, 4), round(r, 4)] for t, k, p, r, _ in curve]},
    }, projection=final_projection, calibration=(round(calibration[0], 5), round(calibration[1], 5)))
    if args.dry_run:
        return 0
    args.out.write_text(json.dumps(model.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
