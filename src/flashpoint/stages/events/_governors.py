"""Governed actions: words that govern an action in their complement (``governors.toml``),
and the tests that read a trigger's clause (people sent, views agreed with, peacekeeping).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from flashpoint.errors import DataFileError
from flashpoint.stages.events._syntax import _RELATIVE, _SUBJECTS, _own_subject
from flashpoint.stages.wordforms import is_one_of as _is

if TYPE_CHECKING:
    from flashpoint.stages.events._roles import _Found


def read_word_rules(resource, source: str, what: str) -> dict:
    """The TOML of a word-rules file (``governors.toml``, ``senses.toml``); a file that cannot
    be read or parsed is a :class:`DataFileError` naming ``source``."""
    try:
        return tomllib.loads(resource.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"cannot read the {what}: {exc}", source=source) from exc


def word_set(data: dict, section: str, key: str, source: str) -> frozenset[str]:
    """``[section] key`` of a word-rules file: a non-empty list of words, lower-cased."""
    value = data.get(section, {}).get(key)
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
        raise DataFileError(f"[{section}] {key} must be a non-empty list of words", source=source)
    return frozenset(w.lower() for w in value)


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
    command: frozenset[str]
    wish: frozenset[str]
    wish_nouns: frozenset[str]
    denial: frozenset[str]
    denial_nouns: frozenset[str]
    demand_speech: frozenset[str]
    demand_modals: frozenset[str]
    demand_semi_modals: frozenset[str]
    demand_code: str
    finding: frozenset[str]
    recommendation: frozenset[str]
    citation: frozenset[str]
    resolution_nouns: frozenset[str]
    # the CAMEO code of each kind of said content (``[finding] code`` …), and a court's finding
    said_codes: tuple[tuple[str, str], ...]
    court_finding_code: str

    FILE = "governors.toml"

    @classmethod
    def load(cls, resource) -> Governors:
        data = read_word_rules(resource, cls.FILE, "governor words")

        def words(section: str, key: str) -> frozenset[str]:
            return word_set(data, section, key, cls.FILE)

        return cls(
            intent=words("intent", "words"),
            refusal=words("refusal", "words"),
            refusal_nouns=words("refusal", "nouns"),
            refusal_auxiliaries=words("refusal", "auxiliaries"),
            deliberation=words("deliberation", "words"),
            deliberation_nouns=words("deliberation", "nouns"),
            request=words("request", "words"),
            command=words("command", "words"),
            wish=words("wish", "words"),
            wish_nouns=words("wish", "nouns"),
            denial=words("denial", "words"),
            denial_nouns=words("denial", "nouns"),
            demand_speech=words("demand", "speech"),
            demand_modals=words("demand", "modals"),
            demand_semi_modals=words("demand", "semi_modals"),
            demand_code=str(data.get("demand", {}).get("code", "")),
            finding=words("finding", "words"),
            recommendation=words("recommendation", "words"),
            citation=words("citation", "words"),
            resolution_nouns=words("resolution", "nouns"),
            said_codes=tuple((kind, str(data.get(kind, {}).get("code", "")))
                             for kind in ("finding", "recommendation", "citation", "resolution")),
            court_finding_code=str(data.get("finding", {}).get("court_code", "")),
        )

    def said(self, anchor: Token) -> tuple[str, Token] | None:
        """Whose finding, recommendation, citation or resolution the action at ``anchor`` is
        the content of: ``(kind, word)`` — the verb that finds ("concluded evidence supported
        his murder"), recommends ("recommended the troops withdraw") or cites ("cited the
        government's repression"), the speech verb of a demand made with a semi-modal ("said,
        'They need to stand by us'"), or the verb that votes a resolution ("voted on a
        resolution to expel"); None when the action is told as it stands."""
        clause = anchor
        while clause.dep_ == "conj" and clause.head.i != clause.i:  # "had lied and violated that deal"
            clause = clause.head
        noun = clause  # "cited Article 5 of the NATO treaty": what is cited, with its of-phrase
        while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head.head
        if noun.dep_ == "dobj" and _is(noun.head, self.citation):
            return "citation", noun.head
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
        modal = clause.head
        if clause.dep_ == "xcomp" and infinitive and modal.lemma_.lower() in self.demand_semi_modals and (
                modal.dep_ == "ccomp" and _is(modal.head, self.demand_speech)):
            return "demand", modal.head
        if clause.dep_ in ("acl", "relcl") and infinitive and clause.head.lemma_.lower() in self.resolution_nouns:
            voted = _verb_of(clause.head)
            return ("resolution", voted) if voted is not None else None
        tok, last = anchor, ""
        for _ in range(6):
            head = tok.head
            if head.i == tok.i or tok.dep_ not in _CONTENT_LINKS:
                return None
            said = tok.dep_ == "ccomp" or (tok.dep_ == "dobj" and last == "acl")  # "concluded evidence supported"
            if said and _is(head, self.finding):
                return "finding", head
            if (said or tok.dep_ in ("xcomp", "dobj")) and _is(head, self.recommendation):
                return "recommendation", head
            if tok.dep_ == "ccomp":
                return None  # the content of another saying
            tok, last = head, tok.dep_
        return None

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
        if any(c.dep_ == "aux" and c.lower_ in self.demand_modals for c in clause.children):
            # the same with the speech verb parsed below the clause said: "Court says
            # prorogation was unlawful — so Parliament must be recalled"
            said = next((c for c in clause.children if c.dep_ in ("ccomp", "parataxis")
                         and _is(c, self.demand_speech) and _own_subject(c)), None)
            if said is not None:
                return "demand", said
        if anchor.dep_ == "advcl" and _is(anchor.head, self.refusal) and any(
            c.dep_ == "dobj" and c.lemma_.lower() in self.refusal_nouns for c in anchor.head.children
        ):  # "rejected appeals to release X", the infinitive misread as a clause of purpose
            return "refusal", anchor.head
        if anchor.dep_ == "ccomp" and _is(anchor.head, self.command):
            return "command", anchor.head  # "ordered the accused remain in custody"
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
                                        ("command", self.command),
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


# how a content action hangs on the verb that finds or recommends it, link by link: "concluded
# [dobj] evidence [acl] supported his [dobj] murder", "determined Manafort had [ccomp] lied and
# [conj] violated", "concluded his murder [nsubjpass] was carried out"; a relative or adverbial
# clause on the way is background, not what was found
_CONTENT_LINKS = frozenset({"ccomp", "conj", "dobj", "pobj", "prep", "acl", "xcomp", "nsubj", "nsubjpass"})


def _verb_of(noun: Token) -> Token | None:
    """The verb a noun is the object or subject of, directly or through a preposition ("voted
    on a resolution", "passed a resolution")."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if noun.dep_ in ("dobj", "pobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        return head
    return None


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
    # observers and monitors stationed somewhere keep a peace too ("will station observers
    # in Armenia" is no show of force)
    return any(t.lower_.startswith(("peacekeep", "observer", "monitor"))
               or (t.lower_ == "peace" and t.head.lemma_ in ("mission", "force")) for t in words)


def _asked_for(noun: Token, verbal: dict[int, _Found], request: frozenset[str]) -> bool:
    """Whether an event noun is what a request trigger asks for ("called for sanctions")."""
    prep = noun.head
    return (noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("for", "on")
            and prep.head.i in verbal and _is(prep.head, request))


def _listed_in_demands(noun: Token, demand_nouns: frozenset[str]) -> bool:
    """Whether an event noun is what demands name: "Protesters' demands include investigation
    of alleged police violence, the release and dropping of charges against protesters" — what
    is asked for, no event yet (the nouns of a request, ``[refusal] nouns``)."""
    tok = noun
    for _ in range(6):  # up through the list and its of-phrases: "the release and dropping of charges"
        if tok.dep_ == "pobj" and tok.head.head.pos_ in ("VERB", "AUX"):
            break  # a verb's own prepositional object: not a member of the list
        if tok.dep_ not in ("conj", "pobj", "prep", "appos") or tok.head.i == tok.i:
            break
        tok = tok.head
    head = tok.head
    return tok.dep_ in ("dobj", "attr") and head.lemma_.lower() in _LISTING and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in demand_nouns for c in head.children)


# verbs by which demands name what they ask for: "the demands include …", "the demand is …"
_LISTING = frozenset({"include", "be", "involve"})


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
