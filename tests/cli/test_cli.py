"""The command line: every command, and every kind of bad input the foundation promises to
handle with a one-line error (never a traceback) and an honest exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from flashpoint.cli import cli
from flashpoint.cli.options import EXIT_NOTHING, EXIT_PARTIAL

REPO = Path(__file__).resolve().parents[2]
ARTICLE = (
    "Armenia accused Azerbaijan on Tuesday of shelling the town of Jermuk. "
    "The Armenian foreign ministry said that Azerbaijani forces had fired on its positions. "
    "Russia urged both sides to show restraint."
)


@pytest.fixture(scope="module")
def runner(pipeline):  # the session pipeline keeps the model loaded for the CLI too
    return CliRunner()


def run(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "expected an error message"
    assert all(line.startswith("flashpoint: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_analyze_text_summary(runner, article_file):
    result = run(runner, "analyze", str(article_file), "--published", "2022-09-15")
    assert result.exit_code == 0, result.stderr
    assert "ACCUSE" in result.stdout
    assert "2022-09-13" in result.stdout


def test_analyze_json_follows_the_contract(runner, article_file):
    result = run(runner, "analyze", str(article_file), "--published", "2022-09-15", "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) >= {"id", "article", "sentences", "actors", "events", "certainty_profile", "skipped"}
    text = data["article"]["text"]
    for e in data["events"]:
        s, t = e["trigger"]["span"]
        assert text[s:t] == e["trigger"]["text"]
        for ref in e["source"] + e["target"]:
            assert text[ref["span"][0] : ref["span"][1]] == ref["text"]
    assert data["article"]["published"] == "2022-09-15"
    assert data["article"]["published_source"] == "argument"


def test_jsonl_batch_one_line_per_record(runner, tmp_path):
    records = tmp_path / "batch.jsonl"
    records.write_text(
        json.dumps({"id": "a", "text": ARTICLE, "published": "2022-09-15"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "c", "text": "   "}) + "\n"
        + json.dumps({"id": "d", "text": "Russia urged Armenia and Azerbaijan to talk."}) + "\n",
        encoding="utf-8",
    )
    result = run(runner, "analyze", str(records), "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines][0] == "a"
    assert [line["id"] for line in lines][-1] == "d"
    assert len(lines) == 4
    assert lines[2]["id"] == "c" and lines[2]["skipped"][0]["reason"] == "empty"
    assert result.exit_code == EXIT_PARTIAL


def test_stdin(runner):
    result = run(runner, "analyze", "-", "--format", "json", input=ARTICLE)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["events"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t\n  ", "empty"),
        ("binary.txt", bytes(range(256)) * 20, "binary"),
        ("latin1.txt", "Le président a déclaré".encode("latin-1") + b" \xe9\xe8 " * 30, "UTF-8"),
        ("german.txt",
         "Die Regierung in Berlin hat am Dienstag neue Gespräche mit den Nachbarländern "
         "angekündigt, nachdem die Lage an der Grenze sich weiter verschärft hatte und die "
         "Minister der beiden Länder sich nicht auf eine gemeinsame Erklärung einigen konnten.".encode(),
         "English"),
    ],
)
def test_bad_input_one_line_error(runner, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(runner, "analyze", str(path))
    assert result.exit_code == EXIT_NOTHING
    assert expected.lower() in one_line_error(result).lower()


def test_huge_file_refused_fast(runner, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # 50 MB, sparse: refused from its size, never read
        handle.truncate(50 * 1024 * 1024)
    result = run(runner, "analyze", str(path))
    assert result.exit_code == EXIT_NOTHING
    assert "large" in one_line_error(result).lower()


def test_missing_file(runner, tmp_path):
    result = run(runner, "analyze", str(tmp_path / "nope.txt"))
    assert result.exit_code == EXIT_NOTHING
    assert "no such file" in one_line_error(result).lower()


def test_directory_with_unreadable_files_goes_on(runner, tmp_path, article_file):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = run(runner, "analyze", str(folder), "--format", "jsonl")
    assert result.exit_code == EXIT_PARTIAL
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum(1 for r in records if r["article"]) == 1
    assert sum(1 for r in records if r["article"] is None) == 2
    assert "Traceback" not in result.stderr


def test_bad_published_is_a_usage_error(runner, article_file):
    result = runner.invoke(cli, ["analyze", str(article_file), "--published", "15/09/2022"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_store_and_export_round_trip(runner, tmp_path, article_file):
    db = tmp_path / "events.duckdb"
    for _ in range(2):  # re-analysing the same article replaces its rows
        result = run(runner, "analyze", str(article_file), "--published", "2022-09-15", "--db", str(db),
                     "--format", "jsonl")
        assert result.exit_code == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from articles").fetchone()[0] == 1
    n_events = con.execute("select count(*) from events").fetchone()[0]
    con.close()
    assert n_events >= 2

    csv_out = run(runner, "events", "--db", str(db), "--actor", "ARM", "--format", "csv")
    header = csv_out.stdout.splitlines()[0].split(",")
    assert header[:3] == ["event_id", "article_id", "date"]
    assert len(csv_out.stdout.splitlines()) > 1

    typed = run(runner, "events", "--db", str(db), "--type", "ACCUSE", "--format", "jsonl")
    rows = [json.loads(line) for line in typed.stdout.splitlines()]
    assert rows and all(r["type"] == "ACCUSE" for r in rows)

    later = run(runner, "events", "--db", str(db), "--since", "2030-01-01", "--format", "jsonl")
    assert later.stdout.strip() == ""

    parquet = tmp_path / "e.parquet"
    run(runner, "events", "--db", str(db), "--format", "parquet", "--output", str(parquet))
    assert duckdb.connect().execute(f"select count(*) from '{parquet}'").fetchone()[0] >= 2

    listed = run(runner, "actors", "--db", str(db))
    assert "ARM" in listed.stdout


def test_db_that_is_not_a_database_is_left_alone(runner, tmp_path, article_file):
    db = tmp_path / "notes.txt"
    db.write_text("my precious notes", encoding="utf-8")
    result = run(runner, "analyze", str(article_file), "--db", str(db))
    assert result.exit_code == EXIT_NOTHING
    assert "not a Flashpoint database" in one_line_error(result)
    assert db.read_text(encoding="utf-8") == "my precious notes"


def test_min_certainty_filters_events(runner, tmp_path):
    path = tmp_path / "hedged.txt"
    path.write_text("Russia attacked Ukraine on Monday. Turkey might attack Greece next week, officials said.",
                    encoding="utf-8")
    every = json.loads(run(runner, "analyze", str(path), "--format", "json").stdout)["events"]
    sure = json.loads(run(runner, "analyze", str(path), "--format", "json", "--min-certainty", "asserted").stdout)["events"]
    assert len(sure) < len(every)
    assert all(e["certainty"]["label"] == "asserted" for e in sure)


def test_min_confidence_filters_events(runner, tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text("Russia attacked Ukraine on Monday. The shelling of Kharkiv was reported by witnesses.",
                    encoding="utf-8")
    every = json.loads(run(runner, "analyze", str(path), "--format", "json").stdout)["events"]
    cut = max(e["confidence"] for e in every)  # keeps the most confident event(s) only
    kept = json.loads(run(runner, "analyze", str(path), "--format", "json", "--min-confidence", str(cut)).stdout)["events"]
    assert kept == [e for e in every if e["confidence"] >= cut]
    assert any(e["confidence"] < cut for e in every)  # the filter has something to drop
    assert run(runner, "analyze", str(path), "--min-confidence", "1.5").exit_code == 2


def test_sample_and_doctor(runner):
    assert run(runner, "analyze", "--sample").exit_code == 0
    doctor = run(runner, "doctor")
    assert "model:" in doctor.stdout


def test_every_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"flashpoint {name}" in readme, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in readme, f"{name} {opt}"


def test_installed_entry_point(article_file):
    exe = Path(sys.executable).with_name("flashpoint")
    if not exe.exists():
        pytest.skip("the flashpoint script is installed with the package (make install)")
    result = subprocess.run([str(exe), "analyze", str(article_file), "--format", "json"],
                            capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["article"]["id"]


def test_events_partitioned_by_month(runner, tmp_path, article_file):
    db = tmp_path / "p.duckdb"
    run(runner, "analyze", str(article_file), "--published", "2022-09-15", "--db", str(db), "--format", "jsonl")
    out = tmp_path / "dataset"
    result = run(runner, "events", "--db", str(db), "--format", "parquet", "--partition-by", "month",
                 "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "month=2022-09").is_dir()
    n = duckdb.connect().execute(f"select count(*) from read_parquet('{out}/**/*.parquet')").fetchone()[0]
    assert n >= 2


def test_a_long_file_in_a_directory_is_skipped_and_the_others_analysed(runner, tmp_path):
    """Hardening fault 1: one file of 1,000,000+ characters used to end the run with spaCy's
    E088 traceback and lose the good files of its batch."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-long.txt").write_text("\n\n".join([ARTICLE] * 5_000), encoding="utf-8")
    (folder / "b-good.txt").write_text(ARTICLE, encoding="utf-8")
    result = run(runner, "analyze", str(folder), "--format", "jsonl")
    assert result.exit_code == EXIT_PARTIAL, result.stderr
    assert "characters" in one_line_error(result) and "a-long.txt" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [bool(line["events"]) for line in lines] == [False, True]


def test_escape_sequences_in_a_record_never_reach_the_terminal(runner, tmp_path):
    """Hardening fault 6: a title or author with escape sequences (clear screen, window title)
    was printed raw by the text summary."""
    path = tmp_path / "feed.jsonl"
    record = {"id": "x\x1b[2J", "text": ARTICLE, "title": "Clash\x1b[2J\x1b]0;pwned\x07 at the border\x9b31m",
              "author": "Jane\x1b[31m Doe\x08\x08", "url": "https://example.com/\x1b[1m"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run(runner, "analyze", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Clash at the border" in result.stdout and "Jane Doe" in result.stdout
    for control in ("\x1b", "\x07", "\x08", "\x9b"):
        assert control not in result.stdout


def test_escape_sequences_in_a_file_name_never_reach_the_terminal(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad\x1b]0;pwned\x07.txt").write_bytes(b"\x00\x01binary")
    result = run(runner, "analyze", str(folder))
    assert "bad.txt" in one_line_error(result) and "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_jsonl_skip_lines_keep_the_record_id(runner, tmp_path):
    """Hardening fault 9: a record the reader refused showed "id": null although it had one."""
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "r1", "text": 5}\n{"id": "r2", "text": ""}\n', encoding="utf-8")
    result = run(runner, "analyze", str(path), "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["r1", "r2"]


def test_analyze_db_records_a_skipped_file_once(runner, tmp_path, article_file):
    """Hardening fault 9: every `analyze --db` run added the same skipped row again."""
    bad = tmp_path / "b.txt"
    bad.write_text("", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    for _ in range(3):
        result = run(runner, "analyze", str(article_file), str(bad), "--db", str(db))
        assert result.exit_code == EXIT_PARTIAL, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT origin, reason FROM skipped").fetchall() == [(str(bad), "empty")]
    con.close()


def test_analyze_sigterm_stops_like_ctrl_c_and_keeps_what_was_stored(tmp_path: Path) -> None:
    """SIGTERM killed `analyze` on the spot (no message, status -15); now it stops as Ctrl-C
    does: a one-line message, status 143, the articles stored so far kept in the database."""
    import signal

    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(200):
        (inputs / f"{i:03}.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "a.duckdb"
    run = subprocess.Popen([sys.executable, "-m", "flashpoint.cli", "analyze", str(inputs), "--db", str(db),
                            "--format", "jsonl", "--published", "2022-09-15"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert run.stdout is not None and run.stderr is not None
    first = run.stdout.readline()  # one article analysed and stored
    assert json.loads(first)["events"], first
    run.send_signal(signal.SIGTERM)
    run.stdout.read()
    message = run.stderr.read()
    assert run.wait(timeout=60) == 143, message
    assert "terminated after" in message and "Traceback" not in message
    stored = duckdb.connect(str(db), read_only=True).execute("select count(*) from articles").fetchone()[0]
    assert 1 <= stored < 200
