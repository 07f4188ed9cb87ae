"""`flashpoint import-events`: event data from elsewhere (GDELT, a generic CSV) into a store."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import-events")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The Flashpoint database to load into (created when missing).")
@click.option("--format", "fmt", type=click.Choice(("gdelt", "csv")), required=True,
              help="gdelt: GDELT 1.0/2.0 event exports (tab-separated, plain or .gz); csv: the generic CSV "
                   "(date, source, target, code, goldstein, url …; see the README).")
def import_events_command(paths: tuple[Path, ...], db: Path, fmt: str) -> None:
    """Load event rows from GDELT exports or a generic CSV into the store's tables, each row its own
    incident, so that dyads, escalation and network run on them."""
    from flashpoint.importers.events import import_events
    from flashpoint.store import Store

    with Store(db) as store:
        report = import_events(store, list(paths), fmt)  # type: ignore[arg-type]
    click.echo(f"{report.rows:,} rows: {report.events:,} events imported into {report.articles:,} articles; "
               f"{report.no_plover:,} without a PLOVER type (CAMEO 01x), {report.already:,} imported before",
               err=True)
