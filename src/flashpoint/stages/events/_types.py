"""What the type model (:mod:`flashpoint.models.type_model`) reads of one trigger in context:
its lemma, the kind of its object and subject (their lemmas, entity labels and word vectors),
the word it hangs from, the preposition of its object, its participants' sectors — and the
candidate codes it may have (:func:`type_candidates`).

One verb serves several event types: "ordered the accused remain in custody" coerces where
"ordered a review" demands; "warned the transition could be a threat" criticises where "warned
of retaliation" threatens; "restrictions on flights to Cuba" sanction a country where
"restrictions on gatherings" coerce its own people. The lexicon gives each trigger one code;
the type model weighs that code against the other types by what the trigger's arguments are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from flashpoint.records import PLOVER_TYPES, ActorRef
from flashpoint.stages.events._roles import _Found

if TYPE_CHECKING:
    from flashpoint.stages.events._lexicon import Code, Lexicon

# the dependency labels read as they are (others: "other")
_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "pobj", "dobj",
                   "nsubj", "nsubjpass", "compound", "amod", "appos", "attr", "npadvmod", "parataxis"})


def type_features(f: _Found, sources: list[ActorRef], targets: list[ActorRef]) -> tuple[dict[str, float],
                                                                                        dict[str, tuple[float, ...]]]:
    """The trigger's context as indicator features, and the word vectors of its trigger, object
    and subject (``trig``, ``obj``, ``subj``; empty where there is none or no vector)."""
    anchor = f.anchor
    obj = _head_of(f.objects)
    subj = _head_of(f.subjects)
    feats: dict[str, float] = {
        f"lemma={anchor.lemma_.lower()}": 1.0,
        f"lex={f.code.type}": 1.0,
        f"root={f.code.cameo[:2]}": 1.0,
        f"dep={anchor.dep_ if anchor.dep_ in _DEPS else 'other'}": 1.0,
        f"head={anchor.head.lemma_.lower()}": 1.0,
        "nominal" if f.nominal else "verbal": 1.0,
        f"src={_sector(sources)}": 1.0,
        f"tgt={_sector(targets)}": 1.0,
    }
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in anchor.children):
        feats["passive"] = 1.0
    for name, tok in (("obj", obj), ("subj", subj)):
        if tok is None:
            feats[f"{name}=none"] = 1.0
            continue
        feats[f"{name}={tok.lemma_.lower()}"] = 1.0
        feats[f"{name}_kind={tok.ent_type_ or tok.pos_}"] = 1.0
    if obj is not None and obj.dep_ == "pobj":
        feats[f"prep={obj.head.lower_}"] = 1.0
    # a clause the trigger governs ("ordered the accused remain", "warned the delay could …")
    if any(c.dep_ in ("ccomp", "xcomp") for c in anchor.children):
        feats["clause"] = 1.0
    vectors = {name: _vector(tok) for name, tok in (("trig", anchor), ("obj", obj), ("subj", subj))}
    return feats, vectors


def type_candidates(f: _Found, lexicon: Lexicon, defaults: dict[str, str]) -> dict[str, Code]:
    """The code the trigger would have as each PLOVER type: the lexicon's own code for its
    type; for another type, a code the lexicon gives the same word (another row, a verb+object
    row) where there is one, else the type's usual code (``defaults``, from the model)."""
    codes = lexicon.codes
    found: dict[str, Code] = {}
    for cameo in _word_codes(f, lexicon):
        code = codes.get(cameo)
        if code is not None and code.type is not None:
            found.setdefault(code.type, code)
    for type_ in PLOVER_TYPES:
        cameo = defaults.get(type_)
        if type_ not in found and cameo in codes and codes[cameo].type == type_:
            found[type_] = codes[cameo]
    if f.code.type is not None:
        found[f.code.type] = f.code  # the lexicon's code stands for its own type
    return found


def _word_codes(f: _Found, lexicon: Lexicon) -> list[str]:
    """Every code the lexicon gives the trigger's word: its verb or noun rows and the
    verb+object rows of the verb, in the lexicon's order."""
    anchor = f.anchor
    words = {anchor.lemma_.lower(), anchor.lower_}
    out = []
    for word in words:
        out += [r.cameo for r in lexicon.verbs.get(word, ())]
        out += [r.cameo for r in lexicon.noun_rows.get(word, ())]
    index = _flip_codes(lexicon)
    for word in words:
        out += index.get(word, [])
    return out


_FLIPS: dict[int, dict[str, list[str]]] = {}


def _flip_codes(lexicon: Lexicon) -> dict[str, list[str]]:
    """The verb+object rows' codes by verb (its first word), built once per lexicon."""
    key = id(lexicon.flips)
    if key not in _FLIPS:
        index: dict[str, list[str]] = {}
        for (verb, _), cameo in lexicon.flips.items():
            index.setdefault(verb.split(" ")[0], []).append(cameo)
        _FLIPS[key] = index
    return _FLIPS[key]


def _head_of(tokens: tuple[Token, ...]) -> Token | None:
    return tokens[0] if tokens else None


def _sector(actors: list[ActorRef]) -> str:
    if not actors:
        return "none"
    first = actors[0]
    return first.sector or ("org" if first.org else "country" if first.country else "other")


def _vector(tok: Token | None) -> tuple[float, ...]:
    if tok is None or not tok.has_vector:
        return ()
    return tuple(float(x) for x in tok.vector)
