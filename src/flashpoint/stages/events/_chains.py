"""One action, one event: triggers of one sentence that name the same action along one
predicate chain ("a car bombing killed five and wounded 110", "was killed in a
counter-terrorism operation", "lashed out at the mayor, accusing her") are coded once.

The annotation guide codes an action once, at its first clear mention; a second trigger of the
same type that is an argument, a conjunct or an elaboration of the first is that mention again.
Different actions in one sentence stay apart: only triggers of the same PLOVER type, joined
in the parse, are merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from spacy.tokens import Token

from flashpoint.resources import data_file
from flashpoint.stages.events._governors import read_word_rules, word_set
from flashpoint.stages.events._roles import _Found

Span = tuple[int, int]

# the roles a noun trigger takes in its verb's clause when it names the verb's own action:
# "the bombing killed five" (subject), "attacked the inquiry" (object), "killed in an operation"
# (the object of a preposition on the verb)
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


@dataclass(frozen=True, slots=True)
class Mentions:
    """Words that tell one action from two (``data/events/mentions.toml``)."""

    toll: frozenset[str]  # conjoined verbs of one attack's toll: "killed five and wounded 110"
    another: frozenset[str]  # a new action of the same kind: "another judge", "later"

    FILE: ClassVar[str] = "mentions.toml"

    @classmethod
    @cache
    def load(cls) -> Mentions:
        data = read_word_rules(data_file("events", cls.FILE), cls.FILE, "mention words")
        return cls(toll=word_set(data, "chains", "toll", cls.FILE),
                   another=word_set(data, "recaps", "another", cls.FILE))


def one_action(found: Iterable[_Found], skip: set[tuple[int, int]]) -> dict[tuple[int, int], _Found]:
    """The triggers that repeat a verb trigger's action in its own clause: the repeating
    trigger's span → the verb trigger that keeps the action (:func:`dropped` keeps one event
    per action). (Lending the verb the parties the other trigger names
    was tried: no change on wikinews-dev, conflibert-cameo source-span precision 0.705 →
    0.701, below its floor — the roles stay each trigger's own.)"""
    found = [f for f in found if f.trigger not in skip and f.code.type]
    verbal = {f.anchor.i: f for f in found if not f.nominal}
    repeats: dict[tuple[int, int], _Found] = {}
    for f in found:
        outer = _outer(f, verbal)
        if outer is None or outer is f or outer.trigger in repeats:
            continue
        repeats[f.trigger] = outer
    return repeats


def dropped(repeats: dict[Span, Span], confidence: dict[Span, float]) -> set[Span]:
    """Of each action's triggers that made events (``confidence``: a trigger's span → its
    events' highest confidence), the ones not kept: one event per action, the most confident
    (the verb on a tie). ``repeats``: a repeating trigger's span → the span that keeps the
    action. Keeping the most confident leaves a lone sentence's main event as it was."""
    parent: dict[Span, Span] = {}

    def root(span: Span) -> Span:
        while parent.get(span, span) != span:
            span = parent[span]
        return span

    for inner, outer in repeats.items():
        if root(inner) != root(outer):
            parent[root(inner)] = root(outer)
    groups: dict[Span, list[Span]] = {}
    for span in {*repeats, *repeats.values()}:
        if span in confidence:
            groups.setdefault(root(span), []).append(span)
    out: set[Span] = set()
    for spans in groups.values():
        best = max(spans, key=lambda span: (confidence[span], span not in repeats, -span[0]))
        out.update(span for span in spans if span != best)
    return out


def _outer(f: _Found, verbal: dict[int, _Found]) -> _Found | None:
    """The verb trigger of the same type whose action ``f`` names again, if any."""
    word = f.anchor
    if f.nominal:
        head = word.head
        if word.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            head = head.head  # "killed in a counter-terrorism operation", "killed by an airstrike"
        elif word.dep_ not in _ARGUMENTS:
            return None
        outer = verbal.get(head.i)
        if outer is None or outer.code.type != f.code.type or word.i in range(*outer.trigger):
            return None  # the light verb's own noun ("launched an attack") is one trigger already
        if word.dep_ not in _SUBJECTS and _others(f.subjects, outer.subjects):
            return None  # "dismissed Trump's lawsuit": the suit is Trump's action, not the judge's
        return outer
    head = word.head
    if head.i == word.i:
        return None
    own_subject = any(c.dep_ in _SUBJECTS for c in word.children)
    outer = verbal.get(head.i)
    if outer is not None and outer.code.type == f.code.type and not own_subject and (
            (word.dep_ == "conj" and {_lemma(word), _lemma(head)} <= Mentions.load().toll)
            or (word.dep_ == "advcl" and word.tag_ == "VBG")):
        # "killed five and wounded 110": the outcomes of one attack; "lashed out at the mayor,
        # accusing her of …": the participle says how
        return outer
    if word.dep_ in ("pcomp", "pobj") and head.dep_ == "prep" and head.lower_ == "with":
        # "attacked the inquiry, with Scalise calling it 'Soviet-style'": the how, told again
        outer = verbal.get(head.head.i)
        return outer if outer is not None and outer.code.type == f.code.type else None
    return _repeated(f, verbal)


def _repeated(f: _Found, verbal: dict[int, _Found]) -> _Found | None:
    """The same verb said again by the same subject ("I'm asking all Americans, I'm asking
    every Democrat"): one request, made of many."""
    subjects = {_subject_text(t) for t in f.subjects}
    for g in verbal.values():
        if g.anchor.i >= f.anchor.i or g.code.type != f.code.type:
            continue
        if g.anchor.lemma_ == f.anchor.lemma_ and subjects and subjects == {_subject_text(t) for t in g.subjects}:
            return g
    return None


def _subject_text(token: Token) -> str:
    return token.lower_


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _others(agents: tuple[Token, ...], subjects: tuple[Token, ...]) -> bool:
    """Whether a noun names an agent of its own that is not the verb's subject; with a verb
    that names none ("was killed in a US operation") the noun's agent is the verb's too."""
    own = {t.lower_ for t in subjects}
    return bool(own) and any(t.lower_ not in own for t in agents)
