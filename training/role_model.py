"""Train the role model (``src/flashpoint/data/events/role_model.json``) on the Wikinews gold
set's **dev** split only — the test split is never read here.

Every event Flashpoint codes in a dev article whose parse names no target has candidates
(``flashpoint.stages.events._ranker``); for the events that match a gold event (the matcher of
``flashpoint eval wikinews``), a candidate is labelled 1 when its actor is, at country level,
one of the gold event's targets. A logistic regression learns which candidates are right. The
regularisation and the threshold (below it, no target) are chosen by cross-validation grouped
by article, on the number of events whose target comes out right at country level (an event
the gold codes with no target is right when none is chosen); the model is then refit on the
whole dev split.

    pip install -e '.[train]'
    python training/role_model.py                # writes the model, prints the CV figures
    python training/role_model.py --dry-run      # only prints
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "benchmarks" / "gold" / "wikinews"
OUT = REPO / "src" / "flashpoint" / "data" / "events" / "role_model.json"


def traced_pipeline() -> tuple[Any, dict[tuple[int, tuple[int, int]], list[Any]]]:
    """A pipeline whose events stage keeps its first-cut targets (no role model) and records
    each event's target candidates, by (sentence, trigger span), in the returned dict."""
    from flashpoint.pipeline import Pipeline
    from flashpoint.stages.events import EventCoder

    pipe = Pipeline()
    coder = next(s.run for s in pipe.stages if isinstance(s.run, EventCoder))
    coder.roles = None
    traced: dict[tuple[int, tuple[int, int]], list[Any]] = {}
    coder.role_trace = lambda sentence, trigger, candidates: traced.setdefault((sentence, trigger), candidates)
    return pipe, traced


def collect(gold_dir: Path) -> tuple[list[list[dict[str, float]]], list[list[tuple[int, int]]],
                                     list[tuple[int, int]], list[str]]:
    """Per matched event with candidates: the candidates' features, their labels (right at
    country level, right with the full code), whether the first-cut target (the clause's
    nearest actor, or the place's country) is right at each level, and the article url."""
    from flashpoint.evaluation.runner import wikinews_article
    from flashpoint.evaluation.sets import country_unit, load_wikinews
    from flashpoint.evaluation.wikinews import match, output_events, resolved_code

    pipe, traced = traced_pipeline()
    feats, labels, first_cut, groups = [], [], [], []
    for record in load_wikinews(gold_dir, "dev"):  # never "test"
        traced.clear()
        analysis = pipe.analyze_article(wikinews_article(record))
        outputs = output_events(analysis, record.text)
        for pair in match(record.events, outputs):
            event = analysis.events[pair.output]
            candidates = traced.get((event.sentence, event.trigger))
            if candidates is None:
                continue  # the parse named a target
            gold = set(record.events[pair.gold].target)
            chosen = {code for t in event.target if (code := resolved_code(t))}
            kept = (int({country_unit(c) for c in chosen} == {country_unit(g) for g in gold}), int(chosen == gold))
            codes = [resolved_code(c.ref) if c.ref is not None else None for c in candidates]
            feats.append([c.features for c in candidates])
            # a candidate is right when its actor is a gold target; keeping the first cut (the
            # last candidate, with no actor) when the first cut is right
            labels.append([(int(bool(code) and country_unit(code) in {country_unit(g) for g in gold}),
                            int(bool(code) and code in gold)) if c.ref is not None else kept
                           for code, c in zip(codes, candidates, strict=True)])
            first_cut.append(kept)
            groups.append(record.url)
    return feats, labels, first_cut, groups


def right(probs: list[list[float]], labels: list[list[tuple[int, int]]], first_cut: list[tuple[int, int]],
          threshold: float) -> tuple[int, int]:
    """Events whose target comes out right, at country level and with the full code: the best
    candidate (the last one: keep the first cut) if it reaches the threshold, else the first cut."""
    country = full = 0
    for p, y, base in zip(probs, labels, first_cut, strict=True):
        top = max(range(len(p)), key=lambda i: (p[i], -i)) if p else None
        got = y[top] if top is not None and p[top] >= threshold else base
        country += got[0]
        full += got[1]
    return country, full


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    feats, labels, first_cut, groups = collect(args.gold)
    n_events = len(feats)
    base = (sum(b[0] for b in first_cut), sum(b[1] for b in first_cut))
    oracle = sum(max([v[0] for v in y], default=0) or b[0] for y, b in zip(labels, first_cut, strict=True))
    print(f"dev: {n_events} matched events with no target from the parse, "
          f"{sum(len(f) for f in feats)} candidates; right (country, full code): first cut {base}, "
          f"best possible at country level {oracle}")
    flat = [f for fs in feats for f in fs]
    y = np.array([v[0] for ys in labels for v in ys])
    owner = np.array([k for k, fs in enumerate(feats) for _ in fs])
    vec = DictVectorizer()
    M = vec.fit_transform(flat)
    folds = list(GroupKFold(n_splits=5).split(np.zeros(n_events), groups=groups))

    def cv_probs(c: float) -> list[list[float]]:
        out = np.zeros(len(y))
        for fit, held in folds:
            rows_fit, rows_held = np.isin(owner, fit), np.isin(owner, held)
            model = LogisticRegression(C=c, max_iter=3000).fit(M[rows_fit], y[rows_fit])
            out[rows_held] = model.predict_proba(M[rows_held])[:, 1]
        return [list(out[owner == k]) for k in range(n_events)]

    thresholds = [round(float(t), 2) for t in np.arange(0.05, 0.8, 0.05)]
    table = {}
    for c in (0.03, 0.1, 0.3, 1.0, 3.0):
        probs = cv_probs(c)
        table[c] = {float(t): right(probs, labels, first_cut, t) for t in thresholds}
        print(f"C={c}: right (country, full code) by threshold", table[c])
    # the most events right at both levels together: a target right only at country level
    # must not cost the full codes the first cut had right
    best_c, threshold = max(((c, t) for c in table for t in table[c]),
                            key=lambda ct: (sum(table[ct[0]][ct[1]]), -ct[0], -ct[1]))
    print(f"chosen C={best_c}, threshold {threshold}: {table[best_c][threshold]} of {n_events} right on held-out "
          f"folds (first cut {base})")

    final = LogisticRegression(C=best_c, max_iter=3000).fit(M, y)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), final.coef_[0])
               if abs(w) >= 1e-4}
    model = {
        "format": "flashpoint-role-model-1",
        "trained_on": "Wikinews gold set, dev split (benchmarks/gold/wikinews), by training/role_model.py",
        "events": n_events, "candidates": len(flat), "C": best_c,
        "cv": {"right": list(table[best_c][threshold]), "first_cut": list(base), "best_possible": oracle},
        "bias": round(float(final.intercept_[0]), 5),
        "threshold": threshold,
        "weights": dict(sorted(weights.items())),
    }
    if args.dry_run:
        return 0
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
