"""Recaps: an action told again later in an article is emitted once (stages/events/recaps.py).
Drafts are built by hand: no parse is needed (the doc is never read)."""

from __future__ import annotations

from flashpoint.draft import Draft
from flashpoint.records import ActorRef, Article, Certainty, Event, EventDate, Sentence
from flashpoint.stages.events.recaps import merge_recaps

TEXT = ("Turkey began a military offensive in Syria on Wednesday. "
        "The Kurds said the offensive was illegal. "
        "On Wednesday, Turkey began a military offensive with airstrikes. ")


def _actor(text: str, key: str, country: str) -> ActorRef:
    at = TEXT.index(text)
    return ActorRef(span=(at, at + len(text)), key=key, country=country, code=key, name=text)


def _sentences(text: str) -> tuple[Sentence, ...]:
    out, start = [], 0
    for n, part in enumerate(text.split(". ")[:-1]):
        out.append(Sentence(n, (start, start + len(part) + 1)))
        start += len(part) + 2
    return tuple(out)


def _event(text: str, word: str, sentence: int, *, date: str | None = None, cameo: str = "190",
           label: str = "asserted", occurrence: int = 0) -> Event:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(word, at + 1)
    when = None
    if date is not None:
        day = text.index(date, at - 60 if at > 60 else 0)
        when = EventDate("2019-10-09", "day", (day, day + len(date)), "text")
    return Event(id=f"{sentence}{word}", sentence=sentence, trigger=(at, at + len(word)),
                 source=(_actor("Turkey", "TUR", "TUR"),), target=(), type="ASSAULT", mode=None, context=(),
                 cameo=cameo, quad_class=4, goldstein=-10.0, date=when, certainty=Certainty(label=label))


def _draft(text: str, *events: Event) -> Draft:
    return Draft(article=Article(text=text), doc=None, sentences=_sentences(text), events=events)


def test_the_same_action_told_again_is_emitted_once() -> None:
    first = _event(TEXT, "began a military offensive", 0)
    again = _event(TEXT, "began a military offensive", 2, occurrence=1)
    assert merge_recaps(_draft(TEXT, first, again)).events == (first,)


def test_another_action_of_the_same_kind_stays() -> None:
    text = TEXT.replace("On Wednesday, Turkey began", "Later, Turkey began another")
    first = _event(text, "began a military offensive", 0)
    again = _event(text, "began another", 2)
    assert len(merge_recaps(_draft(text, first, again)).events) == 2


def test_a_recap_with_a_date_of_its_own_that_differs_is_a_new_action() -> None:
    first = _event(TEXT, "began a military offensive", 0, date="on Wednesday")
    again = _event(TEXT, "began a military offensive", 2, occurrence=1, date="On Wednesday")
    again = Event(**{**{f: getattr(again, f) for f in again.__dataclass_fields__},
                     "date": EventDate("2019-10-16", "day", again.date.span, "text")})
    assert len(merge_recaps(_draft(TEXT, first, again)).events) == 2


def test_other_kind_or_negation_is_not_a_recap() -> None:
    first = _event(TEXT, "began a military offensive", 0)
    other = _event(TEXT, "began a military offensive", 2, occurrence=1, cameo="183")
    denied = _event(TEXT, "began a military offensive", 2, occurrence=1, label="negated")
    assert len(merge_recaps(_draft(TEXT, first, other)).events) == 2
    assert len(merge_recaps(_draft(TEXT, first, denied)).events) == 2


def test_one_event_per_action_the_most_confident() -> None:
    from flashpoint.stages.events._chains import dropped

    # "a car bombing (0-7) killed (8-14) five and wounded (20-27) 110": one chain of three
    chains = {(0, 7): (8, 14), (20, 27): (8, 14)}
    assert dropped(chains, {(0, 7): 0.6, (8, 14): 0.5, (20, 27): 0.4}) == {(8, 14), (20, 27)}
    assert dropped(chains, {(0, 7): 0.5, (8, 14): 0.5}) == {(0, 7)}  # a tie: the verb's
    assert dropped(chains, {(20, 27): 0.4}) == set()  # the only one that made an event stays
