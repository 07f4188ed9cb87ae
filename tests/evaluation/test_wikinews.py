"""The whole-article scorer (evaluation/wikinews.py) on hand-built gold and output events,
and the loader of the repository's Wikinews gold set."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from flashpoint.errors import BenchmarkFormatError
from flashpoint.evaluation.runner import wikinews_article
from flashpoint.evaluation.sets import (
    SETS,
    GoldEvent,
    WikinewsRecord,
    country_unit,
    load_wikinews,
    resolve_data_dir,
)
from flashpoint.evaluation.wikinews import (
    SENTENCE,
    TRIGGER,
    OutputEvent,
    calibration,
    duplicates,
    dyad_counts,
    match,
    merge_split,
    no_counterpart,
    offset_map,
    same_quad,
    score_wikinews,
)
from flashpoint.records import ActorRef, Analysis, Article, Certainty, Event, EventDate, Sentence

QUAD = {"ACCUSE": 3, "REJECT": 3, "ASSAULT": 4, "CONSULT": 1, "REQUEST": 1, "AGREE": 1}


def gold(
    type_: str,
    quote: tuple[int, int],
    trigger: tuple[int, int] | None = None,
    also: tuple[tuple[int, int], ...] = (),
    source: tuple[str, ...] = (),
    target: tuple[str, ...] = (),
    date: tuple[str, str] | None = ("2020-01-03", "day"),
    certainty: str = "asserted",
) -> GoldEvent:
    return GoldEvent(
        quote="",
        trigger="",
        type=type_,
        cameo="",
        quad_class=QUAD[type_],
        spans=(quote, *also),
        trigger_span=trigger,
        source=source,
        target=target,
        date=date,
        certainty=certainty,
    )


def out(
    type_: str,
    trigger: tuple[int, int],
    sentence: tuple[int, int] | None = None,
    source: tuple[str, ...] = (),
    target: tuple[str, ...] = (),
    date: tuple[str, str] | None = ("2020-01-03", "day"),
    certainty: str = "asserted",
    confidence: float = 0.5,
) -> OutputEvent:
    return OutputEvent(type_, QUAD[type_], trigger, sentence, source, target, date, certainty, confidence)


# -- matching ----------------------------------------------------------------------------------


def test_a_trigger_inside_the_quote_with_the_same_type_matches():
    pairs = match([gold("ACCUSE", (0, 50))], [out("ACCUSE", (10, 18))])
    assert [(p.gold, p.output, p.anchor) for p in pairs] == [(0, 0, TRIGGER)]


def test_another_type_at_the_same_place_does_not_match_strictly_but_does_by_quad_class():
    g, o = [gold("ACCUSE", (0, 50))], [out("REJECT", (10, 18))]  # both QuadClass 3
    assert match(g, o) == []
    assert len(match(g, o, same_quad)) == 1
    assert match(g, [out("CONSULT", (10, 18))], same_quad) == []


def test_a_trigger_outside_every_gold_span_does_not_match():
    assert match([gold("ACCUSE", (0, 50))], [out("ACCUSE", (60, 66))]) == []


def test_a_recap_listed_in_also_anchors_the_event():
    pairs = match([gold("ASSAULT", (0, 50), also=((200, 260),))], [out("ASSAULT", (210, 216))])
    assert len(pairs) == 1


def test_the_sentence_is_tried_only_when_the_trigger_misses():
    # the gold quote is a clause (0, 50) of a sentence (0, 120); the trigger is in the other clause
    pairs = match([gold("ACCUSE", (0, 50))], [out("ACCUSE", (80, 86), sentence=(0, 120))])
    assert [p.anchor for p in pairs] == [SENTENCE]
    # a trigger anchor beats a sentence anchor for the one gold event
    pairs = match(
        [gold("ACCUSE", (0, 50))],
        [out("ACCUSE", (80, 86), sentence=(0, 120)), out("ACCUSE", (10, 16), sentence=(0, 120))],
    )
    assert [(p.output, p.anchor) for p in pairs] == [(1, TRIGGER)]


def test_matching_is_one_to_one_and_two_events_of_one_sentence_pair_by_trigger():
    g = [gold("ACCUSE", (0, 100), trigger=(10, 18)), gold("ACCUSE", (0, 100), trigger=(60, 68))]
    o = [out("ACCUSE", (60, 68)), out("ACCUSE", (10, 18)), out("ACCUSE", (30, 35))]
    pairs = match(g, o)
    assert sorted((p.gold, p.output) for p in pairs) == [(0, 1), (1, 0)]
    assert duplicates(g, o, pairs) == [2]  # the third ACCUSE of the sentence codes one again


def test_no_counterpart_counts_only_events_anchored_nowhere():
    g = [gold("ACCUSE", (0, 50))]
    o = [out("REJECT", (10, 16)), out("ASSAULT", (70, 77))]
    assert no_counterpart(g, o) == [1]  # a wrong type at a gold place is not "no counterpart"
    assert duplicates(g, o, match(g, o)) == []


# -- dyads -------------------------------------------------------------------------------------


def test_dyads_of_a_matched_pair_and_of_unmatched_events():
    g = [gold("ASSAULT", (0, 50), source=("USAMIL",), target=("IRNMIL", "IRQMIL")), gold("ACCUSE", (60, 90))]
    o = [out("ASSAULT", (5, 11), source=("USAGOV",), target=("IRNMIL",)), out("CONSULT", (100, 105))]
    pairs = match(g, o)
    strict = dyad_counts(g, o, pairs)
    # USAGOV→IRNMIL is no gold dyad (USAMIL); both gold dyads missed; the ACCUSE ("-","-") missed;
    # the unmatched CONSULT's ("-","-") a false positive
    assert (strict.tp, strict.fp, strict.fn) == (0, 2, 3)
    country = dyad_counts(g, o, pairs, country_unit)
    assert (country.tp, country.fp, country.fn) == (1, 1, 2)  # USA→IRN found, USA→IRQ missed


def test_a_reciprocal_gold_event_is_scored_on_its_parties_not_a_direction():
    # the guide: "A met B" is CONSULT with both as sources and no target; Flashpoint says A→B
    g = [gold("CONSULT", (0, 50), source=("USAGOV", "TURGOV"))]
    o = [out("CONSULT", (5, 9), source=("USAGOV",), target=("TURGOV",))]
    counts = dyad_counts(g, o, match(g, o))
    assert (counts.tp, counts.fp, counts.fn) == (2, 0, 0)
    # a party missing is still missed, a wrong one still wrong
    o = [out("CONSULT", (5, 9), source=("USAGOV",), target=("IRNGOV",))]
    counts = dyad_counts(g, o, match(g, o))
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 1)


def test_a_directed_gold_event_keeps_its_direction():
    g = [gold("ACCUSE", (0, 50), source=("USAGOV",), target=("TURGOV",))]
    o = [out("ACCUSE", (5, 9), source=("TURGOV",), target=("USAGOV",))]
    counts = dyad_counts(g, o, match(g, o))
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 1)
    # two sources and no target of a type that is not reciprocal keep their directed dyads
    g = [gold("ACCUSE", (0, 50), source=("USAGOV", "FRAGOV"))]
    o = [out("ACCUSE", (5, 9), source=("USAGOV",), target=("FRAGOV",))]
    counts = dyad_counts(g, o, match(g, o))
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 2)


def test_the_two_directions_of_one_split_event_are_merged_back():
    split = [out("AGREE", (5, 11), source=("NGAGOV",), target=("BENGOV",), confidence=0.4),
             out("AGREE", (5, 11), source=("BENGOV",), target=("NGAGOV",), confidence=0.7),
             out("ACCUSE", (20, 26), source=("NGAGOV",), target=("BENGOV",))]
    merged = merge_split(split)
    assert len(merged) == 2 and merged[1] == split[2]
    assert merged[0].source == ("NGAGOV", "BENGOV") and merged[0].target == ()
    assert merged[0].reciprocal and merged[0].confidence == 0.7
    g = [gold("AGREE", (0, 15), source=("NGAGOV", "BENGOV"))]
    counts = dyad_counts(g, merged[:1], match(g, merged[:1]))
    assert (counts.tp, counts.fp, counts.fn) == (2, 0, 0)
    # not mirrored (two targets of one source), or not a reciprocal type: left alone
    apart = [out("AGREE", (5, 11), source=("NGAGOV",), target=("BENGOV",)),
             out("AGREE", (5, 11), source=("NGAGOV",), target=("TGOGOV",))]
    assert merge_split(apart) == apart
    accuse = [out("ACCUSE", (5, 11), source=("A",), target=("B",)), out("ACCUSE", (5, 11), source=("B",), target=("A",))]
    assert merge_split(accuse) == accuse


def test_country_unit_keeps_organisations_and_groups_whole():
    assert [country_unit(c) for c in ("USAGOV", "IRN", "NATO", "ISIS", "HKGCVL", "UN")] == [
        "USA",
        "IRN",
        "NATO",
        "ISIS",
        "HKG",
        "UN",
    ]


# -- calibration -------------------------------------------------------------------------------


def test_calibration_bins_and_expected_error():
    table, ece = calibration([0.05, 0.15, 0.15, 1.0], [False, True, False, True])
    assert [(b.low, b.count, b.real) for b in table] == [(0.0, 1, 0.0), (0.1, 2, 0.5), (0.9, 1, 1.0)]
    assert ece == pytest.approx((0.05 + 2 * abs(0.15 - 0.5) + 0.0) / 4)


# -- the whole scorer on a hand-built analysis ---------------------------------------------------

TEXT = "Iran accused Israel of the attack. Israel rejected the claim. Troops shelled the town."


def _ref(start: int, end: int, code: str, country: str | None) -> ActorRef:
    return ActorRef((start, end), code, country=country, sector=None, code=code)


def _event(i: int, type_: str, quad: int, trigger: tuple[int, int], sentence: int, src, tgt, conf: float, label="asserted"):
    return Event(
        id=f"e{i}",
        sentence=sentence,
        trigger=trigger,
        source=src,
        target=tgt,
        type=type_,
        mode=None,
        context=(),
        cameo="",
        quad_class=quad,
        goldstein=0.0,
        date=EventDate("2020-01-03", "day", None, "publication"),
        certainty=Certainty(label),
        confidence=conf,
    )


def test_score_wikinews_end_to_end():
    record = WikinewsRecord(
        "u",
        "t",
        TEXT,
        date(2020, 1, 3),
        "test",
        (
            gold("ACCUSE", (0, 34), source=("IRN",), target=("ISR",)),
            gold("REJECT", (35, 61), source=("ISR",), target=("IRN",), certainty="attributed"),
        ),
    )
    iran, israel = _ref(0, 4, "IRN", "IRN"), _ref(13, 19, "ISR", "ISR")
    analysis = Analysis(
        article=Article(TEXT),
        sentences=(Sentence(0, (0, 34)), Sentence(1, (35, 61)), Sentence(2, (62, 86))),
        events=(
            _event(0, "ACCUSE", 3, (5, 12), 0, (iran,), (israel,), 0.95),  # right
            _event(1, "ACCUSE", 3, (42, 50), 1, (israel,), (), 0.65),  # wrong type at the REJECT
            _event(2, "ASSAULT", 4, (69, 76), 2, (), (), 0.65),  # the gold has no event here
        ),
    )
    scores, details = score_wikinews([record], [analysis])
    got = {s.metric: s.value for s in scores}
    assert got["event_precision"] == pytest.approx(1 / 3)
    assert got["event_recall"] == pytest.approx(1 / 2)
    assert got["event_lenient_recall"] == pytest.approx(1.0)  # ACCUSE and REJECT share QuadClass 3
    assert got["dyad_precision"] == pytest.approx(1 / 3) and got["dyad_recall"] == pytest.approx(1 / 2)
    assert got["date_accuracy"] == 1.0 and got["certainty_accuracy"] == 1.0
    assert got["event_precision_at_0.6"] == pytest.approx(1 / 3)
    assert details["no_counterpart"]["n"] == 1 and details["duplicates"]["n"] == 0
    assert details["per_type"]["ACCUSE"]["tp"] == 1 and details["per_type"]["REJECT"]["fn"] == 1
    assert details["ece"] == pytest.approx(abs(0.95 - 1.0) / 3 + 2 * 0.65 / 3)


def test_the_summary_breaks_scores_down_by_selection():
    politics = WikinewsRecord("p", "t", TEXT, date(2020, 1, 3), "dev", (gold("ACCUSE", (0, 34)),))
    wider = WikinewsRecord("w", "t", TEXT, date(2020, 1, 3), "dev", (), "wider")
    spurious = Analysis(
        article=Article(TEXT),
        sentences=(Sentence(0, (0, 34)), Sentence(1, (35, 61))),
        events=(_event(0, "ACCUSE", 3, (5, 12), 0, (), (), 0.9), _event(1, "REJECT", 3, (42, 50), 1, (), (), 0.5)),
    )
    _, details = score_wikinews([politics, wider], [None, spurious])
    by = details["by_selection"]
    assert by["politics"]["fn"] == 1 and by["politics"]["output_on_eventless"] == 0
    assert (by["wider"]["fp"], by["wider"]["eventless_articles"], by["wider"]["output_on_eventless"]) == (2, 1, 2)
    assert "wider (1 articles)" in details["summary"] and "2 output events on its 1 articles" in details["summary"]
    _, alone = score_wikinews([politics], [None])
    assert "by selection" not in alone["summary"]


def test_no_analysis_scores_every_gold_event_as_missed():
    record = WikinewsRecord("u", "t", TEXT, date(2020, 1, 3), "test", (gold("ACCUSE", (0, 34)),))
    scores, _ = score_wikinews([record], [None])
    got = {s.metric: s.value for s in scores}
    assert got["event_recall"] == 0.0 and got["event_precision"] == 0.0


# -- cleaned text and gold offsets ---------------------------------------------------------------


def test_offset_map_skips_the_dateline_and_squeezed_whitespace():
    original = "Monday, May 4, 2020\xa0\n\n\nIran accused Israel.\n\n\nIsrael denied it."
    cleaned = "Iran accused Israel.\n\nIsrael denied it."
    where = offset_map(original, cleaned)
    assert len(where) == len(cleaned) + 1
    for word in ("Iran", "accused", "Israel denied"):
        j = cleaned.index(word)
        assert original[where[j] : where[j + len(word) - 1] + 1] == word


def test_the_wikinews_article_is_cleaned_as_a_corpus_record():
    record = WikinewsRecord(
        "https://en.wikinews.org/wiki/X",
        "Iran accuses Israel",
        "Monday, May 4, 2020\xa0\n\n\nIran accused Israel of the attack on Sunday, officials said.",
        date(2020, 5, 4),
        "dev",
        (),
    )
    article = wikinews_article(record)
    assert article.text.startswith("Iran accused")
    assert (article.published, article.published_source) == (date(2020, 5, 4), "metadata")
    assert (article.title, article.url) == (record.title, record.url)


# -- the loader --------------------------------------------------------------------------------


def test_the_repository_gold_set_loads_both_splits():
    folder = SETS["wikinews"].folder(resolve_data_dir())
    test, dev = SETS["wikinews"].records(folder), SETS["wikinews-dev"].records(folder)
    politics = [r for r in dev if r.selection == "politics"]
    # the test split is frozen: the same 58 articles and 367 events, all of the first selection;
    # dev holds the 65 politics articles and any later, wider selection
    assert (len(test), sum(len(r.events) for r in test)) == (58, 367)
    assert {r.selection for r in test} == {"politics"}
    assert (len(politics), sum(len(r.events) for r in politics)) == (65, 337)
    assert {r.selection for r in dev} <= {"politics", "wider"}
    assert {r.split for r in test} == {"test"} and not {r.url for r in test} & {r.url for r in dev}
    for r in test + dev:
        for e in r.events:
            assert r.text[e.quote_span[0] : e.quote_span[1]] == e.quote
            assert e.trigger_span is None or r.text[e.trigger_span[0] : e.trigger_span[1]] == e.trigger


def _write(folder: Path, articles: list[dict], gold_lines: list[dict]) -> None:
    folder.joinpath("articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles), "utf-8")
    folder.joinpath("gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold_lines), "utf-8")


def test_the_loader_refuses_a_quote_span_that_does_not_hold_the_quote(tmp_path: Path):
    article = {"url": "u", "date": "2020-01-03", "title": "t", "text": TEXT, "split": "test"}
    event = {
        "quote": "Israel rejected the claim.",
        "trigger": "rejected",
        "type": "REJECT",
        "cameo": "120",
        "source": [],
        "target": [],
        "date": None,
        "certainty": "asserted",
        "quad_class": 3,
        "quote_span": [35, 61],
        "trigger_span": [42, 50],
    }
    _write(tmp_path, [article], [{"url": "u", "events": [event]}])
    (record,) = load_wikinews(tmp_path, "test")
    assert record.events[0].date is None and record.events[0].quote_span == (35, 61)
    _write(tmp_path, [article], [{"url": "u", "events": [dict(event, quote_span=[0, 26])]}])
    with pytest.raises(BenchmarkFormatError, match="quote_span"):
        load_wikinews(tmp_path, "test")
    _write(tmp_path, [article], [])
    with pytest.raises(BenchmarkFormatError, match="no line"):
        load_wikinews(tmp_path, "test")
