"""What every command of the command line shares: exit codes, the error line, option parsers."""

from __future__ import annotations

from datetime import date

import click

EXIT_NOTHING = 1  # nothing could be done (or an error)
EXIT_PARTIAL = 3  # some inputs were skipped, the rest were analysed
EXIT_INTERRUPTED = 130


def err(message: str) -> None:
    """The one-line error every command prints on standard error."""
    click.echo(f"flashpoint: {message}", err=True)


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A click callback for YYYY-MM-DD options."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None
