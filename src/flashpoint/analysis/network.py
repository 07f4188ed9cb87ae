"""The actor network of a window: a signed, time-decayed, certainty-weighted graph.

``network(store, query)`` reads the incidents of the query's window (``since``/``until``;
the window ends on ``until``, else on the last event's day) with the dyad layer's SQL
(:func:`flashpoint.analysis.dyads.pairs_sql`: the same dyad members, incidents as the unit,
the same certainty weights). The edge between two actors is undirected:

* ``cooperation`` and ``conflict``: sums of the certainty-weighted |Goldstein| of their
  incidents (negated ones left out), each multiplied by ``0.5 ** (age / half_life)``, its age
  in days at the window's end (``data/analysis/network.toml``); ``weight = cooperation −
  conflict``: positive edges are cooperation, negative ones conflict;
* ``incident_ids``: every incident behind the edge, so an edge can be traced to its reports
  (``max_ids`` lists fewer: the views, which show only the count, list none).

Events dated to a day or a month count (a year-dated event has no usable age); an actor with
itself (internal events) is no edge. Per actor: ``hostility`` (sum of its edges' conflict),
``cooperation``, ``degree`` and its ``bloc``.

**Structural balance**: among the triangles whose three edges are signed (``|weight|`` at least
``min_abs_weight``), the share whose sign product is positive (friend of a friend is a
friend, enemy of an enemy a friend). Counted with the sign matrix S: all triangles are
trace(|S|³)/6, balanced minus unbalanced trace(S³)/6.

**Blocs**: correlation clustering by greedy relocation (Doreian and Mrvar's relocation
method for signed blockmodels): every actor starts alone; actors, in code order, move to the
bloc that most raises the sum of signed weights inside blocs (positive inside is good,
negative inside is bad), until a round moves no one. ``frustration`` is what remains: the
negative weight inside blocs plus the positive weight between them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint.analysis.dyads import DyadRules, materialised, pairs_sql, weights_sql
from flashpoint.errors import DataFileError
from flashpoint.resources import data_file, read_toml
from flashpoint.store.query import EventQuery


@dataclass(frozen=True, slots=True)
class NetworkRules:
    """Half-life, neutral band and bloc search bound (``data/analysis/network.toml``)."""

    half_life_days: float = 30.0
    min_abs_weight: float = 1.0
    max_rounds: int = 100

    FILE = "network.toml"

    @classmethod
    def load(cls, path: str | Path | None = None) -> NetworkRules:
        source = str(path) if path is not None else f"data/analysis/{cls.FILE}"
        file = Path(path) if path is not None else data_file("analysis", cls.FILE)
        rules = read_toml(file, source, "network rules", lambda data: cls(
            float(data["decay"]["half_life_days"]), float(data["edges"]["min_abs_weight"]),
            int(data["blocs"]["max_rounds"])))
        if rules.half_life_days <= 0 or rules.min_abs_weight < 0 or rules.max_rounds < 1:
            raise DataFileError("half_life_days > 0, min_abs_weight ≥ 0 and max_rounds ≥ 1 are required",
                                source=source)
        return rules


@dataclass(frozen=True, slots=True)
class Edge:
    """Two actors (``actor1`` < ``actor2``) and what their incidents in the window add up to."""

    actor1: str
    actor2: str
    weight: float
    cooperation: float
    conflict: float
    incidents: int
    first_day: date
    last_day: date
    incident_ids: tuple[str, ...]

    @property
    def sign(self) -> int:
        return int(np.sign(self.weight))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(first_day=self.first_day.isoformat(), last_day=self.last_day.isoformat(),
                   incident_ids=list(self.incident_ids))
        return out


@dataclass(frozen=True, slots=True)
class Node:
    """An actor: its summed hostility and cooperation over its edges, degree and bloc."""

    actor: str
    hostility: float
    cooperation: float
    degree: int
    bloc: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Balance:
    """Structural balance: signed triangles, how many are balanced, and their share."""

    triangles: int
    balanced: int
    share: float  # NaN when there is no signed triangle

    def to_dict(self) -> dict[str, Any]:
        return {"triangles": self.triangles, "balanced": self.balanced,
                "share": None if np.isnan(self.share) else self.share}


@dataclass(frozen=True)
class Network:
    """The graph of one window, with its balance and blocs."""

    nodes: list[Node]
    edges: list[Edge]
    balance: Balance
    frustration: float
    window: tuple[date | None, date | None]
    half_life_days: float

    def to_dict(self) -> dict[str, Any]:
        since, until = self.window
        return {
            "window": {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None},
            "half_life_days": self.half_life_days,
            "balance": self.balance.to_dict(),
            "frustration": self.frustration,
            "blocs": [[n.actor for n in self.nodes if n.bloc == b] for b in sorted({n.bloc for n in self.nodes})],
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
        }

    def edge_table(self) -> Any:
        """The edges as a ``pyarrow.Table`` (one row per edge, incident ids as a list column)."""
        import pyarrow as pa

        return pa.Table.from_pylist([e.to_dict() for e in self.edges])

    def node_table(self) -> Any:
        import pyarrow as pa

        return pa.Table.from_pylist([n.to_dict() for n in self.nodes])


def _edges_sql(query: EventQuery, rules: DyadRules, stored: bool = False, max_ids: int | None = None
               ) -> tuple[str, dict[str, Any]]:
    base, params = pairs_sql(query, "month", False, "incidents", materialised=stored)
    # a unit is one incident of one dyad, so an edge's incident ids are already distinct
    ids = ("list(incident_id ORDER BY incident_id)" if max_ids is None else
           "[]::VARCHAR[]" if max_ids <= 0 else f"min(incident_id, {int(max_ids)})")
    wsql, wparams = weights_sql(rules)
    sql = f"""{base}{wsql},
kept AS (SELECT * FROM mag WHERE actor1 <> actor2 AND channel <> 'negated'),
edge AS (
    SELECT actor1, actor2,
           sum(cooperation * pow(0.5, date_diff('day', first_day, $as_of::DATE) / $half_life))::DOUBLE AS cooperation,
           sum(conflict * pow(0.5, date_diff('day', first_day, $as_of::DATE) / $half_life))::DOUBLE AS conflict,
           count(*) AS incidents, min(first_day) AS first_day, max(first_day) AS last_day,
           {ids} AS incident_ids
    FROM kept GROUP BY actor1, actor2)
SELECT actor1, actor2, cooperation - conflict AS weight, cooperation, conflict, incidents, first_day, last_day,
       incident_ids
FROM edge ORDER BY actor1, actor2"""
    return sql, {**params, **wparams}


def network(store: Any, query: EventQuery | None = None, *, rules: NetworkRules | None = None,
            dyad_rules: DyadRules | None = None, max_ids: int | None = None) -> Network:
    """The signed actor graph of the query's window, its balance and blocs. ``max_ids``: list at
    most that many incident ids per edge (the smallest; ``incidents`` still counts them all)."""
    query = query or EventQuery()
    rules = rules or NetworkRules.load()
    dyad_rules = dyad_rules or DyadRules.load()
    as_of = query.until or _last_day(store, query)
    if as_of is None:
        return Network([], [], Balance(0, 0, float("nan")), 0.0, (query.since, query.until), rules.half_life_days)
    sql, params = _edges_sql(query, dyad_rules, materialised(store), max_ids)
    table = store.arrow(sql, {**params, "as_of": as_of, "half_life": rules.half_life_days})
    edges = [Edge(r["actor1"], r["actor2"], r["weight"], r["cooperation"], r["conflict"], r["incidents"],
                  r["first_day"], r["last_day"], tuple(r["incident_ids"])) for r in table.to_pylist()]
    actors = sorted({e.actor1 for e in edges} | {e.actor2 for e in edges})
    index = {a: i for i, a in enumerate(actors)}
    w = np.zeros((len(actors), len(actors)))
    for e in edges:
        i, j = index[e.actor1], index[e.actor2]
        w[i, j] = w[j, i] = e.weight
    signed = np.where(np.abs(w) >= rules.min_abs_weight, w, 0.0)
    blocs = relocate(signed, rules.max_rounds)
    hostility, cooperation, degree = (np.zeros(len(actors)) for _ in range(3))
    for e in edges:
        for a in (e.actor1, e.actor2):
            hostility[index[a]] += e.conflict
            cooperation[index[a]] += e.cooperation
            degree[index[a]] += 1
    nodes = [Node(a, float(hostility[i]), float(cooperation[i]), int(degree[i]), int(blocs[i]))
             for i, a in enumerate(actors)]
    return Network(nodes, edges, balance(signed), frustration(signed, blocs), (query.since, as_of),
                   rules.half_life_days)


def _last_day(store: Any, query: EventQuery) -> date | None:
    where = query.events_where("e").and_("e.date_start IS NOT NULL")
    row = store.fetchall(f"SELECT max(e.date_start) FROM events e {where.sql}", where.params)
    return row[0][0] if row else None


def balance(signed: np.ndarray) -> Balance:
    """Balanced triangles among those whose three edges are signed (nonzero in ``signed``)."""
    s = np.sign(signed)
    a = np.abs(s)
    total = int(round(np.trace(a @ a @ a) / 6))
    net = int(round(np.trace(s @ s @ s) / 6))  # balanced − unbalanced
    balanced = (total + net) // 2
    return Balance(total, balanced, balanced / total if total else float("nan"))


def relocate(w: np.ndarray, max_rounds: int = 100) -> np.ndarray:
    """Blocs of a symmetric signed weight matrix by greedy relocation; bloc 0 is the largest.

    Each node in turn moves to the bloc with the largest sum of its weights to the bloc's
    members (or to a bloc of its own when every bloc's sum is negative) if that beats staying.
    """
    n = len(w)
    bloc = np.arange(n)
    for _ in range(max_rounds):
        moved = False
        for i in range(n):
            sums = np.bincount(bloc, weights=w[i], minlength=n) - np.bincount([bloc[i]], [w[i, i]], minlength=n)
            here = sums[bloc[i]]
            best = int(np.argmax(sums))
            target, value = best, sums[best]
            if np.count_nonzero(bloc == bloc[i]) > 1 and value < 0:  # better alone: an empty bloc
                target, value = int(np.setdiff1d(np.arange(n), bloc)[0]), 0.0
            if value > here + 1e-12:
                bloc[i] = target
                moved = True
        if not moved:
            break
    sizes = np.bincount(bloc, minlength=n)
    order = sorted(set(bloc.tolist()), key=lambda b: (-sizes[b], int(np.flatnonzero(bloc == b)[0])))
    renumber = {b: k for k, b in enumerate(order)}
    return np.array([renumber[b] for b in bloc], dtype=int)


def frustration(w: np.ndarray, bloc: np.ndarray) -> float:
    """Negative weight inside blocs plus positive weight between them (each pair once)."""
    same = bloc[:, None] == bloc[None, :]
    upper = np.triu(np.ones_like(w, dtype=bool), 1)
    inside = -w[same & upper & (w < 0)].sum()
    between = w[~same & upper & (w > 0)].sum()
    return float(inside + between)


__all__ = ["Balance", "Edge", "Network", "NetworkRules", "Node", "balance", "frustration", "network", "relocate"]
