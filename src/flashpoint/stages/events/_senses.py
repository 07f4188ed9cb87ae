"""Senses in context (``data/events/senses.toml``): verbs whose event type depends on their
arguments — a predicate after the object ("called the deal 'lousy'" criticises), the kind of
object ("attacked the investigation" in words; "demonstrated ignorance" shows; "sent a bill"
gives no aid), the clause said ("insisted she was never pressured" demands nothing) or the
subject ("the court ruled").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Token
from spacy.vocab import Vocab

from flashpoint.errors import DataFileError
from flashpoint.stages.events._governors import read_word_rules, word_set

_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’", "``", "''"})
# named entities that can be received as visitors
_PARTIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: :meth:`Senses.of` returns this for "no event in this sense".
NONE = ""


@dataclass(frozen=True, slots=True)
class ObjectRule:
    """One ``[[objects]]`` rule: the verbs whose object decides their code — ``code`` (\"\" for
    no event) when the object's noun is (``when = "in"``) or is not (``"not in"``) one of
    ``nouns``; only where the lexicon's code starts with one of ``codes``, if given."""

    verbs: frozenset[str]
    nouns: frozenset[str]
    code: str
    inside: bool
    codes: tuple[str, ...] = ()
    entities: frozenset[str] = frozenset()  # named-entity labels that count as one of the nouns

    @classmethod
    def read(cls, n: int, rule: object) -> ObjectRule:
        where = f"[[objects]] rule {n}"
        if not isinstance(rule, dict):
            raise DataFileError(f"{where} must be a table", source=Senses.FILE)
        lists = {k: rule.get(k, []) for k in ("verbs", "nouns", "codes", "entities")}
        for key, value in lists.items():
            if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value) or (
                    key in ("verbs",) and not value) or (key == "nouns" and not value and not lists["entities"]):
                raise DataFileError(f"{where}: {key} must be a list of words", source=Senses.FILE)
        code, when = rule.get("code"), rule.get("when")
        if not isinstance(code, str) or (code and not code.isdigit()) or when not in ("in", "not in"):
            raise DataFileError(f'{where}: code must be a CAMEO code or "", when "in" or "not in"',
                                source=Senses.FILE)
        return cls(frozenset(w.lower() for w in lists["verbs"]), frozenset(w.lower() for w in lists["nouns"]),
                   code, when == "in", tuple(lists["codes"]), frozenset(lists["entities"]))

    def applies(self, lemma: str, theme: list[Token], cameo: str) -> bool:
        if lemma not in self.verbs or not theme or (self.codes and not cameo.startswith(self.codes)):
            return False
        noun = theme[0]
        kind = noun.lemma_.lower() in self.nouns or noun.lower_ in self.nouns or noun.ent_type_ in self.entities
        return kind == self.inside


@dataclass(frozen=True, slots=True)
class Senses:
    """The sense rules of ``senses.toml``; :meth:`of` applies them to one verb."""

    naming: frozenset[str]
    naming_code: str
    praise_code: str
    praise: frozenset[str]
    criticism: frozenset[str]
    objects: tuple[ObjectRule, ...]
    show: frozenset[str]
    protests: frozenset[str]
    crowd_verbs: frozenset[str]
    crowd_code: str
    crowd_same: frozenset[str]
    hosting: frozenset[str]
    visitors: frozenset[str]
    emphatic: frozenset[str]
    emphatic_modals: frozenset[str]
    courts: frozenset[str]
    court_sector: str
    court_code: str
    court_verbs: frozenset[str]
    court_addressed: str
    people: frozenset[str]
    hazard_codes: tuple[str, ...]
    hazards: frozenset[str]

    FILE = "senses.toml"

    @classmethod
    def load(cls, resource) -> Senses:
        data = read_word_rules(resource, cls.FILE, "sense rules")

        def words(section: str, key: str) -> frozenset[str]:
            return word_set(data, section, key, cls.FILE)

        def code(section: str, key: str = "code") -> str:
            value = data.get(section, {}).get(key)
            if not isinstance(value, str) or not value.isdigit():
                raise DataFileError(f"[{section}] {key} must be a CAMEO code", source=cls.FILE)
            return value

        return cls(
            naming=words("characterise", "words"), naming_code=code("characterise"),
            praise_code=code("characterise", "praise_code"), praise=words("characterise", "praise"),
            criticism=words("characterise", "criticism"),
            objects=tuple(ObjectRule.read(i, rule) for i, rule in enumerate(data.get("objects", []), start=1)),
            show=words("show", "verbs"),
            protests=words("crowds", "verbs"), crowd_verbs=words("crowds", "heads"), crowd_code=code("crowds"),
            crowd_same=words("crowds", "same"),
            hosting=words("hosting", "codes"), visitors=words("hosting", "visitors"),
            emphatic=words("emphasis", "verbs"), emphatic_modals=words("emphasis", "modals"),
            courts=words("court", "subjects"), court_sector=str(data.get("court", {}).get("sector", "")),
            court_code=code("court"), court_verbs=words("court", "verbs"),
            court_addressed=code("court", "addressed_code"),
            people=words("people", "nouns"),
            hazard_codes=tuple(sorted(words("hazards", "codes"))), hazards=words("hazards", "nouns"),
        )

    def codes(self) -> tuple[str, ...]:
        """Every CAMEO code the rules can give (the lexicon checks them against cameo.csv)."""
        return (self.naming_code, self.praise_code, self.court_code, self.crowd_code, self.court_addressed, *self.hosting,
                *(r.code for r in self.objects if r.code))

    def of(self, verb: Token, lemma: str, theme: list[Token], cameo: str | None) -> str | None:
        """The CAMEO code ``verb`` has in this sentence when its arguments decide it: a code,
        :data:`NONE` (no event in this sense), or None (the lexicon's code stands).
        ``cameo`` is the lexicon's code for the verb (None when it has none)."""
        if lemma in self.naming:
            if verb.dep_ == "acl" and verb.tag_ == "VBN":
                return NONE  # "a British colony called Southern Rhodesia": a name
            if _names_without_namer(verb):
                return NONE  # "Rapa Nui, also called Easter Island", however the parser hangs it
            predicate = _predicate_of(verb)
            if predicate is not None:
                return self._characterised(predicate, self.named(verb) or list(predicate.subtree))
        if cameo is None:
            return None
        if cameo.startswith(self.hazard_codes) and self.by_hazard(verb):
            return NONE  # "a fire killed five", "killed in the crash": no one's action
        if lemma in self.court_verbs and cameo == self.court_code and not self.by_court(verb):
            return NONE  # "ruled the country": governing, no ruling
        if cameo.startswith("12") and self.by_court(verb):
            return self.court_code  # "a federal judge dismissed the lawsuit": ruled against
        if cameo.startswith("02") and self._to_court(verb):
            return self.court_addressed
        for rule in self.objects:
            if rule.applies(lemma, theme, cameo):
                return rule.code
        if lemma in self.show and any(c.dep_ in ("dobj", "ccomp") for c in verb.children):
            return NONE
        if lemma in self.protests and verb.dep_ in ("advcl", "xcomp", "conj"):
            head = verb.head.lemma_.lower()
            if head in self.crowd_same:
                return NONE
            if head in self.crowd_verbs:
                return self.crowd_code
        if cameo in self.hosting and theme and not self._visitor(theme[0]):
            return NONE
        if lemma in self.emphatic and cameo.startswith("10") and not self._demanding(verb):
            return NONE
        return None

    def named(self, verb: Token) -> list[Token]:
        """The words of the predicate a naming verb gives its object (none without one)."""
        found = _predicate_of(verb)
        if found is None:
            return []
        doc = found.doc
        # a quoted predicate runs to the closing quote ("a non-starter", which the parser may
        # cut in three); an unquoted one is its subtree
        start = min(found.i, found.left_edge.i)
        if start > 0 and doc[start - 1].text in _QUOTES:
            end = next((t.i for t in doc[start:verb.right_edge.i + 1] if t.text in _QUOTES), None)
            if end is not None:
                return list(doc[start:end])
        return list(found.subtree)

    def by_court(self, verb: Token) -> bool:
        """Whether the verb's subject (or passive agent) is a court or a judge."""
        subjects = _agents(verb)
        if verb.dep_ == "relcl" and any(s.lower_ in ("which", "who", "that") for s in subjects):
            subjects.append(verb.head)  # "the Supreme Court, which rejected the lawsuit"
        return any(self._court(s) for s in subjects)

    def by_hazard(self, verb: Token) -> bool:
        """Whether the violence is done by a fire, a storm, an accident, a disease or an animal:
        the verb's subject or passive agent is one of the ``[hazards]`` nouns (or a name with one
        as its compound: "Hurricane Lorenzo"), or, with neither, a passive verb happens "in" one
        ("were killed in the crash")."""
        agents = _agents(verb)
        if verb.dep_ == "relcl" and any(a.lower_ in ("which", "that") for a in agents):
            agents = [verb.head]  # "the earthquake that struck southern Philippines"
        if not agents and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            agents = [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "during")
                      for p in c.children if p.dep_ == "pobj"]
        return any(self._hazard(a) for a in agents)

    def hazard_noun(self, noun: Token) -> bool:
        """Whether a noun trigger is itself one of the ``[hazards]`` ("fire": a blaze unless a
        verb governs it, as in "opened fire")."""
        return noun.lemma_.lower() in self.hazards or noun.lower_ in self.hazards

    def _hazard(self, tok: Token) -> bool:
        return self.hazard_noun(tok) or any(c.dep_ == "compound" and c.lower_ in self.hazards for c in tok.children)

    def _to_court(self, verb: Token) -> bool:
        """Whether a request is addressed to a court: its object, its "to" object, or (passive)
        its subject."""
        addressed = [c for c in verb.children if c.dep_ in ("dobj", "dative", "nsubjpass")]
        addressed += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"
                      for p in c.children if p.dep_ == "pobj"]
        return any(self._court(a) for a in addressed)

    def _court(self, tok: Token) -> bool:
        return tok.lemma_.lower() in self.courts or tok.lower_ in self.courts

    def person(self, tok: Token) -> bool:
        """A participant named by a common noun for people ("an individual", "the suspects")."""
        return tok.pos_ == "NOUN" and not tok.ent_type_ and tok.lemma_.lower() in self.people

    def _characterised(self, predicate: Token, tokens: list[Token]) -> str:
        words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
        if words & self.praise:
            return self.praise_code
        if words & self.criticism:
            return self.naming_code
        if predicate.pos_ == "PROPN" and not _quoted(predicate):
            return NONE  # a name: "dubbed it Operation Peace Spring"
        return self.praise_code if self._leans_to_praise(tokens) else self.naming_code

    def _leans_to_praise(self, tokens: list[Token]) -> bool:
        """Whether the predicate's content words lie nearer the praise words than the
        criticism words in the parser's word vectors (no vectors: criticism, the usual case)."""
        vocab = tokens[0].vocab
        # whole hyphenated words: "a non-starter" is no "starter"
        text = "".join(t.text_with_ws for t in tokens).replace(" - ", "-").lower()
        words = [w.strip(".,;:!?\"'“”‘’()[]") for w in text.split()]
        content = [vocab[w].vector for w in words if w and not vocab[w].is_stop and vocab[w].has_vector]
        if not content:
            return False
        mean = np.mean(content, axis=0)
        norm = float(np.linalg.norm(mean))
        if norm == 0:
            return False
        praise, criticism = (_centroid(vocab, self.praise), _centroid(vocab, self.criticism))
        return float(mean @ praise) > float(mean @ criticism)

    def visiting(self, tok: Token) -> bool:
        """Whether a subject is someone who visits (an official, an envoy), not a unit that
        deploys ("troops arrived")."""
        return tok.lemma_.lower() in self.visitors or tok.lower_ in self.visitors

    def _visitor(self, tok: Token) -> bool:
        return (tok.ent_type_ in _PARTIES or tok.pos_ in ("PROPN", "PRON")
                or tok.lemma_.lower() in self.visitors or tok.lower_ in self.visitors)

    def _demanding(self, verb: Token) -> bool:
        if any(c.dep_ == "prep" and c.lower_ == "on" for c in verb.children):
            return True  # "insisted on a ceasefire"
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            aux = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
            if any(a.lower_ in self.emphatic_modals for a in aux):
                return True
            if clause.tag_ == "VB" and not aux:  # subjunctive: "insists that the budget include"
                return True
        return False


def _agents(verb: Token) -> list[Token]:
    """Who does what the verb says: its subjects and passive agents ("ruled by the court"), or,
    for a verb coordinated without a subject of its own, the subjects of the verb before it."""
    agents = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    agents += [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if not agents and verb.dep_ == "conj":
        agents = [c for c in verb.head.children if c.dep_ in ("nsubj", "csubj")]
    return agents


def _names_without_namer(verb: Token) -> bool:
    """A naming verb with a name (``oprd``) but neither a subject nor an object: a reduced
    relative giving something's other name ("the island of Rapa Nui, also called Easter
    Island"), which the parser may tag as a past tense hung anywhere in the sentence."""
    deps = {c.dep_ for c in verb.children}
    return "oprd" in deps and not deps & {"nsubj", "nsubjpass", "csubj", "dobj", "aux", "auxpass"}


def _predicate_of(verb: Token) -> Token | None:
    """What a naming verb says its object is: "called it [a non-starter]" (``oprd``), "called
    Trump's conduct [a breach]" (an apposition), "calling it [as] just another apology", or a
    quotation right after the object ("called the deal 'lousy'"). None without an object."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        # "called the deal 'lousy'" parsed with the object as the predicate: the quotation
        # after it is the predicate
        obj = next((c for c in verb.children if c.dep_ == "oprd"), None)
        if obj is None or _quoted(obj):
            return None
        return _quotation_after(verb, obj)
    for c in verb.children:
        if c.dep_ == "oprd":
            return c
        if c.dep_ == "prep" and c.lower_ == "as":
            found = next((p for p in c.children if p.dep_ == "pobj"), None)
            if found is not None:
                return found
    for c in obj.children:
        if c.dep_ in ("appos", "oprd") and c.i > obj.i:
            return c
    return _quotation_after(verb, obj)


def _quotation_after(verb: Token, obj: Token) -> Token | None:
    """The first word of a quotation after the object, or after its modifiers ("calling the
    investigation into Trump 'Soviet-style'", which the parser may hang inside the object)."""
    doc = obj.doc
    for after in range(obj.i + 1, min(obj.right_edge.i + 2, len(doc) - 1)):
        if doc[after].text in _QUOTES and doc[after + 1].is_alpha and after + 1 <= verb.right_edge.i:
            return doc[after + 1]
    return None


_CENTROIDS: dict[tuple[int, frozenset[str]], np.ndarray] = {}


def _centroid(vocab: Vocab, words: frozenset[str]) -> np.ndarray:
    """The unit mean vector of ``words`` in ``vocab`` (cached per vocabulary and word list)."""
    key = (id(vocab), words)
    if key not in _CENTROIDS:
        vectors = [vocab[w].vector for w in sorted(words) if vocab[w].has_vector]
        mean = np.mean(vectors, axis=0) if vectors else np.zeros(vocab.vectors_length or 1)
        norm = float(np.linalg.norm(mean))
        _CENTROIDS[key] = mean / norm if norm else mean
    return _CENTROIDS[key]


def _quoted(tok: Token) -> bool:
    doc = tok.doc
    return tok.i > 0 and doc[tok.i - 1].text in _QUOTES
