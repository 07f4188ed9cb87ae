"""Choosing an event's target when the parse names none: the candidates and what the role
model (:mod:`flashpoint.models.role_model`) reads of each.

The parse gives no target for many real events of whole articles: the object is a pronoun
("accusing her"), a noun no dictionary knows in a domestic story ("threatened the network",
"urged states"), or an actor named elsewhere in the clause. The candidates are

* every actor mention of the sentence (not the source's own),
* for a pronoun object, the actor it most likely refers back to (the nearest one named
  before it that is not the source),
* for an object that names no known actor, the source's own country (in a story about one
  country its parties are that country's, as an event coder codes them),

and the role model scores each: the best one above the model's threshold becomes the target.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Token

from flashpoint.records import ActorRef
from flashpoint.stages.events._roles import _PLACE_PREPS, _clause_of, _Found, _Mentions
from flashpoint.stages.events._syntax import _np_range

# what the model reads of a candidate's dependency label and preposition (others: "other")
_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss", "compound", "appos", "conj", "dative",
                   "attr", "amod", "npadvmod"})
_PREPS = frozenset({"against", "on", "to", "with", "by", "of", "from", "for", "over", "at", "into", "in"})
# object pronouns that stand for an actor named before
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "it", "his", "its", "their"})
# the links by which a trigger names whom it acts on
_OBJECT_DEPS = frozenset({"dobj", "dative", "nsubjpass"})
_TARGET_PREPS = frozenset({"against", "on", "to", "with", "at", "of", "over", "toward", "towards", "into"})
# reporting verbs: their subject is the speaker, rarely whom an event is aimed at
_REPORTING = frozenset({"say", "tell", "state", "announce", "report", "claim", "add", "note", "write",
                        "declare", "insist", "warn", "explain", "confirm"})
# how far back (characters) an object pronoun's referent is looked for
_LOOK_BACK = 400


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible target: the mention it would be, and the model's features of it."""

    ref: ActorRef | None  # None: keep the first-cut target (:func:`keep_features`)
    features: dict[str, float]


def target_candidates(f: _Found, sources: list[ActorRef], filled: list[ActorRef], mentions: _Mentions,
                      bounds: tuple[int, int], type_: str, quad: int, context: dict[str, float]
                      ) -> list[Candidate]:
    """Every candidate target of an event the parse gave none (module docstring); ``context``:
    features of the event itself (:func:`event_context`), shared by all its candidates."""
    doc = f.anchor.doc
    anchor = f.anchor
    t_start, t_end = doc[f.trigger[0]].idx, doc[f.trigger[1] - 1].idx + len(doc[f.trigger[1] - 1])
    own_spans = {s.span for s in sources}
    own_keys = {s.key for s in sources}
    own_countries = {s.country for s in sources if s.country}
    filled_spans = {t.span for t in filled}
    common = dict(context)
    found: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    in_sentence = [m for m in mentions.within(*bounds)
                   if m.span not in own_spans and (m.country or m.org)
                   and not (m.span[0] < t_end and t_start < m.span[1])]
    after = [m for m in in_sentence if m.span[0] >= t_end]
    before = [m for m in in_sentence if m.span[1] <= t_start]
    for m in in_sentence:
        span = doc.char_span(*m.span, alignment_mode="expand")
        if span is None:
            continue
        root = span[-1] if span.root.dep_ == "det" and len(span) > 1 else span.root
        side = "after" if m.span[0] >= t_end else "before"
        feats = {
            **common,
            "via=mention": 1.0,
            f"side={side}": 1.0,
            f"side={side}|quad={quad}": 1.0,
            f"dist={_bucket(abs(root.i - anchor.i))}": 1.0,
            f"dep={root.dep_ if root.dep_ in _DEPS else 'other'}": 1.0,
            f"link={_link(root, anchor)}": 1.0,
            f"kind={_kind(m)}": 1.0,
            "same_clause": float(_clause_of(root) == _clause_of(anchor)),
            "same_country": float(bool(m.country) and m.country in own_countries),
            "same_key": float(m.key in own_keys),
            "filled": float(m.span in filled_spans),
            "speaker": float(root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in _REPORTING),
            "place": float(root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS),
            "nearest": float(m is (after[0] if after else None) or m is (before[-1] if before else None)),
        }
        if root.dep_ == "pobj":
            feats[f"prep={root.head.lower_ if root.head.lower_ in _PREPS else 'other'}"] = 1.0
        if f.nominal:
            feats[f"nominal|link={_link(root, anchor)}"] = 1.0
        found.append(Candidate(m, feats))
        seen.add(m.span)
    for obj in _objects(f):
        if obj.lower_ in _OBJECT_PRONOUNS:
            referent = _referent(obj, mentions, bounds, own_spans, own_keys)
            if referent is not None:
                span = (obj.idx, obj.idx + len(obj))
                feats = {**common, "via=pronoun": 1.0, f"obj_dep={_dep(obj)}": 1.0,
                         f"kind={_kind(referent)}": 1.0,
                         "earlier_sentence": float(referent.span[0] < bounds[0]),
                         "same_country": float(bool(referent.country) and referent.country in own_countries)}
                found.append(Candidate(replace(referent, span=span), feats))
            continue
        lo, hi = _np_range(obj)
        if obj.pos_ not in ("NOUN", "PROPN") or mentions.within(lo, hi) or any(s[0] < hi and lo < s[1] for s in seen):
            continue
        country = next((s.country for s in sources if s.country), None)
        if country is None:
            continue
        feats = {**common, "via=implicit": 1.0, f"obj_dep={_dep(obj)}": 1.0,
                 f"obj_ent={obj.ent_type_ or 'none'}": 1.0, f"obj_pos={obj.pos_}": 1.0,
                 f"implicit|type={type_}": 1.0, "plural": float(obj.tag_ in ("NNS", "NNPS"))}
        ref = ActorRef(span=(lo, hi), key=country, country=country, code=country,
                       name=mentions.country_names.get(country, country))
        found.append(Candidate(ref, feats))
    return found


def _objects(f: _Found) -> list[Token]:
    """The words through which the trigger names whom it acts on."""
    anchor = f.anchor
    found = [c for c in anchor.children if c.dep_ in _OBJECT_DEPS]
    for prep in (c for c in anchor.children if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS):
        found.extend(c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ not in ("DATE", "TIME"))
    if f.nominal:
        found.extend(c for c in anchor.children if c.dep_ == "poss" and c.lower_ in _OBJECT_PRONOUNS)
    return found


def _referent(pron: Token, mentions: _Mentions, bounds: tuple[int, int], own_spans: set[tuple[int, int]],
              own_keys: set[str]) -> ActorRef | None:
    """The actor an object pronoun refers back to: the nearest named before it, in its sentence
    or shortly before, that is not the event's source ("Trump lashed out at the mayor,
    accusing her")."""
    before = mentions.within(max(0, min(bounds[0], pron.idx - _LOOK_BACK)), pron.idx)
    for m in reversed(before):
        if m.span in own_spans or m.key in own_keys or not (m.country or m.org):
            continue
        return m
    return None


def _link(root: Token, anchor: Token) -> str:
    """How a candidate hangs on the trigger: its argument, through a preposition, inside its
    phrase, above it, or elsewhere."""
    if root.head.i == anchor.i and root.i != anchor.i:
        return "arg"
    if root.head.dep_ in ("prep", "agent") and root.head.head.i == anchor.i:
        return "prep"
    if anchor.i in {a.i for a in root.ancestors}:
        return "below"
    if root.i in {a.i for a in anchor.ancestors}:
        return "above"
    return "apart"


def _kind(m: ActorRef) -> str:
    if ":" in m.key:
        return "named"  # a person or organisation coded by the article's country
    if m.org:
        return "org"
    if m.sector:
        return f"sector_{m.sector}"
    return "country"


def _dep(tok: Token) -> str:
    return tok.dep_ if tok.dep_ in _DEPS else "other"


def _bucket(n: int) -> str:
    for edge in (1, 2, 4, 8, 16):
        if n <= edge:
            return str(edge)
    return "far"


def event_context(f: _Found, sources: list[ActorRef], type_: str, quad: int, background: bool,
                  governed: bool) -> dict[str, float]:
    """What every candidate of one event shares: its type, its kind of trigger and clause."""
    return {f"type={type_}": 1.0, f"quad={quad}": 1.0, "nominal": float(f.nominal),
            "no_source": float(not sources), "background": float(background), "governed": float(governed)}


def keep_features(candidates: list[Candidate], filled: list[ActorRef], context: dict[str, float]) -> dict[str, float]:
    """The features of the choice to keep the first-cut target (the clause's nearest actor,
    the place's country, or none): scored as one more candidate."""
    vias = {k for c in candidates for k in c.features if k.startswith("via=")}
    feats = {"keep": 1.0, f"keep|first_cut={'some' if filled else 'none'}": 1.0,
             f"keep|candidates={_bucket(len(candidates))}": 1.0}
    feats.update({f"keep|{k}": v for k, v in context.items() if v})
    feats.update({f"keep|has_{v[4:]}": 1.0 for v in vias})
    return feats
