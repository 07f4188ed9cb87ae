"""Types that depend on the trigger's word form and its parties: a lemmatizer's slip ("raped"
read as "rap"), a second object hung deep in appositions, a ban on a foreign actor.
Sentences written for these tests."""

from __future__ import annotations

import pytest


def _coded(pipeline, text):
    return {(e.type, e.cameo, text[e.trigger[0]:e.trigger[1]])
            for e in pipeline.analyze(text, published="2023-03-15").events}


def test_an_undoubled_past_comes_from_the_word_with_a_silent_e(pipeline):
    coded = _coded(pipeline, "She said she was raped by two Russian soldiers in Bucha.")
    assert any(t == "ASSAULT" and c.startswith("182") for t, c, _ in coded), coded
    assert not any(t == "ACCUSE" for t, _, _ in coded)


def test_an_event_noun_hung_on_an_apposition_of_the_object_is_the_event(pipeline):
    text = ("President Biden granted John Smith, formerly the Pentagon's chief of staff, "
            "a full and unconditional pardon.")
    coded = _coded(pipeline, text)
    assert not any(t == "AID" for t, _, _ in coded), coded
    assert any(t == "RETREAT" for t, _, _ in coded), coded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Germany banned the Iranian airline Mahan Air on Monday.", "SANCTION", id="foreign"),
        pytest.param("The Russian government banned the Russian opposition party on Monday.", "COERCE",
                     id="own"),
    ],
)
def test_a_ban_on_a_foreign_actor_is_a_sanction_and_at_home_a_restriction(pipeline, text, expected):
    types = {t for t, _, trigger in _coded(pipeline, text) if trigger == "banned"}
    assert types == {expected}, _coded(pipeline, text)


def _events(pipeline, text):
    return [(e.type, e.cameo, text[e.trigger[0]:e.trigger[1]], [s.country for s in e.source],
             [t.country for t in e.target]) for e in pipeline.analyze(text, published="2023-03-15").events]


def test_an_order_of_violence_is_the_violence_by_whoever_orders_it(pipeline):
    events = _events(pipeline, "Putin ordered troops to attack Ukrainian positions.")
    assert [(t, trigger, src, tgt) for t, _, trigger, src, tgt in events] == [
        ("ASSAULT", "ordered", ["RUS"], ["UKR"])]


def test_an_order_of_detention_is_coercion_and_other_orders_stay_demands(pipeline):
    custody = _events(pipeline, "A Russian judge ordered the accused remain in custody.")
    assert [(t, c, trigger) for t, c, trigger, _, _ in custody] == [("COERCE", "173", "ordered")]
    review = _events(pipeline, "The French president ordered a review of the policy.")
    assert [(t, trigger) for t, _, trigger, _, _ in review] == [("REQUEST", "ordered")]
