"""The actor network written as GraphML, GEXF, JSON or CSV edge tables (the CLI picks one).

Written with the standard library (no graph package needed): GraphML 1.0 with typed ``key``
declarations, GEXF 1.3 with node and edge attributes, both readable by Gephi, Cytoscape,
networkx and igraph. Incident ids go into one space-separated string attribute per edge,
since neither format has list attributes.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from typing import IO, Any

NODE_ATTRS = (("hostility", "double"), ("cooperation", "double"), ("degree", "int"), ("bloc", "int"))
EDGE_ATTRS = (("weight", "double"), ("cooperation", "double"), ("conflict", "double"), ("incidents", "int"),
              ("first_day", "string"), ("last_day", "string"), ("incident_ids", "string"))


def _edge_values(edge: Any) -> dict[str, str]:
    d = edge.to_dict()
    d["incident_ids"] = " ".join(d["incident_ids"])
    return {k: str(d[k]) for k, _ in EDGE_ATTRS}


def graphml(net: Any) -> str:
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for name, kind in NODE_ATTRS:
        ET.SubElement(root, "key", {"id": f"n_{name}", "for": "node", "attr.name": name, "attr.type": kind})
    for name, kind in EDGE_ATTRS:
        ET.SubElement(root, "key", {"id": f"e_{name}", "for": "edge", "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="flashpoint", edgedefault="undirected")
    for node in net.nodes:
        el = ET.SubElement(graph, "node", id=node.actor)
        for name, _ in NODE_ATTRS:
            ET.SubElement(el, "data", key=f"n_{name}").text = str(getattr(node, name))
    for k, edge in enumerate(net.edges):
        el = ET.SubElement(graph, "edge", id=f"e{k}", source=edge.actor1, target=edge.actor2)
        for name, value in _edge_values(edge).items():
            ET.SubElement(el, "data", key=f"e_{name}").text = value
    return _xml(root)


def gexf(net: Any) -> str:
    root = ET.Element("gexf", xmlns="http://gexf.net/1.3", version="1.3")
    graph = ET.SubElement(root, "graph", defaultedgetype="undirected", mode="static")
    for cls, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        decl = ET.SubElement(graph, "attributes", {"class": cls})
        for name, kind in attrs:
            kind = {"int": "integer"}.get(kind, kind)
            ET.SubElement(decl, "attribute", id=name, title=name, type=kind)
    nodes = ET.SubElement(graph, "nodes")
    for node in net.nodes:
        el = ET.SubElement(nodes, "node", id=node.actor, label=node.actor)
        values = ET.SubElement(el, "attvalues")
        for name, _ in NODE_ATTRS:
            ET.SubElement(values, "attvalue", {"for": name, "value": str(getattr(node, name))})
    edges = ET.SubElement(graph, "edges")
    for k, edge in enumerate(net.edges):
        # GEXF weights must be positive for some readers; the signed weight is an attribute
        el = ET.SubElement(edges, "edge", id=f"e{k}", source=edge.actor1, target=edge.actor2,
                           weight=str(abs(edge.weight)))
        values = ET.SubElement(el, "attvalues")
        for name, value in _edge_values(edge).items():
            ET.SubElement(values, "attvalue", {"for": name, "value": value})
    return _xml(root)


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(net: Any, out: IO[str], fmt: str) -> None:
    """Write the network to a text stream as graphml, gexf, json or csv (the edge table)."""
    if fmt == "graphml":
        out.write(graphml(net))
    elif fmt == "gexf":
        out.write(gexf(net))
    elif fmt == "json":
        out.write(json.dumps(net.to_dict(), ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["actor1", "actor2", *(name for name, _ in EDGE_ATTRS)])
        for edge in net.edges:
            writer.writerow([edge.actor1, edge.actor2, *_edge_values(edge).values()])
    else:
        raise ValueError(f"unknown network format {fmt!r}")
