"""What every command of the command line shares: exit codes, the error line, option parsers,
and the event-filter options that build one :class:`~flashpoint.store.query.EventQuery`."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import click

from flashpoint.records import CERTAINTY_ORDER

EXIT_NOTHING = 1  # nothing could be done (or an error)
EXIT_PARTIAL = 3  # some inputs were skipped, the rest were analysed
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the main thread is, to stop a run the way Ctrl-C does."""


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM (kill, systemd, a container stopping) raises :class:`Terminated`,
    a ``KeyboardInterrupt``: the command stops as on Ctrl-C, keeping what it has committed.

    A signal that arrives while DuckDB runs a query interrupts the query, and DuckDB raises its
    own ``RuntimeError: Query interrupted`` in place of the handler's exception: after a signal,
    any other exception leaving the block is the interruption (and is chained to it)."""
    received: list[KeyboardInterrupt] = []

    def on_signal(signum: int, frame: Any) -> None:
        stop = Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
        received.append(stop)
        raise stop

    previous_term = signal.signal(signal.SIGTERM, on_signal)
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int is signal.default_int_handler:  # Ctrl-C as usual, but noted
        signal.signal(signal.SIGINT, on_signal)
    try:
        yield
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        if received:
            raise received[0] from exc
        raise
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


def stop_status(stop: KeyboardInterrupt) -> tuple[str, int]:
    """("terminated" | "interrupted", exit status) of a run stopped by SIGTERM or Ctrl-C."""
    return ("terminated", EXIT_TERMINATED) if isinstance(stop, Terminated) else ("interrupted", EXIT_INTERRUPTED)


def err(message: str) -> None:
    """The one-line error every command prints on standard error (file names and record ids
    come from the input: their escape sequences are dropped)."""
    from flashpoint.report.text import printable

    click.echo(f"flashpoint: {printable(message)}", err=True)


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A click callback for YYYY-MM-DD options."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


_QUERY_OPTIONS = ("actor", "type_", "since", "until", "min_certainty", "min_confidence", "min_sources", "dyad")


def query_options(*, sources: bool = True, dyad: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The filter options of every view of stored events, passed on as one ``query`` argument
    (an :class:`~flashpoint.store.query.EventQuery`); their meaning is the query's. ``dyad``
    adds ``--dyad`` (the analysis commands)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option("--actor", multiple=True, metavar="CODE",
                         help="Events with a source or target whose code starts with CODE: a "
                              "country (AZE), a country and sector (AZEGOV) or an organisation "
                              "(NATO). Repeat for any of several."),
            click.option("--type", "type_", multiple=True, metavar="TYPE",
                         help="PLOVER event type (ASSAULT, ACCUSE, …); repeat for any of several."),
            click.option("--since", callback=iso_date, metavar="YYYY-MM-DD",
                         help="Events whose date range ends on or after this day."),
            click.option("--until", callback=iso_date, metavar="YYYY-MM-DD",
                         help="Events whose date range starts on or before this day."),
            click.option("--min-certainty", type=click.Choice(CERTAINTY_ORDER), default=None,
                         help="Keep events at least this certain (asserted < attributed < future "
                              "< hedged < hypothetical < negated)."),
            click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="0-1",
                         help="Keep events of at least this confidence."),
        ]
        if sources:
            options.append(click.option(
                "--min-sources", type=click.IntRange(min=1), default=1, show_default=True,
                help="Only what at least this many independent articles reported."))
        if dyad:
            options.append(click.option(
                "--dyad", metavar="A-B|A>B", default=None,
                help="Events between A and B in either direction (A-B), or from A to B (A>B); A and B "
                     "match codes as --actor does."))
        for option in reversed(options):
            command = option(command)

        def wrapper(**kwargs: Any) -> Any:
            from flashpoint.store.query import EventQuery

            values = {name: kwargs.pop(name, None) for name in _QUERY_OPTIONS}
            kwargs["query"] = EventQuery(
                actors=tuple(values["actor"] or ()), types=tuple(values["type_"] or ()),
                since=values["since"], until=values["until"], min_certainty=values["min_certainty"],
                min_confidence=values["min_confidence"], min_sources=values["min_sources"] or 1,
                dyad=values["dyad"])
            return command(**kwargs)

        wrapper.__name__ = command.__name__
        wrapper.__doc__ = command.__doc__
        wrapper.__click_params__ = command.__click_params__  # type: ignore[attr-defined]
        del command.__click_params__  # type: ignore[attr-defined]
        return wrapper

    return decorate


def raw_csv_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--raw-csv``: CSV cells exactly as stored, without the quote that stops a spreadsheet
    from running a cell as a formula."""
    return click.option(
        "--raw-csv", is_flag=True,
        help="CSV: write cells exactly as stored. By default a text cell that starts with = + - @ "
             "gets a ' in front, so that a spreadsheet shows it instead of running it as a formula; "
             "use this for programs, not spreadsheets.")(command)


def _field_pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from flashpoint.inputs.documents import field_names

    pairs = []
    for value in values:
        name, sep, column = value.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not column:
            raise click.BadParameter(f"{value!r} is not NAME=COLUMN (e.g. published=fecha)")
        if name not in field_names():
            raise click.BadParameter(f"{name!r} is no field; map one of {', '.join(field_names())}")
        pairs.append((name, column))
    return tuple(pairs)


def field_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--field NAME=COLUMN``: a record field under a name Flashpoint does not know."""
    return click.option(
        "--field", "fields", multiple=True, metavar="NAME=COLUMN", callback=_field_pairs,
        help="JSON Lines / CSV: read the field NAME (id, text, html, title, url, author, published) "
             "from COLUMN; the usual names (date, pubdate, body, link …) are known. May be repeated.")(command)
