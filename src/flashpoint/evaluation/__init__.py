"""Measuring Flashpoint on public gold data: the scorecard and the floors gate.

>>> from flashpoint.evaluation import evaluate, resolve_data_dir, load_floors, check
>>> card = evaluate(["plover-gsr"], data_dir=resolve_data_dir())
>>> failures = check(card, load_floors(default_floors_path()))

``flashpoint eval`` is the command-line face of the same calls (``flashpoint.cli.evaluate``).
Which prediction is compared with which gold, and why, is written down where it is decided:
gold normalisation in :mod:`.sets`, reading predictions off an analysis in :mod:`.runner`.
"""

from flashpoint.evaluation.floors import (
    EPSILON,
    Floors,
    FloorsError,
    Verdict,
    check,
    compare,
    default_floors_path,
    load_floors,
    save_floors,
    update_floors,
)
from flashpoint.evaluation.runner import (
    Analyzer,
    Score,
    Scorecard,
    SetResult,
    evaluate,
    git_commit,
    lead_event,
    main_event,
    run_set,
)
from flashpoint.evaluation.sets import (
    SETS,
    BenchmarkFormatError,
    BenchmarkMissing,
    BenchmarkSet,
    resolve_data_dir,
)

__all__ = [
    "EPSILON",
    "SETS",
    "Analyzer",
    "BenchmarkFormatError",
    "BenchmarkMissing",
    "BenchmarkSet",
    "Floors",
    "FloorsError",
    "Score",
    "Scorecard",
    "SetResult",
    "Verdict",
    "check",
    "compare",
    "default_floors_path",
    "evaluate",
    "git_commit",
    "lead_event",
    "load_floors",
    "main_event",
    "resolve_data_dir",
    "run_set",
    "save_floors",
    "update_floors",
]
