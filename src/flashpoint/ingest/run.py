"""Resumable batch analysis of large corpora, on local processes or a Dask cluster.

:func:`ingest` streams a corpus (:mod:`flashpoint.corpus`) in batches. Each batch is analysed
by a worker — this process, a local process (``workers > 1``) or a Dask worker (``scheduler``)
— that loads the model once and sends the batch back as a *partition*: the article tables as
Parquet files written by an in-memory store, with each document's outcome and MinHash
signature. This process alone writes the database; per batch, in one transaction, it

1. inserts the partition's new articles (an article already stored is a ``copy``),
2. links near-duplicates to their originals (:class:`~flashpoint.dedup.Linker`),
3. records the documents that could not be analysed in ``skipped``, and
4. marks every document of the batch done in ``documents``.

A run that is interrupted (Ctrl-C, kill -9, power loss) loses at most the batches not yet
committed; the next run skips the documents marked done with the same content hash, so no
article is lost or stored twice, and re-ingesting a corpus adds nothing. Partitions are
committed in the order the batches were read, so a run gives the same database however many
workers it had. Incidents are rebuilt at the end (:mod:`flashpoint.incidents`).

Memory stays flat: the corpus is read as it goes, at most ``in_flight`` batches per worker are
queued, and every lookup (done documents, dedup candidates) is a query on the database.
"""

from __future__ import annotations

import os
import resource
import socket
import tempfile
import threading
import time
import tomllib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from flashpoint._version import __version__
from flashpoint.analysis import incidents
from flashpoint.analysis.incidents import IncidentRules
from flashpoint.errors import DataFileError, FlashpointError, IngestError
from flashpoint.ingest import dedup
from flashpoint.ingest.dedup import DedupRules, Signature
from flashpoint.inputs import corpus
from flashpoint.inputs.documents import Document, Failure
from flashpoint.resources import data_file
from flashpoint.settings import Settings

# -- options -----------------------------------------------------------------------------


def load_rules(user_file: str | os.PathLike[str] | None = None) -> tuple[DedupRules, IncidentRules]:
    """The dedup and incident rules: ``data/corpus.toml``, overridden by ``user_file``'s settings."""
    shipped = tomllib.loads((data_file("ingest", "corpus.toml")).read_text("utf-8"))
    sections = {name: dict(shipped.get(name, {})) for name in ("dedup", "incidents")}
    if user_file is not None:
        try:
            user = tomllib.loads(Path(user_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise DataFileError(f"cannot read the rules file: {exc}", source=str(user_file)) from exc
        unknown = set(user) - set(sections)
        if unknown:
            raise DataFileError(f"unknown section(s) {sorted(unknown)}; use [dedup] and [incidents]",
                                source=str(user_file))
        for name, values in user.items():
            sections[name].update(values)
    return DedupRules.from_mapping(sections["dedup"]), IncidentRules.from_mapping(sections["incidents"])


@dataclass(frozen=True)
class IngestOptions:
    """How :func:`ingest` runs.

    workers: local worker processes (1: analyse in this process).
    scheduler: address of a Dask scheduler (``tcp://host:8786``); overrides ``workers``.
    batch_size: documents per batch, the unit of work and of commit.
    in_flight: batches queued per worker beyond the one it is analysing.
    resume: skip documents already done; False (``--restart``) forgets them and analyses
        everything again, replacing the stored articles.
    input_format: overrides the format the file extensions give.
    published: publication date of every document (overrides metadata and datelines).
    incidents: rebuild the incidents at the end of the run.
    """

    workers: int = 1
    scheduler: str | None = None
    batch_size: int = 32
    in_flight: int = 2
    resume: bool = True
    input_format: str | None = None
    published: date | None = None
    incidents: bool = True
    dedup: DedupRules = field(default_factory=DedupRules)
    incident_rules: IncidentRules = field(default_factory=IncidentRules)

    def __post_init__(self) -> None:
        if self.workers < 1 or self.batch_size < 1 or self.in_flight < 1:
            raise ValueError("workers, batch_size and in_flight must be at least 1")


# -- what travels between the parent and the workers ---------------------------------------


@dataclass(frozen=True, slots=True)
class Task:
    """One document to analyse."""

    key: str
    content_hash: str
    document: Document


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one document: an article (``article_id``) or an error."""

    key: str
    origin: str
    record_id: str | None
    content_hash: str | None
    article_id: str | None = None
    published: date | None = None
    events: int = 0
    signature: Signature | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class Partition:
    """A batch's results: outcomes in task order and the article tables as Parquet files."""

    outcomes: tuple[Outcome, ...]
    tables: dict[str, bytes]
    worker: str
    peak_rss_mb: float


class BatchAnalyser:
    """Analyses batches in one worker process: the model loads once, here."""

    def __init__(self, settings: Settings, rules: DedupRules) -> None:
        from flashpoint.pipeline import Pipeline
        from flashpoint.store import Store

        self.settings = settings
        self.pipe = Pipeline(settings)
        self.signer = dedup.Signer(rules)
        self.store = Store(":memory:")
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self._lock = threading.Lock()  # a Dask worker may run two tasks at once on threads

    def __call__(self, tasks: Sequence[Task], published: date | None) -> Partition:
        with self._lock:
            return self._analyse(tasks, published)

    def _analyse(self, tasks: Sequence[Task], published: date | None) -> Partition:
        from flashpoint.inputs import clean as ingest

        crash = os.environ.get(CRASH_MARKER_ENV)
        if crash and any(crash in task.document.content for task in tasks):
            os._exit(70)  # the test suite's stand-in for a document that kills its worker
        outcomes: dict[str, Outcome] = {}
        articles, ready = [], []
        for task in tasks:
            try:
                article = ingest.to_article(task.document, published=published, settings=self.settings)
            except FlashpointError as exc:
                outcomes[task.key] = _failed(task, exc)
            else:
                articles.append((article, task.document.id))
                ready.append(task)
        analyses = []
        for task, result in zip(ready, self._analyses(articles), strict=True):
            if isinstance(result, tuple):
                outcomes[task.key] = _failed(task, result[1])
                continue
            article = result.article
            outcomes[task.key] = Outcome(
                task.key, task.document.origin, task.document.id, task.content_hash, article.id,
                article.published, len(result.events), self.signer(article.text))
            if all(a.article.id != article.id for a in analyses):  # the first of equal texts wins
                analyses.append(result)
        self.store.save_many(analyses)
        with tempfile.TemporaryDirectory(prefix="flashpoint-part-") as folder:
            files = self.store.dump_articles(folder)
            tables = {table: path.read_bytes() for table, path in files.items()}
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        return Partition(tuple(outcomes[t.key] for t in tasks), tables, self.worker, rss)

    def _analyses(self, articles: list[tuple[Any, str | None]]) -> list[Any]:
        """Every article's analysis or (record id, error); a batch that breaks is redone one
        article at a time, so that one bad document cannot sink the others."""
        try:
            return list(self.pipe.analyze_many(articles))
        except Exception:  # a bug below the stages' own guards: isolate the document
            results: list[Any] = []
            for item in articles:
                try:
                    results += list(self.pipe.analyze_many([item]))
                except Exception as exc:
                    results.append((item[1], FlashpointError(f"analysis failed: {type(exc).__name__}: {exc}")))
            return results


def _failed(task: Task, exc: FlashpointError) -> Outcome:
    return Outcome(task.key, task.document.origin, task.document.id, task.content_hash,
                   error_code=exc.code, error_message=exc.message)


# Testing only: a worker process that meets a document containing this environment variable's
# value dies at once, as a worker would on a document that crashes the parser or exhausts memory.
CRASH_MARKER_ENV = "FLASHPOINT_TEST_CRASH_MARKER"
# Testing only: "FOLDER:N" makes each worker process hold its first batch until N worker
# processes have each started one (it leaves a file named for itself in FOLDER), so that a test
# of several workers does not depend on how fast each loads its model: under load one worker
# could take every batch before the other was ready. Never waits more than RENDEZVOUS_SECONDS.
RENDEZVOUS_ENV = "FLASHPOINT_TEST_RENDEZVOUS"
RENDEZVOUS_SECONDS = 300.0
_MET: list[bool] = []  # this process has met the others (once per process)

# One analyser per worker process, built on its first batch (or when the pool or the Dask
# plugin starts the process): the task functions below must be importable module functions
# for multiprocessing and Dask, so the model they load once is kept here, per process.
_ANALYSERS: dict[tuple[Settings, DedupRules], BatchAnalyser] = {}


def _analyser(settings: Settings, rules: DedupRules) -> BatchAnalyser:
    key = (settings, rules)
    if key not in _ANALYSERS:
        _ANALYSERS.clear()  # a long-lived Dask worker keeps only the latest job's model
        _ANALYSERS[key] = BatchAnalyser(settings, rules)
    return _ANALYSERS[key]


def analyse_batch(settings: Settings, rules: DedupRules, tasks: Sequence[Task],
                  published: date | None) -> Partition:
    """Analyse one batch in this process (the task run by local and Dask workers)."""
    if os.environ.get(RENDEZVOUS_ENV) and not _MET:
        _rendezvous(os.environ[RENDEZVOUS_ENV])
    return _analyser(settings, rules)(tasks, published)


def _rendezvous(spec: str) -> None:
    """Wait until the number of worker processes ``spec`` names has started a batch (tests only)."""
    folder, _, count = spec.rpartition(":")
    Path(folder, f"{socket.gethostname()}-{os.getpid()}").touch()
    deadline = time.monotonic() + RENDEZVOUS_SECONDS
    while len(os.listdir(folder)) < int(count) and time.monotonic() < deadline:
        time.sleep(0.05)
    _MET.append(True)


def _start_local_worker(settings: Settings, rules: DedupRules) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _watch_parent(os.getppid())
    _analyser(settings, rules)


_PARENT_POLL_SECONDS = 1.0


def _watch_parent(parent: int) -> None:
    """End this worker process as soon as the process that started it is gone.

    A pool's worker waits for work on a queue whose write end it holds itself, so when the
    parent dies without closing the pool (kill -9, a crash, the OOM killer) nothing would ever
    end it: each kept its model (~500 MB) and, through it, the resource tracker, for ever. A
    dead parent's children are adopted by another process, so the parent id changes.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="flashpoint-parent-watch", daemon=True).start()


# -- where batches run ---------------------------------------------------------------------


class _Done:
    """A finished future for work done in this process."""

    def __init__(self, value: Partition) -> None:
        self._value = value

    def done(self) -> bool:
        return True

    def result(self) -> Partition:
        return self._value


class _Runner:
    """Runs batches somewhere; ``submit`` returns an object with ``done()`` and ``result()``."""

    slots = 1

    def submit(self, tasks: list[Task], published: date | None) -> Any:
        raise NotImplementedError

    def close(self, cancel: bool = False) -> None:
        pass


class _InProcess(_Runner):
    def __init__(self, settings: Settings, rules: DedupRules) -> None:
        self.settings, self.rules = settings, rules
        _analyser(settings, rules)

    def submit(self, tasks: list[Task], published: date | None) -> _Done:
        return _Done(analyse_batch(self.settings, self.rules, tasks, published))


class _LocalPool(_Runner):
    def __init__(self, settings: Settings, rules: DedupRules, workers: int) -> None:
        import multiprocessing

        self.settings, self.rules, self.slots = settings, rules, workers
        self.crashes = 0  # documents in a row whose worker died
        # spawn: a forked child would share the parent's DuckDB connection and threads
        self._context = multiprocessing.get_context("spawn")
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.slots, mp_context=self._context,
                                   initializer=_start_local_worker, initargs=(self.settings, self.rules))

    def submit(self, tasks: list[Task], published: date | None) -> Future[Partition]:
        return self.pool.submit(analyse_batch, self.settings, self.rules, tasks, published)

    def close(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)

    def restart(self) -> None:
        """A new pool after a worker died (the old one is broken for good)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()


class _PrewarmPlugin:
    """Dask worker plugin: load the model on every worker (and on workers that join later)."""

    name = "flashpoint-pipeline"

    def __init__(self, settings: Settings, rules: DedupRules, version: str) -> None:
        self.settings, self.rules, self.version = settings, rules, version

    def setup(self, worker: Any) -> None:
        if self.version != __version__:
            raise RuntimeError(f"this worker has Flashpoint {__version__} and the client "
                               f"{self.version}; install the same version on every machine")
        _analyser(self.settings, self.rules)

    def teardown(self, worker: Any) -> None:
        pass


class _Dask(_Runner):
    def __init__(self, settings: Settings, rules: DedupRules, address: str) -> None:
        try:
            from distributed import Client, WorkerPlugin
        except ImportError as exc:  # pragma: no cover - a dependency
            raise IngestError("--scheduler needs dask[distributed]; pip install 'dask[distributed]'") from exc
        self.settings, self.rules = settings, rules
        try:
            self.client = Client(address, timeout="20s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise IngestError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        try:
            # the WorkerPlugin subclass is made here so that importing this module (every local
            # ingest does) never imports distributed; Dask pickles it by value
            plugin = type("FlashpointPipeline", (_PrewarmPlugin, WorkerPlugin), {})(settings, rules, __version__)
            self.client.register_plugin(plugin, name=_PrewarmPlugin.name)
            threads = self.client.nthreads()  # {worker address: threads}
        except Exception as exc:
            self.client.close()
            raise IngestError(f"the Dask workers could not load Flashpoint: {exc}") from exc
        if not threads:
            self.client.close()
            raise IngestError(f"the Dask scheduler at {address} has no workers; start some with "
                              f"`dask worker {address}`")
        self.slots = sum(max(1, int(n)) for n in threads.values())

    def submit(self, tasks: list[Task], published: date | None) -> Any:
        return self.client.submit(analyse_batch, self.settings, self.rules, tasks, published, pure=False)

    def close(self, cancel: bool = False) -> None:
        self.client.close()


def _runner(settings: Settings, options: IngestOptions) -> _Runner:
    if options.scheduler:
        return _Dask(settings, options.dedup, options.scheduler)
    if options.workers > 1:
        return _LocalPool(settings, options.dedup, options.workers)
    return _InProcess(settings, options.dedup)


# -- progress and report ---------------------------------------------------------------------


@dataclass
class IngestReport:
    """What a run did; passed to the progress callback after every committed batch."""

    documents: int = 0       # documents read this run
    analysed: int = 0        # new articles stored
    undated: int = 0         # new articles stored without a publication date
    copies: int = 0          # documents whose text was already stored
    duplicates: int = 0      # new articles linked to an original as near-duplicates
    events: int = 0          # events of the new articles
    skipped: int = 0         # documents that could not be analysed (recorded in `skipped`)
    done_before: int = 0     # documents an earlier run had finished
    batches: int = 0         # batches committed
    incidents: int | None = None  # incidents after the rebuild (None: not rebuilt)
    seconds: float = 0.0
    worker_rss_mb: dict[str, float] = field(default_factory=dict)  # peak RSS per worker

    @property
    def articles_per_second(self) -> float:
        return (self.analysed + self.copies) / self.seconds if self.seconds else 0.0


# -- the run -------------------------------------------------------------------------------


@dataclass
class _Batch:
    items: list[corpus.CorpusItem]            # in corpus order: tasks, failures and copies
    tasks: list[Task]
    copies: dict[str, str] = field(default_factory=dict)  # key → article id of the same content


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest(
    inputs: Iterable[str],
    db: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    options: IngestOptions | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Analyse a corpus into the database ``db``; see the module docstring.

    Raises :class:`IngestError` when the run must stop (the workers die, the cluster cannot
    be reached) and :class:`~flashpoint.errors.StoreError` when the database cannot be written.
    """
    from flashpoint.store import Store

    settings = settings or Settings()
    options = options or IngestOptions()
    report = IngestReport()
    started = time.perf_counter()
    with Store(db) as store:
        if not options.resume:
            _forget(store)
        linker = dedup.Linker(store, options.dedup)
        replace_before = _replace_before(store)
        runner: _Runner | None = None  # started at the first document to analyse: a resumed
        pending: deque[tuple[_Batch, Any]] = deque()  # run with nothing left loads no model
        limit = 1 + options.in_flight
        cancel = True
        try:
            with tempfile.TemporaryDirectory(prefix="flashpoint-ingest-") as scratch:
                def settle() -> None:
                    batch, future = pending.popleft()
                    try:
                        _commit(store, linker, batch, future, Path(scratch), replace_before, report)
                    except BrokenProcessPool:
                        if not isinstance(runner, _LocalPool):
                            raise
                        # a worker died: the batches in flight died with it. Each of their
                        # documents is analysed alone on a new pool, and one that kills its
                        # worker again is recorded as skipped; the run goes on.
                        lost = [batch] + [b for b, _ in pending]
                        pending.clear()
                        runner.restart()
                        for one in (single for b in lost for single in _singles(b)):
                            _isolate(store, linker, runner, one, options, Path(scratch), replace_before, report)
                    report.seconds = time.perf_counter() - started
                    if on_batch:
                        on_batch(report)

                for batch in _read_batches(store, inputs, options, settings, report):
                    if batch.tasks and runner is None:
                        runner = _runner(settings, options)
                        limit = runner.slots * (1 + options.in_flight)
                    future = runner.submit(batch.tasks, options.published) if runner and batch.tasks else None
                    pending.append((batch, future))
                    while pending and (len(pending) > limit or _ready(pending[0][1])):
                        settle()
                while pending:
                    settle()
            cancel = False
        except BrokenProcessPool as exc:
            raise IngestError("a worker process died (out of memory?); what was committed is kept: "
                              "run the same command again to resume") from exc
        finally:
            if runner is not None:
                runner.close(cancel=cancel)
        if options.incidents and (report.analysed or _incidents_stale(store)):
            report.incidents = incidents.rebuild(store, options.incident_rules)
    report.seconds = time.perf_counter() - started
    return report


def _singles(batch: _Batch) -> Iterator[_Batch]:
    """A batch cut into one batch per document, in corpus order."""
    tasks = {t.key: t for t in batch.tasks}
    for item in batch.items:
        task = tasks.get(item.key)
        copies = {item.key: batch.copies[item.key]} if item.key in batch.copies else {}
        yield _Batch([item], [task] if task else [], copies)


_CRASHES_IN_A_ROW = 3  # documents in a row that kill their worker: the cause is not the documents


def _isolate(store: Any, linker: dedup.Linker, runner: _LocalPool, one: _Batch, options: IngestOptions,
             scratch: Path, replace_before: datetime | None, report: IngestReport) -> None:
    """Analyse and commit a one-document batch after a worker died; if this document kills
    its worker too, record it as skipped (reason ``crash``) and start a new pool."""
    if not one.tasks:
        _commit(store, linker, one, None, scratch, replace_before, report)
        return
    try:
        _commit(store, linker, one, runner.submit(one.tasks, options.published), scratch, replace_before, report)
        runner.crashes = 0
    except BrokenProcessPool as exc:
        runner.crashes += 1
        if runner.crashes >= _CRASHES_IN_A_ROW:
            raise IngestError(f"{_CRASHES_IN_A_ROW} documents in a row killed their worker process (out of "
                              "memory?); what was committed is kept: run the same command again to resume") from exc
        task = one.tasks[0]
        crashed = Outcome(task.key, task.document.origin, task.document.id, task.content_hash,
                          error_code="crash", error_message="the worker process analysing this document died")
        _commit(store, linker, one, _Done(Partition((crashed,), {}, "", 0.0)), scratch, replace_before, report)
        runner.restart()


def _ready(future: Any) -> bool:
    return future is None or future.done()


def _forget(store: Any) -> None:
    """--restart: forget which documents were done; articles stored before now are replaced
    when the corpus gives them again, and near-duplicates are linked anew."""
    with store.transaction():
        store.execute("DELETE FROM skipped WHERE article_id IS NULL AND origin IN "
                      "(SELECT origin FROM documents WHERE status = 'skipped')")
        for table in ("documents", "minhashes", "minhash_bands"):
            store.execute(f"DELETE FROM {table}")
        store.execute("DELETE FROM corpus_meta WHERE name LIKE 'dedup.%' OR name = 'ingest.replace_before'")
        store.execute("UPDATE articles SET duplicate_of = NULL, duplicate_similarity = NULL "
                      "WHERE duplicate_of IS NOT NULL")
        store.insert_rows("corpus_meta", ("name", "value"), [("ingest.replace_before", _now().isoformat())])


def _replace_before(store: Any) -> datetime | None:
    rows = store.fetchall("SELECT value FROM corpus_meta WHERE name = 'ingest.replace_before'")
    return datetime.fromisoformat(rows[0][0]) if rows else None


def _incidents_stale(store: Any) -> bool:
    rows = store.fetchall("SELECT EXISTS (SELECT 1 FROM events e ANTI JOIN incident_events i "
                          "ON i.article_id = e.article_id AND i.event_position = e.position)")
    return bool(rows[0][0])


def _read_batches(store: Any, inputs: Iterable[str], options: IngestOptions, settings: Settings,
                  report: IngestReport) -> Iterator[_Batch]:
    """Batches of the documents not done yet; done ones are counted and dropped."""
    items = corpus.iter_corpus(inputs, input_format=options.input_format, settings=settings)
    while chunk := list(islice(items, options.batch_size)):
        report.documents += len(chunk)
        keys = [i.key for i in chunk]
        done = dict(store.fetchall(
            "SELECT key, content_hash FROM documents WHERE key IN (SELECT unnest($keys::VARCHAR[]))",
            {"keys": keys}))
        fresh = [i for i in chunk if not (i.content_hash is not None and done.get(i.key) == i.content_hash)]
        fresh = list({i.key: i for i in reversed(fresh)}.values())[::-1]  # a file named twice: once
        report.done_before += len(chunk) - len(fresh)
        hashes = [i.content_hash for i in fresh if i.content_hash is not None]
        known = dict(store.fetchall(
            "SELECT content_hash, any_value(article_id) FROM documents WHERE article_id IS NOT NULL "
            "AND content_hash IN (SELECT unnest($hashes::VARCHAR[])) GROUP BY content_hash",
            {"hashes": hashes})) if hashes else {}
        batch = _Batch(fresh, [])
        for item in fresh:
            if isinstance(item.item, Failure):
                continue
            if item.content_hash in known:  # the same content is stored already: no need to analyse
                batch.copies[item.key] = known[item.content_hash]
            else:
                batch.tasks.append(Task(item.key, item.content_hash or "", item.item))
        if fresh:
            yield batch


def _commit(store: Any, linker: dedup.Linker, batch: _Batch, future: Any, scratch: Path,
            replace_before: datetime | None, report: IngestReport) -> None:
    """Write one batch's results in one transaction (see the module docstring)."""
    partition: Partition | None = None
    if future is not None:
        try:
            partition = future.result()
        except BrokenProcessPool:
            raise
        except FlashpointError:
            raise
        except Exception as exc:  # a Dask worker lost for good, a task that cannot be sent
            raise IngestError(f"a batch failed on the workers ({type(exc).__name__}: {exc}); what "
                              "was committed is kept: run the same command again to resume") from exc
    outcomes = {o.key: o for o in (partition.outcomes if partition else ())}
    files: dict[str, Path] = {}
    if partition is not None:
        if partition.worker:
            report.worker_rss_mb[partition.worker] = max(partition.peak_rss_mb,
                                                         report.worker_rss_mb.get(partition.worker, 0.0))
        for table, data in partition.tables.items():
            files[table] = scratch / f"{table}.parquet"
            files[table].write_bytes(data)

    ids = sorted({o.article_id for o in outcomes.values() if o.article_id})
    stored = dict(store.fetchall(
        "SELECT id, analysed_at FROM articles WHERE id IN (SELECT unnest($ids::VARCHAR[]))",
        {"ids": ids})) if ids else {}
    stale = {aid for aid, at in stored.items() if replace_before is not None and at < replace_before}
    new: list[Outcome] = []
    seen: set[str] = set()
    now = _now()
    documents, skipped = [], []
    for item in batch.items:
        outcome = outcomes.get(item.key)
        if isinstance(item.item, Failure):
            error = item.item.error
            skipped.append((item.origin, None, None, error.code, str(error), now))
            documents.append((item.key, item.origin, item.record_id, None, None, "skipped", error.code, now))
        elif item.key in batch.copies:
            report.copies += 1
            documents.append((item.key, item.origin, item.record_id, item.content_hash,
                              batch.copies[item.key], "copy", None, now))
        elif outcome is None or outcome.article_id is None:
            code = outcome.error_code if outcome else "internal"
            message = outcome.error_message if outcome else "no result came back for this document"
            skipped.append((item.origin, None, None, code, f"{item.origin}: {message}", now))
            documents.append((item.key, item.origin, item.record_id, item.content_hash, None,
                              "skipped", code, now))
        else:
            aid = outcome.article_id
            is_new = aid not in seen and (aid not in stored or aid in stale)
            seen.add(aid)
            if is_new:
                new.append(outcome)
            else:
                report.copies += 1
            documents.append((item.key, item.origin, item.record_id, item.content_hash, aid,
                              "analysed" if is_new else "copy", None, now))
    keys = [d[0] for d in documents]
    with store.transaction():
        replaced = [o.article_id for o in new if o.article_id in stale]
        if replaced:
            store.delete_articles(replaced)
            store.execute("DELETE FROM minhashes WHERE article_id IN (SELECT unnest($ids::VARCHAR[]))",
                          {"ids": replaced})
            store.execute("DELETE FROM minhash_bands WHERE article_id IN (SELECT unnest($ids::VARCHAR[]))",
                          {"ids": replaced})
        store.load_articles(files, [o.article_id for o in new if o.article_id])
        links = linker.link([dedup.NewArticle(o.article_id, o.published, o.signature)
                             for o in new if o.article_id and o.signature is not None])
        # a document read again replaces its earlier record, so `skipped` never repeats one
        store.execute(
            "DELETE FROM skipped WHERE article_id IS NULL AND (origin IN (SELECT unnest($origins::VARCHAR[])) "
            "OR origin IN (SELECT origin FROM documents WHERE key IN (SELECT unnest($keys::VARCHAR[])) "
            "AND status = 'skipped'))", {"keys": keys, "origins": [d[1] for d in documents]})
        store.execute("DELETE FROM documents WHERE key IN (SELECT unnest($keys::VARCHAR[]))", {"keys": keys})
        store.insert_rows("skipped", ("origin", "article_id", "position", "reason", "detail", "at"), skipped)
        store.insert_rows("documents", ("key", "origin", "record_id", "content_hash", "article_id", "status",
                                        "reason", "done_at"), documents)
    report.batches += 1
    report.analysed += len(new)
    report.undated += sum(1 for o in new if o.published is None)
    report.events += sum(o.events for o in new)
    report.skipped += len(skipped)
    report.duplicates += sum(1 for link in links if any(o.article_id == link.article for o in new))


__all__ = ["ingest", "IngestOptions", "IngestReport", "IngestError", "load_rules", "analyse_batch",
           "BatchAnalyser", "Task", "Outcome", "Partition"]
