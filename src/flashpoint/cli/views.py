"""`flashpoint report` and `flashpoint serve`: the offline HTML report and the web dashboard."""

from __future__ import annotations

from pathlib import Path

import click

from flashpoint.cli.options import query_options
from flashpoint.store.query import EventQuery

_DB = click.Path(dir_okay=False, exists=True, path_type=Path)


@click.command("report")
@click.option("--db", required=True, type=_DB, help="The DuckDB database to report on (opened read-only).")
@query_options()
@click.option("--dyad", "dyads", multiple=True, metavar="AAA-BBB",
              help="A dyad to focus on (two actor codes, e.g. ARM-AZE); repeat for several. "
                   "Default: the most active dyads under the filters.")
@click.option("--top-dyads", type=click.IntRange(1, 50), default=3, show_default=True,
              help="How many of the most active dyads to focus on when no --dyad is given.")
@click.option("--top-incidents", type=click.IntRange(0, 500), default=15, show_default=True,
              help="How many incidents the top-incidents table lists, with their quotes.")
@click.option("--title", default="Flashpoint crisis report", show_default=True, help="The report's title.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (one self-contained file).")
def report_command(db: Path, query: EventQuery, dyads: tuple[str, ...], top_dyads: int, top_incidents: int,
                   title: str, output: Path) -> None:
    """Write one self-contained HTML report (no external request; printable) of a database."""
    from flashpoint.report.html import ReportOptions, write_report
    from flashpoint.store import Store

    options = ReportOptions(query=query, dyads=dyads, top_dyads=top_dyads, top_incidents=top_incidents, title=title)
    with Store(db, read_only=True) as store:
        path = write_report(store, options, output)
    click.echo(str(path))


@click.command("serve")
@click.option("--db", required=True, type=_DB, help="The DuckDB database to show (read-only unless --allow-writes).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default answers this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--allow-writes", is_flag=True,
              help="Open the database for writing and let 'analyse an article' store its analysis.")
def serve_command(db: Path, host: str, port: int, allow_writes: bool) -> None:
    """Serve the web dashboard and its JSON API on a database."""
    import uvicorn

    from flashpoint.web.app import WebSettings, create_app

    app = create_app(db, WebSettings(allow_writes=allow_writes))
    click.echo(f"flashpoint: serving {db} on http://{host}:{port}/ "
               f"({'read-write' if allow_writes else 'read-only'}; Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
