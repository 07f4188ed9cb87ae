"""The event model's file format, its probability and the features it reads."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from flashpoint.errors import DataFileError
from flashpoint.models.event_model import EventContext, EventModel, features


def _context(**kw) -> EventContext:
    base = dict(type="ASSAULT", quad_class=4, cameo="190", certainty="asserted", source_given=True,
                target_given=False, sources=1, targets=1, nominal=False, depth=0, background=False,
                governed="", dep="ROOT", head_lemma="shell", lemma="shell", sentence=4, in_quote=False,
                located=True, self_dyad=False, source_sector="MIL", target_sector="")
    base.update(kw)
    return EventContext(**base)


def test_features_name_what_the_stage_knows():
    f = features(_context())
    assert f["type=ASSAULT"] == 1.0 and f["root=19"] == 1.0 and f["roles=St"] == 1.0
    assert f["position=3"] == 1.0 and "located" in f and "reported" not in f
    reported = features(_context(head_lemma="say", dep="ccomp", in_quote=True, sentence=0))
    assert "reported" in reported and "in_quote" in reported and reported["dep=ccomp"] == 1.0
    assert reported["position=0"] == 1.0
    assert features(_context(dep="weird"))["dep=other"] == 1.0


def test_probability_is_the_logistic_of_the_weighted_sum():
    model = EventModel({"type=ASSAULT": 1.0, "located": -0.5}, bias=0.2, threshold=0.3)
    z = 0.2 + 1.0 - 0.5
    assert model.probability(features(_context())) == pytest.approx(1 / (1 + math.exp(-z)))
    assert model.probability({}) == pytest.approx(1 / (1 + math.exp(-0.2)))


def test_a_model_file_round_trips_and_bad_files_are_refused(tmp_path):
    model = EventModel({"type=ASSAULT": 1.5}, bias=-0.3, threshold=0.35, meta={"trained_on": "x"})
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_dict()))
    again = EventModel.load(path)
    assert again.weights == model.weights and again.threshold == 0.35 and again.meta["trained_on"] == "x"
    for broken in ({"format": "other"}, {**model.to_dict(), "threshold": 1.5},
                   {**model.to_dict(), "weights": {}}, {**model.to_dict(), "bias": "x"}):
        path.write_text(json.dumps(broken))
        with pytest.raises(DataFileError):
            EventModel.load(path)
    path.write_text("{not json")
    with pytest.raises(DataFileError, match="cannot read"):
        EventModel.load(path)


def test_events_below_the_threshold_are_dropped_and_confidence_is_the_probability(pipeline):
    from flashpoint.stages.events import EventCoder

    coder = next(s.run for s in pipeline.stages if isinstance(s.run, EventCoder))
    text = "Armenia accused Azerbaijan of shelling Jermuk on Tuesday."
    kept_model = coder.model
    try:
        coder.model = EventModel({"type=ACCUSE": 5.0}, bias=-2.0, threshold=0.5)
        events = pipeline.analyze(text, published="2022-09-15").events
        assert {e.type for e in events} == {"ACCUSE"}
        assert all(e.confidence == pytest.approx(1 / (1 + math.exp(-3.0)), abs=1e-4) for e in events)
    finally:
        coder.model = kept_model


def test_context_features_of_the_clause_the_sentence_and_the_article():
    f = features(_context(tense="past", passive=True, negated_above=True, ancestors=("say",), copula=True,
                          sentence_quoted=True, numbers=True, dated=True, recap=True, sentence=9,
                          article_sentences=10))
    for name in ("tense=past", "passive", "negated_above", "said_above", "copula", "sentence_quoted",
                 "numbers", "dated", "recap", "part=3", "article|recap"):
        assert f[name] == 1.0, name
    bare = features(_context())
    assert not any(k.startswith(("tense=", "part=")) for k in bare) and "recap" not in bare
    assert features(_context(tense="infinitive", sentence=0, article_sentences=10))["part=0"] == 1.0


def _projection(dim: int = 3):
    from flashpoint.models.event_model import Projection

    return Projection(np.zeros(dim), np.array([[1.0, 0.0, 0.0], [0.0, 2.0, -1.0]]))


def test_the_trigger_vector_enters_reduced_by_the_projection():
    projection = _projection()
    f = features(_context(vector=(1.0, 2.0, 3.0)), projection)
    assert f["vec0"] == pytest.approx(1.0) and f["vec1"] == pytest.approx(1.0)
    assert f["sentence|vec1"] == pytest.approx(1.0)  # the per-text-kind copy too (a lone sentence)
    # no vector, an all-zero one (a word with none) or one of another pipeline's size: nothing
    for vector in ((), (0.0, 0.0, 0.0), (1.0, 2.0)):
        assert not any(k.startswith("vec") for k in features(_context(vector=vector), projection))
    model = EventModel({"vec0": 1.0}, bias=0.0, threshold=0.0, projection=projection)
    assert model.features(_context(vector=(2.0, 0.0, 0.0)))["vec0"] == pytest.approx(2.0)


def test_a_model_with_a_projection_round_trips_and_a_bad_projection_is_refused(tmp_path):
    model = EventModel({"vec0": 0.5}, bias=0.0, threshold=0.2, projection=_projection())
    data = model.to_dict()
    again = EventModel.from_dict(json.loads(json.dumps(data)))
    assert again.projection is not None and again.projection.components.shape == (2, 3)
    assert "projection" not in again.meta
    for bad in ({"mean": [0.0, 0.0], "components": [[1.0, 0.0, 0.0]]}, {"mean": [0.0]},
                {"mean": [0.0, 0.0, float("nan")], "components": [[1.0, 0.0, 0.0]]}):
        with pytest.raises(DataFileError, match="projection"):
            EventModel.from_dict({**data, "projection": bad})
    with pytest.raises(DataFileError, match="format"):
        EventModel.from_dict({**data, "format": "flashpoint-event-model-1"})


def test_the_coder_hands_the_context_of_every_event_to_its_trace(pipeline):
    from flashpoint.stages.events import EventCoder

    coder = next(s.run for s in pipeline.stages if isinstance(s.run, EventCoder))
    seen: list[EventContext] = []
    kept_trace = coder.trace
    try:
        coder.trace = lambda event, context: seen.append(context)
        pipeline.analyze("Azerbaijan shelled Armenian positions on Tuesday. "
                         "Azerbaijan shelled Armenian positions again on Wednesday.", published="2022-09-15")
    finally:
        coder.trace = kept_trace
    first, later = seen[0], seen[-1]
    assert first.tense == "past" and first.dated and not first.recap
    assert later.recap and later.sentence == 1  # the same kind of act by the same parties again
    if pipeline.nlp.vocab.vectors.shape[0]:  # a pipeline with static vectors
        assert len(first.vector) == pipeline.nlp.vocab.vectors.shape[1]


def test_calibration_rescales_the_score_of_article_events_only():
    model = EventModel({"type=ASSAULT": 2.0}, bias=0.0, threshold=0.0, calibration=(0.5, -0.5))
    lone = _context(article_sentences=1)
    article = _context(article_sentences=12)
    assert model.confidence(lone) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert model.confidence(article) == pytest.approx(1 / (1 + math.exp(-(0.5 * 2.0 - 0.5))))
    again = EventModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.calibration == (0.5, -0.5) and "calibration" not in again.meta
    for bad in ([0.5], [-1.0, 0.0], ["x", 0.0]):
        with pytest.raises(DataFileError, match="calibration"):
            EventModel.from_dict({**model.to_dict(), "calibration": bad})


def _article_part() -> EventModel:
    return EventModel({"type=ASSAULT": -3.0, "tense=past": 1.0, "habitual": -2.0}, bias=0.5, threshold=0.4,
                      calibration=(0.8, 0.1), kind_copies=False)


def test_articles_are_scored_by_the_article_weights_and_lone_sentences_by_the_files_own():
    own = EventModel({"type=ASSAULT": 2.0, "sentence|type=ASSAULT": 0.5}, bias=0.0, threshold=0.05)
    model = EventModel(own.weights, own.bias, own.threshold, article=_article_part())
    lone, article = _context(article_sentences=1, tense="past"), _context(article_sentences=9, tense="past")
    assert model.confidence(lone) == own.confidence(lone) == pytest.approx(1 / (1 + math.exp(-2.5)))
    assert model.drop_threshold(lone) == 0.05 and model.drop_threshold(article) == 0.4
    z = 0.5 - 3.0 + 1.0  # no per-kind copies in the article weights
    assert model.confidence(article) == pytest.approx(1 / (1 + math.exp(-(0.8 * z + 0.1))))
    assert not any("|" in k for k in model.article.features(article))
    assert features(_context(habitual=True))["habitual"] == 1.0 and "habitual" not in features(_context())


def test_a_model_with_article_weights_round_trips_and_a_bad_part_is_refused(tmp_path):
    model = EventModel({"type=ASSAULT": 2.0}, bias=0.0, threshold=0.05, meta={"trained_on": "x"},
                       article=_article_part())
    data = json.loads(json.dumps(model.to_dict()))
    assert data["format"] == "flashpoint-event-model-3" and "format" not in data["article"]
    again = EventModel.from_dict(data)
    assert again.article is not None and again.article.weights == model.article.weights
    assert again.article.calibration == (0.8, 0.1) and not again.article.kind_copies
    assert again.weights == model.weights and "article" not in again.meta
    for bad, why in (({**data["article"], "threshold": 2.0}, "article weights: threshold"),
                     ({**data["article"], "weights": {}}, "article weights: weights"),
                     ({**data["article"], "kind_copies": "no"}, "kind_copies"),
                     ({**data["article"], "article": data["article"]}, "article must be"),
                     ([1, 2], "article must be")):
        with pytest.raises(DataFileError, match=why):
            EventModel.from_dict({**data, "article": bad})
    with pytest.raises(DataFileError, match="flashpoint-event-model-3"):
        EventModel.from_dict({**data, "format": "flashpoint-event-model-2"})


# sha256 of the shipped file's own weight set (bias, threshold, weights, projections, calibration)
# as it was before the article weights were split off: lone sentences — the sentence benchmarks,
# whose floors rest on it — keep exactly these confidences however the article weights change
SENTENCE_WEIGHTS = "b5203f5cbfdb9b90395e08e02f281b713c2c7f434c958f534192e3cd0c106253"


def test_the_shipped_sentence_weights_are_the_ones_lone_sentences_had_before():
    import hashlib

    from flashpoint.resources import data_file

    data = json.loads(data_file("events", "event_model.json").read_text(encoding="utf-8"))
    part = {k: data.get(k) for k in ("bias", "threshold", "weights", "projection", "calibration", "object_projection")}
    assert hashlib.sha256(json.dumps(part, sort_keys=True).encode()).hexdigest() == SENTENCE_WEIGHTS
    assert data.get("kind_copies", True) is not False  # the per-kind copies are read, as before


def test_a_lone_sentence_gets_the_same_confidence_with_or_without_article_weights(pipeline):
    from flashpoint.stages.events import EventCoder

    coder = next(s.run for s in pipeline.stages if isinstance(s.run, EventCoder))
    shipped = coder.model
    assert shipped is not None
    text = "Armenia accused Azerbaijan of shelling Jermuk on Tuesday."
    try:
        coder.model = EventModel(shipped.weights, shipped.bias, shipped.threshold, shipped.meta, shipped.projection,
                                 shipped.calibration, shipped.kind_copies)
        without = [(e.type, e.confidence) for e in pipeline.analyze(text, published="2022-09-15").events]
        coder.model = EventModel(shipped.weights, shipped.bias, shipped.threshold, shipped.meta, shipped.projection,
                                 shipped.calibration, shipped.kind_copies,
                                 EventModel({"type=ACCUSE": -9.0}, bias=-9.0, threshold=0.9, kind_copies=False))
        assert [(e.type, e.confidence) for e in pipeline.analyze(text, published="2022-09-15").events] == without
        assert without  # the sentence's events were kept, by the file's own weights
    finally:
        coder.model = shipped


def test_an_article_keeps_its_most_confident_event_when_the_model_would_drop_every_one(pipeline):
    from flashpoint.stages.events import EventCoder

    coder = next(s.run for s in pipeline.stages if isinstance(s.run, EventCoder))
    kept_model = coder.model
    text = "Armenia accused Azerbaijan of shelling Jermuk on Tuesday. Azerbaijan denied it."
    strict = EventModel({"type=ACCUSE": 1.0}, bias=-1.0, threshold=0.99, kind_copies=False)
    try:
        coder.model = EventModel({"type=ACCUSE": 1.0}, bias=0.0, threshold=0.05, article=strict)
        events = pipeline.analyze(text, published="2022-09-15").events
        assert events and {(e.sentence, e.type) for e in events} == {(0, "ACCUSE")}
        # a lone sentence, scored by the file's own weights, keeps nothing below their threshold
        coder.model = EventModel({"type=ACCUSE": -9.0}, bias=-9.0, threshold=0.5, article=strict)
        assert not pipeline.analyze("Armenia accused Azerbaijan of shelling Jermuk.", published="2022-09-15").events
    finally:
        coder.model = kept_model


def test_article_features_are_shares_of_the_articles_events_with_state_and_political_actors():
    from flashpoint.models.event_model import article_features

    contexts = [_context(source_sector="GOV"), _context(source_sector="", target_sector="OPP"),
                _context(source_sector="", target_sector=""), _context(source_sector="CVL", target_sector="MIL")]
    assert article_features(contexts) == {"article:state_source": 0.25, "article:political": 0.75}
    assert article_features([]) == {}


def test_article_features_weigh_in_the_article_weights_only():
    part = EventModel({"type=ASSAULT": 1.0, "article:political": 2.0}, bias=0.0, threshold=0.3, kind_copies=False)
    model = EventModel({"type=ASSAULT": 1.0, "article:political": 5.0}, bias=0.0, threshold=0.05, article=part)
    article, lone = _context(article_sentences=9), _context(article_sentences=1)
    shares = {"article:political": 0.5}
    assert model.reads_article and not part.reads_article
    assert model.confidence(article, shares) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert model.confidence(article) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert model.confidence(lone, shares) == model.confidence(lone)  # lone sentences: the file's own weights


def test_an_articles_events_are_scored_again_with_the_article_features_in_one_order(pipeline):
    from flashpoint.stages.events import EventCoder

    coder = next(s.run for s in pipeline.stages if isinstance(s.run, EventCoder))
    kept_model = coder.model
    text = ("Armenia accused Azerbaijan of shelling Jermuk on Tuesday. The Armenian government condemned the "
            "attack. Azerbaijan denied it.")
    part = {"type=ACCUSE": 1.0, "type=ASSAULT": 0.5}
    try:
        coder.model = EventModel({"x": 0.0}, bias=0.0, threshold=0.05,
                                 article=EventModel(part, bias=-1.0, threshold=0.05, kind_copies=False))
        before = pipeline.analyze(text, published="2022-09-15").events
        coder.model = EventModel({"x": 0.0}, bias=0.0, threshold=0.05, article=EventModel(
            {**part, "article:political": -4.0}, bias=-1.0, threshold=0.05, kind_copies=False))
        after = pipeline.analyze(text, published="2022-09-15").events
    finally:
        coder.model = kept_model
    assert before and [e.id for e in after] == [e.id for e in before[:len(after)]]
    assert all(a.confidence <= b.confidence for a, b in zip(after, before))
    assert any(a.confidence < b.confidence for a, b in zip(after, before))  # the article's shares weighed in
    ranked = [e.id for e in sorted(before, key=lambda e: -e.confidence)]
    assert [e.id for e in sorted(after, key=lambda e: -e.confidence)] == [i for i in ranked if i in {e.id for e in after}]
