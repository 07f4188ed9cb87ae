"""Choosing an event's source and target when the parse names none: the candidates and what
the role model (:mod:`flashpoint.models.role_model`) reads of each.

The parse gives no role for many real events of whole articles: the object is a pronoun
("accusing her"), the actor is named elsewhere in the clause, by a sector alone ("police
arrested …") or by a name no dictionary knows ("Katigbak apologized"). The candidates are

* every actor of the sentence but the other role's (an actor does not act on itself): its
  actor mentions; mentions by a sector alone and people or organisations the parser names,
  both coded by the article's most mentioned country; for a target, not whoever reports the
  event ("…, a Z spokesman said", "according to Z");
* for a target, a pronoun object's referent (the nearest actor named before it that is not
  the source);
* for a target, the article's two most mentioned countries that no other candidate is of (a
  domestic story's events act on its country: "he accused the network of swindling");
* keeping the first cut (the clause's nearest actor, the place's country, or none).

(An object no dictionary knows standing for the source's country — "threatened the network"
in a story about one country — was tried as a candidate too: on held-out folds it added no
event right at country level and cost full codes, as most such objects are no actor at all:
"outlawing abortion", "a withdrawal from the region".)

The role model scores each (one logistic regression; each role's features carry its name):
the best one wins, with the candidates coordinated with it, if it reaches the model's
threshold; else the first cut stands.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from flashpoint.records import ActorRef
from flashpoint.stages.events._roles import _PLACE_PREPS, _clause_of, _Found, _Mentions

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
# how many of the article's most mentioned countries are target candidates of a sentence not
# naming them (on held-out folds three added only wrong fills; one: more right at country level,
# fewer with the full code, within noise)
_ARTICLE_TOP = 2


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible target: the mention it would be, and the model's features of it."""

    ref: ActorRef | None  # None: keep the first cut (:func:`keep_candidate`)
    features: dict[str, float]


def target_candidates(f: _Found, sources: list[ActorRef], filled: list[ActorRef], mentions: _Mentions,
                      bounds: tuple[int, int], context: dict[str, float]) -> list[Candidate]:
    """Every candidate target of an event the parse gave none (module docstring); ``context``:
    features of the event itself (:func:`shared_features`), shared by all its candidates."""
    # who reports an event is not whom it is aimed at: "…, Armenian media reported"
    found = [c for c in _actor_candidates(f, sources, filled, mentions, bounds, context) if not c.features.get("speaker")]
    own_spans = {s.span for s in sources}
    own_keys = {s.key for s in sources}
    own_countries = {s.country for s in sources if s.country}
    for obj in _objects(f):
        if obj.lower_ not in _OBJECT_PRONOUNS:
            continue
        referent = _referent(obj, mentions, bounds, own_spans, own_keys)
        if referent is not None:
            span = (obj.idx, obj.idx + len(obj))
            feats = {**context, "via=pronoun": 1.0, f"obj_dep={_dep(obj)}": 1.0,
                     f"kind={_kind(referent)}": 1.0,
                     "earlier_sentence": float(referent.span[0] < bounds[0]),
                     "same_country": float(bool(referent.country) and referent.country in own_countries)}
            found.append(Candidate(replace(referent, span=span), feats))
    found.extend(_article_candidates(found, own_countries, mentions, bounds, context))
    return [_prefixed(c, "target") for c in found]


def source_candidates(f: _Found, targets: list[ActorRef], filled: list[ActorRef], mentions: _Mentions,
                      bounds: tuple[int, int], context: dict[str, float]) -> list[Candidate]:
    """Every candidate source of an event the parse gave none: the sentence's actors (a
    speaker, an agent of a passive, an actor named before the trigger …)."""
    return [_prefixed(c, "source") for c in _actor_candidates(f, targets, filled, mentions, bounds, context)]


def _prefixed(c: Candidate, role: str) -> Candidate:
    """A candidate's features named for its role: one model scores both roles, each with its
    own weights."""
    return Candidate(c.ref, {f"{role}|{k}": v for k, v in c.features.items()})


def _actor_candidates(f: _Found, other: list[ActorRef], filled: list[ActorRef], mentions: _Mentions,
                      bounds: tuple[int, int], context: dict[str, float]) -> list[Candidate]:
    """The actors of the sentence as candidates for one role (``other``: the actors of the
    other role, left out): resolved mentions; mentions by a sector alone ("police", "the
    authorities") and people or organisations the parser names but no dictionary knows
    ("Katigbak"), both coded by the article's most mentioned country."""
    doc = f.anchor.doc
    anchor = f.anchor
    t_start, t_end = doc[f.trigger[0]].idx, doc[f.trigger[1] - 1].idx + len(doc[f.trigger[1] - 1])
    other_spans = {s.span for s in other}
    other_keys = {s.key for s in other}
    other_countries = {s.country for s in other if s.country}
    filled_spans = {t.span for t in filled}
    top = mentions.countries[0] if mentions.countries else None
    refs: list[tuple[ActorRef, str]] = []
    for m in mentions.within(*bounds):
        # an actor does not act on itself: the other role's actor is no candidate, under any name
        if m.span in other_spans or m.key in other_keys or (m.span[0] < t_end and t_start < m.span[1]):
            continue
        if m.country or m.org:
            refs.append((m, "mention"))
        elif m.sector and top is not None:
            code = top + m.sector
            refs.append((replace(m, key=code, country=top, code=code), "bare"))
    sent = doc.char_span(*bounds, alignment_mode="expand")
    if top is not None and sent is not None:
        for ent in sent.ents:
            lo, hi = ent.start_char, ent.end_char
            if (ent.label_ in ("PERSON", "ORG") and not mentions.within(lo - 1, hi + 1)
                    and mentions.covering(lo, hi) is None and not (lo < t_end and t_start < hi)):
                refs.append((_country_ref((lo, hi), top, mentions), f"entity_{ent.label_}"))
    refs.sort(key=lambda r: r[0].span)
    after = [m for m, _ in refs if m.span[0] >= t_end]
    before = [m for m, _ in refs if m.span[1] <= t_start]
    nearest = {id(after[0]) if after else None, id(before[-1]) if before else None}
    found: list[Candidate] = []
    quad = next((k for k in context if k.startswith("quad=")), "quad=0")
    for m, via in refs:
        span = doc.char_span(*m.span, alignment_mode="expand")
        if span is None:
            continue
        root = span[-1] if span.root.dep_ == "det" and len(span) > 1 else span.root
        side = "after" if m.span[0] >= t_end else "before"
        link = _link(root, anchor)
        feats = {
            **context,
            f"via={via}": 1.0,
            f"side={side}": 1.0,
            f"side={side}|{quad}": 1.0,
            f"dist={_bucket(abs(root.i - anchor.i))}": 1.0,
            f"dep={_dep(root)}": 1.0,
            f"link={link}": 1.0,
            f"kind={_kind(m)}": 1.0,
            "same_clause": float(_clause_of(root) == _clause_of(anchor)),
            "same_country": float(bool(m.country) and m.country in other_countries),
            "filled": float(m.span in filled_spans),
            "speaker": float(_speaker(root)),
            "place": float(root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS),
            "nearest": float(id(m) in nearest),
            "dominant": float(mentions.dominant),
        }
        if root.dep_ == "pobj":
            feats[f"prep={root.head.lower_ if root.head.lower_ in _PREPS else 'other'}"] = 1.0
        if f.nominal:
            feats[f"nominal|link={link}"] = 1.0
        found.append(Candidate(m, feats))
    return found


def _article_candidates(others: list[Candidate], other_countries: set[str], mentions: _Mentions,
                        bounds: tuple[int, int], context: dict[str, float]) -> list[Candidate]:
    """The article's most mentioned countries that none of ``others`` (the sentence's
    candidates) is of: whom a domestic story's events act on when the sentence names no actor
    ("accused the network of swindling", in a story about the Philippines); each is its last
    mention before the sentence, span and code."""
    named = {c.ref.country for c in others if c.ref is not None and c.ref.country}
    found: list[Candidate] = []
    for rank, country in enumerate(mentions.countries[:_ARTICLE_TOP], 1):
        if country in named:
            continue
        earlier = [m for m in mentions.within(0, bounds[0]) if m.country == country]
        if not earlier:
            continue
        feats = {**context, "via=article": 1.0, f"article_rank={rank}": 1.0, "side=before": 1.0,
                 "same_country": float(country in other_countries), "dominant": float(mentions.dominant),
                 f"article_rank={rank}|dominant={int(mentions.dominant)}": 1.0}
        found.append(Candidate(earlier[-1], feats))
    return found


def _speaker(root: Token) -> bool:
    """Whether a mention reports rather than acts: the subject of a reporting verb ("officials
    said"), or the object of "according to"."""
    if root.dep_ in ("nsubj", "nsubjpass"):
        return root.head.lemma_.lower() in _REPORTING
    return root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according"


def _country_ref(span: tuple[int, int], country: str, mentions: _Mentions) -> ActorRef:
    return ActorRef(span=span, key=country, country=country, code=country,
                    name=mentions.country_names.get(country, country))


def with_conjuncts(best: Candidate, candidates: list[Candidate], doc: Doc,
                   other: frozenset[str] = frozenset()) -> list[ActorRef]:
    """The chosen actor with the candidates coordinated with it: "talks hosted by Putin with
    Aliyev and Pashinyan" acts on both, not on the first alone — but none of ``other``'s
    countries (the other role's): a coordinated sector noun takes the text's most named country,
    often the other role's own ("Chile condemned Bolivia and its leaders" is not aimed at
    Chile's leaders), and an actor does not act on itself."""
    assert best.ref is not None
    span = doc.char_span(*best.ref.span, alignment_mode="expand")
    if span is None:
        return [best.ref]
    tied = {t.idx for t in span.root.conjuncts} | {span.root.head.idx for _ in (0,) if span.root.dep_ == "conj"}
    found = [best.ref]
    for c in candidates:
        if c.ref is not None and c is not best and c.ref.key != best.ref.key and c.ref.country not in other and any(
                c.ref.span[0] <= i < c.ref.span[1] for i in tied):
            found.append(c.ref)
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


def shared_features(f: _Found, other: list[ActorRef], type_: str, quad: int, background: bool,
                  governed: bool) -> dict[str, float]:
    """What every candidate of one event shares: its type, its kind of trigger and clause,
    whether the other role is filled."""
    return {f"quad={quad}": 1.0, "nominal": float(f.nominal),
            "no_other": float(not other), "background": float(background), "governed": float(governed)}


def keep_candidate(role: str, candidates: list[Candidate], filled: list[ActorRef],
                   context: dict[str, float], type_: str = "") -> Candidate:
    """The choice to keep the first cut (the clause's nearest actor, the place's country, or
    none), scored as one more candidate; it has no actor of its own. ``type_``: the event's
    PLOVER type."""
    vias = {k.split("|", 1)[1] for c in candidates for k in c.features if k.split("|", 1)[1].startswith("via=")}
    feats = {"keep": 1.0, f"keep|first_cut={'some' if filled else 'none'}": 1.0,
             f"keep|candidates={_bucket(len(candidates))}": 1.0}
    feats.update({f"keep|{k}": v for k, v in context.items() if v})
    feats.update({f"keep|has_{v[4:]}": 1.0 for v in vias})
    if type_:  # some types rarely name whom they act on (a protest, a deployment)
        feats[f"keep|type={type_}"] = 1.0
    return _prefixed(Candidate(None, feats), role)
