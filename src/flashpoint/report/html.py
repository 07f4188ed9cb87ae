"""`flashpoint report`: one self-contained HTML file an analyst can e-mail.

Everything is inside the file: the CSS inline, the charts as SVG rendered on the server
(:mod:`flashpoint.report.charts`), the network as an SVG drawing, no script, no font, no image
fetched from anywhere; links go to the articles' own (http/https) URLs and to anchors in the
file. The numbers come from :mod:`flashpoint.analysis.overview`; the methods appendix states the
rules and thresholds they rest on, read from the data files (:mod:`flashpoint.report.methods`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flashpoint._version import __version__
from flashpoint.analysis import overview
from flashpoint.errors import ReportError
from flashpoint.records import CERTAINTY_ORDER
from flashpoint.report import charts
from flashpoint.report.markup import environment
from flashpoint.report.methods import methods
from flashpoint.report.network_svg import network_svg
from flashpoint.store.query import EventQuery


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What the report covers: the filters, the focus dyads (none: the most active), how many
    dyads and incidents it shows, and its title."""

    query: EventQuery = EventQuery()
    dyads: tuple[str, ...] = ()
    top_dyads: int = 3
    top_incidents: int = 15
    title: str = "Flashpoint crisis report"


def filters_text(query: EventQuery) -> list[str]:
    """The filters of a query as an analyst reads them."""
    out = []
    if query.actors:
        out.append("actors " + ", ".join(query.actors))
    if query.types:
        out.append("types " + ", ".join(query.types))
    if query.since:
        out.append(f"since {query.since}")
    if query.until:
        out.append(f"until {query.until}")
    if query.min_certainty:
        out.append(f"at least {query.min_certainty}")
    if query.min_confidence is not None:
        out.append(f"confidence ≥ {query.min_confidence:g}")
    if query.min_sources > 1:
        out.append(f"≥ {query.min_sources} independent sources")
    return out


def report_context(store: Any, options: ReportOptions) -> dict[str, Any]:
    """Everything the report shows, as plain values (also what ``--format json`` would print)."""
    q = options.query
    keys = [overview.dyad_key(*overview.parse_dyad(k)) for k in options.dyads]
    if not keys:
        keys = [d["key"] for d in overview.active_dyads(store, q, limit=options.top_dyads)]
    # international incidents first, then as many domestic ones (overview.top_incidents says why)
    top = overview.top_incidents(store, q, limit=options.top_incidents, domestic=options.top_incidents)
    listed = {i["id"] for i in top}

    def href(incident: dict[str, Any]) -> str | None:
        return f"#incident-{incident['id']}" if incident["id"] in listed else None

    dyads = []
    for key in keys:
        timeline = overview.dyad_timeline(store, key, q)
        dyads.append({
            **timeline,
            "incident_count": len(timeline["incidents"]),
            "conflict": sum(d["conflict"] for d in timeline["days"]),
            "cooperation": sum(d["cooperation"] for d in timeline["days"]),
            "charts": [charts.to_svg(charts.incidents_spec(timeline["incidents"], href)),
                       charts.to_svg(charts.magnitude_spec(timeline["days"], timeline["escalation"])),
                       charts.to_svg(charts.certainty_spec(timeline["days"]))] if timeline["days"] else [],
        })
    graph = overview.signed_edges(store, q)
    split = overview.certainty_split(store, q)
    return {
        "title": options.title,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "database": os.path.basename(str(store.path)),
        "filters": filters_text(q),
        "summary": overview.store_summary(store, q),
        "actor_boxes": [overview.actor_overview(store, code, q) for code in q.actors],
        "dyads": dyads,
        "network": {**graph, "svg": network_svg(graph["edges"], graph["blocs"], title="Signed actor network")},
        "top_incidents": top,
        "scopes": {"international": "Between countries or organisations",
                   "domestic": "Domestic or one-sided (within one country or organisation, or one side unknown)"},
        "split": split,
        "split_svg": charts.to_svg(charts.split_spec(split)),
        "actors": store.actor_counts()[:40],
        "methods": methods(),
        "definitions": overview.__doc__,
        "certainty_order": CERTAINTY_ORDER,
        "groups": {"reported": overview.REPORTED, "speculated": overview.SPECULATED, "denied": overview.DENIED},
        "quad_names": overview.QUAD_NAMES,
    }


def render_report(store: Any, options: ReportOptions) -> str:
    """The report as one HTML document."""
    env = environment("flashpoint.report")
    return env.get_template("report.html.j2").render(**report_context(store, options))


def write_report(store: Any, options: ReportOptions, output: str | os.PathLike[str]) -> Path:
    """Write the report to ``output``; return its path."""
    html = render_report(store, options)
    path = Path(output)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot write the report: {exc.strerror}", source=str(path)) from exc
    return path
