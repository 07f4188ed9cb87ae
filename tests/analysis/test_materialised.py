"""The materialised dyad events (``dyad_events``): refreshed, they give the very rows the joins
give — timelines, escalation series and the network under every filter — and a write to the store
makes them stale until the next refresh."""

from __future__ import annotations

from datetime import date

from hand_store import DAY0, HandStore, same
from hypothesis import given, settings
from hypothesis import strategies as st

from flashpoint.analysis import dyads
from flashpoint.analysis.network import network
from flashpoint.analysis.stored_escalation import store_series
from flashpoint.store import EventQuery, Store

_EVENT = st.tuples(
    st.integers(0, 30),
    st.sampled_from(["ARM", "AZE", "AZEMIL", "RUS", "NATO", "ARM AZEGOV", "AZE ARM"]),
    st.sampled_from(["ARM", "AZE", "RUSGOV", "UKR", "AZE ARMGOV", "ARM AZE"]),
    st.sampled_from([("ASSAULT", 4, -10.0), ("AGREE", 1, 4.0), ("ACCUSE", 3, -2.0)]),
    st.sampled_from(["asserted", "attributed", "future", "hedged", "negated"]),
    st.one_of(st.none(), st.integers(0, 8)),
    st.booleans(),  # month-dated
)
QUERIES = [EventQuery(), EventQuery(dyad="ARM-AZE"), EventQuery(dyad="AZEMIL>ARM"), EventQuery(dyad="ARMGOV-AZE"),
           EventQuery(actors=("AZE",)), EventQuery(actors=("RUSGOV", "NATO")), EventQuery(types=("ASSAULT",)),
           EventQuery(since=date(2024, 3, 10), until=date(2024, 3, 25)), EventQuery(min_certainty="attributed"),
           EventQuery(min_sources=2), EventQuery(min_confidence=0.5)]



def _everything(store: Store) -> list:
    out = []
    for q in QUERIES:
        for period, directed, unit in (("day", False, "incidents"), ("week", True, "events"), ("month", False, "events")):
            out.append(dyads.timeline(store, q, period=period, directed=directed, unit=unit).to_dicts())  # type: ignore[arg-type]
        out.append([(s.key, {k: v.tolist() for k, v in s.channels.items()})
                    for s in store_series(store, q, min_events=1)])
        out.append(network(store, q).to_dict())
    return out


@settings(max_examples=8, deadline=None)
@given(st.lists(_EVENT, min_size=1, max_size=25))
def test_refreshed_table_gives_the_rows_of_the_joins(events):
    h = HandStore()
    for n, (day, src, tgt, (type_, quad, gold), certainty, inc, month) in enumerate(events):
        h.event(f"a{n % 7}", day, src, tgt, type_=type_, quad=quad, goldstein=gold, certainty=certainty,
                incident=None if inc is None else f"i{inc}", end=day + 40 if month else None,
                confidence=0.3 + 0.1 * (n % 5))
    store = h.write(Store(":memory:"))
    assert not dyads.materialised(store)
    joined = _everything(store)
    dyads.refresh(store)
    assert dyads.materialised(store)
    assert same(_everything(store), joined)


def test_a_write_makes_the_table_stale():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1")
    store = h.write(Store(":memory:"))
    dyads.refresh(store)
    assert dyads.materialised(store)
    store.execute("UPDATE articles SET duplicate_of = 'a0' WHERE id = 'a1'")
    assert not dyads.materialised(store)
    dyads.refresh(store)
    h2 = HandStore()
    h2.event("b1", 1, "RUS", "UKR")
    h2.write(store)  # a new article: the table no longer holds everything
    assert not dyads.materialised(store)
    assert dyads.refresh(store) == 2 and dyads.materialised(store)
    assert DAY0  # the hand store's first day, for readers of the rows
