"""The command line: a thin layer over the Python API with the same verbs.

Library errors (:class:`~flashpoint.errors.FlashpointError`) become one-line messages here and
nowhere else. Exit status: 0 when everything was analysed, 1 when nothing could be, 3 when
some inputs were skipped (the others were analysed and written), 2 for usage errors.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click
from rich.console import Console

from flashpoint._version import __version__
from flashpoint.cli.corpus import incidents_command, ingest_command
from flashpoint.cli.evaluate import eval_command
from flashpoint.cli.options import EXIT_NOTHING, EXIT_PARTIAL
from flashpoint.cli.options import err as _err
from flashpoint.cli.options import iso_date as _iso_date
from flashpoint.errors import FlashpointError
from flashpoint.inputs import clean as ingest
from flashpoint.records import CERTAINTY_LABELS, Analysis, Article
from flashpoint.report import text as render
from flashpoint.resources import data_file
from flashpoint.settings import Settings

_FORMATS = ("text", "json", "jsonl")
_INPUT_FORMATS = ("auto", "text", "markdown", "html", "jsonl")
# The order in which --min-certainty admits labels: each label admits itself and those before.
_CERTAINTY_ORDER = ("asserted", "attributed", "future", "hedged", "hypothetical", "negated")




def _samples() -> list[Path]:
    root = data_file("samples")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith((".txt", ".md")))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashpoint")
def cli() -> None:
    """Flashpoint: turn news into geopolitical event data."""


@cli.command()
@click.argument("inputs", nargs=-1, metavar="[FILE|DIR|-]...")
@click.option("--sample", is_flag=True, help="Analyse the sample articles bundled with Flashpoint.")
@click.option("--published", callback=_iso_date, metavar="YYYY-MM-DD",
              help="Publication date (overrides metadata and datelines).")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True)
@click.option("--input-format", type=click.Choice(_INPUT_FORMATS), default="auto", show_default=True,
              help="How to read the inputs; auto goes by file extension.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
              help="Also store the analyses in this DuckDB database.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra actor dictionary (CSV, e.g. my.leaders.csv); may be repeated.")
@click.option("--min-certainty", type=click.Choice(_CERTAINTY_ORDER), default=None,
              help="Keep only events at least this certain (asserted < attributed < future < "
                   "hedged < hypothetical < negated).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="0-1",
              help="Keep only events of at least this confidence (0.6 keeps the reliable ones; "
                   "see docs/benchmarks.md).")
def analyze(inputs: tuple[str, ...], sample: bool, published: date | None, fmt: str,
            input_format: str, db: Path | None, actor_files: tuple[Path, ...], min_certainty: str | None,
            min_confidence: float | None) -> None:
    """Analyse news articles: actors, events, dates, places and certainty."""
    sources = [str(p) for p in _samples()] if sample else list(inputs)
    if not sources:
        raise click.UsageError("give a FILE, DIR or - for standard input (or --sample)")
    settings = Settings(actor_files=tuple(actor_files))
    try:
        from flashpoint.pipeline import Pipeline

        pipe = Pipeline(settings)
    except FlashpointError as exc:
        _err(str(exc))
        sys.exit(EXIT_NOTHING)

    store = None
    if db is not None:
        from flashpoint.store import Store

        try:
            store = Store(db)
        except FlashpointError as exc:
            _err(str(exc))
            sys.exit(EXIT_NOTHING)

    console = Console(highlight=False, soft_wrap=False)
    done = failed = 0
    analyses: list[Analysis] = []
    fmt_in = None if input_format == "auto" else input_format
    try:
        for item in _analyses(pipe, sources, fmt_in, published, settings):
            if isinstance(item, Analysis):
                done += 1
                if min_certainty:
                    item = _filter_certainty(item, min_certainty)
                if min_confidence is not None:
                    item = _filter_confidence(item, min_confidence)
                if store is not None:
                    store.save(item)
                if fmt == "jsonl":
                    click.echo(render.to_json(item, indent=None))
                elif fmt == "json":
                    analyses.append(item)
                else:
                    if done > 1:
                        console.rule()
                    render.summary(item, console, model=pipe.model_name)
            else:
                failed += 1
                record_id, origin, exc = item
                _err(f"skipped {exc}")
                if store is not None:
                    store.record_skipped(origin, exc.code, exc.message)
                if fmt == "jsonl":
                    click.echo(json.dumps(render.failure_record(record_id, exc.code, str(exc)), ensure_ascii=False))
    except FlashpointError as exc:  # a store failure: stop, what was saved stays saved
        _err(str(exc))
        sys.exit(EXIT_NOTHING)
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        if len(analyses) == 1:
            click.echo(render.to_json(analyses[0]))
        elif analyses:
            click.echo(json.dumps([a.to_dict() for a in analyses], ensure_ascii=False, indent=2))
    if done == 0:
        sys.exit(EXIT_NOTHING)
    if failed:
        sys.exit(EXIT_PARTIAL)


def _analyses(pipe, sources: list[str], fmt: str | None, published: date | None, settings: Settings
              ) -> Iterator[Analysis | tuple[str | None, str, FlashpointError]]:
    """Analyses in input order, and (record id, origin, error) for what could not be read."""

    def articles() -> Iterator[tuple[Article, str | None] | tuple[str | None, str, FlashpointError]]:
        for source in sources:
            for doc in ingest.iter_documents(source, input_format=fmt, settings=settings):
                if isinstance(doc, ingest.Failure):
                    yield None, doc.origin, doc.error
                    continue
                try:
                    yield ingest.to_article(doc, published=published, settings=settings), doc.id
                except FlashpointError as exc:
                    if exc.source is None:
                        exc.source = doc.origin
                    yield doc.id, doc.origin, exc

    pending: list[tuple[Article, str | None]] = []
    for item in articles():
        if len(item) == 3:  # a failure: flush what came before so output keeps input order
            yield from _flush(pipe, pending)
            pending = []
            yield item  # type: ignore[misc]
        else:
            pending.append(item)  # type: ignore[arg-type]
            if len(pending) >= settings.batch_size:
                yield from _flush(pipe, pending)
                pending = []
    yield from _flush(pipe, pending)


def _flush(pipe, pending: list[tuple[Article, str | None]]):
    for result in pipe.analyze_many(pending):
        if isinstance(result, Analysis):
            yield result
        else:
            record_id, exc = result
            yield record_id, record_id or "?", exc


def _filter_certainty(analysis: Analysis, minimum: str) -> Analysis:
    from dataclasses import replace

    allowed = set(_CERTAINTY_ORDER[: _CERTAINTY_ORDER.index(minimum) + 1])
    return replace(analysis, events=tuple(e for e in analysis.events if e.certainty.label in allowed))


def _filter_confidence(analysis: Analysis, minimum: float) -> Analysis:
    from dataclasses import replace

    return replace(analysis, events=tuple(e for e in analysis.events if e.confidence >= minimum))


@cli.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--actor", help="Actor code prefix, country or organisation (AZE, AZEGOV, NATO).")
@click.option("--type", "type_", help="PLOVER event type (ASSAULT, ACCUSE, …).")
@click.option("--since", callback=_iso_date, metavar="YYYY-MM-DD")
@click.option("--until", callback=_iso_date, metavar="YYYY-MM-DD")
@click.option("--format", "fmt", type=click.Choice(("csv", "jsonl", "parquet")), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write here instead of standard output (required for parquet; a folder with "
                   "--partition-by).")
@click.option("--partition-by", type=click.Choice(("month",)), default=None,
              help="Write parquet as a dataset folder with one month=YYYY-MM part per month.")
def events(db: Path, actor: str | None, type_: str | None, since: date | None, until: date | None,
           fmt: str, output: Path | None, partition_by: str | None) -> None:
    """Export stored events as flat rows (one per event, source and target)."""
    from flashpoint.store import Store

    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs --output FILE")
    if partition_by and fmt != "parquet":
        raise click.UsageError("--partition-by needs --format parquet")
    try:
        with Store(db, read_only=True) as store:
            store.export(output if output is not None else sys.stdout, fmt,
                         actor=actor, type=type_, since=since, until=until,
                         partition_by=partition_by)  # type: ignore[arg-type]
    except FlashpointError as exc:
        _err(str(exc))
        sys.exit(EXIT_NOTHING)


@cli.group(invoke_without_command=True)
@click.option("--db", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="List the actors stored in this database.")
@click.pass_context
def actors(ctx: click.Context, db: Path | None) -> None:
    """List stored actors (--db), or convert actor dictionaries (import-phoenix)."""
    if ctx.invoked_subcommand is not None:
        return
    if db is None:
        raise click.UsageError("give --db FILE to list stored actors, or a subcommand (import-phoenix)")
    from rich.table import Table

    from flashpoint.store import Store

    try:
        with Store(db, read_only=True) as store:
            rows = store.actor_counts()
    except FlashpointError as exc:
        _err(str(exc))
        sys.exit(EXIT_NOTHING)
    table = Table("key", "name", "country", "org", "sector", "mentions", "articles", box=None)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


@actors.command("import-phoenix")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the converted CSV files.")
def import_phoenix(paths: tuple[Path, ...], out_dir: Path) -> None:
    """Convert PETRARCH/Phoenix actor and agent dictionaries into Flashpoint's CSV files.

    Use the written files with `flashpoint analyze --actors FILE`.
    """
    from flashpoint.importers.phoenix import convert

    try:
        written = convert(paths, out_dir)
    except FlashpointError as exc:
        _err(str(exc))
        sys.exit(EXIT_NOTHING)
    for path, count in written:
        click.echo(f"{path}: {count} entries")


@cli.command()
def doctor() -> None:
    """Show the version, the language model in use and the data files."""
    from flashpoint.stages.parser import describe

    settings = Settings()
    click.echo(f"flashpoint {__version__}")
    try:
        click.echo(f"model: {describe(settings.models)}")
    except FlashpointError as exc:
        _err(str(exc))
        sys.exit(EXIT_NOTHING)
    click.echo("model search order: " + ", ".join(settings.models))
    click.echo("certainty labels: " + ", ".join(CERTAINTY_LABELS))


cli.add_command(eval_command, "eval")
cli.add_command(ingest_command, "ingest")
cli.add_command(incidents_command, "incidents")


def main() -> None:
    cli(prog_name="flashpoint")
