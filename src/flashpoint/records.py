"""Typed records passed between stages, stored in DuckDB and rendered as the JSON contract.

One record owns the text: :class:`Article` holds the cleaned text once; every other record
points into it with ``(start, end)`` character spans (Python ``str`` indices, end-exclusive).
Strings such as a sentence's text or a mention's surface form are derived from the article
when a record is rendered, never copied and stored beside it.

The JSON contract is ``shared/spec/analysis-json.md``; :meth:`Analysis.to_dict` produces it
and :meth:`Analysis.from_dict` reads it back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flashpoint.errors import QueryError

Span = tuple[int, int]

CERTAINTY_LABELS: tuple[str, ...] = (
    "asserted",
    "attributed",
    "hedged",
    "hypothetical",
    "future",
    "negated",
)

# The order in which a minimum certainty admits labels: each admits itself and those before it
# (what happened, then what is announced, then what is only hedged, supposed or denied).
CERTAINTY_ORDER: tuple[str, ...] = ("asserted", "attributed", "future", "hedged", "hypothetical", "negated")

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


def text_id(text: str) -> str:
    """Stable article id: the first 16 hex digits of the text's sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _span(value: Any) -> Span:
    start, end = value
    return (int(start), int(end))


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned news article and what is known about it."""

    text: str
    id: str = ""
    title: str | None = None
    author: str | None = None
    published: date | None = None
    published_source: str | None = None  # "argument" | "metadata" | "dateline"
    outlet: str | None = None
    url: str | None = None
    language: str = "en"

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", text_id(self.text))

    def slice(self, span: Span | None) -> str | None:
        return None if span is None else self.text[span[0] : span[1]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "published_source": self.published_source,
            "outlet": self.outlet,
            "url": self.url,
            "language": self.language,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        published = d.get("published")
        return cls(
            text=d["text"],
            id=d.get("id") or "",
            title=d.get("title"),
            author=d.get("author"),
            published=date.fromisoformat(published) if published else None,
            published_source=d.get("published_source"),
            outlet=d.get("outlet"),
            url=d.get("url"),
            language=d.get("language") or "en",
        )


@dataclass(frozen=True, slots=True)
class Certainty:
    """How sure the writer is of a sentence or event, and why."""

    label: str = "asserted"
    cues: tuple[str, ...] = ()
    attributed_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "cues": list(self.cues), "attributed_to": self.attributed_to}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Certainty:
        if not d:
            return cls()
        return cls(d["label"], tuple(d.get("cues") or ()), d.get("attributed_to"))


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    span: Span
    certainty: Certainty = field(default_factory=Certainty)

    def to_dict(self, article: Article) -> dict[str, Any]:
        return {
            "index": self.index,
            "span": list(self.span),
            "text": article.slice(self.span),
            "certainty": self.certainty.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sentence:
        return cls(int(d["index"]), _span(d["span"]), Certainty.from_dict(d.get("certainty")))


@dataclass(frozen=True, slots=True)
class ActorRef:
    """One mention of a political actor, resolved to a code (the contract's ``ActorRef``)."""

    span: Span
    key: str
    country: str | None = None
    org: str | None = None
    sector: str | None = None
    code: str = ""
    name: str = ""

    def to_dict(self, article: Article) -> dict[str, Any]:
        return {
            "text": article.slice(self.span),
            "span": list(self.span),
            "key": self.key,
            "country": self.country,
            "org": self.org,
            "sector": self.sector,
            "code": self.code,
            "name": self.name,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ActorRef:
        return cls(
            span=_span(d["span"]),
            key=d["key"],
            country=d.get("country"),
            org=d.get("org"),
            sector=d.get("sector"),
            code=d.get("code") or "",
            name=d.get("name") or "",
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """A distinct actor of an article, with its number of mentions."""

    key: str
    name: str
    country: str | None = None
    org: str | None = None
    sector: str | None = None
    mentions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "country": self.country,
            "org": self.org,
            "sector": self.sector,
            "mentions": self.mentions,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(
            d["key"], d["name"], d.get("country"), d.get("org"), d.get("sector"), int(d["mentions"])
        )


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A resolved time expression found in the text.

    ``value`` is an ISO date cut to its granularity: ``2022-09-13`` (day), ``2022-02``
    (month) or ``2022`` (year).
    """

    span: Span
    value: str
    granularity: str  # "day" | "month" | "year"


@dataclass(frozen=True, slots=True)
class EventDate:
    value: str | None
    granularity: str | None
    span: Span | None = None
    basis: str = "publication"  # "text" | "publication"

    def to_dict(self, article: Article) -> dict[str, Any]:
        return {
            "value": self.value,
            "granularity": self.granularity,
            "text": article.slice(self.span),
            "span": list(self.span) if self.span else None,
            "basis": self.basis,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventDate:
        span = d.get("span")
        return cls(d.get("value"), d.get("granularity"), _span(span) if span else None, d["basis"])


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "span": list(self.span) if self.span else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Location | None:
        if not d:
            return None
        span = d.get("span")
        return cls(d["name"], d.get("country"), d.get("lat"), d.get("lon"), _span(span) if span else None)


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: who did what to whom, when, where, and how surely."""

    id: str
    sentence: int
    trigger: Span
    source: tuple[ActorRef, ...]
    target: tuple[ActorRef, ...]
    type: str
    mode: str | None
    context: tuple[str, ...]
    cameo: str
    quad_class: int
    goldstein: float
    date: EventDate | None = None  # set by the event-dates stage
    location: Location | None = None
    certainty: Certainty = field(default_factory=Certainty)
    confidence: float = 0.5

    @staticmethod
    def make_id(article_id: str, sentence: int, trigger: Span, type_: str, part: str = "") -> str:
        """Stable id; ``part`` tells apart the directions of a split reciprocal event."""
        raw = f"{article_id}|{sentence}|{trigger[0]}:{trigger[1]}|{type_}|{part}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]

    def to_dict(self, article: Article) -> dict[str, Any]:
        return {
            "id": self.id,
            "sentence": self.sentence,
            "trigger": {"text": article.slice(self.trigger), "span": list(self.trigger)},
            "source": [a.to_dict(article) for a in self.source],
            "target": [a.to_dict(article) for a in self.target],
            "type": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "date": self.date.to_dict(article) if self.date else None,
            "location": self.location.to_dict() if self.location else None,
            "certainty": self.certainty.to_dict(),
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"],
            sentence=int(d["sentence"]),
            trigger=_span(d["trigger"]["span"]),
            source=tuple(ActorRef.from_dict(a) for a in d["source"]),
            target=tuple(ActorRef.from_dict(a) for a in d["target"]),
            type=d["type"],
            mode=d.get("mode"),
            context=tuple(d.get("context") or ()),
            cameo=d["cameo"],
            quad_class=int(d["quad_class"]),
            goldstein=float(d["goldstein"]),
            date=EventDate.from_dict(d["date"]),
            location=Location.from_dict(d.get("location")),
            certainty=Certainty.from_dict(d.get("certainty")),
            confidence=float(d["confidence"]),
        )


@dataclass(frozen=True, slots=True)
class CertaintyProfile:
    """Article-level view of how sure the writer is."""

    labels: dict[str, float] = field(default_factory=dict)
    top_cues: tuple[tuple[str, int], ...] = ()
    cited: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": dict(self.labels),
            "top_cues": [list(c) for c in self.top_cues],
            "cited": [list(c) for c in self.cited],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> CertaintyProfile:
        if not d:
            return cls()
        return cls(
            {k: float(v) for k, v in d.get("labels", {}).items()},
            tuple((c, int(n)) for c, n in d.get("top_cues", ())),
            tuple((c, int(n)) for c, n in d.get("cited", ())),
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something that was not analysed, and why."""

    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "detail": self.detail}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Skipped:
        return cls(d["reason"], d.get("detail") or "")


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything Flashpoint found in one article; ``to_dict()`` is the JSON contract."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    actors: tuple[Actor, ...] = ()
    events: tuple[Event, ...] = ()
    certainty_profile: CertaintyProfile = field(default_factory=CertaintyProfile)
    skipped: tuple[Skipped, ...] = ()
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.article.id)

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": self.id,
            "article": a.to_dict(),
            "sentences": [s.to_dict(a) for s in self.sentences],
            "actors": [x.to_dict() for x in self.actors],
            "events": [e.to_dict(a) for e in self.events],
            "certainty_profile": self.certainty_profile.to_dict(),
            "skipped": [s.to_dict() for s in self.skipped],
        }

    def filter_events(self, *, min_certainty: str | None = None, min_confidence: float | None = None) -> Analysis:
        """The same analysis keeping only events at least as certain as ``min_certainty`` (in
        :data:`CERTAINTY_ORDER`) and at least as confident as ``min_confidence``."""
        if min_certainty is not None and min_certainty not in CERTAINTY_ORDER:
            raise QueryError(f"unknown certainty {min_certainty!r}; use one of {', '.join(CERTAINTY_ORDER)}")
        allowed = set(CERTAINTY_ORDER[: CERTAINTY_ORDER.index(min_certainty) + 1]) if min_certainty else None
        kept = tuple(
            e for e in self.events
            if (allowed is None or e.certainty.label in allowed)
            and (min_confidence is None or e.confidence >= min_confidence)
        )
        return replace(self, events=kept)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        article = Article.from_dict(d["article"])
        return cls(
            article=article,
            sentences=tuple(Sentence.from_dict(s) for s in d.get("sentences", ())),
            actors=tuple(Actor.from_dict(x) for x in d.get("actors", ())),
            events=tuple(Event.from_dict(e) for e in d.get("events", ())),
            certainty_profile=CertaintyProfile.from_dict(d.get("certainty_profile")),
            skipped=tuple(Skipped.from_dict(s) for s in d.get("skipped", ())),
            id=d.get("id") or "",
        )
