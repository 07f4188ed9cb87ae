"""`flashpoint dyads`, `escalation`, `network` and `import-events` end to end on small stores."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hand_store import HandStore

from flashpoint.cli import cli
from flashpoint.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    h = HandStore()
    for d in range(40):
        h.event(f"bg{d}", d, "ARM", "AZE", type_="ACCUSE", quad=3, goldstein=-2, incident=f"ib{d}")
    for k in range(30):
        h.event(f"s{k}", 40, "AZEMIL", "ARM", goldstein=-10, incident=f"is{k}")
    h.event("c1", 5, "USA", "GBR", type_="AGREE", quad=1, goldstein=4, incident="ic1")
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        h.write(store)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_dyads_formats(db: Path):
    table = run("dyads", "--db", str(db), "--period", "week")
    assert table.exit_code == 0 and "ARM-AZE" in table.stdout and "GBR-USA" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run("dyads", "--db", str(db), "--format", "csv").stdout)))
    assert len(rows) == 41 + 1 and rows[0]["dyad"] == "ARM-AZE"  # 41 days of ARM-AZE, one of GBR-USA
    jsonl = [json.loads(line) for line in run("dyads", "--db", str(db), "--format", "jsonl", "--dyad", "AZE>ARM",
                                               "--directed").stdout.splitlines()]
    assert [(r["dyad"], r["incidents"], r["conflict"]) for r in jsonl] == [("AZE>ARM", 30, 300.0)]
    doc = json.loads(run("dyads", "--db", str(db), "--format", "json", "--unit", "events", "--period", "month").stdout)
    assert {r["dyad"] for r in doc} == {"ARM-AZE", "GBR-USA"}


def test_dyads_output_file_and_bad_dyad(db: Path, tmp_path: Path):
    out = tmp_path / "d.csv"
    assert run("dyads", "--db", str(db), "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("dyad,actor1,actor2")
    bad = run("dyads", "--db", str(db), "--dyad", "AZE")
    assert bad.exit_code == 1 and "A-B" in bad.stderr


def test_escalation(db: Path):
    result = run("escalation", "--db", str(db), "--rules", "wire", "--min-events", "1", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["keys"] == 2
    (alert,) = doc["alerts"]
    assert alert["key"] == "ARM-AZE" and len(alert["item_ids"]) == 30
    labels = run("escalation", "--db", str(db), "--rules", "wire", "--min-events", "1", "--show", "alerts", "--format", "csv").stdout
    assert labels.splitlines()[1].startswith("ARM-AZE,2024-04-13")
    actors = json.loads(run("escalation", "--db", str(db), "--rules", "wire", "--min-events", "1", "--by", "actor", "--format",
                            "json").stdout)
    assert {a["key"] for a in actors["alerts"]} == {"ARM", "AZE"}
    table = run("escalation", "--db", str(db), "--rules", "wire", "--min-events", "100")
    assert table.exit_code == 0 and "0 dyads tested" in table.stderr
    every = run("escalation", "--db", str(db), "--rules", "wire", "--min-events", "1", "--every-period", "--format", "jsonl",
                "--period", "week", "--show", "phases")
    assert every.exit_code == 0


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_network(db: Path, tmp_path: Path, fmt: str):
    out = tmp_path / f"net.{fmt}"
    result = run("network", "--db", str(db), "--format", fmt, "-o", str(out), "--half-life", "10",
                 "--since", "2024-03-01", "--until", "2024-04-30")
    assert result.exit_code == 0 and "2 edges" in result.stderr
    text = out.read_text(encoding="utf-8")
    if fmt in ("graphml", "gexf"):
        ET.fromstring(text)
    elif fmt == "json":
        assert json.loads(text)["half_life_days"] == 10.0
    assert "is0" in text


def _gdelt_row(eid: str, day: str, a1: str, a2: str, code: str, gold: float, url: str) -> str:
    c = [""] * 61
    c[0], c[1], c[5], c[7], c[15], c[17] = eid, day, a1, a1[:3], a2, a2[:3]
    c[26], c[29], c[30], c[32], c[33], c[59], c[60] = code, "4", str(gold), "3", "5", day + "120000", url
    return "\t".join(c)


def test_import_events_then_analyse(tmp_path: Path):
    gdelt = tmp_path / "20220224.export.CSV"
    gdelt.write_text("\n".join([_gdelt_row("1", "20220224", "RUSMIL", "UKR", "190", -10, "http://a"),
                                _gdelt_row("2", "20220224", "RUS", "UKRGOV", "173", -7, "http://a"),
                                _gdelt_row("3", "20220224", "RUS", "UKR", "010", 0, "http://b")]) + "\n",
                     encoding="utf-8")
    generic = tmp_path / "mine.csv"
    generic.write_text("Date,Source,Target,Code,Goldstein,URL,certainty\n"
                       "2022-02-25,NATO,RUS,THREATEN,-6,,future\n2022-02-25,AZEMIL,ARM,190,,http://c,\n",
                       encoding="utf-8")
    db = tmp_path / "imp.duckdb"
    first = run("import-events", str(gdelt), "--db", str(db), "--format", "gdelt")
    assert first.exit_code == 0 and "2 events imported into 1 articles" in first.stderr
    assert "1 without a PLOVER type" in first.stderr
    again = run("import-events", str(gdelt), "--db", str(db), "--format", "gdelt")
    assert "0 events imported" in again.stderr and "2 imported before" in again.stderr
    assert run("import-events", str(generic), "--db", str(db), "--format", "csv").exit_code == 0
    rows = {r["dyad"]: r for r in json.loads(run("dyads", "--db", str(db), "--format", "json",
                                                 "--directed").stdout)}
    assert rows["RUS>UKR"]["incidents"] == 2 and rows["RUS>UKR"]["articles"] == 1
    assert rows["NATO>RUS"]["conflict_signalled"] == pytest.approx(3.0)  # -6 × the future weight 0.5
    assert rows["AZE>ARM"]["conflict"] == 10.0  # CAMEO 190's own Goldstein
    with Store(db, read_only=True) as store:
        assert store.fetchall("SELECT DISTINCT outlet FROM articles ORDER BY 1") == [("import:csv",), ("import:gdelt",)]
        assert store.fetchall("SELECT source_count, reports FROM incidents WHERE id = 'gdelt:1'") == [(3, 5)]


@pytest.mark.parametrize("text, message", [
    ("date,source,target\n2022-01-01,A,B\n", "lacks code"),
    ("date,source,target,code\n2022-13-01,RUS,UKR,190\n", "not YYYY-MM-DD"),
    ("date,source,target,code\n2022-01-01,RUS,UKR,SHOUT\n", "neither a CAMEO code"),
    ("date,source,target,code\n2022-01-01,RUS,UKR,ASSAULT\n", "needs its goldstein"),
    ("date,source,target,code,certainty\n2022-01-01,RUS,UKR,190,sure\n", "certainty 'sure'"),
])
def test_import_events_bad_csv(tmp_path: Path, text: str, message: str):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    result = run("import-events", str(path), "--db", str(tmp_path / "x.duckdb"), "--format", "csv")
    assert result.exit_code == 1 and message in result.stderr


def test_import_events_not_gdelt(tmp_path: Path):
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\tc\n", encoding="utf-8")
    result = run("import-events", str(path), "--db", str(tmp_path / "x.duckdb"), "--format", "gdelt")
    assert result.exit_code == 1 and "3 tab-separated columns" in result.stderr


def test_escalation_chooses_the_articles_preset_for_a_small_store(db: Path):
    # a hand store of analysed articles, one a day: the articles preset (weekly), said on stderr
    result = run("escalation", "--db", str(db), "--min-events", "1")
    assert result.exit_code == 0 and "rules articles" in result.stderr and "weeks" in result.stderr
    doc = json.loads(run("escalation", "--db", str(db), "--min-events", "1", "--format", "json").stdout)
    assert doc["rules"] == "articles" and doc["period"] == "week"
    wire = json.loads(run("escalation", "--db", str(db), "--rules", "wire", "--format", "json").stdout)
    assert wire["rules"] == "wire" and wire["period"] == "day"
