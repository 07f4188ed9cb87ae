"""Import event data analysts already have — GDELT 1.0/2.0 event exports and a generic CSV —
into the store's own tables, so that dyads, escalation and the network run on it unchanged.

**GDELT** event exports are tab-separated, headerless, one event per row: 57 columns (1.0
backfiles), 58 (1.0 daily files, with SOURCEURL) or 61 (2.0, with ADM2 codes and a
DATEADDED timestamp); the layout is recognised from the column count. Plain or gzipped.

**Generic CSV**, with a header row (names in any case and order)::

    date,source,target,code,goldstein,url[,certainty,confidence,quad_class,location,lat,lon,id]

``date``: ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``); ``source``/``target``: actor codes
(``AZEMIL``, ``NATO``; empty when unknown); ``code``: a CAMEO code (``190``) or a PLOVER type
(``ASSAULT``); ``goldstein``: optional for a CAMEO code (its scale value by default), required
for a PLOVER type; ``url``: optional.

How a row becomes store rows:

* **Article.** Events need an article row: one synthetic article per source URL (rows without
  one get an article each), with no text, ``outlet = 'import:gdelt'`` or ``'import:csv'`` (what
  marks it imported), ``published`` = the event's date (GDELT 2.0: the day it was added).
* **Event.** PLOVER type, mode and context from ``data/events/cameo.csv`` (the code, else its
  3-digit base, else its root); CAMEO codes with no PLOVER type (01x, "make public statement")
  are not imported and are counted as such. QuadClass and Goldstein as the row gives them.
  Certainty and confidence: the row's (generic CSV) or ``data/importers/events.toml``'s.
  GDELT's ActionGeo name and coordinates are the location; its FIPS country code is not kept
  (the store's countries are ISO 3166 alpha-3).
* **Actors.** A code whose first three letters are a country (``countries.csv``) is that
  country with the rest as sector; any other code is an organisation (the whole code). GDELT
  rows use their own fields: CountryCode, KnownGroupCode (the organisation), Type1Code (sector).
* **Incidents.** Each imported row is its own incident: a GDELT row already merges the
  articles that reported one event (``source_count`` = its NumSources, ``reports`` =
  NumArticles), and merging rows across GlobalEventIDs with rules set for Flashpoint's events
  would second-guess GDELT's own deduplication. ``flashpoint incidents --rebuild`` re-clusters
  the whole store, imported rows included, for whoever wants Flashpoint's rule instead.

Importing a row a second time (same GDELT event id, same generic ``id`` or file and line) is
skipped, so a file can be imported again after it grew.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from flashpoint._version import __version__
from flashpoint.errors import DataFileError, RecordError
from flashpoint.records import CERTAINTY_LABELS, PLOVER_TYPES
from flashpoint.resources import data_file

Format = Literal["gdelt", "csv"]
FORMATS: tuple[str, ...] = ("gdelt", "csv")

# GDELT column positions (0-based) by the number of columns of the file.
_GDELT: dict[int, dict[str, int | None]] = {
    57: dict(geo_name=50, lat=53, lon=54, added=None, url=None),  # 1.0 backfile
    58: dict(geo_name=50, lat=53, lon=54, added=56, url=57),  # 1.0 daily: DATEADDED YYYYMMDD
    61: dict(geo_name=52, lat=56, lon=57, added=59, url=60),  # 2.0: ADM2 codes; DATEADDED timestamp
}
_STAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row_id", "VARCHAR"), ("outlet", "VARCHAR"), ("url", "VARCHAR"), ("published", "DATE"),
    ("date_value", "VARCHAR"), ("granularity", "VARCHAR"), ("date_start", "DATE"), ("date_end", "DATE"),
    ("s_code", "VARCHAR"), ("s_name", "VARCHAR"), ("s_country", "VARCHAR"), ("s_org", "VARCHAR"),
    ("s_sector", "VARCHAR"), ("t_code", "VARCHAR"), ("t_name", "VARCHAR"), ("t_country", "VARCHAR"),
    ("t_org", "VARCHAR"), ("t_sector", "VARCHAR"), ("cameo", "VARCHAR"), ("plover", "VARCHAR"),
    ("quad", "INTEGER"), ("goldstein", "DOUBLE"), ("location_name", "VARCHAR"), ("lat", "DOUBLE"),
    ("lon", "DOUBLE"), ("certainty", "VARCHAR"), ("confidence", "DOUBLE"), ("source_count", "INTEGER"),
    ("reports", "INTEGER"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: rows read, events added, rows skipped and why."""

    rows: int
    events: int
    articles: int
    no_plover: int  # CAMEO codes with no PLOVER type (make public statement)
    already: int  # rows imported before

    def to_dict(self) -> dict[str, int]:
        return {"rows": self.rows, "events": self.events, "articles": self.articles,
                "no_plover": self.no_plover, "already": self.already}


def _defaults() -> tuple[str, float]:
    try:
        data = tomllib.loads(data_file("importers", "events.toml").read_text(encoding="utf-8"))
        certainty, confidence = str(data["defaults"]["certainty"]), float(data["defaults"]["confidence"])
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"invalid import defaults: {exc!r}", source="data/importers/events.toml") from exc
    if certainty not in CERTAINTY_LABELS or not 0 <= confidence <= 1:
        raise DataFileError("certainty must be a label and confidence in 0..1", source="data/importers/events.toml")
    return certainty, confidence


def import_events(store: Any, paths: list[Path], fmt: Format) -> ImportReport:
    """Load event rows from ``paths`` (all of one format) into ``store``, in one transaction."""
    if fmt not in FORMATS:
        raise RecordError(f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}")
    certainty, confidence = _defaults()
    with store.transaction():
        store.execute("CREATE OR REPLACE TEMP TABLE import_stage ("
                      + ", ".join(f"{n} {t}" for n, t in _STAGE_COLUMNS) + ")")
        _load_cameo(store)
        for path in paths:
            if fmt == "gdelt":
                _stage_gdelt(store, path, certainty, confidence)
            else:
                _stage_csv(store, path, certainty, confidence)
        report = _insert(store)
        store.execute("DROP TABLE import_stage")
        store.execute("DROP TABLE import_cameo")
    return report


# -- staging -----------------------------------------------------------------------------------


def _load_cameo(store: Any) -> None:
    rows = list(csv.DictReader(data_file("events", "cameo.csv").read_text(encoding="utf-8").splitlines()))
    store.execute("CREATE OR REPLACE TEMP TABLE import_cameo (code VARCHAR, quad INTEGER, goldstein DOUBLE, "
                  "type VARCHAR, mode VARCHAR, context VARCHAR)")
    store.execute(
        "INSERT INTO import_cameo SELECT unnest($c), unnest($q), unnest($g), unnest($t), unnest($m), unnest($x)",
        {"c": [r["code"] for r in rows], "q": [int(r["quad_class"]) for r in rows],
         "g": [float(r["goldstein"]) for r in rows], "t": [r["plover_type"] or None for r in rows],
         "m": [r["plover_mode"] or None for r in rows], "x": [r["plover_context"] or None for r in rows]})


def _gdelt_columns(path: Path) -> int:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as f:  # type: ignore[operator]
            first = f.readline()
    except OSError as exc:
        raise RecordError(f"cannot read: {exc}", source=str(path)) from exc
    n = len(first.rstrip("\r\n").split("\t"))
    if n not in _GDELT:
        raise RecordError(f"{n} tab-separated columns: not a GDELT 1.0 (57, 58) or 2.0 (61) event export",
                          source=str(path))
    return n


def _stage_gdelt(store: Any, path: Path, certainty: str, confidence: float) -> None:
    n = _gdelt_columns(path)
    c = _GDELT[n]

    def col(i: int | None) -> str:
        return "NULL" if i is None else f"nullif(trim(column{i:02d}), '')"

    day = "strptime(column01, '%Y%m%d')::DATE"
    published = day if c["added"] is None else f"strptime(left(column{c['added']:02d}, 8), '%Y%m%d')::DATE"
    actor = []
    for base in (5, 15):  # Actor1 (source), Actor2 (target): Code, Name, CountryCode, KnownGroupCode, …, Type1Code
        actor += [col(base), col(base + 1), col(base + 2), col(base + 3), col(base + 7)]
    quoted = str(path).replace("'", "''")
    sql = f"""
INSERT INTO import_stage
SELECT 'gdelt:' || column00, 'import:gdelt', {col(c['url'])}, {published},
       strftime({day}, '%Y-%m-%d'), 'day', {day}, {day},
       {', '.join(actor)},
       column26, NULL, TRY_CAST(column29 AS INTEGER), TRY_CAST(column30 AS DOUBLE),
       {col(c['geo_name'])}, TRY_CAST({col(c['lat'])} AS DOUBLE), TRY_CAST({col(c['lon'])} AS DOUBLE),
       $certainty, $confidence, greatest(coalesce(TRY_CAST(column32 AS INTEGER), 1), 1),
       greatest(coalesce(TRY_CAST(column33 AS INTEGER), 1), 1)
FROM read_csv('{quoted}', delim = '\t', header = false, quote = '', escape = '', all_varchar = true,
              columns = {{{', '.join(f"'column{i:02d}': 'VARCHAR'" for i in range(n))}}})
WHERE column01 IS NOT NULL"""
    store.execute(sql, {"certainty": certainty, "confidence": confidence})


def _countries() -> set[str]:
    text = data_file("actors", "countries.csv").read_text(encoding="utf-8")
    return {r["iso3"] for r in csv.DictReader(text.splitlines())}


def _actor(code: str, countries: set[str]) -> tuple[Any, ...]:
    code = code.strip().upper()
    if not code:
        return (None,) * 5
    if code[:3] in countries:
        return code, code, code[:3], None, code[3:] or None
    return code, code, None, code, None


def _stage_csv(store: Any, path: Path, certainty: str, confidence: float) -> None:
    countries = _countries()
    rows: list[tuple[Any, ...]] = []
    for row in _csv_rows(path, countries, certainty, confidence):
        rows.append(row)
        if len(rows) >= 50_000:
            _stage_rows(store, rows)
            rows = []
    _stage_rows(store, rows)


def _stage_rows(store: Any, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    values = ", ".join(f"unnest(${n}::{t}[])" for n, t in _STAGE_COLUMNS)
    store.execute(f"INSERT INTO import_stage SELECT {values}",
                  {n: list(col) for (n, _), col in zip(_STAGE_COLUMNS, zip(*rows, strict=True), strict=True)})


def _csv_rows(path: Path, countries: set[str], certainty: str, confidence: float) -> Iterator[tuple[Any, ...]]:
    from flashpoint.store.rows import _date_bounds

    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise RecordError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    with handle:
        reader = csv.DictReader(handle)
        fields = {(f or "").strip().lower(): f for f in reader.fieldnames or ()}
        missing = [f for f in ("date", "source", "target", "code") if f not in fields]
        if missing:
            raise RecordError(f"the header lacks {', '.join(missing)} (needs date, source, target, code)",
                              source=str(path))
        for line, raw in enumerate(reader, start=2):
            row = {k: (raw.get(f) or "").strip() for k, f in fields.items()}
            where = f"{path}:{line}"
            start, end = _date_bounds(row["date"])
            if start is None:
                raise RecordError(f"date {row['date']!r} is not YYYY-MM-DD, YYYY-MM or YYYY", source=where)
            code = row["code"].upper()
            plover = code if code in PLOVER_TYPES else None
            if plover is None and not code.isdigit():
                raise RecordError(f"code {row['code']!r} is neither a CAMEO code nor a PLOVER type", source=where)
            goldstein = _number(row.get("goldstein"), where, "goldstein")
            if plover and goldstein is None:
                raise RecordError("a PLOVER-coded row needs its goldstein value", source=where)
            label = row.get("certainty") or certainty
            if label not in CERTAINTY_LABELS:
                raise RecordError(f"certainty {label!r} is not one of {', '.join(CERTAINTY_LABELS)}", source=where)
            conf = _number(row.get("confidence"), where, "confidence")
            quad = _number(row.get("quad_class"), where, "quad_class")
            granularity = {1: "year", 2: "month", 3: "day"}[len(row["date"].split("-"))]
            yield (
                f"csv:{row['id']}" if row.get("id") else f"csv:{path.name}:{line}", "import:csv",
                row.get("url") or None, start, row["date"], granularity, start, end,
                *_actor(row["source"], countries), *_actor(row["target"], countries),
                None if plover else code, plover, None if quad is None else int(quad), goldstein,
                row.get("location") or None, _number(row.get("lat"), where, "lat"),
                _number(row.get("lon"), where, "lon"), label, confidence if conf is None else conf, 1, 1,
            )  # fmt: skip


def _number(value: str | None, where: str, name: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise RecordError(f"{name} {value!r} is not a number", source=where) from None


# -- from the stage into the store's tables ----------------------------------------------------

_RESOLVE = """
CREATE OR REPLACE TEMP TABLE import_ready AS
WITH typed AS (
    SELECT s.*,
           coalesce(s.plover, c1.type, c2.type, c3.type) AS type,
           coalesce(c1.mode, c2.mode, c3.mode) AS mode, coalesce(c1.context, c2.context, c3.context) AS context,
           coalesce(s.quad, c1.quad, c2.quad, c3.quad, pq.quad) AS quad_class,
           coalesce(s.goldstein, c1.goldstein, c2.goldstein, c3.goldstein) AS gold,
           'import:' || substr(md5(s.outlet || '|' || coalesce(s.url, s.row_id)), 1, 16) AS article_id
    FROM (SELECT DISTINCT ON (row_id) * FROM import_stage ORDER BY row_id) s
    LEFT JOIN import_cameo c1 ON c1.code = s.cameo
    LEFT JOIN import_cameo c2 ON c2.code = left(s.cameo, 3) AND c1.type IS NULL
    LEFT JOIN import_cameo c3 ON c3.code = left(s.cameo, 2) AND c1.type IS NULL AND c2.type IS NULL
    LEFT JOIN (SELECT type, mode(quad) AS quad FROM import_cameo WHERE type IS NOT NULL GROUP BY type) pq
           ON pq.type = s.plover
)
SELECT t.*, coalesce(n.events, 0) + row_number() OVER (PARTITION BY t.article_id ORDER BY t.row_id) - 1 AS position
FROM typed t
LEFT JOIN (SELECT article_id, count(*) AS events FROM events GROUP BY article_id) n USING (article_id)
WHERE t.type IS NOT NULL AND t.row_id NOT IN (SELECT id FROM events)
"""


def _insert(store: Any) -> ImportReport:
    (rows,) = store.fetchall("SELECT count(*) FROM import_stage")[0]
    store.execute(_RESOLVE)
    (events,) = store.fetchall("SELECT count(*) FROM import_ready")[0]
    now = datetime.now(UTC).replace(tzinfo=None)
    store.execute(
        """INSERT INTO articles (id, record_id, published, outlet, url, language, text, analysed_at, flashpoint_version)
           SELECT article_id, any_value(coalesce(url, row_id)), min(published), any_value(outlet), any_value(url),
                  'en', '', $now, $version
           FROM import_ready WHERE article_id NOT IN (SELECT id FROM articles) GROUP BY article_id""",
        {"now": now, "version": __version__})
    (articles,) = store.fetchall("SELECT count(DISTINCT article_id) FROM import_ready")[0]
    store.execute(
        """INSERT INTO events (id, article_id, position, sentence, trigger_start, trigger_end, type, mode, context,
                               cameo, cameo_root, quad_class, goldstein, date_value, date_granularity, date_start,
                               date_end, date_basis, location_name, lat, lon, certainty, cues, confidence)
           SELECT row_id, article_id, position, 0, 0, 0, type, mode,
                  CASE WHEN context IS NULL THEN []::VARCHAR[] ELSE [context] END,
                  coalesce(cameo, ''), coalesce(left(cameo, 2), ''), quad_class, coalesce(gold, 0), date_value,
                  granularity, date_start, date_end, 'import', location_name,
                  CASE WHEN location_name IS NOT NULL THEN lat END, CASE WHEN location_name IS NOT NULL THEN lon END,
                  certainty, []::VARCHAR[], confidence
           FROM import_ready""")
    for role, p in (("source", "s"), ("target", "t")):
        store.execute(
            f"""INSERT INTO event_actors (event_id, article_id, event_position, role, position, start, "end", key,
                                          country, org, sector, code, name)
                SELECT row_id, article_id, position, '{role}', 0, 0, 0, lower({p}_code), {p}_country, {p}_org,
                       {p}_sector, {p}_code, coalesce({p}_name, {p}_code)
                FROM import_ready WHERE {p}_code IS NOT NULL""")
    store.execute(
        """INSERT INTO incidents (id, type, quad_class, first_date, last_date, source_codes, target_codes,
                                  location_name, events, source_count, reports, sources, first_report, last_report,
                                  certainty, confidence)
           SELECT row_id, type, quad_class, date_start, date_end,
                  CASE WHEN s_code IS NULL THEN []::VARCHAR[] ELSE [s_code] END,
                  CASE WHEN t_code IS NULL THEN []::VARCHAR[] ELSE [t_code] END,
                  location_name, 1, source_count, reports, []::VARCHAR[], published, published, certainty, confidence
           FROM import_ready""")
    store.execute("INSERT INTO incident_events SELECT row_id, row_id, article_id, position FROM import_ready")
    (no_plover,) = store.fetchall(
        "SELECT count(DISTINCT s.row_id) FROM import_stage s WHERE s.row_id NOT IN (SELECT id FROM events) "
        "AND NOT EXISTS (SELECT 1 FROM import_cameo c WHERE c.type IS NOT NULL AND s.plover IS NULL "
        "AND c.code IN (s.cameo, left(s.cameo, 3), left(s.cameo, 2))) AND s.plover IS NULL")[0]
    store.execute("DROP TABLE import_ready")
    already = rows - events - no_plover  # imported before, or repeated in the input
    return ImportReport(int(rows), int(events), int(articles), int(no_plover), int(already))


__all__ = ["FORMATS", "ImportReport", "import_events"]
