"""Vega-Lite specs of the report's and the dashboard's charts, and their SVG rendering.

One spec per chart, built from the rows of :mod:`flashpoint.analysis.overview`: the report
renders it to SVG on the server with vl-convert (the renderer ships in its wheel, so the file
needs no JavaScript), the dashboard hands the same spec to vega-embed in the browser. A mark
links to its incident through the ``href`` field: ``#incident-ID`` in the report (only for
incidents the report lists), ``/incident/ID`` in the dashboard.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from flashpoint.analysis.overview import QUAD_NAMES
from flashpoint.records import CERTAINTY_ORDER

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# QuadClass colours: cooperation green, conflict red, verbal lighter than material.
QUAD_COLOURS = {1: "#8fd19e", 2: "#2f9e44", 3: "#f4a261", 4: "#c92a2a"}
CERTAINTY_COLOURS = {"asserted": "#1c7ed6", "attributed": "#74c0fc", "future": "#b197fc",
                     "hedged": "#ffd43b", "hypothetical": "#ffa94d", "negated": "#868e96"}
WIDTH = 640

Href = Callable[[dict[str, Any]], str | None]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _base(title: str, height: int) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": {"text": title, "anchor": "start", "fontSize": 13},
            "width": WIDTH, "height": height, "config": {"view": {"stroke": None}, "font": "sans-serif"}}


def _count_axis(heights: list[int]) -> dict[str, Any]:
    """Whole-number ticks for a count axis (Vega would tick 0.5 on small counts)."""
    top = max(heights, default=1)
    return {"values": list(range(0, top + 1)), "format": "d"} if top <= 8 else {"format": "d"}


def _quad_label(q: int) -> str:
    return f"{q} {QUAD_NAMES[q]}"


def incidents_spec(incidents: list[dict[str, Any]], href: Href) -> dict[str, Any]:
    """Incidents per day stacked by QuadClass: one bar segment per incident, linked to it."""
    values = [
        {"date": _iso(i["date"]), "n": 1, "quad": _quad_label(i["quad_class"]), "type": i["type"],
         "certainty": i["certainty"], "sources": i["sources"], "id": i["id"], "href": href(i)}
        for i in incidents if i["day_dated"] and i["date"] is not None
    ]
    spec = _base("Incidents per day by QuadClass (click a bar for the incident)", 140)
    spec.update(
        data={"values": values},
        mark={"type": "bar", "cursor": "pointer", "stroke": "white", "strokeWidth": 0.5},
        encoding={
            "x": {"field": "date", "type": "temporal", "timeUnit": "yearmonthdate", "title": None,
                  "axis": {"format": "%Y-%m-%d", "labelAngle": 0}},
            "y": {"field": "n", "type": "quantitative", "stack": "zero", "title": "incidents",
                  "axis": _count_axis(list(Counter(v["date"] for v in values).values()))},
            "color": {"field": "quad", "type": "nominal", "title": "QuadClass",
                      "scale": {"domain": [_quad_label(q) for q in QUAD_NAMES],
                                "range": [QUAD_COLOURS[q] for q in QUAD_NAMES]}},
            "href": {"field": "href"},
            "tooltip": [{"field": "date", "type": "temporal", "timeUnit": "yearmonthdate"},
                        {"field": "type"}, {"field": "certainty"}, {"field": "sources"}, {"field": "id"}],
        },
    )
    return spec


def magnitude_spec(days: list[dict[str, Any]], escalation: dict[str, Any] | None = None) -> dict[str, Any]:
    """Cooperation (up, green) and conflict (down, red) magnitude per day as diverging bars;
    change points as dashed rules, risk alerts as triangles."""
    values = [{"date": _iso(d["date"]), "channel": channel, "value": round(sign * float(d[channel]), 3)}
              for d in days for channel, sign in (("conflict", -1), ("cooperation", 1)) if d[channel]]
    spec = _base("Magnitude per day: cooperation up, conflict down (Goldstein, each incident once)", 120)
    x = {"field": "date", "type": "temporal", "timeUnit": "yearmonthdate", "title": None,
         "axis": {"format": "%Y-%m-%d", "labelAngle": 0}}
    layers: list[dict[str, Any]] = [{
        "data": {"values": values},
        "mark": {"type": "bar", "width": {"band": 1}, "minBandSize": 2},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": "magnitude"},
            "color": {"field": "channel", "type": "nominal", "title": None,
                      "scale": {"domain": ["conflict", "cooperation"], "range": ["#c92a2a", "#2f9e44"]}},
            "tooltip": [{"field": "date", "type": "temporal", "timeUnit": "yearmonthdate"},
                        {"field": "channel"}, {"field": "value"}],
        },
    }, {"mark": {"type": "rule", "color": "#adb5bd"}, "data": {"values": [{"y": 0}]},
        "encoding": {"y": {"field": "y", "type": "quantitative"}}}]
    escalation = escalation or {}
    cps = [{"date": c["period"], "what": c["rule"]} for c in escalation.get("change_points", [])]
    if cps:
        layers.append({"data": {"values": cps}, "mark": {"type": "rule", "strokeDash": [6, 3], "color": "#495057"},
                       "encoding": {"x": {"field": "date", "type": "temporal", "timeUnit": "yearmonthdate"},
                                    "tooltip": [{"field": "what", "title": "change point"}]}})
    alerts = [{"date": a["period"], "what": a["rule"]} for a in escalation.get("alerts", [])]
    if alerts:
        layers.append({"data": {"values": alerts},
                       "mark": {"type": "point", "shape": "triangle-down", "size": 120, "filled": True,
                                "color": "#e03131"},
                       "encoding": {"x": {"field": "date", "type": "temporal", "timeUnit": "yearmonthdate"},
                                    "y": {"value": 0}, "tooltip": [{"field": "what", "title": "risk alert"}]}})
    spec["layer"] = layers
    return spec


def certainty_spec(days: list[dict[str, Any]]) -> dict[str, Any]:
    """Incidents per day by their strongest certainty label (the certainty channels)."""
    values = [{"date": _iso(d["date"]), "label": label, "n": d[label]}
              for d in days for label in CERTAINTY_ORDER if d[label]]
    spec = _base("Incidents per day by certainty (reported: asserted, attributed; speculated: future, hedged, "
                 "hypothetical)", 100)
    spec.update(
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "x": {"field": "date", "type": "temporal", "timeUnit": "yearmonthdate", "title": None,
                  "axis": {"format": "%Y-%m-%d", "labelAngle": 0}},
            "y": {"field": "n", "type": "quantitative", "stack": "zero", "title": "incidents",
                  "axis": _count_axis([sum(d[label] for label in CERTAINTY_ORDER) for d in days])},
            "color": {"field": "label", "type": "nominal", "title": "certainty",
                      "scale": {"domain": list(CERTAINTY_ORDER), "range": [CERTAINTY_COLOURS[c] for c in CERTAINTY_ORDER]}},
            "tooltip": [{"field": "date", "type": "temporal", "timeUnit": "yearmonthdate"},
                        {"field": "label"}, {"field": "n"}],
        },
    )
    return spec


def split_spec(split: dict[str, Any]) -> dict[str, Any]:
    """Events per certainty label: what is reported against what is speculated or denied."""
    values = [{"label": r["label"], "events": r["events"]} for r in split["labels"]]
    spec = _base("Events by certainty", 24 * len(values))
    spec.update(
        width=WIDTH // 2,
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "y": {"field": "label", "type": "nominal", "sort": list(CERTAINTY_ORDER), "title": None},
            "x": {"field": "events", "type": "quantitative", "title": "events"},
            "color": {"field": "label", "type": "nominal", "legend": None,
                      "scale": {"domain": list(CERTAINTY_ORDER), "range": [CERTAINTY_COLOURS[c] for c in CERTAINTY_ORDER]}},
            "tooltip": [{"field": "label"}, {"field": "events"}],
        },
    )
    return spec


_FOREIGN_BASE = 'xlink:href="https://vega.github.io/vega-datasets/'


def to_svg(spec: dict[str, Any]) -> str:
    """The chart as one SVG element, rendered on the server; no data is fetched from anywhere
    (``allowed_base_urls=[]``), and in-page links stay in-page."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    # vl-convert resolves a relative href against its default data URL; anchors stay anchors
    svg = svg.replace(_FOREIGN_BASE + "#", 'xlink:href="#')
    if _FOREIGN_BASE in svg:  # any other relative link: drop it rather than point outside
        svg = svg.replace(_FOREIGN_BASE, 'xlink:href="#')
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    return svg.strip()
