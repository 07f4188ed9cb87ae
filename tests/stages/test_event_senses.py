"""Senses in context (``data/events/senses.toml``): the arguments decide a verb's event type.
Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.errors import DataFileError
from flashpoint.stages.events._senses import Senses


def _coded(pipeline, text):
    return {(e.type, e.cameo) for e in pipeline.analyze(text, published="2023-03-15").events}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('Armenia called the Azerbaijani offensive "an act of aggression" on Monday.',
                     ("ACCUSE", "111"), id="called-it-aggression"),
        pytest.param("The French minister called the Russian proposal a provocation.",
                     ("ACCUSE", "111"), id="called-oprd"),
        pytest.param("The Kenyan president called the Ethiopian leader a hero of peace.",
                     ("SUPPORT", "051"), id="called-praise"),
        pytest.param('The Iranian foreign minister termed the American sanctions "economic terrorism".',
                     ("ACCUSE", "111"), id="termed"),
    ],
)
def test_a_verb_of_naming_with_a_predicate_characterises(pipeline, text, expected):
    assert expected in _coded(pipeline, text)


def test_calling_someone_without_a_predicate_stays_a_phone_call(pipeline):
    assert ("CONSULT", "041") in _coded(pipeline, "Putin called President Erdogan on Monday.")


def test_a_name_given_is_no_event(pipeline):
    coded = _coded(pipeline, "Turkey dubbed the offensive Operation Peace Spring.")
    assert not {c for c in coded if c[1] in ("111", "051", "041", "020")}


def test_attacking_a_decision_is_an_accusation_attacking_positions_an_assault(pipeline):
    assert ("ACCUSE", "111") in _coded(pipeline, "The Russian foreign ministry attacked the NATO decision.")
    assert "ASSAULT" in {t for t, _ in _coded(pipeline, "Russian forces attacked Ukrainian positions.")}


def test_a_court_dismissing_a_lawsuit_rules_against(pipeline):
    coded = _coded(pipeline, "A federal judge in Texas dismissed the lawsuit against the Mexican government.")
    assert ("ACCUSE", "116") in coded
    assert "REJECT" not in {t for t, _ in coded}


def test_ruling_is_an_event_only_for_a_court(pipeline):
    assert ("ACCUSE", "116") in _coded(pipeline, "The Supreme Court of Brazil ruled against the government.")
    assert not _coded(pipeline, "Mugabe ruled Zimbabwe for 37 years.")


def test_charged_with_a_gerund_is_a_legal_charge(pipeline):
    assert ("COERCE", "173") in _coded(
        pipeline, "The Turkish journalist was charged by Turkish prosecutors with spreading propaganda.")


def test_an_appeal_without_an_addressee_is_legal(pipeline):
    assert ("ACCUSE", "115") in _coded(pipeline, "The Polish government said it would appeal against the verdict.")
    assert "REQUEST" in {t for t, _ in _coded(pipeline, "Pakistan appealed to India for calm.")}


def test_demonstrating_something_is_no_protest(pipeline):
    assert "PROTEST" not in {t for t, _ in _coded(
        pipeline, "The Greek court demonstrated a shocking ignorance of the technology.")}


def test_a_bill_sent_is_no_aid(pipeline):
    assert "AID" not in {t for t, _ in _coded(
        pipeline, "The Argentine president sent a bill to the Argentine Congress.")}


def test_receiving_votes_is_no_hosting(pipeline):
    assert "CONSULT" not in {t for t, _ in _coded(
        pipeline, "The French candidate received two-thirds of the votes in Paris.")}


def test_insisting_on_a_fact_is_no_demand_insisting_on_an_action_is(pipeline):
    assert "REQUEST" not in {t for t, _ in _coded(
        pipeline, "The Serbian minister insisted the talks with Kosovo had been useful.")}
    assert "REQUEST" in {t for t, _ in _coded(
        pipeline, "The Serbian minister insisted that Kosovo must withdraw its police.")}


def test_the_sense_file_is_checked_on_load(tmp_path):
    bad = tmp_path / "senses.toml"
    bad.write_text('[characterise]\nwords = []\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="characterise"):
        Senses.load(bad)


def test_a_quoted_predicate_after_the_objects_modifiers_characterises(pipeline):
    coded = _coded(pipeline, 'The Polish minister called the investigation into the Polish army "a farce".')
    assert ("ACCUSE", "111") in coded
    assert "CONSULT" not in {t for t, _ in coded}


def test_the_predicate_of_a_characterisation_is_no_event_of_its_own(pipeline):
    coded = _coded(pipeline, 'The Foreign Ministry of Iraq characterized the strike as "a serious violation".')
    assert ("ACCUSE", "111") in coded
    assert "ASSAULT" not in {t for t, _ in coded}


def test_signing_a_law_is_no_agreement(pipeline):
    assert "AGREE" not in {t for t, _ in _coded(
        pipeline, "The governor of Alabama signed an executive order on Monday.")}
    assert "AGREE" in {t for t, _ in _coded(pipeline, "Russia signed an agreement with China on Monday.")}


def test_a_conclusion_drawn_is_no_agreement(pipeline):
    assert "AGREE" not in {t for t, _ in _coded(
        pipeline, "A UN report concluded the evidence supported the Saudi government's guilt.")}


def test_suspending_parliament_restricts_suspending_aid_sanctions(pipeline):
    assert ("COERCE", "172") in _coded(pipeline, "The British Queen suspended the British parliament.")
    assert "SANCTION" in {t for t, _ in _coded(pipeline, "The United States suspended aid to Niger.")}


def test_a_pardon_kept_in_the_passive_is_a_release(pipeline):
    assert ("RETREAT", "0841") in _coded(pipeline, "The American businessman was granted clemency by Trump.")


def test_a_protest_said_of_a_crowd_is_a_demonstration(pipeline):
    coded = _coded(pipeline, "Thousands of Serbian students gathered in Belgrade to protest the Serbian election results.")
    assert ("PROTEST", "141") in coded
    assert "ACCUSE" not in {t for t, _ in coded}


def test_a_protest_said_of_a_march_is_the_same_demonstration(pipeline):
    coded = _coded(pipeline, "A million people marched in London on Saturday, protesting the British exit from the EU.")
    assert [t for t, _ in coded].count("PROTEST") == 1 and "ACCUSE" not in {t for t, _ in coded}


def test_people_arrested_are_an_event_without_an_actor_code(pipeline):
    assert ("COERCE", "173") in _coded(pipeline, "An individual has been arrested after the stabbing in Gdansk.")


def test_an_object_rule_is_checked_on_load(tmp_path):
    bad = tmp_path / "senses.toml"
    good = (Path(__file__).parents[2] / "src/flashpoint/data/events/senses.toml").read_text(encoding="utf-8")
    bad.write_text(good + '\n[[objects]]\nverbs = ["sign"]\nnouns = ["law"]\ncode = "x"\nwhen = "in"\n',
                   encoding="utf-8")
    with pytest.raises(DataFileError, match="objects"):
        Senses.load(bad)


def test_a_participle_of_naming_is_a_name(pipeline):
    assert not _coded(pipeline, "Zimbabwe was a British colony called Southern Rhodesia until 1980.")


def test_a_person_airlifted_is_a_patient_civilians_evacuated_are_aid(pipeline):
    assert "AID" not in {t for t, _ in _coded(pipeline, "Alexei Navalny was airlifted from Omsk to Berlin.")}
    assert "AID" in {t for t, _ in _coded(pipeline, "The UN evacuated hundreds of Syrian civilians from Aleppo.")}


def test_a_call_in_which_something_happens_has_the_clause_parties(pipeline):
    events = pipeline.analyze("In a phone call on Monday, Putin urged Erdogan to halt the offensive.",
                              published="2023-03-15").events
    calls = [e for e in events if e.cameo == "041"]
    assert calls and {a.country for a in calls[0].source} == {"RUS"}
    assert {a.country for a in calls[0].target} == {"TUR"}


def test_a_verb_with_an_object_and_a_prepositional_phrase_codes_by_the_phrase(pipeline):
    assert ("COERCE", "173") in _coded(pipeline, "The Zimbabwean army placed the Zimbabwean president under house arrest.")
    assert ("COERCE", "1724") in _coded(pipeline, "The Peruvian president declared a national emergency on Friday.")


def test_held_in_custody_keeps_the_held_as_target(pipeline):
    events = pipeline.analyze("The Algerian suspect was held in custody.", published="2023-03-15").events
    held = [e for e in events if e.cameo == "173"]
    assert held and {a.country for a in held[0].target} == {"DZA"}  # the held, not whose measure


def test_protests_are_an_event_without_named_protesters_but_not_a_recap_or_a_month(pipeline):
    assert ("PROTEST", "141") in _coded(pipeline, "The Hungarian bill has sparked controversy and protests.")
    assert not _coded(pipeline, "The protests ended on Monday.")
    assert not _coded(pipeline, "The Hungarian franchise expired in March.")


def test_a_pardon_granted_to_a_named_person_is_a_release_not_aid(pipeline):
    coded = _coded(pipeline, "Trump granted Angela Ronae Stanton a full and unconditional pardon.")
    assert ("RETREAT", "0841") in coded and "AID" not in {t for t, _ in coded}


def test_an_announced_deployment_is_the_deployment_a_conditional_one_a_threat(pipeline):
    assert ("MOBILIZE", "154") in _coded(pipeline, "France announced it will send troops to Mali.")
    assert "THREATEN" in {t for t, _ in _coded(
        pipeline, "Russia said it would send troops to Moldova if Moldova attacked Transnistria.")}


def test_observers_to_be_stationed_are_peacekeeping_not_a_threat(pipeline):
    coded = _coded(pipeline, "The European Union will station observers in Armenia.")
    assert "THREATEN" not in {t for t, _ in coded}
    assert any(c.endswith("74") or c == "0334" for _, c in coded)


def test_a_minister_visiting_troops_is_a_visit_troops_arriving_a_deployment(pipeline):
    assert ("CONSULT", "042") in _coded(pipeline, "The Turkish defence minister visited Syria on Monday.")
    assert ("MOBILIZE", "154") in _coded(pipeline, "Turkish troops arrived in Syria on Monday.")


def test_a_bill_suspended_is_a_policy_concession_an_election_conceded_no_event(pipeline):
    assert ("CONCEDE", "0832") in _coded(pipeline, "The Hong Kong government suspended the extradition bill.")
    assert not _coded(pipeline, "The American president has not yet conceded the election.")


def test_a_predicate_without_a_listed_word_is_judged_by_its_word_vectors(pipeline):
    assert ("SUPPORT", "051") in _coded(pipeline, "The Russian president called the meeting very useful.")
    assert ("ACCUSE", "111") in _coded(pipeline, 'The Armenian minister called the Azerbaijani plan "a non-starter".')


def test_hosting_a_foreign_base_is_military_cooperation_not_a_visit(pipeline):
    coded = _coded(pipeline, "Armenia hosts a Russian military base.")
    assert ("COOPERATE", "062") in coded and "CONSULT" not in {t for t, _ in coded}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("A fire at a hostel in Lagos killed nine people on Sunday.", id="fire-subject"),
        pytest.param("Typhoon Mawar struck the coast of Guam on Wednesday.", id="named-storm"),
        pytest.param("Eleven villagers were killed in the landslide near the border.", id="killed-in"),
        pytest.param("The ranger was killed by a crocodile in the park.", id="animal-agent"),
    ],
)
def test_violence_done_by_a_hazard_is_no_event(pipeline, text):
    assert "ASSAULT" not in {t for t, _ in _coded(pipeline, text)}


def test_violence_by_people_stays_an_assault_beside_a_hazard_word(pipeline):
    # the same frames with people as the agent, or a weapon's fire, stay violence
    assert "ASSAULT" in {t for t, _ in _coded(pipeline, "Gunmen killed nine people at a hostel in Lagos on Sunday.")}
    assert "ASSAULT" in {t for t, _ in _coded(pipeline, "Eleven villagers were killed in the attack near the border.")}
    assert "ASSAULT" in {t for t, _ in _coded(pipeline, "Soldiers opened fire on the protesters in Lagos.")}


def test_another_name_given_in_passing_is_no_phone_call(pipeline):
    coded = _coded(pipeline, "Scientists studied the statues of the island of Rapa Nui, also called Easter Island.")
    assert "CONSULT" not in {t for t, _ in coded}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The Iranian foreign minister spoke with CNN on Sunday about the sanctions.", id="outlet"),
        pytest.param("Reuters reached out to the Turkish defence ministry on Friday.", id="outlet-source"),
        pytest.param("The Chinese ambassador met reporters in Beijing on Monday.", id="reporters"),
    ],
)
def test_talking_to_the_press_is_no_consultation(pipeline, text):
    assert "CONSULT" not in {t for t, _ in _coded(pipeline, text)}


def test_talking_to_a_counterpart_stays_a_consultation_and_an_outlet_can_act(pipeline):
    assert "CONSULT" in {t for t, _ in _coded(pipeline, "The Iranian foreign minister spoke with Erdogan on Sunday.")}
    assert ("ACCUSE", "USAMED", "CHNGOV") in {
        (e.type, e.source[0].code, e.target[0].code)
        for e in pipeline.analyze("CNN accused the Chinese government of censorship.", published="2023-03-15").events}
