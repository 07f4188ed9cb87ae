"""Actor mentions and their codes, per kind of mention, on sentences written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flashpoint.errors import DataFileError
from flashpoint.stages.actors import ActorTagger, Gazetteer


@pytest.fixture(scope="module")
def tagger(pipeline):
    return ActorTagger(pipeline.gazetteer, pipeline.nlp)


def _codes(nlp, tagger, text, day=date(2022, 9, 15)):
    doc = nlp(text)
    return {text[m.span[0] : m.span[1]]: m.code for m in tagger.mentions(doc, day)}


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("Azerbaijan closed the road.", "Azerbaijan", "AZE"),
        ("The US sent envoys.", "The US", "USA"),
        ("Türkiye hosted the talks.", "Türkiye", "TUR"),
        ("Turkey hosted the talks.", "Turkey", "TUR"),
        ("Baku rejected the claim.", "Baku", "AZEGOV"),
        ("Moscow responded within hours.", "Moscow", "RUSGOV"),
        ("The Kremlin declined to comment.", "The Kremlin", "RUSGOV"),
        ("Washington urged calm.", "Washington", "USAGOV"),
        ("Brussels prepared new measures.", "Brussels", "EU"),
        ("Armenian troops withdrew.", "Armenian troops", "ARMMIL"),
        ("Russian peacekeepers arrived.", "Russian peacekeepers", "RUSMIL"),
        ("Russia's defence ministry issued a statement.", "Russia's defence ministry", "RUSMIL"),
        ("The Armenian foreign ministry protested.", "Armenian foreign ministry", "ARMGOV"),
        ("Protesters in Tbilisi marched.", "Protesters in Tbilisi", "GEOCVL"),
        ("NATO met in Vilnius.", "NATO", "NATO"),
        ("The UN Security Council met.", "The UN Security Council", "UNSC"),
        ("The CIA chief visited Yerevan.", "CIA", "USASPY"),
        ("President Erdogan spoke.", "Erdogan", "TURGOV"),
        ("Prime Minister Nikol Pashinyan spoke.", "Nikol Pashinyan", "ARMGOV"),
        ("Al-Shabaab militants attacked a base.", "Al-Shabaab", "SOMREB"),
    ],
)
def test_mention_codes(nlp, tagger, text, surface, code):
    codes = _codes(nlp, tagger, text)
    assert any(surface in found and c == code for found, c in codes.items()), codes


@pytest.mark.parametrize(
    "text",
    [
        "Let us go home.",  # "us" is not the US
        "They roasted a turkey.",  # nor the country
        "Latin America exports copper.",  # "America" inside "Latin America" is not the US
    ],
)
def test_not_actors(nlp, tagger, text):
    codes = _codes(nlp, tagger, text)
    assert "USA" not in codes.values() and "TUR" not in codes.values() and "RUS" not in codes.values(), codes


@pytest.mark.parametrize(
    ("day", "code"),
    [(date(2018, 6, 1), "USAGOV"), (date(2022, 6, 1), "USAELI"), (date(2025, 6, 1), "USAGOV")],
)
def test_leader_code_depends_on_the_date(nlp, tagger, day, code):
    assert _codes(nlp, tagger, "Trump criticised the deal.", day)["Trump"] == code


def test_actor_list_is_deduplicated(pipeline):
    a = pipeline.analyze("Armenia protested. Armenia appealed to Russia. Armenia waited.", published="2022-09-15")
    arm = [x for x in a.actors if x.key == "ARM"]
    assert len(arm) == 1 and arm[0].mentions == 3
    assert len({x.key for x in a.actors}) == len(a.actors)


def test_seed_actors(seed):
    keys = {x.country for x in seed.actors} | {x.org for x in seed.actors}
    assert {"AZE", "ARM", "RUS", "TUR", "USA", "EU", "CSTO", "UKR", "NATO"} <= keys


def test_user_file_extends_the_gazetteer(tmp_path: Path):
    extra = tmp_path / "mine.institutions.csv"
    extra.write_text("text,country,org,sector,name\nthe Fortress,ARM,,MIL,Fortress\n", encoding="utf-8")
    gaz = Gazetteer.load([extra])
    assert gaz.forms["the Fortress"][0].country == "ARM"


def test_bad_user_file_names_the_problem(tmp_path: Path):
    bad = tmp_path / "mine.countries.csv"
    bad.write_text("iso3,name\narm,Armenia\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing columns"):
        Gazetteer.load([bad])


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("Rebels in the Ivory Coast dismissed an appeal from President Laurent Gbagbo.",
         "President Laurent Gbagbo", "CIVGOV"),
        ("The junta accused France of planning an intervention.", "The junta", "MIL"),
    ],
)
def test_bare_agents_take_the_sentence_country_unless_it_is_the_other_party(nlp, tagger, text, surface, code):
    assert _codes(nlp, tagger, text)[surface] == code


# -- references back to actors named before -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        pytest.param("Serbia and Croatia exchanged notes. The EU then urged the latter to stop.",
                     "the latter", "HRV", id="latter-of-a-pair"),
        pytest.param("Serbia and Croatia exchanged notes. The EU then urged the former to stop.",
                     "the former", "SRB", id="former-of-a-pair"),
        pytest.param("Bolivia held talks with Peru. La Paz later accused its neighbour of smuggling.",
                     "its neighbour", "PER", id="its-neighbour"),
        pytest.param("Chile spoke to Sweden and Argentina; Chile's neighbour agreed.",
                     "Chile's neighbour", "ARG", id="a-bordering-country-first"),
    ],
)
def test_reference_to_an_actor_named_before(nlp, tagger, text, surface, code):
    assert _codes(nlp, tagger, text).get(surface) == code


def test_the_latter_is_not_the_subject_of_its_own_clause(nlp, tagger):
    codes = _codes(nlp, tagger, "Kenya and Uganda disagreed. Tanzania then praised the latter.")
    assert codes.get("the latter") == "UGA"


def test_an_unresolvable_reference_stays_unresolved(nlp, tagger):
    codes = _codes(nlp, tagger, "Mongolia accused its neighbour of smuggling.")
    assert "its neighbour" not in codes


def test_the_single_neighbour_of_a_country(nlp, tagger):
    assert _codes(nlp, tagger, "Portugal accused its neighbour of overfishing.").get("its neighbour") == "ESP"


def test_neighbour_is_the_owners_partner_not_a_modifier(nlp, tagger):
    text = ("Armenia and Azerbaijan clashed despite the Moscow-brokered truce, and Baku shelled "
            "its neighbour's villages.")
    assert _codes(nlp, tagger, text).get("its neighbour") == "ARM"


def test_a_groups_officials_keep_the_groups_sector(nlp, tagger):
    assert _codes(nlp, tagger, "A senior Taliban leader met the envoy.").get("A senior Taliban leader") == "AFGREB"


def test_his_country_is_the_country_of_the_person_named_before(nlp, tagger):
    codes = _codes(nlp, tagger, "Putin said his country will not lift the ban.")
    assert codes.get("his country") == "RUS"


def test_the_other_party_named_twice_does_not_localise_the_agent(nlp, tagger):
    codes = _codes(nlp, tagger, "The junta accused France of planning an intervention, a claim Paris denied.")
    assert codes.get("The junta") == "MIL"


def test_a_bare_title_takes_the_country_it_was_last_given(nlp, tagger):
    # no country dominates the text and its own sentence names none: "the president" is the
    # one named with his country before, not a bare GOV
    text = ("Ukrainian President Volodymyr Zelensky met Polish officials in Warsaw. Poland and Ukraine "
            "signed a grain deal. Later that day the president visited a hospital.")
    assert _codes(nlp, tagger, text).get("the president") == "UKRGOV"


def test_a_bare_title_named_nowhere_before_stays_bare(nlp, tagger):
    text = ("Polish officials met Ukrainian envoys in Warsaw. Poland and Ukraine signed a grain deal. "
            "Later that day the president visited a hospital.")
    assert _codes(nlp, tagger, text).get("the president") == "GOV"


def test_a_name_no_dictionary_knows_is_what_its_apposition_says(nlp, tagger):
    text = "Zalmay Khalilzad, a US peace envoy, met the Taliban in Qatar. Later Mr. Khalilzad said the talks went well."
    codes = _codes(nlp, tagger, text)
    assert codes.get("Zalmay Khalilzad") == "USAGOV"
    assert codes.get("Khalilzad") == "USAGOV"  # the same person named again by surname


def test_a_bare_title_two_countries_have_borne_stays_bare(nlp, tagger):
    text = ("Ukrainian President Volodymyr Zelensky met Polish President Andrzej Duda in Warsaw. Poland and "
            "Ukraine signed a grain deal. Later that day the president visited a hospital.")
    assert _codes(nlp, tagger, text).get("the president") == "GOV"
