"""Importing PETRARCH/Phoenix dictionaries, on a small hand-written sample in their format."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from flashpoint.importers.phoenix import convert
from flashpoint.stages.actors import ActorTagger, Gazetteer

ACTORS = """\
# a comment line
RUVALIA_  [RVL]
+RUVALIAN_
+ZORBA_CITY_  # the capital

MARTA_QUELL_  # CountryInfo.txt
+PRESIDENT_QUELL_
+QUELL
\t[RVLELI 700101-040315]
\t[RVLGOV 040315-120630]
\t[RVLELI >120630]
\t[RVLGOV 9901011-990202]

BAD_DATES_PERSON_
\t[RVLGOV 100101-090101]
"""

INTERNATIONAL = """\
THE_NORTHERN_LEAGUE_OF_STATES_ [IGONLS]
+NLS_
"""

AGENTS = """\
!PERSON! = MAN, WOMAN
FERRY!PERSON! [~BUS]
HARBOUR_POLICE_ [~COP]
"""


@pytest.fixture
def converted(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "Test.Countries.actors.txt").write_text(ACTORS, encoding="utf-8")
    (src / "Test.International.actors.txt").write_text(INTERNATIONAL, encoding="utf-8")
    (src / "Test.agents.txt").write_text(AGENTS, encoding="utf-8")
    out = tmp_path / "out"
    written = convert(sorted(src.iterdir()), out)
    return {p.name: p for p, _ in written}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_dated_codes_become_leader_terms(converted):
    rows = _rows(converted["test-countries-actors.leaders.csv"])
    quell = [r for r in rows if r["name"] == "Marta Quell"]
    assert [(r["sector"], r["start"], r["end"]) for r in quell] == [
        ("ELI", "1970-01-01", "2004-03-15"),
        ("GOV", "2004-03-15", "2012-06-30"),
        ("ELI", "2012-06-30", ""),
    ]  # the malformed 7-digit date is skipped, not read as a name
    assert "President Quell" in quell[0]["aliases"].split("|")
    assert not [r for r in rows if r["name"] == "Bad Dates Person"]  # ends before it starts


def test_undated_entries_become_institutions(converted):
    rows = _rows(converted["test-countries-actors.institutions.csv"])
    (ruvalia,) = rows
    assert ruvalia["country"] == "RVL" and "Zorba City" in ruvalia["text"].split("|")
    (league,) = _rows(converted["test-international-actors.institutions.csv"])
    assert league["org"] == "IGONLS"
    assert "NLS" in league["text"].split("|")


def test_agent_macros_expand(converted):
    words = {r["word"]: r["sector"] for r in _rows(converted["test-agents.sectors.csv"])}
    assert words == {"ferryman": "BUS", "ferrywoman": "BUS", "harbour police": "COP"}


def test_converted_files_load_and_code_by_date(converted, pipeline):
    files = [p for name, p in converted.items() if name.endswith(".csv")]
    gaz = Gazetteer.load(files)
    tagger = ActorTagger(gaz, pipeline.nlp)

    def code(text: str, day: date) -> set[str]:
        doc = pipeline.nlp(text)
        return {m.code for m in tagger.mentions(doc, day)}

    assert "RVLGOV" in code("Quell spoke to reporters.", date(2008, 1, 1))
    assert "RVLELI" in code("Quell spoke to reporters.", date(2015, 1, 1))
    assert "IGONLS" in code("The NLS met on Monday.", date(2015, 1, 1))


def test_cli_import(tmp_path, converted):
    from click.testing import CliRunner

    from flashpoint.cli import cli

    src = tmp_path / "x.agents.txt"
    src.write_text(AGENTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["actors", "import-phoenix", str(src), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "x-agents.sectors.csv: 3 entries" in result.output
