"""Database engines and the one-transaction-per-request session.

Two engines share one URL: a *read* engine (plain ``BEGIN``) and a *write* engine. On SQLite the
write engine opens every transaction with ``BEGIN IMMEDIATE`` so writers serialise on the database
lock before they re-check availability (deferred BEGIN fails fast under contention). On PostgreSQL
both are ordinary engines; writers take per-host advisory locks (see :func:`lock_hosts`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool


def async_url(url: str) -> URL:
    """Turn a plain ``sqlite:///`` or ``postgresql://`` URL into its async-driver form.

    Raises ValueError for any other scheme.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(f"Unsupported database URL scheme: {parsed.drivername}")


def sync_url(url: str) -> URL:
    """The synchronous-driver form of ``url`` (used by Alembic)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite")
    return parsed.set(drivername="postgresql+psycopg")


def is_sqlite(url: str) -> bool:
    """True when ``url`` names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> str | None:
    """The file path of a SQLite ``url``; None for other databases and in-memory ones."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return parsed.database


def ensure_private_sqlite_file(url: str) -> None:
    """Create the SQLite database file of ``url`` empty with mode 0600 when it does not exist
    yet, so that SQLite (which gives its ``-wal``/``-shm`` files the database file's mode) never
    creates it readable by others whatever the process umask. Other URLs: nothing to do."""
    path = sqlite_file(url)
    if path is None:
        return
    # FileExistsError: nothing to create; FileNotFoundError: no directory (SQLite will say so)
    with contextlib.suppress(FileExistsError, FileNotFoundError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_setup(engine: AsyncEngine, *, immediate: bool, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@dataclass
class Database:
    """The engines and session factories of one process.

    ``read_sessions`` for GET/HEAD requests, ``write_sessions`` for everything that may write.
    """

    url: str
    read_engine: AsyncEngine
    write_engine: AsyncEngine
    read_sessions: async_sessionmaker[AsyncSession]
    write_sessions: async_sessionmaker[AsyncSession]

    _watch: sqlite3.Connection | None = field(default=None, repr=False)
    _watch_failed: bool = field(default=False, repr=False)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.write_engine.dialect.name

    def data_version(self) -> int | None:
        """A number that changes whenever any connection — this process's or another's, the CLI
        included — commits a change to the SQLite database file; None on PostgreSQL, for an
        in-memory database, or when the file cannot be opened (callers then cache nothing).

        SQLite's ``PRAGMA data_version`` read on a connection of its own that never writes: it
        reads the WAL index in shared memory (microseconds, no lock waited for), so it is
        called synchronously. Read it *before* the first statement of the transaction whose
        answer is to be remembered under it: an answer computed from a snapshot taken after
        the read can only be newer, never older, than the number says."""
        if self._watch is None:
            path = sqlite_file(self.url)
            if path is None or self._watch_failed:
                return None
            try:
                # (read-write like the engines' connections: a read-only one cannot always map
                # the WAL index; this one never writes)
                self._watch = sqlite3.connect(path, check_same_thread=False, timeout=1)
            except sqlite3.Error:
                self._watch_failed = True
                return None
        try:
            row = self._watch.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0])

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.read_engine.dispose()
        await self.write_engine.dispose()
        if self._watch is not None:
            self._watch.close()
            self._watch = None


def create_database(url: str, *, busy_timeout_ms: int = 30000, pool_size: int = 10) -> Database:
    """Build the read and write engines for ``url`` (plain or async-driver form).

    ``pool_size``: PostgreSQL connections kept open per process (``SLOTWISE_DATABASE_POOL_SIZE``),
    with up to twice as many more opened under bursts; SQLite opens one connection per session.

    ``hide_parameters``: errors and logs show SQL statements without their bound values
    (names, emails and tokens stay out of logs)."""
    aurl = async_url(url)
    if aurl.get_backend_name() == "sqlite":
        kwargs: dict[str, Any] = {
            "connect_args": {"timeout": busy_timeout_ms / 1000},
            "hide_parameters": True,
        }
        read = create_async_engine(aurl, **kwargs)
        write = create_async_engine(aurl, **kwargs)
        _sqlite_setup(read, immediate=False, busy_timeout_ms=busy_timeout_ms)
        _sqlite_setup(write, immediate=True, busy_timeout_ms=busy_timeout_ms)
    else:
        read = create_async_engine(
            aurl,
            pool_size=pool_size,
            max_overflow=2 * pool_size,
            pool_pre_ping=True,
            hide_parameters=True,
        )
        write = read
    return Database(
        url=url,
        read_engine=read,
        write_engine=write,
        read_sessions=async_sessionmaker(read, expire_on_commit=False),
        write_sessions=async_sessionmaker(write, expire_on_commit=False),
    )


def create_null_pool_engine(url: str) -> AsyncEngine:
    """An engine without pooling, for one-off CLI work."""
    return create_async_engine(async_url(url), poolclass=NullPool, hide_parameters=True)


@contextlib.asynccontextmanager
async def transaction(db: Database, *, write: bool) -> AsyncIterator[AsyncSession]:
    """``async with transaction(db, write=…) as session``: one transaction, the only way code
    outside a request's :data:`slotwise.kit.session.DbSession` opens one (pages that need
    several, email confirm pages, CLI commands; the request dependency uses it too).

    ``write=False``: the read engine. ``write=True``: the write engine (``BEGIN IMMEDIATE`` on
    SQLite, so the write lock is taken at the start). Commits when the block exits normally,
    rolls back when it raises; the session is closed either way.
    """
    factory = db.write_sessions if write else db.read_sessions
    async with factory() as session, session.begin():
        yield session


async def lock_hosts(session: AsyncSession, user_ids: Iterable[int]) -> None:
    """Serialise writers per host for the rest of the transaction.

    PostgreSQL: ``pg_advisory_xact_lock`` per host id in sorted order (no deadlocks between
    multi-host bookings), all in one statement however many hosts (the array's order, kept by
    ``WITH ORDINALITY``). SQLite: nothing to do, ``BEGIN IMMEDIATE`` already holds the only
    write lock.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    keys = [7_000_000 + uid for uid in sorted(set(user_ids))]
    if not keys:
        return
    await session.execute(
        text(
            "SELECT pg_advisory_xact_lock(t.k) FROM unnest(CAST(:keys AS bigint[])) "
            "WITH ORDINALITY AS t(k, n) ORDER BY t.n"
        ),
        {"keys": keys},
    )
