"""The learned event model: how likely a coded event is a real event of the right type.

A logistic regression over what the events stage knows when it codes an event (the trigger's
place in the parse, whether its roles were read off the parse or filled by position, its type,
its certainty, whether it sits in a quote or a background clause, the tense of its clause, a
description sentence, a recap of an earlier event …: :func:`features`), with the trigger's word
vector reduced to a few components (:class:`Projection`). Its probability — for articles
rescaled by the model's ``calibration`` — is the event's ``confidence``
(:meth:`EventModel.confidence`); events below the model's ``threshold`` are dropped as
non-events. Trained by ``training/event_model.py`` on the **dev** split of the Wikinews gold
set only (``benchmarks/gold/wikinews/``), shipped as ``data/events/event_model.json`` with a
format marker; the test split is never read for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flashpoint.errors import DataFileError
from flashpoint.models.logistic import ModelFile, Projection, finite, sigmoid


@dataclass(frozen=True, slots=True)
class EventContext:
    """What the events stage knows about one coded event, as plain values (no parse objects)."""

    type: str
    quad_class: int
    cameo: str
    certainty: str
    source_given: bool  # a source read off the parse (not filled by position)
    target_given: bool
    sources: int
    targets: int
    nominal: bool  # the trigger is a noun ("the shelling of")
    depth: int  # the anchor's distance from the sentence root
    background: bool  # a purpose, condition or time clause, or a clause under another trigger
    governed: str  # "" | "refusal" | "intent" | "demand" | "negated" | "request" | "means" …
    dep: str  # the anchor's dependency label
    head_lemma: str  # the lemma of the anchor's head ("say" for reported content)
    lemma: str  # the anchor's lemma
    sentence: int  # index of the sentence in the article
    in_quote: bool  # the trigger sits inside quotation marks
    located: bool
    self_dyad: bool  # a source and a target of the same country
    source_sector: str  # "" | "GOV" | "MIL" … of the first source
    target_sector: str
    prior: float = 0.5  # the stage's first-cut confidence (roles given, depth, nominal, mood)
    article_sentences: int = 1  # a lone sentence (a headline, a wire snippet) or a whole article
    # the clause around the trigger
    tense: str = ""  # "past" | "present" | "perfect" | "progressive" | "infinitive" | "gerund" …
    passive: bool = False
    negated_above: bool = False  # a "not" / "never" on a word the trigger hangs from
    ancestors: tuple[str, ...] = ()  # lemmas of the verbs above the trigger, nearest first
    # the whole sentence
    copula: bool = False  # the sentence describes a state: a stative root or one with an attribute
    sentence_quoted: bool = False
    numbers: bool = False  # a count, a sum or a share ("killed 12", "$5 million")
    dated: bool = False  # a date or a time
    # the article so far: an event of this type sharing a participant was coded in an earlier
    # sentence (a recap), or earlier in this one (one action named twice)
    recap: bool = False
    repeated: bool = False
    # the trigger's static word vector (empty when the spaCy pipeline has none)
    vector: tuple[float, ...] = ()
    habitual: bool = False  # "annually", "regularly", "every year": a generic or habitual statement


# Reporting verbs: an event in their complement is reported content, not the writer's.
_REPORTING = frozenset({"say", "tell", "state", "announce", "report", "claim", "add", "note", "write",
                        "declare", "insist", "warn", "explain", "confirm", "believe", "think"})
_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "pobj", "dobj",
                   "nsubj", "nsubjpass", "compound", "amod", "appos", "attr", "npadvmod", "parataxis"})


# Feature families of open vocabularies (lemmas): the training script keeps only the values
# seen often enough in its data (a value the model has no weight for adds nothing).
SPARSE = ("lemma=",)


def features(c: EventContext, projection: Projection | None = None, kind_copies: bool = True) -> dict[str, float]:
    """The model's features of one event: indicator features (value 1), a few counts, and the
    trigger's word vector reduced by ``projection`` (none without one); with ``kind_copies``
    each feature once more for the kind of text."""
    f: dict[str, float] = {
        "prior": c.prior,
        f"text={'sentence' if c.article_sentences <= 1 else 'short' if c.article_sentences <= 4 else 'article'}": 1.0,
        f"type={c.type}": 1.0,
        f"quad={c.quad_class}": 1.0,
        f"root={c.cameo[:2]}": 1.0,
        f"certainty={c.certainty}": 1.0,
        f"dep={c.dep if c.dep in _DEPS else 'other'}": 1.0,
        f"lemma={c.lemma}": 1.0,
        f"governed={c.governed or 'none'}": 1.0,
        f"position={_bucket(c.sentence, (0, 1, 3, 6, 11))}": 1.0,
        f"depth={min(c.depth, 4)}": 1.0,
        f"src_sector={c.source_sector or 'none'}": 1.0,
        f"tgt_sector={c.target_sector or 'none'}": 1.0,
    }
    roles = ("S" if c.source_given else "s" if c.sources else "-") + ("T" if c.target_given else "t" if c.targets else "-")
    f[f"roles={roles}"] = 1.0
    for flag, on in (("nominal", c.nominal), ("background", c.background), ("in_quote", c.in_quote),
                     ("located", c.located), ("self_dyad", c.self_dyad),
                     ("reported", c.head_lemma in _REPORTING),
                     ("many_sources", c.sources > 1), ("many_targets", c.targets > 1),
                     ("passive", c.passive), ("negated_above", c.negated_above), ("copula", c.copula),
                     ("sentence_quoted", c.sentence_quoted), ("numbers", c.numbers), ("dated", c.dated),
                     ("said_above", any(a in _REPORTING for a in c.ancestors)),
                     ("recap", c.recap), ("repeated", c.repeated)):
        if on:
            f[flag] = 1.0
    if c.tense:  # a context read off the parse (not one built by hand with the first fields only)
        f[f"tense={c.tense}"] = 1.0
        # which quarter of the article: background gathers at the end of news articles
        f[f"part={min(3, 4 * c.sentence // max(1, c.article_sentences))}"] = 1.0
    # The clause's modal and subject kind, the sentence root's lemma, the lemmas above the
    # trigger, the sentence's length, trigger and entity counts, and the vectors of the
    # trigger's head and of the whole sentence were tried too: none lowered the cross-validated
    # log loss on the Wikinews dev split (docs/benchmarks.md, issue 13), so none is read.
    if c.habitual:
        f["habitual"] = 1.0
    if projection is not None:
        f.update(projection.features(c.vector, "vec"))
    if not kind_copies:
        return f
    # Each feature also counts once more in a copy for the kind of text, so the model can learn
    # that a cue means one thing in a lone sentence and another in a whole article (feature
    # augmentation for domain adaptation, Daumé III 2007).
    kind = "sentence" if c.article_sentences <= 1 else "article"
    f.update({f"{kind}|{k}": v for k, v in list(f.items())})
    return f


# Sectors of a state actor, and of any political actor: the annotation guide codes events
# between political actors, so an article whose coded events rarely have one (a crash, a
# festival, an obituary, a private crime) reports few events under it.
_STATE = frozenset({"GOV", "MIL", "LEG", "JUD", "SPY"})
_POLITICAL = _STATE | {"IGO", "OPP", "PTY", "REB", "INS"}
# the prefix of the article-level features: one value per article, the same for all its events
ARTICLE = "article:"


def article_features(contexts: Sequence[EventContext]) -> dict[str, float]:
    """Features of the whole article, read off the contexts of every event coded in it (kept
    or not): the share of its events with a state actor as source, and the share with a
    political actor on either side. They add the same to every event's score of one article,
    so they move its events together and never reorder them."""
    if not contexts:
        return {}
    n = len(contexts)
    return {f"{ARTICLE}state_source": sum(c.source_sector in _STATE for c in contexts) / n,
            f"{ARTICLE}political": sum(c.source_sector in _POLITICAL or c.target_sector in _POLITICAL
                                       for c in contexts) / n}


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    """The lowest edge at or below ``value`` ("3" for 4 with edges 0, 1, 3, 6)."""
    return str(max(e for e in edges if e <= value))


@dataclass(frozen=True, slots=True)
class EventModel(ModelFile):
    """A logistic regression: ``probability(features)``; events below ``threshold`` are dropped.

    Two weight sets: the file's own (``weights``, ``bias``, ``threshold`` …) score lone
    sentences — a headline, a wire snippet, the sentence benchmarks — and ``article``, a
    second model fitted on whole articles only, scores the events of articles of more than one
    sentence (without one, the file's own weights score everything). Kept apart so that
    retraining on articles cannot move how a lone sentence's main event is chosen."""

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)
    projection: Projection | None = None  # how the trigger's word vector is reduced (None: not read)
    # (a, b): an article's event has confidence σ(a·z + b), z the regression's score — Platt
    # scaling fitted on held-out folds of the articles, as the model's raw probabilities there
    # were sharper than the share of real events; lone sentences keep σ(z)
    calibration: tuple[float, float] | None = None
    kind_copies: bool = True  # each feature also copied for the kind of text (sentence / article)
    article: EventModel | None = None  # the weights for the events of whole articles

    FORMAT: ClassVar[str] = "flashpoint-event-model-3"
    FILE: ClassVar[str] = "event_model.json"
    STAGE: ClassVar[str] = "events"
    OPTIONAL: ClassVar[bool] = True
    WHAT: ClassVar[str] = "event model"
    RETRAIN: ClassVar[str] = "training/event_model.py"

    @classmethod
    def from_dict(cls, data: Any) -> EventModel:
        """Build a model from its JSON form, refusing anything malformed."""
        model = cls._part(data)
        article = data.get("article")
        if article is None:
            return model
        if not isinstance(article, dict) or "article" in article or "format" in article:
            raise DataFileError("invalid event model: article must be an object of weights, bias, threshold … "
                                "(no format and no article of its own)", source=cls.FILE)
        try:
            part = cls._part({**article, "format": cls.FORMAT})
        except DataFileError as exc:
            raise DataFileError(exc.message.replace("invalid event model:", "invalid event model, article "
                                                    "weights:"), source=cls.FILE) from None
        return EventModel(model.weights, model.bias, model.threshold, model.meta, model.projection,
                          model.calibration, model.kind_copies, part)

    @classmethod
    def _part(cls, data: Any) -> EventModel:
        """One weight set of the JSON form (the file's own, or its ``article`` object)."""
        weights, bias, threshold, meta = cls.fields(data)
        meta.pop("article", None)
        projection = meta.pop("projection", None)
        calibration = meta.pop("calibration", None)
        kind_copies = meta.pop("kind_copies", True)
        if calibration is not None and not (isinstance(calibration, list) and len(calibration) == 2
                                            and all(finite(x) for x in calibration) and calibration[0] > 0):
            raise DataFileError("invalid event model: calibration must be [a > 0, b]", source=cls.FILE)
        if not isinstance(kind_copies, bool):
            raise DataFileError("invalid event model: kind_copies must be true or false", source=cls.FILE)
        return cls(weights, bias, threshold, meta,
                   Projection.from_dict(projection, cls) if projection is not None else None,
                   (float(calibration[0]), float(calibration[1])) if calibration is not None else None,
                   kind_copies)

    def to_dict(self) -> dict[str, Any]:
        out = {**self.meta, "format": self.FORMAT, "bias": self.bias, "threshold": self.threshold,
               "weights": dict(sorted(self.weights.items()))}
        if self.projection is not None:
            out["projection"] = self.projection.to_dict()
        if self.calibration is not None:
            out["calibration"] = list(self.calibration)
        if not self.kind_copies:
            out["kind_copies"] = False
        if self.article is not None:
            out["article"] = {k: v for k, v in self.article.to_dict().items() if k != "format"}
        return out

    def part(self, c: EventContext) -> EventModel:
        """The weight set that scores this event: the article weights for an event of a whole
        article, when the model has them, else its own."""
        return self.article if self.article is not None and c.article_sentences > 1 else self

    def features(self, c: EventContext) -> dict[str, float]:
        """The features of one event as this weight set reads them (its word-vector projections)."""
        return features(c, self.projection, self.kind_copies)

    def probability(self, feats: dict[str, float]) -> float:
        """The regression's probability of these features (no calibration)."""
        return sigmoid(self.score(feats))

    def score(self, feats: dict[str, float]) -> float:
        return self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def confidence(self, c: EventContext, article: Mapping[str, float] | None = None) -> float:
        """How likely the event is real and of its type: the calibrated probability.
        ``article``: the :func:`article_features` of its article (weighed by the article
        weights only; none while the article is still being read)."""
        part = self.part(c)
        feats = part.features(c)
        if article and part is self.article:
            feats.update(article)
        z = part.score(feats)
        if part.calibration is not None and c.article_sentences > 1:
            z = part.calibration[0] * z + part.calibration[1]
        return sigmoid(z)

    @property
    def reads_article(self) -> bool:
        """Whether the article weights weigh :func:`article_features`."""
        return self.article is not None and any(k.startswith(ARTICLE) for k in self.article.weights)

    def drop_threshold(self, c: EventContext) -> float:
        """The confidence below which this event is dropped (its weight set's threshold)."""
        return self.part(c).threshold
