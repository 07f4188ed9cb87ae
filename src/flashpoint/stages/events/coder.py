"""The events stage: code the events of every sentence (triggers, governed actions, roles,
certainty, place) — :class:`EventCoder`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from flashpoint.models.event_model import EventContext, EventModel, article_features
from flashpoint.models.role_model import RoleModel
from flashpoint.models.type_model import TypeModel
from flashpoint.records import (
    ActorRef,
    Certainty,
    Event,
    Sentence,
)
from flashpoint.stages.certainty import CertaintyTagger, continued_quotes
from flashpoint.stages.events._chains import dropped, one_action
from flashpoint.stages.events._context import event_context
from flashpoint.stages.events._governors import (
    _DEPLOYMENTS,
    _THREATS,
    _agrees_with_a_view,
    _asked_for,
    _listed_in_demands,
    _peacekeeping,
    _people,
    _sends_people,
)
from flashpoint.stages.events._lexicon import Code, Lexicon
from flashpoint.stages.events._ranker import (
    Candidate,
    keep_candidate,
    shared_features,
    source_candidates,
    target_candidates,
    with_conjuncts,
)
from flashpoint.stages.events._roles import (
    _actors_of,
    _confidence,
    _country_actor,
    _dedupe,
    _depth,
    _embedded,
    _fill_roles,
    _Found,
    _Mentions,
    _not_own,
    _pairs,
    _place_actor,
    _topic,
)
from flashpoint.stages.events._syntax import _SYMMETRIC, _named, _own_subject
from flashpoint.stages.events._triggers import TriggerFinder
from flashpoint.stages.events._types import type_candidates, type_features
from flashpoint.stages.locations import Places, find_location
from flashpoint.stages.wordforms import is_one_of as _is

if TYPE_CHECKING:
    from flashpoint.draft import Draft


class EventCoder(TriggerFinder):
    """Pipeline stage: code the events of every sentence."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        certainty: CertaintyTagger | None = None,
        places: Places | None = None,
        model: EventModel | None = None,
        trace: Callable[[Event, EventContext], None] | None = None,
        roles: RoleModel | None = None,
        role_trace: Callable[[str, int, tuple[int, int], list[Candidate]], None] | None = None,
        sentence_roles: RoleModel | None = None,
        types: TypeModel | None = None,
        type_trace: Callable[[tuple[int, int], dict[str, float], dict[str, tuple[float, ...]], dict[str, Code]],
                             None] | None = None,
    ) -> None:
        self.lexicon = lexicon or Lexicon.load()
        self.certainty = certainty or CertaintyTagger()
        self.places = places
        # the learned event model: its probability is the confidence, and events below its
        # threshold are dropped; without one, the first-cut heuristic confidence stays
        self.model = model
        self.trace = trace  # training/event_model.py reads each event's context through it
        # the learned role model: the source and target of an event whose parse names none,
        # chosen among candidates (stages/events/_ranker.py); without one, the first cut
        self.roles = roles
        self.role_trace = role_trace  # training/role_model.py reads the candidates through it
        # lone sentences (headlines, benchmark sentences) have their own role model, trained on
        # sentences: the articles' one fills their roles too freely; without one, the first cut
        self.sentence_roles = sentence_roles
        # the learned type model: a trigger's type among its candidates, by its arguments
        # (stages/events/_types.py); without one, the lexicon's code stands
        self.types = types
        self.type_trace = type_trace  # training/type_model.py reads each trigger's context through it

    def __call__(self, draft: Draft) -> Draft:
        mentions = _Mentions(draft.mentions)
        # the article's countries, most mentioned first: they decide between namesake towns
        counts = Counter(m.country for m in draft.mentions if m.country)
        mentions.countries = tuple(c for c, _ in counts.most_common())
        mentions.country_names = {m.country: m.name for m in draft.mentions
                                  if m.country and not m.sector and not m.org and ":" not in m.key}
        ranked = counts.most_common(2)
        mentions.dominant = bool(ranked) and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1])
        found: list[tuple[Event, bool]] = []  # each event, and whether the event model keeps it
        quoted = continued_quotes(draft.article.text, draft.sentences)
        # (sentence, type, participants) of every event coded so far, kept or not: the model
        # reads whether an event repeats one coded before (a recap, or one action coded twice)
        coded: list[tuple[int, str, frozenset[str]]] = []
        contexts: dict[str, EventContext] = {}  # what the event model read of each event, by id
        for sentence in draft.sentences:
            sent = draft.doc.char_span(*sentence.span, alignment_mode="expand")
            if sent is None:
                continue
            found.extend(self._sentence(draft, sentence, sent, mentions, coded, contexts, quoted.get(sentence.index)))
            mentions.topic = _topic(sent, mentions, sentence.span) or mentions.topic
        if self.model is not None and self.model.reads_article and len(draft.sentences) > 1:
            found = _rescored(self.model, found, contexts)
        return replace(draft, events=_kept(found, len(draft.sentences) > 1))

    # -- triggers --------------------------------------------------------------------------

    def _sentence(
        self, draft: Draft, sentence: Sentence, sent: Span, mentions: _Mentions,
        coded: list[tuple[int, str, frozenset[str]]], contexts: dict[str, EventContext],
        quoted: Certainty | None = None,
    ) -> Iterator[tuple[Event, bool]]:
        """The events of one sentence, each with whether the event model keeps it; ``quoted`` is
        the attribution a quotation opened in an earlier sentence carries into this one
        (:func:`continued_quotes`)."""
        doc = draft.doc
        found = list(self.triggers(sent, mentions))
        recoded, merged, skip = self._governed(found, sent)
        # one action named twice along a predicate chain is one event: the verb's
        repeats = one_action(found, skip)
        events = list(self._coded(draft, sentence, sent, mentions, coded, contexts, quoted, found, recoded, merged,
                                  skip))
        confidence: dict[tuple[int, int], float] = {}
        for e, _ in events:
            confidence[e.trigger] = max(confidence.get(e.trigger, 0.0), e.confidence)
        chains = {self._char_span(doc, span): self._char_span(doc, outer.trigger) for span, outer in repeats.items()}
        drop = dropped(chains, confidence)
        yield from ((e, keep) for e, keep in events if e.trigger not in drop)

    def _coded(
        self, draft: Draft, sentence: Sentence, sent: Span, mentions: _Mentions,
        coded: list[tuple[int, str, frozenset[str]]], contexts: dict[str, EventContext], quoted: Certainty | None,
        found: list[_Found],
        recoded: dict[tuple[int, int], tuple[Code | None, Token | None, str]],
        merged: dict[int, tuple[_Found, str]], skip: set[tuple[int, int]],
    ) -> Iterator[tuple[Event, bool]]:
        """The events of one sentence's triggers, as :meth:`_governed` recoded and merged them,
        each with whether the event model keeps it."""
        doc = draft.doc
        anchors = {f.anchor.i for f in found if not f.nominal}
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
                if kind not in ("request", "command", "finding"):  # who is asked to act is not who asks
                    sources = sources or _dedupe(a for t in inner.subjects for a in _actors_of(t, mentions, bounds))
                if kind == "finding":  # "ruled that the government had violated …": found against it
                    targets = targets or _dedupe(a for t in inner.subjects for a in _actors_of(t, mentions, bounds))
                if kind == "command":
                    # whom the action ordered is done to: "ordered troops to attack Kharkiv"
                    # Kharkiv, not the troops; else the party ordered ("ordered the network to
                    # shut down"), or the ordered clause's subject ("ordered the accused remain")
                    acted_on = _dedupe(a for t in inner.objects for a in _actors_of(t, mentions, bounds))
                    targets = acted_on or targets or _dedupe(
                        a for t in inner.subjects for a in _actors_of(t, mentions, bounds))
                # the envoys sent are not whom their mission is aimed at: only where they went
                lent = [t for t in inner.objects if kind != "means" or t.dep_ == "pobj"]
                targets = targets or _dedupe(a for t in lent for a in _actors_of(t, mentions, bounds))
            override = recoded.get(inner.trigger if inner is not None else f.trigger)
            if override is not None and override[2] == "demand" and override[1] is not None:
                # "the ministry said Armenia must withdraw": the ministry demands, of Armenia
                said_by = _own_subject(override[1]) or (  # "cited … and said, 'They need to …'"
                    _own_subject(override[1].head) if override[1].dep_ == "conj" else [])
                speaker = _dedupe(a for t in said_by for a in _actors_of(t, mentions, bounds))
                sources, targets = speaker, (sources or targets)
            elif f.reciprocal:
                targets = sources
            else:
                targets = _not_own(targets, sources, (*f.objects, *(inner.objects if inner else ())))
            targets = [t for t in targets if t.key not in {s.key for s in sources}] or (
                targets if f.reciprocal else []
            )
            senses = self.lexicon.senses
            if not sources and not targets and not any(_named(t) for t in f.subjects + f.objects) and not (
                    senses is not None and f.code.quad_class == 4 and (
                        any(senses.person(t) for t in f.subjects + f.objects) if not f.nominal
                        else f.code.type == "PROTEST" and not f.subjects + f.objects)):
                # no one takes part: description, not an event — unless people are arrested,
                # charged or attacked ("an individual has been arrested")
                continue
            given = (bool(sources), bool(targets))  # before any role is filled
            if senses is not None and f.code.cameo in senses.hosting and not given[1]:
                continue  # "received two-thirds of the votes": no visitor, no one hosted
            if f.code.type == "CONSULT" and (_press(sources) or _press(targets)):
                continue  # "spoke with CNN", "told reporters": an interview, no consultation
            if self.types is not None or self.type_trace is not None:
                f = self._typed(f, sources, targets)
            # the roles the parse names an actor of known country or organisation in
            named = (any(s.country or s.org for s in sources), any(t.country or t.org for t in targets))
            background = _embedded(f, anchors)
            if (not sources or not targets) and override is None and not background:
                sources, targets = _fill_roles(f, sources, targets, mentions, bounds)
            trig_span = self._char_span(doc, f.trigger)
            certainty = self.certainty.of(f.anchor, sent)
            if override is None:
                # what the action is (peacekeepers sent) before whether it is announced
                code = self._as_intent(self._by_parties(f.code, f, sources, targets), certainty)
            elif override[0] is None:
                code = f.code
                cue = override[1].text if override[1] is not None else "not"
                cues = certainty.cues if cue in certainty.cues else (*certainty.cues, cue)
                certainty = replace(certainty, label="negated", cues=cues)
            else:
                code, governor, kind = override
                if kind == "demand" and governor is not None:
                    certainty = self.certainty.of(governor, sent)  # the demand was made
                    if certainty.label == "hypothetical" and set(certainty.cues) <= self.lexicon.governors.demand_modals:
                        # its "must" is what is demanded, not a doubt about the saying (a speech
                        # verb parsed below the clause: "Court says … so Parliament must be …")
                        label = "attributed" if certainty.attributed_to else "asserted"
                        certainty = replace(certainty, label=label, cues=())
                elif code.type == "REJECT" and inner is None:
                    # the refusal happened: as certain as the word that refuses; "will not
                    # lift the embargo" is announced
                    certainty = (self.certainty.of(governor, sent) if governor is not None
                                 else replace(certainty, label=self._refusal_label(f.anchor, certainty)))
            code = self._by_parties(code, f, sources, targets)
            if quoted is not None and certainty.label == "asserted" and certainty.attributed_to is None and not (
                    code.type in self.certainty.cues.speech_types and _performed(f.anchor, f.subjects)):
                # what the speaker of a quotation running on told, not the writer; unless it is
                # the speaker's own speech act ("We condemn the attack.")
                certainty = quoted
            certainty = self._as_said(certainty, code.type or "", f.anchor, f.subjects, sent, sources, mentions, bounds)
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
            # the role model's roles for an event whose parse named none, where it prefers them
            # to the first cut; the event model still reads the first-cut roles it was trained
            # on. A lone sentence (a headline, a benchmark sentence) has its own model
            ranked_sources: list[ActorRef] = []
            ranked: list[ActorRef] = []
            if not f.reciprocal and not (f.code.type in _SYMMETRIC and len(sources) > 1):
                ranking = (sentence, trig_span, code, mentions, background, override is not None,
                           len(draft.sentences) == 1)
                # a role the parse filled only with sector nouns of no known country ("police",
                # "a man") names no actor either: the candidates give them the article's country
                if not named[0]:
                    ranked_sources = self._ranked("source", f, targets, sources, *ranking)
                if not named[1]:
                    ranked = self._ranked("target", f, ranked_sources or sources, targets, *ranking)
            if code.cameo in _DEPLOYMENTS:
                own = {s.country for s in ranked_sources or sources}
                ranked = [t for t in ranked if not (t.sector == "MIL" and (t.country is None or t.country in own))]
            heuristic = _confidence(given[0], given[1], f.nominal, certainty, _depth(f.anchor), background)
            context = None
            if self.model is not None or self.trace is not None:
                governed = ("negated" if override is not None and override[0] is None
                            else override[2] or "governed" if override is not None else kind)
                parties = frozenset(a.key for a in (*sources, *targets))
                context = event_context(draft, sentence, sent, f, code, certainty, sources, targets, given,
                                        background, governed, where is not None, trig_span, heuristic,
                                        _repeats(coded, sentence.index, code.type or "", parties))
                coded.append((sentence.index, code.type or "", parties))
            kept = True
            if self.model is not None:
                confidence = round(self.model.confidence(context), 4)
                # below the threshold: most likely no event, or not of this type
                kept = confidence >= self.model.drop_threshold(context)
            else:
                confidence = heuristic
            symmetric = f.reciprocal or (f.code.type in _SYMMETRIC and len(sources) > 1 and not targets)
            pairs = _pairs(ranked_sources or sources, ranked or targets, symmetric)
            for n, (src, tgt) in enumerate(pairs):
                part = f"{n}" if len(pairs) > 1 else ""
                event = Event(
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
                    location=where,
                    certainty=certainty,
                    # a role filled by position is no evidence that the event is right
                    confidence=confidence,
                )
                if context is not None:
                    contexts[event.id] = context
                    if self.trace is not None:
                        self.trace(event, context)
                yield event, kept

    @staticmethod
    def _char_span(doc, tokens: tuple[int, int]) -> tuple[int, int]:
        return doc[tokens[0]].idx, doc[tokens[1] - 1].idx + len(doc[tokens[1] - 1])

    def _ranked(self, role: str, f: _Found, other: list[ActorRef], filled: list[ActorRef], sentence: Sentence,
                trig_span: tuple[int, int], code: Code, mentions: _Mentions, background: bool, governed: bool,
                lone: bool) -> list[ActorRef]:
        """The ``role`` ("source" or "target") the role model picks among the candidates of an
        event whose parse named none; none (the first cut stands) if it prefers the first cut
        or no candidate is likely enough. ``other``: the other role's actors."""
        model = self.sentence_roles if lone else self.roles
        if model is None and self.role_trace is None:
            return []
        context = shared_features(f, other, code.type or "", code.quad_class, background, governed)
        found = source_candidates if role == "source" else target_candidates
        candidates = found(f, other, filled, mentions, sentence.span, context)
        candidates.append(keep_candidate(role, candidates, filled, context, code.type or ""))
        if self.role_trace is not None:
            self.role_trace(role, sentence.index, trig_span, candidates)
        if model is None:
            return []
        best = model.best([c.features for c in candidates], role)
        if best is None or candidates[best].ref is None:
            return []
        return with_conjuncts(candidates[best], candidates, f.anchor.doc,
                              frozenset(a.country for a in other if a.country))

    def _typed(self, f: _Found, sources: list[ActorRef], targets: list[ActorRef]) -> _Found:
        """The trigger with the type the type model chooses in its context (module
        :mod:`flashpoint.models.type_model`); a new type counts as a sense of the word for the
        event model (its ``lemma/TYPE`` feature)."""
        feats, vectors = type_features(f, sources, targets)
        defaults = self.types.defaults if self.types is not None else {}
        candidates = type_candidates(f, self.lexicon, defaults)
        if self.type_trace is not None:
            doc = f.anchor.doc
            span = (doc[f.trigger[0]].idx, doc[f.trigger[1] - 1].idx + len(doc[f.trigger[1] - 1]))
            self.type_trace(span, feats, vectors, candidates)
        if self.types is None:
            return f
        chosen = self.types.choose(self.types.context(feats, vectors), sorted(candidates), f.code.type)
        if chosen is None or chosen == f.code.type:
            return f
        return replace(f, code=candidates[chosen], sensed=True)

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
            if f.nominal and _listed_in_demands(f.anchor, governors.refusal_nouns):
                skip.add(f.trigger)  # "their demands include an investigation of …": asked for
                continue
            said = self._said(f, verbal, demanded, skip, merged, recoded)
            if said:
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
            if kind == "command":
                # an order of coercion or violence is that action, by whoever orders it; an
                # order of anything else stays the ordering verb's demand
                outer = verbal.get(head.i) if head is not None else None
                if f.code.quad_class == 4 and outer is not None and outer is not f and head.i not in merged:
                    recoded[f.trigger] = (f.code, head, kind)
                    merged[head.i] = (f, kind)
                    skip.add(f.trigger)
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
        # "was convicted of making false statements and obstructing the administration",
        # "impeached over perceived violations of the Act": the offence charged is the content
        # of the charge, no event of its own (annotation guide §9.1: code the ACCUSE)
        anchors = {g.anchor.i: g for g in found}
        for f in found:
            if f.trigger not in skip and f.trigger not in recoded and _charged_with(f.anchor, anchors):
                skip.add(f.trigger)
        return recoded, merged, skip

    def _said(self, f: _Found, verbal: dict[int, _Found], demanded: set[int], skip: set[tuple[int, int]],
              merged: dict[int, tuple[_Found, str]],
              recoded: dict[tuple[int, int], tuple[Code | None, Token | None, str]]) -> bool:
        """An action that is the content of a finding, a recommendation, a citation, a
        resolution or a demand with a semi-modal (``Governors.said``) is coded as that act, as
        a demand is: by whoever finds, recommends or cites, against the content's agent
        (``governors.toml``). Returns whether ``f`` was dealt with."""
        governors = self.lexicon.governors
        said = governors.said(f.anchor)
        if said is None:
            return False
        kind, head = said
        conflict = f.code.quad_class in (3, 4)
        if kind == "finding" and not conflict:
            return False  # "found the country had complied": what was found stands
        if kind == "citation" and not conflict:
            skip.add(f.trigger)  # "cited Article 5 of the NATO treaty": a topic
            return True
        if head.i in demanded:
            skip.add(f.trigger)  # "had lied and violated that deal": one finding
            return True
        demanded.add(head.i)
        outer = verbal.get(head.i)
        if outer is not None and outer is not f:
            # the governing word is an event of its own: it names the party acted on
            skip.add(f.trigger)
            merged.setdefault(head.i, (f, "finding" if kind == "finding" else "request"))
            return True
        codes = dict(governors.said_codes)
        code = codes.get(kind, governors.demand_code)
        senses = self.lexicon.senses
        if kind == "finding" and senses is not None and senses.by_court(head):
            code = governors.court_finding_code
        # coded as a demand is: the speaker as source, the content's parties as target
        recoded[f.trigger] = (self.lexicon.codes[code], head, "demand")
        return True

    def _by_parties(self, code: Code, f: _Found, sources: list[ActorRef], targets: list[ActorRef]) -> Code:
        """Codes that depend on what the arguments are: a call for sanctions or strikes is a
        demand (CAMEO 10), not an appeal (02); troops that arrive are deployed (154), not
        visiting (042); a ban on a foreign actor is a sanction (163), not a restriction at
        home (172)."""
        codes = self.lexicon.codes
        if code.cameo == "172" and _foreign(sources, targets):
            # "Germany banned Iranian airline Mahan Air", "announced new restrictions on
            # flights to Cuba": the guide's SANCTION (imposes a ban on a foreign actor, E3);
            # COERCE 172 restricts the state's own people
            return codes["163"]
        if code.cameo.startswith("02") and any(
            (entry := self._noun_entry(o)) is not None and codes[entry.cameo].quad_class in (3, 4)
            for o in f.objects if o.pos_ == "NOUN"
        ):
            return codes["100"]
        if code.cameo == "042" and sources and all(s.sector == "MIL" for s in sources) and not (
                self.lexicon.senses is not None and any(self.lexicon.senses.visiting(t) for t in f.subjects)):
            code = codes["154"]  # but "the defence minister visited the troops" is a visit
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

    def _as_said(self, certainty: Certainty, type_: str, anchor: Token, subjects: tuple[Token, ...], sent: Span,
                 sources: list[ActorRef], mentions: _Mentions, bounds: tuple[int, int]) -> Certainty:
        """A speech act is as certain as its saying: in "Cruz said members of Congress have
        abused their power" the accusation is the saying, made by Cruz for a fact, whatever
        the words say happened; so is the demand of "said the president should accept". What
        is announced for later stays future, and a threat or promise on a condition
        hypothetical (``[speech]``: the analysis reads them as signalled). Only when the event's
        source is the speaker, or the speech act is in the first person ("said: I am asking
        all Americans"); ``[speech]`` in the cue lexicon lists the types. What a speaker says
        someone else demanded is still only reported."""
        cues = self.certainty.cues
        if certainty.label == "asserted" or type_ not in cues.speech_types:
            return certainty
        if certainty.label == "future" or (certainty.label == "hypothetical" and type_ in cues.commissive_types):
            return certainty  # "said it will release the hostages": announced, not yet done
        own = {_party(s) for s in sources}
        first_person = _performed(anchor, subjects)
        # the outermost saying by the source: "he said" inside "the spokesperson indicated …"
        for verb in reversed(self.certainty.reporters(anchor, sent)):
            if first_person or own & {_party(a) for t in _own_subject(verb) for a in _actors_of(t, mentions, bounds)}:
                said = self.certainty.of(verb, sent)
                return replace(said, attributed_to=said.attributed_to or certainty.attributed_to)
        return certainty

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
        if intent is not None and intent.type == "THREATEN" and code.type == "MOBILIZE" and (
                certainty.label != "hypothetical"):
            # "will send more troops to Saudi Arabia": a deployment announced is coded as the
            # deployment, its certainty future (annotation guide §4.1, E9) — no one is harmed
            # by it; a conditional one ("if …") or harm done to someone ("will pursue such
            # criminals") stays a threat
            return code
        return intent or code


_CHARGED_WITH = frozenset({"of", "over", "for", "with"})


def _charged_with(anchor: Token, anchors: dict[int, _Found]) -> bool:
    """Whether an action is what an accusation, a conviction or an arrest (another trigger of
    the sentence) is of, over, for or with: "convicted [of] obstructing", "charged [with]
    murder" — not an absolute clause with a subject of its own ("with Scalise calling it …")."""
    tok = anchor
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ not in ("pobj", "pcomp") or tok.head.dep_ != "prep" or tok.head.lower_ not in _CHARGED_WITH:
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in anchor.children):
        return False
    charge = anchors.get(tok.head.head.i)
    return charge is not None and charge.anchor.i != anchor.i and (
        charge.code.type == "ACCUSE" or charge.code.cameo.startswith("173"))


def _foreign(sources: list[ActorRef], targets: list[ActorRef]) -> bool:
    """Whether the event's parties are states apart: every source and target of a known
    country, the targets' countries none of the sources'."""
    if not sources or not targets or not all(a.country for a in (*sources, *targets)):
        return False
    return not {s.country for s in sources} & {t.country for t in targets}


def _party(actor: ActorRef) -> str:
    """Who speaks for whom: a government speaks for its country ("the Russian foreign ministry
    said Russia will retaliate" is Russia's threat); a company or a court only for itself."""
    if actor.country and actor.sector in (None, "", "GOV") and actor.org is None:
        return actor.country
    return actor.key


def _performed(verb: Token, subjects: tuple[Token, ...]) -> bool:
    """A speech act made as it is said, in the first person and the present ("we strongly
    urge", "I am asking"), not a past one told ("we made a plea")."""
    if not any(t.lower_ in ("i", "we") for t in subjects) or verb.tag_ not in ("VB", "VBP", "VBZ", "VBG"):
        return False
    return not any(c.dep_ == "aux" and c.lower_ in ("did", "had", "was", "were") for c in verb.children)


def _rescored(model: EventModel, found: list[tuple[Event, bool]], contexts: dict[str, EventContext]
              ) -> list[tuple[Event, bool]]:
    """The article's events scored again once the whole article is read: the model's article
    weights also weigh features of the whole article (:func:`article_features`), which are the
    same for all its events, so the order the first reading gave them stands."""
    article = article_features([contexts[e.id] for e, _ in found if e.id in contexts])
    out = []
    for event, keep in found:
        context = contexts.get(event.id)
        if context is None:
            out.append((event, keep))
            continue
        confidence = round(model.confidence(context, article), 4)
        out.append((replace(event, confidence=confidence), confidence >= model.drop_threshold(context)))
    return out


def _kept(found: list[tuple[Event, bool]], article: bool) -> tuple[Event, ...]:
    """The events the event model keeps. A news article reports at least one event: when the
    model would drop every event of an article, the events of its most confident trigger stay
    (a lone sentence, where the sentence weights decide, keeps none)."""
    kept = tuple(e for e, keep in found if keep)
    if kept or not article or not found:
        return kept
    best = max(found, key=lambda pair: pair[0].confidence)[0]
    return tuple(e for e, _ in found if (e.sentence, e.trigger, e.type) == (best.sentence, best.trigger, best.type))


def _repeats(coded: list[tuple[int, str, frozenset[str]]], sentence: int, type_: str,
             parties: frozenset[str]) -> tuple[bool, bool]:
    """Whether an event of this type sharing a participant was coded before: in an earlier
    sentence (a recap: "the strike", "the attack"), and earlier in this sentence (one action
    named twice: "a car bombing killed five")."""
    earlier = [s for s, t, p in coded if t == type_ and p & parties]
    return any(s < sentence for s in earlier), any(s == sentence for s in earlier)


def _press(actors: list[ActorRef]) -> bool:
    """Whether one side of an event is the press alone (news outlets, reporters: sector MED)."""
    return bool(actors) and all(a.sector == "MED" for a in actors)
