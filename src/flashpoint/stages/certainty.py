"""Certainty: is a statement asserted, attributed, hedged, hypothetical, future or negated?

The cue words live in ``data/certainty.toml``; this module holds the scope rules. A cue counts
for a predicate only when it governs it: it hangs on the predicate itself or on a verb above
it on the dependency path to the clause root ("Moscow warned that Turkey *could* block" makes
the blocking hypothetical, not the warning). The reach of a cue is its clause, read off the
parse: not a coordinated clause with its own tense, a relative clause (attribution only), a new
saying, a clause after a semicolon or a time clause in the past (``CertaintyTagger._walk``). A
quotation that runs on into later sentences keeps its speaker (:func:`continued_quotes`).

A sentence's label also listens to a small learned model (``data/weasel_model.json``, built
by ``training/weasel_model.py``): a logistic regression over the sentence's words, word pairs,
lemmas and a few dependency-tagged words, that catches the vaguer hedging and weasel wording no
short cue list covers ("many", "several", "generally", "critics", "is considered"). It can only
move a sentence that the rules read as plain or reported fact to ``hedged``, and its cues are
the recognised words that weighed most. Events keep the scope rules alone: the model knows
sentences, not what a cue governs.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from spacy.tokens import Span, Token

from flashpoint.errors import DataFileError
from flashpoint.models.logistic import ModelFile
from flashpoint.records import (
    CERTAINTY_LABELS,
    Article,
    Certainty,
    CertaintyProfile,
    Sentence,
)
from flashpoint.resources import data_file
from flashpoint.stages.wordforms import deinflect

if TYPE_CHECKING:
    from flashpoint.draft import Draft

# When several cues govern one predicate, the strongest wins: a denial outweighs a modal,
# a modal outweighs a hedge adverb, and any of them outweighs mere attribution.
_PRECEDENCE = ("negated", "hypothetical", "hedged", "future", "attributed", "asserted")
# An event takes the order of the annotation guide (docs/annotation-guide.md §7): what is
# announced is future however it was told ("they indicated they would appeal"); a sentence
# keeps the hedge, which is what its label is read for (wiki-weasel).
_EVENT_PRECEDENCE = ("negated", "hypothetical", "future", "hedged", "attributed", "asserted")
_CLAUSE_LINKS = {"ccomp", "xcomp", "advcl", "csubj", "acl", "relcl", "pcomp", "conj", "dep"}


# spaCy splits hyphens and apostrophes off words ("worst-case" → worst - case); phrases are
# split the same way so that they can match its tokens.
_PHRASE_TOKEN = re.compile(r"n't|'\w+|\w+|[^\w\s]")


def _words(values: Any) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise TypeError(f"expected a list of words, got {values!r:.60}")
    return frozenset(v.lower() for v in values)


def _phrases(values: Any) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(_PHRASE_TOKEN.findall(v)) for v in _words(values))


@dataclass(frozen=True, slots=True)
class Cues:
    """The cue lexicon, loaded once from ``data/certainty.toml``."""

    hedge_words: frozenset[str]
    hedge_modifiers: frozenset[str]
    hedge_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    hedge_phrases: frozenset[tuple[str, ...]]
    weasel_phrases: frozenset[tuple[str, ...]]
    hyp_modals: frozenset[str]
    root_modals: frozenset[str]
    conditionals: frozenset[str]
    hyp_phrases: frozenset[tuple[str, ...]]
    epistemic_modals: frozenset[str]
    habitual: frozenset[str]
    time_marks: frozenset[str]
    fut_modals: frozenset[str]
    fut_verbs: frozenset[str]
    fut_phrases: frozenset[tuple[str, ...]]
    neg_words: frozenset[str]
    neg_verbs: frozenset[str]
    attr_verbs: frozenset[str]
    relay_verbs: frozenset[str]
    attr_phrases: frozenset[tuple[str, ...]]
    learned_cues: frozenset[str]
    speech_types: frozenset[str] = frozenset()
    commissive_types: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Cues:
        """Read and check the lexicon: the shipped one unless ``path`` is given."""
        source = str(path) if path is not None else "certainty.toml"
        path = Path(path) if path is not None else data_file("certainty", "certainty.toml")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            h, w, y, f, n, a = (
                data[k] for k in ("hedged", "weasel", "hypothetical", "future", "negated", "attributed")
            )
            return cls(
                hedge_words=_words(h["words"]),
                hedge_modifiers=_words(h["modifiers"]),
                hedge_verbs=_words(h["verbs"]),
                belief_verbs=_words(h["belief_verbs"]),
                hedge_phrases=_phrases(h["phrases"]),
                weasel_phrases=_phrases(w["phrases"]),
                hyp_modals=_words(y["modals"]),
                root_modals=_words(y["root_modals"]),
                conditionals=_words(y["conditionals"]),
                hyp_phrases=_phrases(y["phrases"]),
                epistemic_modals=_words(y["epistemic_modals"]),
                habitual=_words(y["habitual_adverbs"]),
                time_marks=_words(a["time_marks"]),
                fut_modals=_words(f["modals"]),
                fut_verbs=_words(f["verbs"]),
                fut_phrases=_phrases(f["phrases"]),
                neg_words=_words(n["words"]),
                neg_verbs=_words(n["verbs"]),
                attr_verbs=_words(a["verbs"]),
                relay_verbs=_words(a["relay_verbs"]),
                attr_phrases=_phrases(a["phrases"]),
                learned_cues=_words(data["learned"]["cue_words"]),
                speech_types=frozenset(t.upper() for t in _words(data["speech"]["types"])),
                commissive_types=frozenset(t.upper() for t in _words(data["speech"]["commissive"])),
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"cannot read the cue lexicon: {exc}", source=source) from exc
        except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
            raise DataFileError(f"invalid cue lexicon: {exc}", source=source) from exc

    @property
    def max_phrase(self) -> int:
        return max(
            len(p)
            for group in (self.hedge_phrases, self.weasel_phrases, self.hyp_phrases, self.attr_phrases)
            for p in group
        )


@lru_cache(maxsize=64)
def _starts(phrases: frozenset[tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    """First word → the lengths of the phrases it starts, longest first (built once per set)."""
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        lengths.setdefault(phrase[0], set()).add(len(phrase))
    return {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}


# the last sentence's lower-cased words, as (doc, start, end, words): a sentence's phrase lists
# are scanned in turn. The doc itself is kept, not its id, which a later doc may reuse.
_LOWER: list = [None, -1, -1, []]


def _lower_words(sent: Span) -> list[str]:
    doc, start, end, words = _LOWER
    if doc is not sent.doc or start != sent.start or end != sent.end:
        words = [t.lower_ for t in sent]
        _LOWER[:] = [sent.doc, sent.start, sent.end, words]
    return words


def _phrase_hits(sent: Span, phrases: frozenset[tuple[str, ...]], longest: int) -> list[Span]:
    """Longest matches, left to right, not overlapping ("it is possible that" is one cue)."""
    starts = _starts(phrases)
    words = _lower_words(sent)
    hits = []
    i = 0
    while i < len(words):
        for n in starts.get(words[i], ()):
            if n <= longest and tuple(words[i : i + n]) in phrases:
                hits.append(sent[i : i + n])
                i += n
                break
        else:
            i += 1
    return hits


# Dependency relations whose word is worth a feature of its own, named with the relation: the
# modifiers that carry vagueness and praise ("widely", "many", "famous", "relatively").
_MODIFIER_LINKS = frozenset({"advmod", "amod", "det", "predet", "acomp", "npadvmod", "quantmod", "nummod"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True, slots=True)
class WeaselModel(ModelFile):
    """The learned sentence model: a logistic regression over a sentence's words, word pairs,
    lemmas and a few dependency-tagged words (:meth:`features`).

    Loaded once from ``data/weasel_model.json`` (see ``training/weasel_model.py`` for how it
    was trained and on what). Scoring a sentence is one dict lookup per feature.
    """

    weights: dict[str, float]
    bias: float
    threshold: float  # P(uncertain) above which a sentence is hedged
    meta: dict[str, Any] = field(default_factory=dict)  # provenance: data, split, dev scores

    FORMAT: ClassVar[str] = "flashpoint-weasel-2"
    FILE: ClassVar[str] = "weasel_model.json"
    STAGE: ClassVar[str] = "certainty"
    WHAT: ClassVar[str] = "weasel model"
    RETRAIN: ClassVar[str] = "training/weasel_model.py"
    ZERO_THRESHOLD: ClassVar[bool] = False

    @staticmethod
    def features(sent: Span) -> dict[str, str]:
        """The features of a sentence, each with the words it shows as a cue.

        * each lower-cased word and each adjacent pair ("many", "many people");
        * each lemma, ``~consider`` (shows the word as written, "considered");
        * dependency-tagged words from the parse spaCy has already made: a modifier with its
          relation (``advmod:widely``, ``amod:famous``, ``det:many``), the head word of a
          subject and its modifiers (``subj:critic``, ``subjmod:some``), a passive verb
          (``pass:consider`` for "is considered"), a modal (``modal:may``), a superlative
          (``superl:good`` and ``SUPERL`` for "best"), the root verb (``root:say``), and
          "it is" or "there is" constructions (``itbe:likely``, ``there_be``).

        A feature counts once however often it occurs. ``training/weasel_model.py`` calls this
        too, so training and runtime cannot drift apart.
        """
        found: dict[str, str] = {}
        tokens = [t for t in sent if not t.is_space]
        words = [t.lower_ for t in tokens]
        for w in words:
            found.setdefault(w, w)
        for a, b in zip(words, words[1:]):
            found.setdefault(f"{a} {b}", f"{a} {b}")
        for t, low in zip(tokens, words):
            lemma, dep = t.lemma_.lower(), t.dep_
            found.setdefault(f"~{lemma}", low)
            if dep in _MODIFIER_LINKS:
                found.setdefault(f"{dep}:{lemma}", low)
            elif dep in _SUBJECTS:
                found.setdefault(f"subj:{lemma}", low)
                for child in t.children:
                    if child.dep_ in _MODIFIER_LINKS:
                        found.setdefault(f"subjmod:{child.lemma_.lower()}", child.lower_)
            elif dep == "ROOT":
                found.setdefault(f"root:{lemma}", low)
            if t.tag_ in ("JJS", "RBS"):
                found.setdefault(f"superl:{lemma}", low)
                found.setdefault("SUPERL", low)
            pos = t.pos_
            if pos == "VERB" or pos == "AUX":
                for child in t.children:
                    cdep = child.dep_
                    if cdep == "auxpass" and pos == "VERB":
                        found.setdefault(f"pass:{lemma}", f"{child.lower_} {low}")
                    elif cdep == "aux" and child.tag_ == "MD":
                        found.setdefault(f"modal:{child.lemma_.lower()}", child.lower_)
                    elif cdep in ("nsubj", "expl") and child.lower_ in ("it", "there") and lemma == "be":
                        if child.lower_ == "there":
                            found.setdefault("there_be", f"there {low}")
                        else:
                            for other in t.children:
                                if other.dep_ in ("acomp", "attr"):
                                    found.setdefault(f"itbe:{other.lemma_.lower()}", other.lower_)
        return found

    def score(self, features: dict[str, str]) -> tuple[float, list[tuple[str, float]]]:
        """Probability that a sentence (its :meth:`features`) is uncertain, and the words that
        pushed it up, with the summed weight of their features, strongest first."""
        weights = self.weights
        logit = self.bias
        pushed: dict[str, float] = {}
        for feature, shown in features.items():
            weight = weights.get(feature)
            if weight is not None:
                logit += weight
                if weight > 0:
                    pushed[shown] = pushed.get(shown, 0.0) + weight
        probability = 1 / (1 + math.exp(-logit)) if logit > -500 else 0.0
        return probability, sorted(pushed.items(), key=lambda kv: -kv[1])


def _explain(pushed: list[tuple[str, float]], most: int = 3) -> tuple[str, ...]:
    """The strongest words as cues, without a word that a chosen pair already shows."""
    chosen: list[str] = []
    for shown, _ in pushed:
        words = shown.split()
        if any(set(words) & set(c.split()) for c in chosen):
            continue
        chosen.append(shown)
        if len(chosen) == most:
            break
    return tuple(chosen)


class CertaintyTagger:
    """Pipeline stage: label every sentence; :meth:`of` labels any predicate (events).

    ``model`` is the learned sentence model; the shipped one by default, none with
    ``learned=False`` (the rules alone, as training uses them).
    """

    def __init__(
        self, cues: Cues | None = None, model: WeaselModel | None = None, *, learned: bool = True
    ) -> None:
        self.cues = cues or Cues.load()
        self.model = (model or WeaselModel.load()) if learned else None
        self._longest = self.cues.max_phrase
        c = self.cues
        self._hedge_phrases = c.hedge_phrases | c.weasel_phrases
        self._event_modals = c.hyp_modals | c.root_modals
        # verbs a sentence's content lies below: "officials said [the army attacked]"
        self._framing = c.attr_verbs | c.hedge_verbs | c.belief_verbs | c.neg_verbs | c.fut_verbs
        # the last sentence's phrase anchors (a sentence's events are coded one after another)
        self._anchors_of: tuple[tuple[Any, int, int] | None, _Anchors] = (None, ({}, {}))

    def __call__(self, draft: Draft) -> Draft:
        doc = draft.doc
        labelled = []
        for sentence in draft.sentences:
            span = doc.char_span(*sentence.span, alignment_mode="expand")
            labelled.append(replace(sentence, certainty=self.sentence(span)))
        # a quotation that runs on into later sentences is still its speaker's
        carried = continued_quotes(draft.article.text, labelled)
        labelled = [replace(s, certainty=carried[s.index]) if s.index in carried and s.certainty.label == "asserted"
                    else s for s in labelled]
        return replace(draft, sentences=tuple(labelled))

    def sentence(self, sent: Span | None) -> Certainty:
        """The sentence's label: its main clause's, unless a hedge or condition anywhere in
        it (or, failing those, the learned model) qualifies a sentence whose main clause reads
        as plain or reported fact."""
        if sent is None or not len(sent):
            return Certainty()
        ruled = self.rules(sent)
        if ruled.label not in ("asserted", "attributed") or self.model is None:
            return ruled
        probability, cues = self.explain(WeaselModel.features(sent))
        # The threshold was tuned on held-out training sentences (see the model file).
        if probability > self.model.threshold and cues:
            return Certainty("hedged", cues, ruled.attributed_to)
        return ruled

    def explain(self, features: dict[str, str]) -> tuple[float, tuple[str, ...]]:
        """The learned model's probability that a sentence (its :meth:`WeaselModel.features`)
        is uncertain, and the strongest of the recognised cue words behind it (``[learned]`` in
        the lexicon); without such a cue the model's word is not taken."""
        if self.model is None:
            return 0.0, ()
        probability, pushed = self.model.score(features)
        known = self.cues.learned_cues
        return probability, _explain([fw for fw in pushed if any(w in known for w in fw[0].split())])

    def rules(self, sent: Span) -> Certainty:
        """The sentence's label from the cue rules alone."""
        main = self._governing(self._content(sent.root), sent, statement=True)
        if main.label not in ("asserted", "attributed"):
            return main
        c = self.cues
        hits = _phrase_hits(sent, self._hedge_phrases, self._longest)
        inside = {t.i for hit in hits for t in hit}
        hedges = [hit.text for hit in hits]
        hedges += [t.text for t in sent if t.lower_ in c.hedge_words and t.i not in inside]
        if hedges:
            return Certainty("hedged", tuple(dict.fromkeys(hedges)), main.attributed_to)
        conditions = [s.text for s in _phrase_hits(sent, c.hyp_phrases, self._longest) if not _approximation(s[0])]
        if conditions:
            return Certainty("hypothetical", tuple(conditions), main.attributed_to)
        return main

    def _content(self, root: Token) -> Token:
        """The clause a sentence is about: "Officials said [the army could attack]" is about
        the attack, told by officials; descend through reporting, hedging and denying verbs."""
        node = root
        for _ in range(4):
            if self._frame_lemma(node) not in self._framing:
                break
            nxt = next((k for k in node.children if k.dep_ in ("ccomp", "xcomp")), None)
            if nxt is None:
                break
            node = nxt
        return node

    def _frame_lemma(self, node: Token) -> str:
        """The lemma of a possibly framing verb, mended where the lemmatizer errs
        ("speculating" left as it is, "hopes" → "hop")."""
        lemma = node.lemma_.lower()
        if lemma in self._framing:
            return lemma
        return next((f for f in deinflect(node.lower_) if f in self._framing), lemma)

    def of(self, token: Token, sent: Span) -> Certainty:
        """Certainty of the predicate ``token`` from the cues that govern it."""
        return self._governing(token, sent, statement=False)

    def _phrase_anchors(self, sent: Span) -> _Anchors:
        """Hedge and condition phrases by the tokens they govern: the phrase's own head word
        and the word it hangs on ("more than likely, the rebels shelled": on "shelled").
        Weasel phrases are left to the sentence label: "many people fled" is vague about a
        number, not unsure that people fled.

        And each "according to" by the head of its clause: it tells the source of the whole
        clause, whichever noun the parser hangs it on ("police arrested him after the
        shooting according to police")."""
        key = (sent.doc, sent.start, sent.end)  # the doc itself: a later doc may reuse an id
        last = self._anchors_of[0]
        if last is not None and last[0] is key[0] and last[1:] == key[1:]:  # a sentence's events ask in turn
            return self._anchors_of[1]
        anchors: dict[int, list[tuple[str, str]]] = {}
        c = self.cues
        for label, group in (("hedged", c.hedge_phrases), ("hypothetical", c.hyp_phrases)):
            for hit in _phrase_hits(sent, group, self._longest):
                if _approximation(hit[0]):
                    continue
                root = hit.root
                for i in {root.i, root.head.i}:
                    anchors.setdefault(i, []).append((label, hit.text))
        according: dict[int, Token] = {}
        for tok in sent:
            if tok.lower_ == "according" and tok.dep_ == "prep":
                clause = tok.head
                while clause.dep_ not in _CLAUSE_LINKS and clause.dep_ != "ROOT" and clause.head.i != clause.i:
                    clause = clause.head
                according.setdefault(clause.i, tok)
        self._anchors_of = (key, (anchors, according))
        return anchors, according

    def _governing(self, token: Token, sent: Span, *, statement: bool) -> Certainty:
        """The cues that govern ``token``. For an event (``statement=False``) modals of
        ability and obligation make it hypothetical: "Russia must withdraw" has not happened.
        For the statement a sentence makes they do not: "the drug can cause nausea" is no
        less certain for its "can"."""
        return self._walk(token, sent, statement=statement)[0]

    def reporters(self, token: Token, sent: Span) -> tuple[Token, ...]:
        """The verbs of saying whose content the predicate ``token`` is ("the minister *said*
        Armenia must withdraw"), nearest first: those that made it attributed. Media naming
        their source ("according to", "reported") are none: they relay what someone else did."""
        return self._walk(token, sent, statement=False)[1]

    def _walk(self, token: Token, sent: Span, *, statement: bool) -> tuple[Certainty, tuple[Token, ...]]:
        """Up the dependency path from ``token`` to the root, collecting the cues that govern it.

        A cue's scope is its clause: the modal or negation of one conjunct does not reach a
        conjunct with a tense of its own ("would have faced impeachment but resigned"), and a
        relative clause is background that only attribution reaches ("the court, which
        rejected the lawsuit": reportedly or not, the court did reject it)."""
        c = self.cues
        modals = c.hyp_modals if statement else self._event_modals
        phrases, according = self._phrase_anchors(sent)
        found: dict[str, list[str]] = {}
        source: str | None = None
        reporters: list[Token] = []
        said_would: list[str] = []  # "would" as the future of reported speech ("said he would go")
        node, below = token, None
        crossed_conj = False
        background = False  # crossed into a relative clause's head: only attribution reaches below
        while True:
            # a conjunct with a tense of its own, or a saying of its own ("said the 36 must face
            # charges, adding Iran will pursue …"), is out of reach of this clause's modals
            own = below is not None and (
                (below.dep_ == "conj" and _own_tense(below))
                or (below.dep_ == "advcl" and self._frame_lemma(below) in c.attr_verbs))
            scoped = not background and not own
            if not background:
                for label, text in phrases.get(node.i, ()):
                    found.setdefault(label, []).append(text)
            if node.i in according:
                source = source or _according_to(according[node.i])
                found.setdefault("attributed", []).append("according to")
            for child in node.children:
                low = child.lower_
                if child.dep_ == "neg" or (low in c.neg_words and child.dep_ in ("advmod", "det", "preconj")):
                    # a negation reaches up from a verb, not from a noun that is another verb's
                    # argument ("were not connected to the sentence": the sentence was passed),
                    # nor across coordinated clauses ("did not comment and left"); "did not
                    # endorse her until July" says when she was endorsed
                    # … but it does from a noun whose clause the predicate is ("had no plans to sign")
                    if scoped and not _until(node) and not (child.i > 0 and _approximation(child.doc[child.i - 1])) and (
                            below is None
                            or (node.pos_ in ("VERB", "AUX") and token.pos_ not in ("NOUN", "PROPN") and not crossed_conj)
                            or (node.pos_ == "NOUN" and below.dep_ == "acl" and below.i == token.i)):
                        found.setdefault("negated", []).append(child.text)
                elif child.dep_ in ("aux", "auxpass") and low in modals:
                    if scoped and (label := _modal_label(child, node, c)) != "asserted":
                        found.setdefault(label, []).append(child.text)
                        if low == "would" and label == "hypothetical":
                            said_would.append(child.text)
                elif child.dep_ in ("aux", "auxpass") and low in c.fut_modals:
                    if scoped:
                        found.setdefault("future", []).append(child.text)
                elif child.dep_ in ("advmod", "amod", "acomp") and low in c.hedge_words:
                    if not background:
                        found.setdefault("hedged", []).append(child.text)
                elif child.dep_ == "amod" and low in c.hedge_modifiers and below is None:
                    found.setdefault("hedged", []).append(child.text)
                elif child.dep_ == "mark" and low in c.conditionals and node.dep_ == "advcl":
                    if scoped and not _approximation(child):
                        found.setdefault("hypothetical", []).append(child.text)
                elif child.dep_ == "advcl" and (mark := _condition_mark(child, c.conditionals)) is not None:
                    if scoped:  # the main clause of "if …, then …"
                        found.setdefault("hypothetical", []).append(mark.text)
            if below is not None and below.dep_ in _CLAUSE_LINKS:
                lemma = self._frame_lemma(node)
                if lemma in c.neg_verbs and below.dep_ == "ccomp":
                    if not background:
                        found.setdefault("negated", []).append(node.text)
                elif lemma in c.hedge_verbs and below.dep_ in _CONTENT_LINKS:
                    if _names_someone(node):  # "the spokesperson indicated the US was disappointed"
                        found.setdefault("attributed", []).append(node.text)
                        source = source or _subject_text(node)
                        reporters.append(node)
                        _reported_future(found, said_would)
                    elif not background:  # "estimates indicate a million marched"
                        found.setdefault("hedged", []).append(node.text)
                        _reported_future(found, said_would)  # "they indicated they would appeal"
                elif lemma in c.belief_verbs:
                    if not background:
                        found.setdefault("hedged", []).append(node.text)
                    if source is None:  # "officials believe …": hedged, and whose belief it is
                        source = _subject_text(node, passive=False)
                elif lemma in c.fut_verbs and (below.dep_ == "xcomp" or (below.dep_ in ("acl", "ccomp") and _infinitive(below))):
                    if not background:  # "plans to visit", "announced plans to oppose", "expects Iran to sign"
                        found.setdefault("future", []).append(node.text)
                elif lemma in c.attr_verbs and below.dep_ in ("ccomp", "parataxis", "advcl"):
                    found.setdefault("attributed", []).append(node.text)
                    if source is None:
                        source = _subject_text(node)
                    if lemma not in c.relay_verbs:
                        reporters.append(node)
                    if below.dep_ == "ccomp":
                        _reported_future(found, said_would)
            # a reporting verb in parataxis ("X attacked Y, the ministry said")
            for child in node.children:
                if (
                    child.dep_ == "parataxis"
                    and child.lemma_.lower() in c.attr_verbs
                    and node.i == token.i
                ):
                    found.setdefault("attributed", []).append(child.text)
                    if source is None:
                        source = _subject_text(child)
                    if child.lemma_.lower() not in c.relay_verbs:
                        reporters.append(child)
            if node.head.i == node.i or node.dep_ == "ROOT" or not (sent.start <= node.head.i < sent.end):
                break
            if _after_semicolon(node):
                break  # "…, according to CNN, …; the massacres saw thousands killed": a sentence of its own
            if _past_time_clause(node, c.time_marks):
                break  # "announced an agreement after Turkey began an offensive": a known event, the background
            crossed_conj = crossed_conj or node.dep_ == "conj"
            background = background or node.dep_ == "relcl"
            below, node = node, node.head
        if "according to" in found.get("attributed", ()):
            reporters = []  # a medium relays what someone said: the saying is not the writer's fact
        for label in _PRECEDENCE if statement else _EVENT_PRECEDENCE:
            if label in found:
                return Certainty(label, tuple(dict.fromkeys(found[label])), source), tuple(reporters)
        return Certainty("asserted", (), source), tuple(reporters)


# hedge and condition phrases by the token they govern; "according to" by its clause's head
_Anchors = tuple[dict[int, list[tuple[str, str]]], dict[int, Token]]
# The links from a verb of seeming or indicating to the clause it qualifies ("appears to have
# fled", "suggests that the army fired"); not an adverbial ("appeared in court, charged with …").
_CONTENT_LINKS = frozenset({"ccomp", "xcomp", "csubj"})
# Entity types of a subject that says something rather than shows it.
_SPEAKERS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_PERSONAL = frozenset({"i", "we", "he", "she", "they"})


def _past_time_clause(clause: Token, marks: frozenset[str]) -> bool:
    """Whether ``clause`` is a time clause in the past ("after Turkey began an offensive",
    "before he was airlifted"): it dates what its head says by an event it takes as known, so
    the cues above do not reach it. A time clause in the present is of the future ("will
    withdraw after the rebels surrender") and stays in reach."""
    if clause.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children):
        return False
    if clause.tag_ == "VBD":
        return True
    return clause.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("was", "were", "had")
                                        for c in clause.children)


def _infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _after_semicolon(clause: Token) -> bool:
    """Whether a coordinated clause follows its head after a semicolon: two statements the
    parser joined, each with its own cues."""
    if clause.dep_ not in ("conj", "parataxis"):
        return False
    head = clause.head
    return any(t.text == ";" for t in clause.doc[min(head.i, clause.i) + 1:max(head.i, clause.i)]
               if t.head.i in (head.i, clause.i))


def _own_tense(verb: Token) -> bool:
    """A conjunct with its own tense or subject is a clause of its own: "will attack and
    destroy" shares its "will", "would have faced impeachment but resigned" does not."""
    if verb.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    return any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children)


def _modal_label(modal: Token, verb: Token, cues: Cues) -> str:
    """ "might have encouraged", "may have fled": a guess about the past (hedged); "would
    sometimes kill": a habit of the past (no cue, "asserted"); any other modal (and "would
    have", the counterfactual, or any modal under a condition: "had the deal collapsed,
    prices might have doubled") makes the predicate hypothetical."""
    if modal.lower_ == "would" and any(c.dep_ == "advmod" and c.lower_ in cues.habitual for c in verb.children):
        return "asserted"  # "they would sometimes kill the farmers": what used to happen
    if (modal.lower_ in cues.epistemic_modals and verb.tag_ == "VBN"
            and any(c.dep_ == "aux" and c.lower_ in ("have", "'ve") for c in verb.children)
            and not any(c.dep_ == "advcl" for c in verb.children)):
        return "hedged"
    return "hypothetical"


def _reported_future(found: dict[str, list[str]], said_would: list[str]) -> None:
    """ "announced he would drop his bid": the "would" of reported speech is the speaker's
    "will" (future), unless a condition makes it hypothetical after all."""
    hyp = found.get("hypothetical", [])
    if hyp and said_would and all(h in said_would for h in hyp):
        found.pop("hypothetical")
        found.setdefault("future", []).extend(hyp)
        said_would.clear()


def _until(verb: Token) -> bool:
    """ "did not endorse her until July": the negation says when, not whether."""
    return any(c.lower_ in ("until", "till") and c.dep_ in ("prep", "mark") for c in verb.children) or any(
        c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("until", "till") for g in c.children)
        for c in verb.children)


def _approximation(mark: Token) -> bool:
    """ "thousands if not tens of thousands": an estimate between two words, neither a
    condition nor a denial (``mark`` is the "if")."""
    doc = mark.doc
    if mark.lower_ != "if" or mark.i + 2 >= len(doc) or mark.i == 0:
        return False
    return doc[mark.i + 1].lower_ == "not" and not doc[mark.i - 1].is_punct and not doc[mark.i + 2].is_punct


def _condition_mark(clause: Token, conditionals: frozenset[str]) -> Token | None:
    return next((g for g in clause.children
                 if g.dep_ == "mark" and g.lower_ in conditionals and not _approximation(g)), None)


def _names_someone(verb: Token) -> bool:
    """Whether the subject of a verb of indicating is someone who speaks (a named person or
    body, a personal pronoun) rather than evidence ("estimates indicate")."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            if child.lower_ in _PERSONAL:
                return True
            return any(t.ent_type_ in _SPEAKERS for t in (child, *(k for k in child.children
                                                                   if k.dep_ in ("appos", "compound"))))
    return False


def _subject_text(verb: Token, *, passive: bool = True) -> str | None:
    """The subject of ``verb`` as a source; ``passive=False`` skips passive subjects ("the
    commander is believed to have fled" names who fled, not who believes it)."""
    for child in verb.children:
        if child.dep_ == "nsubj" or (passive and child.dep_ == "nsubjpass"):
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


_QUOTE_MARKS = '"“”'


def continued_quotes(text: str, sentences: Sequence[Sentence]) -> dict[int, Certainty]:
    """The sentences that lie inside a quotation opened by an earlier sentence, by index, with
    the attribution they carry: in 'Schumer said "We told the president we needed the
    government open. He resisted."' the resisting is Schumer's account too.

    A quotation is open from its opening mark to its closing one; it ends with its paragraph
    unless the next paragraph opens with a quotation mark (the news convention for a quote
    that runs on). It carries an attribution only when the sentence that opened it was
    attributed ("said", "according to"); the cue is that sentence's reporting word, or the
    quotation mark itself."""
    carried: dict[int, Certainty] = {}
    opener: Sentence | None = None  # the sentence whose quotation is open
    inside = False
    last_end: int | None = None
    for sentence in sentences:
        start, end = sentence.span
        body = text[start:end]
        if last_end is not None and "\n" in text[last_end:start]:
            reopened = inside and body.lstrip()[:1] in ('"', "“")
            if reopened:
                body = body.lstrip()[1:]  # the reopening mark does not close the quotation
            else:
                inside, opener = False, None
        if inside and opener is not None:
            said = opener.certainty
            if said.label == "attributed" or said.attributed_to is not None:
                cues = said.cues if said.label == "attributed" else ('"',)
                carried[sentence.index] = Certainty("attributed", cues, said.attributed_to)
        for mark in body:
            if mark not in _QUOTE_MARKS:
                continue
            was = inside
            inside = (not inside) if mark == '"' else mark == "“"
            if inside and not was:
                opener = sentence
        last_end = end
    return carried


def tag_profile(draft: Draft) -> Draft:
    """Pipeline stage: the article's certainty profile (:func:`profile`)."""
    return replace(draft, certainty_profile=profile(draft.article, draft.sentences))


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
