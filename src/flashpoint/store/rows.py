"""Records to table rows and back: the one place that knows both the records and the
columns of ``schema/*.sql``."""

from __future__ import annotations

import calendar
import json
from datetime import date, datetime
from typing import Any

from flashpoint._version import __version__
from flashpoint.records import (
    ActorRef,
    Analysis,
    Certainty,
    CertaintyProfile,
    Event,
    EventDate,
    Location,
)

# Columns the store writes, in the order the row builders below produce them. Their types
# come from the database, so the SQL files stay the one source of truth for the schema.
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "id", "record_id", "title", "author", "published", "published_source", "outlet",
        "url", "language", "text", "analysed_at", "flashpoint_version",
    ),
    "sentences": ("article_id", "idx", "start", "end", "certainty", "cues", "attributed_to"),
    "actors": ("article_id", "position", "key", "name", "country", "org", "sector", "mentions"),
    "events": (
        "id", "article_id", "position", "sentence", "trigger_start", "trigger_end", "type",
        "mode", "context", "cameo", "cameo_root", "quad_class", "goldstein",
        "date_value", "date_granularity", "date_start", "date_end", "date_basis",
        "date_text_start", "date_text_end",
        "location_name", "location_country", "lat", "lon", "loc_start", "loc_end",
        "certainty", "cues", "attributed_to", "confidence",
    ),
    "event_actors": (
        "event_id", "article_id", "event_position", "role", "position", "start", "end",
        "key", "country", "org", "sector", "code", "name",
    ),
    "profiles": ("article_id", "labels", "top_cues", "cited"),
    "skipped": ("origin", "article_id", "position", "reason", "detail", "at"),
}  # fmt: skip

def _date_bounds(value: str | None) -> tuple[date | None, date | None]:
    """First and last day covered by ``2022-09-13``, ``2022-02`` or ``2022``; None if unparsable."""
    try:
        parts = [int(p) for p in (value or "").split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            year, month = parts
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if len(parts) == 3:
            day = date(*parts)
            return day, day
    except ValueError:
        pass
    return None, None



# -- records → rows ----------------------------------------------------------------------------


def analysis_rows(a: Analysis, at: datetime) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one analysis, per table, in COLUMNS order."""
    art, aid, p = a.article, a.article.id, a.certainty_profile
    return {
        "articles": [
            (
                aid,
                a.id,
                art.title,
                art.author,
                art.published,
                art.published_source,
                art.outlet,
                art.url,
                art.language,
                art.text,
                at,
                __version__,
            )
        ],  # fmt: skip
        "sentences": [(aid, s.index, *s.span, *_certainty_row(s.certainty)) for s in a.sentences],
        "actors": [
            (aid, i, x.key, x.name, x.country, x.org, x.sector, x.mentions)
            for i, x in enumerate(a.actors)
        ],
        "events": [_event_row(aid, i, e) for i, e in enumerate(a.events)],
        "event_actors": [
            (e.id, aid, i, role, j, *r.span, r.key, r.country, r.org, r.sector, r.code, r.name)
            for i, e in enumerate(a.events)
            for role, refs in (("source", e.source), ("target", e.target))
            for j, r in enumerate(refs)
        ],
        "profiles": [(aid, _json(p.labels), _json(p.top_cues), _json(p.cited))],
        "skipped": [(a.id, aid, i, s.reason, s.detail, at) for i, s in enumerate(a.skipped)],
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _certainty_row(c: Certainty) -> tuple[Any, ...]:
    return (c.label, list(c.cues), c.attributed_to)


def _event_row(aid: str, position: int, e: Event) -> tuple[Any, ...]:
    d, loc = e.date, e.location
    no_span = (None, None)
    location = (
        (loc.name, loc.country, loc.lat, loc.lon, *(loc.span or no_span)) if loc else (None,) * 6
    )
    return (
        e.id, aid, position, e.sentence, *e.trigger, e.type, e.mode, list(e.context),
        e.cameo, e.cameo[:2], e.quad_class, e.goldstein,
        d.value, d.granularity, *_date_bounds(d.value), d.basis, *(d.span or no_span),
        *location, *_certainty_row(e.certainty), e.confidence,
    )  # fmt: skip


# -- rows → records ----------------------------------------------------------------------------


def certainty_from_row(label: str, cues: list[str], attributed_to: str | None) -> Certainty:
    return Certainty(label, tuple(cues), attributed_to)


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return None if start is None or end is None else (start, end)


def event_from_row(row: tuple[Any, ...], refs: dict[tuple[int, str], list[ActorRef]]) -> Event:
    r = dict(zip(COLUMNS["events"], row, strict=True))
    position = r["position"]
    location = None
    if r["location_name"] is not None:
        location = Location(
            r["location_name"], r["location_country"], r["lat"], r["lon"],
            _span(r["loc_start"], r["loc_end"]),
        )  # fmt: skip
    return Event(
        id=r["id"],
        sentence=r["sentence"],
        trigger=(r["trigger_start"], r["trigger_end"]),
        source=tuple(refs.get((position, "source"), ())),
        target=tuple(refs.get((position, "target"), ())),
        type=r["type"],
        mode=r["mode"],
        context=tuple(r["context"]),
        cameo=r["cameo"],
        quad_class=r["quad_class"],
        goldstein=r["goldstein"],
        date=EventDate(
            r["date_value"],
            r["date_granularity"],
            _span(r["date_text_start"], r["date_text_end"]),
            r["date_basis"],
        ),  # fmt: skip
        location=location,
        certainty=certainty_from_row(r["certainty"], r["cues"], r["attributed_to"]),
        confidence=r["confidence"],
    )


def profile_from_row(row: tuple[str, str, str] | None) -> CertaintyProfile:
    if row is None:
        return CertaintyProfile()
    labels, top_cues, cited = (json.loads(v) for v in row)
    return CertaintyProfile(
        {k: float(v) for k, v in labels.items()},
        tuple((c, int(n)) for c, n in top_cues),
        tuple((c, int(n)) for c, n in cited),
    )


