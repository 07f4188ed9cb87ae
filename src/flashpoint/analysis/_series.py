"""Plain time series for the escalation rules: a regular grid of periods, missing = NaN.

A :class:`DyadSeries` is one key (a dyad such as ``"ARM-AZE"`` or a single actor such as
``"RUS"``) with one or more channels (conflict magnitude, cooperation magnitude, event counts)
on a regular grid of periods. A missing period is NaN in every channel, never zero: the
trailing baseline skips it, so a feed outage cannot drag the baseline down and fake a surge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class DyadSeries:
    """Values per channel on a regular grid of periods (``step`` days apart).

    dates: ``datetime64[D]`` start of each period, strictly increasing by ``step`` days.
    channels: channel name → float array as long as ``dates``; NaN = no data that period.
    items: optional ids of the items (events, documents) behind each period, so that an alert
        can name what it rests on.
    """

    key: str
    dates: np.ndarray
    channels: Mapping[str, np.ndarray]
    items: tuple[tuple[str, ...], ...] | None = None
    step: int = 1

    def __post_init__(self) -> None:
        dates = np.asarray(self.dates, dtype="datetime64[D]")
        object.__setattr__(self, "dates", dates)
        if len(dates) > 1 and np.any(np.diff(dates) != self.step * DAY):
            raise ValueError(f"{self.key}: dates must be a regular grid of {self.step}-day periods")
        chans = {name: np.asarray(v, dtype=float) for name, v in self.channels.items()}
        for name, values in chans.items():
            if values.shape != dates.shape:
                raise ValueError(f"{self.key}: channel {name!r} has {values.shape}, dates {dates.shape}")
        object.__setattr__(self, "channels", chans)
        if self.items is not None and len(self.items) != len(dates):
            raise ValueError(f"{self.key}: items must have one entry per period")

    @classmethod
    def from_observations(
        cls,
        key: str,
        dates: Sequence[Any] | np.ndarray,
        channels: Mapping[str, Sequence[float] | np.ndarray],
        items: Sequence[Sequence[str]] | None = None,
    ) -> DyadSeries:
        """Daily series from observed days only: days absent from ``dates`` become NaN.

        Use this when the store returns only the days it has; a day with data but no event
        must then be given explicitly as 0 (it is data), an absent day is missing.
        """
        obs = np.asarray(dates, dtype="datetime64[D]")
        order = np.argsort(obs, kind="stable")
        obs = obs[order]
        if len(obs) and np.any(np.diff(obs) == np.timedelta64(0, "D")):
            raise ValueError(f"{key}: a day is given twice")
        grid = np.arange(obs[0], obs[-1] + DAY, DAY) if len(obs) else obs
        pos = (obs - grid[0]).astype(int) if len(obs) else np.zeros(0, dtype=int)
        chans = {}
        for name, values in channels.items():
            full = np.full(len(grid), np.nan)
            full[pos] = np.asarray(values, dtype=float)[order]
            chans[name] = full
        full_items = None
        if items is not None:
            slots: list[tuple[str, ...]] = [()] * len(grid)
            for p, i in zip(pos, order, strict=True):
                slots[p] = tuple(items[i])
            full_items = tuple(slots)
        return cls(key, grid, chans, full_items)

    @classmethod
    def from_pandas(cls, key: str, frame: Any) -> DyadSeries:
        """From a pandas Series (one channel, ``"conflict"``) or DataFrame with a date index."""
        frame = frame.to_frame("conflict") if getattr(frame, "ndim", 2) == 1 else frame
        dates = np.asarray(frame.index.values, dtype="datetime64[D]")
        return cls.from_observations(key, dates, {str(c): frame[c].to_numpy(float) for c in frame.columns})

    def __len__(self) -> int:
        return len(self.dates)

    def period_id(self, t: int) -> str:
        """A period's id: its first day, ISO formatted."""
        return str(self.dates[t])

    def missing(self) -> np.ndarray:
        """True where every channel is NaN."""
        return np.all(np.isnan(np.vstack(list(self.channels.values()))), axis=0)


def resample(series: DyadSeries, days: int = 7, min_present: int = 4) -> DyadSeries:
    """Sum a daily series into ``days``-day periods; a period with too few present days is NaN.

    A partly missing period is scaled up to the full period (sum × days / present) so that an
    outage reads as missing data rather than as a quiet week.
    """
    if series.step != 1:
        raise ValueError("resample expects a daily series")
    n = len(series) // days
    out = {}
    for name, values in series.channels.items():
        block = values[: n * days].reshape(n, days)
        present = np.sum(~np.isnan(block), axis=1)
        total = np.nansum(block, axis=1) * days / np.maximum(present, 1)
        out[name] = np.where(present >= min_present, total, np.nan)
    items = None
    if series.items is not None:
        items = tuple(tuple(i for d in series.items[k * days : (k + 1) * days] for i in d) for k in range(n))
    return DyadSeries(series.key, series.dates[: n * days : days], out, items, step=series.step * days)


@dataclass(frozen=True)
class Baseline:
    """The trailing baseline of every period: statistics of the previous present periods."""

    median: np.ndarray  # NaN where there is not enough history
    mean: np.ndarray
    var: np.ndarray
    mad: np.ndarray  # median absolute deviation from the median
    count: np.ndarray  # how many present periods the baseline rests on
    first: np.ndarray  # index of the earliest period in the baseline (-1 when none)
    last: np.ndarray  # index of the latest period in the baseline (-1 when none)
    # what the detector derives from this baseline (tail probabilities …), kept so that alerts,
    # labels and the screen of changed periods compute it once per channel, not five times
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


def trailing_baseline(values: np.ndarray, size: int, min_count: int, max_lookback: int, *,
                      moments: bool = True) -> Baseline:
    """Median, MAD, mean and variance of the last ``size`` present values before each period.

    Missing periods (NaN) are skipped, not read as zero. Values more than ``max_lookback``
    periods back are not used (a baseline from before a long outage is stale). With fewer than
    ``min_count`` values the baseline is NaN: no verdict. ``moments=False`` leaves the mean and
    the variance NaN (the robust tail fit reads only the median and the MAD: a sixth of the time).
    """
    n = len(values)
    present = np.flatnonzero(~np.isnan(values))
    med, mean, var, mad = (np.full(n, np.nan) for _ in range(4))
    count = np.zeros(n, dtype=int)
    first, last = np.full(n, -1), np.full(n, -1)
    t = np.arange(n)
    k = np.searchsorted(present, t)  # present periods strictly before t
    lo = np.maximum(np.maximum(k - size, 0), np.searchsorted(present, t - max_lookback))
    ok = np.flatnonzero(k - lo >= min_count)
    if len(ok) == 0 or size < 1:
        return Baseline(med, mean, var, mad, count, first, last)
    # one row per period with a verdict: its window of present values, NaN-padded on the left
    # (vectorised: the same numbers as a loop over periods, a hundred times faster). The rows
    # are views of one padded array (row j holds the present values j - size … j - 1), cut
    # where the lookback ends before the window's start.
    padded = np.concatenate([np.full(size, np.nan), values[present]])
    window = sliding_window_view(padded, size)[k[ok]]
    cut = lo[ok] - (k[ok] - size)  # leading slots outside the lookback (≤ 0: none)
    if np.any(cut > 0):
        window = np.where(np.arange(size) >= cut[:, None], window, np.nan)
    inside = ~np.isnan(window)
    counts = inside.sum(axis=1)
    med[ok] = _row_median(window, counts)
    if moments:
        zeroed = np.where(inside, window, 0.0)  # np.nansum's own first step: the same sums
        mean[ok] = zeroed.sum(axis=1) / counts
        sq = np.where(inside, (zeroed - mean[ok, None]) ** 2, 0.0).sum(axis=1)
        var[ok] = np.where(counts > 1, sq / np.maximum(counts - 1, 1), np.nan)
    mad[ok] = _row_median(np.abs(window - med[ok, None]), counts)
    count[ok], first[ok], last[ok] = counts, present[lo[ok]], present[k[ok] - 1]
    return Baseline(med, mean, var, mad, count, first, last)


def _row_median(rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The median of each row's first ``counts`` values once sorted (NaN sorts last): np.nanmedian
    without its masked-array path, which is slow on many short rows."""
    ordered = np.sort(rows, axis=1)
    r = np.arange(len(rows))  # plain fancy indexing: take_along_axis's index building cost more
    return (ordered[r, (counts - 1) // 2] + ordered[r, counts // 2]) / 2
