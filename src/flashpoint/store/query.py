"""One event query for every view: exports, incidents, the analysis layer and the web app.

An :class:`EventQuery` holds the filters an analyst sets (actors, event types, dates,
certainty, confidence, independent sources) and builds the SQL WHERE clause for the table a
view reads — events (alias ``e``) or incidents — with named parameters, never string-pasted
values. The meaning of each filter is decided here, once:

* ``actors``: an event or incident involves actor X when one of its sources or targets has a
  code that starts with X — a country (``AZE`` matches ``AZE``, ``AZEGOV``, ``AZEMIL``), a
  country and sector (``AZEGOV``), or an organisation (``NATO``). Several actors: any of them.
* ``types``: PLOVER types, any case. ``since``/``until``: the event's date range overlaps them
  (a month-dated event ``2022-02`` matches ``since=2022-02-15``).
* ``min_certainty``: keeps the labels up to and including it in :data:`CERTAINTY_ORDER`
  (``attributed`` keeps asserted and attributed).
* ``min_confidence``: the event's (or the incident's highest) confidence.
* ``min_sources``: independent articles that reported the incident (a near-duplicate counts
  with its original); for events, the count of the incident the event belongs to.
* ``dyad``: ``"ARM-AZE"`` — an event with a source matching one side and a target matching the
  other, in either direction; ``"ARM>AZE"`` — a source matching ARM and a target matching AZE.
  A side matches an actor code the way ``actors`` does (code prefix). For incidents the sides
  are read in its ``source_codes`` and ``target_codes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flashpoint.errors import QueryError
from flashpoint.records import CERTAINTY_LABELS, CERTAINTY_ORDER, PLOVER_TYPES


@dataclass(frozen=True, slots=True)
class Where:
    """A WHERE clause (empty when nothing is filtered) and its named parameters."""

    clauses: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def sql(self) -> str:
        return f"WHERE {' AND '.join(self.clauses)}\n" if self.clauses else ""

    def and_(self, clause: str) -> Where:
        return Where((*self.clauses, clause), self.params)


@dataclass(frozen=True, slots=True)
class Dyad:
    """Two sides of a dyad filter: ``"ARM-AZE"`` (either direction) or ``"ARM>AZE"`` (ARM acts on AZE)."""

    a: str
    b: str
    directed: bool = False

    @classmethod
    def parse(cls, text: str) -> Dyad:
        sep = ">" if ">" in text else "-"
        parts = [p.strip().upper() for p in text.split(sep)]
        if len(parts) != 2 or not all(parts):
            raise QueryError(f"dyad {text!r} is not of the form A-B (either direction) or A>B (A acts on B)")
        return cls(parts[0], parts[1], sep == ">")

    def __str__(self) -> str:
        return f"{self.a}{'>' if self.directed else '-'}{self.b}"

    def pair_sql(self, source: str, target: str) -> str:
        """A boolean SQL expression: the codes ``source`` → ``target`` fall in this dyad
        (parameters ``$dyad_a`` and ``$dyad_b``)."""
        forward = f"(starts_with({source}, $dyad_a) AND starts_with({target}, $dyad_b))"
        if self.directed:
            return forward
        return f"({forward} OR (starts_with({source}, $dyad_b) AND starts_with({target}, $dyad_a)))"

    @property
    def params(self) -> dict[str, str]:
        return {"dyad_a": self.a, "dyad_b": self.b}


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The filters of one view; every field is optional."""

    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    min_certainty: str | None = None
    min_confidence: float | None = None
    min_sources: int = 1
    dyad: Dyad | None = None

    def __post_init__(self) -> None:
        if isinstance(self.dyad, str):
            object.__setattr__(self, "dyad", Dyad.parse(self.dyad))
        actors = tuple(a.strip().upper() for a in self.actors if a and a.strip())
        types = tuple(t.strip().upper() for t in self.types if t and t.strip())
        object.__setattr__(self, "actors", actors)
        object.__setattr__(self, "types", types)
        unknown = [t for t in types if t not in PLOVER_TYPES]
        if unknown:
            raise QueryError(f"unknown event type {unknown[0]!r}; use one of {', '.join(PLOVER_TYPES)}")
        if self.min_certainty is not None and self.min_certainty not in CERTAINTY_ORDER:
            raise QueryError(f"unknown certainty {self.min_certainty!r}; use one of {', '.join(CERTAINTY_LABELS)}")
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise QueryError(f"min_confidence {self.min_confidence} is not between 0 and 1")
        if self.min_sources < 1:
            raise QueryError(f"min_sources {self.min_sources} is below 1")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise QueryError(f"since {self.since} is after until {self.until}")

    @classmethod
    def of(cls, *, actor: str | None = None, type: str | None = None, **kw: Any) -> EventQuery:
        """A query from single values as the CLI options give them (``actor="AZE"``)."""
        return cls(actors=(actor,) if actor else (), types=(type,) if type else (), **kw)

    @property
    def certainty_labels(self) -> tuple[str, ...] | None:
        """The labels ``min_certainty`` keeps (None: all)."""
        if self.min_certainty is None:
            return None
        return CERTAINTY_ORDER[: CERTAINTY_ORDER.index(self.min_certainty) + 1]

    # -- events ---------------------------------------------------------------------------------

    def events_where(self, e: str = "e") -> Where:
        """The WHERE clause over the ``events`` table aliased ``e``."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.actors:
            clauses.append(
                "EXISTS (SELECT 1 FROM event_actors x "
                f"WHERE x.article_id = {e}.article_id AND x.event_position = {e}.position "
                "AND EXISTS (SELECT 1 FROM unnest($actors) AS a(p) WHERE starts_with(x.code, a.p)))"
            )
            params["actors"] = list(self.actors)
        if self.dyad is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM event_actors xs JOIN event_actors xt "
                "ON xt.article_id = xs.article_id AND xt.event_position = xs.event_position "
                f"WHERE xs.article_id = {e}.article_id AND xs.event_position = {e}.position "
                f"AND xs.role = 'source' AND xt.role = 'target' AND {self.dyad.pair_sql('xs.code', 'xt.code')})"
            )
            params.update(self.dyad.params)
        self._common(clauses, params, e, start=f"{e}.date_start", end=f"{e}.date_end")
        if self.min_sources > 1:
            clauses.append(
                "EXISTS (SELECT 1 FROM incident_events ie2 JOIN incidents i2 ON i2.id = ie2.incident_id "
                f"WHERE ie2.article_id = {e}.article_id AND ie2.event_position = {e}.position "
                "AND i2.source_count >= $min_sources)"
            )
            params["min_sources"] = self.min_sources
        return Where(tuple(clauses), params)

    # -- incidents ------------------------------------------------------------------------------

    def incidents_where(self, i: str = "incidents") -> Where:
        """The WHERE clause over the ``incidents`` table (named or aliased ``i``)."""
        clauses: list[str] = [f"{i}.source_count >= $min_sources"]
        params: dict[str, Any] = {"min_sources": self.min_sources}
        if self.actors:
            # list lambdas, not a correlated EXISTS over unnest(): the same test, ~10× faster
            clauses.append(
                f"len(list_filter({i}.source_codes || {i}.target_codes, lambda c: "
                "len(list_filter($actors::VARCHAR[], lambda p: starts_with(c, p))) > 0)) > 0"
            )
            params["actors"] = list(self.actors)
        if self.dyad is not None:
            clauses.append(
                f"EXISTS (SELECT 1 FROM unnest({i}.source_codes) AS s(code), unnest({i}.target_codes) AS t(code) "
                f"WHERE {self.dyad.pair_sql('s.code', 't.code')})"
            )
            params.update(self.dyad.params)
        self._common(clauses, params, i, start=f"{i}.first_date", end=f"{i}.last_date")
        return Where(tuple(clauses), params)

    def _common(self, clauses: list[str], params: dict[str, Any], t: str, *, start: str, end: str) -> None:
        if self.types:
            clauses.append(f"upper({t}.type) IN (SELECT unnest($types))")
            params["types"] = list(self.types)
        if self.since is not None:
            clauses.append(f"{end} >= $since")
            params["since"] = self.since
        if self.until is not None:
            clauses.append(f"{start} <= $until")
            params["until"] = self.until
        if self.certainty_labels is not None:
            clauses.append(f"{t}.certainty IN (SELECT unnest($certainty))")
            params["certainty"] = list(self.certainty_labels)
        if self.min_confidence is not None:
            clauses.append(f"{t}.confidence >= $min_confidence")
            params["min_confidence"] = self.min_confidence
