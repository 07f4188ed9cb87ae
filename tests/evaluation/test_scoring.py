"""The pure scorers, on tiny hand-made gold/prediction pairs whose scores are worked out by hand."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.evaluation.runner import (
    actor_code,
    lead_event,
    main_event,
    score_conflibert,
    score_giveme,
    score_plover,
    score_weasel,
    token_span,
)
from flashpoint.evaluation.scoring import (
    Counts,
    accuracy,
    bio_spans,
    macro_f1,
    micro,
    per_label,
    prf,
    span_prf,
)
from flashpoint.evaluation.sets import (
    ConfliRecord,
    GivemeRecord,
    GoldActor,
    PloverRecord,
    WeaselRecord,
    align_tokens,
    load_conflibert,
    load_plover,
    penta_class,
    sector_code,
    when_consistency,
)
from flashpoint.records import (
    ActorRef,
    Analysis,
    Article,
    Certainty,
    Event,
    EventDate,
    Sentence,
)


@pytest.mark.parametrize(
    ("gold", "pred", "tp", "fp", "fn", "p", "r", "f1"),
    [
        pytest.param({"USA", "RUS"}, {"USA", "RUS"}, 2, 0, 0, 1.0, 1.0, 1.0, id="perfect"),
        pytest.param({"USA", "RUS", "UKR"}, {"USA", "CHN"}, 1, 1, 2, 1 / 2, 1 / 3, 0.4, id="partial"),
        pytest.param({"USA"}, {"CHN", "RUS"}, 0, 2, 1, 0.0, 0.0, 0.0, id="all-wrong"),
        pytest.param(set(), set(), 0, 0, 0, 0.0, 0.0, 0.0, id="both-empty"),
        pytest.param({"USA"}, set(), 0, 0, 1, 0.0, 0.0, 0.0, id="no-prediction"),
        pytest.param(set(), {"USA"}, 0, 1, 0, 0.0, 0.0, 0.0, id="no-gold"),
        pytest.param(["USA", "USA"], ["USA"], 1, 0, 0, 1.0, 1.0, 1.0, id="duplicates-collapse"),
    ],
)
def test_prf_from_sets(gold, pred, tp, fp, fn, p, r, f1):
    c = prf(gold, pred)
    assert (c.tp, c.fp, c.fn) == (tp, fp, fn)
    assert c.precision == pytest.approx(p)
    assert c.recall == pytest.approx(r)
    assert c.f1 == pytest.approx(f1)


def test_counts_from_counts_and_harmonic_mean():
    c = Counts(tp=3, fp=1, fn=2)
    assert c.precision == pytest.approx(0.75)
    assert c.recall == pytest.approx(0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))
    assert (c.gold, c.predicted) == (5, 4)


def test_micro_sums_counts_before_dividing():
    # item 1: P=1, R=1; item 2: P=0, R=0 — micro weighs items by their counts, not equally.
    items = [prf({"a", "b", "c"}, {"a", "b", "c"}), prf({"d"}, {"e"})]
    total = micro(items)
    assert (total.tp, total.fp, total.fn) == (3, 1, 1)
    assert total.precision == pytest.approx(0.75)
    assert total.recall == pytest.approx(0.75)
    assert micro([]) == Counts()


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        pytest.param(["A", "B", "C", "A"], ["A", "B", "A", "A"], 0.75, id="three-of-four"),
        pytest.param(["A", "B"], ["B", "A"], 0.0, id="all-wrong"),
        pytest.param(["A", "B"], [None, "B"], 0.5, id="none-is-wrong"),
        pytest.param([], [], 0.0, id="empty"),
    ],
)
def test_accuracy(gold, pred, expected):
    assert accuracy(gold, pred) == pytest.approx(expected)


def test_accuracy_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="2 items but predictions have 1"):
        accuracy(["A", "B"], ["A"])


def test_per_label_counts_one_vs_rest():
    gold = ["A", "A", "B", "C"]
    pred = ["A", "B", "B", None]
    table = per_label(gold, pred)
    assert list(table) == ["A", "B", "C"]  # None is not a label
    assert table["A"] == Counts(tp=1, fp=0, fn=1)
    assert table["B"] == Counts(tp=1, fp=1, fn=0)
    assert table["C"] == Counts(tp=0, fp=0, fn=1)


def test_macro_f1_averages_over_gold_labels():
    gold = ["A", "A", "B", "C"]
    pred = ["A", "B", "B", None]
    # F1: A = 2/3 (P 1, R 1/2), B = 2/3 (P 1/2, R 1), C = 0  → mean 4/9
    assert macro_f1(gold, pred) == pytest.approx(4 / 9)


def test_macro_f1_ignores_labels_only_predicted_unless_asked():
    gold = ["A", "A"]
    pred = ["A", "Z"]
    assert macro_f1(gold, pred) == pytest.approx(2 / 3)  # only A: P 1, R 1/2
    assert macro_f1(gold, pred, labels=["A", "Z"]) == pytest.approx(1 / 3)  # Z has F1 0


def test_macro_f1_perfect_all_wrong_and_empty():
    assert macro_f1(["A", "B"], ["A", "B"]) == pytest.approx(1.0)
    assert macro_f1(["A", "B"], ["B", "A"]) == pytest.approx(0.0)
    assert macro_f1([], []) == 0.0


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        pytest.param(["B-S", "I-S", "O", "B-T"], {(0, 2, "S"), (3, 4, "T")}, id="two-spans"),
        pytest.param(["B-S", "B-S", "I-S"], {(0, 1, "S"), (1, 3, "S")}, id="adjacent-same-kind"),
        pytest.param(["B-S", "I-T", "I-T"], {(0, 1, "S"), (1, 3, "T")}, id="kind-change-starts-span"),
        pytest.param(["O", "I-R", "I-R", "O"], {(1, 3, "R")}, id="stray-I-starts-span"),
        pytest.param(["I-S"], {(0, 1, "S")}, id="stray-I-at-start"),
        pytest.param(["O", "O"], set(), id="no-spans"),
        pytest.param([], set(), id="empty"),
        pytest.param(["B-T", "I-T"], {(0, 2, "T")}, id="span-to-end"),
    ],
)
def test_bio_spans(tags, spans):
    assert bio_spans(tags) == spans


def test_span_exact_match_by_kind():
    gold = {(0, 2, "S"), (4, 5, "T"), (7, 9, "T")}
    pred = {(0, 2, "S"), (4, 6, "T"), (7, 9, "S")}  # one exact S, one T too long, one wrong kind
    source = span_prf(gold, pred, "S")
    target = span_prf(gold, pred, "T")
    assert (source.tp, source.fp, source.fn) == (1, 1, 0)
    assert (target.tp, target.fp, target.fn) == (0, 1, 2)
    assert source.precision == pytest.approx(0.5) and source.recall == pytest.approx(1.0)
    assert target.f1 == 0.0
    both = span_prf(gold, pred)
    assert (both.tp, both.fp, both.fn) == (1, 2, 2)


def test_span_all_wrong_and_empty():
    assert span_prf({(0, 1, "S")}, {(1, 2, "S")}, "S").f1 == 0.0
    assert span_prf(set(), set(), "S") == Counts()


labels = st.lists(st.sampled_from("ABC"), max_size=12)


@given(st.data())
def test_scores_stay_in_unit_interval(data):
    gold = data.draw(labels)
    pred = data.draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=len(gold), max_size=len(gold)))
    for value in (accuracy(gold, pred), macro_f1(gold, pred)):
        assert 0.0 <= value <= 1.0
    c = prf(gold, [p for p in pred if p])
    assert 0.0 <= c.f1 <= max(c.precision, c.recall) <= 1.0
    assert min(c.precision, c.recall) <= c.f1 or c.f1 == 0.0


@given(labels)
def test_predicting_gold_is_perfect(gold):
    if gold:
        assert accuracy(gold, gold) == 1.0
        assert macro_f1(gold, gold) == 1.0
        assert prf(gold, gold).f1 == 1.0


# -- reading predictions and scoring a set, on hand-made analyses --------------------------------


def ref(start, end, country=None, org=None, sector=None):
    return ActorRef(span=(start, end), key=country or org or "?", country=country, org=org, sector=sector)


def event(
    type_="AGREE", cameo="057", source=(), target=(), confidence=0.5, sentence=0, day=None, granularity="day"
):
    return Event(
        id=f"{type_}{confidence}{sentence}",
        sentence=sentence,
        trigger=(0, 1),
        source=tuple(source),
        target=tuple(target),
        type=type_,
        mode=None,
        context=(),
        cameo=cameo,
        quad_class=1,
        goldstein=0.0,
        date=EventDate(day, granularity if day else None, basis="text" if day else "publication"),
        confidence=confidence,
    )


def analysis(text, events=(), labels=("asserted",)):
    # one sentence per label, splitting the text into equal parts
    step = max(1, len(text) // len(labels))
    sentences = tuple(
        Sentence(i, (i * step, len(text) if i == len(labels) - 1 else (i + 1) * step), Certainty(label))
        for i, label in enumerate(labels)
    )
    return Analysis(article=Article(text=text), sentences=sentences, events=tuple(events))


def test_main_event_is_most_confident_first_on_tie():
    a, b, c = event("AGREE", confidence=0.4), event("ACCUSE", confidence=0.7), event("REJECT", confidence=0.7)
    assert main_event(analysis("x", [a, b, c])) is b
    assert main_event(analysis("x")) is None
    assert main_event(None) is None


def test_lead_event_is_best_of_earliest_sentence_with_an_event():
    late = event("ASSAULT", confidence=0.9, sentence=3)
    early_weak = event("ACCUSE", confidence=0.3, sentence=1)
    early_strong = event("REJECT", confidence=0.6, sentence=1)
    assert lead_event(analysis("x", [late, early_weak, early_strong])) is early_strong
    assert lead_event(analysis("x")) is None


@pytest.mark.parametrize(
    ("actor", "code"),
    [
        (ref(0, 1, country="usa"), "USA"),
        (ref(0, 1, org="NATO"), "ORG"),
        (ref(0, 1, country="RUS", org="CSTO"), "RUS"),
        (ref(0, 1, sector="REB"), None),
    ],
)
def test_actor_code(actor, code):
    assert actor_code(actor) == code


def test_score_plover_by_hand():
    records = [
        PloverRecord(
            "r1",
            "t",
            "AGREE",
            "AGREE",
            source=(GoldActor("US officials", "USA", "GOV"),),
            target=(GoldActor("Russia", "RUS", None),),
        ),
        PloverRecord(
            "r2",
            "t",
            "ASSAULT",
            "FIGHT",
            source=(GoldActor("Israel", "ISR", None), GoldActor("Palestinians", "PSE", None)),
            target=(),
            reciprocal=True,
        ),
    ]
    analyses = [
        analysis("t", [event("AGREE", source=[ref(0, 1, "USA", sector="GOV")], target=[ref(0, 1, "CHN")])]),
        analysis("t"),  # no event: type wrong, every gold actor missed
    ]
    scores, details = score_plover(records, analyses)
    got = {s.metric: s.value for s in scores}
    assert {s.n for s in scores} == {2}
    assert got["type_accuracy"] == pytest.approx(0.5)
    assert got["type_macro_f1"] == pytest.approx(0.5)  # AGREE 1.0, ASSAULT 0.0
    # actors: r1 tp USA, fp CHN, fn RUS; r2 fn ISR, PSE
    assert got["actor_precision"] == pytest.approx(0.5)
    assert got["actor_recall"] == pytest.approx(0.25)
    assert got["actor_f1"] == pytest.approx(1 / 3)
    # roles: r1 tp (source, USA), fp (target, CHN), fn (target, RUS); r2 four reciprocal misses
    assert got["actor_role_f1"] == pytest.approx(2 / 8)
    assert got["actor_sector_precision"] == pytest.approx(0.5)
    assert got["actor_sector_recall"] == pytest.approx(0.25)
    assert got["dyad_f1"] == 0.0
    assert details["no_event"] == 1
    assert details["per_type"]["AGREE"]["f1"] == 1.0
    assert details["per_type"]["ASSAULT"]["recall"] == 0.0
    assert details["dyad_counts"]["fn"] == 3  # (USA,RUS) and both reciprocal orders


def test_score_plover_all_wrong_and_empty():
    records = [PloverRecord("r", "t", "AGREE", "AGREE", (GoldActor("A", "USA", None),), ())]
    scores, _ = score_plover(records, [analysis("t", [event("ASSAULT", source=[ref(0, 1, "CHN")])])])
    assert all(s.value == 0.0 for s in scores)
    scores, _ = score_plover([], [])
    assert all(s.value == 0.0 and s.n == 0 for s in scores)


def test_score_plover_counts_pipeline_failures_as_nothing_found():
    records = [PloverRecord("r", "t", "AGREE", "AGREE", (GoldActor("A", "USA", None),), ())]
    scores, details = score_plover(records, [None])
    assert {s.metric: s.value for s in scores}["type_accuracy"] == 0.0
    assert details["no_event"] == 1


def conf_record(index, text, tokens, tags, label):
    return ConfliRecord(index, text, label, tuple(tokens), tuple(tags), align_tokens(text, tokens))


def test_score_conflibert_by_hand():
    records = [
        conf_record(0, "Iraq accused Iran.", ["Iraq", "accused", "Iran", "."], ["B-S", "O", "B-T", "O"], 3),
        conf_record(1, "Both sides met.", ["Both", "sides", "met", "."], ["B-R", "I-R", "O", "O"], 1),
    ]
    analyses = [
        analysis(records[0].text, [event("ACCUSE", "112", [ref(0, 4, "IRQ")], [ref(13, 17, "IRN")])]),
        analysis(records[1].text),  # no event → class 0, no spans
    ]
    scores, details = score_conflibert(records, analyses)
    got = {s.metric: s.value for s in scores}
    assert got["class_accuracy"] == pytest.approx(0.5)
    assert got["class_macro_f1"] == pytest.approx(1 / 5)  # only class 3 right, over 5 classes
    # the R span is gold for both roles: one hit and one miss each
    assert got["source_span_precision"] == pytest.approx(1.0)
    assert got["source_span_recall"] == pytest.approx(0.5)
    assert got["target_span_f1"] == pytest.approx(2 / 3)
    assert details["per_class"]["0"]["predicted"] == 1
    assert details["no_event"] == 1


def test_conflibert_span_boundaries_must_match_exactly():
    record = conf_record(
        0,
        "The Georgian government spoke.",
        ["The", "Georgian", "government", "spoke", "."],
        ["B-S", "I-S", "I-S", "O", "O"],
        0,
    )
    near = analysis(record.text, [event("AGREE", "010", [ref(4, 23, "GEO", sector="GOV")])])
    scores, _ = score_conflibert([record], [near])
    assert {s.metric: s.value for s in scores}["source_span_f1"] == 0.0


@pytest.mark.parametrize(
    ("root", "cls"),
    [
        (1, 0),
        (2, 0),
        (3, 1),
        (5, 1),
        (6, 2),
        (8, 2),
        (9, 3),
        (13, 3),
        (16, 3),
        (14, 4),
        (15, 4),
        (17, 4),
        (20, 4),
    ],
)
def test_penta_class(root, cls):
    assert penta_class(root) == cls


def test_token_span_covers_overlapping_tokens():
    spans = align_tokens("U.S. military chief said", ["U.S.", "military", "chief", "said"])
    assert spans == ((0, 4), (5, 13), (14, 19), (20, 24))
    assert token_span(spans, 0, 19) == (0, 3)
    assert token_span(spans, 6, 10) == (1, 2)  # inside one token
    assert token_span(spans, 30, 40) is None
    assert align_tokens("a b", ["a", "c"]) is None


def test_score_weasel_by_hand():
    records = [
        WeaselRecord(0, "It is probably true.", True),
        WeaselRecord(1, "If so, it rained. It did.", False),
        WeaselRecord(2, "Critics say it failed.", True),
        WeaselRecord(3, "It rained.", False),
    ]
    analyses = [
        analysis(records[0].text, labels=("hedged",)),
        analysis(records[1].text, labels=("hypothetical", "asserted")),  # any sentence counts
        analysis(records[2].text, labels=("attributed",)),
        analysis(records[3].text, labels=("asserted",)),
    ]
    scores, details = score_weasel(records, analyses)
    got = {s.metric: s.value for s in scores}
    assert got == pytest.approx({"uncertain_precision": 0.5, "uncertain_recall": 0.5, "uncertain_f1": 0.5})
    assert details["counts"]["tp"] == 1
    assert details["sentence_labels_by_gold"]["uncertain"] == {"attributed": 1, "hedged": 1}


def giveme(when, text="x"):
    return GivemeRecord("id", None, text, date(2016, 11, 10), when, ("Wednesday",), None)


def test_score_giveme_by_hand():
    records = [giveme(date(2016, 11, 9)), giveme(date(2016, 11, 10)), giveme(date(2016, 11, 10))]
    analyses = [
        analysis("x", [event(day="2016-11-09")]),
        # the lead sentence has only a month; a later sentence's exact day does not count
        analysis(
            "x",
            [event(day="2016-11", granularity="month"), event(day="2016-11-10", sentence=2, confidence=0.9)],
        ),
        analysis("x"),
    ]
    scores, details = score_giveme(records, analyses)
    got = {s.metric: s.value for s in scores}
    assert got["date_day_accuracy"] == pytest.approx(1 / 3)
    assert got["date_month_accuracy"] == pytest.approx(2 / 3)
    assert {s.n for s in scores} == {3}
    assert details["no_event"] == 1
    assert details["with_event"] == {"n": 2, "date_day_accuracy": 0.5, "date_month_accuracy": 1.0}


@pytest.mark.parametrize(
    ("phrases", "parsed", "published", "ok"),
    [
        pytest.param(["Wednesday"], date(2016, 11, 9), date(2016, 11, 10), True, id="weekday"),
        pytest.param(["Wednesday"], date(2016, 11, 12), date(2016, 11, 12), False, id="wrong-weekday"),
        pytest.param(["Sunday"], date(2016, 11, 6), date(2016, 11, 30), False, id="weekday-weeks-ago"),
        pytest.param(["Sunday"], date(2016, 11, 13), date(2016, 11, 8), False, id="after-publication"),
        pytest.param(["Nov. 10"], date(2016, 11, 10), date(2016, 11, 10), True, id="month-day"),
        pytest.param(["Nov 6"], date(2016, 11, 7), date(2016, 11, 7), False, id="wrong-day"),
        pytest.param(
            ["Tue, March 22, 2016"], date(2016, 11, 13), date(2016, 11, 13), False, id="wrong-month"
        ),
        pytest.param(["November 8, 2016"], date(2016, 11, 8), date(2016, 11, 8), True, id="full-date"),
        pytest.param(["2015"], date(2016, 11, 8), date(2016, 11, 8), False, id="wrong-year"),
        pytest.param(["6.13am today"], date(2016, 11, 9), date(2016, 11, 9), True, id="today"),
        pytest.param(["this afternoon"], date(2016, 11, 9), date(2016, 11, 10), False, id="not-today"),
        pytest.param(["last month"], date(2016, 11, 8), date(2016, 11, 8), False, id="last-month"),
        pytest.param(["at around 6am"], date(2016, 11, 9), date(2016, 11, 9), True, id="nothing-checkable"),
        pytest.param(["may have been"], date(2016, 11, 9), date(2016, 11, 9), True, id="may-is-not-a-month"),
        pytest.param(["Sunday"], date(2016, 11, 6), None, False, id="no-publish-date"),
        pytest.param(["Sunday"], None, date(2016, 11, 6), False, id="no-parsed-date"),
        pytest.param(
            ["November 7, 2016", "November 8, 2016"],
            date(2016, 11, 8),
            date(2016, 11, 8),
            False,
            id="every-phrase-must-agree",
        ),
    ],
)
def test_when_consistency(phrases, parsed, published, ok):
    assert (when_consistency(phrases, parsed, published) is None) is ok


@pytest.mark.parametrize(
    ("sector", "expected"),
    [
        (None, None),
        ("", None),
        ("***", None),
        ("GOV", "GOV"),
        ("CVLalb", "CVL"),
        ("GOVMOS", "GOV"),
        ("CIV", "CVL"),
        ("CIVsrp", "CVL"),
        ("reb", "REB"),
    ],
)
def test_sector_code(sector, expected):
    assert sector_code(sector) == expected


def test_load_plover_normalises_the_quirks(tmp_path):
    items = [
        {"id": "DOC", "event": "DOCUMENT"},
        {
            "id": "a",
            "event": "DEMAND",
            "text": "Tokyo demanded.",
            "textInfo": {"markup": "(SRC: Tokyo)"},
            "source": [{"actorText": "Tokyo", "code": "JAP", "sector": "CVLalb"}],
            "target": "",
        },
        {
            "id": "b",
            "event": "AGREE",
            "text": "A and B agreed.",
            "textInfo": {"markup": "(SRC/TAR: A) and (SRC/TAR: B)"},
            "source": [{"actorText": "A", "code": "ITL"}, {"actorText": "B", "code": "IGO", "sector": "***"}],
            "target": "diplomatic",
        },
        {
            "id": "c",
            "event": "FIGHT",
            "text": "X hit Y.",
            "textInfo": "(SRC: X) hit (TAR: Y)",
            "source": [{"actorText": "X", "code": "NGO"}],
            "target": [{"actorText": "Y", "code": "VTN"}],
        },
    ]
    path = tmp_path / "PLOVER/gold_standard_records/PLOVER_GSR_CAMEO.txt"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(items), encoding="utf-8")
    a, b, c = load_plover(tmp_path)
    assert (a.type, a.original_type, a.codes, a.code_sectors) == (
        "REQUEST",
        "DEMAND",
        {"JPN"},
        {("JPN", "CVL")},
    )
    assert a.target == () and not a.reciprocal
    assert a.dyads == {("JPN", "-", "REQUEST")}
    assert b.reciprocal and b.codes == {"ITA", "ORG"} and b.code_sectors == {("ITA", None), ("ORG", None)}
    assert b.role_codes == {("source", "ITA"), ("source", "ORG"), ("target", "ITA"), ("target", "ORG")}
    assert b.dyads == {("ITA", "ORG", "AGREE"), ("ORG", "ITA", "AGREE")}
    assert c.type == "ASSAULT" and c.dyads == {("ORG", "VNM", "ASSAULT")}


def test_load_conflibert_aligns_tokens_onto_the_sentence(tmp_path):
    base = tmp_path / "ConfliBERT/data"
    (base / "cameo_class").mkdir(parents=True)
    (base / "cameo_ner").mkdir(parents=True)
    (base / "cameo_class/test.tsv").write_text("Iraq accused Iran.\t3\nOdd  text\t0\n", encoding="utf-8")
    (base / "cameo_ner/test.txt").write_text(
        "Iraq B-S\naccused O\nIran B-T\n. O\n\nOther B-S\ntokens O\n\n", encoding="utf-8"
    )
    first, second = load_conflibert(tmp_path)
    assert first.text == "Iraq accused Iran." and first.token_spans[3] == (17, 18)
    assert first.gold_spans == {(0, 1, "S"), (2, 3, "T")}
    # tokens that do not fit the class sentence: scored on the tokens joined by spaces
    assert second.text == "Other tokens" and second.label == 0


def test_data_dir_option_beats_environment_beats_default(tmp_path, monkeypatch):
    from flashpoint.evaluation.sets import DEFAULT_DATA_DIR, resolve_data_dir

    (tmp_path / "bench" / "raw").mkdir(parents=True)
    (tmp_path / "env").mkdir()
    env = {"FLASHPOINT_BENCHMARKS": str(tmp_path / "env")}
    assert resolve_data_dir(tmp_path / "bench" / "raw", env) == tmp_path / "bench" / "raw"
    assert resolve_data_dir(tmp_path / "bench", env) == tmp_path / "bench" / "raw"  # benchmarks/ is fine
    assert resolve_data_dir(None, env) == tmp_path / "env"
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir(None, {}) == (tmp_path / DEFAULT_DATA_DIR).absolute()


def test_subsample_is_even_and_deterministic():
    from flashpoint.evaluation.sets import subsample

    rows = [0] * 70 + [1] * 30  # sorted by label, as wiki-weasel's file is
    sample = subsample(rows, 10)
    assert sample == subsample(rows, 10) and sum(sample) == 3
    assert subsample(rows, 500) == rows
