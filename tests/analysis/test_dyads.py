"""Dyad timelines on hand-built stores: every column counted by hand, and properties of the
aggregation (incidents never exceed events; periods sum to the whole)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest
from hand_store import DAY0, HandStore
from hypothesis import given, settings
from hypothesis import strategies as st

from flashpoint.analysis.dyads import DyadRules, coverage_days, timeline
from flashpoint.errors import DataFileError, QueryError
from flashpoint.store import EventQuery, Store

RULES = DyadRules.load()


def build(h: HandStore) -> Store:
    return h.write(Store(":memory:"))


def rows(store: Store, **kw):
    return timeline(store, kw.pop("query", EventQuery()), **kw).rows


def one(store: Store, **kw):
    found = rows(store, **kw)
    assert len(found) == 1, found
    return found[0]


def test_one_incident_reported_twice_counts_once():
    h = HandStore()
    h.event("a1", 0, "AZEMIL", "ARM", incident="i1")
    h.event("a2", 0, "AZE", "ARM", incident="i1")
    r = one(build(h))
    assert (r.actor1, r.actor2, r.period) == ("ARM", "AZE", DAY0)
    assert (r.incidents, r.events, r.articles, r.sources) == (1, 2, 2, 2)
    assert r.conflict == 10.0  # the incident once: the mean Goldstein of its reports
    events = one(build(h), unit="events")
    assert events.incidents == 1 and events.conflict == 20.0  # every report counts


def test_a_near_duplicate_is_not_an_independent_source():
    h = HandStore()
    h.article("orig", DAY0)
    h.article("copy", DAY0, duplicate_of="orig")
    h.event("orig", 0, "RUS", "UKR", incident="i1")
    h.event("copy", 0, "RUS", "UKR", incident="i1")
    r = one(build(h))
    assert (r.articles, r.sources) == (2, 1)


def test_members_are_the_country_or_the_organisation():
    h = HandStore()
    h.event("a1", 0, "AZEGOV AZEMIL", "ARM", incident="i1")  # two AZE sources: one dyad, counted once
    h.event("a2", 0, "NATO", "RUSMIL", incident="i2", type_="ACCUSE", quad=3, goldstein=-2)
    h.event("a3", 0, "CVL", "ARM", incident="i3")  # no country, no organisation → no dyad: CVL is 3 letters
    found = {(r.actor1, r.actor2): r for r in rows(build(h))}
    assert found[("ARM", "AZE")].events == 1
    assert ("NATO", "RUS") in found
    assert ("ARM", "CVL") in found  # a 3-letter code is taken for a country by the hand store


def test_directed_keeps_both_directions_apart():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1")
    h.event("a2", 0, "AZE", "ARM", incident="i2")
    assert one(build(h)).incidents == 2
    directed = {(r.actor1, r.actor2): r.incidents for r in rows(build(h), directed=True)}
    assert directed == {("ARM", "AZE"): 1, ("AZE", "ARM"): 1}
    assert all(r.dyad in ("ARM>AZE", "AZE>ARM") for r in rows(build(h), directed=True))


def test_dyad_filter_either_direction_or_one():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1")
    h.event("a2", 0, "AZEMIL", "ARM", incident="i2")
    h.event("a3", 0, "RUS", "UKR", incident="i3")
    store = build(h)
    assert one(store, query=EventQuery(dyad="AZE-ARM")).incidents == 2
    assert one(store, query=EventQuery(dyad="AZE>ARM"), directed=True).incidents == 1
    assert one(store, query=EventQuery(dyad="AZEMIL>ARM"), directed=True).incidents == 1  # code prefix, as --actor
    assert rows(store, query=EventQuery(dyad="AZEGOV>ARM")) == []
    with pytest.raises(QueryError):
        EventQuery(dyad="AZE")


def test_an_event_with_a_third_party_only_counts_in_the_filtered_dyad():
    h = HandStore()
    h.event("a1", 0, "ARM RUS", "AZE", incident="i1")
    store = build(h)
    assert {(r.actor1, r.actor2) for r in rows(store)} == {("ARM", "AZE"), ("AZE", "RUS")}
    assert {(r.actor1, r.actor2) for r in rows(store, query=EventQuery(dyad="ARM-AZE"))} == {("ARM", "AZE")}


def test_quad_class_and_type_counts():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1")
    h.event("a2", 0, "ARM", "AZE", type_="ACCUSE", quad=3, goldstein=-2, incident="i2")
    h.event("a3", 0, "ARM", "AZE", type_="AGREE", quad=1, goldstein=4, incident="i3")
    r = one(build(h))
    assert r.quads == (1, 0, 1, 1)
    d = r.to_dict()
    assert (d["type_assault"], d["type_accuse"], d["type_agree"], d["type_aid"]) == (1, 1, 1, 0)
    assert (r.conflict, r.cooperation, r.net) == (12.0, 4.0, -8.0)


def test_certainty_channels_weights_and_negation():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", goldstein=-10, certainty="asserted", incident="i1")
    h.event("a2", 0, "ARM", "AZE", goldstein=-10, certainty="attributed", incident="i2")
    h.event("a3", 0, "ARM", "AZE", type_="THREATEN", quad=3, goldstein=-6, certainty="future", incident="i3")
    h.event("a4", 0, "ARM", "AZE", type_="AGREE", quad=1, goldstein=4, certainty="hedged", incident="i4")
    h.event("a5", 0, "ARM", "AZE", goldstein=-10, certainty="negated", incident="i5")
    r = one(build(h))
    w = RULES.weights
    assert r.conflict_happened == pytest.approx(10 * w["asserted"] + 10 * w["attributed"])
    assert r.conflict_signalled == pytest.approx(6 * w["future"])
    assert r.cooperation_signalled == pytest.approx(4 * w["hedged"]) and r.cooperation_happened == 0
    assert r.conflict == pytest.approx(r.conflict_happened + r.conflict_signalled)
    assert (r.negated, r.incidents, r.events) == (1, 4, 4)  # the denial is counted apart only


def test_an_incident_takes_its_strongest_certainty():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", certainty="hedged", incident="i1")
    h.event("a2", 0, "ARM", "AZE", certainty="asserted", incident="i1")
    r = one(build(h))
    assert (r.conflict_happened, r.conflict_signalled) == (10.0, 0.0)


def test_periods_week_and_month_and_coarse_events():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1")  # Monday
    h.event("a2", 6, "ARM", "AZE", incident="i2")  # Sunday: the same ISO week
    h.event("a3", 7, "ARM", "AZE", incident="i3")  # next Monday
    h.event("a4", date(2024, 3, 1), "ARM", "AZE", end=date(2024, 3, 31))  # dated to the month
    store = build(h)
    assert [r.incidents for r in rows(store, period="week")] == [2, 1]
    assert [r.period for r in rows(store, period="week")] == [DAY0, date(2024, 3, 11)]
    assert timeline(store, period="week").coarse_events == 1
    month = rows(store, period="month")
    assert [(r.period, r.incidents) for r in month] == [(date(2024, 3, 1), 4)]  # the month-dated one too
    assert timeline(store, period="month").coarse_events == 0
    assert timeline(store, period="day").coarse_events == 1


def test_an_incident_falls_in_the_period_of_its_first_event():
    h = HandStore()
    h.event("a1", 6, "ARM", "AZE", incident="i1")  # Sunday
    h.event("a2", 7, "ARM", "AZE", incident="i1")  # Monday, next week
    found = rows(build(h), period="week")
    assert [(r.incidents, r.events) for r in found] == [(1, 1), (0, 1)]


def test_volume_share_and_normalised_values():
    h = HandStore()
    for k in range(12):
        h.event(f"x{k}", 0, "USA", "CAN", type_="CONSULT", quad=1, goldstein=1, incident=f"x{k}")
    h.event("a1", 0, "ARM", "AZE", incident="i1")
    h.event("a2", 1, "ARM", "AZE", incident="i2")  # a day with 1 article: under min_period_articles
    found = {(r.actor1, r.period): r for r in rows(build(h))}
    busy = found[("ARM", DAY0)]
    assert busy.period_articles == 13
    assert busy.article_share == pytest.approx(1 / 13)
    assert busy.conflict_norm == pytest.approx(10 * RULES.per / 13)
    quiet = found[("ARM", date(2024, 3, 5))]
    assert quiet.period_articles == 1 and math.isnan(quiet.article_share) and math.isnan(quiet.net_norm)
    assert quiet.to_dict()["article_share"] is None


def test_filters_of_the_query_apply():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1", certainty="hedged")
    h.event("a2", 1, "ARM", "AZE", incident="i2", type_="ACCUSE", quad=3, goldstein=-2)
    store = build(h)
    assert [r.incidents for r in rows(store, query=EventQuery(min_certainty="attributed"))] == [1]
    assert [r.period for r in rows(store, query=EventQuery(types=("ACCUSE",)))] == [date(2024, 3, 5)]
    assert [r.period for r in rows(store, query=EventQuery(since=date(2024, 3, 5)))] == [date(2024, 3, 5)]


def test_events_without_an_incident_are_their_own():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE")
    h.event("a2", 0, "ARM", "AZE")
    assert one(build(h)).incidents == 2


def test_arrow_view_matches_the_rows():
    h = HandStore()
    h.event("a1", 0, "ARM", "AZE", incident="i1")
    t = timeline(build(h))
    table = t.to_arrow()
    assert table.num_rows == len(t) == 1
    assert table.column("conflict").to_pylist() == [10.0]
    assert set(t.to_dicts()[0]) == set(table.column_names) | {"directed"}


def test_coverage_days():
    h = HandStore()
    h.article("p", date(2024, 3, 1))
    h.event("a1", 3, "ARM", "AZE")
    store = build(h)
    assert coverage_days(store) == [date(2024, 3, 1), date(2024, 3, 7)]
    assert coverage_days(store, since=date(2024, 3, 2)) == [date(2024, 3, 7)]


def test_rules_file_is_checked(tmp_path):
    bad = tmp_path / "dyads.toml"
    bad.write_text("[units]\ndefault = 'reports'\n", encoding="utf-8")
    with pytest.raises(DataFileError):
        DyadRules.load(bad)
    with pytest.raises(DataFileError):
        replace(RULES, unit="reports").check()
    with pytest.raises(QueryError):
        timeline(Store(":memory:"), period="year")  # type: ignore[arg-type]


# -- properties -------------------------------------------------------------------------------

_EVENT = st.tuples(
    st.integers(0, 20),  # day
    st.sampled_from(["ARM", "AZE", "AZEMIL", "RUS", "NATO"]),
    st.sampled_from(["ARM", "AZE", "RUSGOV", "UKR"]),
    st.sampled_from([("ASSAULT", 4, -10.0), ("AGREE", 1, 4.0), ("ACCUSE", 3, -2.0)]),
    st.sampled_from(["asserted", "attributed", "future", "hedged", "negated"]),
    st.integers(0, 8),  # incident number
)


@settings(max_examples=25, deadline=None)
@given(st.lists(_EVENT, min_size=1, max_size=30), st.sampled_from(["day", "week", "month"]), st.booleans())
def test_incidents_never_exceed_events_and_periods_sum_to_the_total(events, period, directed):
    h = HandStore()
    for n, (day, src, tgt, (type_, quad, gold), certainty, inc) in enumerate(events):
        h.event(f"a{n}", day, src, tgt, type_=type_, quad=quad, goldstein=gold, certainty=certainty,
                incident=f"i{inc}")
    store = build(h)
    found = rows(store, period=period, directed=directed)
    for r in found:
        assert r.incidents <= r.events
        assert r.sources <= r.articles <= r.events
        assert sum(r.types) == sum(r.quads)
        assert r.conflict == pytest.approx(r.conflict_happened + r.conflict_signalled)
    whole = rows(store, period="month", directed=directed, query=EventQuery())
    total = {}
    for r in found:
        key = (r.actor1, r.actor2)
        total[key] = [a + b for a, b in zip(total.get(key, [0, 0, 0.0, 0.0]),
                                            [r.events, r.negated, r.conflict, r.cooperation])]
    by_month = {}
    for r in whole:
        key = (r.actor1, r.actor2)
        by_month[key] = [a + b for a, b in zip(by_month.get(key, [0, 0, 0.0, 0.0]),
                                               [r.events, r.negated, r.conflict, r.cooperation])]
    assert set(total) == set(by_month)
    for key in total:
        assert total[key][:2] == by_month[key][:2]  # every event in exactly one period
    events_unit = rows(store, period=period, directed=directed, unit="events")
    assert sum(r.events for r in events_unit) == sum(r.events for r in found)
    assert sum(r.conflict for r in events_unit) >= 0
