"""Escalation from the store: series built from hand-built stores (missing days NaN, silent
covered days zero), per dyad and per actor, and the incidents behind each alert and label."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hand_store import DAY0, HandStore

from flashpoint.analysis.escalation import EscalationRules
from flashpoint.analysis.stored_escalation import escalation, store_series
from flashpoint.errors import QueryError
from flashpoint.store import EventQuery, Store

RULES = EscalationRules.load()


def background(h: HandStore, days: int = 40, skip: tuple[int, ...] = ()) -> None:
    """One ARM→AZE accusation a day (Goldstein −2), no article at all on the ``skip`` days."""
    for d in range(days):
        if d not in skip:
            h.event(f"bg{d}", d, "ARM", "AZE", type_="ACCUSE", quad=3, goldstein=-2, incident=f"ib{d}")


def surge(h: HandStore, day: int, n: int = 30) -> None:
    for k in range(n):
        h.event(f"s{day}-{k}", day, "AZEMIL", "ARM", goldstein=-10, incident=f"is{day}-{k}")


def series_of(store: Store, **kw):
    return {s.key: s for s in store_series(store, EventQuery(), min_events=1, **kw)}


def test_a_day_without_articles_is_missing_and_a_quiet_covered_day_is_zero():
    h = HandStore()
    background(h, 20, skip=(5,))
    h.event("other", 25, "USA", "CAN", type_="CONSULT", quad=1, goldstein=1)  # covered, no ARM-AZE event
    s = series_of(h.write(Store(":memory:")))["ARM-AZE"]
    conflict = s.channels["conflict"]
    assert str(s.dates[0]) == "2024-03-04" and len(s) == 26  # first to last covered day
    assert math.isnan(conflict[5])  # no article at all that day
    assert np.isnan(conflict[20:25]).all()  # days 20-24: nothing in the store
    assert conflict[25] == 0.0  # an article that day, no event of the dyad
    assert conflict[0] == 2.0 and s.channels["count"][0] == 1.0


def test_the_surge_alerts_and_lists_its_incidents():
    h = HandStore()
    background(h)
    surge(h, 40)
    result = escalation(h.write(Store(":memory:")), EventQuery(), min_events=1)
    assert result.keys == 1
    (alert,) = result.alerts
    assert alert.key == "ARM-AZE" and alert.period == "2024-04-13"
    assert alert.rule.startswith("surge: conflict 300 vs baseline 2")
    assert alert.item_ids == tuple(sorted(f"is40-{k}" for k in range(30)))
    (label,) = result.labels
    assert label.label == "risk alert" and label.item_ids == alert.item_ids
    assert result.to_arrow("alerts").num_rows == 1


def test_a_missing_day_is_not_read_as_zero_by_the_baseline():
    # 20 days without any article right before a doubling: read as zeros, the baseline would
    # fall to 0 and 300 (≥ the guard's high level) would be a risk alert; read as missing, the
    # baseline is still 150 and the day is "deteriorated" (ratio 2), not an alert
    h = HandStore()
    for d in range(40):
        for k in range(15):
            h.event(f"bg{d}-{k}", d, "ARM", "AZE", goldstein=-10, incident=f"ib{d}-{k}")
    for k in range(30):
        h.event(f"late{k}", 60, "ARM", "AZE", goldstein=-10, incident=f"il{k}")
    result = escalation(h.write(Store(":memory:")), EventQuery(), min_events=1, every_period=True)
    last = result.labels[-1]
    assert last.period == "2024-05-03"
    assert last.label == "deteriorated", last.rule
    assert "baseline 150" in last.rule
    assert result.alerts == []
    assert [lab.label for lab in result.labels[40:60]] == ["no data"] * 20


def test_min_events_and_per_actor():
    h = HandStore()
    background(h)
    surge(h, 40)
    h.event("x", 3, "RUS", "UKR", incident="ix")
    store = h.write(Store(":memory:"))
    assert set(series_of(store)) == {"ARM-AZE", "RUS-UKR"}
    assert {s.key for s in store_series(store, EventQuery(), min_events=5)} == {"ARM-AZE"}
    actors = {s.key: s for s in store_series(store, EventQuery(), by="actor", min_events=1)}
    assert set(actors) == {"ARM", "AZE", "RUS", "UKR"}
    assert np.nansum(actors["ARM"].channels["conflict"]) == np.nansum(actors["AZE"].channels["conflict"])
    result = escalation(store, EventQuery(), by="actor", min_events=5)
    assert {a.key for a in result.alerts} == {"ARM", "AZE"}
    assert all(a.item_ids for a in result.alerts)


def test_directed_keys_and_weeks():
    h = HandStore()
    background(h)
    surge(h, 40)
    keys = set(series_of(h.write(Store(":memory:")), directed=True))
    assert keys == {"ARM>AZE", "AZE>ARM"}
    weekly = series_of(h.write(Store(":memory:")), period="week")["ARM-AZE"]
    assert weekly.step == 7 and str(weekly.dates[0]) == "2024-03-04"
    assert weekly.channels["count"][0] == 7.0


def test_negated_events_are_not_behind_an_alert():
    h = HandStore()
    background(h)
    surge(h, 40)
    h.event("denial", 40, "AZE", "ARM", certainty="negated", incident="denied")
    result = escalation(h.write(Store(":memory:")), EventQuery(), min_events=1)
    assert "denied" not in result.alerts[0].item_ids


def test_rules_and_periods_are_checked():
    store = Store(":memory:")
    with pytest.raises(QueryError):
        list(store_series(store, EventQuery(), period="month"))
    assert escalation(store, EventQuery()).keys == 0  # an empty store: nothing to test
    quiet = replace(RULES, ratio=100.0)
    h = HandStore()
    background(h)
    surge(h, 40, n=3)
    assert escalation(h.write(Store(":memory:")), EventQuery(), min_events=1, rules=quiet).alerts == []
    assert date(2024, 3, 4)  # (the hand store's first day)


@pytest.mark.parametrize("materialise", [False, True])
def test_the_series_of_a_few_keys_are_those_of_the_whole_store(materialise):
    """Asking for some keys restricts the events read before any grouping (a dashboard labels
    eight dyads); the series must be exactly those the whole store gives for those keys."""
    from flashpoint.analysis.dyads import refresh

    h = HandStore()
    background(h)
    surge(h, 40)
    h.event("x", 3, "RUS", "UKR", incident="ix")
    h.event("y", 5, "ARM", "RUS", incident="iy")
    store = h.write(Store(":memory:"))
    if materialise:
        refresh(store)
    for by, keys in (("dyad", ["ARM-AZE", "RUS-UKR"]), ("actor", ["AZE", "RUS"])):
        whole = {s.key: s for s in store_series(store, EventQuery(), by=by, min_events=1)}
        some = {s.key: s for s in store_series(store, EventQuery(), by=by, min_events=1, keys=keys)}
        assert set(some) == set(keys)
        for key in keys:
            for name, values in whole[key].channels.items():
                np.testing.assert_array_equal(some[key].channels[name], values)


def test_the_rules_preset_fits_the_store_not_the_query():
    """A busy store (120 articles on one day) is wire-scale; a dyad in it with one article was
    given the articles preset, so its page and the overview labelled it by different rules."""
    from flashpoint.analysis.stored_escalation import choose_rules

    h = HandStore()
    for k in range(120):
        h.event(f"a{k}", 0, "RUS", "UKR", incident=f"i{k}")
    h.event("lone", 0, "ARM", "AZE", incident="lone")
    store = h.write(Store(":memory:"))
    whole, why = choose_rules(store, EventQuery())
    assert whole.name == "wire", why
    for query in (EventQuery(dyad="ARM-AZE"), EventQuery(actors=("ARM",)), EventQuery(types=("ASSAULT",))):
        assert choose_rules(store, query)[0].name == "wire"
    assert choose_rules(store, EventQuery(since=date(2030, 1, 1)))[0].name == "articles"  # an empty window


_OLD_CHOICE = """
SELECT count(*) FILTER (a.outlet LIKE 'import:%'), count(*),
       count(DISTINCT a.id) FILTER (a.outlet IS NULL OR a.outlet NOT LIKE 'import:%'),
       count(DISTINCT a.published) FILTER (a.outlet IS NULL OR a.outlet NOT LIKE 'import:%')
FROM events e JOIN articles a ON a.id = e.article_id {where}"""


def test_the_preset_counts_are_those_of_every_event_joined_to_its_article():
    """The preset is chosen from the window's events counted per article, then joined to the
    articles: the same counts (and so the same preset and reason) as the join of every event."""
    from flashpoint.analysis.stored_escalation import _choose, choose_rules

    h = HandStore()
    for k in range(30):  # analysed articles of several events, some on the same day
        for j in range(1 + k % 3):
            h.event(f"a{k}", k % 9, "RUS", "UKR", incident=f"i{k}-{j}")
    for k in range(25):  # imported event rows: a majority in the first days only
        h.article(f"imp{k}", published=DAY0, outlet="import:gdelt")
        h.event(f"imp{k}", k % 3, "ARM", "AZE")
    h.event("undated", None, "ARM", "AZE")
    store = h.write(Store(":memory:"))
    windows = [(None, None), (DAY0, DAY0 + timedelta(days=2)), (DAY0 + timedelta(days=4), None),
               (None, DAY0 + timedelta(days=1)), (date(2030, 1, 1), None)]
    reasons = set()
    for since, until in windows:
        where = EventQuery(since=since, until=until).events_where("e")
        imported, events, articles, days = store.fetchall(_OLD_CHOICE.format(where=where.sql), where.params)[0]
        rules, why = _choose(store, since, until)
        assert f"{articles:,} analysed articles" in why or f"{imported:,} of {events:,} events" in why, why
        if imported * 2 <= events and days:
            assert f"{articles / days:.3g} per day" in why
        assert choose_rules(store, EventQuery(since=since, until=until)) == (rules, why)
        reasons.add(rules.name)
    assert reasons == {"wire", "articles"}  # both presets were chosen: the test can tell them apart
