"""``flashpoint eval``: run the benchmark sets, print the scorecard, guard the floors.

A thin layer over :mod:`flashpoint.evaluation`; registered on the main group as
``cli.add_command(eval_command, "eval")``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from flashpoint.evaluation import (
    EPSILON,
    SETS,
    Floors,
    Scorecard,
    Verdict,
    compare,
    default_floors_path,
    evaluate,
    load_floors,
    resolve_data_dir,
    save_floors,
    update_floors,
)

_STYLE = {
    "ok": "green",
    "below": "bold red",
    "absent": "bold red",
    "unknown set": "bold red",
    "error": "bold red",
    "no floor": "yellow",
    "missing": "yellow",
    "skipped": "yellow",
    "unavailable": "dim",
}


@click.command("eval")
@click.argument("sets", nargs=-1, type=click.Choice(list(SETS)), metavar="[SET]...")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Benchmark data (default: $FLASHPOINT_BENCHMARKS, else ../shared/benchmarks/raw).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scorecard as one JSON object.")
@click.option("--details", is_flag=True, help="Also print per-type and per-class tables.")
@click.option("--check-floors", is_flag=True, help="Exit 1 if a score is below its pinned floor.")
@click.option(
    "--update-floors",
    "raise_floors",
    is_flag=True,
    help="Raise the pinned floors to today's scores (never lowers one).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Score an evenly spaced, deterministic sample of at most N records per set.",
)
@click.option(
    "--floors",
    "floors_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Floors file (default: benchmarks/floors.json).",
)
def eval_command(
    sets: tuple[str, ...],
    data_dir: Path | None,
    as_json: bool,
    details: bool,
    check_floors: bool,
    raise_floors: bool,
    limit: int | None,
    floors_path: Path | None,
) -> None:
    """Score Flashpoint on the public benchmark sets: all of them, or the SETs named
    (plover-gsr, conflibert-cameo, wiki-weasel, giveme5w1h, wikinews, wikinews-dev,
    petrarch-unit). The wikinews sets are the project's own gold set, read from
    benchmarks/gold/wikinews in this checkout, not from the data dir.

    Every score is printed with n, the number of records it was computed on, beside its
    pinned floor. A set whose files are not found is reported as missing. Exit status: 0,
    or 1 when --check-floors finds a score below its floor (or on an error).
    """
    floors_path = floors_path or default_floors_path()
    floors: Floors = {}
    if floors_path.is_file() or check_floors:
        floors = load_floors(floors_path)
    card = evaluate(list(sets) or None, data_dir=resolve_data_dir(data_dir), limit=limit)
    verdicts = compare(card, floors, EPSILON)
    failures = [v for v in verdicts if v.failed]
    written = None
    if raise_floors and card.data_dir_exists:
        raised = update_floors(floors, card)
        if raised != floors:
            save_floors(floors_path, raised)
            written = floors_path
    if as_json:
        out = card.to_dict()
        out["floors_file"] = str(floors_path)
        out["epsilon"] = EPSILON
        out["verdicts"] = [v.to_dict() for v in verdicts]
        out["gate"] = {
            "checked": check_floors,
            "passed": not failures,
            "failures": [str(v) for v in failures],
        }
        out["floors_written"] = str(written) if written else None
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        console = Console()
        console.print(_scorecard_table(card, verdicts))
        if details:
            for table in _detail_tables(card):
                console.print(table)
        _print_notes(console, card, verdicts, check_floors, written, raise_floors)
    if check_floors and failures:
        sys.exit(1)


def _scorecard_table(card: Scorecard, verdicts: list[Verdict]) -> Table:
    limit = f" · limit {card.limit}" if card.limit else ""
    seconds = sum(r.seconds for r in card.sets)
    table = Table(
        title=f"Flashpoint {card.version} · commit {card.commit} · model {card.model or '—'}{limit}",
        caption=f"data: {card.data_dir} · {seconds:.1f} s",
    )
    for column in ("set", "metric"):
        table.add_column(column, no_wrap=True)
    for column in ("value", "n", "floor"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("status")  # the only column that wraps on a narrow terminal
    by_key: dict[str, list[Verdict]] = {}
    for v in verdicts:
        by_key.setdefault(v.key, []).append(v)
    for result in card.sets:
        rows = by_key.pop(result.key, [])
        if result.status != "ok":
            # One row for a set that did not run; its pinned floors (under any sample key)
            # are counted here and listed one by one in --json.
            for key in [k for k in by_key if k.partition("@")[0] == result.name]:
                rows += by_key.pop(key)
            # the detail (which files, what error) is printed under the table
            status = f"[{_STYLE.get(result.status, '')}]{result.status}[/]"
            if rows:
                failing = sum(v.failed for v in rows)
                status += (
                    f"; [bold red]{failing} floors unmet[/]"
                    if failing
                    else f"; {len(rows)} floors not checked"
                )
            table.add_row(result.key, "—", "—", "—", "—", status)
            continue
        for v in rows:
            table.add_row(*_cells(v))
        if result.failed:
            table.add_row(
                result.key, "failed documents", str(result.failed), "", "", "[yellow]scored as empty[/]"
            )
    for rest in by_key.values():
        for v in rest:
            table.add_row(*_cells(v))
    return table


def _cells(v: Verdict) -> tuple[str, ...]:
    style = _STYLE.get(v.status, "")
    status = f"[{style}]{v.status}[/]" if style else v.status
    if v.reason and v.status not in ("ok", "no floor"):
        status += f" {v.reason}"
    return (
        v.key,
        v.metric,
        "—" if v.value is None else f"{v.value:.4f}",
        "—" if v.n is None else str(v.n),
        "—" if v.floor is None else f"{v.floor:.3f}",
        status,
    )


def _detail_tables(card: Scorecard) -> list[Table]:
    tables = []
    for result in card.sets:
        for name, rows in result.details.items():
            if not name.startswith("per_") or not isinstance(rows, dict):
                continue
            label = name.removeprefix("per_")
            table = Table(title=f"{result.key}: per {label}")
            for column in (label, "gold", "predicted", "precision", "recall", "f1"):
                table.add_column(column, justify="left" if column == label else "right")
            for key, row in rows.items():
                table.add_row(
                    key,
                    str(row["gold"]),
                    str(row["predicted"]),
                    f"{row['precision']:.3f}",
                    f"{row['recall']:.3f}",
                    f"{row['f1']:.3f}",
                )
            tables.append(table)
        if result.details.get("calibration"):
            tables.append(_calibration_table(result.key, result.details))
    return tables


def _calibration_table(key: str, details: dict) -> Table:
    table = Table(
        title=f"{key}: calibration (real = matches a gold event strictly)",
        caption=f"expected calibration error {details.get('ece', 0.0):.3f}",
    )
    for column in ("confidence", "events", "mean confidence", "real"):
        table.add_column(column, justify="left" if column == "confidence" else "right")
    for row in details["calibration"]:
        table.add_row(row["bin"], str(row["count"]), f"{row['mean_confidence']:.3f}", f"{row['real']:.3f}")
    return table


def _print_notes(
    console: Console,
    card: Scorecard,
    verdicts: list[Verdict],
    check_floors: bool,
    written: Path | None,
    raise_floors: bool,
) -> None:
    for result in card.sets:
        if result.status != "ok" and result.detail:
            console.print(f"{result.key}: {result.detail}", markup=False, soft_wrap=True)
        elif result.details.get("summary"):
            console.print(f"{result.key}: {result.details['summary']}", markup=False, soft_wrap=True)
    if not card.data_dir_exists:
        console.print(
            f"[yellow]No benchmark data at {card.data_dir}[/]: pass --data-dir or set "
            "FLASHPOINT_BENCHMARKS to the benchmarks' raw directory."
        )
    if raise_floors:
        console.print(f"Floors raised in {written}." if written else "Floors unchanged.")
    if check_floors:
        failures = [v for v in verdicts if v.failed]
        checked = sum(v.status in ("ok", "below") for v in verdicts)
        if failures:
            console.print(f"[bold red]{len(failures)} floor check(s) failed:[/]")
            for v in failures:
                console.print(f"  {v}", markup=False)
        elif checked:
            console.print(f"[green]All {checked} checked scores are at or above their floors.[/]")
        else:
            console.print("[yellow]No score was checked against a floor.[/]")
