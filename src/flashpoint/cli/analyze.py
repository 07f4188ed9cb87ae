"""`flashpoint analyze`: articles in, analyses out (text, JSON, JSON Lines), optionally stored.

Exit status: 0 when everything was analysed, 1 when nothing could be, 3 when some inputs were
skipped (the others were analysed and written), 2 for usage errors, 130 when interrupted and
143 when terminated by SIGTERM (what was stored with ``--db`` stays stored).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click
from rich.console import Console

from flashpoint.cli.options import EXIT_NOTHING, EXIT_PARTIAL, field_option, sigterm_as_interrupt, stop_status
from flashpoint.cli.options import err as _err
from flashpoint.cli.options import iso_date as _iso_date
from flashpoint.errors import FlashpointError
from flashpoint.inputs import clean as ingest
from flashpoint.records import CERTAINTY_ORDER, Analysis, Article
from flashpoint.report import text as render
from flashpoint.resources import data_file
from flashpoint.settings import Settings

_FORMATS = ("text", "json", "jsonl")
_INPUT_FORMATS = ("auto", "text", "markdown", "html", "jsonl")




def _samples() -> list[Path]:
    root = data_file("samples")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith((".txt", ".md")))


@click.command()
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
@click.option("--min-certainty", type=click.Choice(CERTAINTY_ORDER), default=None,
              help="Keep only events at least this certain (asserted < attributed < future < "
                   "hedged < hypothetical < negated).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="0-1",
              help="Keep only events of at least this confidence (0.6 keeps the reliable ones; "
                   "see docs/benchmarks.md).")
@field_option
def analyze(inputs: tuple[str, ...], sample: bool, published: date | None, fmt: str,
            input_format: str, db: Path | None, actor_files: tuple[Path, ...], min_certainty: str | None,
            min_confidence: float | None, fields: tuple[tuple[str, str], ...]) -> None:
    """Analyse news articles: actors, events, dates, places and certainty."""
    sources = [str(p) for p in _samples()] if sample else list(inputs)
    if not sources:
        raise click.UsageError("give a FILE, DIR or - for standard input (or --sample)")
    settings = Settings(actor_files=tuple(actor_files), fields=fields)
    from flashpoint.pipeline import Pipeline

    pipe = Pipeline(settings)
    store = None
    if db is not None:
        from flashpoint.store import Store

        store = Store(db)

    console = Console(highlight=False, soft_wrap=False)
    done = failed = 0
    analyses: list[Analysis] = []
    fmt_in = None if input_format == "auto" else input_format
    try:
        with sigterm_as_interrupt():
            for item in _analyses(pipe, sources, fmt_in, published, settings):
                if isinstance(item, Analysis):
                    done += 1
                    if min_certainty or min_confidence is not None:
                        item = item.filter_events(min_certainty=min_certainty, min_confidence=min_confidence)
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
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: what was stored stays stored
        how, status = stop_status(stop)
        kept = f"; the {done:,} analysed so far are in the database" if store is not None else ""
        _err(f"{how} after {done:,} articles{kept}")
        sys.exit(status)
    finally:  # a store failure stops the run (the group reports it): what was saved stays saved
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
                    yield doc.id, doc.origin, doc.error
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
