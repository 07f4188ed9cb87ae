"""The floors gate: a regression below a pinned floor fails, floors only ever rise."""

from __future__ import annotations

import functools
import json

import pytest
from click.testing import CliRunner

from flashpoint.cli import cli
from flashpoint.cli import evaluate as cli_eval
from flashpoint.evaluation import (
    EPSILON,
    FloorsError,
    Score,
    Scorecard,
    SetResult,
    check,
    compare,
    evaluate,
    load_floors,
    save_floors,
    update_floors,
)
from flashpoint.records import Analysis, Certainty, Sentence


def card(*results: SetResult, data_dir_exists: bool = True) -> Scorecard:
    return Scorecard(sets=results, data_dir="/data", data_dir_exists=data_dir_exists)


def ok(name: str, key: str | None = None, **scores: float) -> SetResult:
    return SetResult(name, "ok", key or name, tuple(Score(m, v, 10) for m, v in scores.items()))


def missing(name: str) -> SetResult:
    return SetResult(name, "missing", name, detail="missing /data/x")


FLOORS = {"plover-gsr": {"type_accuracy": 0.50, "dyad_f1": 0.20}}


def test_scores_at_or_above_floor_pass():
    assert check(card(ok("plover-gsr", type_accuracy=0.61, dyad_f1=0.20)), FLOORS) == []


def test_deliberate_regression_fails_the_gate():
    failures = check(card(ok("plover-gsr", type_accuracy=0.40, dyad_f1=0.25)), FLOORS)
    assert [(f.key, f.metric, f.status) for f in failures] == [("plover-gsr", "type_accuracy", "below")]
    assert "0.4000 vs floor 0.5000" in str(failures[0])


def test_epsilon_absorbs_noise_but_not_more():
    just_under = 0.50 - EPSILON + 1e-9
    assert check(card(ok("plover-gsr", type_accuracy=just_under, dyad_f1=0.2)), FLOORS) == []
    assert check(card(ok("plover-gsr", type_accuracy=0.494, dyad_f1=0.2)), FLOORS)
    assert check(card(ok("plover-gsr", type_accuracy=0.494, dyad_f1=0.2)), FLOORS, epsilon=0.01) == []


def test_metric_missing_from_a_scored_set_fails():
    failures = check(card(ok("plover-gsr", type_accuracy=0.9)), FLOORS)
    assert [(f.metric, f.status, f.reason) for f in failures] == [
        ("dyad_f1", "absent", "metric not produced")
    ]


def test_missing_set_fails_when_the_data_dir_exists():
    failures = check(card(missing("plover-gsr")), FLOORS)
    assert {f.metric for f in failures} == {"type_accuracy", "dyad_f1"}
    assert all(f.status == "absent" and f.reason == "set missing" for f in failures)


def test_missing_set_is_reported_not_failed_without_any_data_dir():
    verdicts = compare(card(missing("plover-gsr"), data_dir_exists=False), FLOORS)
    assert {(v.metric, v.status) for v in verdicts} == {("type_accuracy", "skipped"), ("dyad_f1", "skipped")}
    assert check(card(missing("plover-gsr"), data_dir_exists=False), FLOORS) == []


def test_erroring_set_fails():
    broken = SetResult("plover-gsr", "error", "plover-gsr", detail="not JSON")
    assert len(check(card(broken), FLOORS)) == 2


def test_sets_not_run_are_not_judged():
    floors = {**FLOORS, "wiki-weasel": {"uncertain_f1": 0.9}}
    assert check(card(ok("plover-gsr", type_accuracy=0.6, dyad_f1=0.3)), floors) == []


def test_sample_floors_are_kept_apart_from_full_set_floors():
    floors = {"wiki-weasel": {"uncertain_f1": 0.50}, "wiki-weasel@100": {"uncertain_f1": 0.30}}
    sample = ok("wiki-weasel", "wiki-weasel@100", uncertain_f1=0.35)
    assert check(card(sample), floors) == []  # judged against the sample's floor only
    assert check(card(ok("wiki-weasel", uncertain_f1=0.35)), floors)
    # a missing set fails every floor pinned for it, sample or not
    assert len(check(card(missing("wiki-weasel")), floors)) == 2


def test_new_metric_without_floor_is_reported_not_failed():
    verdicts = compare(card(ok("giveme5w1h", date_day_accuracy=0.3)), {})
    assert [(v.metric, v.status, v.failed) for v in verdicts] == [("date_day_accuracy", "no floor", False)]


def test_unknown_set_in_floors_fails():
    failures = check(
        card(ok("plover-gsr", type_accuracy=0.6, dyad_f1=0.3)), {**FLOORS, "plover-gdr": {"x": 0.1}}
    )
    assert [(f.key, f.status) for f in failures] == [("plover-gdr", "unknown set")]


def test_update_raises_floors_and_never_lowers():
    floors = {"plover-gsr": {"type_accuracy": 0.50, "dyad_f1": 0.20}, "wiki-weasel": {"uncertain_f1": 0.4}}
    scored = card(
        ok("plover-gsr", type_accuracy=0.6789, dyad_f1=0.10, actor_f1=0.33),
        missing("wiki-weasel"),
    )
    new = update_floors(floors, scored)
    assert new["plover-gsr"] == {"type_accuracy": 0.678, "dyad_f1": 0.20, "actor_f1": 0.33}
    assert new["wiki-weasel"] == {"uncertain_f1": 0.4}  # a missing set keeps its floors
    assert floors["plover-gsr"]["type_accuracy"] == 0.50  # the input is not modified
    # the regression on dyad_f1 is still caught after an update
    assert [f.metric for f in check(card(scored.sets[0]), new)] == ["dyad_f1"]


def test_updated_floor_never_exceeds_the_score_it_came_from():
    for value in (0.1, 0.3333333, 0.999999, 1.0, 0.0):
        new = update_floors({}, card(ok("plover-gsr", type_accuracy=value)))
        assert new["plover-gsr"]["type_accuracy"] <= value
        assert check(card(ok("plover-gsr", type_accuracy=value)), new, epsilon=0.0) == []


def test_floors_round_trip_and_validation(tmp_path):
    path = tmp_path / "floors.json"
    save_floors(
        path, {"wiki-weasel": {"uncertain_f1": 0.3}, "plover-gsr": {"type_accuracy": 0.5, "actor_f1": 0.1}}
    )
    assert list(json.loads(path.read_text())) == ["plover-gsr", "wiki-weasel"]  # sorted for diffs
    assert load_floors(path) == {
        "plover-gsr": {"actor_f1": 0.1, "type_accuracy": 0.5},
        "wiki-weasel": {"uncertain_f1": 0.3},
    }
    for bad in (
        "[1]",
        '{"plover-gsr": 0.5}',
        '{"plover-gsr": {"a": 1.5}}',
        '{"plover-gsr": {"a": true}}',
        "{",
    ):
        path.write_text(bad)
        with pytest.raises(FloorsError):
            load_floors(path)
    with pytest.raises(FloorsError, match="no floors file"):
        load_floors(tmp_path / "absent.json")


def test_the_shipped_floors_file_is_valid():
    from pathlib import Path

    floors = load_floors(Path(__file__).resolve().parents[2] / "benchmarks" / "floors.json")
    assert {"plover-gsr", "conflibert-cameo", "wiki-weasel", "giveme5w1h"} <= set(floors)


# -- the command, end to end, on a hand-made data dir with a stand-in pipeline -----------------


class NothingFound:
    """A pipeline that finds no event and calls every sentence asserted."""

    model_name = "stand-in"

    def analyze_many(self, articles):
        for article, record_id in articles:
            yield Analysis(
                article=article,
                sentences=(Sentence(0, (0, len(article.text)), Certainty("asserted")),),
                id=record_id or "",
            )


@pytest.fixture
def plover_dir(tmp_path):
    items = [
        {"id": "DOC", "event": "DOCUMENT"},
        {
            "id": "a",
            "event": "AGREE",
            "text": "Jordan and Britain agreed.",
            "textInfo": {"markup": ""},
            "source": [{"actorText": "Jordan", "code": "JOR"}],
            "target": [{"actorText": "Britain", "code": "GBR"}],
        },
    ]
    path = tmp_path / "data/PLOVER/gold_standard_records/PLOVER_GSR_CAMEO.txt"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(items), encoding="utf-8")
    return tmp_path


@pytest.fixture
def stand_in(monkeypatch):
    monkeypatch.setattr(cli_eval, "evaluate", functools.partial(evaluate, analyzer=NothingFound()))


def invoke(*args: str):
    return CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)


def test_cli_gate_fails_on_a_regression(plover_dir, stand_in):
    floors = plover_dir / "floors.json"
    floors.write_text(json.dumps({"plover-gsr": {"type_accuracy": 0.5}}))
    args = ["plover-gsr", "--data-dir", str(plover_dir / "data"), "--floors", str(floors)]
    result = invoke(*args, "--check-floors")
    assert result.exit_code == 1
    assert "below" in result.output and "type_accuracy" in result.output
    assert invoke(*args).exit_code == 0  # without --check-floors the table only reports


def test_cli_json_scorecard(plover_dir, stand_in):
    floors = plover_dir / "floors.json"
    floors.write_text(json.dumps({"plover-gsr": {"type_accuracy": 0.5}}))
    result = invoke(
        "plover-gsr",
        "--data-dir",
        str(plover_dir / "data"),
        "--floors",
        str(floors),
        "--json",
        "--check-floors",
    )
    assert result.exit_code == 1
    out = json.loads(result.output)
    assert out["model"] == "stand-in" and out["commit"]
    (plover,) = out["sets"]
    assert plover["status"] == "ok" and plover["records"] == 1
    assert {s["metric"]: s["n"] for s in plover["scores"]}["type_accuracy"] == 1
    assert "per_type" in plover["details"]
    assert out["gate"]["checked"] and not out["gate"]["passed"]


def test_cli_update_floors_only_raises(plover_dir, stand_in):
    floors = plover_dir / "floors.json"
    floors.write_text(json.dumps({"plover-gsr": {"type_accuracy": 0.5}}))
    result = invoke(
        "plover-gsr", "--data-dir", str(plover_dir / "data"), "--floors", str(floors), "--update-floors"
    )
    assert result.exit_code == 0
    written = json.loads(floors.read_text())["plover-gsr"]
    assert written["type_accuracy"] == 0.5  # measured 0.0: not lowered
    assert written["actor_f1"] == 0.0  # new metric pinned


def test_cli_reports_missing_sets(tmp_path, stand_in):
    (tmp_path / "data").mkdir()
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps(
            {
                "wiki-weasel": {"uncertain_f1": 0.3, "uncertain_recall": 0.1},
                "wiki-weasel@9": {"uncertain_f1": 0.2},
            }
        )
    )
    args = [
        "wiki-weasel",
        "petrarch-unit",
        "--data-dir",
        str(tmp_path / "data"),
        "--floors",
        str(floors),
        "--json",
    ]
    out = json.loads(invoke(*args).output)
    assert [(s["name"], s["status"]) for s in out["sets"]] == [
        ("wiki-weasel", "missing"),
        ("petrarch-unit", "unavailable"),
    ]
    assert "test.csv" in out["sets"][0]["detail"]
    assert "PETRARCH dictionary import" in out["sets"][1]["detail"]
    # the data dir exists, so a pinned set that is missing fails the gate ...
    assert invoke(*args, "--check-floors").exit_code == 1
    # ... but a machine without any benchmark data only gets told what was skipped
    absent = ["--data-dir", str(tmp_path / "nowhere"), "--floors", str(floors), "--check-floors"]
    result = invoke("wiki-weasel", *absent)
    assert result.exit_code == 0
    assert "No benchmark data" in result.output and "3 floors not checked" in result.output


def test_cli_rejects_unknown_sets_and_missing_floors_file(tmp_path):
    assert CliRunner().invoke(cli, ["eval", "no-such-set"]).exit_code == 2
    result = CliRunner().invoke(
        cli,
        ["eval", "--data-dir", str(tmp_path), "--floors", str(tmp_path / "none.json"), "--check-floors"],
    )
    assert result.exit_code == 1 and "no floors file" in result.output


class GivesUp:
    def analyze_many(self, articles):
        from flashpoint.errors import DataFileError

        raise DataFileError("cannot read actor file")
        yield  # pragma: no cover


def test_a_pipeline_that_gives_up_fails_the_gate_with_its_reason(plover_dir):
    scored = evaluate(["plover-gsr"], data_dir=plover_dir / "data", analyzer=GivesUp())
    (result,) = scored.sets
    assert result.status == "error" and "cannot read actor file" in result.detail
    failures = check(scored, {"plover-gsr": {"type_accuracy": 0.0}})
    assert [(f.metric, f.status, f.reason) for f in failures] == [("type_accuracy", "absent", "set error")]
