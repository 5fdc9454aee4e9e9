"""``slotwise db copy``: move a whole installation from one database to another (the SQLite
default to PostgreSQL) in one pass, and prove the copy.

What is copied: every table of :data:`slotwise.models.Base.metadata` (so a table added later is
copied without changing this module), row by row with their ids, in dependency order
(``metadata.sorted_tables``). Values pass through the models' column types, so booleans,
JSON and UTC datetimes (naive UTC text on SQLite, ``timestamptz`` on PostgreSQL) are converted
by SQLAlchemy; values stored encrypted (:class:`slotwise.kit.crypto.EncryptedText`) are copied
as the stored ciphertext, never decrypted. A foreign key to the same table (or, in a cycle, to
a table copied later) is written NULL first and set once every row is in. On a PostgreSQL
target every id sequence is then moved past the largest id copied.

Rules (:class:`CopyRefused` otherwise, nothing written): both databases at the same Alembic
revision, the code's head; the target has no row in any application table (``alembic_version``
aside). The source is read in one read transaction (a consistent snapshot: SQLite's WAL read
snapshot, PostgreSQL ``REPEATABLE READ``); the target is written in one transaction, so a
failed copy leaves it empty.

Proof: per table, the row count and an order-independent checksum (:func:`row_digest` summed
modulo 2**256) of the source rows as read and of the target rows read back inside the write
transaction, before it commits; any difference rolls back (:class:`CopyMismatch`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from slotwise.kit.db import is_sqlite, sync_url

_BATCH = 1000
T = TypeVar("T")
_ENV_SECRET_KEY = "SLOTWISE_SECRET_KEY"


class CopyRefused(Exception):
    """The copy cannot start: the message says why and what to do. Nothing was written."""


class CopyMismatch(Exception):
    """The rows read back from the target differ from the source's (count or checksum); the
    target transaction was rolled back."""


@dataclass(frozen=True)
class TableCopy:
    """One copied table: its name, its row count and its checksum (64 hex digits, the same on
    both sides)."""

    table: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class SecretAdvice:
    """What the copy says about the installation secret: ``lines`` to print; ``refusal`` set
    when the copy must not run (``SLOTWISE_SECRET_KEY`` differs from the source's)."""

    lines: list[str]
    refusal: str | None = None


def _normalize(value: Any) -> Any:
    """A JSON-able canonical form of one column value, equal for equal values read from SQLite
    or PostgreSQL (datetimes as UTC ISO text, decimals and bytes as text)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def row_digest(columns: Sequence[str], row: Sequence[Any]) -> int:
    """SHA-256 (as an int) of one row: ``{column: canonical value}`` as sorted JSON."""
    canonical = json.dumps(
        {name: _normalize(value) for name, value in zip(columns, row, strict=True)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return int.from_bytes(hashlib.sha256(canonical.encode("utf-8")).digest(), "big")


class _Checksum:
    """Rows in any order → count and the sum of their digests modulo 2**256."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self.rows = 0
        self.total = 0

    def add(self, row: Sequence[Any]) -> None:
        self.rows += 1
        self.total = (self.total + row_digest(self.columns, row)) % (1 << 256)

    @property
    def hexdigest(self) -> str:
        return f"{self.total:064x}"


def copy_tables(metadata: sa.MetaData) -> list[sa.Table]:
    """The tables of ``metadata`` in dependency order, rebuilt for copying: same names, columns
    and primary keys, without constraints, and with every encrypted column typed as plain text
    (the ciphertext is copied as it is stored)."""
    from slotwise.kit.crypto import EncryptedText

    shadow = sa.MetaData()
    tables = []
    for table in metadata.sorted_tables:
        columns = [
            sa.Column(
                column.name,
                sa.Text() if isinstance(column.type, EncryptedText) else column.type,
                primary_key=column.primary_key,
                autoincrement=False,
            )
            for column in table.columns
        ]
        tables.append(sa.Table(table.name, shadow, *columns))
    return tables


def _deferred_columns(metadata: sa.MetaData) -> dict[str, list[str]]:
    """Per table, the foreign-key columns that point at the same table or at a table copied
    later (written NULL first, set at the end)."""
    order = [t.name for t in metadata.sorted_tables]
    deferred: dict[str, list[str]] = {}
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if order.index(fk.column.table.name) >= order.index(table.name):
                deferred.setdefault(table.name, []).append(fk.parent.name)
    return deferred


def _engine(url: str) -> Engine:
    """A sync engine on ``url``; on SQLite every transaction starts with a real ``BEGIN`` (the
    driver's default would read each statement in its own snapshot)."""
    engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool, hide_parameters=True)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA busy_timeout=30000")

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN")

    return engine


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _label(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def check_revisions(source: Connection, target: Connection, source_url: str, to_url: str) -> str:
    """The common revision of both databases; raises CopyRefused when either is not migrated,
    they differ, or they are not at the code's head (run ``slotwise migrate`` on it)."""
    from slotwise.kit.migrate import head_revision

    head = head_revision(source_url)
    src, dst = _revision(source), _revision(target)
    migrate = "SLOTWISE_DATABASE_URL={url} slotwise migrate"
    if src is None:
        raise CopyRefused(
            f"The source {_label(source_url)} is not a migrated Slotwise database "
            f"(no Alembic revision)."
        )
    if dst is None:
        raise CopyRefused(
            f"The target {_label(to_url)} is not migrated: run "
            f"`{migrate.format(url=_label(to_url))}` first."
        )
    if src != dst:
        raise CopyRefused(
            f"Revision mismatch: the source is at {src}, the target at {dst}; both must be at "
            f"the same revision ({head}, this version's head): run "
            f"`{migrate.format(url='<url>')}` on the one behind."
        )
    if src != head:
        raise CopyRefused(
            f"Both databases are at revision {src}, this version of Slotwise needs {head}: run "
            f"`{migrate.format(url='<url>')}` on both first."
        )
    return src


def check_empty(target: Connection, tables: Iterable[sa.Table]) -> None:
    """Raises CopyRefused naming the application tables of ``target`` that hold rows."""
    busy = []
    for table in tables:
        count = target.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        if count:
            busy.append(f"{table.name} ({count})")
    if busy:
        raise CopyRefused(
            "The target is not empty: "
            + ", ".join(busy)
            + ". Copy into a new database (createdb, then `slotwise migrate` on it)."
        )


def _source_rows(source: Connection, table: sa.Table) -> Iterator[Sequence[Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = source.execution_options(yield_per=_BATCH).execute(
        sa.select(*table.columns).order_by(*order)
    )
    for partition in result.partitions():
        yield from partition


def _batches(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _reset_sequences(target: Connection, tables: Iterable[sa.Table]) -> None:
    """On PostgreSQL, move every id sequence past the largest id (next id = max + 1)."""
    if target.dialect.name != "postgresql":
        return
    quote = target.dialect.identifier_preparer.quote
    for table in tables:
        primary = list(table.primary_key.columns)
        if len(primary) != 1 or not isinstance(primary[0].type, sa.Integer):
            continue
        column = primary[0].name
        target.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(MAX({quote(column)}), 0) + 1, false) FROM {quote(table.name)}"
            ),
            {"table": quote(table.name), "column": column},
        )


def copy_database(
    source_url: str,
    to_url: str,
    metadata: sa.MetaData,
    *,
    progress: Callable[[TableCopy], None] | None = None,
) -> list[TableCopy]:
    """Copy every table of ``metadata`` from ``source_url`` into the empty, migrated database
    at ``to_url`` (plain URLs; the sync drivers are picked), in one target transaction.

    Returns one :class:`TableCopy` per table, in copy order (``progress`` is called with each
    as it is verified). Raises CopyRefused before writing anything (revisions, non-empty
    target, a missing SQLite source file), CopyMismatch when the read-back differs (rolled
    back), and lets database errors through (rolled back)."""
    if is_sqlite(source_url):
        database = sa.engine.make_url(source_url).database
        if not database or database == ":memory:" or not Path(database).exists():
            raise CopyRefused(f"The source SQLite file {database!r} does not exist.")
    tables = copy_tables(metadata)
    deferred = _deferred_columns(metadata)
    source_engine, target_engine = _engine(source_url), _engine(to_url)
    try:
        source_opts: dict[str, Any] = {}
        if source_engine.dialect.name == "postgresql":
            source_opts = {"isolation_level": "REPEATABLE READ"}
        with (
            source_engine.connect().execution_options(**source_opts) as source,
            target_engine.connect() as target,
            source.begin(),
            target.begin(),
        ):
            check_revisions(source, target, source_url, to_url)
            check_empty(target, tables)
            sums = _copy_rows(source, target, tables, deferred)
            _reset_sequences(target, tables)
            results = _verify(target, tables, sums, progress)
        return results
    finally:
        source_engine.dispose()
        target_engine.dispose()


def _copy_rows(
    source: Connection,
    target: Connection,
    tables: Sequence[sa.Table],
    deferred: dict[str, list[str]],
) -> dict[str, _Checksum]:
    sums: dict[str, _Checksum] = {}
    fixups: list[tuple[sa.Table, list[dict[str, Any]]]] = []
    for table in tables:
        names = [c.name for c in table.columns]
        later = deferred.get(table.name, [])
        primary = [c.name for c in table.primary_key.columns]
        checksum = _Checksum(names)
        pending: list[dict[str, Any]] = []
        for batch in _batches(_source_rows(source, table), _BATCH):
            records = []
            for row in batch:
                checksum.add(row)
                record = dict(zip(names, row, strict=True))
                if later and any(record[name] is not None for name in later):
                    pending.append(
                        {**{f"k_{p}": record[p] for p in primary}, **{n: record[n] for n in later}}
                    )
                    record.update(dict.fromkeys(later))
                records.append(record)
            target.execute(table.insert(), records)
        sums[table.name] = checksum
        if pending:
            fixups.append((table, pending))
    for table, pending in fixups:
        statement = (
            sa.update(table)
            .where(*(c == sa.bindparam(f"k_{c.name}") for c in table.primary_key.columns))
            .values({name: sa.bindparam(name) for name in deferred[table.name]})
        )
        for fixes in _batches(pending, _BATCH):
            target.execute(statement, fixes)
    return sums


def _verify(
    target: Connection,
    tables: Sequence[sa.Table],
    sums: dict[str, _Checksum],
    progress: Callable[[TableCopy], None] | None,
) -> list[TableCopy]:
    results = []
    for table in tables:
        expected = sums[table.name]
        actual = _Checksum(expected.columns)
        for row in _source_rows(target, table):
            actual.add(row)
        if (actual.rows, actual.total) != (expected.rows, expected.total):
            raise CopyMismatch(
                f"{table.name}: the source has {expected.rows} rows (checksum "
                f"{expected.hexdigest}), the target read back {actual.rows} "
                f"({actual.hexdigest}); nothing was committed."
            )
        result = TableCopy(table.name, expected.rows, expected.hexdigest)
        if progress is not None:
            progress(result)
        results.append(result)
    return results


def secret_advice(data_dir: Path, environment: dict[str, str] | None = None) -> SecretAdvice:
    """How the new installation gets the source's secret key, which lives outside the
    database (``SLOTWISE_SECRET_KEY``, else ``<data dir>/secret_key``): stored webhook secrets
    are encrypted with it and the links in emails already sent are signed with it.

    ``data_dir`` is the source's data dir; ``environment`` defaults to ``os.environ``. Refuses
    (``refusal``) when ``SLOTWISE_SECRET_KEY`` is set to a value different from the source's
    key file. The key itself is never printed."""
    from slotwise.email.tokens import secret_key_file

    env = os.environ if environment is None else environment
    from_env = env.get(_ENV_SECRET_KEY, "").strip()
    key_file = secret_key_file(data_dir)
    from_file = key_file.read_text(encoding="utf-8").strip() if key_file.is_file() else ""
    same = "Give the new installation the same secret key on every machine that runs it"
    if from_file and from_env and from_env != from_file:
        return SecretAdvice(
            [],
            refusal=(
                f"SLOTWISE_SECRET_KEY is set to a different value than the source's secret key "
                f"({key_file}): stored webhook secrets and signed links would not work on the "
                f"new installation. Unset SLOTWISE_SECRET_KEY, or point SLOTWISE_DATA_DIR at the "
                f"source's data dir, and run the copy again."
            ),
        )
    if from_file:
        return SecretAdvice(
            [
                f"{same}: the source's key is in {key_file};",
                f'  export SLOTWISE_SECRET_KEY="$(cat {key_file})"',
                "  (or copy that file into the new installation's data dir)",
            ]
        )
    if from_env:
        return SecretAdvice(
            [
                f"{same}: the source's key is SLOTWISE_SECRET_KEY of this environment "
                f"({key_file} does not exist); set the same value there."
            ]
        )
    return SecretAdvice(
        [
            f"The source has no secret key yet (no SLOTWISE_SECRET_KEY, no {key_file}); the new "
            "installation will make its own. Set SLOTWISE_SECRET_KEY to one value on every "
            "machine that runs it."
        ]
    )
