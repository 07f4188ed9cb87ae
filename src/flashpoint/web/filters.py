"""The URL query string of every page and API route, parsed into one EventQuery.

The filters live in the URL (``?actor=AZE&actor=ARM&type=ASSAULT&since=2024-03-01&until=…
&min_certainty=attributed&min_confidence=0.6&min_sources=2``) so that a view can be shared by
its address; their meaning is :class:`~flashpoint.store.query.EventQuery`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flashpoint.errors import QueryError
from flashpoint.store.query import EventQuery

FILTER_NAMES = ("actor", "type", "since", "until", "min_certainty", "min_confidence", "min_sources")


def _one(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = [v.strip() for v in params.get(name, ()) if v and v.strip()]
    if len(values) > 1:
        raise QueryError(f"give {name} once, not {len(values)} times")
    return values[0] if values else None


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} {value!r} is not a date in YYYY-MM-DD form") from None


def _number(value: str | None, name: str, kind: type) -> Any:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        raise QueryError(f"{name} {value!r} is not a{'n integer' if kind is int else ' number'}") from None


def parse_query(params: Mapping[str, Sequence[str]]) -> EventQuery:
    """The EventQuery of a query string given as ``name → [values]`` (repeat actor, type)."""
    actors = tuple(a for v in params.get("actor", ()) for a in v.split(",") if a.strip())
    types = tuple(t for v in params.get("type", ()) for t in v.split(",") if t.strip())
    sources = _number(_one(params, "min_sources"), "min_sources", int)
    return EventQuery(
        actors=actors, types=types,
        since=_date(_one(params, "since"), "since"), until=_date(_one(params, "until"), "until"),
        min_certainty=_one(params, "min_certainty"),
        min_confidence=_number(_one(params, "min_confidence"), "min_confidence", float),
        min_sources=1 if sources is None else sources,
    )


def query_string(query: EventQuery) -> str:
    """The query string that gives ``query`` back (empty when nothing is filtered)."""
    pairs: list[tuple[str, str]] = [("actor", a) for a in query.actors] + [("type", t) for t in query.types]
    if query.since:
        pairs.append(("since", query.since.isoformat()))
    if query.until:
        pairs.append(("until", query.until.isoformat()))
    if query.min_certainty:
        pairs.append(("min_certainty", query.min_certainty))
    if query.min_confidence is not None:
        pairs.append(("min_confidence", f"{query.min_confidence:g}"))
    if query.min_sources > 1:
        pairs.append(("min_sources", str(query.min_sources)))
    return urlencode(pairs)
