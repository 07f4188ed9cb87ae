"""The event model's file format, its probability and the features it reads."""

from __future__ import annotations

import json
import math

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
