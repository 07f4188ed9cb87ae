"""The command line: a thin layer over the Python API with the same verbs.

One module per command group; each command parses its options and calls the library. Library
errors (:class:`~flashpoint.errors.FlashpointError`) become a one-line message and exit status 1
here, in the group, and nowhere else. Exit status: 0 when everything was done, 1 when nothing
could be (or an error), 3 when some inputs were skipped (the others were analysed), 2 for usage
errors, 130 when interrupted.
"""

from __future__ import annotations

from typing import Any

import click

from flashpoint._version import __version__
from flashpoint.cli.analysis import dyads_command, escalation_command, network_command
from flashpoint.cli.analyze import analyze
from flashpoint.cli.corpus import incidents_command, ingest_command
from flashpoint.cli.doctor import doctor
from flashpoint.cli.evaluate import eval_command
from flashpoint.cli.imports import import_events_command
from flashpoint.cli.options import EXIT_NOTHING, err
from flashpoint.cli.stored import actors, events
from flashpoint.cli.views import report_command, serve_command
from flashpoint.errors import FlashpointError


class _Group(click.Group):
    """The command group: translates library errors into the one-line message, once."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FlashpointError as exc:
            err(str(exc))
            ctx.exit(EXIT_NOTHING)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashpoint")
def cli() -> None:
    """Flashpoint: turn news into geopolitical event data."""


cli.add_command(analyze)
cli.add_command(events)
cli.add_command(actors)
cli.add_command(doctor)
cli.add_command(eval_command, "eval")
cli.add_command(ingest_command, "ingest")
cli.add_command(incidents_command, "incidents")
cli.add_command(report_command, "report")
cli.add_command(serve_command, "serve")
cli.add_command(dyads_command, "dyads")
cli.add_command(escalation_command, "escalation")
cli.add_command(network_command, "network")
cli.add_command(import_events_command, "import-events")


def main() -> None:
    cli(prog_name="flashpoint")
