"""A dyad page reads only its dyad's pairs (``members``) and no volume; the overview's escalation
states read only their keys' members: the rows they keep are those of the whole computation,
from the joined tables and from the materialised ``dyad_events`` alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hand_store import HandStore, same
from hypothesis import given, settings
from hypothesis import strategies as st
from test_materialised import _EVENT

from flashpoint.analysis import dyads, overview
from flashpoint.analysis.stored_escalation import states, store_series
from flashpoint.store import EventQuery, Store

QUERIES = [EventQuery(), EventQuery(dyad="AZEMIL>ARM"), EventQuery(actors=("AZE",)),
           EventQuery(since=date(2024, 3, 10), until=date(2024, 3, 25))]
PAIRS = [("ARM", "AZE"), ("AZE", "RUS")]
VOLUME = ("period_articles", "article_share", "conflict_norm", "cooperation_norm", "net_norm")


def _store(events) -> Store:
    h = HandStore()
    for n, (day, src, tgt, (type_, quad, gold), certainty, inc, month) in enumerate(events):
        h.event(f"a{n % 7}", day, src, tgt, type_=type_, quad=quad, goldstein=gold, certainty=certainty,
                incident=None if inc is None else f"i{inc}", end=day + 40 if month else None,
                confidence=0.3 + 0.1 * (n % 5))
    return h.write(Store(":memory:"))


def _old_dyad_timeline(store: Store, key: str, query: EventQuery) -> dict:
    """The dyad page as it was computed before: every pair of the dyad filter, the volume, and
    the undated events counted apart."""
    a, b = overview.parse_dyad(key)
    pair = replace(query, dyad=f"{a}-{b}")
    found = [u for u in dyads.units(store, pair) if (u["actor1"], u["actor2"]) == (a, b)]
    rows = [r for r in dyads.timeline(store, pair).rows if (r.actor1, r.actor2) == (a, b)]
    return {"units": found, "rows": [(r.period, r.incidents, r.conflict, r.cooperation, r.quads) for r in rows],
            "undated": dyads.coarse_events(store, pair), "escalation": states(store, [key], pair)[key]}


def _checks(store: Store) -> None:
    for q in QUERIES:
        whole = dyads.timeline(store, q).to_dicts()
        blank = dyads.timeline(store, q, volume=False).to_dicts()
        assert same([{k: v for k, v in r.items() if k not in VOLUME} for r in whole],
                     [{k: v for k, v in r.items() if k not in VOLUME} for r in blank])
        assert all(r["period_articles"] is None and r["net_norm"] is None for r in blank)
        every_unit = dyads.units(store, q)
        for a, b in PAIRS:
            assert same(dyads.units(store, q, members=(a, b)),
                         [u for u in every_unit if {u["actor1"], u["actor2"]} <= {a, b}])
            assert same(dyads.timeline(store, q, members=(a, b)).to_dicts(),
                         [r for r in whole if {r["actor1"], r["actor2"]} <= {a, b}])
            if (a, b) != PAIRS[0]:
                continue
            key = f"{a}-{b}"
            page = overview.dyad_timeline(store, key, q)
            old = _old_dyad_timeline(store, key, q)
            assert same([u["id"] for u in page["incidents"]], [u["incident_id"] for u in old["units"]])
            assert same([(d["date"], d["count"], d["conflict"], d["cooperation"],
                           (d["q1"], d["q2"], d["q3"], d["q4"])) for d in page["days"]], old["rows"])
            assert page["undated"] == old["undated"] and same(page["escalation"], old["escalation"])
        keys = ["ARM-AZE", "AZE-RUS"]  # ARM-RUS passes the members' test, not the keys'
        series = [(s.key, {k: v.tolist() for k, v in s.channels.items()}) for s in store_series(store, q, min_events=0)]
        kept = [(s.key, {k: v.tolist() for k, v in s.channels.items()})
                for s in store_series(store, q, min_events=0, keys=keys)]
        assert same(kept, [s for s in series if s[0] in keys])


@settings(max_examples=4, deadline=None)
@given(st.lists(_EVENT, min_size=1, max_size=25))
def test_a_dyads_members_give_the_rows_of_the_whole_computation(events):
    store = _store(events)
    _checks(store)  # from the joined tables
    dyads.refresh(store)
    _checks(store)  # from dyad_events


def test_the_members_filter_can_fail():
    """The member test keeps a pair whose members are among those given, in either order, and
    nothing else (a NATO–AZE event is no ARM–AZE pair)."""
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1")
    h.event("a2", 1, "AZE", "ARM", incident="i2")
    h.event("a3", 2, "NATO", "AZE", incident="i3")
    store = h.write(Store(":memory:"))
    for _ in range(2):
        assert [u["incident_id"] for u in dyads.units(store, members=("ARM", "AZE"))] == ["i1", "i2"]
        assert [u["incident_id"] for u in dyads.units(store, members=("AZE", "NATO"))] == ["i3"]
        assert dyads.units(store, members=("ARM", "NATO")) == []
        dyads.refresh(store)
