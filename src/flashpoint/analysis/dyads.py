"""Dyad timelines: per dyad and per day, week or month, what the stored events say.

``timeline(store, query)`` reads the events that ``query`` (one
:class:`~flashpoint.store.query.EventQuery`) keeps and returns one :class:`DyadRow` per dyad
and period, computed in DuckDB (one SQL statement, so it scales with the store, not with
Python):

* **Dyad members.** An actor takes part in a dyad as its organisation when it has one
  (``NATO``, ``HAMAS``), else as its country (``AZEGOV``, ``AZEMIL`` and ``AZE`` are all
  ``AZE``) — the same root the incidents compare. Actors with neither (*the protesters*) are
  no dyad member. An event with sources S and targets T belongs to every dyad (s, t); within
  one dyad it counts once. Directed dyads keep source → target; undirected ones put the
  alphabetically first member in ``actor1``. A country's internal events (``AZE-AZE``) are a
  dyad too.
* **Periods.** An event falls in the period of its date; an event whose date is coarser than
  the period (a month-dated event in a daily timeline) or undated is left out and counted in
  :attr:`DyadTimeline.coarse_events`.
* **Units.** ``incidents`` (the default, ``data/analysis/dyads.toml``) counts one incident
  however many articles reported it (an event not yet in any incident is its own incident); an
  incident falls in the period of its earliest event in the dyad. With ``unit="events"`` every
  event counts. The ``incidents``, ``events``, ``sources`` (independent articles: a
  near-duplicate counts with its original) and ``articles`` columns are always given; the
  QuadClass and PLOVER-type counts and the magnitudes are per unit.
* **Magnitudes.** A unit's Goldstein score (an incident's: the mean of its events' in the
  dyad) times the weight of its certainty (an incident's: the strongest any report gave it)
  adds to ``conflict`` when negative and to ``cooperation`` when positive, kept apart;
  ``net = cooperation − conflict``. The same split by certainty channel: ``happened``
  (asserted, attributed) and ``signalled`` (future, hedged, hypothetical). Negated units are
  in neither and are counted in ``negated`` only.
* **Volume.** ``period_articles`` = stored articles reporting any event dated in the period
  (whatever the query); ``article_share`` = the dyad's articles / that, and the ``*_norm``
  magnitudes are per ``[volume] per`` such articles (NaN under ``min_period_articles``).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from flashpoint.errors import DataFileError, QueryError
from flashpoint.records import CERTAINTY_ORDER, PLOVER_TYPES
from flashpoint.resources import data_file, read_toml
from flashpoint.store.query import EventQuery

Period = Literal["day", "week", "month"]
Unit = Literal["incidents", "events"]
PERIODS: tuple[str, ...] = ("day", "week", "month")
UNITS: tuple[str, ...] = ("incidents", "events")
CHANNELS: tuple[str, ...] = ("happened", "signalled", "negated")
# From the strongest to the weakest: an incident takes the strongest label any report gave it
# (the same order as analysis/incidents.py's CERTAINTY_STRENGTH).
STRENGTH: tuple[str, ...] = ("asserted", "attributed", "future", "hedged", "hypothetical", "negated")

_SUMS = ("conflict", "cooperation", "conflict_happened", "cooperation_happened", "conflict_signalled",
         "cooperation_signalled")
TYPE_COLUMNS: tuple[str, ...] = tuple(f"type_{t.lower()}" for t in PLOVER_TYPES)
QUAD_COLUMNS: tuple[str, ...] = ("quad_1", "quad_2", "quad_3", "quad_4")


@dataclass(frozen=True, slots=True)
class DyadRules:
    """Certainty weights and channels, the default unit and the volume settings (``dyads.toml``)."""

    weights: Mapping[str, float]
    channels: Mapping[str, str]
    unit: str = "incidents"
    per: float = 1000.0
    min_period_articles: int = 10
    min_events: int = 50  # escalation: keys with fewer events are not tested

    FILE = "dyads.toml"

    @classmethod
    def load(cls, path: str | Path | None = None) -> DyadRules:
        """Read and check the rules: the shipped file unless ``path`` is given."""
        source = str(path) if path is not None else f"data/analysis/{cls.FILE}"
        file = Path(path) if path is not None else data_file("analysis", cls.FILE)

        def build(data: dict[str, Any]) -> DyadRules:
            certainty = data["certainty"]
            return cls(
                weights={label: float(certainty[label]["weight"]) for label in CERTAINTY_ORDER},
                channels={label: str(certainty[label]["channel"]) for label in CERTAINTY_ORDER},
                unit=str(data["units"]["default"]),
                per=float(data["volume"]["per"]),
                min_period_articles=int(data["volume"]["min_period_articles"]),
                min_events=int(data["escalation"]["min_events"]),
            )

        rules = read_toml(file, source, "dyad rules", build)
        rules.check(source)
        return rules

    def check(self, source: str = "dyad rules") -> None:
        if self.unit not in UNITS:
            raise DataFileError(f"[units] default must be one of {', '.join(UNITS)}", source=source)
        for label in CERTAINTY_ORDER:
            if self.channels.get(label) not in CHANNELS:
                raise DataFileError(f"[certainty.{label}] channel must be one of {', '.join(CHANNELS)}",
                                    source=source)
            if not 0 <= self.weights.get(label, -1) <= 1:
                raise DataFileError(f"[certainty.{label}] weight must be between 0 and 1", source=source)
        if self.channels["negated"] != "negated":
            raise DataFileError("[certainty.negated] must be in the negated channel", source=source)
        if self.per <= 0 or self.min_period_articles < 0 or self.min_events < 0:
            raise DataFileError("[volume] per must be > 0, min_period_articles and [escalation] min_events ≥ 0",
                                source=source)


@dataclass(frozen=True, slots=True)
class DyadRow:
    """One dyad in one period (see the module docstring for what each number counts)."""

    actor1: str
    actor2: str
    directed: bool
    period: date
    incidents: int
    events: int
    sources: int
    articles: int
    negated: int
    quads: tuple[int, int, int, int]
    types: tuple[int, ...]  # aligned with records.PLOVER_TYPES
    conflict: float
    cooperation: float
    net: float
    conflict_happened: float
    cooperation_happened: float
    conflict_signalled: float
    cooperation_signalled: float
    period_articles: int
    article_share: float
    conflict_norm: float
    cooperation_norm: float
    net_norm: float

    @property
    def dyad(self) -> str:
        """``ARM>AZE`` (directed) or ``ARM-AZE``."""
        return f"{self.actor1}{'>' if self.directed else '-'}{self.actor2}"

    def to_dict(self) -> dict[str, Any]:
        """Flat: the QuadClass and type counts as ``quad_1``… and ``type_assault``… keys."""
        out = asdict(self)
        out.pop("quads")
        out.pop("types")
        out["period"] = self.period.isoformat()
        out.update(zip(QUAD_COLUMNS, self.quads, strict=True))
        out.update(zip(TYPE_COLUMNS, self.types, strict=True))
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in out.items()}


@dataclass(frozen=True)
class DyadTimeline:
    """The rows of one timeline, and its Arrow table (the same numbers, columnar)."""

    table: Any  # pyarrow.Table with the columns of DyadRow.to_dict()
    period: str
    directed: bool
    unit: str
    coarse_events: int  # events left out: undated, or dated coarser than the period
    _rows: list[DyadRow] = field(default_factory=list, repr=False)

    @property
    def rows(self) -> list[DyadRow]:
        if not self._rows and self.table.num_rows:
            self._rows.extend(_row(r, self.directed) for r in self.table.to_pylist())
        return self._rows

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def to_arrow(self) -> Any:
        return self.table

    def to_pandas(self) -> Any:
        """A pandas DataFrame (needs pandas, which Flashpoint does not install)."""
        return self.table.to_pandas()

    def to_dicts(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.rows]


def _row(r: dict[str, Any], directed: bool) -> DyadRow:
    def num(key: str) -> float:
        v = r[key]
        return math.nan if v is None else float(v)

    return DyadRow(
        r["actor1"], r["actor2"], directed, r["period"], r["incidents"], r["events"], r["sources"],
        r["articles"], r["negated"], tuple(r[c] for c in QUAD_COLUMNS),  # type: ignore[arg-type]
        tuple(r[c] for c in TYPE_COLUMNS), num("conflict"), num("cooperation"), num("net"),
        num("conflict_happened"), num("cooperation_happened"), num("conflict_signalled"),
        num("cooperation_signalled"), r["period_articles"], num("article_share"), num("conflict_norm"),
        num("cooperation_norm"), num("net_norm"),
    )  # fmt: skip


# -- SQL ---------------------------------------------------------------------------------------


def pairs_sql(query: EventQuery, period: str, directed: bool, unit: str, *, materialised: bool = False,
              keep: str = "", members: Sequence[str] | None = None) -> tuple[str, dict[str, Any]]:
    """The CTEs ``pairs`` (one row per event and dyad of the query's events in a period) and
    ``units`` (one row per counting unit and dyad), and their parameters.

    ``units`` columns: actor1, actor2, unit_id, period, first_day, goldstein, certainty, type,
    quad_class, incident_id (the incident behind the unit), events (its events in the dyad). Shared by the timeline, the escalation
    series and the network, so a number means the same thing in all three. ``materialised``: read
    the ``dyad_events`` table (:func:`refresh`; only while :func:`materialised` says it is fresh)
    instead of joining the event tables: the same rows. ``keep``: an SQL condition on a pair's
    ``actor1`` and ``actor2`` (the dyads a caller asks for), applied inside ``pairs`` so that
    nothing else is grouped (``pairs`` is read twice, so DuckDB computes it whole before any
    filter of its readers). ``members``: only the pairs both of whose members are among these (a
    page about one dyad, or a few): tested on the stored members before anything else, so that
    the list tests of a dyad filter and the groupings see only those rows (half the cost of a
    dyad's scan of a million events); the rows of those pairs are unchanged.
    """
    if period not in PERIODS:
        raise QueryError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    if unit not in UNITS:
        raise QueryError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    pairs, params = (_stored_pairs if materialised else _joined_pairs)(query, period, directed, unit, keep, members)
    labels = "['" + "', '".join(STRENGTH) + "']"
    strength = f"list_position({labels}, p.certainty)"
    strongest = f"{labels}[min(strength)]"
    if materialised:
        return f"WITH {pairs},{_stored_units(strength, labels)}", params
    sql = f"""
WITH {pairs},
kinds AS (
    SELECT p.actor1, p.actor2, p.unit_id, p.type, p.quad_class, count(*) AS n, min(p.period) AS period,
           min(p.date_start) AS first_day, min(p.period) FILTER (p.certainty <> 'negated') AS live_period,
           min(p.date_start) FILTER (p.certainty <> 'negated') AS live_day,
           sum(p.goldstein) AS goldstein_sum, count(p.goldstein) AS scored,
           min({strength}) AS strength, any_value(p.incident_id) AS incident_id
    FROM pairs p
    GROUP BY p.actor1, p.actor2, p.unit_id, p.type, p.quad_class),
units AS (
    -- a unit's type and QuadClass: those most of its events share (ties: the first type
    -- alphabetically); two levels of grouping, four times faster than mode()
    -- a unit is in the period of its first event that is not negated (of its first event when
    -- all are): a denial reported before the event must not place it where nothing happened
    SELECT actor1, actor2, unit_id, coalesce(min(live_period), min(period)) AS period,
           coalesce(min(live_day), min(first_day)) AS first_day,
           sum(goldstein_sum) / nullif(sum(scored), 0) AS goldstein, {strongest} AS certainty,
           arg_min(type, (-n, type, quad_class)) AS type, arg_min(quad_class, (-n, type, quad_class)) AS quad_class,
           any_value(incident_id) AS incident_id, sum(n)::BIGINT AS events
    FROM kinds
    GROUP BY actor1, actor2, unit_id)"""
    return sql, params


def _stored_units(strength: str, labels: str) -> str:
    """``units`` from stored pairs, whose ``pure`` says the unit's rows share one type and QuadClass
    (:func:`refresh`): the same rows as the two groupings of :func:`pairs_sql`, but only the units
    that are not pure are grouped per type and QuadClass (``mains``); every sum, minimum and count
    of a unit is the same over its rows as over its kinds' partial results."""
    return f"""
mains AS (
    SELECT actor1, actor2, unit_id, arg_min(type, (-n, type, quad_class)) AS type,
           arg_min(quad_class, (-n, type, quad_class)) AS quad_class
    FROM (SELECT p.actor1, p.actor2, p.unit_id, p.type, p.quad_class, count(*) AS n
          FROM pairs p WHERE NOT p.pure GROUP BY ALL)
    GROUP BY actor1, actor2, unit_id),
whole AS (
    SELECT p.actor1, p.actor2, p.unit_id,
           coalesce(min(p.period) FILTER (p.certainty <> 'negated'), min(p.period)) AS period,
           coalesce(min(p.date_start) FILTER (p.certainty <> 'negated'), min(p.date_start)) AS first_day,
           sum(p.goldstein) / nullif(count(p.goldstein), 0) AS goldstein, {labels}[min({strength})] AS certainty,
           bool_and(p.pure) AS pure, any_value(p.type) AS type, any_value(p.quad_class) AS quad_class,
           any_value(p.incident_id) AS incident_id, count(*)::BIGINT AS events
    FROM pairs p
    GROUP BY p.actor1, p.actor2, p.unit_id),
units AS (
    -- a pure unit's rows all have its type (any_value: NULL only when all are NULL)
    SELECT w.actor1, w.actor2, w.unit_id, w.period, w.first_day, w.goldstein, w.certainty,
           CASE WHEN w.pure THEN w.type ELSE m.type END AS type,
           CASE WHEN w.pure THEN w.quad_class ELSE m.quad_class END AS quad_class, w.incident_id, w.events
    FROM whole w LEFT JOIN mains m USING (actor1, actor2, unit_id))"""


_INCIDENT = "coalesce(ie.incident_id, 'event:' || e.article_id || ':' || e.position)"


def _unit_id(unit: str, incident: str) -> str:
    return incident if unit == "incidents" else "e.article_id || ':' || e.position"


def _fits(period: str) -> str:
    """The event's date falls in one period (coarser dates are left out)."""
    return f"date_trunc('{period}', e.date_start) = date_trunc('{period}', e.date_end)"


def _pairs_cte(select: str, keep: str) -> str:
    """The ``pairs`` CTE of a SELECT, only the pairs that meet ``keep`` when given (a condition
    on its ``actor1`` and ``actor2``)."""
    return f"pairs AS (SELECT * FROM ({select}) WHERE {keep})" if keep else f"pairs AS ({select})"


def _joined_pairs(query: EventQuery, period: str, directed: bool, unit: str, keep: str = "",
                  members: Sequence[str] | None = None) -> tuple[str, dict[str, Any]]:
    """``pairs`` from the event tables: events, articles, incident links and actors joined."""
    where = query.events_where("e").and_("e.date_start IS NOT NULL").and_(_fits(period))
    a, b = ("s.member", "t.member") if directed else ("least(s.member, t.member)", "greatest(s.member, t.member)")
    pair_filter = f"WHERE {query.dyad.pair_sql('s.code', 't.code')}" if query.dyad is not None else ""
    # the events of the query first, then (when the query picks few: a dyad, actors) only their
    # articles, incident links and actors, so that the joins hash the filtered side, not the
    # whole store; for a broad query (a year of everything) the semi-joins would cost more
    narrow = query.dyad is not None or bool(query.actors)

    listed, named = _listed(members or ())
    only_members = "" if members is None else f" AND coalesce(x.org, x.country) IN ({listed})"

    def only(table: str, key: str) -> str:
        return f"(SELECT * FROM {table} WHERE {key} IN (SELECT article_id FROM e0))" if narrow else table

    paired = _pairs_cte(f"""
    SELECT DISTINCT ev.*, {a} AS actor1, {b} AS actor2
    FROM ev
    JOIN sides s ON s.article_id = ev.article_id AND s.event_position = ev.position AND s.role = 'source'
    JOIN sides t ON t.article_id = ev.article_id AND t.event_position = ev.position AND t.role = 'target'
    {pair_filter}""", keep)
    sql = f"""e0 AS (
    SELECT e.article_id, e.position, e.type, e.quad_class, e.goldstein, e.certainty, e.date_start,
           date_trunc('{period}', e.date_start)::DATE AS period
    FROM events e
    {where.sql}),
ev AS (
    SELECT e.*, coalesce(a.duplicate_of, a.id) AS root, {_INCIDENT} AS incident_id,
           {_unit_id(unit, _INCIDENT)} AS unit_id
    FROM e0 e
    JOIN {only("articles", "id")} a ON a.id = e.article_id
    LEFT JOIN {only("incident_events", "article_id")} ie
           ON ie.article_id = e.article_id AND ie.event_position = e.position),
sides AS (
    SELECT x.article_id, x.event_position, x.role, x.code, coalesce(x.org, x.country) AS member
    FROM {only("event_actors", "article_id")} x
    WHERE coalesce(x.org, x.country) IS NOT NULL{only_members}),
{paired}"""
    return sql, {**where.params, **named}


def _listed(members: Sequence[str]) -> tuple[str, dict[str, str]]:
    """An SQL list of one parameter per member (``$member_0, $member_1``) and the parameters; an
    empty list matches nothing."""
    named = {f"member_{k}": str(m) for k, m in enumerate(members)}
    return (", ".join(f"${k}" for k in named) or "NULL"), named


def _any_prefix(codes: str, param: str) -> str:
    """SQL: some code of the list ``codes`` starts with the parameter ``param``."""
    return f"len(list_filter({codes}, lambda c: starts_with(c, ${param}))) > 0"


def _stored_pairs(query: EventQuery, period: str, directed: bool, unit: str, keep: str = "",
                  members: Sequence[str] | None = None) -> tuple[str, dict[str, Any]]:
    """``pairs`` from the materialised ``dyad_events``: one scan, no join. The filters mean what
    :meth:`EventQuery.events_where` says: actors and dyad sides on the event's codes, sources on
    its incident's."""
    plain = EventQuery(types=query.types, since=query.since, until=query.until,
                       min_certainty=query.min_certainty, min_confidence=query.min_confidence)
    where = plain.events_where("e").and_("e.date_start IS NOT NULL").and_(_fits(period))
    params = dict(where.params)
    if members is not None:  # first: cheap equality tests that spare the list lambdas below most rows
        listed, named = _listed(members)
        # constants in an IN list: the scan skips the row groups whose zone maps (the table is
        # sorted by its members, see refresh) hold neither member
        where = where.and_(f"e.actor1 IN ({listed}) AND e.actor2 IN ({listed})")
        params.update(named)
    if query.actors:
        where = where.and_("len(list_filter(e.codes, lambda c: "
                           "len(list_filter($actors::VARCHAR[], lambda p: starts_with(c, p))) > 0)) > 0")
        params["actors"] = list(query.actors)
    if query.min_sources > 1:
        where = where.and_("e.incident_sources >= $min_sources")
        params["min_sources"] = query.min_sources
    if query.dyad is not None:
        # the same as the joined pairs' filter: some source code on one side, some target code on
        # the other; undirected, the reverse pair of the same event (its mirror's codes) counts too
        def match(src: str, tgt: str) -> str:
            forward = f"({_any_prefix(src, 'dyad_a')} AND {_any_prefix(tgt, 'dyad_b')})"
            backward = f"({_any_prefix(src, 'dyad_b')} AND {_any_prefix(tgt, 'dyad_a')})"
            return forward if query.dyad.directed else f"({forward} OR {backward})"  # type: ignore[union-attr]

        own = match("e.source_codes", "e.target_codes")
        mirror = match("coalesce(e.mirror_source_codes, [])", "coalesce(e.mirror_target_codes, [])")
        where = where.and_(own if directed else f"({own} OR {mirror})")
        params.update(query.dyad.params)
    if not directed:
        where = where.and_("NOT e.mirror")
    a, b = ("e.actor1", "e.actor2") if directed else ("least(e.actor1, e.actor2)", "greatest(e.actor1, e.actor2)")
    sql = _pairs_cte(f"""
    SELECT e.article_id, e.position, e.type, e.quad_class, e.goldstein, e.certainty, e.date_start,
           date_trunc('{period}', e.date_start)::DATE AS period, e.root, e.incident_id,
           {_unit_id(unit, 'e.incident_id')} AS unit_id, {a} AS actor1, {b} AS actor2,
           {"e.pure" if unit == "incidents" else "TRUE"} AS pure  -- an event unit has one row per dyad
    FROM dyad_events e
    {where.sql}""", keep)
    return sql, params


# -- the materialised dyad events -------------------------------------------------------------

_FINGERPRINT = """
SELECT concat_ws('|', (SELECT count(*) FROM events), (SELECT count(*) FROM event_actors),
       (SELECT count(*) FROM articles), (SELECT max(analysed_at) FROM articles),
       (SELECT coalesce(bit_xor(hash(id, duplicate_of)), 0) FROM articles WHERE duplicate_of IS NOT NULL),
       (SELECT count(*) FROM incident_events), (SELECT count(*) FROM incidents),
       (SELECT coalesce(sum(source_count), 0) FROM incidents))"""

_REFRESH = """
INSERT INTO dyad_events
WITH sides AS (
    SELECT article_id, event_position, role, coalesce(org, country) AS member, list(code ORDER BY code) AS codes
    FROM event_actors
    WHERE coalesce(org, country) IS NOT NULL AND role IN ('source', 'target') AND {part}
    GROUP BY ALL),
every AS (
    SELECT article_id, event_position, list(DISTINCT code ORDER BY code) AS codes
    FROM event_actors WHERE code IS NOT NULL AND {part} GROUP BY ALL),
directed AS (
    SELECT s.article_id, s.event_position, s.member AS actor1, t.member AS actor2, s.codes AS source_codes,
           t.codes AS target_codes
    FROM sides s JOIN sides t ON t.article_id = s.article_id AND t.event_position = s.event_position
    WHERE s.role = 'source' AND t.role = 'target'),
pairs AS (
    SELECT d.*, r.actor1 IS NOT NULL AND d.actor1 > d.actor2 AS mirror,
           CASE WHEN d.actor1 < d.actor2 THEN r.source_codes END AS mirror_source_codes,
           CASE WHEN d.actor1 < d.actor2 THEN r.target_codes END AS mirror_target_codes
    FROM directed d LEFT JOIN directed r ON r.article_id = d.article_id AND r.event_position = d.event_position
         AND r.actor1 = d.actor2 AND r.actor2 = d.actor1 AND d.actor1 <> d.actor2)
SELECT p.article_id, p.event_position, p.actor1, p.actor2, p.source_codes, p.target_codes,
       coalesce(every.codes, []), p.mirror, p.mirror_source_codes, p.mirror_target_codes, e.type, e.quad_class, e.goldstein, e.certainty, e.confidence,
       e.date_start, e.date_end, coalesce(a.duplicate_of, a.id), {incident}, i.source_count, NULL
FROM pairs p
JOIN events e ON e.article_id = p.article_id AND e.position = p.event_position
JOIN articles a ON a.id = e.article_id
LEFT JOIN incident_events ie ON ie.article_id = e.article_id AND ie.event_position = e.position
LEFT JOIN incidents i ON i.id = ie.incident_id
LEFT JOIN every ON every.article_id = p.article_id AND every.event_position = p.event_position
-- sorted by members: a dyad's rows fill few row groups, which a dyad page's scan alone reads
-- (60 -> 12 ms on a million events; the refresh takes about a second longer)
ORDER BY p.actor1, p.actor2"""

# an incident's rows in an undirected dyad (mirror rows too: they are the same events, so the
# rows of a directed dyad are a subset) all share one type and QuadClass; after the slices, since
# an incident's events span articles of several slices
_PURE = """
UPDATE dyad_events d SET pure = k.kinds = 1
FROM (SELECT least(actor1, actor2) AS a, greatest(actor1, actor2) AS b, incident_id,
             count(DISTINCT (type, quad_class)) AS kinds
      FROM dyad_events GROUP BY ALL) k
WHERE k.a = least(d.actor1, d.actor2) AND k.b = greatest(d.actor1, d.actor2) AND k.incident_id = d.incident_id"""

_FRESH: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


def refresh(store: Any) -> int:
    """Rebuild the materialised ``dyad_events`` from the store (call after incidents are rebuilt,
    inside or outside a transaction); return its rows."""
    store.execute("DELETE FROM dyad_events")
    store.execute("DELETE FROM dyad_events_state")
    # in slices of about a million events, each its own statement: one statement over 5M events
    # ran out of DuckDB's 3 GB memory limit (the joins and the code lists at once)
    (events,) = store.fetchall("SELECT count(*) FROM events")[0]
    parts = max(1, -(-int(events) // 1_000_000))
    for k in range(parts):
        part = f"hash(article_id) % {parts} = {k}"
        store.execute(_REFRESH.format(part=part, incident=_INCIDENT).replace(
            "JOIN events e ON", f"JOIN (SELECT * FROM events WHERE {part}) e ON"))
    store.execute(_PURE)
    (fingerprint,) = store.fetchall(_FINGERPRINT)[0]
    store.execute("INSERT INTO dyad_events_state VALUES ($f, now()::TIMESTAMP)", {"f": fingerprint})
    _FRESH.pop(store, None)
    return store.count("dyad_events")


def materialised(store: Any) -> bool:
    """Whether ``dyad_events`` holds what the store holds now (refreshed since the last write).
    Remembered for a read-only store, which cannot change while it is open."""
    if store in _FRESH:
        return _FRESH[store]
    state = store.fetchall("SELECT fingerprint FROM dyad_events_state")
    fresh = bool(state) and state[0][0] == store.fetchall(_FINGERPRINT)[0][0]
    if getattr(store, "read_only", False):
        _FRESH[store] = fresh
    return fresh


def weights_sql(rules: DyadRules) -> tuple[str, dict[str, Any]]:
    """The CTE ``w`` (label, weight, channel) from the rules, as parameters."""
    labels = list(CERTAINTY_ORDER)
    sql = """,
w AS (SELECT unnest($w_labels) AS label, unnest($w_weights) AS weight, unnest($w_channels) AS channel),
mag AS (
    SELECT u.*, w.channel,
           CASE WHEN u.goldstein < 0 AND w.channel <> 'negated' THEN -u.goldstein * w.weight ELSE 0 END AS conflict,
           CASE WHEN u.goldstein > 0 AND w.channel <> 'negated' THEN u.goldstein * w.weight ELSE 0 END AS cooperation
    FROM units u JOIN w ON w.label = u.certainty)"""
    params = {"w_labels": labels, "w_weights": [rules.weights[x] for x in labels],
              "w_channels": [rules.channels[x] for x in labels]}
    return sql, params


def _timeline_sql(query: EventQuery, period: str, directed: bool, unit: str, rules: DyadRules,
                  stored: bool = False, members: Sequence[str] | None = None, volume: bool = True
                  ) -> tuple[str, dict[str, Any]]:
    base, params = pairs_sql(query, period, directed, unit, materialised=stored, members=members)
    wsql, wparams = weights_sql(rules)
    keep = "m.channel <> 'negated'"
    quads = ", ".join(f"count(*) FILTER ({keep} AND m.quad_class = {q}) AS quad_{q}" for q in (1, 2, 3, 4))
    types = ", ".join(f"count(*) FILTER ({keep} AND m.type = '{t}') AS {c}"
                      for t, c in zip(PLOVER_TYPES, TYPE_COLUMNS, strict=True))
    sums = ", ".join(
        f"coalesce(sum(m.{side}) FILTER (m.channel = '{ch}'), 0)::DOUBLE AS {side}_{ch}"
        for ch in ("happened", "signalled") for side in ("conflict", "cooperation"))
    incidents = "" if unit == "incidents" else f""",
inc AS (
    SELECT actor1, actor2, period, count(*) AS incidents FROM (
        SELECT p.actor1, p.actor2, p.incident_id,
               coalesce(min(p.period) FILTER (p.certainty <> 'negated'), min(p.period)) AS period,
               arg_min(p.certainty, list_position(['{"', '".join(STRENGTH)}'], p.certainty)) AS certainty
        FROM pairs p GROUP BY p.actor1, p.actor2, p.incident_id)
    WHERE certainty <> 'negated'
    GROUP BY ALL)"""
    inc_join = "" if unit == "incidents" else "LEFT JOIN inc USING (actor1, actor2, period)"
    # the volume reads every event of the periods (a third of a dyad page's time on a million
    # events); without it the columns that depend on it are NULL
    vol_sql = f"""
    SELECT date_trunc('{period}', e.date_start)::DATE AS period, count(DISTINCT e.article_id) AS period_articles
    FROM events e
    WHERE e.date_start IS NOT NULL
      AND date_trunc('{period}', e.date_start)::DATE IN (SELECT DISTINCT period FROM pe)
    GROUP BY ALL""" if volume else "SELECT DISTINCT period, NULL::BIGINT AS period_articles FROM pe"
    inc_col = "coalesce(um.units, 0)" if unit == "incidents" else "coalesce(inc.incidents, 0)"
    sql = f"""{base}{wsql}{incidents},
um AS (
    SELECT m.actor1, m.actor2, m.period,
           count(*) FILTER ({keep}) AS units, count(*) FILTER (m.channel = 'negated') AS negated,
           {quads}, {types},
           coalesce(sum(m.conflict), 0)::DOUBLE AS conflict, coalesce(sum(m.cooperation), 0)::DOUBLE AS cooperation,
           {sums}
    FROM mag m GROUP BY m.actor1, m.actor2, m.period),
pe AS (
    SELECT actor1, actor2, period,
           count(*) FILTER (certainty <> 'negated') AS events,
           count(DISTINCT root) FILTER (certainty <> 'negated') AS sources,
           count(DISTINCT article_id) FILTER (certainty <> 'negated') AS articles
    FROM pairs GROUP BY ALL),
vol AS ({vol_sql})
SELECT pe.actor1, pe.actor2, pe.period, {inc_col}::BIGINT AS incidents,
       pe.events::BIGINT AS events, pe.sources::BIGINT AS sources, pe.articles::BIGINT AS articles,
       coalesce(um.negated, 0)::BIGINT AS negated,
       {", ".join(f"coalesce(um.{c}, 0)::BIGINT AS {c}" for c in (*QUAD_COLUMNS, *TYPE_COLUMNS))},
       {", ".join(f"coalesce(um.{c}, 0)::DOUBLE AS {c}" for c in _SUMS)},
       coalesce(um.cooperation - um.conflict, 0)::DOUBLE AS net,
       vol.period_articles::BIGINT AS period_articles,
       CASE WHEN vol.period_articles >= $min_articles THEN pe.articles / vol.period_articles END AS article_share,
       CASE WHEN vol.period_articles >= $min_articles THEN coalesce(um.conflict, 0) * $per / vol.period_articles END
           AS conflict_norm,
       CASE WHEN vol.period_articles >= $min_articles THEN coalesce(um.cooperation, 0) * $per / vol.period_articles END
           AS cooperation_norm,
       CASE WHEN vol.period_articles >= $min_articles
            THEN coalesce(um.cooperation - um.conflict, 0) * $per / vol.period_articles END AS net_norm
-- every (dyad, period) with an event; a unit (incident) is in the period of its first event, so
-- a later period of the same incident has its events but no unit
FROM pe LEFT JOIN um USING (actor1, actor2, period) JOIN vol USING (period) {inc_join}
ORDER BY pe.actor1, pe.actor2, pe.period"""
    return sql, {**params, **wparams, "min_articles": rules.min_period_articles, "per": rules.per}


def _coarse_sql(query: EventQuery, period: str) -> tuple[str, dict[str, Any]]:
    where = query.events_where("e").and_(
        f"(e.date_start IS NULL OR date_trunc('{period}', e.date_start) <> date_trunc('{period}', e.date_end))")
    return f"SELECT count(*) FROM events e {where.sql}", where.params


def timeline(store: Any, query: EventQuery | None = None, *, period: Period = "day", directed: bool = False,
             unit: Unit | None = None, rules: DyadRules | None = None, members: Sequence[str] | None = None,
             volume: bool = True) -> DyadTimeline:
    """Dyad rows for every dyad and period of the events ``query`` keeps (all when None).

    ``members``: only the dyads both of whose members are among these (:func:`pairs_sql`; their
    rows are unchanged). ``volume=False``: leave ``period_articles``, ``article_share`` and the
    ``*_norm`` magnitudes out (NULL / NaN), for a view that draws only counts and magnitudes: the
    volume is a scan of every event of the periods."""
    query = query or EventQuery()
    rules = rules or DyadRules.load()
    unit = unit or rules.unit  # type: ignore[assignment]
    sql, params = _timeline_sql(query, period, directed, unit, rules,  # type: ignore[arg-type]
                                materialised(store), members, volume)
    table = store.arrow(sql, params)
    return DyadTimeline(table, period, directed, unit, coarse_events(store, query, period))  # type: ignore[arg-type]


def coarse_events(store: Any, query: EventQuery | None = None, period: str = "day") -> int:
    """Events of the query left out of a ``period`` timeline: undated, or dated coarser."""
    sql, params = _coarse_sql(query or EventQuery(), period)
    return int(store.fetchall(sql, params)[0][0])


def units(store: Any, query: EventQuery | None = None, *, period: Period = "day", directed: bool = False,
          unit: Unit | None = None, rules: DyadRules | None = None, members: Sequence[str] | None = None
          ) -> list[dict[str, Any]]:
    """Every counting unit (an incident, or an event) of every dyad the query keeps, oldest first:
    the rows a timeline adds up — its period, first day, mean Goldstein, strongest certainty and
    channel, type, QuadClass, events, and its certainty-weighted ``conflict``/``cooperation``.
    ``members``: only the dyads both of whose members are among these (:func:`pairs_sql`)."""
    query = query or EventQuery()
    rules = rules or DyadRules.load()
    base, params = pairs_sql(query, period, directed, unit or rules.unit, materialised=materialised(store),
                             members=members)
    wsql, wparams = weights_sql(rules)
    table = store.arrow(f"""{base}{wsql}
SELECT actor1, actor2, unit_id, incident_id, period, first_day, goldstein, certainty, channel, type, quad_class,
       events, conflict::DOUBLE AS conflict, cooperation::DOUBLE AS cooperation
FROM mag ORDER BY first_day, unit_id, actor1, actor2""", {**params, **wparams})
    return table.to_pylist()


def totals(store: Any, query: EventQuery | None = None, *, period: Period = "day", directed: bool = False,
           unit: Unit | None = None, rules: DyadRules | None = None, limit: int | None = None
           ) -> list[dict[str, Any]]:
    """Every dyad's whole window in one row, the busiest first (by units, then conflict): units
    (``incidents`` under the default unit; negated ones left out, as in the timeline),
    ``conflict_units`` (QuadClass 3 and 4), the weighted ``conflict`` and ``cooperation`` and the
    first and last day."""
    query = query or EventQuery()
    rules = rules or DyadRules.load()
    base, params = pairs_sql(query, period, directed, unit or rules.unit, materialised=materialised(store))
    wsql, wparams = weights_sql(rules)
    keep = "channel <> 'negated'"
    table = store.arrow(f"""{base}{wsql}
SELECT actor1, actor2, count(*) FILTER ({keep}) AS units,
       count(*) FILTER ({keep} AND quad_class >= 3) AS conflict_units,
       coalesce(sum(conflict), 0)::DOUBLE AS conflict, coalesce(sum(cooperation), 0)::DOUBLE AS cooperation,
       min(first_day) AS first_day, max(first_day) AS last_day
FROM mag GROUP BY actor1, actor2
ORDER BY units DESC, conflict DESC, actor1, actor2{"" if limit is None else f" LIMIT {int(limit)}"}""",
                        {**params, **wparams})
    return table.to_pylist()


def coverage_days(store: Any, since: date | None = None, until: date | None = None) -> list[date]:
    """Days on which the store has anything: an article published, or an event dated that day.

    A day absent from this list is *missing* (no news at all reached the store: a feed outage,
    a day before the corpus begins), not a quiet day; escalation reads it as NaN, never zero.
    """
    bounds, params = [], {}
    if since is not None:
        bounds.append("d >= $since")
        params["since"] = since
    if until is not None:
        bounds.append("d <= $until")
        params["until"] = until
    where = f"WHERE d IS NOT NULL{''.join(' AND ' + b for b in bounds)}"
    sql = (f"SELECT DISTINCT d FROM (SELECT published AS d FROM articles UNION ALL "
           f"SELECT date_start FROM events WHERE date_start = date_end) {where} ORDER BY d")
    return [row[0] for row in store.fetchall(sql, params)]


__all__ = ["DyadRow", "DyadRules", "DyadTimeline", "PERIODS", "UNITS", "coverage_days", "materialised",
           "refresh", "coarse_events", "timeline", "totals", "units", "pairs_sql", "weights_sql", "TYPE_COLUMNS", "QUAD_COLUMNS"]
