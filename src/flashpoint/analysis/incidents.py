"""Incidents: events from different articles that report the same happening, merged.

GDELT's best-known flaw is counting one kidnapping hundreds of times, once per report. Here an
incident gathers the events that report one happening, with how many independent articles
reported it (a near-duplicate counts with its original), the outlets, the first and last
report and the strongest certainty any report gave it.

The matching rule (every number is a setting in ``[incidents]`` of ``data/corpus.toml``):

1. **Dates**: both events have a date no coarser than ``max_date_span_days`` (a day, not a
   month), the gap between their dates is at most ``max_days``, and an incident never spans
   more than ``max_incident_days`` from its first to its last event.
2. **Actors**: only actors with a country or an organisation count (*the army* alone could
   be anyone's). For each role (source, target) that both events name, some actor of one
   matches some actor of the other, and at least one role is named by both. Two actors match
   when they have the same country or organisation and the same sector, or one of them has
   no sector (*Azerbaijan* matches *the Azerbaijani army*; *the army* does not match *the
   government*). With ``reversed_dyads`` a source may also match the other's target.
3. **Type**: the same PLOVER type, or two types of one ``close_types`` group with the same
   QuadClass (an attack reported as an assault by one outlet and as coercion by another).
4. **Place**: when both events have a location country, it is the same; with
   ``same_place_name`` the location names must agree too when both are known.

5. **Copies**: whatever 1–4 say, an event joins the incident of an event with the same trigger
   words, type and actors from the same group of near-duplicate articles (or the same article)
   at most ``max_days`` apart: a wire copy repeats the events of its original, including those
   that name no country, and must not count them again.
6. **One mention, two directions**: the events the coder splits from one mention of a mutual
   happening (*Armenia and Azerbaijan blamed one another*, *talks between A and B*: A → B and
   B → A, the same trigger at the same place of the same article) are one incident, so that
   an undirected count sees the happening once, as it sees *A shelled B* once.

Events are taken in date order and each joins the best matching open incident (most shared
actors, then the nearest in time, then the oldest) or opens a new one, so memory holds only
the incidents of the last ``max_days`` whatever the corpus size. An incident is compared with
its first event's type and actors (a role the first event leaves unnamed is taken from the
first event that names it), never with the union of its members', which would let it drift
from one happening to the next. Every event belongs to one incident.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flashpoint.analysis import dyads
from flashpoint.errors import DataFileError, QueryError
from flashpoint.records import PLOVER_TYPES
from flashpoint.resources import check_section
from flashpoint.store.query import EventQuery

# From the most to the least certain: an incident takes the most certain label any report
# gives it (one outlet's "reportedly" does not weaken another's eyewitness account).
CERTAINTY_STRENGTH: tuple[str, ...] = ("asserted", "attributed", "future", "hedged", "hypothetical",
                                       "negated")


@dataclass(frozen=True)
class IncidentRules:
    """How events are matched into incidents (``[incidents]`` in ``data/corpus.toml``).

    max_days: largest gap in days between an event's date and an incident's dates.
    max_incident_days: longest an incident may last, from its first to its last event's date.
    max_date_span_days: events whose date covers more days (a month, a year) stay alone.
    reversed_dyads: whether "A attacked B" may join "B attacked A".
    same_place_name: whether events naming two places of one country stay apart.
    close_types: groups of PLOVER types that may merge when their QuadClass is the same.
    """

    max_days: int = 2
    max_incident_days: int = 4
    max_date_span_days: int = 1
    reversed_dyads: bool = False
    same_place_name: bool = False
    close_types: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("max_days", "max_incident_days", "max_date_span_days"):
            if getattr(self, name) < 0:
                raise DataFileError(f"[incidents] {name} must not be negative")
        groups = tuple(tuple(str(t).upper() for t in group) for group in self.close_types)
        for group in groups:
            unknown = [t for t in group if t not in PLOVER_TYPES]
            if unknown:
                raise DataFileError(f"[incidents] close_types names unknown PLOVER types {unknown}")
        object.__setattr__(self, "close_types", groups)

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> IncidentRules:
        values = dict(values)
        groups = values.pop("close_types", [])
        if not isinstance(groups, list) or not all(
                isinstance(g, dict) and isinstance(g.get("types"), list) and g.get("why") for g in groups):
            raise DataFileError('[[incidents.close_types]] entries need `types = [...]` and a `why`')
        checked = check_section(cls, values, "incidents")
        return cls(**checked, close_types=tuple(tuple(g["types"]) for g in groups))

    def compatible_types(self, a: str, qa: int, b: str, qb: int) -> bool:
        if a == b:
            return True
        return qa == qb and any(a in group and b in group for group in self.close_types)


@dataclass(frozen=True, slots=True)
class Participant:
    """An actor of an event as incidents compare them: country or organisation, and sector."""

    root: str
    sector: str | None
    code: str

    def matches(self, other: Participant) -> bool:
        return self.root == other.root and (
            self.sector == other.sector or self.sector is None or other.sector is None)


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What incidents need to know of a stored event."""

    article_id: str
    position: int
    event_id: str
    type: str
    quad_class: int
    date_start: date | None
    date_end: date | None
    sources: tuple[Participant, ...]
    targets: tuple[Participant, ...]
    location_name: str | None = None
    location_country: str | None = None
    certainty: str = "asserted"
    confidence: float = 0.5
    root_article: str = ""  # the article's original when it is a near-duplicate, else itself
    published: date | None = None
    outlet: str | None = None
    trigger: str = ""  # the trigger's words, lower case: what copies of an article repeat
    trigger_at: int = -1  # the trigger's offset in the article: one mention split into directions

    def __post_init__(self) -> None:
        if not self.root_article:
            object.__setattr__(self, "root_article", self.article_id)


def _overlap(a: Iterable[Participant], b: Iterable[Participant]) -> int:
    b = tuple(b)
    return sum(1 for x in a if any(x.matches(y) for y in b))


@dataclass
class Incident:
    """An incident being built; :meth:`summary` gives the row stored in ``incidents``."""

    first: EventFacts
    serial: int = 0  # creation order: the older of two equally good incidents wins
    events: list[EventFacts] = field(default_factory=list)
    sources: list[Participant] = field(default_factory=list)
    targets: list[Participant] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    start: date | None = None
    end: date | None = None

    @property
    def id(self) -> str:
        raw = f"{self.first.article_id}|{self.first.position}|{self.first.event_id}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]

    def add(self, event: EventFacts) -> None:
        self.events.append(event)
        # the actors an incident is matched on are its first report's, a role it left unnamed
        # taken from the first that names it: a union of every member's actors would drift
        # (one "United States" event would open the incident to every US actor)
        if not self.sources and event.sources:
            self.sources = list(event.sources)
        if not self.targets and event.targets:
            self.targets = list(event.targets)
        if event.location_country:
            self.countries.add(event.location_country)
        if event.location_name:
            self.names.add(event.location_name)
        if event.date_start is not None and event.date_end is not None:
            self.start = min(self.start or event.date_start, event.date_start)
            self.end = max(self.end or event.date_end, event.date_end)

    def summary(self) -> dict[str, Any]:
        events = self.events
        types = Counter(e.type for e in events)
        type_ = max(types, key=lambda t: (types[t], -next(i for i, e in enumerate(events) if e.type == t)))
        quad = next(e.quad_class for e in events if e.type == type_)
        places = Counter(e.location_name for e in events if e.location_name)
        place = places.most_common(1)[0][0] if places else None
        country = next((e.location_country for e in events if e.location_name == place
                        and e.location_country), None) if place else None
        if country is None:
            countries = Counter(e.location_country for e in events if e.location_country)
            country = countries.most_common(1)[0][0] if countries else None
        published = [e.published for e in events if e.published]
        certainty = min((e.certainty for e in events), key=_strength)
        return {
            "id": self.id, "type": type_, "quad_class": quad,
            "first_date": self.start, "last_date": self.end,
            "source_codes": _by_frequency(p.code for e in events for p in e.sources),
            "target_codes": _by_frequency(p.code for e in events for p in e.targets),
            "location_name": place, "location_country": country,
            "events": len(events),
            "source_count": len({e.root_article for e in events}),
            "reports": len({e.article_id for e in events}),
            "sources": sorted({e.outlet for e in events if e.outlet}),
            "first_report": min(published, default=None), "last_report": max(published, default=None),
            "certainty": certainty,
            "confidence": max(e.confidence for e in events),
        }


def _strength(label: str) -> int:
    return CERTAINTY_STRENGTH.index(label) if label in CERTAINTY_STRENGTH else len(CERTAINTY_STRENGTH)


def _by_frequency(codes: Iterable[str]) -> list[str]:
    counts = Counter(codes)
    return sorted(counts, key=lambda c: (-counts[c], c))


def _dated(event: EventFacts, rules: IncidentRules) -> bool:
    """Whether the event's date is precise enough to be matched (a day, not a month)."""
    if event.date_start is None or event.date_end is None:
        return False
    return (event.date_end - event.date_start).days + 1 <= rules.max_date_span_days


def _gap(start: date, end: date, event: EventFacts) -> int:
    """Days between the range [start, end] and the event's dates (0 when they overlap)."""
    assert event.date_start is not None and event.date_end is not None
    if event.date_start > end:
        return (event.date_start - end).days
    if event.date_end < start:
        return (start - event.date_end).days
    return 0


def matches(incident: Incident, event: EventFacts, rules: IncidentRules) -> int:
    """How well ``event`` fits ``incident``: 0 when it does not, else 1 + shared actors."""
    first = incident.first
    if not rules.compatible_types(first.type, first.quad_class, event.type, event.quad_class):
        return 0
    if not _dated(event, rules) or incident.start is None or incident.end is None:
        return 0
    if _gap(incident.start, incident.end, event) > rules.max_days:
        return 0
    assert event.date_start is not None and event.date_end is not None
    span = (max(incident.end, event.date_end) - min(incident.start, event.date_start)).days
    if span > rules.max_incident_days:
        return 0
    if event.location_country and incident.countries and event.location_country not in incident.countries:
        return 0
    if rules.same_place_name and event.location_name and incident.names and \
            event.location_name not in incident.names:
        return 0
    shared = _dyad(incident.sources, incident.targets, event.sources, event.targets)
    if rules.reversed_dyads:
        shared = max(shared, _dyad(incident.sources, incident.targets, event.targets, event.sources))
    return shared + 1 if shared else 0


def _dyad(s1: list[Participant] | tuple[Participant, ...], t1: list[Participant] | tuple[Participant, ...],
          s2: tuple[Participant, ...], t2: tuple[Participant, ...]) -> int:
    """Shared actors when every role both sides name agrees (0 when one does not, or none is shared)."""
    shared = 0
    for mine, theirs in ((s1, s2), (t1, t2)):
        if mine and theirs:
            n = _overlap(theirs, mine)
            if n == 0:
                return 0
            shared += n
    return shared


def _echo_key(event: EventFacts) -> tuple[Any, ...]:
    """What a copy of an article repeats of an event: its words, type and actors."""
    return (event.root_article, event.trigger, event.type, frozenset(p.code for p in event.sources),
            frozenset(p.code for p in event.targets))


def _mention_keys(event: EventFacts) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The key of the event's mention and that of its mirror (sources and targets swapped): the
    coder splits a mutual happening into A → B and B → A at one trigger (rule 6)."""
    sources = frozenset(p.code for p in event.sources)
    targets = frozenset(p.code for p in event.targets)
    at = ("mention", event.article_id, event.trigger_at, event.type)
    return (*at, sources, targets), (*at, targets, sources)


def cluster(events: Iterable[EventFacts], rules: IncidentRules) -> Iterator[Incident]:
    """Incidents of ``events``, which must come in order of ``date_start`` (undated last).

    Yields each incident once no later event can join it, so memory holds only the open ones.
    """
    open_: list[Incident] = []
    index: dict[str, list[Incident]] = {}  # actor root → open incidents naming it
    echoes: dict[tuple[Any, ...], tuple[date, Incident]] = {}  # see _echo_key
    serial = 0
    today: date | None = None
    for event in events:
        if event.date_start is not None and event.date_start != today:
            # events come in date order: incidents close once per new day, not once per event
            today = event.date_start
            horizon = event.date_start - timedelta(days=rules.max_days)
            if any(i.end is None or i.end < horizon for i in open_):
                yield from (i for i in open_ if i.end is None or i.end < horizon)
                open_ = [i for i in open_ if not (i.end is None or i.end < horizon)]
                index, echoes = _indexes(open_, rules)
        incident = _echo(event, echoes, rules) or _best(event, index, rules)
        if incident is None:
            serial += 1
            incident = Incident(first=event, serial=serial)
            if event.date_start is None:
                incident.add(event)
                yield incident  # undated: nothing can join it
                continue
            open_.append(incident)
        before = {p.root for p in incident.sources + incident.targets}
        incident.add(event)
        if event.date_start is not None:
            _remember(echoes, event, incident)
        if _dated(incident.first, rules):  # a month-dated incident is joined by its echoes only
            for root in {p.root for p in incident.sources + incident.targets} - before:
                index.setdefault(root, []).append(incident)
    yield from open_


def _indexes(open_: list[Incident], rules: IncidentRules
             ) -> tuple[dict[str, list[Incident]], dict[tuple[Any, ...], tuple[date, Incident]]]:
    index: dict[str, list[Incident]] = {}
    echoes: dict[tuple[Any, ...], tuple[date, Incident]] = {}
    for incident in open_:
        if _dated(incident.first, rules):
            for root in {p.root for p in incident.sources + incident.targets}:
                index.setdefault(root, []).append(incident)
        for e in incident.events:
            if e.date_start is not None:
                _remember(echoes, e, incident)
    return index, echoes


def _remember(echoes: dict[tuple[Any, ...], tuple[date, Incident]], event: EventFacts, incident: Incident) -> None:
    assert event.date_start is not None
    echoes[_echo_key(event)] = (event.date_start, incident)
    if event.trigger_at >= 0:
        echoes[_mention_keys(event)[0]] = (event.date_start, incident)


def _echo(event: EventFacts, echoes: dict[tuple[Any, ...], tuple[date, Incident]],
          rules: IncidentRules) -> Incident | None:
    """The incident of the same event in another copy of the article (or earlier in it): the
    same trigger words, type and actors a few days apart, whatever the rule says of the actors
    (a copy repeats an event that names no country just as it repeats the others)."""
    if event.date_start is None:
        return None
    mirror = echoes.get(_mention_keys(event)[1]) if event.trigger_at >= 0 else None
    if mirror is not None:
        return mirror[1]  # the other direction of the same mention (rule 6)
    if not event.trigger:
        return None
    found = echoes.get(_echo_key(event))
    if found is None or abs((event.date_start - found[0]).days) > rules.max_days:
        return None
    return found[1]


def _best(event: EventFacts, index: dict[str, list[Incident]], rules: IncidentRules) -> Incident | None:
    """The open incident the event fits best: most shared actors, nearest, oldest."""
    roots = {p.root for p in event.sources + event.targets}
    if not roots or not _dated(event, rules):
        return None
    best: tuple[tuple[int, int, int], Incident] | None = None
    candidates = {i.serial: i for root in roots for i in index.get(root, ())}
    for number, incident in sorted(candidates.items()):
        if score := matches(incident, event, rules):
            assert incident.start is not None and incident.end is not None
            rank = (score, -_gap(incident.start, incident.end, event), -number)
            if best is None or rank > best[0]:
                best = (rank, incident)
    return best[1] if best else None


# -- the store ----------------------------------------------------------------------------

_EVENTS = """
SELECT e.article_id, e.position, e.id, e.type, e.quad_class, e.date_start, e.date_end,
       e.location_name, e.location_country, e.certainty, e.confidence,
       coalesce(a.duplicate_of, a.id) AS root, a.published,
       coalesce(a.outlet, nullif(regexp_extract(a.url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:www\\.)?([^/:?#]+)', 1), '')),
       list((coalesce(x.org, x.country), x.sector, x.code) ORDER BY x.position)
           FILTER (WHERE x.role = 'source' AND coalesce(x.org, x.country) IS NOT NULL),
       list((coalesce(x.org, x.country), x.sector, x.code) ORDER BY x.position)
           FILTER (WHERE x.role = 'target' AND coalesce(x.org, x.country) IS NOT NULL),
       lower(substr(a.text, e.trigger_start + 1, e.trigger_end - e.trigger_start)), e.trigger_start
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN event_actors x ON x.article_id = e.article_id AND x.event_position = e.position
GROUP BY ALL
ORDER BY e.date_start NULLS LAST, e.date_end, e.article_id, e.position
"""

_INCIDENT_COLUMNS = ("id", "type", "quad_class", "first_date", "last_date", "source_codes",
                     "target_codes", "location_name", "location_country", "events", "source_count",
                     "reports", "sources", "first_report", "last_report", "certainty", "confidence")


def _participants(values: list[Any] | None) -> tuple[Participant, ...]:
    out = []
    for value in values or ():
        root, sector, code = value.values() if isinstance(value, dict) else value
        out.append(Participant(root, sector, code))
    return tuple(dict.fromkeys(out))


def stored_events(store: Any) -> Iterator[EventFacts]:
    """Every stored event as :class:`EventFacts`, in the order :func:`cluster` needs."""
    for row in store.iter_rows(_EVENTS):
        (aid, pos, eid, type_, quad, start, end, loc, country, certainty, confidence, root,
         published, outlet, sources, targets, trigger, trigger_at) = row
        yield EventFacts(aid, pos, eid, type_, quad, start, end, _participants(sources),
                         _participants(targets), loc, country, certainty, confidence, root,
                         published, outlet, trigger, -1 if trigger_at is None else trigger_at)


def rebuild(store: Any, rules: IncidentRules, *, flush_every: int = 2000) -> int:
    """Recompute every incident of ``store`` in one transaction; return how many there are."""
    count = 0
    incidents: list[dict[str, Any]] = []
    links: list[tuple[str, str, str, int]] = []

    def flush() -> None:
        store.insert_rows("incidents", _INCIDENT_COLUMNS,
                          [tuple(i[c] for c in _INCIDENT_COLUMNS) for i in incidents])
        store.insert_rows("incident_events", ("incident_id", "event_id", "article_id", "event_position"),
                          links)
        incidents.clear()
        links.clear()

    with store.transaction():
        store.execute("DELETE FROM incident_events")
        store.execute("DELETE FROM incidents")
        # stored_events reads the committed events on a cursor of its own while this
        # transaction writes, so incidents go out in chunks and memory stays flat
        for incident in cluster(stored_events(store), rules):
            summary = incident.summary()
            incidents.append(summary)
            links += [(summary["id"], e.event_id, e.article_id, e.position) for e in incident.events]
            count += 1
            if len(links) >= flush_every:
                flush()
        flush()
        dyads.refresh(store)  # the dyad layer's materialised events name the incidents
    return count


def listing(store: Any, query: EventQuery | None = None, *, limit: int | None = None,
            sort: str = "date", **filters: Any) -> list[dict[str, Any]]:
    """Stored incidents as dicts (the ``incidents`` columns) that match ``query`` (or the
    keyword filters of :meth:`EventQuery.of`: ``actor``, ``type``, ``since``, ``until``,
    ``min_sources`` …), sorted by date or by independent sources."""
    if query is None:
        query = EventQuery.of(**filters)
    elif filters:
        raise QueryError("give either an EventQuery or keyword filters, not both")
    where = query.incidents_where("incidents")
    # ties in reporting go to the latest reported incident (not the latest event date, which may be
    # a plan for a coming year): an analyst reads the news first, history after
    order = ("source_count DESC, reports DESC, last_report DESC NULLS LAST, first_date DESC NULLS LAST, id"
             if sort == "sources"
             else "first_date NULLS LAST, source_count DESC, id")
    sql = (f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents {where.sql}"
           f"ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit is not None else ""))
    return [dict(zip(_INCIDENT_COLUMNS, row, strict=True)) for row in store.iter_rows(sql, where.params)]


__all__ = ["listing", "IncidentRules", "EventFacts", "Participant", "Incident", "cluster", "matches", "rebuild",
           "stored_events", "CERTAINTY_STRENGTH"]
