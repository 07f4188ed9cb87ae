"""`flashpoint dyads`, `flashpoint escalation` and `flashpoint network`: the analysis layer over
a store. Each command parses its options, calls one function of :mod:`flashpoint.analysis`
and writes the rows it returns in the format asked for."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from flashpoint.cli.options import query_options
from flashpoint.store.query import EventQuery

_DB = click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
                   help="The Flashpoint database to read.")
_OUTPUT = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write here instead of standard output.")
_ROWS = click.option("--format", "fmt", type=click.Choice(("table", "csv", "jsonl", "json")), default="table",
                     show_default=True, help="A table to read, or rows for other tools.")
_DIRECTED = click.option("--directed/--undirected", default=False, show_default=True,
                         help="Keep source → target apart (ARM>AZE and AZE>ARM), or merge both directions.")
_UNIT = click.option("--unit", type=click.Choice(("incidents", "events")), default=None,
                     help="What one count is (default: [units] of dyads.toml, incidents).")
_DYAD_RULES = click.option("--dyad-rules", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                           help="A dyads.toml to use instead of the shipped one (certainty weights, volume).")


@contextmanager
def _stream(output: Path | None) -> Iterator[IO[str]]:
    if output is None:
        yield sys.stdout
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        yield out


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_rows(rows: list[dict[str, Any]], fmt: str, out: IO[str], table_columns: tuple[str, ...],
                document: Any = None) -> None:
    """Rows as csv, jsonl, json (``document`` when given, else the list) or a rich table."""
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "json":
        out.write(json.dumps(rows if document is None else document, ensure_ascii=False, indent=1, default=str)
                  + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        columns = list(rows[0]) if rows else list(table_columns)
        writer.writerow(columns)
        writer.writerows([_cell(row[c]) for c in columns] for row in rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*table_columns, box=None)
        for row in rows:
            table.add_row(*(_short(row.get(c)) for c in table_columns))
        console = Console(file=out, highlight=False)
        if out is not sys.stdout or not console.is_terminal:
            console.width = max(console.width, 160)
        console.print(table)


def _short(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return f"{len(value)}"
    return "" if value is None else str(value)


# -- dyads -------------------------------------------------------------------------------------

_DYAD_TABLE = ("dyad", "period", "incidents", "events", "sources", "articles", "conflict", "cooperation", "net",
               "conflict_signalled", "negated", "article_share")


@click.command("dyads")
@_DB
@query_options(dyad=True)
@click.option("--period", type=click.Choice(("day", "week", "month")), default="day", show_default=True,
              help="One row per dyad and day, ISO week (from Monday) or month.")
@_DIRECTED
@_UNIT
@_DYAD_RULES
@_ROWS
@_OUTPUT
def dyads_command(db: Path, query: EventQuery, period: str, directed: bool, unit: str | None,
                  dyad_rules: Path | None, fmt: str, output: Path | None) -> None:
    """Dyad timelines: per dyad and period, incidents, events, sources, articles, counts by QuadClass
    and PLOVER type, conflict and cooperation magnitudes (by certainty channel) and their shares
    of the period's articles."""
    from flashpoint.analysis.dyads import DyadRules, timeline
    from flashpoint.store import Store

    rules = DyadRules.load(dyad_rules)
    with Store(db, read_only=True) as store:
        result = timeline(store, query, period=period, directed=directed, unit=unit, rules=rules)  # type: ignore[arg-type]
    rows = [{"dyad": r.dyad, **r.to_dict()} for r in result.rows]
    with _stream(output) as out:
        _write_rows(rows, fmt, out, _DYAD_TABLE)
    if result.coarse_events and fmt == "table":
        click.echo(f"{result.coarse_events:,} events left out: undated or dated coarser than a {period}", err=True)


# -- escalation --------------------------------------------------------------------------------

_ESCALATION_TABLE = ("key", "period", "label", "rule", "item_ids")


@click.command("escalation")
@_DB
@query_options(dyad=True)
@click.option("--by", type=click.Choice(("dyad", "actor")), default="dyad", show_default=True,
              help="One series per dyad, or per actor (the sum of its dyads).")
@click.option("--period", type=click.Choice(("day", "week")), default=None,
              help="The series' period (default: the rules' own: day for wire, week for articles).")
@_DIRECTED
@_UNIT
@click.option("--min-events", type=click.IntRange(min=0), default=None,
              help="Test only keys with at least this many events (default: the rules' [series], else "
                   "[escalation] of dyads.toml, 50).")
@click.option("--show", type=click.Choice(("labels", "alerts", "phases")), default="labels", show_default=True,
              help="Period labels (risk alert, deteriorated, improved), the risk alerts after the cooldown, "
                   "or the phase changes.")
@click.option("--every-period", is_flag=True,
              help="Label every period, unchanged and no data included (with --show labels).")
@click.option("--rules", default="auto", show_default=True, metavar="auto|wire|articles|FILE",
              help="The rules: chosen by the store's volume (auto), a shipped preset (wire: daily, news-wire "
                   "volumes; articles: weekly, corpora of articles), or an escalation.toml file.")
@_DYAD_RULES
@_ROWS
@_OUTPUT
def escalation_command(db: Path, query: EventQuery, by: str, period: str | None, directed: bool, unit: str | None,
                       min_events: int | None, show: str, every_period: bool, rules: str,
                       dyad_rules: Path | None, fmt: str, output: Path | None) -> None:
    """Escalation: risk alerts, period labels and phase changes per dyad or actor, each stating the
    rule that fired with its numbers and the incidents behind it."""
    from flashpoint.analysis.dyads import DyadRules
    from flashpoint.analysis.escalation import EscalationRules
    from flashpoint.analysis.stored_escalation import choose_rules, escalation
    from flashpoint.store import Store

    with Store(db, read_only=True) as store:
        if rules == "auto":
            chosen, why = choose_rules(store, query)
        else:
            chosen, why = EscalationRules.load(rules), "--rules"
        result = escalation(store, query, period=period, directed=directed, by=by, unit=unit,  # type: ignore[arg-type]
                            min_events=min_events, every_period=every_period,
                            rules=chosen, dyad_rules=DyadRules.load(dyad_rules))
    rows = result.to_dicts(show)
    document = {"keys": result.keys, "period": result.period, "by": result.by, "rules": result.rules,
                **{kind: result.to_dicts(kind) for kind in ("alerts", "labels", "phases")}}
    columns = _ESCALATION_TABLE if show != "phases" else ("key", "channel", "period", "before", "after", "rule")
    with _stream(output) as out:
        _write_rows(rows, fmt, out, columns, document)
    if fmt == "table":
        click.echo(f"rules {result.rules} ({why}), {result.period}s; {result.keys:,} {by}s tested; "
                   f"{len(result.alerts):,} alerts, {len(result.labels):,} labels, "
                   f"{len(result.phases):,} phase changes", err=True)


# -- network -----------------------------------------------------------------------------------


@click.command("network")
@_DB
@query_options(dyad=True)
@click.option("--half-life", type=click.FloatRange(min=0, min_open=True), default=None, metavar="DAYS",
              help="Days over which an incident's weight halves (default: network.toml, 30).")
@click.option("--rules", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A network.toml to use instead of the shipped one (half-life, neutral band, bloc search).")
@_DYAD_RULES
@click.option("--format", "fmt", type=click.Choice(("graphml", "gexf", "json", "csv")), default="json",
              show_default=True, help="A graph file, the whole network as JSON, or the edge table as CSV.")
@_OUTPUT
def network_command(db: Path, query: EventQuery, half_life: float | None, rules: Path | None,
                    dyad_rules: Path | None, fmt: str, output: Path | None) -> None:
    """The signed actor network of a window (--since/--until): cooperation positive, conflict
    negative, incidents decayed by age; balance, blocs and every edge's incidents."""
    from dataclasses import replace

    from flashpoint.analysis import _graph_formats
    from flashpoint.analysis.dyads import DyadRules
    from flashpoint.analysis.network import NetworkRules, network
    from flashpoint.store import Store

    net_rules = NetworkRules.load(rules)
    if half_life is not None:
        net_rules = replace(net_rules, half_life_days=half_life)
    with Store(db, read_only=True) as store:
        net = network(store, query, rules=net_rules, dyad_rules=DyadRules.load(dyad_rules))
    with _stream(output) as out:
        _graph_formats.write(net, out, fmt)
    if output is not None:
        share = "n/a" if math.isnan(net.balance.share) else f"{net.balance.share:.2f}"
        blocs = len({n.bloc for n in net.nodes})
        click.echo(f"{len(net.nodes):,} actors, {len(net.edges):,} edges, {blocs} blocs, "
                   f"balance {share} of {net.balance.triangles:,} signed triangles", err=True)
