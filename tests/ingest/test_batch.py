"""Resumable, idempotent batch ingest: a real SIGKILL mid-run, local workers and a Dask cluster.

Every run here must give the same database as one uninterrupted run in this process: the same
articles, sentences, events, actors, near-duplicate links, incidents and skipped documents,
each stored exactly once (timestamps aside).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from corpus_articles import ARTICLE_SET, varied_articles

from flashpoint.cli import cli
from flashpoint.ingest.run import (
    CRASH_MARKER_ENV,
    RENDEZVOUS_ENV,
    IngestError,
    IngestOptions,
    ingest,
    load_rules,
)

pytestmark = pytest.mark.slow

NOT_ENGLISH = ("Le gouvernement arménien a accusé l'Azerbaïdjan d'avoir bombardé la ville de Jermuk "
               "lundi matin, selon le ministère de la défense, qui a dénoncé une violation du cessez-le-feu.")
# (table, columns that identify a row's content; timestamps left out)
TABLES = {
    "articles": "id, record_id, title, published, url, text, duplicate_of, duplicate_similarity",
    "sentences": "*", "actors": "*", "events": "*", "event_actors": "*", "profiles": "*",
    "skipped": "origin, article_id, position, reason, detail",
    "documents": "key, origin, record_id, content_hash, article_id, status, reason",
    "minhashes": "*", "minhash_bands": "*", "incidents": "*", "incident_events": "*",
}


def write_corpus(folder: Path) -> tuple[Path, int]:
    """28 short articles, the hand-written Jermuk set, a French one and a broken line."""
    records = varied_articles(28)
    records += [{"id": i, "text": t, "published": p, "url": u} for i, t, p, u in ARTICLE_SET]
    lines = [json.dumps(r) for r in records]
    lines.insert(20, json.dumps({"id": "fr", "text": NOT_ENGLISH}))
    lines.insert(30, '{"id": "broken", "text": "no closing quote}')
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(lines)


def contents(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {table: sorted(con.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
                for table, cols in TABLES.items()}
    finally:
        con.close()


def options(**kw) -> IngestOptions:
    dedup, incident_rules = load_rules()
    return IngestOptions(dedup=dedup, incident_rules=incident_rules, batch_size=4, **kw)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def reference(corpus: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    """One uninterrupted run in this process."""
    db = tmp_path_factory.mktemp("reference") / "db.duckdb"
    report = ingest([str(corpus[0])], db, options=options())
    assert report.skipped == 2 and report.documents == corpus[1]
    return contents(db)


def command(corpus: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "flashpoint.cli", "ingest", str(corpus), "--db", str(db),
            "--batch-size", "4", "--no-progress", *extra]


def test_sigkill_mid_run_then_resume_stores_every_article_once(
        corpus: tuple[Path, int], reference: dict[str, list[tuple]], tmp_path: Path) -> None:
    path, n_documents = corpus
    db = tmp_path / "db.duckdb"
    run = subprocess.Popen(command(path, db, "--verbose"), stderr=subprocess.PIPE, text=True)
    assert run.stderr is not None
    committed = 0
    deadline = time.monotonic() + 50
    for line in run.stderr:
        if "committed batch" in line:
            committed += 1
            if committed == 3:
                break
        assert time.monotonic() < deadline, "the ingest did not commit three batches in time"
    os.kill(run.pid, signal.SIGKILL)  # no cleanup, no atexit, an open transaction maybe
    run.wait()
    assert run.returncode == -signal.SIGKILL

    partial = contents(db)
    assert 12 <= len(partial["documents"]) < n_documents  # three batches or a few more, not all

    resumed = subprocess.run(command(path, db), capture_output=True, text=True, timeout=55)
    assert resumed.returncode == 3, resumed.stderr  # the French and the broken record were skipped
    assert "done before" in resumed.stderr
    done_before = int(resumed.stderr.split(" skipped, ")[1].split(" done before")[0].replace(",", ""))
    # every document the killed run committed, but the broken line (no content to hash): retried
    assert done_before == sum(1 for row in partial["documents"] if row[3] is not None) >= 12

    after = contents(db)
    assert after == reference
    keys = [row[0] for row in after["documents"]]
    assert len(keys) == len(set(keys)) == n_documents
    assert sorted(row[3] for row in after["skipped"]) == ["language", "record"]


def test_ingesting_the_same_corpus_again_adds_nothing(corpus: tuple[Path, int],
                                                      reference: dict[str, list[tuple]], tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    ingest([str(corpus[0])], db, options=options())
    again = ingest([str(corpus[0])], db, options=options())
    assert again.analysed == 0 and again.events == 0 and again.incidents is None
    assert again.done_before == corpus[1] - 1 and again.skipped == 1  # the broken line, again
    assert contents(db) == reference


def test_restart_analyses_everything_again_and_changes_nothing(corpus: tuple[Path, int],
                                                               reference: dict[str, list[tuple]],
                                                               tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    ingest([str(corpus[0])], db, options=options())
    again = ingest([str(corpus[0])], db, options=options(resume=False))
    assert again.done_before == 0 and again.analysed == len(reference["articles"])
    assert contents(db) == reference


def test_cli_exit_status_and_summary(corpus: tuple[Path, int], tmp_path: Path) -> None:
    clean = tmp_path / "clean.jsonl"
    clean.write_text("".join(json.dumps(r) + "\n" for r in varied_articles(3)), encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(cli, ["ingest", str(clean), "--db", str(tmp_path / "a.duckdb"), "--progress"])
    assert ok.exit_code == 0, ok.output
    assert "3 articles stored" in ok.output and "articles (" in ok.output  # the live line
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": ""}\nnot json\n', encoding="utf-8")
    nothing = runner.invoke(cli, ["ingest", str(bad), "--db", str(tmp_path / "b.duckdb")])
    assert nothing.exit_code == 1 and "2 skipped" in nothing.output
    missing = runner.invoke(cli, ["ingest", str(tmp_path / "nope-*.csv"), "--db", str(tmp_path / "c.duckdb")])
    assert missing.exit_code == 1 and "no file matches" not in missing.output  # recorded, not printed
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    assert con.execute("SELECT reason FROM skipped").fetchall() == [("unreadable",)]
    con.close()


def test_two_local_workers_give_the_same_database(corpus: tuple[Path, int], reference: dict[str, list[tuple]],
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each worker holds its first batch until the other has one: under load, the worker that
    # loaded its model first once took every batch before the other was ready
    meet = tmp_path / "meet"
    meet.mkdir()
    monkeypatch.setenv(RENDEZVOUS_ENV, f"{meet}:2")
    db = tmp_path / "db.duckdb"
    report = ingest([str(corpus[0])], db, options=options(workers=2))
    assert len(report.worker_rss_mb) == 2  # both processes took batches
    assert len(list(meet.iterdir())) == 2
    assert contents(db) == reference


def test_a_document_that_kills_its_worker_is_skipped_and_the_run_goes_on(
        corpus: tuple[Path, int], reference: dict[str, list[tuple]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the worker processes (spawned, so they inherit the environment) die at once on any
    # document containing this text: one of the corpus's articles does
    texts = [json.loads(line).get("text", "") for line in corpus[0].read_text(encoding="utf-8").splitlines()
             if line.startswith("{") and line.endswith("}") and "no closing quote" not in line]
    marker = next(m for m in (t[-50:] for t in texts if len(t) > 50) if sum(m in t for t in texts) == 1)
    monkeypatch.setenv(CRASH_MARKER_ENV, marker)
    db = tmp_path / "db.duckdb"
    report = ingest([str(corpus[0])], db, options=options(workers=2))
    assert report.documents == corpus[1]
    got = contents(db)
    crashed = [row for row in got["skipped"] if row[3] == "crash"]
    assert len(crashed) == 1 and "worker process" in crashed[0][4]
    # every other document is stored as in the uninterrupted run
    assert {r[0] for r in got["documents"]} == {r[0] for r in reference["documents"]}
    assert len(got["articles"]) == len(reference["articles"]) - 1


def test_a_worker_that_keeps_dying_stops_the_run(corpus: tuple[Path, int], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CRASH_MARKER_ENV, " ")  # every document kills its worker: not the documents' fault
    with pytest.raises(IngestError, match="in a row killed their worker"):
        ingest([str(corpus[0])], tmp_path / "db.duckdb", options=options(workers=2))


# -- Dask: a scheduler and two worker processes on loopback ------------------------------------


@pytest.fixture(scope="module")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory):
    """`dask scheduler` and `dask worker --nworkers 2` as separate processes, as on a cluster."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    dask = str(Path(sys.executable).parent / "dask")
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    log = (folder / "dask.log").open("w")
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                  stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)]
    try:
        deadline = time.monotonic() + 30
        while not scheduler_file.exists() or not scheduler_file.read_text():
            assert time.monotonic() < deadline, "the Dask scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.3)
        address = json.loads(scheduler_file.read_text())["address"]
        processes.append(subprocess.Popen(
            [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1",
             "--no-dashboard", "--memory-limit", "0", "--local-directory", str(folder)],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder))
        from distributed import Client

        with Client(address, timeout="20s") as client:
            client.wait_for_workers(2, timeout=40)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def test_a_dask_cluster_gives_the_same_database(corpus: tuple[Path, int], reference: dict[str, list[tuple]],
                                                dask_scheduler: str, tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    report = ingest([str(corpus[0])], db, options=options(scheduler=dask_scheduler))
    assert report.skipped == 2
    assert len(report.worker_rss_mb) == 2  # the batches ran on both workers, not here
    assert all(not name.endswith(f":{os.getpid()}") for name in report.worker_rss_mb)
    assert contents(db) == reference


def test_an_unreachable_scheduler_is_a_clear_error(corpus: tuple[Path, int], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(corpus[0]), "--db", str(tmp_path / "db.duckdb"),
                                                 "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler" in result.output


def test_the_summary_warns_when_articles_were_stored_undated(tmp_path: Path) -> None:
    """Hardening fault 10: a corpus whose date column has another name was stored undated in
    silence."""
    path = tmp_path / "wire.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "fecha", "text"])
        writer.writerows((r["id"], "2020-01-05", r["text"]) for r in varied_articles(3))
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "a.duckdb"), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "3 of 3 articles stored have no publication date" in result.output
    assert "--field published=COLUMN" in result.output
    mapped = runner.invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "b.duckdb"), "--no-progress",
                                 "--field", "published=fecha"])
    assert mapped.exit_code == 0, mapped.output
    assert "no publication date" not in mapped.output
    con = duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True)
    assert con.execute("SELECT DISTINCT published FROM articles").fetchall()[0][0].isoformat() == "2020-01-05"
    con.close()


# -- hardening (issue 12, fault 5): process hygiene ------------------------------------------------


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; its new parent reaps it when it will


def _wait_for_commit(run: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    assert run.stderr is not None
    for line in run.stderr:
        if "committed batch" in line:
            return
        assert time.monotonic() < deadline, "the ingest did not commit a batch in time"
    raise AssertionError("the ingest ended before committing a batch")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_workers_exit_when_the_ingest_is_killed(corpus: tuple[Path, int], tmp_path: Path) -> None:
    """The worker processes (~500 MB each) and the resource tracker stayed for ever after a
    kill -9 of `ingest --workers N`."""
    run = subprocess.Popen(command(corpus[0], tmp_path / "db.duckdb", "--verbose", "--workers", "2"),
                           stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_commit(run)
        children = _descendants(run.pid)
        assert len(children) >= 2  # the two workers (and the resource tracker)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = sorted(pid for pid in children if _alive(pid))
    finally:
        for pid in _descendants(run.pid) | (children if "children" in locals() else set()):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left behind: {left}"


def test_sigterm_is_handled_like_ctrl_c(corpus: tuple[Path, int], reference: dict[str, list[tuple]],
                                        tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    run = subprocess.Popen(command(corpus[0], db, "--verbose"), stderr=subprocess.PIPE, text=True)
    _wait_for_commit(run)
    run.send_signal(signal.SIGTERM)
    rest = run.stderr.read() if run.stderr else ""
    assert run.wait(timeout=60) == 143, rest
    assert "terminated" in rest and "run the same command again to resume" in rest
    resumed = subprocess.run(command(corpus[0], db), capture_output=True, text=True, timeout=90)
    assert resumed.returncode == 3, resumed.stderr
    assert contents(db) == reference
