"""Certainty: is a statement asserted, attributed, hedged, hypothetical, future or negated?

The cue words live in ``data/certainty.toml``; this module holds the scope rules. A cue counts
for a predicate only when it governs it: it hangs on the predicate itself or on a verb above
it on the dependency path to the clause root ("Moscow warned that Turkey *could* block" makes
the blocking hypothetical, not the warning).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .errors import DataFileError
from .records import CERTAINTY_LABELS, Article, Certainty, CertaintyProfile, Sentence

if TYPE_CHECKING:
    from .pipeline import Draft

# When several cues govern one predicate, the strongest wins: a denial outweighs a modal,
# a modal outweighs a hedge adverb, and any of them outweighs mere attribution.
_PRECEDENCE = ("negated", "hypothetical", "hedged", "future", "attributed", "asserted")
_CLAUSE_LINKS = {"ccomp", "xcomp", "advcl", "csubj", "acl", "relcl", "pcomp", "conj", "dep"}


def _phrases(values: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(v.lower().split()) for v in values)


@dataclass(frozen=True, slots=True)
class Cues:
    """The cue lexicon, loaded once from ``data/certainty.toml``."""

    hedge_words: frozenset[str]
    hedge_verbs: frozenset[str]
    hedge_phrases: frozenset[tuple[str, ...]]
    weasel_phrases: frozenset[tuple[str, ...]]
    hyp_modals: frozenset[str]
    conditionals: frozenset[str]
    hyp_phrases: frozenset[tuple[str, ...]]
    fut_modals: frozenset[str]
    fut_verbs: frozenset[str]
    fut_phrases: frozenset[tuple[str, ...]]
    neg_words: frozenset[str]
    neg_verbs: frozenset[str]
    attr_verbs: frozenset[str]
    attr_phrases: frozenset[tuple[str, ...]]

    @classmethod
    def load(cls) -> Cues:
        path = resources.files("flashpoint") / "data" / "certainty.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            h, w, y, f, n, a = (
                data[k] for k in ("hedged", "weasel", "hypothetical", "future", "negated", "attributed")
            )
            return cls(
                hedge_words=frozenset(h["words"]),
                hedge_verbs=frozenset(h["verbs"]),
                hedge_phrases=_phrases(h["phrases"]),
                weasel_phrases=_phrases(w["phrases"]),
                hyp_modals=frozenset(y["modals"]),
                conditionals=frozenset(y["conditionals"]),
                hyp_phrases=_phrases(y["phrases"]),
                fut_modals=frozenset(f["modals"]),
                fut_verbs=frozenset(f["verbs"]),
                fut_phrases=_phrases(f["phrases"]),
                neg_words=frozenset(n["words"]),
                neg_verbs=frozenset(n["verbs"]),
                attr_verbs=frozenset(a["verbs"]),
                attr_phrases=_phrases(a["phrases"]),
            )
        except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
            raise DataFileError(f"invalid cue lexicon: {exc}", source="certainty.toml") from exc

    @property
    def max_phrase(self) -> int:
        return max(
            len(p)
            for group in (self.hedge_phrases, self.weasel_phrases, self.hyp_phrases, self.attr_phrases)
            for p in group
        )


def _phrase_hits(sent: Span, phrases: frozenset[tuple[str, ...]], longest: int) -> list[Span]:
    words = [t.lower_ for t in sent]
    hits = []
    for i in range(len(words)):
        for n in range(longest, 0, -1):
            if tuple(words[i : i + n]) in phrases:
                hits.append(sent[i : i + n])
                break
    return hits


class CertaintyTagger:
    """Pipeline stage: label every sentence; :meth:`of` labels any predicate (events)."""

    def __init__(self, cues: Cues | None = None) -> None:
        self.cues = cues or Cues.load()
        self._longest = self.cues.max_phrase

    def __call__(self, draft: Draft) -> Draft:
        doc = draft.doc
        labelled = []
        for sentence in draft.sentences:
            span = doc.char_span(*sentence.span, alignment_mode="expand")
            labelled.append(replace(sentence, certainty=self.sentence(span)))
        return replace(draft, sentences=tuple(labelled))

    def sentence(self, sent: Span | None) -> Certainty:
        """The sentence's label: its main clause's, unless a hedge or condition anywhere in
        it qualifies a sentence whose main clause reads as plain or reported fact."""
        if sent is None or not len(sent):
            return Certainty()
        main = self.of(self._content(sent.root), sent)
        if main.label not in ("asserted", "attributed"):
            return main
        c = self.cues
        hedges = [s.text for s in _phrase_hits(sent, c.hedge_phrases | c.weasel_phrases, self._longest)]
        hedges += [t.text for t in sent if t.lower_ in c.hedge_words]
        if hedges:
            return Certainty("hedged", tuple(dict.fromkeys(hedges)), main.attributed_to)
        conditions = [s.text for s in _phrase_hits(sent, c.hyp_phrases, self._longest)]
        if conditions:
            return Certainty("hypothetical", tuple(conditions), main.attributed_to)
        return main

    def _content(self, root: Token) -> Token:
        """The clause a sentence is about: "Officials said [the army could attack]" is about
        the attack, told by officials; descend through reporting, hedging and denying verbs."""
        c = self.cues
        verbs = c.attr_verbs | c.hedge_verbs | c.neg_verbs | c.fut_verbs
        node = root
        for _ in range(4):
            if node.lemma_.lower() not in verbs:
                break
            nxt = next((k for k in node.children if k.dep_ in ("ccomp", "xcomp")), None)
            if nxt is None:
                break
            node = nxt
        return node

    def of(self, token: Token, sent: Span) -> Certainty:
        """Certainty of the predicate ``token`` from the cues that govern it."""
        c = self.cues
        found: dict[str, list[str]] = {}
        source: str | None = None
        node, below = token, None
        while True:
            for child in node.children:
                low = child.lower_
                if child.dep_ == "neg" or (low in c.neg_words and child.dep_ in ("advmod", "det", "preconj")):
                    if below is None or node.pos_ == "VERB" or node.pos_ == "AUX":
                        found.setdefault("negated", []).append(child.text)
                elif child.dep_ in ("aux", "auxpass") and low in c.hyp_modals:
                    found.setdefault("hypothetical", []).append(child.text)
                elif child.dep_ in ("aux", "auxpass") and low in c.fut_modals:
                    found.setdefault("future", []).append(child.text)
                elif child.dep_ in ("advmod", "amod") and low in c.hedge_words:
                    found.setdefault("hedged", []).append(child.text)
                elif child.dep_ == "mark" and low in c.conditionals and node.dep_ == "advcl":
                    found.setdefault("hypothetical", []).append(child.text)
                elif child.dep_ == "advcl" and any(
                    g.dep_ == "mark" and g.lower_ in c.conditionals for g in child.children
                ):  # the main clause of "if …, then …"
                    found.setdefault("hypothetical", []).append(
                        next(g.text for g in child.children if g.dep_ == "mark")
                    )
                elif child.dep_ == "prep" and low == "according" and source is None:
                    source = _according_to(child)
                    found.setdefault("attributed", []).append("according to")
            if below is not None and below.dep_ in _CLAUSE_LINKS:
                lemma = node.lemma_.lower()
                if lemma in c.neg_verbs and below.dep_ == "ccomp":
                    found.setdefault("negated", []).append(node.text)
                elif lemma in c.hedge_verbs:
                    found.setdefault("hedged", []).append(node.text)
                elif lemma in c.fut_verbs and below.dep_ == "xcomp":
                    found.setdefault("future", []).append(node.text)
                elif lemma in c.attr_verbs and below.dep_ in ("ccomp", "parataxis", "advcl"):
                    found.setdefault("attributed", []).append(node.text)
                    if source is None:
                        source = _subject_text(node)
            # a reporting verb in parataxis ("X attacked Y, the ministry said")
            for child in node.children:
                if (
                    child.dep_ == "parataxis"
                    and child.lemma_.lower() in c.attr_verbs
                    and node is token
                ):
                    found.setdefault("attributed", []).append(child.text)
                    if source is None:
                        source = _subject_text(child)
            if node.head is node or node.dep_ == "ROOT" or not (sent.start <= node.head.i < sent.end):
                break
            below, node = node, node.head
        for label in _PRECEDENCE:
            if label in found:
                return Certainty(label, tuple(dict.fromkeys(found[label])), source)
        return Certainty("asserted", (), source)


def _subject_text(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.pos_ == "PRON":
                return None
            return _phrase(child)
    return None


def _according_to(prep: Token) -> str | None:
    for child in prep.subtree:
        if child.dep_ == "pobj":
            return _phrase(child)
    return None


def _phrase(head: Token) -> str:
    """The noun phrase of ``head`` without trailing clauses ("the ministry, which …")."""
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "punct", "appos", "cc", "conj"):
            break
        right = child.right_edge.i
    doc = head.doc
    return doc[left : right + 1].text


def profile(article: Article, sentences: Iterable[Sentence], top: int = 10) -> CertaintyProfile:
    """Article-level shares of each label, most-used cues and most-cited sources."""
    sentences = list(sentences)
    labels = Counter(s.certainty.label for s in sentences)
    total = len(sentences) or 1
    cues = Counter(c.lower() for s in sentences for c in s.certainty.cues)
    cited = Counter(s.certainty.attributed_to for s in sentences if s.certainty.attributed_to)
    return CertaintyProfile(
        labels={label: round(labels[label] / total, 4) for label in CERTAINTY_LABELS},
        top_cues=tuple(cues.most_common(top)),
        cited=tuple(cited.most_common(top)),
    )
