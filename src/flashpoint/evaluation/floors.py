"""Pinned score floors and the gate that refuses to go below them.

``benchmarks/floors.json`` maps a set key to its metrics' floors::

    {"plover-gsr": {"type_accuracy": 0.41, ...}, "wiki-weasel@1500": {"uncertain_f1": 0.3}}

A key is a set name, or ``name@N`` for the deterministic N-record sample that ``--limit N``
scores (a sample's scores differ from the full set's, so they are pinned apart). The gate
compares a scorecard with the floors of the keys it holds; a score may sit up to ``epsilon``
below its floor (float noise, not a licence to regress). :func:`update_floors` only ever
raises a floor: lowering one is a decision to make by hand, in review.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flashpoint.errors import FloorsError
from flashpoint.evaluation.runner import Scorecard
from flashpoint.evaluation.sets import SETS

EPSILON = 0.005
FLOORS_FILE = Path("benchmarks") / "floors.json"

Floors = dict[str, dict[str, float]]





def default_floors_path() -> Path:
    """``benchmarks/floors.json`` under the working directory, else in this source checkout."""
    here = Path.cwd() / FLOORS_FILE
    if here.is_file():
        return here
    checkout = Path(__file__).resolve().parents[3] / FLOORS_FILE
    return checkout if checkout.is_file() else here


def load_floors(path: Path) -> Floors:
    """Read and validate a floors file: set key → metric → floor in [0, 1]."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FloorsError(f"no floors file at {path}") from exc
    except json.JSONDecodeError as exc:
        raise FloorsError(f"{path}: not JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise FloorsError(f"{path}: expected an object of set → metric → floor")
    floors: Floors = {}
    for key, metrics in raw.items():
        if not isinstance(metrics, dict):
            raise FloorsError(f"{path}: {key!r} should map metric names to floors")
        for metric, value in metrics.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise FloorsError(f"{path}: {key}/{metric} floor {value!r} is not a number in [0, 1]")
        floors[key] = {m: float(v) for m, v in metrics.items()}
    return floors


def save_floors(path: Path, floors: Mapping[str, Mapping[str, float]]) -> None:
    """Write floors sorted by key, one metric per line, so diffs show exactly what moved."""
    ordered = {k: {m: floors[k][m] for m in sorted(floors[k])} for k in sorted(floors)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ordered, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one (set, metric) stands against its floor.

    ``status``: ``ok`` (at or above the floor, within epsilon), ``below`` (a regression),
    ``no floor`` (nothing pinned yet), ``absent`` (pinned but not produced: the set is missing,
    failed to load, or no longer reports the metric), ``unknown set`` (the floors name a set
    that does not exist), ``skipped`` (pinned, the data dir is absent altogether).
    """

    key: str
    metric: str
    value: float | None
    n: int | None
    floor: float | None
    status: str
    failed: bool
    reason: str = ""

    def __str__(self) -> str:
        value = "—" if self.value is None else f"{self.value:.4f}"
        floor = "—" if self.floor is None else f"{self.floor:.4f}"
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.key} {self.metric}: {value} vs floor {floor}: {self.status}{why}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.key,
            "metric": self.metric,
            "value": self.value,
            "n": self.n,
            "floor": self.floor,
            "status": self.status,
            "failed": self.failed,
            "reason": self.reason,
        }


def _base(key: str) -> str:
    return key.partition("@")[0]


def compare(scorecard: Scorecard, floors: Floors, epsilon: float = EPSILON) -> list[Verdict]:
    """A verdict for every score of the scorecard and every floor of the sets it ran.

    Floors of sets the run did not include (not requested, or pinned for another ``--limit``
    sample) are not judged. A pinned metric the run did not produce fails, except when the data
    directory is absent altogether (a machine without the benchmarks can still run the tests;
    the table says what was skipped).
    """
    verdicts: list[Verdict] = []
    for result in scorecard.sets:
        pinned = floors.get(result.key, {})
        for score in result.scores:
            floor = pinned.get(score.metric)
            if floor is None:
                verdicts.append(
                    Verdict(result.key, score.metric, score.value, score.n, None, "no floor", False)
                )
            elif score.value < floor - epsilon:
                verdicts.append(
                    Verdict(
                        result.key, score.metric, score.value, score.n, floor, "below", True, "regression"
                    )
                )
            else:
                verdicts.append(Verdict(result.key, score.metric, score.value, score.n, floor, "ok", False))
        produced = {s.metric for s in result.scores}
        # A set that did not run has key == name; its floors may be pinned under name@N too.
        keys = [result.key] if result.status == "ok" else [k for k in floors if _base(k) == result.name]
        for key in keys:
            for metric, floor in floors.get(key, {}).items():
                if key == result.key and metric in produced:
                    continue
                # the set's own detail (which files, what error) is on its SetResult
                reason = "metric not produced" if result.status == "ok" else f"set {result.status}"
                if not scorecard.data_dir_exists:
                    verdicts.append(
                        Verdict(key, metric, None, None, floor, "skipped", False, "no benchmark data dir")
                    )
                else:
                    verdicts.append(Verdict(key, metric, None, None, floor, "absent", True, reason))
    for key in floors:
        if _base(key) not in SETS:
            verdicts.append(
                Verdict(key, "*", None, None, None, "unknown set", True, "floors name an unknown set")
            )
    return verdicts


def check(scorecard: Scorecard, floors: Floors, epsilon: float = EPSILON) -> list[Verdict]:
    """The gate: every verdict that fails (an empty list means the scorecard passes)."""
    return [v for v in compare(scorecard, floors, epsilon) if v.failed]


def update_floors(floors: Floors, scorecard: Scorecard) -> Floors:
    """New floors: each measured score raises its floor, nothing ever lowers one.

    A score is pinned rounded *down* to 3 decimals, so the floor never exceeds what was
    measured and the file stays readable. Sets that did not score keep their floors.
    """
    new: Floors = {k: dict(v) for k, v in floors.items()}
    for result in scorecard.sets:
        if result.status != "ok":
            continue
        pinned = new.setdefault(result.key, {})
        for score in result.scores:
            measured = math.floor(score.value * 1000 + 1e-9) / 1000
            pinned[score.metric] = max(pinned.get(score.metric, 0.0), measured)
    return new
