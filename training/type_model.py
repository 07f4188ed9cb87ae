"""Train the type model (``src/flashpoint/data/events/type_model.json``): which PLOVER type a
trigger has in its context (``flashpoint.models.type_model``).

Training data (never a test split):

* the **dev** split of the Wikinews gold set: every trigger Flashpoint codes (with no event
  model, so nothing is dropped) whose trigger overlaps a gold event's trigger is labelled with
  that gold event's type;
* the ConfliBERT **train** sentences (``cameo_class/train.tsv``) with one trigger: the sentence's
  PentaClass allows the candidate types whose code falls in that class (a partial label: the
  model maximises the probability of the allowed set).

A conditional logit over the candidates' crossed features, fitted with L-BFGS and an L2
penalty; the word vectors of trigger, object and subject enter reduced to ``COMPONENTS``
principal components, fitted on the training triggers. The penalty and the margin by which
another type must beat the lexicon's are chosen by cross-validation grouped by article on dev
(the sentences always train), scored on the held-out triggers; the model is refit on
everything and written only when it types more held-out triggers right than the lexicon does.

    python training/type_model.py            # writes the model, prints the CV figures
    python training/type_model.py --dry-run  # only prints
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "benchmarks" / "gold" / "wikinews"
DATA = REPO.parent / "shared" / "benchmarks" / "raw"
OUT = REPO / "src" / "flashpoint" / "data" / "events" / "type_model.json"

# Values of the open feature families (lemmas, object and subject words, governing words) enter
# the model only when seen this often among the training triggers.
MIN_COUNT = 3
SPARSE = ("lemma=", "head=", "obj=", "subj=")
COMPONENTS = 6
FOLDS = 5
PENALTIES = (0.1, 0.3, 1.0, 3.0)
MARGINS = (0.0, 0.2, 0.4, 0.6)


class Example:
    """One trigger: its context features and vectors, its candidates (type → CAMEO code), the
    lexicon's type, the allowed (right) types, and its group (article or sentence)."""

    def __init__(self, feats: dict[str, float], vectors: dict[str, tuple[float, ...]],
                 candidates: dict[str, str], lexicon_type: str | None, allowed: set[str], group: str) -> None:
        self.feats, self.vectors, self.candidates = feats, vectors, candidates
        self.lexicon_type, self.allowed, self.group = lexicon_type, allowed, group


def traced_pipeline() -> tuple[Any, Any, dict[tuple[int, int], Any]]:
    """A pipeline whose events stage codes everything (no event model) and records each
    trigger's type context, by the trigger's character span, in the returned dict."""
    from flashpoint.pipeline import Pipeline
    from flashpoint.stages.events import EventCoder

    pipe = Pipeline()
    coder = next(s.run for s in pipe.stages if isinstance(s.run, EventCoder))
    coder.model = None
    coder.types = None
    traced: dict[tuple[int, int], Any] = {}
    coder.type_trace = lambda span, feats, vectors, cands: traced.setdefault(span, (feats, vectors, cands))
    return pipe, coder, traced


def dev_examples(pipe: Any, traced: dict[tuple[int, int], Any]) -> tuple[list[Example], list[Any]]:
    """Every dev trigger that overlaps a gold event's trigger, labelled with its type."""
    from flashpoint.evaluation.runner import wikinews_article
    from flashpoint.evaluation.sets import training_records
    from flashpoint.evaluation.wikinews import output_events, overlap

    records = training_records(GOLD)  # never "test"
    examples: list[Example] = []
    for record in records:
        traced.clear()
        analysis = pipe.analyze_article(wikinews_article(record))
        outs = output_events(analysis, record.text)
        seen: set[tuple[int, int]] = set()
        for event, out in zip(analysis.events, outs, strict=True):
            if event.trigger in seen or event.trigger not in traced:
                continue
            seen.add(event.trigger)
            best = max(((overlap(g.trigger_span, out.trigger), g.type) for g in record.events), default=(0, ""))
            if best[0] <= 0:
                continue  # no gold event on this trigger: the event model's business, not the type's
            feats, vectors, cands = traced[event.trigger]
            examples.append(Example(feats, vectors, {t: c.cameo for t, c in cands.items()},
                                    feats_type(feats), {best[1]}, record.url))
    return examples, records


def feats_type(feats: dict[str, float]) -> str | None:
    return next((k[4:] for k in feats if k.startswith("lex=")), None)


def sentence_examples(pipe: Any, traced: dict[tuple[int, int], Any]) -> list[Example]:
    """ConfliBERT train sentences with one trigger, labelled by their PentaClass (module doc)."""
    from flashpoint.evaluation.sets import penta_class
    from flashpoint.records import Article

    path = DATA / "ConfliBERT" / "data" / "cameo_class" / "train.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r[0], int(r[1])) for r in csv.reader(handle, delimiter="\t") if len(r) == 2]
    examples = []
    for i, (text, label) in enumerate(rows):
        traced.clear()
        pipe.analyze_article(Article(text=text))
        if len(traced) != 1:
            continue
        feats, vectors, cands = next(iter(traced.values()))
        allowed = {t for t, c in cands.items() if c.cameo[:2].isdigit() and 1 <= int(c.cameo[:2]) <= 20
                   and penta_class(int(c.cameo[:2])) == label}
        if not allowed or len(allowed) == len(cands):
            continue  # the class says nothing about the type
        examples.append(Example(feats, vectors, {t: c.cameo for t, c in cands.items()}, feats_type(feats),
                                allowed, f"conflibert:{i}"))
    return examples


def fit(examples: list[Example], penalty: float, defaults: dict[str, str]) -> Any:
    """A :class:`TypeModel` fitted on ``examples`` (margin 0)."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix
    from sklearn.decomposition import PCA

    from flashpoint.models.logistic import Projection
    from flashpoint.models.type_model import TypeModel, crossed

    reducers = {}
    for name in ("trig", "obj", "subj"):
        rows = [e.vectors[name] for e in examples if e.vectors.get(name) and any(e.vectors[name])]
        if len(rows) > COMPONENTS * 4:
            pca = PCA(n_components=COMPONENTS, random_state=0).fit(np.asarray(rows))
            reducers[name] = Projection(pca.mean_.astype("float64"), pca.components_.astype("float64"))
    counts = Counter(k for e in examples for k in e.feats if k.startswith(SPARSE))
    model0 = TypeModel({"_": 0.0}, 0.0, 0.0, {}, reducers, defaults)

    def context(e: Example) -> dict[str, float]:
        kept = {k: v for k, v in e.feats.items() if not k.startswith(SPARSE) or counts[k] >= MIN_COUNT}
        return model0.context(kept, e.vectors)

    index: dict[str, int] = {}
    groups = []  # per example: (row indices, allowed mask)
    data, cols, rowptr = [], [], [0]
    for e in examples:
        ctx = context(e)
        types = sorted(e.candidates)
        first = len(rowptr) - 1
        for t in types:
            for k, v in crossed(t, ctx, e.lexicon_type).items():
                cols.append(index.setdefault(k, len(index)))
                data.append(v)
            rowptr.append(len(cols))
        groups.append((first, len(types), np.array([t in e.allowed for t in types])))
    X = csr_matrix((data, cols, rowptr), shape=(len(rowptr) - 1, len(index)))
    starts = np.array([g[0] for g in groups])
    sizes = np.array([g[1] for g in groups])
    allowed = np.concatenate([g[2] for g in groups]).astype(float)
    owner = np.repeat(np.arange(len(groups)), sizes)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = X @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - top[owner])
        z = np.add.reduceat(e, starts)
        za = np.add.reduceat(e * allowed, starts)
        nll = -np.sum(np.log(za + 1e-300) - np.log(z))
        p = e / z[owner]
        pa = e * allowed / np.maximum(za[owner], 1e-300)
        grad = X.T @ (p - pa)
        return nll + 0.5 * np.dot(w, w) / penalty, grad + w / penalty

    result = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    weights = {k: round(float(result.x[i]), 5) for k, i in index.items() if abs(result.x[i]) >= 1e-4}
    return TypeModel(weights or {"_": 0.0}, 0.0, 0.0, {}, reducers, defaults)


def usual_codes() -> dict[str, str]:
    """Each PLOVER type's most common CAMEO code among the dev gold events (ties: the lower)."""
    from flashpoint.evaluation.sets import training_records

    counts: dict[str, Counter[str]] = {}
    for record in training_records(GOLD):
        for g in record.events:
            counts.setdefault(g.type, Counter())[g.cameo] += 1
    return {t: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for t, c in sorted(counts.items())}


def cross_validate(dev: list[Example], sentences: list[Example], defaults: dict[str, str]
                   ) -> dict[tuple[float, float], tuple[int, int, int]]:
    """Held-out (right, fixed, broken) counts of the dev triggers for each penalty and margin:
    each article's triggers typed by a model fitted on the other folds and the sentences."""
    from dataclasses import replace

    out = {}
    for penalty in PENALTIES:
        models = {k: fit([e for e in dev if fold(e.group) != k] + sentences, penalty, defaults) for k in range(FOLDS)}
        for margin in MARGINS:
            right = fixed = broken = 0
            for e in dev:
                m = replace(models[fold(e.group)], threshold=margin)
                chosen = m.choose(m.context(e.feats, e.vectors), sorted(e.candidates), e.lexicon_type)
                right += chosen in e.allowed
                if chosen != e.lexicon_type:
                    fixed += chosen in e.allowed
                    broken += e.lexicon_type in e.allowed
            out[(penalty, margin)] = (right, fixed, broken)
    return out


def fold(url: str) -> int:
    """An article's fold: a fixed hash of its URL."""
    import hashlib

    return int(hashlib.sha256(url.encode()).hexdigest()[:8], 16) % FOLDS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--force", action="store_true",
                        help="write the model even when it types no more held-out triggers right than the lexicon")
    args = parser.parse_args(argv)

    from dataclasses import replace

    pipe, _, traced = traced_pipeline()
    dev, _ = dev_examples(pipe, traced)
    sentences = sentence_examples(pipe, traced)
    defaults = usual_codes()
    lexicon_right = sum(e.lexicon_type in e.allowed for e in dev)
    print(f"dev triggers on a gold event's trigger: {len(dev)}, the lexicon's type right on {lexicon_right}; "
          f"ConfliBERT train sentences with one trigger and a telling class: {len(sentences)}", file=sys.stderr)
    results = cross_validate(dev, sentences, defaults)
    for (penalty, margin), (right, fixed, broken) in results.items():
        print(f"C={penalty} margin={margin}: held-out right {right}/{len(dev)} (fixed {fixed}, broke {broken})",
              file=sys.stderr)
    (penalty, margin), (right, fixed, broken) = max(results.items(), key=lambda kv: (kv[1][0], kv[0][1], -kv[0][0]))
    print(f"chosen: C={penalty} margin={margin}: held-out right {right} vs the lexicon's {lexicon_right}",
          file=sys.stderr)
    if right <= lexicon_right and not args.force:
        print("not written: on held-out articles the model types no more triggers right than the lexicon",
              file=sys.stderr)
        return 0
    model = replace(fit(dev + sentences, penalty, defaults), threshold=margin, meta={
        "trained_on": "Wikinews dev split (triggers on gold events) + ConfliBERT train sentences (PentaClass)",
        "cv": {"right": right, "fixed": fixed, "broken": broken, "lexicon_right": lexicon_right, "n": len(dev)},
        "C": penalty})
    if not args.dry_run:
        args.out.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
