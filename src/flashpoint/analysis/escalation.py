"""Escalation: risk alerts, period labels and phase changes on a dyad's or an actor's series.

Three transparent rules, every number in ``data/analysis/escalation.toml``:

- **surge** — the period's value against the median of the previous N present periods
  (missing periods skipped, never read as zero), with a low-baseline guard as in ACLED's
  trackers: the ratio only counts when the baseline is above a floor or the value itself is
  high;
- **tail** — how unusual the value is given the key's own variability: the upper tail
  probability under a negative binomial fitted by moments to the same baseline window;
- **phases** — change points of the weekly log series by binary segmentation.

``detect`` returns the risk alerts (after a cooldown, so one crisis is one alert);
``label_period`` labels one period risk alert / deteriorated / improved / unchanged / no data;
``change_points`` returns the phase boundaries. Each row is a frozen dataclass that states the
rule that fired with its numbers and carries the ids of the periods (and items) behind it.
Reading the series from the store is someone else's job: these functions take a plain
:class:`DyadSeries`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from scipy import stats

from flashpoint.analysis._series import Baseline, DyadSeries, resample, trailing_baseline
from flashpoint.errors import DataFileError
from flashpoint.resources import data_file, read_toml

__all__ = [
    "LABELS",
    "Alert",
    "ChangePoint",
    "ChannelRules",
    "DyadSeries",
    "EscalationRules",
    "Measure",
    "PeriodLabel",
    "baselines",
    "change_points",
    "changed_periods",
    "detect",
    "label_period",
    "label_periods",
    "measure",
    "resample",
]

LABELS = ("risk alert", "deteriorated", "improved", "unchanged", "no data")


@dataclass(frozen=True, slots=True)
class ChannelRules:
    """Floors of one channel, in its own unit (see the TOML for why each has its value)."""

    unit: float
    floor: float
    baseline_floor: float
    high_level: float
    tail_min_mean: float
    # the ratio's baseline is at least this (0: the median as it is); a small corpus's median is
    # often 0, and "three times nothing" must still mean three times one incident
    baseline_min: float = 0.0


@dataclass(frozen=True, slots=True)
class EscalationRules:
    """Every threshold of the escalation rules, loaded from ``data/analysis/escalation.toml``."""

    baseline_periods: int
    min_baseline: int
    max_lookback: int
    alert_channel: str
    ratio: float
    tail_p: float
    tail_fit: str
    cooldown: int
    label_ratio: float
    worse: str
    better: str
    cp_period_days: int
    cp_min_present: int
    cp_penalty: float
    cp_min_size: int
    cp_max_points: int
    channels: Mapping[str, ChannelRules]
    # [series]: the period the rules were set for and the smallest key they test (None: the
    # caller's, else dyads.toml's); the preset's name, or the file it came from
    period: str = "day"
    min_events: int | None = None
    name: str = "wire"

    FILE = "escalation.toml"
    # the shipped presets: "wire" for news-wire and GDELT-scale stores, "articles" for corpora
    # of articles (a few to a few dozen a day); see the top of each file
    PRESETS: ClassVar[dict[str, str]] = {"wire": "escalation.toml", "articles": "escalation-articles.toml"}

    @classmethod
    def preset(cls, name: str) -> EscalationRules:
        """One of the shipped presets (:attr:`PRESETS`)."""
        if name not in cls.PRESETS:
            raise DataFileError(f"no escalation preset {name!r}; use one of {', '.join(cls.PRESETS)}",
                                source="data/analysis")
        return cls._read(data_file("analysis", cls.PRESETS[name]), cls.PRESETS[name], name)

    @classmethod
    def load(cls, path: str | Path | None = None) -> EscalationRules:
        """Read and check the rules: the shipped file (the "wire" preset) unless ``path`` is given;
        ``path`` may also name a preset ("wire", "articles")."""
        if path is None or (str(path) in cls.PRESETS and not Path(path).exists()):
            return cls.preset("wire" if path is None else str(path))
        return cls._read(Path(path), str(path), str(path))

    @classmethod
    def _read(cls, file: Any, source: str, name: str) -> EscalationRules:
        def build(data: dict[str, Any]) -> EscalationRules:
            b, a, lab, cp = data["baseline"], data["alert"], data["label"], data["change_points"]
            series = data.get("series", {})
            channels = {
                name: ChannelRules(**{f.name: float(c[f.name]) for f in fields(ChannelRules) if f.name in c
                                      or f.name != "baseline_min"})
                for name, c in data["channels"].items()
            }
            rules = cls(
                baseline_periods=int(b["periods"]),
                min_baseline=int(b["min_periods"]),
                max_lookback=int(b["max_lookback"]),
                alert_channel=str(a["channel"]),
                ratio=float(a["ratio"]),
                tail_p=float(a["tail_p"]),
                tail_fit=str(a["tail_fit"]),
                cooldown=int(a["cooldown"]),
                label_ratio=float(lab["ratio"]),
                worse=str(lab["worse"]),
                better=str(lab["better"]),
                cp_period_days=int(cp["period_days"]),
                cp_min_present=int(cp["min_present_days"]),
                cp_penalty=float(cp["penalty"]),
                cp_min_size=int(cp["min_size"]),
                cp_max_points=int(cp["max_points"]),
                channels=channels,
                period=str(series.get("period", "day")),
                min_events=int(series["min_events"]) if "min_events" in series else None,
                name=name,
            )
            rules.check()
            return rules

        return read_toml(file, source, "escalation rules", build)

    def check(self) -> None:
        """Raise ValueError on numbers that would make the rules meaningless."""
        if not 1 <= self.min_baseline <= self.baseline_periods <= self.max_lookback:
            raise ValueError("need 1 ≤ min_periods ≤ periods ≤ max_lookback")
        if self.ratio <= 1 or self.label_ratio <= 1:
            raise ValueError("ratios must be above 1")
        if not 0 < self.tail_p < 1:
            raise ValueError("tail_p must be a probability")
        if self.tail_fit not in ("robust", "moments"):
            raise ValueError("tail_fit must be 'robust' or 'moments'")
        if self.period not in ("day", "week") or (self.min_events is not None and self.min_events < 0):
            raise ValueError("[series] period must be day or week, min_events ≥ 0")
        if self.cooldown < 0 or self.cp_min_size < 1 or self.cp_penalty <= 0:
            raise ValueError("cooldown ≥ 0, min_size ≥ 1 and penalty > 0 are required")
        for name in (self.alert_channel, self.worse, self.better):
            if name not in self.channels:
                raise ValueError(f"no [channels.{name}] floors")
        for name, c in self.channels.items():
            if min(c.unit, c.tail_min_mean) <= 0 or min(c.floor, c.baseline_floor, c.high_level, c.baseline_min) < 0:
                raise ValueError(f"channel {name}: unit and tail_min_mean must be > 0, floors ≥ 0")


@dataclass(frozen=True, slots=True)
class Measure:
    """One channel in one period against its baseline: the numbers every rule reads."""

    channel: str
    value: float
    baseline: float  # median of the previous present periods (NaN: no baseline)
    baseline_count: int
    ratio: float  # value / baseline (inf when the baseline is 0)
    p_tail: float  # P(X ≥ value) under the baseline's negative binomial
    guard: bool  # low-baseline guard passed: baseline ≥ floor or value ≥ high level

    def to_dict(self) -> dict[str, Any]:
        return {k: _json_number(v) for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class PeriodLabel:
    """A period's label, the rule that decided it (with its numbers) and what it rests on."""

    key: str
    period: str
    label: str
    rule: str
    measures: tuple[Measure, ...]
    baseline_periods: tuple[str, ...]
    item_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "period": self.period,
            "label": self.label,
            "rule": self.rule,
            "measures": [m.to_dict() for m in self.measures],
            "baseline_periods": list(self.baseline_periods),
            "item_ids": list(self.item_ids),
        }


@dataclass(frozen=True, slots=True)
class Alert:
    """A risk alert: the first firing period of an episode (earlier firings > cooldown ago)."""

    key: str
    period: str
    index: int
    rule: str
    measure: Measure
    baseline_periods: tuple[str, ...]
    item_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "period": self.period,
            "index": self.index,
            "label": "risk alert",
            "rule": self.rule,
            "measure": self.measure.to_dict(),
            "baseline_periods": list(self.baseline_periods),
            "item_ids": list(self.item_ids),
        }


@dataclass(frozen=True, slots=True)
class ChangePoint:
    """The start of a new phase: mean level (original unit per period) before and after."""

    key: str
    channel: str
    period: str
    index: int
    before: float
    after: float
    rule: str
    phase_before: tuple[str, str]  # first and last period id of the phase that ends
    phase_after: tuple[str, str]

    @property
    def direction(self) -> str:
        return "up" if self.after > self.before else "down"

    def to_dict(self) -> dict[str, Any]:
        d = {k: _json_number(v) for k, v in asdict(self).items()}
        d.update(direction=self.direction, phase_before=list(self.phase_before), phase_after=list(self.phase_after))
        return d


def _json_number(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else str(v)
    return v


# ---------------------------------------------------------------------------------------
# The numbers


def measure(
    series: DyadSeries,
    channel: str,
    rules: EscalationRules,
    base: Baseline | None = None,
    periods: Iterable[int] | None = None,
) -> list[Measure]:
    """Periods of one channel (all, or ``periods``) against its trailing baseline (NaN value: missing)."""
    base = base or _baseline(series.channels[channel], rules)
    values, b, tails, guard = _arrays(series, channel, rules, base)
    count = base.count
    ts = list(range(len(values)) if periods is None else periods)
    p = tails.at(np.asarray(ts, dtype=int))
    out = []
    for i, t in enumerate(ts):
        x, bt = values[t], b[t]
        ratio = x / bt if bt > 0 else (math.inf if x > 0 else math.nan)
        out.append(Measure(channel, float(x), float(bt), int(count[t]), float(ratio), float(p[i]), bool(guard[t])))
    return out


def _baseline(values: np.ndarray, rules: EscalationRules) -> Baseline:
    return trailing_baseline(values, rules.baseline_periods, rules.min_baseline, rules.max_lookback,
                             moments=rules.tail_fit == "moments")


class _Tails:
    """The tail probabilities of one channel's periods, computed only for the periods asked for
    (and kept): a series of two years has 730 periods, and the detector reads the tail of the
    few that pass the other alert rules and of the periods it labels. Each period's probability
    depends on that period alone, so the numbers are those of computing every period at once
    (a property test compares them); on 20,000 dyads this was a fifth of the escalation time."""

    def __init__(self, values: np.ndarray, base: Baseline, c: ChannelRules, fit: str) -> None:
        self.values, self.base, self.c, self.fit = values, base, c, fit
        self.p = np.full(len(values), np.nan)
        self.done = np.zeros(len(values), dtype=bool)

    def at(self, periods: np.ndarray) -> np.ndarray:
        """P(X ≥ value) of these periods (indices), NaN where there is no verdict."""
        todo = periods[~self.done[periods]]
        if len(todo):
            todo = np.unique(todo)
            self.p[todo] = _tail(self.values[todo], _window(self.base, todo), self.c, self.fit)
            self.done[todo] = True
        return self.p[periods]


def _window(base: Baseline, periods: np.ndarray) -> Baseline:
    """The baseline statistics :func:`_tail` reads, at these periods only."""
    return Baseline(base.median[periods], base.mean[periods], base.var[periods], base.mad[periods],
                    base.count[periods], base.first[periods], base.last[periods])


def _arrays(
    series: DyadSeries, channel: str, rules: EscalationRules, base: Baseline | None
) -> tuple[np.ndarray, np.ndarray, _Tails, np.ndarray]:
    """Values, baseline medians, tail probabilities (:class:`_Tails`, computed when asked) and
    the guard of every period (computed once per baseline, channel and rules: the baseline
    keeps them)."""
    values = series.channels[channel]
    base = base or _baseline(values, rules)
    kept = base.memo.get(channel)
    if kept is not None and kept[0] is rules and kept[1] is values:
        return kept[2]
    arrays = _compute_arrays(values, rules.channels[channel], rules, base)
    base.memo[channel] = (rules, values, arrays)
    return arrays


def _compute_arrays(
    values: np.ndarray, c: ChannelRules, rules: EscalationRules, base: Baseline
) -> tuple[np.ndarray, np.ndarray, _Tails, np.ndarray]:
    p = _Tails(values, base, c, rules.tail_fit)
    with np.errstate(invalid="ignore"):
        guard = (base.median >= c.baseline_floor) | (values >= c.high_level)
    # the ratio's baseline: the median, raised to the channel's minimum (NaN stays NaN: no verdict)
    floored = np.where(np.isnan(base.median), np.nan, np.maximum(base.median, c.baseline_min))
    return values, floored, p, guard


def _firing(series: DyadSeries, channel: str, rules: EscalationRules, base: Baseline) -> np.ndarray:
    """Indices of the periods where every alert rule passes (what :func:`_fires` says, vectorised)."""
    values, b, tails, guard = _arrays(series, channel, rules, base)
    c = rules.channels[channel]
    with np.errstate(invalid="ignore"):
        passing = np.flatnonzero((values >= c.floor) & guard & (values >= rules.ratio * b))
    # the tail only where every other rule passes: the same periods as testing all four everywhere
    return passing[tails.at(passing) <= rules.tail_p]


def _tail(values: np.ndarray, base: Baseline, c: ChannelRules, fit: str) -> np.ndarray:
    """P(X ≥ value) under a negative binomial fitted to the baseline window.

    fit "robust": mean = the window's median, variance = (1.4826 · MAD)², so that an earlier
    spike in the window does not widen the model for a month (the same reason the baseline
    is a median); fit "moments": the window's mean and variance. Values are turned into
    event counts by ``unit``; the mean is at least ``tail_min_mean`` (a silent dyad still has
    some chance of a stray story); a variance at or under the mean gives the Poisson limit.
    """
    k = np.floor(np.nan_to_num(values, nan=0.0) / c.unit)
    centre, spread = (base.median, (1.4826 * base.mad) ** 2) if fit == "robust" else (base.mean, base.var)
    m = np.maximum(np.nan_to_num(centre, nan=0.0) / c.unit, c.tail_min_mean)
    v = np.nan_to_num(spread, nan=0.0) / c.unit**2
    over = v > m * 1.0001
    p = np.full(len(values), np.nan)
    known = ~(np.isnan(values) | np.isnan(base.median))
    # scipy only where there is a verdict, each model only where it applies (the same numbers,
    # far fewer calls on long, mostly quiet series)
    pois, nb = known & ~over, known & over
    if pois.any():
        p[pois] = stats.poisson.sf(k[pois] - 1, m[pois])
    if nb.any():
        r = m[nb] * m[nb] / (v[nb] - m[nb])
        p[nb] = stats.nbinom.sf(k[nb] - 1, r, r / (r + m[nb]))
    return p


def _fires(m: Measure, c: ChannelRules, rules: EscalationRules) -> bool:
    return bool(m.value >= c.floor and m.guard and m.value >= rules.ratio * m.baseline and m.p_tail <= rules.tail_p)


def _reason(m: Measure, c: ChannelRules, rules: EscalationRules, what: str) -> str:
    guard = (
        f"baseline {m.baseline:.4g} ≥ floor {c.baseline_floor:g}"
        if m.baseline >= c.baseline_floor
        else f"value {m.value:.4g} ≥ high level {c.high_level:g}"
    )
    floor = f", at least {c.baseline_min:g}" if c.baseline_min > 0 else ""
    return (
        f"{what}: {m.channel} {m.value:.4g} vs baseline {m.baseline:.4g} (median of the "
        f"{m.baseline_count} previous present periods{floor}), ratio {m.ratio:.3g} ≥ {rules.ratio:g}, "
        f"{guard}, tail p={m.p_tail:.2g} ≤ {rules.tail_p:g}"
    )


def _baseline_ids(series: DyadSeries, base: Baseline, t: int) -> tuple[str, ...]:
    """The ids of the present periods period ``t``'s baseline rests on."""
    if base.first[t] < 0:
        return ()
    # which periods are present and their ids, once per series (not once per labelled period:
    # a label's 28 ids were a fifth of the escalation time)
    kept = base.memo.get("periods")
    if kept is None or kept[0] is not series:
        kept = (series, ~series.missing(), np.datetime_as_string(series.dates, unit="D"))
        base.memo["periods"] = kept
    _, present, ids = kept
    lo, hi = int(base.first[t]), int(base.last[t]) + 1
    return tuple(ids[lo:hi][present[lo:hi]].tolist())


def _items(series: DyadSeries, t: int) -> tuple[str, ...]:
    return series.items[t] if series.items is not None else ()


# ---------------------------------------------------------------------------------------
# Alerts


def detect(series: DyadSeries, rules: EscalationRules, bases: Mapping[str, Baseline] | None = None) -> list[Alert]:
    """Risk alerts on ``rules.alert_channel``: every rule passes, and no firing in the cooldown.

    A firing within ``cooldown`` periods of the previous firing (alerted or not) continues
    the same episode, so a crisis that fires for weeks gives one alert, at its onset. Within
    an episode a firing is a new alert only when it is itself a surge over the episode: at
    least ``ratio`` times the highest value since the episode's last alert (the same ratio,
    no new threshold) — a crisis that jumps another order of magnitude is news again.
    """
    channel = rules.alert_channel
    if channel not in series.channels:
        return []
    values = series.channels[channel]
    base = bases[channel] if bases is not None else _baseline(values, rules)
    c = rules.channels[channel]
    alerts: list[Alert] = []
    last = -(10**9)
    firing = [int(t) for t in _firing(series, channel, rules, base)]
    for t, m in zip(firing, measure(series, channel, rules, base, firing), strict=True):
        if not _fires(m, c, rules):
            continue
        why = None
        if t - last > rules.cooldown:
            why = _reason(m, c, rules, "surge")
        else:
            peak = float(np.nanmax(values[alerts[-1].index : t]))
            if m.value >= rules.ratio * peak:
                since = f"the highest value since the alert of {alerts[-1].period}"
                why = f"{_reason(m, c, rules, 'escalation within an episode')}, and ≥ {rules.ratio:g} × {peak:.4g} ({since})"
        if why:
            alerts.append(
                Alert(series.key, series.period_id(t), t, why, m, _baseline_ids(series, base, t), _items(series, t))
            )
        last = t
    return alerts


# ---------------------------------------------------------------------------------------
# Labels


def label_period(series: DyadSeries, t: int, rules: EscalationRules) -> PeriodLabel:
    """Label period ``t``: risk alert, else deteriorated, improved, unchanged, or no data.

    risk alert: the surge rule fires on the alert channel. deteriorated: the worse channel is
    ≥ label ratio × baseline, or the better one ≤ baseline / label ratio (guard and floor
    passed). improved: the reverse. Deterioration wins over improvement in the same period.
    """
    return label_periods(series, rules, [t])[0]


def baselines(series: DyadSeries, rules: EscalationRules) -> dict[str, Baseline]:
    """The trailing baseline of every channel the rules read: compute once, pass to
    :func:`detect`, :func:`label_periods` and :func:`changed_periods`."""
    names = dict.fromkeys((rules.alert_channel, rules.worse, rules.better))
    return {n: _baseline(series.channels[n], rules) for n in names if n in series.channels}


def label_periods(
    series: DyadSeries,
    rules: EscalationRules,
    periods: list[int] | None = None,
    bases: Mapping[str, Baseline] | None = None,
) -> list[PeriodLabel]:
    """``label_period`` for many periods (all by default), computing each baseline once."""
    bases = dict(bases) if bases is not None else baselines(series, rules)
    names = list(bases)
    ts = list(range(len(series)) if periods is None else periods)
    if not ts:
        return []
    measures = {n: measure(series, n, rules, bases[n], ts) for n in names}
    return [_label(series, t, rules, {n: measures[n][i] for n in names}, bases) for i, t in enumerate(ts)]


def changed_periods(
    series: DyadSeries, rules: EscalationRules, bases: Mapping[str, Baseline] | None = None
) -> list[PeriodLabel]:
    """The labels of the periods that are a risk alert, deteriorated or improved (not unchanged,
    not no data): the same labels :func:`label_periods` gives, found without labelling every
    period (a vectorised screen keeps those where some channel moved by the label ratio)."""
    bases = dict(bases) if bases is not None else baselines(series, rules)
    screen = np.zeros(len(series), dtype=bool)
    r = rules.label_ratio
    for n, base in bases.items():
        c = rules.channels[n]
        v, b, _, guard = _arrays(series, n, rules, base)
        with np.errstate(invalid="ignore", divide="ignore"):
            # what _shift() requires, up or down
            screen |= (v >= c.floor) & guard & (v >= r * b)
            screen |= (b >= max(c.floor, c.baseline_floor)) & (v <= b / r)
        if n == rules.alert_channel:
            screen[_firing(series, n, rules, base)] = True
    candidates = [int(t) for t in np.flatnonzero(screen)]
    labels = label_periods(series, rules, candidates, bases)
    return [lab for lab in labels if lab.label not in ("unchanged", "no data")]


def _label(
    series: DyadSeries, t: int, rules: EscalationRules, ms: dict[str, Measure], bases: dict[str, Baseline]
) -> PeriodLabel:
    ids = _baseline_ids(series, next(iter(bases.values())), t) if bases else ()

    def row(label: str, rule: str) -> PeriodLabel:
        return PeriodLabel(series.key, series.period_id(t), label, rule, tuple(ms.values()), ids, _items(series, t))

    usable = {n: m for n, m in ms.items() if not (math.isnan(m.value) or math.isnan(m.baseline))}
    if not usable:
        return row("no data", f"no data: period missing or fewer than {rules.min_baseline} present baseline periods")
    a = usable.get(rules.alert_channel)
    if a is not None and _fires(a, rules.channels[a.channel], rules):
        return row("risk alert", _reason(a, rules.channels[a.channel], rules, "risk alert"))
    worse, better = usable.get(rules.worse), usable.get(rules.better)
    checks = (
        ("deteriorated", worse, True),
        ("deteriorated", better, False),
        ("improved", better, True),
        ("improved", worse, False),
    )
    for label, m, up in checks:
        why = _shift(m, rules, up) if m is not None else None
        if why:
            return row(label, f"{label}: {why}")
    parts = [f"{m.channel} {m.value:.4g} vs baseline {m.baseline:.4g} (ratio {m.ratio:.3g})" for m in usable.values()]
    return row("unchanged", f"unchanged: {'; '.join(parts)}, within ×/÷ {rules.label_ratio:g} or under the floors")


def _shift(m: Measure, rules: EscalationRules, up: bool) -> str | None:
    """The reason text when ``m`` moved by the label ratio in that direction, else None."""
    c, r = rules.channels[m.channel], rules.label_ratio
    if up and m.value >= c.floor and m.guard and m.value >= r * m.baseline:
        return f"{m.channel} {m.value:.4g} vs baseline {m.baseline:.4g}, ratio {m.ratio:.3g} ≥ {r:g}"
    if not up and m.baseline >= max(c.floor, c.baseline_floor) and m.value <= m.baseline / r:
        return f"{m.channel} {m.value:.4g} vs baseline {m.baseline:.4g}, ratio {m.ratio:.3g} ≤ 1/{r:g}"
    return None


# ---------------------------------------------------------------------------------------
# Phases


def change_points(series: DyadSeries, rules: EscalationRules, channel: str | None = None) -> list[ChangePoint]:
    """Phase boundaries of one channel: binary segmentation of log(1 + value) by mean shift.

    A daily series is first summed into ``cp_period_days`` periods (partly missing periods
    scaled, mostly missing ones NaN); missing periods are left out of the segmentation.
    """
    channel = channel or rules.alert_channel
    if series.step == 1 and rules.cp_period_days > 1:
        series = resample(series, rules.cp_period_days, rules.cp_min_present)
    values = series.channels[channel]
    idx = np.flatnonzero(~np.isnan(values))
    y = np.log1p(np.maximum(values[idx], 0.0))
    if len(y) < 2 * rules.cp_min_size:
        return []
    sigma2 = max(float(np.median(np.abs(np.diff(y))) / 0.6745) ** 2 / 2, 1e-6)
    min_gain = rules.cp_penalty * sigma2 * math.log(len(y))
    cuts = _binseg(y, rules.cp_min_size, min_gain, rules.cp_max_points)
    bounds = [0, *cuts, len(y)]
    out = []
    for i, cut in enumerate(cuts):
        lo, hi = bounds[i], bounds[i + 2]
        before, after = float(np.expm1(y[lo:cut].mean())), float(np.expm1(y[cut:hi].mean()))
        gain = _gain(y[lo:hi], cut - lo)
        why = (
            f"phase change: {channel} typical level {before:.4g} → {after:.4g} per {series.step}-day period; "
            f"squared-error gain {gain:.3g} > {rules.cp_penalty:g}·σ²·log n = {min_gain:.3g}"
        )
        pid = series.period_id
        out.append(
            ChangePoint(
                series.key, channel, pid(idx[cut]), int(idx[cut]), before, after, why,
                (pid(idx[lo]), pid(idx[cut - 1])), (pid(idx[cut]), pid(idx[hi - 1])),
            )
        )  # fmt: skip
    return out


def _gain(y: np.ndarray, k: int) -> float:
    """Drop in squared error from splitting ``y`` at ``k`` into two means."""
    n = len(y)
    return float(k * (n - k) / n * (y[:k].mean() - y[k:].mean()) ** 2)


def _best_split(y: np.ndarray, min_size: int) -> tuple[int, float]:
    n = len(y)
    cs = np.cumsum(y)
    k = np.arange(min_size, n - min_size + 1)
    if len(k) == 0:
        return 0, 0.0
    left = cs[k - 1] / k
    right = (cs[-1] - cs[k - 1]) / (n - k)
    gains = k * (n - k) / n * (left - right) ** 2
    j = int(np.argmax(gains))
    return int(k[j]), float(gains[j])


def _binseg(y: np.ndarray, min_size: int, min_gain: float, max_points: int) -> list[int]:
    """Greedy binary segmentation: split the segment with the largest gain while it pays."""
    # each segment's best split is computed once, when the segment is made (recomputing every
    # segment's at every step was a third of the escalation time on 20,000 dyads); the same
    # segments in the same order, so the same choice among equal gains
    segments = [(0, len(y), *_best_split(y, min_size))]
    cuts: list[int] = []
    while len(cuts) < max_points:
        best = max(segments, key=lambda s: s[3], default=None)
        if best is None or best[3] <= min_gain:
            break
        lo, hi, k, _ = best
        segments.remove(best)
        segments += [(lo, lo + k, *_best_split(y[lo:lo + k], min_size)),
                     (lo + k, hi, *_best_split(y[lo + k:hi], min_size))]
        cuts.append(lo + k)
    return sorted(cuts)
