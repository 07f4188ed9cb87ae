"""What each dashboard page shows, as plain data: the HTML page renders it, the JSON API
returns it. Every number comes from :mod:`flashpoint.analysis`; only links and chart specs
(:mod:`flashpoint.report.charts`) are added here."""

from __future__ import annotations

from typing import Any

from flashpoint.analysis import overview
from flashpoint.analysis.incidents import listing
from flashpoint.analysis.stored_escalation import states
from flashpoint.errors import NotFoundError
from flashpoint.report import charts
from flashpoint.store.query import EventQuery
from flashpoint.web.filters import query_string
from flashpoint.web.pool import StorePool

LABELLED_DYADS = 8  # dyads of the overview whose escalation label is computed


def _suffix(query: EventQuery) -> str:
    qs = query_string(query)
    return f"?{qs}" if qs else ""


def overview_page(pool: StorePool, query: EventQuery) -> dict[str, Any]:
    """Active dyads (the first with their escalation label, peak and alerts), the most reported
    incidents (international ones first, then domestic ones), what is reported vs speculated."""

    def compute(store: Any) -> dict[str, Any]:
        dyads = overview.active_dyads(store, query, limit=20)
        alerts = []
        labelled = states(store, [d["key"] for d in dyads[:LABELLED_DYADS]], query)
        for d in dyads[:LABELLED_DYADS]:
            esc = labelled[d["key"]]
            d["label"], d["rule"], d["peak"] = esc["label"], esc["rule"], esc["peak"]
            alerts += [{"dyad": d["key"], **a} for a in esc["alerts"]]
        return {"summary": overview.store_summary(store, query), "dyads": dyads,
                "alerts": sorted(alerts, key=lambda a: a["period"], reverse=True),
                "incidents": overview.top_incidents(store, query, limit=10, quotes=1, domestic=10),
                "split": overview.certainty_split(store, query)}

    return pool.cached(("overview", query), compute)


def dyad_page(pool: StorePool, key: str, query: EventQuery) -> dict[str, Any]:
    """A dyad's timeline, escalation and incidents, with the three chart specs (marks link to
    the incident pages)."""
    key = overview.dyad_key(*overview.parse_dyad(key))
    suffix = _suffix(query)
    timeline = pool.cached(("dyad", key, query), lambda store: overview.dyad_timeline(store, key, query))
    if not timeline["incidents"]:
        raise NotFoundError(f"no incident between {timeline['a']} and {timeline['b']} under these filters")
    specs = {
        "incidents": charts.incidents_spec(timeline["incidents"], lambda i: f"/incident/{i['id']}{suffix}"
                                           if i["stored"] else None),
        "magnitude": charts.magnitude_spec(timeline["days"], timeline["escalation"]),
        "certainty": charts.certainty_spec(timeline["days"]),
    }
    return {**timeline, "charts": specs}


def actor_page(pool: StorePool, code: str, query: EventQuery) -> dict[str, Any]:
    """An actor's events by type and certainty, its dyads and most reported incidents."""
    data = pool.cached(("actor", code.upper(), query), lambda store: overview.actor_overview(store, code, query))
    if not data["events"] and not data["names"]:
        raise NotFoundError(f"no actor {code.upper()!r} in this database")
    return data


def incident_page(pool: StorePool, incident_id: str) -> dict[str, Any]:
    """An incident, its events, their quotes with the spans to highlight, their articles."""
    data = pool.cached(("incident", incident_id), lambda store: overview.incident_detail(store, incident_id))
    if data is None:
        raise NotFoundError(f"no incident {incident_id!r}")
    return data


def network_page(pool: StorePool, query: EventQuery) -> dict[str, Any]:
    """The signed network: its heaviest edges, blocs, balance (``analysis/network.py``)."""
    return pool.cached(("network", query), lambda store: overview.signed_edges(store, query))


def incidents_page(pool: StorePool, query: EventQuery, limit: int = 100) -> dict[str, Any]:
    """Incidents under the filters, most reported first."""
    return pool.cached(("incidents", query, limit),
                       lambda store: {"incidents": listing(store, query, limit=limit, sort="sources")})
