"""The flat exports: one row per (event, source actor, target actor), GDELT-like columns
(``shared/spec/analysis-json.md``, "Flat exports")."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any, Literal

from flashpoint.store.query import EventQuery

ExportFormat = Literal["csv", "jsonl", "parquet"]

#: Columns of the flat exports (``shared/spec/analysis-json.md``, "Flat exports"), in order.
FLAT_COLUMNS: tuple[str, ...] = (
    "event_id", "article_id", "date", "date_granularity",
    "source_code", "source_country", "source_org", "source_sector",
    "target_code", "target_country", "target_org", "target_sector",
    "type", "mode", "cameo", "cameo_root", "quad_class", "goldstein", "certainty",
    "location_name", "location_country", "lat", "lon", "sentence_text", "url",
    "incident_id", "duplicate_of",
)  # fmt: skip


# -- flat exports ------------------------------------------------------------------------------

_FLAT_SELECT = """
SELECT e.id AS event_id, e.article_id, e.date_value AS date, e.date_granularity,
       s.code AS source_code, s.country AS source_country,
       s.org AS source_org, s.sector AS source_sector,
       t.code AS target_code, t.country AS target_country,
       t.org AS target_org, t.sector AS target_sector,
       e.type, e.mode, e.cameo, e.cameo_root, e.quad_class, e.goldstein, e.certainty,
       e.location_name, e.location_country, e.lat, e.lon,
       substr(a.text, se.start + 1, se."end" - se.start) AS sentence_text, a.url,
       ie.incident_id, a.duplicate_of
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN incident_events ie ON ie.article_id = e.article_id AND ie.event_position = e.position
LEFT JOIN sentences se ON se.article_id = e.article_id AND se.idx = e.sentence
LEFT JOIN event_actors s
       ON s.article_id = e.article_id AND s.event_position = e.position AND s.role = 'source'
LEFT JOIN event_actors t
       ON t.article_id = e.article_id AND t.event_position = e.position AND t.role = 'target'
"""
_FLAT_ORDER = "ORDER BY e.date_start NULLS LAST, e.article_id, e.position, s.position, t.position"
def flat_query(query: EventQuery) -> tuple[str, dict[str, Any]]:
    """The flat-export SELECT filtered by ``query``, and its named parameters."""
    where = query.events_where("e")
    return f"{_FLAT_SELECT}{where.sql}{_FLAT_ORDER}", where.params


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…) can send
# data away, =cmd|… ran programs in old Excel): OWASP's "CSV injection" advice is to prefix such
# a text cell with a quote, which the spreadsheet shows as text. Numbers (-2.0) are left alone.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a quote before it when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_text(out: IO[str], fmt: str, rows: Iterable[dict[str, Any]], *, escape_formulas: bool = True) -> None:
    """Write flat rows as CSV (text cells that would start a formula quoted, unless
    ``escape_formulas`` is False: for programs, not spreadsheets) or JSON Lines (never changed)."""
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FLAT_COLUMNS)
        if escape_formulas:
            writer.writerows([safe_cell(v) for v in row.values()] for row in rows)
        else:
            writer.writerows(row.values() for row in rows)
    else:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
