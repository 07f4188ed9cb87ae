"""The DuckDB store: record → rows → record round trips, replacement, filters, exports, errors."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flashpoint
from flashpoint.errors import StoreError
from flashpoint.records import (
    CERTAINTY_LABELS,
    PLOVER_TYPES,
    Actor,
    ActorRef,
    Analysis,
    Article,
    Certainty,
    CertaintyProfile,
    Event,
    EventDate,
    Location,
    Sentence,
    Skipped,
)
from flashpoint.store import FLAT_COLUMNS, ActorCount, Store

TEXT = (
    "Azerbaijani troops shelled Jermuk on Tuesday, the Armenian foreign ministry said. "
    "NATO will probably urge Baku to stop. "
    "Protesters gathered in Yerevan in February."
)


def span_of(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return (start, start + len(word))


def make_analysis(text: str = TEXT, *, url: str = "https://example.org/jermuk") -> Analysis:
    """Three sentences, three events: one with two sources, one NATO event, one without actors."""
    article = Article(text, title="Shelling near Jermuk", published=date(2022, 9, 15), url=url)
    ends = [i + 1 for i, ch in enumerate(text) if ch == "."]
    starts = [0, ends[0] + 1, ends[1] + 1]
    said = Certainty("attributed", ("said",), "the Armenian foreign ministry")
    sentences = (
        Sentence(0, (starts[0], ends[0]), said),
        Sentence(1, (starts[1], ends[1]), Certainty("future", ("will", "probably"))),
        Sentence(2, (starts[2], ends[2])),
    )
    aze_mil = ActorRef(
        span_of(text, "Azerbaijani troops"), "AZE", "AZE", None, "MIL", "AZEMIL", "Azerbaijan"
    )
    aze_gov = ActorRef(span_of(text, "Baku"), "AZE", "AZE", None, "GOV", "AZEGOV", "Azerbaijan")
    arm = ActorRef(span_of(text, "Armenian"), "ARM", "ARM", None, "GOV", "ARMGOV", "Armenia")
    nato = ActorRef(span_of(text, "NATO"), "NATO", None, "NATO", None, "NATO", "NATO")
    shelled = Event(
        id="ev-shell",
        sentence=0,
        trigger=span_of(text, "shelled"),
        source=(aze_mil, aze_gov),
        target=(arm,),
        type="ASSAULT",
        mode="aerial",
        context=("military",),
        cameo="195",
        quad_class=4,
        goldstein=-10.0,
        date=EventDate("2022-09-13", "day", span_of(text, "on Tuesday"), "text"),
        location=Location("Jermuk", "ARM", 39.84, 45.67, span_of(text, "Jermuk")),
        certainty=said,
        confidence=0.9,
    )
    urge = Event(
        id="ev-urge",
        sentence=1,
        trigger=span_of(text, "urge"),
        source=(nato,),
        target=(aze_gov,),
        type="REQUEST",
        mode=None,
        context=(),
        cameo="10",
        quad_class=1,
        goldstein=-5.0,
        date=EventDate("2022-09-15", "day", None, "publication"),
        certainty=Certainty("future", ("will",)),
        confidence=0.6,
    )
    protest = Event(
        id="ev-protest",
        sentence=2,
        trigger=span_of(text, "gathered"),
        source=(),
        target=(),
        type="PROTEST",
        mode="demonstrate",
        context=("political",),
        cameo="141",
        quad_class=3,
        goldstein=-6.5,
        date=EventDate("2022-02", "month", span_of(text, "in February"), "text"),
        location=Location("Yerevan", "ARM", None, None, None),
        confidence=0.5,
    )
    return Analysis(
        article=article,
        sentences=sentences,
        actors=(
            Actor("AZE", "Azerbaijan", "AZE", None, None, 2),
            Actor("ARM", "Armenia", "ARM", None, None, 1),
            Actor("NATO", "NATO", None, "NATO", None, 1),
        ),
        events=(shelled, urge, protest),
        certainty_profile=CertaintyProfile(
            {"attributed": 1 / 3, "future": 1 / 3, "asserted": 1 / 3},
            (("said", 1), ("will", 1)),
            (("the Armenian foreign ministry", 1),),
        ),
        skipped=(Skipped("too_long", "sentence 7 exceeds 1000 characters"),),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "events.duckdb"


@pytest.fixture
def store(db: Path):
    with Store(db) as s:
        yield s


ROW_TABLES = ("articles", "sentences", "actors", "events", "event_actors", "profiles", "skipped")


def counts(store: Store) -> dict[str, int]:
    return {table: store.count(table) for table in ROW_TABLES}


# -- save and load -----------------------------------------------------------------------------


def test_save_then_load_rebuilds_the_record(store: Store) -> None:
    analysis = make_analysis()
    store.save(analysis)
    assert store.load(analysis.id) == analysis


def test_load_survives_closing_and_reopening(db: Path) -> None:
    analysis = make_analysis()
    with Store(db) as store:
        store.save(analysis)
    with Store(db, read_only=True) as store:
        assert store.load(analysis.id) == analysis


def test_load_by_record_id(store: Store) -> None:
    analysis = replace(make_analysis(), id="feed-42")
    store.save(analysis)
    assert store.load("feed-42") == analysis
    assert store.load(analysis.article.id) == analysis


def test_load_unknown_id(store: Store) -> None:
    with pytest.raises(StoreError, match="no analysis with id 'nope'"):
        store.load("nope")


def test_rows_per_table(store: Store) -> None:
    store.save(make_analysis())
    assert counts(store) == {
        "articles": 1, "sentences": 3, "actors": 3, "events": 3,
        "event_actors": 5, "profiles": 1, "skipped": 1,
    }  # fmt: skip


def test_resaving_replaces_rows_instead_of_duplicating(store: Store) -> None:
    analysis = make_analysis()
    store.save(analysis)
    before = counts(store)
    store.save(analysis)
    assert counts(store) == before
    fewer = replace(analysis, events=analysis.events[:1], skipped=())
    store.save(fewer)
    assert store.load(analysis.id) == fewer
    assert store.count("events") == 1 and store.count("skipped") == 0


def test_two_articles_coexist(store: Store) -> None:
    first = make_analysis()
    second = make_analysis(TEXT + " Talks resumed.", url="https://example.org/talks")
    assert first.id != second.id
    store.save_many([first, second])
    assert store.load(first.id) == first
    assert store.load(second.id) == second
    assert store.count("articles") == 2
    assert store.count("events") == 6


def test_save_many_counts_and_keeps_the_last_duplicate(store: Store) -> None:
    analysis = make_analysis()
    newer = replace(analysis, events=())
    assert store.save_many([analysis, newer], batch_size=1) == 2
    assert store.load(analysis.id) == newer
    assert store.save_many([analysis, newer]) == 2
    assert store.load(analysis.id) == newer
    assert store.count("articles") == 1


def test_record_skipped(store: Store) -> None:
    store.record_skipped("feed.jsonl:12", "empty", "no text after cleaning")
    assert store.count("skipped") == 1
    store.save(make_analysis())  # the article's own skipped rows sit beside it
    assert store.count("skipped") == 2


def test_actor_counts_across_articles(store: Store) -> None:
    store.save_many([make_analysis(), make_analysis(TEXT + " Again.")])
    assert store.actor_counts() == [
        ActorCount("AZE", "Azerbaijan", "AZE", None, None, 4, 2),
        ActorCount("ARM", "Armenia", "ARM", None, None, 2, 2),
        ActorCount("NATO", "NATO", None, "NATO", None, 2, 2),
    ]


def test_count_refuses_unknown_tables(store: Store) -> None:
    with pytest.raises(StoreError, match="no table"):
        store.count("articles; DROP TABLE articles")


# -- failures roll back ------------------------------------------------------------------------


def test_failure_mid_save_leaves_prior_rows_intact(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysis = make_analysis()
    store.save(analysis)
    before = counts(store)
    real_insert = Store._insert

    def failing_insert(self: Store, table: str, rows):  # type: ignore[no-untyped-def]
        if table == "events":
            raise RuntimeError("disk on fire")
        real_insert(self, table, rows)

    monkeypatch.setattr(Store, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save(replace(analysis, events=analysis.events[:1]))
    monkeypatch.undo()
    assert counts(store) == before
    assert store.load(analysis.id) == analysis


def test_duckdb_error_mid_save_is_a_store_error_and_rolls_back(store: Store) -> None:
    analysis = make_analysis()
    store.save(analysis)
    before = counts(store)
    # A span past INTEGER's range fails inside DuckDB, after the article's rows were deleted.
    broken = replace(analysis, sentences=(Sentence(0, (0, 2**40)),))
    with pytest.raises(StoreError):
        store.save(broken)
    assert counts(store) == before
    assert store.load(analysis.id) == analysis


# -- opening and migrating ---------------------------------------------------------------------


def test_schema_is_created_once(db: Path) -> None:
    latest = len(list((Path(flashpoint.__file__).parent / "store" / "schema").glob("[0-9][0-9][0-9][0-9]_*.sql")))
    with Store(db) as store:
        assert store.schema_version() == latest >= 2
    with Store(db) as store:
        assert store.count("schema_migrations") == latest


def test_a_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my precious notes\n", encoding="utf-8")
    with pytest.raises(StoreError, match="is not a Flashpoint database"):
        Store(notes)
    assert notes.read_text(encoding="utf-8") == "my precious notes\n"


def test_a_foreign_duckdb_database_is_refused(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE budget (item VARCHAR, amount INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a Flashpoint one"):
        Store(db)
    con = duckdb.connect(str(db))
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    assert tables == {"budget"}


def test_a_newer_schema_is_refused(db: Path) -> None:
    with Store(db):
        pass
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_migrations VALUES (99, now()::TIMESTAMP)")
    con.close()
    with pytest.raises(StoreError, match="schema version 99, newer than"):
        Store(db)


def test_read_only_store_refuses_writes(db: Path) -> None:
    with Store(db):
        pass
    with Store(db, read_only=True) as store, pytest.raises(StoreError):
        store.save(make_analysis())


def test_read_only_missing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_closed_store_raises_store_error(db: Path) -> None:
    store = Store(db)
    store.close()
    with pytest.raises(StoreError):
        store.count("articles")


# -- flat rows and filters ---------------------------------------------------------------------


def test_flat_rows_one_per_source_target_pair(store: Store) -> None:
    store.save(make_analysis())
    rows = store.events()
    assert all(tuple(row) == FLAT_COLUMNS for row in rows)
    by_event: dict[str, list[dict]] = {}
    for row in rows:
        by_event.setdefault(row["event_id"], []).append(row)
    shell = by_event["ev-shell"]
    assert [(r["source_code"], r["target_code"]) for r in shell] == [
        ("AZEMIL", "ARMGOV"),
        ("AZEGOV", "ARMGOV"),
    ]
    assert shell[0]["sentence_text"] == TEXT[: TEXT.index(".") + 1]
    assert shell[0]["cameo_root"] == "19" and shell[0]["date"] == "2022-09-13"
    assert shell[0]["lat"] == 39.84 and shell[0]["url"] == "https://example.org/jermuk"
    [protest] = by_event["ev-protest"]
    assert protest["source_code"] is None and protest["target_code"] is None
    assert protest["location_name"] == "Yerevan" and protest["lat"] is None


def test_flat_rows_are_ordered_by_date(store: Store) -> None:
    store.save(make_analysis())
    assert [r["date"] for r in store.events()] == [
        "2022-02",
        "2022-09-13",
        "2022-09-13",
        "2022-09-15",
    ]


def test_sentence_text_uses_character_offsets(store: Store) -> None:
    text = "Der Präsident 🇦🇿 sagte. Ölpreise stiegen. Ереван протестует."
    store.save(make_analysis_for(text))
    [row] = store.events()
    assert row["sentence_text"] == "Ölpreise stiegen."


def make_analysis_for(text: str) -> Analysis:
    article = Article(text)
    first = text.index(".") + 1
    second = text.index(".", first) + 1
    event = Event(
        "e", 1, span_of(text, "stiegen"), (), (), "COERCE", None, (), "17", 4, -5.0,
        EventDate(None, None),
    )  # fmt: skip
    return Analysis(
        article, (Sentence(0, (0, first)), Sentence(1, (first + 1, second))), events=(event,)
    )


@pytest.mark.parametrize(
    ("filters", "events"),
    [
        ({}, {"ev-shell", "ev-urge", "ev-protest"}),
        ({"actor": "AZE"}, {"ev-shell", "ev-urge"}),  # AZEMIL and AZEGOV by code prefix
        ({"actor": "aze"}, {"ev-shell", "ev-urge"}),
        ({"actor": "AZEGOV"}, {"ev-shell", "ev-urge"}),
        ({"actor": "AZEMIL"}, {"ev-shell"}),
        ({"actor": "ARM"}, {"ev-shell"}),  # country, not the Yerevan location
        ({"actor": "NATO"}, {"ev-urge"}),  # org
        ({"actor": "RUS"}, set()),
        ({"type": "assault"}, {"ev-shell"}),
        ({"type": "PROTEST"}, {"ev-protest"}),
        (
            {"since": date(2022, 2, 20)},
            {"ev-shell", "ev-urge", "ev-protest"},
        ),  # "2022-02" runs to the 28th
        ({"since": date(2022, 3, 1)}, {"ev-shell", "ev-urge"}),
        ({"since": date(2022, 9, 14)}, {"ev-urge"}),
        ({"until": date(2022, 2, 1)}, {"ev-protest"}),
        ({"since": date(2022, 9, 13), "until": date(2022, 9, 13)}, {"ev-shell"}),
        ({"actor": "AZE", "type": "REQUEST", "since": date(2022, 9, 1)}, {"ev-urge"}),
    ],
    ids=lambda v: json.dumps(v, default=str) if isinstance(v, dict) else None,
)
def test_filters(store: Store, filters: dict, events: set[str]) -> None:
    store.save(make_analysis())
    assert {row["event_id"] for row in store.events(**filters)} == events


def test_a_year_date_spans_the_year(store: Store) -> None:
    analysis = make_analysis()
    yearly = replace(analysis.events[2], date=EventDate("2021", "year", None, "text"))
    store.save(replace(analysis, events=(yearly,)))
    assert len(store.events(since=date(2021, 12, 31))) == 1
    assert store.events(since=date(2022, 1, 1)) == []


# -- exports -----------------------------------------------------------------------------------


def test_export_csv_file(store: Store, tmp_path: Path) -> None:
    store.save(make_analysis())
    out = tmp_path / "events.csv"
    store.export(out, "csv", actor="AZE")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == FLAT_COLUMNS
    assert [r["source_code"] for r in rows] == ["AZEMIL", "AZEGOV", "NATO"]
    assert rows[0]["target_org"] == ""  # NULL
    assert rows[0]["sentence_text"] == TEXT[: TEXT.index(".") + 1]


def test_export_jsonl_file_matches_events(store: Store, tmp_path: Path) -> None:
    store.save(make_analysis())
    out = tmp_path / "events.jsonl"
    store.export(out, "jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == store.events()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_to_a_text_stream(store: Store, fmt: str) -> None:
    store.save(make_analysis())
    out = io.StringIO()
    store.export(out, fmt, type="protest")  # type: ignore[arg-type]
    text = out.getvalue()
    assert "ev-protest" in text and "ev-shell" not in text


def test_export_parquet_reads_back_with_duckdb(store: Store, tmp_path: Path) -> None:
    store.save(make_analysis())
    out = tmp_path / "it's events.parquet"  # a quote in the path must not break COPY
    store.export(out, "parquet", since=date(2022, 9, 1))
    cursor = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(out)])
    names = tuple(d[0] for d in cursor.description)
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    assert names == FLAT_COLUMNS
    assert rows == store.events(since=date(2022, 9, 1))


def test_export_parquet_needs_a_path(store: Store) -> None:
    with pytest.raises(StoreError, match="needs a file path"):
        store.export(io.StringIO(), "parquet")


def test_export_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown export format"):
        store.export(tmp_path / "x.xml", "xml")  # type: ignore[arg-type]


# -- round trip property -----------------------------------------------------------------------

short = st.text(max_size=12)
maybe_short = st.none() | short
upper3 = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)
finite = st.floats(allow_nan=False, allow_infinity=False)
certainties = st.builds(
    Certainty,
    st.sampled_from(CERTAINTY_LABELS),
    st.lists(short, max_size=3).map(tuple),
    maybe_short,
)


def spans(n: int) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda p: (min(p), max(p)))


def actor_refs(n: int) -> st.SearchStrategy[ActorRef]:
    return st.builds(
        ActorRef, spans(n), short, st.none() | upper3, st.none() | upper3,
        st.none() | st.sampled_from(["GOV", "MIL", "REB", "CVL"]), short, short,
    )  # fmt: skip


def event_dates(n: int) -> st.SearchStrategy[EventDate]:
    def cut(day: date, granularity: str) -> str:
        return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[
            granularity
        ]

    dated = st.builds(
        lambda day, g, span, basis: EventDate(cut(day, g), g, span, basis),
        st.dates(), st.sampled_from(["day", "month", "year"]), st.none() | spans(n),
        st.sampled_from(["text", "publication"]),
    )  # fmt: skip
    return dated | st.builds(EventDate, st.none(), st.none(), st.none(), st.just("publication"))


def events(n: int, sentences: int) -> st.SearchStrategy[Event]:
    return st.builds(
        Event,
        id=st.text(min_size=1, max_size=16),
        sentence=st.integers(0, max(sentences - 1, 0)),
        trigger=spans(n),
        source=st.lists(actor_refs(n), max_size=3).map(tuple),
        target=st.lists(actor_refs(n), max_size=3).map(tuple),
        type=st.sampled_from(PLOVER_TYPES),
        mode=maybe_short,
        context=st.lists(short, max_size=3).map(tuple),
        cameo=st.text(alphabet="0123456789", min_size=2, max_size=4),
        quad_class=st.integers(1, 4),
        goldstein=st.floats(-10, 10),
        date=event_dates(n),
        location=st.none()
        | st.builds(
            Location,
            short,
            st.none() | upper3,
            st.none() | finite,
            st.none() | finite,
            st.none() | spans(n),
        ),  # fmt: skip
        certainty=certainties,
        confidence=st.floats(0, 1),
    )


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    text = draw(st.text(min_size=1, max_size=300))
    n = len(text)
    article = Article(
        text,
        id=draw(st.just("") | st.text(min_size=1, max_size=20)),
        title=draw(maybe_short),
        author=draw(maybe_short),
        published=draw(st.none() | st.dates()),
        published_source=draw(st.none() | st.sampled_from(["argument", "metadata", "dateline"])),
        outlet=draw(maybe_short),
        url=draw(maybe_short),
        language=draw(st.sampled_from(["en", "fr", "uk"])),
    )
    sentence_count = draw(st.integers(0, 5))
    sentences = tuple(Sentence(i, draw(spans(n)), draw(certainties)) for i in range(sentence_count))
    actors = draw(
        st.lists(
            st.builds(
                Actor,
                short,
                short,
                st.none() | upper3,
                st.none() | upper3,
                maybe_short,
                st.integers(0, 10**6),
            ),  # fmt: skip
            max_size=4,
        )
    )
    profile = CertaintyProfile(
        draw(st.dictionaries(st.sampled_from(CERTAINTY_LABELS), st.floats(0, 1))),
        tuple(draw(st.lists(st.tuples(short, st.integers(0, 10**6)), max_size=3))),
        tuple(draw(st.lists(st.tuples(short, st.integers(0, 10**6)), max_size=3))),
    )
    return Analysis(
        article=article,
        sentences=sentences,
        actors=tuple(actors),
        events=tuple(draw(st.lists(events(n, sentence_count), max_size=4))),
        certainty_profile=profile,
        skipped=tuple(draw(st.lists(st.builds(Skipped, short, short), max_size=2))),
        id=draw(st.just("") | st.text(min_size=1, max_size=20)),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analysis=analyses())
def test_round_trip_property(analysis: Analysis) -> None:
    with Store(":memory:") as store:
        store.save(analysis)
        assert store.load(analysis.id) == analysis
        store.save(analysis)
        assert store.load(analysis.article.id) == analysis
        assert store.count("events") == len(analysis.events)
