"""The actor network on hand-built stores: signs, decay, balance, blocs and the exports."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import numpy as np
import pytest
from hand_store import HandStore

from flashpoint.analysis import _graph_formats
from flashpoint.analysis.network import NetworkRules, balance, frustration, network, relocate
from flashpoint.store import EventQuery, Store

RULES = NetworkRules.load()


def two_camps() -> HandStore:
    """USA, GBR, FRA cooperate; RUS and IRN cooperate; the camps accuse each other."""
    h = HandStore()
    n = 0

    def ev(src: str, tgt: str, gold: float, day: int = 0, **kw) -> None:
        nonlocal n
        n += 1
        h.event(f"a{n}", day, src, tgt, goldstein=gold, type_="AGREE" if gold > 0 else "ACCUSE",
                quad=1 if gold > 0 else 3, incident=f"i{n}", **kw)

    for a, b in [("USA", "GBR"), ("USA", "FRA"), ("GBR", "FRA"), ("RUS", "IRN")]:
        ev(a, b, 5)
    for a in ("USA", "GBR", "FRA"):
        for b in ("RUS", "IRN"):
            ev(a, b, -4)
    ev("USA", "USAGOV", -10)  # internal: no edge
    ev("RUS", "IRN", -10, certainty="negated")  # a denial: no weight
    return h


def test_signs_balance_and_blocs():
    net = network(two_camps().write(Store(":memory:")), EventQuery())
    assert [n.actor for n in net.nodes] == ["FRA", "GBR", "IRN", "RUS", "USA"]
    assert len(net.edges) == 10
    signs = {(e.actor1, e.actor2): e.sign for e in net.edges}
    assert signs[("GBR", "USA")] == 1 and signs[("IRN", "RUS")] == 1 and signs[("RUS", "USA")] == -1
    assert net.balance.triangles == 10 and net.balance.share == 1.0
    blocs = {n.actor: n.bloc for n in net.nodes}
    assert blocs["USA"] == blocs["GBR"] == blocs["FRA"] == 0 and blocs["RUS"] == blocs["IRN"] == 1
    assert net.frustration == 0.0
    usa = next(n for n in net.nodes if n.actor == "USA")
    assert (usa.hostility, usa.cooperation, usa.degree) == (8.0, 10.0, 4)


def test_every_edge_names_its_incidents():
    net = network(two_camps().write(Store(":memory:")), EventQuery())
    edge = next(e for e in net.edges if (e.actor1, e.actor2) == ("IRN", "RUS"))
    assert edge.incident_ids == ("i4",) and edge.incidents == 1  # the denial i12 is not there


def test_decay_halves_per_half_life():
    h = HandStore()
    h.event("old", 0, "ARM", "AZE", incident="i1")
    h.event("new", 30, "ARM", "AZE", incident="i2")
    store = h.write(Store(":memory:"))
    (edge,) = network(store, EventQuery(), rules=NetworkRules(half_life_days=30.0)).edges
    assert edge.conflict == pytest.approx(10 + 5)
    (edge,) = network(store, EventQuery(until=date(2024, 4, 3)), rules=NetworkRules(half_life_days=30.0)).edges
    assert edge.conflict == pytest.approx(10 + 5)
    (edge,) = network(store, EventQuery(until=date(2024, 3, 4))).edges  # the window ends on day 0
    assert edge.conflict == pytest.approx(10) and edge.incidents == 1


def test_balance_counts_unbalanced_triangles():
    s = np.array([[0, 1, 1], [1, 0, -1], [1, -1, 0]], dtype=float)  # two friends who hate each other
    b = balance(s)
    assert (b.triangles, b.balanced) == (1, 0)
    assert np.isnan(balance(np.zeros((3, 3))).share)


def test_relocation_finds_the_camps_and_reports_what_is_left():
    w = np.array([[0, 2, -1, -1], [2, 0, -1, -1], [-1, -1, 0, 3], [-1, -1, 3, 0]], dtype=float)
    blocs = relocate(w)
    assert blocs[0] == blocs[1] != blocs[2] == blocs[3]
    assert frustration(w, blocs) == 0.0
    assert frustration(w, np.zeros(4, dtype=int)) == 4.0  # one bloc: the four negative ties inside
    lonely = relocate(np.array([[0, -1], [-1, 0]], dtype=float))
    assert lonely[0] != lonely[1]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_exports(fmt):
    net = network(two_camps().write(Store(":memory:")), EventQuery())
    out = io.StringIO()
    _graph_formats.write(net, out, fmt)
    text = out.getvalue()
    if fmt in ("graphml", "gexf"):
        root = ET.fromstring(text)
        ns = {"g": root.tag.split("}")[0][1:]}
        assert len(root.findall(".//g:node", ns)) == 5 and len(root.findall(".//g:edge", ns)) == 10
        assert "i4" in text
    elif fmt == "json":
        doc = json.loads(text)
        assert doc["balance"]["share"] == 1.0 and doc["blocs"][0] == ["FRA", "GBR", "USA"]
        assert len(doc["edges"]) == 10
    else:
        lines = text.splitlines()
        assert lines[0].startswith("actor1,actor2,weight") and len(lines) == 11
    assert net.edge_table().num_rows == 10 and net.node_table().num_rows == 5


def test_empty_store():
    net = network(Store(":memory:"), EventQuery())
    assert net.nodes == [] and net.edges == [] and net.balance.triangles == 0
