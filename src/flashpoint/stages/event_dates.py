"""The event-dates stage: every event's own date.

An event whose sentence names its time is dated by it (:func:`flashpoint.stages.dates.event_date`
picks the expression that belongs to the trigger). For the others, a learned chooser picks
among the dates the article offers (:func:`options`):

* ``publication`` — the publication date: the event is today's news ("Merkel demanded an
  explanation from Russia.");
* ``carried`` — the latest day the text named before the sentence (not after publication): the
  story is still telling what happened that day ("On Saturday thousands marched … Police
  arrested twenty people.");
* ``context`` — a month or year named in the sentences just before, in the same paragraph:
  background told in its own time ("In 2008 Mugabe lost the first round. Refusing to give up
  power, he agreed to share it.");
* ``none`` — no date: background with no time in the text, or what has not happened
  ("Both officers indicated they would appeal.").

The chooser is a logistic regression over each option joined with what the sentence says of the
event's time: the tense of the trigger's verb (past perfect, present perfect, modal …), a
passive, the sentence's certainty label, a quotation, a background word ("previously", "once",
"former": ``dates.toml``), how far into the article it stands, and
for the carried day how many days before publication it lies. The option with the highest score wins.
Trained by ``training/date_model.py`` on the Wikinews gold set's **dev** split only, shipped as
``data/dates/date_model.json``.

The article's lead — the first sentence that reports an event — is news, not background: when
it names no time it takes the publication date or, after a sentence that named a day ("On
Saturday thousands marched in London. Protesters carried placards …"), maybe that day; never
no date (the chooser would read a lead's passive or perfect, "Five people have been hurt …",
as background). The article's first sentence, with nothing before it, keeps the publication
date.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from flashpoint.models.logistic import ModelFile
from flashpoint.records import EventDate, Sentence, Span, TimeExpression
from flashpoint.stages.dates import background_cue, event_date

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from flashpoint.draft import Draft

__all__ = ["DateModel", "EventDater", "options", "sentence_features"]

OPTIONS = ("publication", "carried", "context", "none")
UNDATED = EventDate(None, None, None, "none")

# How far back a month or year still sets the time of a sentence (about two sentences): a
# background paragraph moves on quickly ("In 1974 … In 1980 …").
CONTEXT_CHARS = 300

_MODALS = frozenset({"would", "could", "might", "may", "should", "must", "can"})
_FUTURE = frozenset({"will", "'ll", "’ll", "shall", "wo"})
_PERFECT = frozenset({"has", "have", "'s", "'ve", "’s", "’ve"})
_QUOTES = "\"“”"


@dataclass(frozen=True, slots=True)
class DateModel(ModelFile):
    """The learned chooser: weights over ``option|feature`` names (:func:`options`)."""

    weights: dict[str, float]
    bias: float
    meta: dict[str, Any] = field(default_factory=dict)  # provenance: data, split, CV scores

    FORMAT: ClassVar[str] = "flashpoint-date-model-1"
    FILE: ClassVar[str] = "date_model.json"
    STAGE: ClassVar[str] = "dates"
    WHAT: ClassVar[str] = "date model"
    RETRAIN: ClassVar[str] = "training/date_model.py"

    @classmethod
    def from_dict(cls, data: Any) -> DateModel:
        """Build a model from its JSON form, refusing anything malformed."""
        weights, bias, _, meta = cls.fields(data)
        return cls(weights, bias, meta)

    def score(self, features: dict[str, float]) -> float:
        """The logit of one option's features (higher: more likely the event's date)."""
        return self.bias + math.fsum(self.weights.get(k, 0.0) * v for k, v in features.items())

    def choose(self, offered: dict[str, tuple[EventDate, dict[str, float]]]) -> EventDate:
        """The best-scoring option's date; ties go to the option listed first in ``OPTIONS``."""
        best = max(offered, key=lambda name: (self.score(offered[name][1]), -OPTIONS.index(name)))
        return offered[best][0]


class EventDater:
    """Pipeline stage: give every event its date (see the module docstring)."""

    def __init__(self, model: DateModel | None = None) -> None:
        self.model = model or DateModel.load()

    def __call__(self, draft: Draft) -> Draft:
        sentences = {s.index: s for s in draft.sentences}
        article = draft.article
        lead = min((e.sentence for e in draft.events), default=0)
        dated = []
        for e in draft.events:
            sentence = sentences[e.sentence]
            when = event_date(draft.times, sentence.span, e.trigger, article.published, draft.doc)
            if when.basis == "publication" and sentence.index > 0:
                offered = options(draft.doc, article.text, draft.sentences, draft.times, sentence,
                                  e.trigger, article.published, lead=sentence.index <= lead)
                when = self.model.choose(offered)
            dated.append(replace(e, date=when))
        return replace(draft, events=tuple(dated))


def options(doc: Doc, text: str, sentences: tuple[Sentence, ...], times: tuple[TimeExpression, ...],
            sentence: Sentence, trigger: Span, published: date | None, *, lead: bool = False
            ) -> dict[str, tuple[EventDate, dict[str, float]]]:
    """The dates an event its sentence does not date may take, each with its features for
    :class:`DateModel` (``training/date_model.py`` calls this too, so training and runtime
    cannot drift apart). An event of the ``lead`` is news: publication or the day named
    before it, never background."""
    shared = sentence_features(doc, text, sentences, sentence, trigger)
    start = sentence.span[0]
    before = [t for t in times if t.span[1] <= start]
    offered: dict[str, tuple[EventDate, dict[str, float]]] = {}
    pub = EventDate(published.isoformat(), "day", None, "publication") if published else \
        EventDate(None, None, None, "publication")
    offered["publication"] = (pub, _joined("publication", shared, {}))
    days = [t for t in before if t.granularity == "day" and published and t.value <= published.isoformat()]
    if days and published is not None:
        day = days[-1]
        gap = (published - date.fromisoformat(day.value)).days
        # (whether the day was named in the same paragraph, or was the article's first day,
        # and the context's granularity and age were features too: grouped CV by article
        # measured no gain from them, so the chooser does without — docs/benchmarks.md)
        own = {"gap:" + _bucket(gap, ((0, "0"), (1, "1"), (3, "2-3"), (7, "4-7")), "8+"): 1.0}
        offered["carried"] = (EventDate(day.value, "day", day.span, "text"), _joined("carried", shared, own))
    if lead:
        return offered
    near = [t for t in before if start - t.span[1] <= CONTEXT_CHARS and _same_paragraph(text, t.span[0], start)]
    if near and near[-1].granularity != "day":
        last = near[-1]
        when = EventDate(last.value, last.granularity, last.span, "text")
        offered["context"] = (when, _joined("context", shared, {}))
    offered["none"] = (UNDATED, _joined("none", shared, {}))
    return offered


def sentence_features(doc: Doc, text: str, sentences: tuple[Sentence, ...], sentence: Sentence,
                      trigger: Span) -> dict[str, float]:
    """What the sentence says of the event's time, option-independent."""
    found: dict[str, float] = {}
    chars = doc.char_span(trigger[0], trigger[1], alignment_mode="expand")
    if chars is not None and len(chars):
        verb = _verb_of(chars.root)
        found["t:" + _tense(verb)] = 1.0
        if any(c.dep_ == "auxpass" for c in verb.children):
            found["passive"] = 1.0
    found["cert:" + sentence.certainty.label] = 1.0
    lead_in = text[sentence.span[0] : trigger[0]]
    if text[sentence.span[0] : sentence.span[0] + 1] in _QUOTES or sum(lead_in.count(q) for q in _QUOTES) % 2:
        found["quote"] = 1.0
    found["pos:" + _bucket(sentence.index, ((1, "1"), (4, "2-4"), (9, "5-9")), "10+")] = 1.0
    if background_cue(text, sentence.span[0], sentence.span[1]):
        found["background"] = 1.0  # "previously", "once", "former" … (dates.toml)
    return found


def _joined(option: str, shared: dict[str, float], own: dict[str, float]) -> dict[str, float]:
    """Every feature of an option, named after it (the model weighs them per option)."""
    joined = {option: 1.0}
    for name, value in (shared | own).items():
        joined[f"{option}|{name}"] = value
    return joined


def _verb_of(token: Token) -> Token:
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT" and verb.head is not verb:
        verb = verb.head  # a noun trigger is dated by the verb it hangs on
    return verb


def _tense(verb: Token) -> str:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if "had" in aux:
        return "pastperf"
    if aux & _PERFECT and verb.tag_ == "VBN":
        return "presperf"
    if aux & _MODALS:
        return "modal"
    if aux & _FUTURE:
        return "future"
    if verb.tag_ in ("VBZ", "VBP") or aux & {"is", "are", "am"}:
        return "present"
    if verb.tag_ == "VBD" or aux & {"was", "were", "did"}:
        return "past"
    return "other"


def _bucket(value: int, bounds: tuple[tuple[int, str], ...], above: str) -> str:
    return next((name for bound, name in bounds if value <= bound), above)


_PARAGRAPH = re.compile(r"\n\s*\n")


def _same_paragraph(text: str, start: int, end: int) -> bool:
    return _PARAGRAPH.search(text, start, end) is None
