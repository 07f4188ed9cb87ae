"""Who did it to whom: the mentions of a sentence, role filling by position, actor pairs
and the event's confidence.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from flashpoint.records import (
    ActorRef,
    Certainty,
    Location,
)
from flashpoint.stages.events._syntax import (
    _NOUN_PREPS,
    _PERSONAL,
    _RELATIVE,
    _SUBJECTS,
    _SYMMETRIC,
    _conjuncts,
    _np_range,
)

if TYPE_CHECKING:
    from flashpoint.stages.events._lexicon import Code


@dataclass(frozen=True, slots=True)
class _Found:
    """A trigger with its argument heads, before actors are attached."""

    trigger: tuple[int, int]  # token range of the trigger words
    anchor: Token  # the token the arguments and certainty are read from
    code: Code
    subjects: tuple[Token, ...]
    objects: tuple[Token, ...]
    reciprocal: bool
    nominal: bool
    # the code came from a sense rule (senses.toml), not the lemma's own lexicon row
    sensed: bool = False


class _Mentions:
    """Actor mentions of one document, searchable by character range."""

    def __init__(self, mentions: Iterable[ActorRef]) -> None:
        self.items = sorted(mentions, key=lambda m: m.span)
        self.starts = [m.span[0] for m in self.items]
        # who the previous sentence was about: the antecedent of a pronoun subject that has
        # none in its own sentence ("Azerbaijan lost its patience. It struck …")
        self.topic: list[ActorRef] = []
        self.countries: tuple[str, ...] = ()
        self.country_names: dict[str, str] = {}  # ISO3 → the name of a plain country mention
        self.dominant = False  # the most mentioned country at least twice as often as the next

    def within(self, start: int, end: int) -> list[ActorRef]:
        i = bisect_left(self.starts, start)
        found = []
        while i < len(self.items) and self.items[i].span[0] < end:
            if self.items[i].span[1] <= end:
                found.append(self.items[i])
            i += 1
        return found

    def covering(self, start: int, end: int) -> ActorRef | None:
        i = bisect_left(self.starts, end) - 1
        while i >= 0:
            m = self.items[i]
            if m.span[0] <= start and end <= m.span[1]:
                return m
            if m.span[1] < start - 200:
                break
            i -= 1
        return None


def _fill_roles(
    f: _Found, sources: list[ActorRef], targets: list[ActorRef], mentions: _Mentions, bounds: tuple[int, int]
) -> tuple[list[ActorRef], list[ActorRef]]:
    """An empty role filled from the trigger's own clause when the parse gave it no argument:
    the nearest country or organisation before the trigger acts, the nearest after it is
    acted upon ("In Kandahar, NATO troops in a raid on Tuesday …"). Such events rank lower."""
    clause = f.anchor
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    # the trigger's clause and the clauses it is part of, not clauses that only hang on it
    # ("Nepal protested, while Bhutan met India": Bhutan is not whom Nepal protested against)
    clauses = {clause.i, *(a.i for a in clause.ancestors if a.pos_ in ("VERB", "AUX"))}
    lo, hi = bounds
    doc = f.anchor.doc
    start, end = doc[f.trigger[0]].idx, doc[f.trigger[1] - 1].idx + len(doc[f.trigger[1] - 1])
    taken = {a.span for a in (*sources, *targets)}
    pool = []
    for m in mentions.within(lo, hi):
        root = doc.char_span(*m.span, alignment_mode="expand").root
        if m.span in taken or not (m.country or m.org) or _clause_of(root) not in clauses:
            continue
        if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
            continue  # "in Beijing" is where, not whom
        pool.append(m)
    if not sources:
        left = [m for m in pool if m.span[1] <= start and m.key not in {t.key for t in targets}]
        sources = left[-1:]
    if not targets and not (f.code.type in _SYMMETRIC and len(sources) > 1):  # "A and B held talks"
        right = [m for m in pool if m.span[0] >= end and m.key not in {s.key for s in sources}]
        targets = right[:1]
    return sources, targets


_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "along", "around", "throughout"})


def _clause_of(tok: Token) -> int:
    """The index of the verb whose clause ``tok`` belongs to (the root's, at worst)."""
    for node in (tok, *tok.ancestors):
        if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
            return node.i
    return tok.sent.root.i if tok.doc.has_annotation("DEP") else tok.i


def _place_actor(where: Location, mentions: _Mentions) -> ActorRef:
    """The country of an event's place as its target: the place's own mention if it is one."""
    assert where.span is not None and where.country is not None
    known = mentions.covering(*where.span)
    if known is not None and known.country == where.country:
        return known
    return _country_actor(where)


def _country_actor(where: Location) -> ActorRef:
    assert where.span is not None and where.country is not None
    return ActorRef(span=where.span, key=where.country, country=where.country, code=where.country,
                    name=where.name)


def _pairs(
    sources: list[ActorRef], targets: list[ActorRef], symmetric: bool
) -> list[tuple[list[ActorRef], list[ActorRef]]]:
    """Split reciprocal and symmetric events into one event per direction.

    "Armenia and Azerbaijan blamed one another" is ARM→AZE and AZE→ARM, not ARM+AZE→ARM+AZE.
    """
    if symmetric and len(sources) > 1:
        one = list({s.key: s for s in reversed(sources)}.values())[::-1]  # first mention per key
        return [([s], [t]) for s in one for t in one if s.key != t.key]
    return [(sources, targets)]


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 10:
        tok, depth = tok.head, depth + 1
    return depth


def _embedded(f: _Found, anchors: set[int]) -> bool:
    """Whether a trigger is background inside another one's clause: a noun in the
    arguments of a verbal trigger ("shared evidence regarding the attack"), or a participle
    that only describes a noun ("a statement sent to the media")."""
    if not f.nominal:
        anchor = f.anchor
        if anchor.dep_ == "acl" and anchor.tag_ == "VBN":
            return True
        # a purpose: "launched an appeal to help the victims", "sent troops to secure the border"
        if (anchor.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in anchor.children)
                and not any(c.dep_ in _SUBJECTS for c in anchor.children)):
            return True
        # a condition or a time set against the main clause: "will not lift the ban until the
        # EU provides details", "after Armenia fired, Azerbaijan shelled …"
        return anchor.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS for c in anchor.children)
    return any(t.i in anchors for t in f.anchor.ancestors)


_BACKGROUND_MARKS = frozenset({"until", "unless", "if", "before", "after", "once", "when", "while", "since",
                               "because"})


def _confidence(has_source: bool, has_target: bool, nominal: bool, certainty: Certainty, depth: int,
                embedded: bool = False) -> float:
    # First-cut heuristic, not yet calibrated: complete dyads read off a verb near the
    # sentence's root are the most reliable codings; deeply embedded triggers are more often
    # background ("… the talks that began in May").
    score = 0.45 + 0.25 * has_source + 0.2 * has_target - 0.1 * nominal - 0.04 * min(depth, 5)
    score -= 0.15 * embedded
    if certainty.label in ("hedged", "hypothetical", "negated"):
        score -= 0.1
    return round(max(0.05, min(0.95, score)), 2)


def _not_own(targets: list[ActorRef], sources: list[ActorRef], objects: Iterable[Token]) -> list[ActorRef]:
    """Targets less the source's own forces: "Moldova withdrew its troops" does not act on
    Moldova's military."""
    countries = {s.country for s in sources if s.country}
    own = [o for o in objects if any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in o.children)]
    if not countries or not own:
        return targets
    spans = [(o.left_edge.idx, o.idx + len(o)) for o in own]
    return [t for t in targets
            if not (t.country in countries and any(a <= t.span[0] < b for a, b in spans))]


def _dedupe(refs: Iterable[ActorRef]) -> list[ActorRef]:
    seen: dict[tuple[int, int], ActorRef] = {}
    for ref in refs:
        seen.setdefault(ref.span, ref)
    return list(seen.values())


def _actors_of(tok: Token, mentions: _Mentions, bounds: tuple[int, int]) -> list[ActorRef]:
    """The actor mentions in the noun phrase of ``tok`` and its conjuncts.

    The parse can run across a paragraph break (a headline glued to the first sentence), so
    phrases are clamped to the sentence's ``bounds``.
    """
    found: list[ActorRef] = []
    for head in _conjuncts(tok):
        if head.lower_ in _RELATIVE and head.dep_ in _SUBJECTS:
            head = head.head.head if head.head.dep_ == "relcl" else head
        if not bounds[0] <= head.idx < bounds[1]:
            continue
        if head.pos_ == "PRON" and head.lower_ in _PERSONAL:
            found.extend(_antecedent(head, mentions, bounds))
            continue
        start, end = _np_range(head)
        start, end = max(start, bounds[0]), min(end, bounds[1])
        covering = mentions.covering(head.idx, head.idx + len(head))
        if covering is not None:
            found.append(covering)
            continue
        inside = mentions.within(start, end)
        if not inside and head.pos_ in ("NOUN", "PROPN"):
            # "boycott all contact with the United States": the actor behind a plain noun
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in _NOUN_PREPS):
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    hit = mentions.covering(obj.idx, obj.idx + len(obj))
                    if hit is not None and bounds[0] <= hit.span[0] < bounds[1]:
                        inside.append(hit)
        found.extend(inside)
    return found


def _antecedent(pron: Token, mentions: _Mentions, bounds: tuple[int, int]) -> list[ActorRef]:
    """ "The CSTO said it would send a mission": a pronoun in a reported clause is the
    reporter, the nearest subject up the tree that names an actor."""
    for verb in pron.ancestors:
        for subj in verb.children:
            if subj.dep_ in ("nsubj", "nsubjpass") and subj.pos_ != "PRON" and subj.i < pron.i:
                found = _actors_of(subj, mentions, bounds)
                if found:
                    return found
    if pron.dep_ in _SUBJECTS or pron.dep_ == "poss":
        return list(mentions.topic)
    return []


def _topic(sent: Span, mentions: _Mentions, bounds: tuple[int, int]) -> list[ActorRef]:
    """The single actor the sentence's main subject names, if it names exactly one."""
    subjects = [c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"]
    refs = _dedupe(a for s in subjects for a in _actors_of(s, mentions, bounds))
    return refs if len({r.key for r in refs}) == 1 else []
