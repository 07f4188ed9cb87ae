"""Finding triggers in a sentence: verbs (with their particles, objects and verb+object
codes), nouns (hyphenated, "X of Y", light-verb objects) and demands.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from flashpoint.stages.events._lexicon import Trigger
from flashpoint.stages.events._roles import _Found, _Mentions
from flashpoint.stages.events._senses import NONE
from flashpoint.stages.events._syntax import (
    _GENERIC_HEADS,
    _OF_HEADS,
    _PARTICIPATE,
    _RECIPROCAL,
    _STATE_VERBS,
    _SYMMETRIC,
    LIGHT_VERBS,
    _complement_objects,
    _gerund_subject,
    _inherited_subject,
    _noun_agents,
    _own_subject,
    _particles,
    _partners,
    _phrase_text,
    _prep_objects,
    _quantity,
    _territories,
)
from flashpoint.stages.wordforms import deinflect as _deinflect
from flashpoint.stages.wordforms import is_one_of as _is


class TriggerFinder:
    """Trigger finding, mixed into :class:`~flashpoint.stages.events.coder.EventCoder`."""

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
        patients: list[Token] = []
        if lemma in LIGHT_VERBS and flipped is None and not (theme and self._noun_entry(theme[0])):
            # "she was granted clemency": the object kept in the passive carries the event,
            # done to the passive subject; "granted Angela Stanton a full pardon", which the
            # parser may hang on the person as an apposition
            kept = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c not in theme]
            kept += [a for c in verb.children if c.dep_ in ("dobj", "dative") for a in _appositions(c)]
            noun = next((k for k in kept if self._noun_entry(k) is not None), None)
            if noun is not None:
                patients, theme = theme, [noun]  # the passive subject or first object receives
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
            entry = self._framed(anchor_noun, noun_entry)
            # the noun and what it says the event is about are one event: "signed a
            # declaration on allied cooperation with Russia" is not also a cooperation
            consumed.update(t.i for t in anchor_noun.subtree if t.pos_ == "NOUN")
            lo, hi = sorted((verb.i, anchor_noun.i))
            trigger = (lo, hi + 1)
        sense = False
        if flipped is None and anchor_noun is None and self.lexicon.senses is not None:
            # "called the deal 'lousy'" criticises, "attacked the investigation" in words,
            # "the court ruled": the arguments decide the sense (senses.toml)
            senses = self.lexicon.senses
            sensed = senses.of(verb, lemma, theme, entry.cameo if entry is not None else None)
            if sensed == NONE:
                return None
            if sensed is not None and sensed != (entry.cameo if entry is not None else None):
                entry = Trigger(sensed, entry.preps if entry is not None else frozenset())
                sense = True
            if sensed is not None and lemma in senses.naming:  # what is named is acted upon, not its name
                theme = [c for c in theme if c.dep_ == "dobj"]
                # and the name is no event of its own: "called it 'a serious violation'"
                consumed.update(t.i for t in senses.named(verb))
                # nor is what is characterised: "called the proposed Brexit deal 'lousy'" judges
                # the deal, it is no agreement made (the topic of the criticism or praise)
                consumed.update(t.i for c in theme for t in c.subtree if t.pos_ == "NOUN")
        if entry is None:
            return None
        code = self.lexicon.codes[entry.cameo]
        if code.type is None:
            return None
        # what is sent, deployed or given is the instrument, not who is acted upon
        instrument = flipped is not None and code.type in ("MOBILIZE", "AID")
        if passive:
            subjects = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            objects = patients if anchor_noun is not None or instrument else list(theme)
            if not subjects and code.cameo[:3] in ("166", "174"):
                # "inspectors were expelled from North Korea": expelled by North Korea
                subjects = _prep_objects(verb, frozenset({"from"}))
            if flip is not None and not subjects and theme and flip[1] is theme[0]:
                if instrument:  # "the ECOWAS peacekeepers were deployed": whose troops they are
                    subjects = list(theme)
                else:  # "UN sanctions against Iran were lifted": whose measure, against whom
                    subjects = [c for c in theme[0].lefts if c.dep_ in ("poss", "compound", "amod")]
                    objects = _prep_objects(theme[0], entry.preps | {"against"})
        else:
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
            objects = patients if anchor_noun is not None or instrument else list(theme)
            objects += [c for c in verb.children if c.dep_ == "dative" and c not in objects]
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
        return _Found(trigger, verb, code, tuple(subjects), tuple(objects), reciprocal, False, sense)

    def _flip(self, verb: Token, lemma: str, theme: list[Token], particles: list[Token]) -> tuple[str, Token] | None:
        """The code of a verb and its object together ("lifted sanctions", "called off the
        strike", "ended mediation efforts", "withdrew from the agreement"), if the lexicon
        has one."""
        flips = self.lexicon.flips
        objects: list[tuple[str, Token]] = []
        if theme:
            objects += [(f"{lemma} {p.lower_}", theme[0]) for p in particles] + [(lemma, theme[0])]
        # the object after a preposition: "withdrew from the agreement", also after an
        # object ("placed Mugabe under house arrest") and in the passive ("was challenged in
        # court") — tried after the object itself
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
        if verb.lower_ == f"{lemma}ed" and _short_closed(lemma) and f"{lemma}e" in self.lexicon.verbs:
            # "raped" → "rap": a short closed syllable doubles its consonant before -ed
            # ("rapped"), so an undoubled form comes from the word with a silent e
            return f"{lemma}e"
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
                or _prep_clause(verb, row.preps)
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

    def _framed(self, noun: Token, entry: Trigger) -> Trigger:
        """A noun with several rows: the first whose argument frame the phrase has ("a call
        for calm" is an appeal, "a call with Putin" a phone call, "filed an appeal" a legal
        one)."""
        rows = self.lexicon.noun_rows.get(noun.lower_) or self.lexicon.noun_rows.get(noun.lemma_.lower()) or ()
        if len(rows) > 1 and entry in rows:
            entry = next((r for r in rows if r.requires != "prep" or _prep_objects(noun, r.preps)), entry)
        return entry

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
        entry = self._framed(noun, entry)
        if mentions.covering(noun.idx, noun.idx + len(noun)) is not None:
            return None  # "Russian peacekeepers" is an actor, not an event
        code = self.lexicon.codes[entry.cameo]
        if code.type is None:
            return None
        senses = self.lexicon.senses
        if senses is not None and senses.hazard_noun(noun) and noun.dep_ != "dobj" and not (
                noun.dep_ == "pobj" and noun.head.lower_ == "under"):
            return None  # "a fire on a Florida highway killed five": a blaze; "opened fire" is shooting
        subjects = _noun_agents(noun) or [
            # "Turkish airstrikes", "a police raid": a modifier that names an actor acts
            c for c in noun.lefts if c.dep_ in ("compound", "amod") and c.pos_ in ("ADJ", "NOUN")
            and mentions.covering(c.idx, c.idx + len(c)) is not None]
        objects = _prep_objects(noun, entry.preps)
        if entry.requires == "prep" and not objects:
            return None  # "laid down their arms" is no arms delivery
        symmetric = False
        if not subjects:
            # "talks between Armenia and Azerbaijan": the parties meet each other; "fighting
            # between Armenia and Azerbaijan": each fights the other (the lexicon lists
            # "between" only for nouns of a mutual happening). One party alone stays a target.
            between = _prep_objects(noun, frozenset({"between"}))
            parties = sum(1 + len(b.conjuncts) for b in between)
            if parties > 1 or (between and code.type in _SYMMETRIC):
                subjects, objects, symmetric = between, [], True
        if not subjects and not objects and code.type == "CONSULT":
            # "in a phone call in late July, Trump encouraged Zelensky": a meeting in which a
            # clause happens has that clause's parties
            clause = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ in _DURING else None
            if clause is not None and clause.pos_ in ("VERB", "AUX"):
                subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
                objects = [c for c in clause.children if c.dep_ in ("dobj", "dative")]
        if not subjects and not objects and not (code.type == "PROTEST" and _new_mention(noun)):
            # a bare "the war" names no one: background, not an event; but "protests broke
            # out", "the bill sparked protests": crowds protest without being named
            return None
        return _Found((noun.i, noun.i + 1), noun, code, tuple(subjects), tuple(objects), symmetric, True)

    # -- assembling events -----------------------------------------------------------------


def _new_mention(noun: Token) -> bool:
    """A noun phrase that introduces something ("protests", "a protest"), not one that refers
    back to it ("the protests", "these protests")."""
    if noun.pos_ != "NOUN" or noun.ent_type_:  # "in March" is a month
        return False
    return not any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "some", "new", "more")
                   for c in noun.children)


def _short_closed(word: str) -> bool:
    """A one-syllable word ending in one vowel and one consonant ("rap", "stag", "plan")."""
    vowels = "aeiou"
    return (len(word) >= 3 and word[-1] not in vowels + "wxy" and word[-2] in vowels and word[-3] not in vowels
            and sum(ch in vowels for ch in word) == 1)


def _appositions(noun: Token) -> list[Token]:
    """The appositions of a noun and theirs in turn: "granted Safavian, formerly the chief of
    staff, a full pardon", where the parser hangs the pardon on the chief."""
    found = [c for c in noun.children if c.dep_ == "appos"]
    for c in list(found):
        found += _appositions(c)
    return found


# prepositions of a meeting in which something happens
_DURING = frozenset({"in", "during", "at", "on"})


def _prep_clause(verb: Token, preps: frozenset[str]) -> bool:
    """Whether a preposition of ``preps`` introduces a clause: "charged with making false
    statements" (a gerund, which the parser hangs as ``pcomp``, not ``pobj``)."""
    return any(c.dep_ == "prep" and c.lower_ in preps and any(g.dep_ == "pcomp" for g in c.children)
               for c in verb.children)
