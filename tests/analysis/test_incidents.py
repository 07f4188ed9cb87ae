"""Incidents: the matching rule on hand-built events, then end to end on hand-written articles."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from corpus_articles import ARTICLE_SET, write_jsonl

from flashpoint.analysis.incidents import (
    EventFacts,
    IncidentRules,
    Participant,
    cluster,
    listing,
)
from flashpoint.cli import cli
from flashpoint.errors import DataFileError
from flashpoint.ingest.run import IngestOptions, ingest, load_rules
from flashpoint.store import FLAT_COLUMNS, Store

RULES = load_rules()[1]
MONDAY = date(2024, 3, 11)


def actor(code: str) -> Participant:
    """AZE → country AZE, no sector; AZEMIL → AZE + MIL; NATO → organisation."""
    if len(code) > 3 and code[:3].isupper() and code not in ("NATO", "CSTO"):
        return Participant(code[:3], code[3:], code)
    return Participant(code, None, code)


def event(n: int, type_: str = "ASSAULT", src: str = "AZEMIL", tgt: str = "ARM", day: int = 0,
          *, quad: int = 4, article: str | None = None, root: str = "", country: str | None = None,
          place: str | None = None, certainty: str = "asserted", span: int = 1) -> EventFacts:
    start = MONDAY + timedelta(days=day)
    return EventFacts(
        article_id=article or f"art{n}", position=0, event_id=f"ev{n}", type=type_, quad_class=quad,
        date_start=start, date_end=start + timedelta(days=span - 1),
        sources=tuple(actor(c) for c in src.split()), targets=tuple(actor(c) for c in tgt.split()),
        location_name=place, location_country=country, certainty=certainty, root_article=root,
        published=start + timedelta(days=1), outlet=f"outlet{n}")


def groups(events: list[EventFacts], rules: IncidentRules = RULES) -> list[list[str]]:
    return sorted(sorted(e.event_id for e in i.events) for i in cluster(events, rules))


@pytest.mark.parametrize("second, merged", [
    (dict(), True),                                        # the same report again
    (dict(src="AZE"), True),                               # the country for its army
    (dict(src="AZEGOV"), False),                           # the government is not the army
    (dict(tgt=""), True),                                  # a report that names no target
    (dict(src="", tgt=""), False),                         # no actor at all: nothing to tie
    (dict(src="ARM", tgt="AZEMIL"), False),                # the other direction
    (dict(src="RUSMIL"), False),                           # another attacker
    (dict(day=2), True),                                   # two days later: within max_days
    (dict(day=3), False),                                  # three days later
    (dict(day=-2), True),
    (dict(type_="COERCE"), True),                          # a close type, same QuadClass
    (dict(type_="COERCE", quad=3), False),                 # … but not across QuadClasses
    (dict(type_="ACCUSE", quad=3), False),                 # another kind of happening
    (dict(country="AZE"), True),                           # one place known, the other not
    (dict(span=30), False),                                # dated to a month only
])
def test_matching_rule(second: dict, merged: bool) -> None:
    events = sorted([event(1, country=None), event(2, **second)],
                    key=lambda e: e.date_start)
    assert (len(groups(events)) == 1) == merged


def test_places_in_different_countries_are_different_incidents() -> None:
    assert len(groups([event(1, country="ARM"), event(2, country="AZE")])) == 2
    assert len(groups([event(1, country="ARM", place="Jermuk"), event(2, country="ARM", place="Goris")])) == 1
    strict = IncidentRules(**{**RULES.__dict__, "same_place_name": True})
    assert len(groups([event(1, country="ARM", place="Jermuk"), event(2, country="ARM", place="Goris")], strict)) == 2


def test_reversed_dyads_merge_only_when_allowed() -> None:
    events = [event(1), event(2, src="ARMMIL", tgt="AZE")]
    assert len(groups(events)) == 2
    assert len(groups(events, IncidentRules(**{**RULES.__dict__, "reversed_dyads": True}))) == 1


def test_an_incident_does_not_chain_past_its_longest_span() -> None:
    # daily shelling between the same armies for a week is not one incident
    events = [event(n, day=n) for n in range(7)]
    found = groups(events)
    assert len(found) == 2 and found[0] == ["ev0", "ev1", "ev2", "ev3", "ev4"]


def test_an_event_joins_the_incident_sharing_most_actors() -> None:
    events = [event(1, src="AZEMIL", tgt="ARMGOV"), event(2, src="AZEMIL AZEGOV", tgt="ARMMIL"),
              event(3, src="AZEMIL AZEGOV", tgt="ARMGOV ARMMIL")]
    # ev3 fits both; it shares three actors with ev2 and two with ev1
    assert groups(events) == [["ev1"], ["ev2", "ev3"]]


def test_summary_counts_sources_copies_and_certainty() -> None:
    events = [event(1, article="wire", certainty="attributed"),
              event(2, article="copy", root="wire", certainty="hedged"),
              event(3, article="independent", certainty="asserted", country="ARM", place="Jermuk"),
              event(4, article="independent", tgt="ARMMIL", day=1)]
    (incident,) = list(cluster(events, RULES))
    summary = incident.summary()
    assert summary["events"] == 4
    assert summary["reports"] == 3          # three articles …
    assert summary["source_count"] == 2     # … two of them independent
    assert summary["certainty"] == "asserted"
    assert summary["first_date"] == MONDAY and summary["last_date"] == MONDAY + timedelta(days=1)
    assert summary["source_codes"] == ["AZEMIL"] and summary["target_codes"] == ["ARM", "ARMMIL"]
    assert summary["location_name"] == "Jermuk" and summary["location_country"] == "ARM"
    assert summary["sources"] == ["outlet1", "outlet2", "outlet3", "outlet4"]
    assert summary["first_report"] == MONDAY + timedelta(days=1)


def test_a_copy_repeats_its_originals_events_even_without_actors() -> None:
    from dataclasses import replace

    wire = replace(event(1, src="", tgt="", article="wire"), trigger="shelled")
    copy = replace(event(2, src="", tgt="", article="copy", root="wire", day=1), trigger="shelled")
    other = replace(event(3, src="", tgt="", article="other", day=1), trigger="shelled")
    (merged, alone) = sorted(cluster([wire, copy, other], RULES), key=lambda i: -len(i.events))
    assert [e.event_id for e in merged.events] == ["ev1", "ev2"] and merged.summary()["source_count"] == 1
    assert [e.event_id for e in alone.events] == ["ev3"]


def test_copies_of_a_month_dated_event_merge_only_with_each_other() -> None:
    from dataclasses import replace

    month = dict(src="AZEMIL", tgt="ARM", span=31, day=-10)
    wire = replace(event(1, article="wire", **month), trigger="shelled")
    copy = replace(event(2, article="copy", root="wire", **month), trigger="shelled")
    day = replace(event(3, article="other"), trigger="shelled")  # inside that month, same actors
    assert groups([wire, copy, day]) == [["ev1", "ev2"], ["ev3"]]


def test_incident_ids_are_stable() -> None:
    events = [event(1), event(2)]
    assert [i.id for i in cluster(events, RULES)] == [i.id for i in cluster(list(events), RULES)]


def test_memory_holds_only_open_incidents() -> None:
    """A long stream yields its incidents as they close, not at the end."""
    def stream():
        for n in range(10_000):
            yield event(n, day=n // 10)

    incidents = cluster(stream(), RULES)
    first = next(incidents)
    assert first.events[0].event_id == "ev0"


@pytest.mark.parametrize("values, message", [
    ({"max_days": -1}, "must not be negative"),
    ({"close_types": [{"types": ["ASSAULT", "SHOUT"], "why": "x"}]}, "unknown PLOVER types"),
    ({"close_types": [{"types": ["ASSAULT", "COERCE"]}]}, "need `types"),
    ({"max_dayz": 3}, "no setting"),
])
def test_bad_incident_settings_are_refused(values: dict, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        IncidentRules.from_mapping(values)


# -- end to end --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written set ingested: wire story, syndicated copy, rewrite, an independent
    report of the same shelling and an unrelated article of the same day."""
    folder = tmp_path_factory.mktemp("incidents")
    corpus = write_jsonl(folder / "set.jsonl",
                         [{"id": i, "text": t, "published": p, "url": u} for i, t, p, u in ARTICLE_SET])
    dedup, incident_rules = load_rules()
    ingest([str(corpus)], folder / "db.duckdb", options=IngestOptions(dedup=dedup, incident_rules=incident_rules))
    return folder / "db.duckdb"


def incident_articles(db: Path) -> list[tuple[str, int, int, list[str]]]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        """SELECT i.id, i.source_count, i.reports, list(DISTINCT a.record_id ORDER BY a.record_id)
           FROM incidents i JOIN incident_events ie ON ie.incident_id = i.id
           JOIN articles a ON a.id = ie.article_id
           WHERE i.type = 'ASSAULT' AND list_contains(i.source_codes, 'AZEMIL')
           GROUP BY ALL ORDER BY i.reports DESC""").fetchall()
    con.close()
    return rows


@pytest.mark.slow
def test_the_shelling_is_one_incident_with_two_independent_sources(reported: Path) -> None:
    (_, sources, reports, articles), *_ = incident_articles(reported)
    assert articles == ["copy", "independent", "rewrite", "wire"]
    assert reports == 4 and sources == 2  # the copy and the rewrite count with the wire story


@pytest.mark.slow
def test_the_unrelated_article_stays_apart(reported: Path) -> None:
    for _, _, _, articles in incident_articles(reported):
        assert "unrelated" not in articles


@pytest.mark.slow
def test_every_event_has_one_incident_and_exports_carry_it(reported: Path, tmp_path: Path) -> None:
    with Store(reported, read_only=True) as store:
        rows = store.events()
        assert rows and all(r["incident_id"] for r in rows)
        assert store.count("incident_events") == store.count("events")
        store.export(tmp_path / "events.csv", "csv")
        store.export(tmp_path / "months", "parquet", partition_by="month")
    header = (tmp_path / "events.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(FLAT_COLUMNS) and "incident_id" in header
    months = sorted(p.name for p in (tmp_path / "months").iterdir())
    assert "month=2024-03" in months
    back = duckdb.connect().execute(
        f"SELECT count(*), count(DISTINCT month) FROM read_parquet('{tmp_path}/months/*/*.parquet', "
        "hive_partitioning = true)").fetchone()
    assert back[0] == len(rows) and back[1] == len(months)


@pytest.mark.slow
def test_incidents_command_lists_and_filters(reported: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["incidents", "--db", str(reported), "--min-sources", "2"])
    assert table.exit_code == 0, table.output
    assert "ASSAULT" in table.output and "AZEMIL" in table.output
    lines = runner.invoke(cli, ["incidents", "--db", str(reported), "--actor", "UKR", "--format", "jsonl"])
    assert lines.exit_code == 0 and lines.output
    assert all("UKR" in line for line in lines.output.splitlines())
    none = runner.invoke(cli, ["incidents", "--db", str(reported), "--since", "2030-01-01", "--format", "csv"])
    assert none.exit_code == 0 and none.output.splitlines()[0].startswith("id,")
    assert len(none.output.splitlines()) == 1


@pytest.mark.slow
def test_listing_sorts_by_sources(reported: Path) -> None:
    with Store(reported, read_only=True) as store:
        rows = listing(store, sort="sources", limit=3)
    assert len(rows) == 3 and rows[0]["source_count"] >= rows[1]["source_count"] >= rows[2]["source_count"]


def test_equally_reported_incidents_list_the_latest_reported_first() -> None:
    from hand_store import HandStore

    h = HandStore()
    h.event("old", date(2007, 1, 1), "USAGOV", "IRN", incident="history")  # history recalled
    h.event("plan", date(2025, 1, 1), "GRCGOV", "CYPGOV", incident="plan")  # a plan for a coming year
    h.event("news", date(2024, 3, 2), "AZEMIL", "ARM", incident="news")
    store = h.write(Store(":memory:"))
    reported = {"history": date(2024, 3, 1), "plan": date(2024, 2, 1), "news": date(2024, 3, 3)}
    for iid, day in reported.items():
        store.execute("UPDATE incidents SET last_report = ? WHERE id = ?", [day, iid])
    assert [r["id"] for r in listing(store, sort="sources")] == ["news", "history", "plan"]
