"""The type model: its file format, its choice among a trigger's candidate types (the lexicon's
type stands unless another beats it by the margin), and the candidates the events stage gives."""

from __future__ import annotations

import json

import numpy as np
import pytest

from flashpoint.errors import DataFileError
from flashpoint.models.logistic import Projection
from flashpoint.models.type_model import LEXICON, TypeModel, crossed
from flashpoint.stages.events import EventCoder


def test_crossed_features_carry_the_type_and_the_lexicon_flag():
    assert crossed("COERCE", {"lemma=order": 1.0}, "REQUEST") == {"COERCE|lemma=order": 1.0, "COERCE|bias": 1.0}
    assert crossed("REQUEST", {}, "REQUEST") == {"REQUEST|bias": 1.0, LEXICON: 1.0}


def test_another_type_replaces_the_lexicons_only_by_the_margin():
    model = TypeModel({"COERCE|lemma=order": 2.0}, 0.0, 0.5)
    context = {"lemma=order": 1.0}
    # p(COERCE) = 0.88, p(REQUEST) = 0.12: a gap of 0.76 beats 0.5
    assert model.choose(context, ["COERCE", "REQUEST"], "REQUEST") == "COERCE"
    assert TypeModel({"COERCE|lemma=order": 2.0}, 0.0, 0.8).choose(context, ["COERCE", "REQUEST"], "REQUEST") == "REQUEST"
    assert model.choose({}, ["COERCE", "REQUEST"], "REQUEST") == "REQUEST"  # a tie keeps the lexicon's
    assert model.choose(context, [], "REQUEST") == "REQUEST"


def test_a_model_file_round_trips_and_bad_files_are_refused(tmp_path):
    reducer = Projection(np.zeros(3), np.eye(2, 3))
    model = TypeModel({"COERCE|obj_v0": 0.5}, 0.0, 0.2, {"C": 0.1}, {"obj": reducer}, {"COERCE": "173"})
    path = tmp_path / "type_model.json"
    path.write_text(json.dumps(model.to_dict()))
    loaded = TypeModel.load(path)
    assert loaded.defaults == {"COERCE": "173"} and loaded.threshold == 0.2 and loaded.meta["C"] == 0.1
    assert loaded.context({}, {"obj": (1.0, 2.0, 3.0)}) == {"obj_v0": 1.0, "obj_v1": 2.0}
    assert loaded.context({}, {"obj": (1.0,)}) == {}  # a vector of another size is not read
    for bad in ({**model.to_dict(), "format": "flashpoint-role-model-1"},
                {**model.to_dict(), "defaults": {"FIGHT": "190"}},
                {**model.to_dict(), "reducers": {"obj": {"mean": [0, 0], "components": [[1, 0, 0]]}}}):
        path.write_text(json.dumps(bad))
        with pytest.raises(DataFileError):
            TypeModel.load(path)


@pytest.fixture
def coder(pipeline, monkeypatch):
    found = next(s.run for s in pipeline.stages if isinstance(s.run, EventCoder))
    monkeypatch.setattr(found, "type_trace", None)
    return found


def test_the_stage_offers_every_type_and_codes_the_models_choice(pipeline, coder, monkeypatch):
    traced = []
    monkeypatch.setattr(coder, "type_trace", lambda span, feats, vectors, cands: traced.append((feats, cands)))
    monkeypatch.setattr(coder, "types", TypeModel({"COERCE|lemma=order": 6.0}, 0.0, 0.3, defaults={"COERCE": "173"}))
    text = "The judge ordered the journalist remain in custody."
    events = pipeline.analyze(text, published="2023-03-15").events
    feats, cands = next((f, c) for f, c in traced if "lemma=order" in f)
    assert feats["lex=REQUEST"] == 1.0 and cands["REQUEST"].cameo == "100" and cands["COERCE"].cameo == "173"
    assert [(e.type, e.cameo) for e in events if text[e.trigger[0]:e.trigger[1]] == "ordered"] == [("COERCE", "173")]
