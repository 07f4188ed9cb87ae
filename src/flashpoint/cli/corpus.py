"""`flashpoint ingest` and `flashpoint incidents`: corpora at scale, over :mod:`flashpoint.ingest`.

Exit status of ``ingest``: 0 when every document was analysed (or had been by an earlier run),
3 when some were skipped (recorded in the ``skipped`` table) and the rest stored, 1 when
nothing could be analysed or the run had to stop, 130 when interrupted (run it again to
resume), 143 when terminated by SIGTERM (run it again to resume too), 2 for usage errors.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from flashpoint.cli.options import (
    EXIT_NOTHING,
    EXIT_PARTIAL,
    field_option,
    query_options,
    raw_csv_option,
    sigterm_as_interrupt,
    stop_status,
)
from flashpoint.cli.options import err as _err
from flashpoint.cli.options import iso_date as _iso_date
from flashpoint.store.export import safe_cell
from flashpoint.store.query import EventQuery

_INPUT_FORMATS = ("auto", "text", "markdown", "html", "jsonl", "csv")




def _rules(path: Path | None):
    from flashpoint.ingest.run import load_rules

    return load_rules(path)


class _Progress:
    """A live line on a terminal; one log line per batch with --verbose; silence otherwise."""

    def __init__(self, live: bool, verbose: bool) -> None:
        self.verbose = verbose
        self.bar = None
        if live:
            from rich.console import Console
            from rich.progress import (
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=False)
            self.task = self.bar.add_task("starting the workers…", total=None)
            self.bar.start()

    def __call__(self, report: Any) -> None:
        line = (f"{report.analysed + report.copies:,} articles ({report.articles_per_second:.1f}/s), "
                f"{report.events:,} events, {report.duplicates:,} near-duplicates, "
                f"{report.skipped:,} skipped, {report.done_before:,} done before")
        if self.bar is not None:
            self.bar.update(self.task, description=line)
        if self.verbose:
            click.echo(f"flashpoint: committed batch {report.batches}: {line}", err=True)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command("ingest")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="DuckDB database to fill (created on first use).")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Local worker processes, each loading the model once.")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run on this Dask cluster instead of local processes.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Documents per batch: the unit of work and of commit.")
@click.option("--resume/--restart", default=True, show_default=True,
              help="Skip documents an earlier run finished, or forget them and analyse everything "
                   "again (stored articles are replaced).")
@click.option("--input-format", type=click.Choice(_INPUT_FORMATS), default="auto", show_default=True,
              help="How to read the inputs; auto goes by file extension.")
@click.option("--published", callback=_iso_date, metavar="YYYY-MM-DD",
              help="Publication date of every document (overrides metadata and datelines).")
@click.option("--rules", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="TOML file overriding the [dedup] and [incidents] settings.")
@click.option("--incidents/--no-incidents", default=True, show_default=True,
              help="Rebuild the incidents at the end of the run.")
@click.option("--progress/--no-progress", default=None,
              help="Show a live progress line (default: when standard error is a terminal).")
@click.option("--verbose", "-v", is_flag=True, help="Log every committed batch on standard error.")
@field_option
def ingest_command(sources: tuple[str, ...], db: Path, workers: int, scheduler: str | None,
                   batch_size: int, resume: bool, input_format: str, published: date | None,
                   rules: Path | None, incidents: bool, progress: bool | None, verbose: bool,
                   fields: tuple[tuple[str, str], ...]) -> None:
    """Analyse a corpus into a database, resumably: files, directories, globs, JSON Lines and CSV
    (gzip too). Near-duplicate articles are linked to their originals and events reporting the
    same happening are merged into incidents."""
    from flashpoint.ingest.run import IngestOptions, ingest
    from flashpoint.settings import Settings

    dedup_rules, incident_rules = _rules(rules)
    options = IngestOptions(
        workers=workers, scheduler=scheduler, batch_size=batch_size, resume=resume,
        input_format=None if input_format == "auto" else input_format, published=published,
        incidents=incidents, dedup=dedup_rules, incident_rules=incident_rules)
    live = sys.stderr.isatty() if progress is None else progress
    show = _Progress(live, verbose)
    # SIGTERM (kill, systemd, a container stopping) ends the run as Ctrl-C does: the workers
    # are stopped, the committed batches kept, a message says so; exit status 143 (128 + 15)
    try:
        with sigterm_as_interrupt():
            report = ingest(sources, db, settings=Settings(fields=fields), options=options, on_batch=show)
    except KeyboardInterrupt as stop:
        show.stop()
        how, status = stop_status(stop)
        _err(f"{how}; the batches committed so far are kept: run the same command again to resume")
        sys.exit(status)
    finally:  # a library error is reported by the command group, after the progress line
        show.stop()
    incidents_note = f", {report.incidents:,} incidents" if report.incidents is not None else ""
    click.echo(
        f"flashpoint: {report.documents:,} documents in {report.seconds:.1f} s: {report.analysed:,} "
        f"articles stored ({report.events:,} events), {report.copies:,} copies, "
        f"{report.duplicates:,} near-duplicates, {report.skipped:,} skipped, "
        f"{report.done_before:,} done before{incidents_note}", err=True)
    if report.undated and published is None:
        _err(f"{report.undated:,} of {report.analysed:,} articles stored have no publication date, so "
             "events without a date in their text are undated; if the records have a date under "
             "another name, map it: --field published=COLUMN (or give --published YYYY-MM-DD)")
    if report.skipped:
        ok = report.analysed + report.copies + report.done_before
        sys.exit(EXIT_PARTIAL if ok else EXIT_NOTHING)


_TABLE_COLUMNS = ("id", "first_date", "type", "source_codes", "target_codes", "location_name",
                  "source_count", "reports", "certainty")


@click.command("incidents")
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@query_options()
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="At most this many incidents (the most reported first with --sort sources).")
@click.option("--sort", type=click.Choice(("date", "sources")), default="date", show_default=True,
              help="By date, or by the number of independent sources (most first).")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "jsonl")), default="table",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
@click.option("--rebuild", is_flag=True, help="Recompute the incidents first (after changing --rules).")
@click.option("--rules", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="TOML file overriding the [incidents] settings, for --rebuild.")
@raw_csv_option
def incidents_command(db: Path, query: EventQuery, limit: int | None, sort: str, fmt: str,
                      output: Path | None, rebuild: bool, rules: Path | None, raw_csv: bool) -> None:
    """List incidents: events from different articles that report the same happening, with their
    number of independent sources, outlets, first and last report and strongest certainty."""
    from flashpoint.analysis import incidents
    from flashpoint.store import Store

    _, incident_rules = _rules(rules)
    with Store(db, read_only=not rebuild) as store:
        if rebuild:
            incidents.rebuild(store, incident_rules)
        rows = incidents.listing(store, query, limit=limit, sort=sort)
    out = output.open("w", encoding="utf-8", newline="") if output else None
    try:
        _write_incidents(rows, fmt, out, escape_formulas=not raw_csv)
    finally:
        if out:
            out.close()


def _write_incidents(rows: list[dict[str, Any]], fmt: str, out: Any, *, escape_formulas: bool = True) -> None:
    if fmt == "jsonl":
        stream = out or sys.stdout
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out or sys.stdout, lineterminator="\n")
        columns = list(rows[0]) if rows else list(_TABLE_COLUMNS)
        writer.writerow(columns)
        cell = safe_cell if escape_formulas else (lambda v: v)
        for row in rows:
            writer.writerow(cell(";".join(v) if isinstance(v, list) else ("" if v is None else v))
                            for v in row.values())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None)
    for name in ("incident", "dates", "type", "source", "target", "place", "sources", "reports", "certainty"):
        table.add_column(name, no_wrap=name != "place")
    for row in rows:
        first, last = row["first_date"], row["last_date"]
        dates = "" if first is None else str(first) if first == last else f"{first}…{str(last)[5:]}"
        table.add_row(row["id"], dates, row["type"], ",".join(row["source_codes"][:3]),
                      ",".join(row["target_codes"][:3]), row["location_name"] or "",
                      str(row["source_count"]), str(row["reports"]), row["certainty"])
    console = Console(file=out, highlight=False)
    if out is not None or not console.is_terminal:
        console.width = max(console.width, 140)  # files and pipes: no wrapping at 80 columns
    console.print(table)
