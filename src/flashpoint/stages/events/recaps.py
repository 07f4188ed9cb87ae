"""Recaps: an action told again later in the article is the event of its first mention.

News articles name their main action in the lead and come back to it ("the strike", "Turkey
began a military offensive", "Trump granted X a full pardon" after "issued a series of
pardons"). The annotation guide codes an action once, at its first clear mention (later
mentions are its ``also``); counting it at each mention inflates every series an analyst
draws. A later event is a recap of an earlier one when it is the same kind of action (PLOVER
type and CAMEO root: "refused" 124 and "the refusal" 120) by the same side (country or
organisation), on the same party (the same named person, or another actor of the same
country) or on no one named, told with the same word ("sentenced" … "was sentenced", "the
refusal" … "refused"), with no word saying it is another one ("another judge", "later",
"again"), and with no date or place of its own that differ from the earlier event's. The
earlier event stays as it is (filling its empty roles from the recap was tried: dev dyad F1
0.289 → 0.286). The analysis JSON has no field for the other sentences an event is told in,
so the recap is simply not emitted again.

What it does not catch: a recap in other words ("the attack" after "shelled"), which the
event model's ``recap`` feature only lowers the confidence of.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from flashpoint.records import ActorRef, Event
from flashpoint.stages.events._chains import Mentions

if TYPE_CHECKING:
    from flashpoint.draft import Draft


def merge_recaps(draft: Draft) -> Draft:
    """Pipeline stage: drop every event that recaps an earlier one (module docstring)."""
    spans = {s.index: s.span for s in draft.sentences}
    text = draft.article.text
    kept: list[Event] = []
    for event in draft.events:
        if not any(_recaps(event, e, spans, text) for e in kept):
            kept.append(event)
    return replace(draft, events=tuple(kept))


def _recaps(later: Event, first: Event, spans: dict[int, tuple[int, int]], text: str) -> bool:
    """Whether ``later`` tells again the action of ``first``."""
    if later.sentence <= first.sentence or later.type != first.type:
        return False
    if (later.certainty.label == "negated") != (first.certainty.label == "negated"):
        return False  # "denied that it attacked" is not the attack told again
    if not _shared(later, first):
        return False
    if not _same_word(text[slice(*later.trigger)], text[slice(*first.trigger)]):
        return False  # a recap names the action with its first word: "sentenced", "the refusal"
    sentence = spans.get(later.sentence)
    if sentence is not None and _another(Mentions.load().another).search(text[slice(*sentence)]):
        return False  # "another federal judge sentenced Manafort", "later ruled … as well"
    return not _new_date(later, first, spans.get(later.sentence)) and not _new_place(later, first)


def _countries(actors: tuple[ActorRef, ...]) -> set[str]:
    """The sides acting: "the United States" and "US President Donald Trump" act for one."""
    return {a.country or a.org or a.key for a in actors}


def _parties(actors: tuple[ActorRef, ...]) -> set[str]:
    """Who is acted upon: a named person by name ("USA:Paul Pogue", so that the pardons or
    convictions of two people stay two actions), any other actor by country."""
    return {a.key if ":" in a.key else (a.country or a.org or a.key) for a in actors}


def _shared(later: Event, first: Event) -> bool:
    """The same kind of action (CAMEO root) by the same side, on the same
    party (or on no one named in one of the mentions)."""
    if later.cameo[:2] != first.cameo[:2] or not _countries(later.source) & _countries(first.source):
        return False
    if not later.target or not first.target:
        return True
    return bool(_parties(later.target) & _parties(first.target))


@cache
def _another(words: frozenset[str]) -> re.Pattern[str]:
    """The words (``data/events/mentions.toml``) that tell a new action of the same kind."""
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, words))) + r")\b", re.IGNORECASE)


def _stems(words: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]{4,}", words.lower())}


def _same_word(a: str, b: str) -> bool:
    """Whether two triggers share a word, inflected or not ("refusal", "refused";
    "pardons", "a full pardon")."""
    return bool(_stems(a) & _stems(b))


def _new_date(later: Event, first: Event, sentence: tuple[int, int] | None) -> bool:
    """A date the recap's own sentence gives that is not the first event's: "On Wednesday,
    Turkey began" after "began … on Wednesday" is the same action; "another judge sentenced
    him last week" may not be."""
    when = later.date
    if when is None or when.value is None or when.span is None or sentence is None:
        return False
    if not (sentence[0] <= when.span[0] < sentence[1]):
        return False  # the date was inherited from the article, not told with the recap
    before = first.date.value if first.date is not None else None
    if before is None:
        return True
    size = min(len(before), len(when.value))
    return before[:size] != when.value[:size]


def _new_place(later: Event, first: Event) -> bool:
    """A place named with the recap in another country than the first event's place (a
    place where the first mention named none tells where the same action happened)."""
    here, there = later.location, first.location
    if here is None or here.span is None or here.country is None or there is None:
        return False
    return there.country != here.country
