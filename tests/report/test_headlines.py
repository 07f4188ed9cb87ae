"""What the report and the dashboard's overview say first: the corpus's publication range (not
the events' dates, which reach back to history recalled and forward to plans), a dyad's peak
beside its last period, and international incidents before a country's own quarrels.

The stores are built by hand (``dashboard_store.article``): every date and every count below
follows from the articles written here."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from dashboard_store import DAY0, article

from flashpoint.analysis import overview
from flashpoint.analysis.escalation import baselines, label_periods
from flashpoint.analysis.incidents import rebuild
from flashpoint.analysis.stored_escalation import choose_rules, states, store_series
from flashpoint.ingest.run import load_rules
from flashpoint.records import EventDate
from flashpoint.report.html import ReportOptions, render_report
from flashpoint.store import Store
from flashpoint.web.app import WebSettings, create_app


def _store(path: Path, analyses: list) -> Path:
    with Store(path) as store:
        store.save_many(analyses)
        rebuild(store, load_rules()[1])
    return path


def _redate(analysis, index: int, value: str, granularity: str):
    """The analysis with its ``index``-th event dated ``value`` by the text."""
    events = list(analysis.events)
    events[index] = replace(events[index], date=EventDate(value, granularity, events[index].trigger, "text"))
    return replace(analysis, events=tuple(events))


def _overview_html(db: Path, query: str = "") -> str:
    from fastapi.testclient import TestClient

    with TestClient(create_app(db, WebSettings())) as client:
        response = client.get(f"/{query}", headers={"accept": "text/html"})
    assert response.status_code == 200
    return response.text


# -- 1. the publication range heads the summary ------------------------------------------------


@pytest.fixture(scope="module")
def dated_db(tmp_path_factory) -> Path:
    # four articles published DAY0 … DAY0 + 9; one recalls a treaty of 1924, one sets a target
    # for 2030: the events' dates run from 1924 to 2030, the corpus covers ten days
    recall = _redate(article(1, 0, [("Russia and Turkey agreed to a ceasefire plan.",
                                     [("AGREE", "agreed", "Russia", "Turkey", "asserted")])]), 0, "1924", "year")
    target = _redate(article(2, 4, [("Russia sent aid to Armenia.",
                                     [("AID", "sent", "Russia", "Armenia", "asserted")])]), 0, "2030", "year")
    today = article(3, 9, [("Azerbaijani troops shelled Armenia on Friday.",
                            [("ASSAULT", "shelled", "Azerbaijani troops", "Armenia", "asserted")])])
    agree = article(4, 6, [("Russia and Turkey agreed to a new ceasefire plan.",
                            [("AGREE", "agreed", "Russia", "Turkey", "asserted")])])
    return _store(tmp_path_factory.mktemp("dated") / "d.duckdb", [recall, target, today, agree])


def test_the_summary_gives_the_publication_range(dated_db: Path) -> None:
    with Store(dated_db, read_only=True) as store:
        s = overview.store_summary(store)
    assert (s["published_first"], s["published_last"]) == (DAY0, DAY0 + timedelta(days=9))
    assert (s["day_first"], s["day_last"]) == (DAY0 + timedelta(days=6), DAY0 + timedelta(days=9))
    assert s["dated_outside"] == 2
    # the API keeps the full range of the events' dates
    assert (s["first_date"], s["last_date"]) == (date(1924, 1, 1), date(2030, 12, 31))


def test_the_report_and_the_overview_head_with_the_publication_range(dated_db: Path) -> None:
    with Store(dated_db, read_only=True) as store:
        html = render_report(store, ReportOptions())
    header = html[html.index("<header>"):html.index("</header>")]
    page = _overview_html(dated_db)
    summary = page[page.index('id="summary"'):page.index("</p>", page.index('id="summary"'))]
    for text in (header, summary):
        assert f"4 articles published {DAY0} to {DAY0 + timedelta(days=9)}" in text
        assert "1924-01-01" not in text and "2030-12-31" not in text
        assert "2 events dated outside the publication range" in " ".join(text.split())


# -- 2. a dyad's peak beside its last period -----------------------------------------------------


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


@pytest.fixture(scope="module")
def peak_db(tmp_path_factory) -> Path:
    # twelve weeks: a verbal quarrel each week, a shelling and a threat in week 8, then quiet
    # quarrels again; the last week is like the first seven, the peak is week 8
    out, n = [], 0
    for week in range(12):
        n += 1
        out.append(article(n, 7 * week, [(f"Yerevan accused Baku of aggression in note {n}.",
                                          [("ACCUSE", "accused", "Yerevan", "Baku", "asserted")])]))
        if week == 8:
            n += 1
            out.append(article(n, 7 * week + 1, [
                (f"Azerbaijani troops shelled Armenia near post {n}.",
                 [("ASSAULT", "shelled", "Azerbaijani troops", "Armenia", "asserted")]),
                ("Armenia may threaten Azerbaijan with a response.",
                 [("THREATEN", "threaten", "Armenia", "Azerbaijan", "asserted")])]))
    return _store(tmp_path_factory.mktemp("peak") / "p.duckdb", out)


def test_the_peak_is_the_period_of_most_conflict_with_its_own_label(peak_db: Path) -> None:
    with Store(peak_db, read_only=True) as store:
        esc = states(store, ["ARM-AZE"])["ARM-AZE"]
        rules = choose_rules(store)[0]
        series = next(store_series(store, period=rules.period, min_events=0, keys=["ARM-AZE"]))
    peak_week = _week(DAY0 + timedelta(days=7 * 8 + 1))
    assert rules.period == "week"
    assert esc["peak"]["period"] == peak_week.isoformat()
    assert esc["peak"]["channel"] == "conflict" and esc["peak"]["latest"] is False
    assert esc["period"] != esc["peak"]["period"]
    # the peak's label is the detector's own label of that period
    t = int(series.channels["conflict"].argmax())
    own = label_periods(series, rules, [t], baselines(series, rules))[0]
    assert (esc["peak"]["label"], esc["peak"]["rule"]) == (own.label, own.rule)
    assert esc["peak"]["label"] in ("deteriorated", "risk alert")
    assert esc["label"] not in ("deteriorated", "risk alert")


def test_the_report_and_the_dashboard_show_the_peak_beside_the_last_period(peak_db: Path) -> None:
    from fastapi.testclient import TestClient

    peak_week = _week(DAY0 + timedelta(days=7 * 8 + 1)).isoformat()
    with Store(peak_db, read_only=True) as store:
        html = render_report(store, ReportOptions(dyads=("ARM-AZE",)))
        esc = states(store, ["ARM-AZE"])["ARM-AZE"]
    with TestClient(create_app(peak_db, WebSettings())) as client:
        dyad = client.get("/dyad/ARM-AZE", headers={"accept": "text/html"}).text
        api = client.get("/api/overview").json()["data"]
    expected = re.compile(rf"peak in the week of {peak_week} \(conflict [\d.]+\):\s*<span[^>]*>{esc['peak']['label']}"
                          rf"</span> → now <span[^>]*>{esc['label']}</span>")
    assert expected.search(html) and expected.search(dyad)
    row = next(d for d in api["dyads"] if d["key"] == "ARM-AZE")
    assert row["peak"]["period"] == peak_week
    overview_html = _overview_html(peak_db)
    assert f"{peak_week} <span class=\"label label-{esc['peak']['label'].replace(' ', '-')}\"" in overview_html


def test_no_peak_line_when_the_peak_is_the_last_period(dated_db: Path) -> None:
    with Store(dated_db, read_only=True) as store:
        esc = states(store, ["ARM-AZE"])["ARM-AZE"]
        html = render_report(store, ReportOptions(dyads=("ARM-AZE",)))
    assert esc["peak"]["latest"] is True
    assert "peak in the" not in html


def test_a_dyad_without_conflict_peaks_on_cooperation(dated_db: Path) -> None:
    with Store(dated_db, read_only=True) as store:
        esc = states(store, ["RUS-TUR"])["RUS-TUR"]
    assert esc["peak"]["channel"] == "cooperation"


# -- 3. international incidents first ---------------------------------------------------------


@pytest.fixture(scope="module")
def scoped_db(tmp_path_factory) -> Path:
    # a domestic quarrel (Yerevan → Armenian …) reported by three outlets, a one-sided accusation
    # by two, and one shelling across the border reported once
    out = [article(n, 0, [(f"Yerevan accused Armenian opposition leaders of treason, report {n}.",
                           [("ACCUSE", "accused", "Yerevan", "Armenian", "asserted")])]) for n in (1, 2, 3)]
    out += [article(n, 0, [(f"Baku accused unnamed groups of sabotage, report {n}.",
                            [("ACCUSE", "accused", "Baku", "", "asserted")])]) for n in (4, 5)]
    out.append(article(6, 0, [("Azerbaijani troops shelled Armenia on Friday.",
                               [("ASSAULT", "shelled", "Azerbaijani troops", "Armenia", "asserted")])]))
    return _store(tmp_path_factory.mktemp("scoped") / "s.duckdb", out)


def test_incidents_have_a_scope(scoped_db: Path) -> None:
    with Store(scoped_db, read_only=True) as store:
        rows = overview.top_incidents(store, limit=10)
    assert [(r["type"], r["source_count"], r["scope"]) for r in rows] == [
        ("ACCUSE", 3, "domestic"), ("ACCUSE", 2, "domestic"), ("ASSAULT", 1, "international")]


def test_international_incidents_come_first_and_nothing_is_hidden(scoped_db: Path) -> None:
    with Store(scoped_db, read_only=True) as store:
        ranked = overview.top_incidents(store, limit=1)  # by sources alone: the domestic quarrel
        split = overview.top_incidents(store, limit=1, domestic=2)
    assert [r["scope"] for r in ranked] == ["domestic"]
    assert [(r["type"], r["scope"]) for r in split] == [
        ("ASSAULT", "international"), ("ACCUSE", "domestic"), ("ACCUSE", "domestic")]


def test_the_report_and_the_overview_list_international_incidents_first(scoped_db: Path) -> None:
    with Store(scoped_db, read_only=True) as store:
        html = render_report(store, ReportOptions(top_incidents=5))
    page = _overview_html(scoped_db)
    for text in (html, page):
        international = text.index("Between countries or organisations")
        domestic = text.index("Domestic or one-sided")
        shelling = text.index("AZEMIL → ARM")
        quarrel = text.index("ARMGOV → ARM")
        assert international < shelling < domestic < quarrel
