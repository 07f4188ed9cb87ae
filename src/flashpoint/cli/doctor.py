"""`flashpoint doctor`: the version, the language model, the data files and the stage table."""

from __future__ import annotations

import click

from flashpoint._version import __version__
from flashpoint.records import CERTAINTY_LABELS
from flashpoint.settings import Settings


@click.command()
@click.option("--stages", is_flag=True,
              help="Print which stage makes each field of the JSON contract, in pipeline order.")
def doctor(stages: bool) -> None:
    """Show the version, the language model in use and the data files."""
    from flashpoint.stages.parser import describe

    settings = Settings()
    if stages:
        from flashpoint.pipeline import field_producers

        for name, fields in field_producers(settings):
            click.echo(f"{name:<18} {', '.join(fields)}")
        return
    click.echo(f"flashpoint {__version__}")
    click.echo(f"model: {describe(settings.models)}")
    click.echo("model search order: " + ", ".join(settings.models))
    click.echo("certainty labels: " + ", ".join(CERTAINTY_LABELS))
