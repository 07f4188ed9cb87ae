"""Train the learned sentence model behind Flashpoint's certainty labels.

Writes ``src/flashpoint/data/certainty/weasel_model.json``: a logistic regression over a sentence's
words, word pairs, lemmas and dependency-tagged words (:meth:`flashpoint.certainty.WeaselModel.features`),
its bias, and the probability threshold above which a sentence the cue rules read as asserted
or attributed is labelled ``hedged`` instead.

Data: the wiki-weasel TRAIN split only
(``Crypto-Uncertainty-Index/nlp/hedge_classifier/data/wiki_weasel_clean/train.csv`` under the
benchmark directory, see ``shared/benchmarks/README.md``). The test split is never read here:
it is for ``flashpoint eval wiki-weasel``.

Every choice is made by the same procedure, :func:`select`: for each regularisation strength
``C``, 5-fold cross-validation gives out-of-fold probabilities, scored through the runtime code
(the pruned, rounded weights; a text is uncertain when any of its sentences is hedged or
hypothetical, by the rules or by the model with a recognised cue word). The ``C`` with the best
pooled F1 wins, and its best pooled threshold is the threshold.

* To measure the procedure, the train split is cut once, stratified and seeded, into a fit
  part (80 %) and a dev part (20 %); :func:`select` runs on the fit part, a model is fitted on
  the fit part, and the dev part is scored at the selected threshold. Those are the ``dev``
  figures in the file (with, for comparison, the best threshold on dev itself, which is
  optimistic).
* The shipped model is selected the same way on the whole train split, then fitted on all of it.

Only features seen in at least ``MIN_DF`` training texts are kept, and weights smaller than
``PRUNE`` are dropped, which keeps the file small. scikit-learn is needed here only, not at run
time: ``pip install -e '.[train]'``, then ``python training/weasel_model.py``. (The script is
not called ``weasel.py``: spaCy imports a package of that name, and a script's own folder comes
first on the import path.)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from flashpoint.evaluation.sets import resolve_data_dir
from flashpoint.pipeline import Draft
from flashpoint.records import Article
from flashpoint.settings import Settings
from flashpoint.stages.certainty import CertaintyTagger, WeaselModel
from flashpoint.stages.parser import load_pipeline
from flashpoint.stages.sentences import split

TRAIN_FILE = "Crypto-Uncertainty-Index/nlp/hedge_classifier/data/wiki_weasel_clean/train.csv"
OUT = Path(__file__).resolve().parents[1] / "src" / "flashpoint" / "data" / "certainty" / WeaselModel.FILE
SEED = 20240611
DEV_SHARE = 0.2
MIN_DF = 2  # a feature must occur in this many fit texts
PRUNE = 0.05  # weights below this (absolute) are dropped: a third of the file, same dev F1
C_GRID = (0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
THRESHOLDS = [round(t, 2) for t in np.arange(0.10, 0.91, 0.01)]
UNCERTAIN = ("hedged", "hypothetical")

# The sentences were tokenised the Penn Treebank way; its bracket escapes are not text (the
# same clean-up the evaluation applies to the test split).
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_PTB_RE = re.compile("|".join(map(re.escape, _PTB)))


@dataclass(frozen=True, slots=True)
class Text:
    """One training text as the runtime sees it: its sentences' features and rule labels."""

    uncertain: bool
    sentences: tuple[tuple[dict[str, str], str], ...]  # (WeaselModel.features, rule label)

    @property
    def ruled_uncertain(self) -> bool:
        return any(label in UNCERTAIN for _, label in self.sentences)

    def features(self) -> list[str]:
        """The text's features: those of any of its sentences (the gold label is per text)."""
        return list(dict.fromkeys(f for features, _ in self.sentences for f in features))


def read_train(path: Path) -> list[tuple[str, bool]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [(_PTB_RE.sub(lambda m: _PTB[m.group()], r["text"]).strip(), r["label"] == "1") for r in rows]


def prepare(rows: list[tuple[str, bool]]) -> list[Text]:
    """Split, rule-label and featurise every text exactly as the pipeline's certainty stage does."""
    nlp, _ = load_pipeline(Settings().models)
    rules = CertaintyTagger(learned=False)
    texts = []
    docs = nlp.pipe((text for text, _ in rows), batch_size=64)
    for (text, uncertain), doc in zip(rows, docs, strict=True):
        draft = split(Draft(article=Article(text=text), doc=doc))
        sentences = []
        for sentence in draft.sentences:
            span = doc.char_span(*sentence.span, alignment_mode="expand")
            sentences.append((WeaselModel.features(span), rules.rules(span).label))
        texts.append(Text(uncertain, tuple(sentences)))
    return texts


def cut(texts: list[Text]) -> tuple[list[Text], list[Text]]:
    """Stratified, seeded fit/dev split."""
    rng = random.Random(SEED)
    fit, dev = [], []
    for label in (False, True):
        group = [t for t in texts if t.uncertain is label]
        rng.shuffle(group)
        n_dev = round(len(group) * DEV_SHARE)
        dev += group[:n_dev]
        fit += group[n_dev:]
    return fit, dev


def prf(predicted: list[bool], gold: list[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(predicted, gold))
    fp = sum(p and not g for p, g in zip(predicted, gold))
    fn = sum(g and not p for p, g in zip(predicted, gold))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "n": len(gold)}


Scores = list[list[tuple[float, bool]]]  # per text, per sentence: (probability, has a recognised cue)


def decide(texts: list[Text], scores: Scores, threshold: float) -> list[bool]:
    """The runtime decision: rules first; the model only where the rules say fact, and only
    with a recognised cue among the words behind it (see ``CertaintyTagger.sentence``)."""
    return [
        t.ruled_uncertain
        or any(
            label in ("asserted", "attributed") and p > threshold and cued
            for (_, label), (p, cued) in zip(t.sentences, s)
        )
        for t, s in zip(texts, scores)
    ]


def best_threshold(texts: list[Text], scores: Scores) -> tuple[float, float]:
    """(F1, threshold) of the best threshold on ``texts``; on a tie the higher threshold."""
    gold = [t.uncertain for t in texts]
    return max((prf(decide(texts, scores, th), gold)["f1"], th) for th in THRESHOLDS)


def fit_model(texts: list[Text], c: float) -> tuple[dict[str, float], float]:
    """Fit on ``texts``; the weights and bias as shipped (pruned, rounded)."""
    vectorizer = CountVectorizer(analyzer=lambda feats: feats, binary=True, min_df=MIN_DF)
    x = vectorizer.fit_transform([t.features() for t in texts])
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, [t.uncertain for t in texts])
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): round(float(w), 4) for name, w in zip(names, model.coef_[0]) if abs(w) >= PRUNE
    }
    return dict(sorted(weights.items())), round(float(model.intercept_[0]), 4)


def runtime_scores(weights: dict[str, float], bias: float, texts: list[Text]) -> Scores:
    """Each sentence's probability and whether it has a recognised cue, by the runtime code."""
    tagger = CertaintyTagger(model=WeaselModel(weights, bias, 0.5, {}))
    return [[_cued(tagger.explain(features)) for features, _ in t.sentences] for t in texts]


def _cued(explained: tuple[float, tuple[str, ...]]) -> tuple[float, bool]:
    probability, cues = explained
    return probability, bool(cues)


def select(texts: list[Text], name: str) -> tuple[float, float, dict[str, Any]]:
    """(C, threshold, table): the C whose pooled out-of-fold F1 is best, and its threshold."""
    gold = [t.uncertain for t in texts]
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(texts)), gold))
    table: dict[str, Any] = {}
    for c in C_GRID:
        scores: Scores = [[] for _ in texts]
        for train_idx, test_idx in folds:
            weights, bias = fit_model([texts[i] for i in train_idx], c)
            for i, s in zip(test_idx, runtime_scores(weights, bias, [texts[i] for i in test_idx])):
                scores[i] = s
        f1, threshold = best_threshold(texts, scores)
        table[str(c)] = {"f1": f1, "threshold": threshold}
        print(f"  {name}: C={c}: out-of-fold F1 {f1:.4f} at threshold {threshold}", file=sys.stderr)
    best = max(table, key=lambda c: (table[c]["f1"], -float(c)))
    return float(best), table[best]["threshold"], table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="benchmark data (default as flashpoint eval)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    path = resolve_data_dir(args.data_dir) / TRAIN_FILE
    rows = read_train(path)
    print(f"read {len(rows)} training texts from {path}", file=sys.stderr)
    texts = prepare(rows)
    fit, dev = cut(texts)
    dev_gold = [t.uncertain for t in dev]
    rules_only = prf([t.ruled_uncertain for t in dev], dev_gold)
    print(f"fit {len(fit)}, dev {len(dev)}; rules alone on dev: {rules_only}", file=sys.stderr)

    # Measure the procedure: select on the fit part, score the held-out dev part.
    c_fit, threshold_fit, _ = select(fit, "fit")
    dev_scores = runtime_scores(*fit_model(fit, c_fit), dev)
    dev_result = prf(decide(dev, dev_scores, threshold_fit), dev_gold)
    dev_f1_best, dev_threshold_best = best_threshold(dev, dev_scores)
    print(
        f"dev at the selected C={c_fit}, threshold {threshold_fit}: {dev_result} "
        f"(best threshold on dev itself: {dev_threshold_best}, F1 {dev_f1_best})",
        file=sys.stderr,
    )

    # The shipped model: the same selection on the whole train split, fitted on all of it.
    c, threshold, cv = select(texts, "all")
    weights, bias = fit_model(texts, c)
    print(f"shipped: C={c}, threshold {threshold}, {len(weights)} features", file=sys.stderr)

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    data = {
        "format": WeaselModel.FORMAT,
        "about": (
            "Logistic regression: P(sentence is uncertain) from its words, word pairs, lemmas (~) "
            "and dependency-tagged words (see WeaselModel.features). Flashpoint labels a sentence "
            "hedged when its cue rules read it as asserted or attributed, this probability exceeds "
            "the threshold and a recognised cue word pushed it. Built by training/weasel_model.py."
        ),
        "trained_on": {
            "file": TRAIN_FILE,
            "sha256": sha,
            "split": "wiki-weasel train only; the shipped model is fitted on all of it",
            "texts": len(texts),
        },
        "hyperparameters": {
            "C": c,
            "threshold": threshold,
            "chosen_by": "5-fold CV on the train split: best pooled out-of-fold F1 of the runtime decision",
            "cv_by_C": cv,
            "min_df": MIN_DF,
            "prune": PRUNE,
            "seed": SEED,
        },
        "dev": {
            "how": (
                f"stratified {1 - DEV_SHARE:.0%} fit / {DEV_SHARE:.0%} dev cut of the train split, "
                f"seed {SEED}: C and threshold selected by the same CV on the fit part "
                f"(C={c_fit}, threshold {threshold_fit}), model fitted on the fit part, dev scored"
            ),
            "fit_texts": len(fit),
            "dev_texts": len(dev),
            "rules_and_model": dev_result,
            "rules_only": rules_only,
            "best_threshold_on_dev": {"threshold": dev_threshold_best, "f1": dev_f1_best},
        },
        "date": date.today().isoformat(),
        "sklearn": sklearn_version,
        "threshold": threshold,
        "bias": bias,
        "weights": weights,
    }
    WeaselModel.from_dict(data)  # refuse to write a file the runtime would refuse
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
