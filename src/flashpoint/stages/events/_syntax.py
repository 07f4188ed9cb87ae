"""Reading the dependency parse: word classes and the helpers that walk from a trigger to
its arguments (subjects, objects, partners, agents, particles).
"""

from __future__ import annotations

from spacy.tokens import Token

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
