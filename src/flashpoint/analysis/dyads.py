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
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from flashpoint.errors import DataFileError, QueryError
from flashpoint.records import CERTAINTY_ORDER, PLOVER_TYPES
from flashpoint.resources import data_file
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
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
            certainty = data["certainty"]
            rules = cls(
                weights={label: float(certainty[label]["weight"]) for label in CERTAINTY_ORDER},
                channels={label: str(certainty[label]["channel"]) for label in CERTAINTY_ORDER},
                unit=str(data["units"]["default"]),
                per=float(data["volume"]["per"]),
                min_period_articles=int(data["volume"]["min_period_articles"]),
                min_events=int(data["escalation"]["min_events"]),
            )
        except OSError as exc:
            raise DataFileError(f"cannot read the dyad rules: {exc}", source=source) from exc
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"invalid dyad rules: {exc!r}", source=source) from exc
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


def pairs_sql(query: EventQuery, period: str, directed: bool, unit: str) -> tuple[str, dict[str, Any]]:
    """The CTEs ``ev`` (the query's events in a period), ``pairs`` (one row per event and dyad)
    and ``units`` (one row per counting unit and dyad), and their parameters.

    ``units`` columns: actor1, actor2, unit_id, period, first_day, goldstein, certainty, type,
    quad_class, incident_id (the incident behind the unit). Shared by the timeline, the escalation
    series and the network, so a number means the same thing in all three.
    """
    if period not in PERIODS:
        raise QueryError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    if unit not in UNITS:
        raise QueryError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    where = query.events_where("e")
    fits = f"date_trunc('{period}', e.date_start) = date_trunc('{period}', e.date_end)"
    where = where.and_("e.date_start IS NOT NULL").and_(fits)
    a, b = ("s.member", "t.member") if directed else ("least(s.member, t.member)", "greatest(s.member, t.member)")
    pair_filter = f"WHERE {query.dyad.pair_sql('s.code', 't.code')}" if query.dyad is not None else ""
    incident = "coalesce(ie.incident_id, 'event:' || e.article_id || ':' || e.position)"
    unit_id = incident if unit == "incidents" else "e.article_id || ':' || e.position"
    strength = "list_position(['" + "', '".join(STRENGTH) + "'], p.certainty)"
    # the events of the query first, then (when the query picks few: a dyad, actors) only their
    # articles, incident links and actors, so that the joins hash the filtered side, not the
    # whole store; for a broad query (a year of everything) the semi-joins would cost more
    narrow = query.dyad is not None or bool(query.actors)

    def only(table: str, key: str) -> str:
        return f"(SELECT * FROM {table} WHERE {key} IN (SELECT article_id FROM e0))" if narrow else table

    sql = f"""
WITH e0 AS (
    SELECT e.article_id, e.position, e.type, e.quad_class, e.goldstein, e.certainty, e.date_start,
           date_trunc('{period}', e.date_start)::DATE AS period
    FROM events e
    {where.sql}),
ev AS (
    SELECT e.*, coalesce(a.duplicate_of, a.id) AS root, {incident} AS incident_id, {unit_id} AS unit_id
    FROM e0 e
    JOIN {only("articles", "id")} a ON a.id = e.article_id
    LEFT JOIN {only("incident_events", "article_id")} ie
           ON ie.article_id = e.article_id AND ie.event_position = e.position),
sides AS (
    SELECT x.article_id, x.event_position, x.role, x.code, coalesce(x.org, x.country) AS member
    FROM {only("event_actors", "article_id")} x
    WHERE coalesce(x.org, x.country) IS NOT NULL),
pairs AS (
    SELECT DISTINCT ev.*, {a} AS actor1, {b} AS actor2
    FROM ev
    JOIN sides s ON s.article_id = ev.article_id AND s.event_position = ev.position AND s.role = 'source'
    JOIN sides t ON t.article_id = ev.article_id AND t.event_position = ev.position AND t.role = 'target'
    {pair_filter}),
units AS (
    -- a unit is in the period of its first event that is not negated (of its first event when
    -- all are): a denial reported before the event must not place it where nothing happened
    SELECT p.actor1, p.actor2, p.unit_id,
           coalesce(min(p.period) FILTER (p.certainty <> 'negated'), min(p.period)) AS period,
           coalesce(min(p.date_start) FILTER (p.certainty <> 'negated'), min(p.date_start)) AS first_day,
           avg(p.goldstein) AS goldstein, arg_min(p.certainty, {strength}) AS certainty,
           mode(p.type) AS type, mode(p.quad_class) AS quad_class, any_value(p.incident_id) AS incident_id
    FROM pairs p
    GROUP BY p.actor1, p.actor2, p.unit_id)"""
    return sql, where.params


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


def _timeline_sql(query: EventQuery, period: str, directed: bool, unit: str, rules: DyadRules
                  ) -> tuple[str, dict[str, Any]]:
    base, params = pairs_sql(query, period, directed, unit)
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
vol AS (
    SELECT date_trunc('{period}', e.date_start)::DATE AS period, count(DISTINCT e.article_id) AS period_articles
    FROM events e
    WHERE e.date_start IS NOT NULL
      AND date_trunc('{period}', e.date_start)::DATE IN (SELECT DISTINCT period FROM pe)
    GROUP BY ALL)
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
             unit: Unit | None = None, rules: DyadRules | None = None) -> DyadTimeline:
    """Dyad rows for every dyad and period of the events ``query`` keeps (all when None)."""
    query = query or EventQuery()
    rules = rules or DyadRules.load()
    unit = unit or rules.unit  # type: ignore[assignment]
    sql, params = _timeline_sql(query, period, directed, unit, rules)  # type: ignore[arg-type]
    table = store.arrow(sql, params)
    coarse_sql, coarse_params = _coarse_sql(query, period)
    (coarse,) = store.fetchall(coarse_sql, coarse_params)[0]
    return DyadTimeline(table, period, directed, unit, int(coarse))  # type: ignore[arg-type]


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


__all__ = ["DyadRow", "DyadRules", "DyadTimeline", "PERIODS", "UNITS", "coverage_days", "timeline",
           "pairs_sql", "weights_sql", "TYPE_COLUMNS", "QUAD_COLUMNS"]
