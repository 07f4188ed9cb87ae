"""The faster escalation internals give the numbers of the straightforward ones, bit for bit.

The speed-ups (issue 14's escalation on 5M events): the trailing baseline reads its windows as
views of one padded array, the tail probabilities are computed only for the periods the
detector reads, a label's baseline period ids come from one conversion per series, and the
binary segmentation computes each segment's best split once. Here the straightforward versions they replaced are kept as the reference, and
hypothesis draws series (missing periods, silent stretches, spikes, short histories) on which
every baseline statistic, every measure and every firing period must be equal."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from flashpoint.analysis._series import Baseline, DyadSeries, trailing_baseline
from flashpoint.analysis.escalation import (
    EscalationRules,
    _best_split,
    _binseg,
    _firing,
    baselines,
    changed_periods,
    detect,
    label_periods,
    measure,
)


def reference_baseline(values: np.ndarray, size: int, min_count: int, max_lookback: int) -> Baseline:
    """The trailing baseline as it was computed before (fancy-indexed windows, np.nansum)."""
    n = len(values)
    present = np.flatnonzero(~np.isnan(values))
    med, mean, var, mad = (np.full(n, np.nan) for _ in range(4))
    count = np.zeros(n, dtype=int)
    first, last = np.full(n, -1), np.full(n, -1)
    t = np.arange(n)
    k = np.searchsorted(present, t)
    lo = np.maximum(np.maximum(k - size, 0), np.searchsorted(present, t - max_lookback))
    ok = np.flatnonzero(k - lo >= min_count)
    if len(ok) == 0 or size < 1:
        return Baseline(med, mean, var, mad, count, first, last)
    idx = k[ok, None] - size + np.arange(size)
    inside = idx >= lo[ok, None]
    window = np.where(inside, values[present[np.clip(idx, 0, None)]], np.nan)
    counts = inside.sum(axis=1)
    med[ok] = _median(window, counts)
    mean[ok] = np.nansum(window, axis=1) / counts
    sq = np.nansum((window - mean[ok, None]) ** 2, axis=1)
    var[ok] = np.where(counts > 1, sq / np.maximum(counts - 1, 1), np.nan)
    mad[ok] = _median(np.abs(window - med[ok, None]), counts)
    count[ok], first[ok], last[ok] = counts, present[lo[ok]], present[k[ok] - 1]
    return Baseline(med, mean, var, mad, count, first, last)


def _median(rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    ordered = np.sort(rows, axis=1)
    lo = np.take_along_axis(ordered, ((counts - 1) // 2)[:, None], axis=1)[:, 0]
    hi = np.take_along_axis(ordered, (counts // 2)[:, None], axis=1)[:, 0]
    return (lo + hi) / 2


def reference_tail(values: np.ndarray, base: Baseline, c, fit: str) -> np.ndarray:
    """Every period's tail probability at once, as before."""
    k = np.floor(np.nan_to_num(values, nan=0.0) / c.unit)
    centre, spread = (base.median, (1.4826 * base.mad) ** 2) if fit == "robust" else (base.mean, base.var)
    m = np.maximum(np.nan_to_num(centre, nan=0.0) / c.unit, c.tail_min_mean)
    v = np.nan_to_num(spread, nan=0.0) / c.unit**2
    over = v > m * 1.0001
    p = np.full(len(values), np.nan)
    known = ~(np.isnan(values) | np.isnan(base.median))
    pois, nb = known & ~over, known & over
    if pois.any():
        p[pois] = stats.poisson.sf(k[pois] - 1, m[pois])
    if nb.any():
        r = m[nb] * m[nb] / (v[nb] - m[nb])
        p[nb] = stats.nbinom.sf(k[nb] - 1, r, r / (r + m[nb]))
    return p


def reference_ids(series: DyadSeries, base: Baseline, t: int) -> tuple[str, ...]:
    """The ids of a baseline's present periods, as before."""
    if base.first[t] < 0:
        return ()
    lo, hi = int(base.first[t]), int(base.last[t]) + 1
    present = lo + np.flatnonzero(~series.missing()[lo:hi])
    return tuple(str(d) for d in series.dates[present])


def same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def _values(draw, n: int) -> np.ndarray:
    kind = draw(st.sampled_from(["quiet", "busy", "spiky"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rate = {"quiet": 0.3, "busy": 20.0, "spiky": 2.0}[kind]
    x = rng.poisson(rate, n).astype(float) * draw(st.sampled_from([1.0, 2.5, 7.0]))
    if kind == "spiky":
        x[rng.random(n) < 0.05] *= 40
    gaps = draw(st.sampled_from([0.0, 0.05, 0.4]))
    x[rng.random(n) < gaps] = np.nan
    if draw(st.booleans()):  # a long outage: the lookback cuts the windows after it
        start = int(rng.integers(0, n))
        x[start:start + int(rng.integers(10, 90))] = np.nan
    return x


@st.composite
def series(draw) -> DyadSeries:
    n = draw(st.integers(1, 260))
    dates = np.datetime64("2024-01-01") + np.arange(n)
    conflict, cooperation = _values(draw, n), _values(draw, n)
    missing = np.isnan(conflict) | np.isnan(cooperation)  # a missing day is missing in every channel
    conflict[missing], cooperation[missing] = np.nan, np.nan
    count = np.where(missing, np.nan, np.floor(np.nan_to_num(conflict + cooperation) / 3))
    return DyadSeries("A-B", dates, {"conflict": conflict, "cooperation": cooperation, "count": count})


RULES = [EscalationRules.load(), EscalationRules.preset("articles"),
         replace(EscalationRules.load(), tail_fit="moments")]


@settings(max_examples=150, deadline=None)
@given(s=series(), size=st.integers(1, 30), min_count=st.integers(1, 20), lookback=st.integers(1, 80),
       moments=st.booleans())
def test_the_trailing_baseline_is_unchanged(s: DyadSeries, size: int, min_count: int, lookback: int,
                                            moments: bool) -> None:
    values = s.channels["conflict"]
    new = trailing_baseline(values, size, min_count, lookback, moments=moments)
    old = reference_baseline(values, size, min_count, lookback)
    for name in ("median", "mad", "count", "first", "last") + (("mean", "var") if moments else ()):
        assert same(getattr(new, name), getattr(old, name)), name
    if not moments:
        assert np.isnan(new.mean).all() and np.isnan(new.var).all()


@settings(max_examples=150, deadline=None)
@given(s=series(), which=st.integers(0, 2), loose=st.booleans(), pick=st.floats(0, 1))
def test_measures_and_firings_are_unchanged(s: DyadSeries, which: int, loose: bool, pick: float) -> None:
    rules = RULES[which]
    if loose:  # lower bars and a tail threshold equal to one period's own probability: many
        # periods pass the other rules, and the threshold's edge is met exactly
        probe = baselines(s, rules)[rules.alert_channel]
        p = reference_tail(s.channels[rules.alert_channel], probe, rules.channels[rules.alert_channel],
                           rules.tail_fit)
        known = np.sort(p[~np.isnan(p)])
        tail_p = float(known[int(pick * (len(known) - 1))]) if len(known) else rules.tail_p
        floors = {n: replace(c, floor=0.0, baseline_floor=0.0) for n, c in rules.channels.items()}
        rules = replace(rules, ratio=1.0, tail_p=tail_p, channels=floors)
    for channel, base in baselines(s, rules).items():
        c = rules.channels[channel]
        p = reference_tail(s.channels[channel], base, c, rules.tail_fit)
        got = measure(s, channel, rules, base)  # every period, through the lazy tails
        assert same([m.p_tail for m in got], p)
        values = s.channels[channel]
        b = np.array([m.baseline for m in got])
        guard = np.array([m.guard for m in got])
        with np.errstate(invalid="ignore"):
            fire = (values >= c.floor) & guard & (values >= rules.ratio * b) & (p <= rules.tail_p)
        fresh = baselines(s, rules)[channel]  # a baseline whose tails were never asked for
        assert list(_firing(s, channel, rules, fresh)) == list(np.flatnonzero(fire))


@settings(max_examples=60, deadline=None)
@given(s=series(), which=st.integers(0, 2))
def test_alerts_and_labels_do_not_depend_on_the_order_tails_are_asked_for(s: DyadSeries, which: int) -> None:
    # detect, then labels (as escalation() runs them) against labels first, then detect
    rules = RULES[which]
    a = baselines(s, rules)
    alerts_first = ([x.to_dict() for x in detect(s, rules, a)], [x.to_dict() for x in changed_periods(s, rules, a)])
    b = baselines(s, rules)
    labels = [x.to_dict() for x in changed_periods(s, rules, b)]
    assert alerts_first == ([x.to_dict() for x in detect(s, rules, b)], labels)
    fresh = baselines(s, rules)
    every = label_periods(s, rules, None, fresh)
    assert [x.to_dict() for x in every if x.label not in ("unchanged", "no data")] == labels
    first = next(iter(fresh.values()))
    assert [x.baseline_periods for x in every] == [reference_ids(s, first, t) for t in range(len(s))]


def test_a_risk_alert_still_fires() -> None:
    # a quiet month then a surge: the lazy tails are asked for that day and it fires
    values = np.r_[np.full(60, 5.0), 400.0]
    s = DyadSeries("A-B", np.datetime64("2024-01-01") + np.arange(61),
                   {"conflict": values, "cooperation": np.zeros(61), "count": np.ones(61)})
    alerts = detect(s, RULES[0])
    assert [a.index for a in alerts] == [60] and not math.isnan(alerts[0].measure.p_tail)


def reference_binseg(y: np.ndarray, min_size: int, min_gain: float, max_points: int) -> list[int]:
    """Binary segmentation as before: every segment's best split recomputed at every step."""
    segments = [(0, len(y))]
    cuts: list[int] = []
    while len(cuts) < max_points:
        best = max(
            ((lo, hi, *_best_split(y[lo:hi], min_size)) for lo, hi in segments), key=lambda s: s[3], default=None
        )
        if best is None or best[3] <= min_gain:
            break
        lo, hi, k, _ = best
        segments.remove((lo, hi))
        segments += [(lo, lo + k), (lo + k, hi)]
        cuts.append(lo + k)
    return sorted(cuts)


@settings(max_examples=300, deadline=None)
@given(block=st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5]), min_size=1, max_size=30),
       reps=st.integers(1, 4), min_size=st.integers(1, 6), min_gain=st.sampled_from([0.0, 0.1, 1.0]),
       max_points=st.integers(1, 10))
def test_binary_segmentation_is_unchanged(block: list[float], reps: int, min_size: int, min_gain: float,
                                          max_points: int) -> None:
    # a block repeated: its copies give segments of equal gains, so the choice among ties is tested too
    arr = np.asarray(block * reps)
    assert _binseg(arr, min_size, min_gain, max_points) == reference_binseg(arr, min_size, min_gain, max_points)
