"""Certainty labels and their scope, on sentences written for these tests."""

from __future__ import annotations

import pytest

from flashpoint.certainty import CertaintyTagger


@pytest.fixture(scope="module")
def tagger():
    return CertaintyTagger()


def _of(nlp, tagger, text, word):
    doc = nlp(text)
    sent = doc[:]
    token = next(t for t in doc if t.text == word)
    return tagger.of(token, sent)


@pytest.mark.parametrize(
    ("text", "word", "label"),
    [
        ("Moscow warned that Turkey could block the agreement.", "warned", "asserted"),
        ("Moscow warned that Turkey could block the agreement.", "block", "hypothetical"),
        ("Belarus denied that its troops had crossed into Ukraine.", "crossed", "negated"),
        ("Belarus denied that its troops had crossed into Ukraine.", "denied", "asserted"),
        ("The rebels reportedly seized the airport.", "seized", "hedged"),
        ("The army allegedly shelled the village.", "shelled", "hedged"),
        ("Iran will send a delegation to Moscow.", "send", "future"),
        ("The minister plans to visit Ankara.", "visit", "future"),
        ("Kenya did not send troops.", "send", "negated"),
        ("If the talks fail, the army will attack.", "attack", "hypothetical"),
        ("If the talks fail, the army will attack.", "fail", "hypothetical"),
        ("Officials said the militants attacked a checkpoint.", "attacked", "attributed"),
        ("The militants attacked a checkpoint, officials said.", "attacked", "attributed"),
        ("According to the ministry, the militants attacked a checkpoint.", "attacked", "attributed"),
        ("The militants attacked a checkpoint.", "attacked", "asserted"),
    ],
)
def test_scope(nlp, tagger, text, word, label):
    assert _of(nlp, tagger, text, word).label == label


def test_attributed_source_named(nlp, tagger):
    c = _of(nlp, tagger, "The Armenian foreign ministry said Azerbaijani troops opened fire.", "opened")
    assert c.label == "attributed"
    assert c.attributed_to == "The Armenian foreign ministry"
    assert c.cues == ("said",)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The ministry confirmed the deal on Monday.", "asserted"),
        ("Some critics say the reform was rushed.", "hedged"),
        ("It is widely believed that the vote was rigged.", "hedged"),
        ("The two sides will meet again in May.", "future"),
        ("The government did not comment.", "negated"),
        ("Had the deal collapsed, prices could have doubled.", "hypothetical"),
    ],
)
def test_sentence_labels(pipeline, text, label):
    analysis = pipeline.analyze(text, published="2023-01-10")
    assert analysis.sentences[0].certainty.label == label


def test_seed_profile_is_largely_speculative(seed):
    labels = seed.certainty_profile.labels
    assert abs(sum(labels.values()) - 1) < 0.01
    uncertain = labels["hedged"] + labels["hypothetical"]
    assert uncertain > labels["asserted"]


@pytest.mark.parametrize(
    ("start", "label_is_asserted"),
    [
        ("More than likely, Azerbaijan only informed Turkey", False),
        ("Azerbaijan apparently lost its patience", False),
        ("In the worst-case scenario, it might be forced to dispatch more troops", False),
        ("Third, Azerbaijan signed a declaration on allied cooperation", True),
        ("Fourth, the CIA chief visited Yerevan in July", True),
    ],
)
def test_seed_sentences(seed, start, label_is_asserted):
    text = seed.article.text
    (sentence,) = [s for s in seed.sentences if text[s.span[0] : s.span[1]].startswith(start)]
    assert (sentence.certainty.label == "asserted") is label_is_asserted
