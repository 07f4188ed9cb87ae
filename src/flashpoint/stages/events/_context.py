"""What the event model reads of one coded event, taken off the parse as plain values
(:class:`flashpoint.models.event_model.EventContext`): the trigger's place in the parse and its
roles, the clause around it (tense, modal, subject, negation above it) and the whole sentence
(a description or an action, quoted, numbers and dates), the article so far (a recap) and the
trigger's static word vector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from flashpoint.models.event_model import EventContext
from flashpoint.records import ActorRef, Certainty, Sentence
from flashpoint.stages.events._roles import _depth, _Found

if TYPE_CHECKING:
    from flashpoint.draft import Draft
    from flashpoint.stages.events._lexicon import Code

_QUOTES_OPEN, _QUOTES_CLOSE = "“‘", "”’"
_QUOTES = '"“”'
# verbs whose sentence describes a state rather than reporting an action: "the museum houses
# the collection", "he is under medical care", "the deal includes"
_STATIVE = frozenset({"be", "have", "remain", "include", "contain", "house", "locate", "hold", "consist",
                      "comprise", "represent", "serve", "seem", "appear", "become", "stay", "lie"})
_NEGATIONS = frozenset({"not", "n't", "never", "no", "nor"})
# adverbs of a habit or a generic statement: "it raises money annually to assist …"
_HABITUAL = frozenset({"annually", "regularly", "usually", "often", "always", "routinely", "traditionally",
                       "typically", "generally", "frequently", "normally", "yearly", "weekly", "monthly",
                       "daily", "sometimes", "constantly", "repeatedly", "every", "each"})


def event_context(draft: Draft, sentence: Sentence, sent: Span, f: _Found, code: Code, certainty: Certainty,
                  sources: list[ActorRef], targets: list[ActorRef], given: tuple[bool, bool],
                  background: bool, governed: str, located: bool, trig_span: tuple[int, int], prior: float,
                  repeats: tuple[bool, bool]) -> EventContext:
    """The model's view of one coded event (see :mod:`flashpoint.models.event_model`)."""
    before = draft.article.text[sentence.span[0]:trig_span[0]]
    in_quote = before.count('"') % 2 == 1 or sum(before.count(q) for q in _QUOTES_OPEN) > sum(
        before.count(q) for q in _QUOTES_CLOSE)
    anchor = f.anchor
    own = {s.country for s in sources if s.country}
    clause = _clause_verb(anchor)
    root = sent.root
    ents = sent.ents
    return EventContext(
        type=code.type or "", quad_class=code.quad_class, cameo=code.cameo, certainty=certainty.label,
        source_given=given[0], target_given=given[1], sources=len(sources), targets=len(targets),
        nominal=f.nominal, depth=_depth(anchor), background=background, governed=governed,
        dep=anchor.dep_, head_lemma=anchor.head.lemma_.lower(),
        # a lemma's learned weight is for the sense its lexicon row codes: "attacked the
        # investigation" is not as sure an event as "attacked the town"
        lemma=anchor.lemma_.lower() + (f"/{code.type}" if f.sensed else ""),
        sentence=sentence.index, in_quote=in_quote, located=located,
        self_dyad=any(t.country in own for t in targets if t.country),
        source_sector=(sources[0].sector or "") if sources else "",
        target_sector=(targets[0].sector or "") if targets else "",
        prior=prior, article_sentences=len(draft.sentences),
        tense=_tense(clause) if clause is not None else "none",
        passive=clause is not None and any(c.dep_ in ("auxpass", "nsubjpass") for c in clause.children),
        negated_above=any(c.lower_ in _NEGATIONS and c.dep_ == "neg" for a in _above(anchor) for c in a.children),
        ancestors=tuple(a.lemma_.lower() for a in _above(anchor) if a.pos_ in ("VERB", "AUX"))[:3],
        copula=root.lemma_.lower() in _STATIVE or any(c.dep_ in ("attr", "acomp") for c in root.children),
        sentence_quoted=any(q in sent.text for q in _QUOTES),
        numbers=any(e.label_ in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT") for e in ents),
        dated=any(e.label_ in ("DATE", "TIME") for e in ents),
        recap=repeats[0], repeated=repeats[1],
        vector=_vector(anchor),
        habitual=clause is not None and any(
            t.lower_ in _HABITUAL for c in clause.children for t in (c, *c.children) if c.dep_ in ("advmod", "npadvmod")),
    )


def _above(tok: Token) -> list[Token]:
    """The words a token hangs from, nearest first, up to the sentence root."""
    out = []
    while tok.head.i != tok.i and len(out) < 10:
        tok = tok.head
        out.append(tok)
    return out


def _clause_verb(tok: Token) -> Token | None:
    """The verb of the clause a trigger sits in: itself when it is one, else the nearest verb
    above it ("the attack was condemned": "condemned")."""
    for t in (tok, *_above(tok)):
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _tense(verb: Token) -> str:
    """Tense and aspect of a verb with its auxiliaries: "past" (shelled, was shelled),
    "present", "perfect" (has shelled), "progressive" (is shelling), "infinitive" (to shell),
    "gerund" (shelling, with no auxiliary), "participle" (shelled, with none), "bare"."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lemmas = {c.lemma_.lower() for c in aux}
    if any(c.lower_ == "to" for c in aux):
        return "infinitive"
    if "have" in lemmas:
        return "perfect"
    if verb.tag_ == "VBG":
        return "progressive" if "be" in lemmas else "gerund"
    tags = {c.tag_ for c in aux if c.tag_ != "MD"} | {verb.tag_}
    if tags & {"VBD"}:
        return "past"
    if tags & {"VBZ", "VBP"}:
        return "present"
    if verb.tag_ == "VBN":
        return "participle"
    return "bare"


def _vector(tok: Token) -> tuple[float, ...]:
    """The word's static vector; empty when the pipeline has no static vectors or none for
    this word (the model then reads no vector)."""
    vocab = tok.vocab
    if not vocab.vectors.shape[0] or not vocab.has_vector(tok.lower_):
        return ()
    return tuple(vocab.get_vector(tok.lower_).tolist())
