"""What the events stage reads off the parse for the event model: tense and aspect, the
verb of the trigger's clause, the words above it."""

from __future__ import annotations

import pytest

from flashpoint.stages.events._context import _above, _clause_verb, _tense


def _verb(nlp, text: str, word: str):
    return next(t for t in nlp(text) if t.text == word)


@pytest.mark.parametrize(("text", "word", "tense"), [
    ("Russia shelled the town.", "shelled", "past"),
    ("Russia has shelled the town.", "shelled", "perfect"),
    ("Russia is shelling the town.", "shelling", "progressive"),
    ("Russia threatened to shell the town.", "shell", "infinitive"),
    ("Russia shells the town every night.", "shells", "present"),
    ("The town was shelled by Russia.", "shelled", "past"),
])
def test_tense_and_aspect_of_a_verb_with_its_auxiliaries(nlp, text, word, tense):
    assert _tense(_verb(nlp, text, word)) == tense


def test_a_noun_trigger_takes_the_verb_of_its_clause(nlp):
    attack = _verb(nlp, "The attack on the convoy was condemned by the UN.", "attack")
    clause = _clause_verb(attack)
    assert clause is not None and clause.lemma_ == "condemn"
    assert [t.lemma_ for t in _above(attack)] == ["condemn"]
