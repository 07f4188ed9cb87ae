"""Train the event model (``src/flashpoint/data/events/event_model.json``) on the Wikinews gold
set's **dev** split only — the test split is never read here.

Every event Flashpoint codes in a dev article (with no model, so nothing is dropped) is labelled
1 when it matches a gold event of the same type (its trigger inside the gold quote: the matcher
of ``flashpoint eval wikinews``) and 0 otherwise; a logistic regression over
:func:`flashpoint.models.event_model.features` learns which are real. The regularisation and
the drop threshold are chosen by cross-validation grouped by article (no article is in both
the fitting and the scoring folds), then the model is refit on the whole dev split.

    pip install -e '.[train]'
    python training/event_model.py                # writes the model, prints the CV curve
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


def traced_pipeline() -> tuple[Any, dict[str, dict[str, float]]]:
    """A pipeline whose events stage codes everything (no model: the model learns what to drop)
    and records each event's features, by event id, in the returned dict."""
    from flashpoint.pipeline import Pipeline
    from flashpoint.stages.events import EventCoder

    pipe = Pipeline()
    coder = next(s.run for s in pipe.stages if isinstance(s.run, EventCoder))
    coder.model = None
    traced: dict[str, dict[str, float]] = {}
    coder.trace = lambda event, feats: traced.setdefault(event.id, feats)
    return pipe, traced


def collect(gold_dir: Path, pipe: Any, traced: dict[str, dict[str, float]]
            ) -> tuple[list[dict[str, float]], list[int], list[str], int]:
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


def collect_sentences(data_dir: Path, pipe: Any, traced: dict[str, dict[str, float]]
                      ) -> tuple[list[dict[str, float]], list[int], list[str]]:
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
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    pipe, traced = traced_pipeline()
    X, y, groups, gold_total = collect(args.gold, pipe, traced)
    articles = len(X)  # the first rows are the Wikinews events: the precision curve is theirs
    if args.sentences is not None:
        Xs, ys, gs = collect_sentences(args.sentences, pipe, traced)
        X, y, groups = X + Xs, y + ys, groups + gs
        print(f"ConfliBERT train: {len(Xs)} coded events, {sum(ys)} of the sentence's class")
    lemmas = Counter(k for f in X for k in f if k.startswith("lemma="))
    X = [{k: v for k, v in f.items() if not k.startswith("lemma=") or lemmas[k] >= MIN_LEMMA_COUNT} for f in X]
    y_arr = np.array(y)
    print(f"dev: {len(X)} coded events, {int(y_arr.sum())} real (right type), {gold_total} gold events")
    vec = DictVectorizer()
    M = vec.fit_transform(X)
    folds = list(GroupKFold(n_splits=5).split(M, y_arr, groups))

    def cv_probabilities(c: float) -> np.ndarray:
        out = np.zeros(len(y_arr))
        for fit, held in folds:
            model = LogisticRegression(C=c, max_iter=2000).fit(M[fit], y_arr[fit])
            out[held] = model.predict_proba(M[held])[:, 1]
        return out

    def log_loss(p: np.ndarray) -> float:
        p = np.clip(p, 1e-6, 1 - 1e-6)
        return float(-np.mean(y_arr * np.log(p) + (1 - y_arr) * np.log(1 - p)))

    grid = (0.03, 0.1, 0.3, 1.0, 3.0)
    losses = {c: log_loss(cv_probabilities(c)) for c in grid}
    best_c = min(losses, key=losses.get)
    print("CV log loss by C:", {c: round(v, 4) for c, v in losses.items()}, "→ C =", best_c)
    probs = cv_probabilities(best_c)

    # The trade-off, on held-out folds: precision among kept events, and recall of gold events
    # (an event kept and right counts once toward recall).
    print(f"{'threshold':>9} {'kept':>5} {'P':>6} {'R':>6} {'F1':>6}")
    curve = []
    wp, wy = probs[:articles], y_arr[:articles]
    for threshold in np.arange(0.0, 0.9, 0.05):
        keep = wp >= threshold
        right = int(wy[keep].sum())
        p = right / max(1, int(keep.sum()))
        r = right / max(1, gold_total)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        curve.append((float(threshold), int(keep.sum()), p, r, f1))
        print(f"{threshold:9.2f} {int(keep.sum()):5d} {p:6.3f} {r:6.3f} {f1:6.3f}")
    # Drop threshold: the best F1 on held-out folds (ties: the lower threshold, keeping recall).
    threshold = max(curve, key=lambda row: (round(row[4], 3), -row[0]))[0]
    bins = np.clip((wp * 10).astype(int), 0, 9)
    ece = sum(abs(wp[bins == b].mean() - wy[bins == b].mean()) * (bins == b).sum()
              for b in range(10) if (bins == b).any()) / len(wp)
    print(f"chosen threshold {threshold:.2f}; CV expected calibration error {ece:.3f}")

    final = LogisticRegression(C=best_c, max_iter=2000).fit(M, y_arr)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), final.coef_[0])
               if abs(w) >= 1e-4}
    model = {
        "format": "flashpoint-event-model-1",
        "trained_on": "Wikinews gold set, dev split (benchmarks/gold/wikinews), by training/event_model.py",
        "events": len(X), "real": int(y_arr.sum()), "C": best_c,
        "cv": {"threshold": round(threshold, 2), "ece": round(float(ece), 4),
               "curve": [[round(t, 2), k, round(p, 4), round(r, 4)] for t, k, p, r, _ in curve]},
        "bias": round(float(final.intercept_[0]), 5),
        "threshold": round(threshold, 2),
        "weights": dict(sorted(weights.items())),
    }
    if args.dry_run:
        return 0
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
