"""Escalation benchmark: known crises caught, and false alarms, on daily GDELT country pairs.

    PYTHONPATH=src .venv/bin/python benchmarks/escalation.py \
        --data ../shared/benchmarks/raw/events/gdelt-graph-daily --crises benchmarks/crises.json \
        [--sweep] [--json]

The data is the gzemo/gdelt-graph-data copy (read in place, never copied into the project):
one 249×249 symmetric matrix per day, a cell ≈ that day's summed Goldstein score of the
state-to-state events between two countries (negative = conflict). Missing days (96 in the
window) are NaN, never zero. The detector reads one channel, the conflict side of the cell,
``conflict = −min(cell, 0)``, with the shipped rules (``data/analysis/escalation.toml``).

For each crisis ``{"dyad": "ARM-AZE", "day0": "2020-09-27"}`` it prints
``ARM-AZE 2020-09-27 lag N``: N = first alert in [day0 − 2, day0 + 30] minus day0, or
``lag none``. The last line is ``false alarms per dyad-year: X``: alerts on the 100 most
active dyads (total absolute weight over the window) that fall outside ±30 days of every
listed crisis on that dyad, divided by those dyads' observed days outside the same windows,
in years. ``--sweep`` adds the trade-off curve over the surge ratio (the main threshold).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import sys
import time
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from flashpoint.analysis.escalation import Alert, DyadSeries, EscalationRules, detect

EARLY, LATE = 2, 30  # a crisis is caught by an alert in [day0 − 2, day0 + 30]
WINDOW = 30  # alerts within ±30 days of a listed crisis on the dyad are not false alarms
TOP = 100
SWEEP = (2.0, 3.0, 4.0, 6.0, 10.0)  # the surge ratio, the main threshold
# On most of these dyads the conflict side is 0 on most days (cooperation cancels it in the
# signed cell), so the baseline is 0 and the low-baseline guard's high level decides instead
# of the ratio: the sweep shows both.
SWEEP_HIGH = (100.0, 250.0, 500.0, 1000.0, 2000.0)


@dataclass(frozen=True)
class Matrices:
    start: np.datetime64
    codes: list[str]
    pairs: np.ndarray  # (cells, 2) country indices of the upper-triangle cells (i < j)
    values: np.ndarray  # (days, cells) float32, NaN on missing days

    def dyad(self, a: str, b: str) -> int:
        i, j = sorted((self.codes.index(a), self.codes.index(b)))
        return int(np.flatnonzero((self.pairs[:, 0] == i) & (self.pairs[:, 1] == j))[0])

    def name(self, cell: int) -> str:
        return "-".join(self.codes[k] for k in self.pairs[cell])


def load(data: Path) -> Matrices:
    """Every daily matrix, upper triangle only (the matrices are symmetric), as float32."""
    with open(data / "country_codes_clean.csv", encoding="utf-8") as f:
        codes = [r["Alpha3_code"].strip() for r in csv.DictReader(f, delimiter="\t")]
    files = sorted((data / "networks").glob("*_network.zip"))
    days = np.array([f"{p.name[:4]}-{p.name[4:6]}-{p.name[6:8]}" for p in files], dtype="datetime64[D]")
    start = days[0]
    iu = np.triu_indices(len(codes), 1)  # the diagonal (a country with itself) is no dyad
    values = np.full((int((days[-1] - start).astype(int)) + 1, len(iu[0])), np.nan, dtype=np.float32)
    for path, day in zip(files, days, strict=True):
        with zipfile.ZipFile(path) as z:
            m = np.load(io.BytesIO(z.read(z.namelist()[0])))
        values[int((day - start).astype(int))] = m[iu]
    return Matrices(start, codes, np.column_stack(iu), values)


def series(mx: Matrices, cell: int) -> DyadSeries:
    col = mx.values[:, cell].astype(float)
    conflict = -np.minimum(col, 0.0)  # NaN stays NaN: a missing day is not a quiet day
    dates = mx.start + np.arange(len(col))
    return DyadSeries(mx.name(cell), dates, {"conflict": conflict})


def run(mx: Matrices, crises: list[dict], cells: list[int], rules: EscalationRules) -> dict:
    alerts: dict[int, list[Alert]] = {c: detect(series(mx, c), rules) for c in cells}
    rows = []
    by_cell: dict[int, list[np.datetime64]] = {}
    for crisis in crises:
        cell = mx.dyad(*crisis["dyad"].split("-"))
        day0 = np.datetime64(crisis["day0"], "D")
        by_cell.setdefault(cell, []).append(day0)
        lags = [int((np.datetime64(a.period) - day0).astype(int)) for a in alerts[cell]]
        lag = next((x for x in lags if -EARLY <= x <= LATE), None)
        hit = next((a for a in alerts[cell] if a.period == str(day0 + lag)), None) if lag is not None else None
        rows.append({"dyad": crisis["dyad"], "day0": crisis["day0"], "lag": lag, "rule": hit.rule if hit else None})
    top = cells[:TOP]
    false, days = [], 0
    for cell in top:
        t = np.arange(mx.values.shape[0])
        near = np.zeros(len(t), dtype=bool)
        for day0 in by_cell.get(cell, []):
            k = int((day0 - mx.start).astype(int))
            near |= np.abs(t - k) <= WINDOW
        days += int(np.sum(~near & ~np.isnan(mx.values[:, cell])))
        false += [a for a in alerts[cell] if not near[a.index]]
    caught = sum(1 for r in rows if r["lag"] is not None and abs(r["lag"]) <= EARLY)
    return {
        "ratio": rules.ratio,
        "crises": rows,
        "caught_within_2_days": caught,
        "false_alarms": len(false),
        "dyad_years": days / 365.25,
        "false_alarms_per_dyad_year": len(false) / (days / 365.25),
        "largest_false_alarms": [
            {
                "dyad": a.key,
                "day": a.period,
                "value": round(a.measure.value, 1),
                "baseline": round(a.measure.baseline, 1),
            }
            for a in sorted(false, key=lambda a: -a.measure.value)[:15]
        ],
    }


def _with_high(rules: EscalationRules, level: float) -> EscalationRules:
    channels = dict(rules.channels)
    channels[rules.alert_channel] = replace(channels[rules.alert_channel], high_level=level)
    return replace(rules, channels=channels)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the gdelt-graph-daily directory")
    ap.add_argument("--crises", type=Path, required=True, help='JSON list of {"dyad": "A-B", "day0": "YYYY-MM-DD"}')
    ap.add_argument("--rules", type=Path, default=None, help="escalation TOML (default: the shipped one)")
    ap.add_argument("--sweep", action="store_true", help="also the trade-off curve over the surge ratio")
    ap.add_argument("--json", action="store_true", help="one JSON document instead of text")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    rules = EscalationRules.load(args.rules)
    crises = json.loads(args.crises.read_text(encoding="utf-8"))
    mx = load(args.data)
    t_load = time.perf_counter() - t0
    weight = sum(np.nansum(np.abs(mx.values[k : k + 100]), axis=0) for k in range(0, len(mx.values), 100))
    cells = [int(c) for c in np.argsort(-weight, kind="stable")[:TOP]]
    cells += [c for c in (mx.dyad(*x["dyad"].split("-")) for x in crises) if c not in cells]
    result = run(mx, crises, cells, rules)
    t_run = time.perf_counter() - t0 - t_load
    curve = [run(mx, crises, cells, replace(rules, ratio=r)) for r in SWEEP] if args.sweep else []
    high = [run(mx, crises, cells, _with_high(rules, h)) for h in SWEEP_HIGH] if args.sweep else []
    result.update(
        days=int(mx.values.shape[0]),
        missing_days=int(np.isnan(mx.values[:, 0]).sum()),
        seconds_load=round(t_load, 2),
        seconds_detect=round(t_run, 2),
        seconds_total=round(time.perf_counter() - t0, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        sweep=[
            {k: c[k] for k in ("ratio", "caught_within_2_days", "false_alarms", "false_alarms_per_dyad_year")}
            for c in curve
        ],
        sweep_high_level=[
            {
                "high_level": h,
                **{k: c[k] for k in ("caught_within_2_days", "false_alarms", "false_alarms_per_dyad_year")},
            }
            for h, c in zip(SWEEP_HIGH[: len(high)], high, strict=True)
        ],
    )
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for r in result["crises"]:
        print(f"{r['dyad']} {r['day0']} lag {'none' if r['lag'] is None else r['lag']}")
    if curve:
        print(
            f"# sweep over the surge ratio ({len(crises)} crises; ratio, caught within 2 days, false alarms per dyad-year)"
        )
        for c in result["sweep"]:
            print(
                f"#   ratio {c['ratio']:g}: caught {c['caught_within_2_days']}/{len(crises)}, {c['false_alarms_per_dyad_year']:.2f}"
            )
        print("# sweep over the low-baseline guard's high level (conflict channel)")
        for c in result["sweep_high_level"]:
            print(
                f"#   high level {c['high_level']:g}: caught {c['caught_within_2_days']}/{len(crises)}, {c['false_alarms_per_dyad_year']:.2f}"
            )
    print(
        f"# {result['days']} days ({result['missing_days']} missing), {len(cells)} dyads, "
        f"load {result['seconds_load']} s, detect {result['seconds_detect']} s, peak RSS {result['peak_rss_mb']} MB"
    )
    print(f"false alarms per dyad-year: {result['false_alarms_per_dyad_year']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
