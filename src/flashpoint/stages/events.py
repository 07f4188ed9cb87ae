"""Events: who did what to whom, read off the dependency parse and coded in PLOVER and CAMEO.

The trigger lexicon (``data/events.csv``: verb and noun lemmas → CAMEO code and the
prepositions that introduce the target) and the CAMEO table (``data/cameo.csv``: CAMEO code →
QuadClass, Goldstein, PLOVER type/mode/context) are data. This module finds triggers, reads
their arguments (active and passive voice, light verbs such as "launched an offensive",
nominal events such as "the shelling of Jermuk", reciprocal "one another") and maps the
arguments to the actor mentions found by :mod:`flashpoint.actors`.
"""

from __future__ import annotations

import csv
import re
import tomllib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from flashpoint.errors import DataFileError
from flashpoint.records import (
    PLOVER_TYPES,
    ActorRef,
    Certainty,
    Event,
    Location,
    Sentence,
)
from flashpoint.resources import data_file
from flashpoint.stages import dates
from flashpoint.stages.certainty import CertaintyTagger
from flashpoint.stages.locations import Places, find_location
from flashpoint.stages.wordforms import deinflect as _deinflect
from flashpoint.stages.wordforms import is_one_of as _is

if TYPE_CHECKING:
    from flashpoint.pipeline import Draft

# Verbs that pass the event on to their object noun: "launched an offensive", "held talks",
# "imposed sanctions", "signed a declaration", "will be sent" (a mission).
LIGHT_VERBS = frozenset(
    "launch hold conduct carry stage impose sign make issue reach mount deliver provide send "
    "give announce begin start resume open level file lodge extend continue wage pay "
    "step intensify escalate order conclude agree fire declare grant release sell supply "
    "exchange use approve authorize authorise".split()
)
# "went on strike", "remained on alert": the noun after "on" carries the event
_STATE_VERBS = frozenset({"go", "remain", "stay", "be", "put", "place"})
# "participated in a hunger strike", "attended the summit": the noun carries the event and
# the verb's subject takes part in it
_PARTICIPATE = frozenset({"participate", "engage", "join", "attend"})
# heads whose "of" object carries the event: "a new round of talks", "a wave of arrests"
_OF_HEADS = frozenset({"round", "series", "wave", "package", "spate", "string", "resumption", "start"})
# adverbial particles the parser reads as prepositions in "pulled out of", "backed out of"
_LOOSE_PARTICLES = frozenset({"out", "off", "up", "down", "back", "away"})
_RECIPROCAL = {"one another", "each other"}
_RELATIVE = {"which", "who", "that", "whom"}
_PERSONAL = {"it", "they", "he", "she", "its", "their", "his", "her", "them", "him"}
_SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
# heads that carry no event of their own: "a peace effort", "a mediation mission"
_GENERIC_HEADS = {"effort", "efforts", "bid", "initiative", "campaign", "plan", "process", "move", "drive"}


@dataclass(frozen=True, slots=True)
class Code:
    """One CAMEO code with its PLOVER translation."""

    cameo: str
    name: str
    quad_class: int
    goldstein: float
    type: str | None
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon row: ``requires`` names the argument that must be present for the row to
    apply ("called on Russia to" appeals, "called President Aliyev" is a phone call)."""

    cameo: str
    preps: frozenset[str]
    requires: str = ""  # "" | "prep" | "dobj"


_REQUIRES = ("", "prep", "dobj")


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, Trigger]  # the first row of each noun
    codes: dict[str, Code]
    intents: dict[str, str]  # PLOVER type of an announced action → CAMEO code of the announcement
    flips: dict[tuple[str, str], str]  # (verb, object noun) → CAMEO code: "lift sanctions"
    refusals: dict[str, str]  # CAMEO code prefix of an action → CAMEO code of refusing it
    governors: Governors
    intent_codes: dict[str, str]  # CAMEO code prefix of an action → CAMEO code of announcing it
    noun_rows: dict[str, tuple[Trigger, ...]]  # every row of a noun, tried in order (see _noun)
    noun_heads: frozenset[str] = frozenset()  # the words a noun entry can be looked up by

    @classmethod
    def load(cls) -> Lexicon:
        root = data_file("events")
        codes: dict[str, Code] = {}
        for line, row in _csv(root / "cameo.csv"):
            ptype = row["plover_type"] or None
            if ptype is not None and ptype not in PLOVER_TYPES:
                raise DataFileError(f"unknown PLOVER type {ptype!r}", source=f"cameo.csv:{line}")
            try:
                codes[row["code"]] = Code(
                    cameo=row["code"],
                    name=row["name"],
                    quad_class=int(row["quad_class"]),
                    goldstein=float(row["goldstein"]),
                    type=ptype,
                    mode=row["plover_mode"] or None,
                    context=tuple(c for c in row["plover_context"].split(";") if c),
                )
            except ValueError as exc:
                raise DataFileError(str(exc), source=f"cameo.csv:{line}") from exc
        verbs: dict[str, tuple[Trigger, ...]] = {}
        nouns: dict[str, Trigger] = {}
        noun_rows: dict[str, tuple[Trigger, ...]] = {}
        for line, row in _csv(root / "events.csv"):
            where = f"events.csv:{line}"
            if row["cameo"] not in codes:
                raise DataFileError(f"CAMEO code {row['cameo']!r} is not in cameo.csv", source=where)
            if row.get("requires", "") not in _REQUIRES:
                raise DataFileError(f"requires must be one of {_REQUIRES}", source=where)
            preps = frozenset(p for p in row["target_preps"].split("|") if p)
            trigger = Trigger(row["cameo"], preps, row.get("requires", ""))
            if row["kind"] == "verb":
                verbs[row["lemma"]] = (*verbs.get(row["lemma"], ()), trigger)
            elif row["kind"] == "noun":
                nouns.setdefault(row["lemma"], trigger)
                noun_rows[row["lemma"]] = (*noun_rows.get(row["lemma"], ()), trigger)
            else:
                raise DataFileError(f"kind must be verb or noun, not {row['kind']!r}", source=where)
        intents: dict[str, str] = {}
        for line, row in _csv(root / "intents.csv"):
            if row["cameo"] not in codes or row["type"] not in PLOVER_TYPES:
                raise DataFileError("unknown PLOVER type or CAMEO code", source=f"intents.csv:{line}")
            intents[row["type"]] = row["cameo"]
        flips: dict[tuple[str, str], str] = {}
        for line, row in _csv(root / "flips.csv"):
            if row["cameo"] not in codes:
                raise DataFileError(f"CAMEO code {row['cameo']!r} is not in cameo.csv", source=f"flips.csv:{line}")
            flips[(row["verb"], row["noun"])] = row["cameo"]
        refusals = _prefix_table(root, "refusals.csv", "refusal", codes, ("REJECT",))
        intent_codes = _prefix_table(root, "intent_codes.csv", "intent", codes, ("AGREE", "THREATEN"))
        governors = Governors.load(root / Governors.FILE)
        if getattr(codes.get(governors.demand_code), "type", None) != "REQUEST":
            raise DataFileError("[demand] code must be a REQUEST code of cameo.csv", source=Governors.FILE)
        # a noun is looked up by its last word ("air strike", "cease-fire"), or by its first
        # for "state of emergency"
        heads = {re.split(r"[ -]", k)[-1] for k in nouns} | {k.split(" of ")[0] for k in nouns if " of " in k}
        heads |= set(nouns)
        return cls(verbs, nouns, codes, intents, flips, refusals, governors, intent_codes, noun_rows,
                   frozenset(heads))

    def refusal(self, code: Code) -> Code | None:
        """The code of refusing the action ``code`` ("refused to release" → 1243), if the
        action is one that can be refused (cooperation, aid, yielding)."""
        return self._by_prefix(self.refusals, code)

    def intent(self, code: Code) -> Code | None:
        """The code of announcing the action ``code``: by its CAMEO code first ("will
        release" → 0353, "will shell" → 1384), else by its PLOVER type (``intents.csv``)."""
        found = self._by_prefix(self.intent_codes, code)
        if found is None and code.type in self.intents:
            found = self.codes[self.intents[code.type]]
        return found

    def _by_prefix(self, table: dict[str, str], code: Code) -> Code | None:
        for n in range(len(code.cameo), 1, -1):
            found = table.get(code.cameo[:n])
            if found is not None:
                return self.codes[found]
        return None


def _prefix_table(root, name: str, column: str, codes: dict[str, Code], types: tuple[str, ...]) -> dict[str, str]:
    """A CAMEO code prefix → CAMEO code table whose codes must be of ``types``."""
    table: dict[str, str] = {}
    for line, row in _csv(root / name):
        target = codes.get(row[column])
        if target is None or target.type not in types or not row["cameo_prefix"].isdigit():
            raise DataFileError(f"expected a CAMEO code prefix and a {'/'.join(types)} code of cameo.csv",
                                source=f"{name}:{line}")
        table[row["cameo_prefix"]] = row[column]
    return table


@dataclass(frozen=True, slots=True)
class Governors:
    """Words that govern an action in their complement (``data/governors.toml``): intent
    ("agreed to withdraw"), refusal ("refused to release", "will not lift") and deliberation
    ("is considering sending aid")."""

    intent: frozenset[str]
    refusal: frozenset[str]
    refusal_nouns: frozenset[str]
    refusal_auxiliaries: frozenset[str]
    deliberation: frozenset[str]
    deliberation_nouns: frozenset[str]
    request: frozenset[str]
    wish: frozenset[str]
    wish_nouns: frozenset[str]
    denial: frozenset[str]
    denial_nouns: frozenset[str]
    demand_speech: frozenset[str]
    demand_modals: frozenset[str]
    demand_code: str

    FILE = "governors.toml"

    @classmethod
    def load(cls, resource) -> Governors:
        try:
            data = tomllib.loads(resource.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise DataFileError(f"cannot read the governor words: {exc}", source=cls.FILE) from exc

        def words(section: str, key: str) -> frozenset[str]:
            value = data.get(section, {}).get(key)
            if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
                raise DataFileError(f"[{section}] {key} must be a non-empty list of words", source=cls.FILE)
            return frozenset(w.lower() for w in value)

        return cls(
            intent=words("intent", "words"),
            refusal=words("refusal", "words"),
            refusal_nouns=words("refusal", "nouns"),
            refusal_auxiliaries=words("refusal", "auxiliaries"),
            deliberation=words("deliberation", "words"),
            deliberation_nouns=words("deliberation", "nouns"),
            request=words("request", "words"),
            wish=words("wish", "words"),
            wish_nouns=words("wish", "nouns"),
            denial=words("denial", "words"),
            denial_nouns=words("denial", "nouns"),
            demand_speech=words("demand", "speech"),
            demand_modals=words("demand", "modals"),
            demand_code=str(data.get("demand", {}).get("code", "")),
        )

    def mood(self, anchor: Token) -> tuple[str, Token | None] | None:
        """How the action at ``anchor`` is governed: ``("intent" | "refusal" |
        "deliberation" | "request" | "wish", governing word)``, ``("refusal", None)`` for
        "will not <action>", or None when it is reported as it stands."""
        tok = anchor
        clause = anchor
        while clause.dep_ == "conj" and clause.head.i != clause.i:  # "must ensure security and provide …"
            clause = clause.head
        if clause.dep_ == "ccomp" and _is(clause.head, self.demand_speech) and any(
            c.dep_ == "aux" and c.lower_ in self.demand_modals for c in clause.children
        ):  # "the ministry said Armenia must withdraw": a demand
            return "demand", clause.head
        if anchor.dep_ == "advcl" and _is(anchor.head, self.refusal) and any(
            c.dep_ == "dobj" and c.lemma_.lower() in self.refusal_nouns for c in anchor.head.children
        ):  # "rejected appeals to release X", the infinitive misread as a clause of purpose
            return "refusal", anchor.head
        # (a clause hoped for or denied, "hopes that …", "denied charges that …", is found
        # whole by dropped_clauses)
        for _ in range(4):
            head = tok.head
            if head.i == tok.i or tok.dep_ not in _COMPLEMENT_LINKS:
                break
            lemma = head.lemma_.lower()
            if head.pos_ in ("VERB", "ADJ", "AUX"):
                if tok.dep_ in ("xcomp", "dobj", "pcomp", "pobj", "prep"):
                    for mood, group in (("intent", self.intent), ("refusal", self.refusal),
                                        ("deliberation", self.deliberation), ("request", self.request),
                                        ("wish", self.wish)):
                        if _is(head, group):
                            return mood, head
                if tok.dep_ in ("xcomp", "pcomp", "pobj", "prep"):
                    tok = head
                    continue
                break
            if head.pos_ == "NOUN":
                # "rejected appeals to release X", "the possibility of transferring"
                if lemma in self.refusal_nouns and _governing_verb(head, self.refusal):
                    return "refusal", _governing_verb(head, self.refusal)
                if lemma in self.deliberation_nouns and _governing_verb(head, self.deliberation):
                    return "deliberation", _governing_verb(head, self.deliberation)
                break
            if head.pos_ != "ADP":
                break
            tok = head
        negated = any(c.dep_ == "neg" for c in anchor.children)
        if negated and any(c.dep_ == "aux" and c.lower_ in self.refusal_auxiliaries for c in anchor.children):
            return "refusal", None
        return None


    def dropped_clauses(self, sent: Span) -> set[int]:
        """Roots of the clauses whose actions are no events: what is hoped for ("hopes that Y
        will …"), denied ("denied charges that he …") or considered ("is considering sending …"),
        found from the governing word whether or not the clause's own verb is a trigger."""
        roots: set[int] = set()
        for tok in sent:
            if tok.dep_ == "ccomp" and _is(tok.head, self.wish):
                roots.add(tok.i)
            elif (tok.dep_ in ("ccomp", "acl") or (tok.dep_ == "relcl" and _contact_clause(tok))) \
                    and tok.head.pos_ == "NOUN":
                noun = tok.head.lemma_.lower()
                if noun in self.wish_nouns or (noun in self.denial_nouns and _governing_verb(tok.head, self.denial)):
                    roots.add(tok.i)
            elif tok.dep_ in ("xcomp", "dobj") and tok.tag_ == "VBG" and _is(tok.head, self.deliberation):
                roots.add(tok.i)
        return roots


# how an action hangs on the word that may govern it: "refused [xcomp] to release",
# "appeals [acl] to release", "possibility [prep] of [pcomp] transferring"
_COMPLEMENT_LINKS = frozenset({"xcomp", "acl", "pcomp", "pobj", "prep", "dobj"})


_PEOPLE = frozenset({"soldier", "fighter", "troop", "civilian", "hostage", "prisoner", "militant", "rebel",
                     "officer", "journalist", "worker", "sailor", "crew", "tourist", "child", "people",
                     "man", "woman", "member", "commander", "leader", "activist", "protester", "citizen"})


def _people(tok: Token) -> bool:
    """Whether a noun phrase counts persons ("twenty soldiers"); names are left alone, as the
    parser often takes a town for a person."""
    return tok.lemma_.lower() in _PEOPLE


def _agrees_with_a_view(verb: Token) -> bool:
    """ "X agreed with the recommendation", "agrees with Y that …" (an opinion) rather than
    "agreed with Y on a ceasefire" or "agreed to withdraw" (an agreement)."""
    if verb.lemma_.lower() != "agree":
        return False
    withs = [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for o in c.children if o.dep_ == "pobj"]
    if not withs or any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ in ("on", "to", "over")) for c in verb.children):
        return False
    return any(c.dep_ == "ccomp" for c in verb.children) or all(o.pos_ not in ("PROPN",) and o.ent_type_ == "" for o in withs)


_ENVOYS = frozenset({"team", "teams", "expert", "experts", "official", "officials", "investigator", "investigators",
                     "operative", "operatives", "inspector", "inspectors", "delegation", "envoy", "envoys",
                     "specialist", "specialists", "mission"})


def _sends_people(verb: Token) -> bool:
    """ "sent a team of experts", "dispatched investigators": people sent on a mission."""
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        heads = [obj, *(o for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj")]
        if any(h.lower_ in _ENVOYS for h in heads):
            return True
    return False


_THREATS = frozenset({"threaten", "warn", "vow"})
_DEPLOYMENTS = frozenset({"154", "0312", "138", "074", "0334", "1382"})


def _peacekeeping(f: _Found) -> bool:
    """Whether a deployment is for peacekeeping: said of the troops or of where they go."""
    words = [*f.anchor.subtree, *(t for s in f.subjects for t in s.subtree)]
    return any(t.lower_.startswith("peacekeep") or (t.lower_ == "peace" and t.head.lemma_ in ("mission", "force"))
               for t in words)


def _asked_for(noun: Token, verbal: dict[int, _Found], request: frozenset[str]) -> bool:
    """Whether an event noun is what a request trigger asks for ("called for sanctions")."""
    prep = noun.head
    return (noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("for", "on")
            and prep.head.i in verbal and _is(prep.head, request))


def _contact_clause(verb: Token) -> bool:
    """ "charges he ran a hit squad": a clause read as relative that has a subject of its own."""
    return any(c.dep_ in _SUBJECTS and c.lower_ not in _RELATIVE for c in verb.children)


def _governing_verb(noun: Token, words: frozenset[str]) -> Token | None:
    """The verb of ``words`` whose object is ``noun`` (directly or through a preposition)."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if noun.dep_ in ("dobj", "pobj", "nsubjpass") and _is(head, words):
        return head
    return None


def _csv(resource) -> Iterator[tuple[int, dict[str, str]]]:
    with resources.as_file(resource) as path, open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield line, {k: (v or "").strip() for k, v in row.items()}


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


class _Mentions:
    """Actor mentions of one document, searchable by character range."""

    def __init__(self, mentions: Iterable[ActorRef]) -> None:
        self.items = sorted(mentions, key=lambda m: m.span)
        self.starts = [m.span[0] for m in self.items]
        # who the previous sentence was about: the antecedent of a pronoun subject that has
        # none in its own sentence ("Azerbaijan lost its patience. It struck …")
        self.topic: list[ActorRef] = []
        self.countries: tuple[str, ...] = ()

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


class EventCoder:
    """Pipeline stage: code the events of every sentence."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        certainty: CertaintyTagger | None = None,
        places: Places | None = None,
    ) -> None:
        self.lexicon = lexicon or Lexicon.load()
        self.certainty = certainty or CertaintyTagger()
        self.places = places

    def __call__(self, draft: Draft) -> Draft:
        mentions = _Mentions(draft.mentions)
        # the article's countries, most mentioned first: they decide between namesake towns
        counts = Counter(m.country for m in draft.mentions if m.country)
        mentions.countries = tuple(c for c, _ in counts.most_common())
        found: list[Event] = []
        for sentence in draft.sentences:
            sent = draft.doc.char_span(*sentence.span, alignment_mode="expand")
            if sent is None:
                continue
            found.extend(self._sentence(draft, sentence, sent, mentions))
            mentions.topic = _topic(sent, mentions, sentence.span) or mentions.topic
        return replace(draft, events=tuple(found))

    # -- triggers --------------------------------------------------------------------------

    def triggers(self, sent: Span, mentions: _Mentions) -> Iterator[_Found]:
        # verbs first: a light verb takes over its noun ("a mission … will be sent"), which
        # must then not make an event of its own, wherever it stands in the sentence
        consumed: set[int] = set()
        verbal, nouns = [], []
        for t in sent:  # one pass over the sentence's tokens
            verb = t.tag_.startswith("VB")
            if verb or t.pos_ in ("VERB", "AUX"):
                verbal.append(t)
            elif t.pos_ in ("NOUN", "PROPN"):
                nouns.append(t)
        found = [f for f in (self._verb(t, consumed) for t in verbal) if f is not None]
        found += self._demands(verbal, {f.anchor.i for f in found})
        for tok in nouns:
            if tok.i not in consumed:
                nominal = self._noun(tok, mentions)
                if nominal is not None:
                    found.append(nominal)
        yield from sorted(found, key=lambda f: f.trigger)

    def _demands(self, verbal: list[Token], taken: set[int]) -> list[_Found]:
        """ "The ministry said the government must ensure security": a demand even when what is
        demanded is no event verb of its own (the roles are set where demands are coded)."""
        governors = self.lexicon.governors
        code = self.lexicon.codes[governors.demand_code]
        return [
            _Found((v.i, v.i + 1), v, code, tuple(_own_subject(v)), (), False, False)
            for v in verbal
            if v.i not in taken and v.dep_ == "ccomp" and _is(v.head, governors.demand_speech)
            and any(c.dep_ == "aux" and c.lower_ in governors.demand_modals for c in v.children)
        ]

    def _verb(self, verb: Token, consumed: set[int]) -> _Found | None:
        lemma = self._lemma(verb)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        theme = [c for c in verb.children if c.dep_ in (("nsubjpass",) if passive else ("dobj", "oprd"))]
        if not theme and verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
            theme = [verb.head]  # "a statement sent to the media": what was sent
        if not theme and not passive:
            # "allowed UN agencies access": the parser reads the second object as a clause
            theme = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ == "NOUN"]
        particles = _particles(verb)
        entry = self._verb_entry(verb, lemma, theme, particles)
        trigger = (verb.i, verb.i + 1)
        anchor_noun = None
        flip = self._flip(verb, lemma, theme, particles)
        flipped = flip[0] if flip else None
        if flip is not None:
            # "lifted the sanctions" is the opposite of the sanctions; "denied the allegations"
            # no event at all
            entry = Trigger(flip[0], frozenset({"on", "against", "to", "from", "with"}))
            consumed.add(flip[1].i)
        if theme and lemma in LIGHT_VERBS and _quantity(theme[0]):
            # "paid $662 million in aid", "announced $33 million of assistance": the noun
            # after the amount carries the event
            theme = [o for c in (*theme[0].children, *verb.children) if c.dep_ == "prep" and c.lower_ in ("in", "of")
                     for o in c.children if o.dep_ == "pobj"][:1] or theme
        if lemma in _STATE_VERBS and not theme:
            theme = [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"
                     for o in c.children if o.dep_ == "pobj"][:1]
        if lemma in _PARTICIPATE and not theme:
            # "participated in a hunger strike", "engaged in talks"
            theme = [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"
                     for o in c.children if o.dep_ == "pobj"][:1]
        noun_entry = (
            self._noun_entry(theme[0])
            if flipped is None and theme and (lemma in LIGHT_VERBS or lemma in _STATE_VERBS or lemma in _PARTICIPATE)
            else None
        )
        if noun_entry is None and flipped is None and theme and lemma in LIGHT_VERBS:
            # "held civilians as human shields": the event is the "as" phrase, done to the object
            for noun in (o for c in (*verb.children, *theme[0].children) if c.dep_ == "prep" and c.lower_ == "as"
                         for o in c.children if o.dep_ == "pobj"):
                entry_as = self._noun_entry(noun)
                if entry_as is not None:
                    code_as = self.lexicon.codes[entry_as.cameo]
                    if code_as.type is not None:
                        consumed.add(noun.i)
                        entry = entry_as
                        trigger = (verb.i, noun.i + 1)
                        break
        if noun_entry is not None:
            anchor_noun = theme[0]
            entry = noun_entry
            # the noun and what it says the event is about are one event: "signed a
            # declaration on allied cooperation with Russia" is not also a cooperation
            consumed.update(t.i for t in anchor_noun.subtree if t.pos_ == "NOUN")
            lo, hi = sorted((verb.i, anchor_noun.i))
            trigger = (lo, hi + 1)
        if entry is None:
            return None
        code = self.lexicon.codes[entry.cameo]
        if code.type is None:
            return None
        # what is sent, deployed or given is the instrument, not who is acted upon
        instrument = flipped is not None and code.type in ("MOBILIZE", "AID")
        if passive:
            subjects = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            objects = [] if anchor_noun is not None or instrument else list(theme)
            if not subjects and code.cameo[:3] in ("166", "174"):
                # "inspectors were expelled from North Korea": expelled by North Korea
                subjects = _prep_objects(verb, frozenset({"from"}))
            if flip is not None and not subjects and theme:
                if instrument:  # "the ECOWAS peacekeepers were deployed": whose troops they are
                    subjects = list(theme)
                else:  # "UN sanctions against Iran were lifted": whose measure, against whom
                    subjects = [c for c in theme[0].lefts if c.dep_ in ("poss", "compound", "amod")]
                    objects = _prep_objects(theme[0], entry.preps | {"against"})
        else:
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
            objects = [] if anchor_noun is not None or instrument else list(theme)
            objects += [c for c in verb.children if c.dep_ == "dative"]
        if anchor_noun is not None:
            # "a mission led by the CSTO's Secretary General will be sent": the noun's own
            # agent or possessor acts when the verb has none
            subjects = subjects or _noun_agents(anchor_noun)
            objects += _prep_objects(anchor_noun, entry.preps)
        objects += _prep_objects(verb, entry.preps)
        if not subjects and not passive:
            subjects = _gerund_subject(verb) or _inherited_subject(verb)
        objects += _territories(verb)
        if code.type == "AID" and not objects:
            # "provided $1.7 billion in assistance to support Syrian refugees": whom the aid is for
            objects = [o for c in verb.children if c.dep_ in ("advcl", "xcomp")
                       and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                       for o in c.children if o.dep_ in ("dobj", "dative")]
        if not objects:
            # "threatened to break off relations with Congo": the complement names the target
            objects = _complement_objects(verb)
        if code.type in _SYMMETRIC and not objects:
            # "signed a declaration on cooperation with Russia": the partner may hang deeper
            objects = _partners(anchor_noun if anchor_noun is not None else verb)
        reciprocal = any(_phrase_text(o) in _RECIPROCAL for o in objects)
        return _Found(trigger, verb, code, tuple(subjects), tuple(objects), reciprocal, False)

    def _flip(self, verb: Token, lemma: str, theme: list[Token], particles: list[Token]) -> tuple[str, Token] | None:
        """The code of a verb and its object together ("lifted sanctions", "called off the
        strike", "ended mediation efforts", "withdrew from the agreement"), if the lexicon
        has one."""
        flips = self.lexicon.flips
        objects: list[tuple[str, Token]] = []
        if theme:
            objects += [(f"{lemma} {p.lower_}", theme[0]) for p in particles] + [(lemma, theme[0])]
        else:  # the object after a preposition: "withdrew from the agreement"
            objects += [(f"{lemma} {c.lower_}", o) for c in verb.children if c.dep_ == "prep"
                        for o in c.children if o.dep_ == "pobj"]
        # "flew 13 tonnes of medicine": what an amount counts
        objects += [(words, o) for words, q in list(objects) if _quantity(q)
                    for c in q.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
        for words, obj in objects:
            nouns = [obj.lemma_.lower(), obj.lower_]
            # "mediation efforts" are mediation; "the ceasefire agreement" is the ceasefire
            nouns += [m.lemma_.lower() for m in obj.lefts if m.dep_ in ("compound", "amod")]
            for noun in nouns:
                if (words, noun) in flips:
                    return flips[(words, noun)], obj
        return None

    def _lemma(self, verb: Token) -> str:
        """The verb's lemma, mended where the lemmatizer is wrong ("staged" → "stag")."""
        lemma = verb.lemma_.lower()
        if lemma in self.lexicon.verbs or lemma in LIGHT_VERBS:
            return lemma
        for form in _deinflect(verb.lower_):
            if form in self.lexicon.verbs or form in LIGHT_VERBS:
                return form
        return lemma

    def _verb_entry(self, verb: Token, lemma: str, theme: list[Token], particles: list[Token]) -> Trigger | None:
        # a phrasal verb first: "turned down" is not "turned"
        for particle in particles:
            rows = self.lexicon.verbs.get(f"{lemma} {particle.lower_}")
            if rows:
                return rows[0]
        for row in self.lexicon.verbs.get(lemma, ()):
            if row.requires == "prep" and not (
                _prep_objects(verb, row.preps) or any(_prep_objects(t, row.preps) for t in theme)
            ):  # the parser often hangs the phrase on the object: "shared evidence with India"
                continue
            if row.requires == "dobj" and not theme:
                continue
            return row
        return None

    def _noun_entry(self, noun: Token) -> Trigger | None:
        nouns = self.lexicon.nouns
        found = self._noun_words(noun)
        if found is None and noun.lower_ in _OF_HEADS:
            for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    found = found or self._noun_words(obj)
        if found is None and noun.lower_ in _GENERIC_HEADS:
            # "a mediation effort", "a bomb attack" are the event of their modifier
            for mod in noun.lefts:
                if mod.dep_ in ("compound", "amod"):
                    found = found or nouns.get(mod.lower_) or nouns.get(mod.lemma_.lower())
        return found

    def _noun_words(self, noun: Token) -> Trigger | None:
        """The lexicon entry of a noun, two-word entries first ("air strike"), a hyphenated
        word as a whole ("cease-fire" is no "fire")."""
        nouns = self.lexicon.nouns
        heads = self.lexicon.noun_heads
        doc = noun.doc
        hyphen = noun.i >= 2 and doc[noun.i - 1].text == "-"
        if not hyphen and noun.lower_ not in heads and noun.lemma_.lower() not in heads:
            return None  # no entry ends in this word, nor begins "<word> of …": most nouns
        if hyphen:
            first = doc[noun.i - 2].lower_
            for word in dict.fromkeys((noun.lower_, noun.lemma_.lower())):
                for joined in (f"{first}-{word}", f"{first}{word}", f"{first} {word}"):
                    if joined in nouns:
                        return nouns[joined]
            return None
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                # "a state of emergency", "a state of siege"
                whole = nouns.get(f"{noun.lower_} of {obj.lower_}") or nouns.get(f"{noun.lemma_.lower()} of {obj.lower_}")
                if whole is not None:
                    return whole
        found = None
        left = noun.doc[noun.i - 1] if noun.i > 0 else None
        if left is not None and left.dep_ in ("compound", "amod") and left.head.i == noun.i:
            # two-word event nouns first: "hunger strike", "air strike", "car bomb"
            found = nouns.get(f"{left.lower_} {noun.lower_}") or nouns.get(f"{left.lower_} {noun.lemma_.lower()}")
        for mod in noun.lefts:
            # and with words between: "joint military exercises"
            if found is None and mod.dep_ in ("compound", "amod") and (left is None or mod.i != left.i):
                found = nouns.get(f"{mod.lower_} {noun.lower_}") or nouns.get(f"{mod.lower_} {noun.lemma_.lower()}")
        return found or nouns.get(noun.lower_) or nouns.get(noun.lemma_.lower())

    def _noun(self, noun: Token, mentions: _Mentions) -> _Found | None:
        entry = self._noun_entry(noun)
        if entry is None:
            return None
        rows = self.lexicon.noun_rows.get(noun.lower_) or self.lexicon.noun_rows.get(noun.lemma_.lower()) or ()
        if len(rows) > 1 and entry in rows:
            # a noun with several rows: the first whose argument frame the phrase has ("a call
            # for calm" is an appeal, "a call with Putin" a phone call)
            entry = next((r for r in rows if r.requires != "prep" or _prep_objects(noun, r.preps)), entry)
        if mentions.covering(noun.idx, noun.idx + len(noun)) is not None:
            return None  # "Russian peacekeepers" is an actor, not an event
        code = self.lexicon.codes[entry.cameo]
        if code.type is None:
            return None
        subjects = _noun_agents(noun)
        objects = _prep_objects(noun, entry.preps)
        if entry.requires == "prep" and not objects:
            return None  # "laid down their arms" is no arms delivery
        symmetric = False
        if code.type in _SYMMETRIC and not subjects:
            # "talks between Armenia and Azerbaijan": the parties meet each other
            between = _prep_objects(noun, frozenset({"between"}))
            if between:
                subjects, objects, symmetric = between, [], True
        if not subjects and not objects:
            return None  # a bare "the war" names no one: background, not an event
        return _Found((noun.i, noun.i + 1), noun, code, tuple(subjects), tuple(objects), symmetric, True)

    # -- assembling events -----------------------------------------------------------------

    def _sentence(
        self, draft: Draft, sentence: Sentence, sent: Span, mentions: _Mentions
    ) -> Iterator[Event]:
        doc = draft.doc
        found = list(self.triggers(sent, mentions))
        anchors = {f.anchor.i for f in found if not f.nominal}
        recoded, merged, skip = self._governed(found, sent)
        for f in found:
            if f.trigger in skip:
                continue
            bounds = sentence.span
            # a governing verb that is an event itself ("refused", "agreed") takes the code of
            # the action it governs and, where it names none, that action's parties
            inner, kind = merged.get(f.anchor.i, (None, "")) if not f.nominal else (None, "")
            sources = _dedupe(a for t in f.subjects for a in _actors_of(t, mentions, bounds))
            targets = _dedupe(a for t in f.objects for a in _actors_of(t, mentions, bounds))
            if inner is not None:
                if kind != "request":  # who is asked to act is not who asks
                    sources = sources or _dedupe(a for t in inner.subjects for a in _actors_of(t, mentions, bounds))
                # the envoys sent are not whom their mission is aimed at: only where they went
                lent = [t for t in inner.objects if kind != "means" or t.dep_ == "pobj"]
                targets = targets or _dedupe(a for t in lent for a in _actors_of(t, mentions, bounds))
            override = recoded.get(inner.trigger if inner is not None else f.trigger)
            if override is not None and override[2] == "demand" and override[1] is not None:
                # "the ministry said Armenia must withdraw": the ministry demands, of Armenia
                speaker = _dedupe(a for t in _own_subject(override[1]) for a in _actors_of(t, mentions, bounds))
                sources, targets = speaker, (sources or targets)
            elif f.reciprocal:
                targets = sources
            else:
                targets = _not_own(targets, sources, (*f.objects, *(inner.objects if inner else ())))
            targets = [t for t in targets if t.key not in {s.key for s in sources}] or (
                targets if f.reciprocal else []
            )
            if not sources and not targets and not any(_named(t) for t in f.subjects + f.objects):
                continue  # no one takes part: description, not an event
            given = (bool(sources), bool(targets))  # before any role is filled
            background = _embedded(f, anchors)
            if (not sources or not targets) and override is None and not background:
                sources, targets = _fill_roles(f, sources, targets, mentions, bounds)
            trig_span = (doc[f.trigger[0]].idx, doc[f.trigger[1] - 1].idx + len(doc[f.trigger[1] - 1]))
            when = dates.event_date(
                draft.times, sentence.span, trig_span, draft.article.published, doc
            )
            certainty = self.certainty.of(f.anchor, sent)
            if override is None:
                code = self._as_intent(f.code, certainty)
            elif override[0] is None:
                code = f.code
                cue = override[1].text if override[1] is not None else "not"
                cues = certainty.cues if cue in certainty.cues else (*certainty.cues, cue)
                certainty = replace(certainty, label="negated", cues=cues)
            else:
                code, governor, kind = override
                if kind == "demand" and governor is not None:
                    certainty = self.certainty.of(governor, sent)  # the demand was made
                elif code.type == "REJECT" and inner is None:
                    # the refusal happened: as certain as the word that refuses; "will not
                    # lift the embargo" is announced
                    certainty = (self.certainty.of(governor, sent) if governor is not None
                                 else replace(certainty, label=self._refusal_label(f.anchor, certainty)))
            code = self._by_parties(code, f, sources)
            if code.cameo in _DEPLOYMENTS:
                # the troops sent are the sender's, not whom the deployment is aimed at
                own = {s.country for s in sources}
                targets = [t for t in targets if not (t.sector == "MIL" and (t.country is None or t.country in own))]
            where = (
                find_location(f.anchor, doc, self.places, countries=mentions.countries)
                if self.places is not None
                else None
            )
            if not targets and where is not None and where.country and where.span and code.quad_class in (2, 4):
                # "imposed a curfew in Algiers", "shelled positions near Rafah": with no one
                # named as acted upon, the place's country is, as CAMEO coders code it
                place = _place_actor(where, mentions)
                if place.key in {s.key for s in sources}:  # "protesters in Minsk" went on strike
                    place = _country_actor(where)
                targets = [place] if place.key not in {s.key for s in sources} else []
            pairs = _pairs(sources, targets, f.reciprocal or (f.code.type in _SYMMETRIC and len(sources) > 1 and not targets))
            for n, (src, tgt) in enumerate(pairs):
                part = f"{n}" if len(pairs) > 1 else ""
                yield Event(
                    id=Event.make_id(draft.article.id, sentence.index, trig_span, code.type or "", part),
                    sentence=sentence.index,
                    trigger=trig_span,
                    source=tuple(src),
                    target=tuple(tgt),
                    type=code.type or "",
                    mode=code.mode,
                    context=code.context,
                    cameo=code.cameo,
                    quad_class=code.quad_class,
                    goldstein=code.goldstein,
                    date=when,
                    location=where,
                    certainty=certainty,
                    # a role filled by position is no evidence that the event is right
                    confidence=_confidence(given[0], given[1], f.nominal, certainty, _depth(f.anchor),
                                           background),
                )


    def _governed(
        self, found: list[_Found], sent: Span
    ) -> tuple[dict[tuple[int, int], tuple[Code | None, Token | None, str]], dict[int, tuple[_Found, str]],
               set[tuple[int, int]]]:
        """Actions governed by another word (``data/governors.toml``): "agreed to withdraw" is
        an intent (AGREE), "refused to release" and "will not lift" refusals (REJECT), "is
        considering sending aid" no event at all (CAMEO 014, which PLOVER does not code).

        Returns the governed actions' new codes (None: refused, but with no refusal code:
        the action stands, negated) with the governing word, the governing triggers that take
        over the action they govern, and the triggers to drop."""
        governors = self.lexicon.governors
        if not found:
            return {}, {}, set()
        verbal = {f.anchor.i: f for f in found if not f.nominal}
        recoded: dict[tuple[int, int], tuple[Code | None, Token | None, str]] = {}
        merged: dict[int, tuple[_Found, str]] = {}
        skip: set[tuple[int, int]] = set()
        demanded: set[int] = set()  # speech verbs whose demand is coded already
        for f in found:
            if f.nominal and _asked_for(f.anchor, verbal, governors.request):
                skip.add(f.trigger)  # "called for sanctions against Turkey": no sanctions yet
                continue
            mood = None if f.nominal else governors.mood(f.anchor)
            if mood is None:
                continue
            kind, head = mood
            if kind in ("deliberation", "wish"):
                skip.add(f.trigger)
                continue
            if kind == "request":
                # "urged Israel to halt its offensive": one REQUEST, which names the party
                # asked where the verb itself names none
                outer = verbal.get(head.i) if head is not None else None
                if outer is not None and outer is not f:
                    skip.add(f.trigger)
                    merged.setdefault(head.i, (f, kind))
                continue
            if kind == "demand":
                if head is not None and head.i in demanded:
                    skip.add(f.trigger)  # "must ensure security and provide amenities": one demand
                    continue
                demanded.add(head.i if head is not None else -1)
                recoded[f.trigger] = (self.lexicon.codes[governors.demand_code], head, kind)
                continue
            if kind == "refusal":
                code = self.lexicon.refusal(f.code)
            elif f.code.type == "MOBILIZE" and head is not None and not _is(head, _THREATS):
                # "offered to send troops to help Uganda" offers military cooperation; only
                # "threatened to send troops" threatens
                code = self.lexicon.codes["0312"]
            else:
                code = self._intent(f.code)
            recoded[f.trigger] = (code, head, kind)
            if code is None:
                continue  # "refused to deploy troops": the refusal and the deployment not made
            outer = verbal.get(head.i) if head is not None else None
            if outer is not None and outer is not f and head.i not in merged and outer.trigger not in recoded:
                merged[head.i] = (f, kind)
                skip.add(f.trigger)
        # everything said inside a dropped clause goes with it: "considering sending aid to help
        # the victims", "denied charges he ran a hit squad that killed officials"
        roots = {f.anchor.i for f in found if f.trigger in skip and not f.nominal} | governors.dropped_clauses(sent)
        for f in found:
            if f.trigger not in skip and any(a.i in roots for a in (f.anchor, *f.anchor.ancestors)):
                skip.add(f.trigger)
        # "sent a team of experts to investigate the attacks": the mission is the event, the
        # sending its means (not a dropped clause: the mission stays)
        for f in found:
            if f.code.type != "AID" or f.nominal or not _sends_people(f.anchor):
                continue
            missions = [g for g in found if g is not f and not g.nominal and g.trigger not in skip
                        and g.anchor.head.i == f.anchor.i and g.anchor.dep_ in ("advcl", "xcomp")
                        and any(c.dep_ == "aux" and c.lower_ == "to" for c in g.anchor.children)]
            if missions:
                skip.add(f.trigger)
                for g in missions:  # the mission goes where the envoys were sent ("to Qatar")
                    merged.setdefault(g.anchor.i, (f, "means"))
        return recoded, merged, skip

    def _by_parties(self, code: Code, f: _Found, sources: list[ActorRef]) -> Code:
        """Codes that depend on what the arguments are: a call for sanctions or strikes is a
        demand (CAMEO 10), not an appeal (02); troops that arrive are deployed (154), not
        visiting (042)."""
        codes = self.lexicon.codes
        if code.cameo.startswith("02") and any(
            (entry := self._noun_entry(o)) is not None and codes[entry.cameo].quad_class in (3, 4)
            for o in f.objects if o.pos_ == "NOUN"
        ):
            return codes["100"]
        if code.cameo == "042" and sources and all(s.sector == "MIL" for s in sources):
            code = codes["154"]
        if code.type == "AGREE" and not f.nominal and _agrees_with_a_view(f.anchor):
            code = codes["019"]  # "agreed with the Senate that …": an opinion shared, no agreement
        if code.cameo == "192" and any(_people(o) for o in f.objects):
            code = codes["181"]  # "captured twenty soldiers" is an abduction, not an occupation
        if code.cameo.startswith("15") and _peacekeeping(f):
            # "sent troops to the UN peacekeeping force", "peacekeepers were deployed"
            return codes["074"]
        return code

    def _refusal_label(self, verb: Token, certainty: Certainty) -> str:
        """ "will not lift" (or, reported, "would not lift") announces a refusal (future);
        "cannot accept" states one."""
        future = self.certainty.cues.fut_modals | {"would"}
        if any(c.dep_ == "aux" and c.lower_ in future for c in verb.children):
            return "future"
        return "attributed" if certainty.attributed_to else "asserted"

    def _intent(self, code: Code) -> Code | None:
        return self.lexicon.intent(code)

    def _as_intent(self, code: Code, certainty: Certainty) -> Code:
        """An announced action is coded as the announcement, as CAMEO and PLOVER do: "the
        rebels said they will release the hostages" is AGREE (intent to yield), "would
        boycott all contact" is THREATEN. The certainty label keeps that it has not happened."""
        announced = certainty.label == "future" or (
            certainty.label == "hypothetical"
            and certainty.attributed_to is not None
            and any(c.lower() in ("will", "would", "'ll") for c in certainty.cues)
        )
        intent = self.lexicon.intent(code) if announced else None
        return intent or code


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


_NAMED = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"}


def _named(tok: Token) -> bool:
    """A participant the gazetteer does not know but the parser names ("Salah Sidhoum")."""
    return tok.ent_type_ in _NAMED or any(
        c.ent_type_ in _NAMED for c in tok.lefts if c.dep_ in ("compound", "amod", "poss")
    )


def _phrase_text(tok: Token) -> str:
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1].text.lower()


def _gerund_subject(verb: Token) -> list[Token]:
    """ "resulted in Baku reportedly attacking targets": the noun just before a subjectless
    gerund is its subject, whatever the parser attached it to."""
    if verb.tag_ != "VBG":
        return []
    i = verb.i - 1
    while i >= 0 and verb.doc[i].pos_ == "ADV":
        i -= 1
    prev = verb.doc[i] if i >= 0 else None
    if prev is not None and prev.pos_ in ("PROPN", "NOUN") and prev.dep_ in ("pobj", "dobj"):
        return [prev]
    return []


_TERRITORY = frozenset({"territory", "soil", "airspace", "waters", "border", "borders"})


def _territories(verb: Token) -> list[Token]:
    """ "attacked targets inside its neighbour's territory", "struck deep in Russian
    territory": whose territory an act reaches is acted upon."""
    found = []
    stack = [c for c in verb.children if c.dep_ in ("prep", "advmod")]
    while stack:
        node = stack.pop()
        if node.dep_ == "prep" and node.lower_ in ("in", "inside", "into", "within", "on", "onto", "across", "of"):
            found.extend(o for o in node.children if o.dep_ == "pobj" and o.lemma_.lower() in _TERRITORY)
        if node.dep_ == "advmod" or (node.dep_ == "prep" and node.lower_ == "of"):
            stack.extend(c for c in node.children if c.dep_ == "prep")
    return found


def _particles(verb: Token) -> list[Token]:
    """The particles of a phrasal verb: "called off", "pulled out (of)"."""
    found = []
    for c in verb.children:
        dep = c.dep_
        if dep == "prt" or (dep in ("prep", "advmod") and c.lower_ in _LOOSE_PARTICLES
                            and not any(g.dep_ == "pobj" for g in c.children)):
            found.append(c)
    return found


def _quantity(tok: Token) -> bool:
    """An amount standing for what it counts: "$662 million", "1,000 tonnes"."""
    return tok.pos_ == "NUM" or tok.like_num or tok.ent_type_ in ("MONEY", "QUANTITY", "CARDINAL")


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts]


def _np_range(tok: Token) -> tuple[int, int]:
    """Character range of a noun phrase without its clauses: "the government of Armenia"."""
    right = tok
    for child in tok.rights:
        # only "of" and "from": "the talks in Geneva with the Palestinians" must not pull in the
        # Palestinians; "protesters in Tbilisi" is already one actor mention
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            right = child.right_edge
        elif child.dep_ in ("appos", "compound", "flat", "nummod"):
            right = child.right_edge
    return tok.left_edge.idx, right.idx + len(right)


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


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    objs = []
    for child in tok.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            # "appealed to Russia and to the CSTO": the second "to" is a conjunct of the first
            for prep in (child, *(c for c in child.conjuncts if c.lower_ in preps)):
                # "on Wednesday" is a time, not a target
                objs.extend(
                    c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ not in ("DATE", "TIME")
                )
    return objs


_NOUN_PREPS = frozenset({"with", "against", "on", "to", "over", "for", "toward", "towards"})
_COMPLEMENT_PREPS = frozenset({"with", "against", "on", "to", "into", "from", "at"})


def _complement_objects(verb: Token) -> list[Token]:
    """Objects of the infinitive a verb governs ("refused to meet the envoy")."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            objs = [c for c in child.children if c.dep_ in ("dobj", "dative")]
            return objs + _prep_objects(child, _COMPLEMENT_PREPS)
    return []


def _partners(tok: Token) -> list[Token]:
    """Objects of "with" in the phrase of ``tok``, not crossing into another clause."""
    found = []
    stack = list(tok.children)
    while stack:
        node = stack.pop()
        if node.dep_ in ("relcl", "advcl", "ccomp", "conj", "nsubj", "nsubjpass"):
            continue
        if node.dep_ == "prep" and node.lower_ == "with":
            found.extend(c for c in node.children if c.dep_ == "pobj")
            continue
        stack.extend(node.children)
    return found


_CULPABLE = frozenset({"responsible", "guilty", "culpable", "accountable"})


def _noun_agents(noun: Token) -> list[Token]:
    """Who acts in a nominal event: "Washington's decision", "a mission led by the CSTO",
    "the LRA is responsible for the killings", "Hamas was behind the attack"."""
    agents = [c for c in noun.children if c.dep_ == "poss"]
    prep = noun.head if noun.dep_ == "pobj" else None
    if prep is not None and prep.dep_ == "prep":
        holder = prep.head
        if prep.lower_ in ("for", "of") and holder.lemma_.lower() in _CULPABLE and holder.dep_ == "acomp":
            agents.extend(_own_subject(holder.head))
        elif prep.lower_ == "behind" and holder.lemma_.lower() == "be":
            agents.extend(_own_subject(holder))
    for child in noun.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            agents.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "acl":  # "led by X", "mediated by X"
            for grand in child.children:
                if grand.dep_ == "agent":
                    agents.extend(c for c in grand.children if c.dep_ == "pobj")
        elif child.dep_ in ("compound", "amod") and child.pos_ == "PROPN":
            agents.append(child)  # "the Moscow-mediated ceasefire", "a Russian offensive"
    return agents


def _inherited_subject(verb: Token, depth: int = 0) -> list[Token]:
    """The subject an infinitive, conjunct or relative clause shares with its head."""
    if depth > 3 or verb.head is verb:
        return []
    head = verb.head
    if verb.dep_ == "relcl" and head.pos_ in ("NOUN", "PROPN"):
        return [head]
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        governor = head.head  # "accused X of firing": X fires
        objs = [c for c in governor.children if c.dep_ == "dobj"]
        if objs:
            return objs
        if governor.pos_ == "ADJ" and governor.dep_ == "acomp":
            return _own_subject(governor.head)  # "the army was guilty of violating the truce"
        return _own_subject(governor) or _inherited_subject(governor, depth + 1)
    # not through "ccomp": a reported clause has its own subject ("police said [three
    # civilians were killed]" does not make the police the killers)
    if verb.dep_ in ("xcomp", "conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        return _own_subject(head) or _inherited_subject(head, depth + 1)
    if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp":
        # "Honduras is willing to withdraw": the subject of "is"
        return _own_subject(head.head) or _inherited_subject(head.head, depth + 1)
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        return _noun_agents(head)
    return []


def _own_subject(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]


