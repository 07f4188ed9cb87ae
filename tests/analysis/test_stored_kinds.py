"""A unit's type from the materialised dyad events (``dyad_events.pure``): the totals and units
read from the refreshed table are the very rows of the joins (which group every unit per type
and QuadClass), and the hand-counted main types — the most frequent type, ties to the first
alphabetically, which neither min() nor any row's type gives."""

from __future__ import annotations

from datetime import date

from hand_store import HandStore, same
from hypothesis import given, settings
from hypothesis import strategies as st

from flashpoint.analysis import dyads
from flashpoint.store import EventQuery, Store

ACCUSE, AGREE, ASSAULT = ("ACCUSE", 3, -2.0), ("AGREE", 1, 4.0), ("ASSAULT", 4, -10.0)
_EVENT = st.tuples(
    st.integers(0, 20),
    st.sampled_from(["ARM", "AZE", "AZEMIL", "RUS", "ARM AZEGOV"]),
    st.sampled_from(["ARM", "AZE", "RUSGOV", "AZE ARMGOV"]),
    st.sampled_from([ACCUSE, AGREE, ASSAULT, ("ASSAULT", 3, -9.0)]),  # one type in two QuadClasses too
    st.sampled_from(["asserted", "hedged", "negated"]),
    st.one_of(st.none(), st.integers(0, 4)),  # few incidents: most mix types
)
QUERIES = [EventQuery(), EventQuery(dyad="ARM-AZE"), EventQuery(types=("ASSAULT", "AGREE")),
           EventQuery(since=date(2024, 3, 5), until=date(2024, 3, 15)), EventQuery(min_certainty="hedged")]



def _all(store: Store) -> list:
    out = []
    for q in QUERIES:
        for directed, unit in ((False, "incidents"), (True, "incidents"), (False, "events")):
            out.append(dyads.totals(store, q, directed=directed, unit=unit))  # type: ignore[arg-type]
            out.append(dyads.units(store, q, directed=directed, unit=unit))  # type: ignore[arg-type]
    return out


@settings(max_examples=10, deadline=None)
@given(st.lists(_EVENT, min_size=1, max_size=30))
def test_stored_totals_are_the_joined_totals(events):
    h = HandStore()
    for n, (day, src, tgt, (type_, quad, gold), certainty, inc) in enumerate(events):
        h.event(f"a{n % 6}", day, src, tgt, type_=type_, quad=quad, goldstein=gold, certainty=certainty,
                incident=None if inc is None else f"i{inc}")
    store = h.write(Store(":memory:"))
    joined = _all(store)
    dyads.refresh(store)
    assert dyads.materialised(store)
    assert same(_all(store), joined)


def _store() -> Store:
    h = HandStore()
    # i1: AGREE twice, ACCUSE once -> AGREE (min() would say ACCUSE, a conflict unit)
    for n, t in enumerate((ACCUSE, AGREE, AGREE)):
        h.event(f"a{n}", n, "ARM", "AZE", type_=t[0], quad=t[1], goldstein=t[2], incident="i1")
    # i2: ASSAULT and ACCUSE once each -> the tie goes to ACCUSE (max() would say ASSAULT)
    for n, t in enumerate((ASSAULT, ACCUSE)):
        h.event(f"b{n}", n, "AZE", "ARM", type_=t[0], quad=t[1], goldstein=t[2], incident="i2")
    # i3: one type, three reports -> pure
    for n in range(3):
        h.event(f"c{n}", 5, "RUS", "UKR", type_="ASSAULT", quad=4, incident="i3")
    return h.write(Store(":memory:"))


def test_main_types_counted_by_hand():
    store = _store()
    dyads.refresh(store)
    pure = dict(store.fetchall("SELECT incident_id, bool_and(pure) FROM dyad_events GROUP BY ALL"))
    assert pure == {"i1": False, "i2": False, "i3": True}
    kinds = {u["unit_id"]: (u["type"], u["quad_class"], u["events"]) for u in dyads.units(store)}
    assert kinds == {"i1": ("AGREE", 1, 3), "i2": ("ACCUSE", 3, 2), "i3": ("ASSAULT", 4, 3)}
    totals = {(t["actor1"], t["actor2"]): (t["units"], t["conflict_units"]) for t in dyads.totals(store)}
    assert totals == {("ARM", "AZE"): (2, 1), ("RUS", "UKR"): (1, 1)}
    # directed, each direction is its own dyad; the time window leaves i1 one AGREE and the ACCUSE: a tie
    window = EventQuery(until=date(2024, 3, 5))
    directed = {(t["actor1"], t["actor2"]): t["conflict_units"] for t in dyads.totals(store, window, directed=True)}
    assert directed == {("ARM", "AZE"): 1, ("AZE", "ARM"): 1}
