"""The pipeline itself: stage order, the failing stage named, one producer per output field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flashpoint.draft import Draft, Stage, check_order
from flashpoint.errors import StageError
from flashpoint.pipeline import field_producers


def _contract_fields(value: dict, prefix: str = "") -> set[str]:
    """The contract's fields as producers declare them: top-level keys, and the keys of the
    items of sentences, events and actors (``events[].date``)."""
    fields = set()
    for key, item in value.items():
        if key in ("sentences", "events", "actors") and isinstance(item, list):
            for entry in item:
                fields.update(f"{key}[].{k}" for k in entry)
        else:
            fields.add(key)
    return fields


def test_stage_order_is_checked() -> None:
    first = Stage("b", lambda d: d, needs=("made_by_a",))
    with pytest.raises(ValueError, match="'b' needs"):
        check_order([first, Stage("a", lambda d: d, makes=("made_by_a",))])
    check_order([Stage("a", lambda d: d, makes=("made_by_a",)), first])


def test_the_failing_stage_is_named(pipeline, monkeypatch) -> None:
    def broken(draft: Draft) -> Draft:
        raise KeyError("boom")

    stages = list(pipeline.stages)
    stages.insert(2, Stage("broken-stage", broken))
    monkeypatch.setattr(pipeline, "stages", tuple(stages))
    with pytest.raises(StageError, match="stage 'broken-stage' failed: KeyError"):
        pipeline.analyze("Armenia accused Azerbaijan of shelling Jermuk on Tuesday.", published="2022-09-15")


def test_stages_run_in_the_declared_order(pipeline, monkeypatch) -> None:
    seen: list[str] = []

    def spy(stage: Stage) -> Stage:
        def run(draft: Draft) -> Draft:
            seen.append(stage.name)
            return stage.run(draft)

        return replace(stage, run=run)

    monkeypatch.setattr(pipeline, "stages", tuple(spy(s) for s in pipeline.stages))
    pipeline.analyze("Armenia accused Azerbaijan of shelling Jermuk.", published="2022-09-15")
    assert seen == ["sentences", "actors", "dates", "certainty", "events", "event-dates", "recaps",
                    "actor-summary", "certainty-profile"]


def test_every_contract_field_has_exactly_one_producer(pipeline) -> None:
    analysis = pipeline.analyze(
        "Armenia accused Azerbaijan of shelling Jermuk on Tuesday, the foreign ministry said. "
        "Russia will probably send observers.", published="2022-09-15")
    contract = _contract_fields(analysis.to_dict())
    producers: dict[str, list[str]] = {}
    for name, fields in field_producers(pipe=pipeline):
        for f in fields:
            producers.setdefault(f, []).append(name)
    assert {f: p for f, p in producers.items() if len(p) > 1} == {}, "a field made twice"
    assert contract - set(producers) == set(), "fields of the contract no stage declares"
    assert set(producers) - contract == set(), "declared fields the contract does not have"


def test_doctor_prints_the_stage_table() -> None:
    from click.testing import CliRunner

    from flashpoint.cli import cli

    out = CliRunner().invoke(cli, ["doctor", "--stages"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("ingest") and "article" in lines[0]
    assert any(line.startswith("event-dates") and "events[].date" in line for line in lines)


# -- hardening (issue 12, fault 9) ---------------------------------------------------------------


@pytest.mark.parametrize("value", [None, b"Armenia accused Azerbaijan of shelling Jermuk.", 42])
def test_analyze_of_something_that_is_no_string_is_an_input_error(pipeline, value):
    from flashpoint.errors import InputError

    with pytest.raises(InputError, match="str"):
        pipeline.analyze(value)


def test_a_datetime_published_gives_dates_not_times(pipeline):
    from datetime import datetime

    analysis = pipeline.analyze("Armenia accused Azerbaijan on Tuesday of shelling Jermuk.",
                                published=datetime(2022, 9, 15, 18, 30))
    assert analysis.article.published.isoformat() == "2022-09-15"
    data = analysis.to_dict()
    assert data["article"]["published"] == "2022-09-15"
    assert all("T" not in (e["date"]["value"] or "") for e in data["events"])


def test_a_control_character_entity_does_not_empty_an_html_page(pipeline):
    paragraphs = "".join(f"<p>Armenia accused Azerbaijan of shelling the town of Jermuk, paragraph {i} "
                         "of the report said on Tuesday, and Russia urged restraint.</p>" for i in range(6))
    html = (f"<html><head><title>Clash</title></head><body><article>{paragraphs}"
            "<p>An escape &#27; here, &#x1b; there and &#0; nowhere.</p></article></body></html>")
    analysis = pipeline.analyze(html)
    assert "paragraph 5" in analysis.article.text and "\x1b" not in analysis.article.text
