"""DuckDB storage of analyses: one table per record type, a versioned schema, flat exports.

The schema lives in ``data/schema/NNNN_name.sql``: each file is one migration, applied in its
own transaction and recorded in ``schema_migrations``. Rows map 1:1 to the records in
:mod:`flashpoint.records`, so ``store.load(a.id) == a`` for every analysis saved. DuckDB's
exceptions are translated to :class:`~flashpoint.errors.StoreError` here and nowhere else.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

import duckdb

from flashpoint._version import __version__
from flashpoint.errors import StoreError
from flashpoint.records import (
    Actor,
    ActorRef,
    Analysis,
    Article,
    Sentence,
    Skipped,
)
from flashpoint.resources import package_file
from flashpoint.store.export import FLAT_COLUMNS, ExportFormat, flat_query, write_text
from flashpoint.store.query import EventQuery
from flashpoint.store.rows import (
    COLUMNS,
    analysis_rows,
    certainty_from_row,
    event_from_row,
    profile_from_row,
)

# Tables holding an article's rows, with the column naming the article.
_ARTICLE_KEYS: dict[str, str] = {
    "articles": "id",
    "sentences": "article_id",
    "mentions": "article_id",
    "actors": "article_id",
    "events": "article_id",
    "event_actors": "article_id",
    "profiles": "article_id",
    "skipped": "article_id",
    "incident_events": "article_id",  # an article's new events need matching again
}
# Tables of corpus ingests (0002_corpora.sql), kept when an article is analysed again.
_CORPUS_TABLES = ("documents", "minhashes", "minhash_bands", "corpus_meta", "incidents", "dyad_events",
                  "dyad_events_state")
TABLES: tuple[str, ...] = (*_ARTICLE_KEYS, *_CORPUS_TABLES, "schema_migrations")

_MIGRATION_FILE = re.compile(r"^(\d{4})_[\w-]+\.sql$")
_MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"""
_DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file


class ActorCount(NamedTuple):
    """One actor across the store: its mentions and the number of articles naming it."""

    key: str
    name: str
    country: str | None
    org: str | None
    sector: str | None
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class _Migration:
    version: int
    name: str
    sql: str


@cache
def _migrations() -> tuple[_Migration, ...]:
    """The shipped migrations, ordered and checked to be numbered 1..n without gaps."""
    folder = package_file("store", "schema")
    found = sorted(
        (
            _Migration(int(m[1]), entry.name, entry.read_text(encoding="utf-8"))
            for entry in folder.iterdir()
            if (m := _MIGRATION_FILE.match(entry.name))
        ),
        key=lambda migration: migration.version,
    )
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        names = ", ".join(m.name for m in found) or "none"
        raise StoreError(f"schema migrations must be numbered 0001, 0002, … without gaps: {names}")
    return tuple(found)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_file(path: Path) -> None:
    """Refuse, without touching it, a file that is not a DuckDB database."""
    if path.is_dir():
        raise StoreError("is a directory, not a Flashpoint database", source=str(path))
    if path.exists():
        try:
            with path.open("rb") as f:
                head = f.read(12)
        except OSError as exc:
            raise StoreError(f"cannot read the database: {exc.strerror}", source=str(path)) from exc
        if head[8:12] != _DUCKDB_MAGIC:
            raise StoreError("is not a Flashpoint database (not a DuckDB file)", source=str(path))


class Store:
    """A DuckDB database of analyses; open it with ``with Store(path) as store:``."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if self.path != ":memory:":
            _check_file(Path(path))
        with self._errors():
            self._con = duckdb.connect(self.path, read_only=read_only)
        try:
            with self._errors():
                self._migrate()
                self._types = self._column_types()
        except BaseException:
            self._con.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database; the store cannot be used afterwards."""
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}, read_only={self.read_only})"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as exc:
            raise StoreError(str(exc), source=self.path) from exc

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._con.begin()
        try:
            yield
        except BaseException:
            self._con.rollback()
            raise
        self._con.commit()

    def schema_version(self) -> int:
        """The highest migration applied to this database (0 for a new one)."""
        with self._errors():
            tables = {
                name
                for (name,) in self._con.execute(
                    "SELECT table_name FROM duckdb_tables() "
                    "WHERE database_name = current_database() AND schema_name = 'main'"
                ).fetchall()
            }
            if "schema_migrations" not in tables:
                if tables:
                    raise StoreError(
                        "is a DuckDB database but not a Flashpoint one (it has tables and no "
                        "schema_migrations)",
                        source=self.path,
                    )
                return 0
            row = self._con.execute("SELECT max(version) FROM schema_migrations").fetchone()
            return int(row[0]) if row and row[0] is not None else 0

    def _migrate(self) -> None:
        migrations = _migrations()
        current, latest = self.schema_version(), len(migrations)
        if current > latest:
            raise StoreError(
                f"the database has schema version {current}, newer than the {latest} this "
                f"Flashpoint ({__version__}) knows; upgrade Flashpoint to open it",
                source=self.path,
            )
        if current < latest and self.read_only:
            raise StoreError(
                f"the database has schema version {current} and needs migrating to {latest}; "
                "open it once without read_only",
                source=self.path,
            )
        for migration in migrations[current:]:
            with self._transaction():
                self._con.execute(_MIGRATIONS_TABLE)
                self._con.execute(migration.sql)
                self._con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)", [migration.version, _now()]
                )

    def _column_types(self) -> dict[str, dict[str, str]]:
        types: dict[str, dict[str, str]] = {}
        for table, column, type_ in self._con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall():
            types.setdefault(table, {})[column] = type_
        return types

    # -- writing ---------------------------------------------------------------------------

    def save(self, analysis: Analysis) -> None:
        """Store one analysis, replacing every earlier row of the same article."""
        self._save_batch((analysis,))

    def save_many(self, analyses: Iterable[Analysis], *, batch_size: int = 256) -> int:
        """Store analyses, one transaction per batch of ``batch_size``; return how many."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        saved = 0
        iterator = iter(analyses)
        while batch := tuple(islice(iterator, batch_size)):
            self._save_batch(batch)
            saved += len(batch)
        return saved

    def _save_batch(self, batch: Sequence[Analysis]) -> None:
        latest = {a.article.id: a for a in batch}  # a later analysis of an article wins
        at = _now()
        rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
        for analysis in latest.values():
            try:
                made = analysis_rows(analysis, at)
            except ValueError as exc:  # a NaN or infinity in the certainty profile
                raise StoreError(f"cannot store analysis {analysis.id!r}: {exc}") from exc
            for table, table_rows in made.items():
                rows[table].extend(table_rows)
        ids = list(latest)
        with self._errors(), self._transaction():
            # the same text is the same article: a near-duplicate link outlives re-analysis
            links = self._con.execute(
                "SELECT id, duplicate_of, duplicate_similarity FROM articles "
                "WHERE id IN (SELECT unnest(?::VARCHAR[])) AND duplicate_of IS NOT NULL", [ids]
            ).fetchall()
            self.delete_articles(ids)
            for table, table_rows in rows.items():
                self._insert(table, table_rows)
            for aid, original, similarity in links:
                self._con.execute(
                    "UPDATE articles SET duplicate_of = ?, duplicate_similarity = ? WHERE id = ?",
                    [original, similarity, aid],
                )

    def delete_articles(self, ids: Sequence[str]) -> None:
        """Delete every row of these articles (call inside :meth:`transaction`)."""
        with self._errors():
            for table, key in _ARTICLE_KEYS.items():
                self._con.execute(
                    f"DELETE FROM {table} WHERE {key} IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]
                )

    def _insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows column-wise: one statement, each column passed as one list."""
        if not rows:
            return
        columns = COLUMNS[table]
        types = self._types[table]
        names = ", ".join(f'"{c}"' for c in columns)
        values = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
        self._con.execute(
            f"INSERT INTO {table} ({names}) SELECT {values}",
            [list(col) for col in zip(*rows, strict=True)],
        )

    # -- building blocks for corpus ingests (batch.py, dedup.py, incidents.py) -------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: everything written inside commits together or not at all."""
        with self._errors(), self._transaction():
            yield

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> None:
        """Run one statement that returns nothing useful."""
        with self._errors():
            self._con.execute(sql, params)

    def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one query on this connection (it sees the open transaction's writes)."""
        with self._errors():
            return self._con.execute(sql, params).fetchall()

    def iter_rows(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None,
                  *, chunk: int = 1024) -> Iterator[tuple[Any, ...]]:
        """Stream a query's rows in chunks, on a cursor of its own: it reads committed data, and
        the store may write in a transaction meanwhile."""
        with self._errors():
            cursor = self._con.cursor()
        try:
            with self._errors():
                cursor.execute(sql, params)
                rows = cursor.fetchmany(chunk)
            while rows:
                yield from rows
                with self._errors():
                    rows = cursor.fetchmany(chunk)
        finally:
            cursor.close()

    def arrow(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """Run one query and return its result as a ``pyarrow.Table`` (columnar, no Python rows):
        what the analysis layer computes in SQL reaches its callers this way."""
        with self._errors():
            relation = self._con.sql(sql, params=params or None)
            # duckdb ≥ 1.4 names it to_arrow_table; older releases fetch_arrow_table
            fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
            return fetch()

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows given column by column names (``columns``), in one statement."""
        if not rows:
            return
        types = self._types[table]
        names = ", ".join(f'"{c}"' for c in columns)
        values = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
        with self._errors():
            self._con.execute(
                f"INSERT INTO {table} ({names}) SELECT {values}",
                [list(col) for col in zip(*rows, strict=True)],
            )

    def dump_articles(self, folder: str | os.PathLike[str]) -> dict[str, Path]:
        """Write every non-empty article table to ``folder/TABLE.parquet`` and empty it.

        A worker analyses a batch into an in-memory store and ships these files: the
        partition :meth:`load_articles` merges into the main database.
        """
        written: dict[str, Path] = {}
        with self._errors():
            for table in _ARTICLE_KEYS:
                (count,) = self._con.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,)
                if not count:
                    continue
                path = Path(folder) / f"{table}.parquet"
                quoted = str(path).replace("'", "''")
                self._con.execute(f"COPY {table} TO '{quoted}' (FORMAT parquet)")
                self._con.execute(f"DELETE FROM {table}")
                written[table] = path
        return written

    def load_articles(self, files: dict[str, Path], ids: Sequence[str]) -> None:
        """Insert the rows of articles ``ids`` from a partition written by :meth:`dump_articles`
        (call inside :meth:`transaction`, after deleting what they replace)."""
        if not ids:
            return
        with self._errors():
            for table, path in files.items():
                if table not in _ARTICLE_KEYS:
                    raise StoreError(f"a partition has an unknown table {table!r}")
                quoted = str(path).replace("'", "''")
                self._con.execute(
                    f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet('{quoted}') "
                    f"WHERE {_ARTICLE_KEYS[table]} IN (SELECT unnest(?::VARCHAR[]))",
                    [list(ids)],
                )

    def record_skipped(self, origin: str, reason: str, detail: str = "") -> None:
        """Record a document that was not analysed (``origin``: its file, URL or record id); it
        replaces the document's earlier record, so analysing a folder again adds no row."""
        with self.transaction():
            self._con.execute("DELETE FROM skipped WHERE origin = $origin AND article_id IS NULL",
                              {"origin": origin})
            self._insert("skipped", [(origin, None, None, reason, detail, _now())])

    # -- reading ---------------------------------------------------------------------------

    def load(self, article_id: str) -> Analysis:
        """Rebuild the analysis stored under an article id (or the analysis's record id)."""
        with self._errors():
            found = self._con.execute(
                "SELECT id, record_id, text, title, author, published, published_source, outlet, "
                "url, language FROM articles WHERE id = $id OR record_id = $id "
                "ORDER BY id = $id DESC, analysed_at DESC LIMIT 1",
                {"id": article_id},
            ).fetchone()
            if found is None:
                raise StoreError(f"no analysis with id {article_id!r}", source=self.path)
            aid, record_id, *article = found
            key = [aid]
            sentences = self._con.execute(
                'SELECT idx, start, "end", certainty, cues, attributed_to FROM sentences '
                "WHERE article_id = ? ORDER BY idx",
                key,
            ).fetchall()
            actors = self._con.execute(
                "SELECT key, name, country, org, sector, mentions FROM actors "
                "WHERE article_id = ? ORDER BY position",
                key,
            ).fetchall()
            events = self._con.execute(
                f"SELECT {', '.join(COLUMNS['events'])} FROM events "
                "WHERE article_id = ? ORDER BY position",
                key,
            ).fetchall()
            refs: dict[tuple[int, str], list[ActorRef]] = {}
            for position, role, start, end, *ref in self._con.execute(
                'SELECT event_position, role, start, "end", key, country, org, sector, code, name '
                "FROM event_actors WHERE article_id = ? ORDER BY event_position, role, position",
                key,
            ).fetchall():
                refs.setdefault((position, role), []).append(ActorRef((start, end), *ref))
            profile = self._con.execute(
                "SELECT labels, top_cues, cited FROM profiles WHERE article_id = ?", key
            ).fetchone()
            skipped = self._con.execute(
                "SELECT reason, detail FROM skipped WHERE article_id = ? ORDER BY position", key
            ).fetchall()
        return Analysis(
            article=Article(article[0], aid, *article[1:]),
            sentences=tuple(
                Sentence(idx, (start, end), certainty_from_row(*rest))
                for idx, start, end, *rest in sentences
            ),
            actors=tuple(Actor(*row) for row in actors),
            events=tuple(event_from_row(row, refs) for row in events),
            certainty_profile=profile_from_row(profile),
            skipped=tuple(Skipped(reason, detail) for reason, detail in skipped),
            id=record_id,
        )

    def events(
        self,
        query: EventQuery | None = None,
        *,
        actor: str | None = None,
        type: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[dict[str, Any]]:
        """Flat export rows, one per (event, source actor, target actor), columns FLAT_COLUMNS,
        filtered by ``query`` (:class:`~flashpoint.store.query.EventQuery`, which says what
        each filter means); the keyword filters are a shorthand for ``EventQuery.of(...)``."""
        return list(self._flat_rows(_query(query, actor, type, since, until)))

    def _flat_rows(self, query: EventQuery) -> Iterator[dict[str, Any]]:
        sql, params = flat_query(query)
        with self._errors():
            cursor = self._con.execute(sql, params)
            while chunk := cursor.fetchmany(1024):
                yield from (dict(zip(FLAT_COLUMNS, row, strict=True)) for row in chunk)

    def export(
        self,
        target: str | os.PathLike[str] | IO[str],
        fmt: ExportFormat,
        query: EventQuery | None = None,
        *,
        actor: str | None = None,
        type: str | None = None,
        since: date | None = None,
        until: date | None = None,
        partition_by: Literal["month"] | None = None,
        escape_formulas: bool = True,
    ) -> None:
        """Write the flat rows as csv or jsonl (to a path or a text stream) or parquet (a path).

        CSV text cells that a spreadsheet would run as a formula get a quote in front
        (:func:`~flashpoint.store.export.safe_cell`) unless ``escape_formulas`` is False.

        ``partition_by="month"`` writes parquet as a dataset: a folder with one
        ``month=YYYY-MM`` subfolder per month of the events' dates (``month=undated`` for
        events without one), which DuckDB, Spark or pandas read back as one table.
        """
        query = _query(query, actor, type, since, until)
        if fmt not in ("csv", "jsonl", "parquet"):
            raise StoreError(f"unknown export format {fmt!r}; use csv, jsonl or parquet")
        if partition_by is not None:
            if partition_by != "month" or fmt != "parquet":
                raise StoreError("only parquet exports can be partitioned, and only by month")
            if not isinstance(target, (str, os.PathLike)):
                raise StoreError("a partitioned export needs a folder path, not a stream")
            self._export_months(os.fspath(target), query)
            return
        if not isinstance(target, (str, os.PathLike)):
            if fmt == "parquet":
                raise StoreError("parquet export needs a file path, not a stream")
            write_text(target, fmt, self._flat_rows(query), escape_formulas=escape_formulas)
            return
        if fmt == "parquet":
            sql, params = flat_query(query)
            quoted = os.fspath(target).replace("'", "''")
            with self._errors():
                self._con.execute(f"COPY ({sql}) TO '{quoted}' (FORMAT parquet)", params)
            return
        try:
            with open(target, "w", encoding="utf-8", newline="") as out:
                write_text(out, fmt, self._flat_rows(query), escape_formulas=escape_formulas)
        except OSError as exc:
            message = f"cannot write the export: {exc.strerror}"
            raise StoreError(message, source=os.fspath(target)) from exc

    def _export_months(self, folder: str, query: EventQuery) -> None:
        if Path(folder).exists() and (not Path(folder).is_dir() or any(Path(folder).iterdir())):
            raise StoreError("a partitioned export needs a new or empty folder", source=folder)
        sql, params = flat_query(query)
        quoted = folder.replace("'", "''")
        months = "coalesce(strftime(e.date_start, '%Y-%m'), 'undated') AS month"
        sql = sql.replace("\nFROM events e", f", {months}\nFROM events e", 1)
        with self._errors():
            self._con.execute(
                f"COPY ({sql}) TO '{quoted}' (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE)",
                params,
            )

    def actor_counts(self) -> list[ActorCount]:
        """Every actor in the store with its total mentions and articles, most mentioned first."""
        with self._errors():
            rows = self._con.execute(
                "SELECT key, name, country, org, sector, sum(mentions)::BIGINT AS mentions, "
                "count(DISTINCT article_id) AS articles FROM actors "
                "GROUP BY key, name, country, org, sector ORDER BY mentions DESC, key, name"
            ).fetchall()
        return [ActorCount(*row) for row in rows]

    def count(self, table: str) -> int:
        """Number of rows in one of the store's tables."""
        if table not in TABLES:
            raise StoreError(f"no table {table!r}; the tables are {', '.join(TABLES)}")
        with self._errors():
            row = self._con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0


def _query(query: EventQuery | None, actor: str | None, type: str | None, since: date | None,
           until: date | None) -> EventQuery:
    if query is not None:
        if actor or type or since or until:
            raise StoreError("give either an EventQuery or keyword filters, not both")
        return query
    return EventQuery.of(actor=actor, type=type, since=since, until=until)
