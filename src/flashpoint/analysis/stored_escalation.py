"""Escalation from the store: the detector of :mod:`flashpoint.analysis.escalation` run on
every dyad's (or actor's) series of stored events.

The series are the daily (or weekly) dyad numbers of :mod:`flashpoint.analysis.dyads`, read
with the same SQL and the same certainty weights, three channels per key: ``conflict`` and
``cooperation`` (certainty-weighted magnitudes, negated events left out) and ``count``
(incidents, or events with ``unit="events"``). An actor's series is the sum of its dyads'.

**Missing is not zero.** A day on which the store has no article at all (none published that
day and no event dated that day, see :func:`~flashpoint.analysis.dyads.coverage_days`) is
missing: NaN in every channel, skipped by the baseline. A day with articles but no event of
the dyad is a real zero. A week is missing when none of its days is covered. The grid runs
from the first to the last covered day of the query's window (``since``/``until``, else the
store's).

Only keys with at least ``min_events`` events in the window are tested (``[escalation]`` of
``data/analysis/dyads.toml``). The rows are the escalation module's own :class:`Alert`,
:class:`PeriodLabel` and :class:`ChangePoint`; the alerts' and labels' ``item_ids`` are the
incidents behind the period (those of the dyad that period, negated ones left out).

**Which rules.** Two presets ship (:attr:`EscalationRules.PRESETS`): ``wire`` (daily, set for
news-wire and GDELT-scale volumes) and ``articles`` (weekly, floors of about one incident, for
corpora of articles). :func:`choose_rules` picks one for a store: ``articles`` when over half
of the window's events come from articles Flashpoint analysed (not imported event rows) and
those average fewer than ``[use] max_articles_per_day`` per day that has any, else ``wire``.
"""

from __future__ import annotations

import tomllib
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

import numpy as np

from flashpoint.analysis.dyads import DyadRules, coverage_days, materialised, pairs_sql, weights_sql
from flashpoint.analysis.escalation import (
    Alert,
    ChangePoint,
    DyadSeries,
    EscalationRules,
    PeriodLabel,
    baselines,
    change_points,
    changed_periods,
    detect,
    label_periods,
)
from flashpoint.errors import QueryError
from flashpoint.resources import data_file
from flashpoint.store.query import EventQuery

By = Literal["dyad", "actor"]
STEPS = {"day": 1, "week": 7}  # the detector needs a regular grid: months are not one


@dataclass(frozen=True)
class Escalation:
    """Alerts, period labels and phase changes of every key tested."""

    alerts: list[Alert]
    labels: list[PeriodLabel]
    phases: list[ChangePoint]
    keys: int  # keys tested (at least min_events events)
    period: str
    by: str
    rules: str = "wire"  # the preset's name, or the rules file

    def to_dicts(self, kind: str = "labels") -> list[dict[str, Any]]:
        rows = {"alerts": self.alerts, "labels": self.labels, "phases": self.phases}[kind]
        return [r.to_dict() for r in rows]

    def to_arrow(self, kind: str = "labels") -> Any:
        """One of the three lists as a ``pyarrow.Table``."""
        import pyarrow as pa

        return pa.Table.from_pylist(self.to_dicts(kind))


def choose_rules(store: Any, query: EventQuery | None = None) -> tuple[EscalationRules, str]:
    """The preset that fits the store's volume, and why (see the module's docstring).

    Only the query's window counts, not its other filters: the preset fits the corpus, so a
    dyad's page and the overview label that dyad by the same rules (a dyad's own trickle of
    articles in a wire-scale store picked the articles preset while the overview used wire)."""
    query = query or EventQuery()
    window = (query.since, query.until)
    if not getattr(store, "read_only", False):
        return _choose(store, *window)
    known = _CHOSEN.setdefault(store, {})
    if window not in known:
        if len(known) >= _CHOSEN_WINDOWS:
            known.clear()
        known[window] = _choose(store, *window)
    return known[window]


# a read-only store cannot change while it is open: the overview and the dyad pages of one window
# share their preset (at most _CHOSEN_WINDOWS windows are remembered per store)
_CHOSEN: weakref.WeakKeyDictionary[Any, dict[tuple[Any, Any], tuple[EscalationRules, str]]] = (
    weakref.WeakKeyDictionary())
_CHOSEN_WINDOWS = 64


def _choose(store: Any, since: date | None, until: date | None) -> tuple[EscalationRules, str]:
    where = EventQuery(since=since, until=until).events_where("e")
    # the window's events counted per article first, then joined to their articles: the same
    # counts as joining every event to its article, half the time on a million events
    sql = f"""
SELECT coalesce(sum(e.n) FILTER (a.outlet LIKE 'import:%'), 0), coalesce(sum(e.n), 0),
       count(*) FILTER (a.outlet IS NULL OR a.outlet NOT LIKE 'import:%'),
       count(DISTINCT a.published) FILTER (a.outlet IS NULL OR a.outlet NOT LIKE 'import:%')
FROM (SELECT e.article_id, count(*) AS n FROM events e {where.sql} GROUP BY 1) e
JOIN articles a ON a.id = e.article_id"""
    imported, events, articles, days = store.fetchall(sql, where.params)[0]
    limit = _max_articles_per_day()
    if events and imported * 2 > events:
        return EscalationRules.preset("wire"), f"wire: {imported:,} of {events:,} events are imported event rows"
    per_day = articles / days if days else 0.0
    if per_day >= limit:
        return EscalationRules.preset("wire"), (
            f"wire: {articles:,} analysed articles, {per_day:.3g} per day with articles ≥ {limit:g}")
    return EscalationRules.preset("articles"), (
        f"articles: {articles:,} analysed articles, {per_day:.3g} per day with articles < {limit:g}")


def _max_articles_per_day() -> float:
    name = EscalationRules.PRESETS["articles"]
    data = tomllib.loads(data_file("analysis", name).read_text(encoding="utf-8"))
    return float(data["use"]["max_articles_per_day"])


def _keyed_sql(query: EventQuery, period: str, directed: bool, unit: str, by: str, rules: DyadRules,
               stored: bool = False, keys: Sequence[str] | None = None) -> tuple[str, dict[str, Any]]:
    """``keyed`` (each event's weights under its key) and ``key_events`` (events per key); with
    ``keys``, only the rows of those keys are read at all (a dashboard labels eight dyads: grouping
    every dyad of the store first cost most of its time)."""
    sep = ">" if directed else "-"
    wanted = "(SELECT unnest($keys::VARCHAR[]))"
    keep = "" if keys is None else (
        f"actor1 || '{sep}' || actor2 IN {wanted}" if by == "dyad" else f"(actor1 IN {wanted} OR actor2 IN {wanted})")
    # a dyad key's two members: only pairs of these are read (a cheap test before the key's)
    members = None if keys is None or by != "dyad" else sorted({m for k in keys for m in k.split(sep)})
    base, params = pairs_sql(query, period, directed, unit, materialised=stored, keep=keep, members=members)
    wsql, wparams = weights_sql(rules)
    if by == "dyad":
        keyed = f"SELECT actor1 || '{sep}' || actor2 AS key, * FROM mag"
        events = f"SELECT actor1 || '{sep}' || actor2 AS key, certainty FROM pairs"
    else:  # an actor's pairs name it on one side; the other side's key is dropped below
        keyed = "SELECT actor1 AS key, * FROM mag UNION ALL SELECT actor2 AS key, * FROM mag WHERE actor2 <> actor1"
        events = ("SELECT actor1 AS key, certainty FROM pairs "
                  "UNION ALL SELECT actor2 AS key, certainty FROM pairs WHERE actor2 <> actor1")
        if keys is not None:
            keyed, events = (f"SELECT * FROM ({keyed}) WHERE key IN {wanted}",
                             f"SELECT * FROM ({events}) WHERE key IN {wanted}")
    sql = f"""{base}{wsql},
keyed AS ({keyed}),
key_events AS (SELECT key, count(*) FILTER (certainty <> 'negated') AS events FROM ({events}) GROUP BY key)"""
    return sql, {**params, **wparams, **({} if keys is None else {"keys": list(keys)})}


def _series_sql(query: EventQuery, period: str, directed: bool, unit: str, by: str, rules: DyadRules,
                min_events: int, stored: bool = False, keys: Sequence[str] | None = None
                ) -> tuple[str, dict[str, Any]]:
    sql, params = _keyed_sql(query, period, directed, unit, by, rules, stored, keys)
    sql += """
SELECT k.key, k.period, sum(k.conflict)::DOUBLE AS conflict, sum(k.cooperation)::DOUBLE AS cooperation,
       (count(*) FILTER (k.channel <> 'negated'))::DOUBLE AS count
FROM keyed k JOIN key_events USING (key)
WHERE key_events.events >= $min_events
GROUP BY k.key, k.period
ORDER BY k.key, k.period"""
    return sql, {**params, "min_events": min_events}


def _grid(covered: list[date], step: int) -> tuple[np.ndarray, np.ndarray]:
    """The periods from the first to the last covered one, and which of them are covered."""
    days = np.asarray(covered, dtype="datetime64[D]")
    if step == 7:  # weeks start on Monday, as DuckDB's date_trunc('week') does
        days = days - ((days.astype("datetime64[D]").view("int64") - 4) % 7).astype("timedelta64[D]")
    days = np.unique(days)
    grid = np.arange(days[0], days[-1] + np.timedelta64(step, "D"), np.timedelta64(step, "D"))
    present = np.zeros(len(grid), dtype=bool)
    present[((days - grid[0]).astype(int)) // step] = True
    return grid, present


def store_series(store: Any, query: EventQuery | None = None, *, period: str = "day", directed: bool = False,
                 by: By = "dyad", unit: str | None = None, min_events: int | None = None,
                 rules: DyadRules | None = None, keys: Sequence[str] | None = None) -> Iterator[DyadSeries]:
    """The series of every key with at least ``min_events`` events (of ``keys`` only, when given),
    on the covered grid."""
    query = query or EventQuery()
    rules = rules or DyadRules.load()
    if period not in STEPS:
        raise QueryError(f"escalation needs a regular grid: period must be day or week, not {period!r}")
    if by not in ("dyad", "actor"):
        raise QueryError(f"by must be dyad or actor, not {by!r}")
    step = STEPS[period]
    covered = coverage_days(store, query.since, query.until)
    if not covered:
        return
    grid, present = _grid(covered, step)
    sql, params = _series_sql(query, period, directed, unit or rules.unit, by, rules,
                              rules.min_events if min_events is None else min_events, materialised(store), keys)
    table = store.arrow(sql, params)
    if table.num_rows == 0:
        return
    keys = table.column("key").to_numpy(zero_copy_only=False)
    pos = ((table.column("period").to_numpy().astype("datetime64[D]") - grid[0]).astype(int)) // step
    chans = {c: table.column(c).to_numpy() for c in ("conflict", "cooperation", "count")}
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    empty = np.where(present, 0.0, np.nan)  # covered and silent: 0; not covered: missing
    for lo, hi in zip(starts, ends, strict=True):
        inside = (pos[lo:hi] >= 0) & (pos[lo:hi] < len(grid))
        at = pos[lo:hi][inside]
        channels = {}
        for name, values in chans.items():
            full = empty.copy()
            full[at] = values[lo:hi][inside]
            channels[name] = full
        yield DyadSeries(str(keys[lo]), grid, channels, step=step)


def escalation(store: Any, query: EventQuery | None = None, *, period: str | None = None, directed: bool = False,
               by: By = "dyad", unit: str | None = None, min_events: int | None = None,
               every_period: bool = False, rules: EscalationRules | None = None,
               dyad_rules: DyadRules | None = None) -> Escalation:
    """Risk alerts, period labels (only the changed periods unless ``every_period``) and phase
    changes for every dyad (or actor) of ``query`` with at least ``min_events`` events.

    ``rules``: the wire preset unless given (:func:`choose_rules` picks one for a store);
    ``period`` and ``min_events`` default to the rules' ``[series]``, then to dyads.toml."""
    rules = rules or EscalationRules.load()
    dyad_rules = dyad_rules or DyadRules.load()
    query = query or EventQuery()
    unit = unit or dyad_rules.unit
    period = period or rules.period
    min_events = min_events if min_events is not None else rules.min_events
    alerts: list[Alert] = []
    labels: list[PeriodLabel] = []
    phases: list[ChangePoint] = []
    keys = 0
    for series in store_series(store, query, period=period, directed=directed, by=by, unit=unit,
                               min_events=min_events, rules=dyad_rules):
        keys += 1
        bases = baselines(series, rules)
        alerts += detect(series, rules, bases)
        labels += label_periods(series, rules, None, bases) if every_period else changed_periods(series, rules, bases)
        phases += change_points(series, rules)
    wanted = {(a.key, a.period) for a in alerts}
    wanted |= {(lab.key, lab.period) for lab in labels if lab.label != "no data"}
    ids = _incident_ids(store, query, period, directed, unit, by, dyad_rules, wanted)
    alerts = [replace(a, item_ids=ids.get((a.key, a.period), ())) for a in alerts]
    labels = [replace(lab, item_ids=ids.get((lab.key, lab.period), ())) for lab in labels]
    return Escalation(alerts, labels, phases, keys, period, by, rules.name)


def states(store: Any, keys: Sequence[str], query: EventQuery | None = None, *,
           rules: EscalationRules | None = None, dyad_rules: DyadRules | None = None) -> dict[str, dict[str, Any]]:
    """Where each dyad of ``keys`` (``"ARM-AZE"``, undirected) stands: the label of its last
    covered period and why, its peak period and that period's label (``peak``, see
    :func:`_peak`), its risk alerts and its phase changes — the rows of :func:`escalation`
    for these keys, however few events they have; ``rules``: the preset that fits the store
    (:func:`choose_rules`) unless given."""
    rules = rules or choose_rules(store, query)[0]
    out = {key: {"label": "no data", "rule": "no day-dated incident in this dyad", "period": None, "measures": [],
                 "peak": None, "alerts": [], "change_points": [], "rules": rules.name} for key in keys}
    if not keys:
        return out
    for series in store_series(store, query, period=rules.period, min_events=0, rules=dyad_rules, keys=keys):
        bases = baselines(series, rules)
        last = label_periods(series, rules, [len(series) - 1], bases)[0].to_dict()
        out[series.key] = {"period": last["period"], "label": last["label"], "rule": last["rule"],
                           "measures": last["measures"], "rules": rules.name, "weekly": rules.period == "week",
                           "peak": _peak(series, rules, bases),
                           "alerts": [a.to_dict() for a in detect(series, rules, bases)],
                           "change_points": [c.to_dict() for c in change_points(series, rules)]}
    return out


# which channel's largest value makes the peak: conflict first (what an analyst watches a crisis
# for), then cooperation for a dyad that has none, then the incident count
_PEAK_CHANNELS = ("conflict", "cooperation", "count")


def _peak(series: DyadSeries, rules: EscalationRules, bases: dict[str, Any]) -> dict[str, Any] | None:
    """The window's peak period and its label: the last period alone says only how a dyad ends
    (a crisis of early January is "unchanged" in the quiet last week of the month). The peak is
    the period with the largest value of the first channel of ``_PEAK_CHANNELS`` that is ever
    above zero (the earliest of equal ones); None when no period has any."""
    for channel in _PEAK_CHANNELS:
        values = series.channels.get(channel)
        if values is None or not np.any(values > 0):  # NaN compares False: missing periods never peak
            continue
        t = int(np.nanargmax(values))
        lab = label_periods(series, rules, [t], bases)[0].to_dict()
        return {"period": lab["period"], "label": lab["label"], "rule": lab["rule"], "channel": channel,
                "value": float(values[t]), "latest": t == len(series) - 1}
    return None


def _incident_ids(store: Any, query: EventQuery, period: str, directed: bool, unit: str, by: str,
                  rules: DyadRules, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, ...]]:
    """The incidents behind each (key, period) asked for, in one query."""
    if not wanted:
        return {}
    sql, params = _keyed_sql(query, period, directed, unit, by, rules, materialised(store))
    sql += """
SELECT k.key, k.period, list(DISTINCT k.incident_id ORDER BY k.incident_id)
FROM keyed k JOIN (SELECT unnest($want_keys) AS key, unnest($want_periods)::DATE AS period) w USING (key, period)
WHERE k.channel <> 'negated'
GROUP BY k.key, k.period"""
    pairs = sorted(wanted)
    params = {**params, "want_keys": [k for k, _ in pairs], "want_periods": [p for _, p in pairs]}
    return {(key, day.isoformat()): tuple(found) for key, day, found in store.fetchall(sql, params)}


__all__ = ["Escalation", "choose_rules", "escalation", "states", "store_series"]
