"""`flashpoint events` and `flashpoint actors`: what the store holds, exported or listed."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from flashpoint.cli.options import query_options, raw_csv_option
from flashpoint.store.query import EventQuery


@click.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@query_options()
@click.option("--format", "fmt", type=click.Choice(("csv", "jsonl", "parquet")), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write here instead of standard output (required for parquet; a folder with "
                   "--partition-by).")
@click.option("--partition-by", type=click.Choice(("month",)), default=None,
              help="Write parquet as a dataset folder with one month=YYYY-MM part per month.")
@raw_csv_option
def events(db: Path, query: EventQuery, fmt: str, output: Path | None, partition_by: str | None,
           raw_csv: bool) -> None:
    """Export stored events as flat rows (one per event, source and target)."""
    from flashpoint.store import Store

    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs --output FILE")
    if partition_by and fmt != "parquet":
        raise click.UsageError("--partition-by needs --format parquet")
    with Store(db, read_only=True) as store:
        store.export(output if output is not None else sys.stdout, fmt, query,  # type: ignore[arg-type]
                     partition_by=partition_by, escape_formulas=not raw_csv)  # type: ignore[arg-type]


@click.group(invoke_without_command=True)
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

    with Store(db, read_only=True) as store:
        rows = store.actor_counts()
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

    for path, count in convert(paths, out_dir):
        click.echo(f"{path}: {count} entries")
