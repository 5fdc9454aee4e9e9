"""``slotwise db backup`` / ``db restore``: copies of a SQLite installation, and the PostgreSQL
commands to use instead.

SQLite: :func:`backup_sqlite` uses SQLite's online backup API (``sqlite3.Connection.backup``)
in one step, which reads the whole database inside one read transaction: the copy is the
database as it was at one instant, whatever the server writes meanwhile (in WAL mode the
server's writers are not blocked). The file is written next to PATH under a temporary name,
with mode 0600, and renamed into place when complete. :func:`restore_sqlite` checks that the
file is a Slotwise database (it has an Alembic revision) and copies it into the configured
database with the same API (so ``-wal``/``-shm`` files stay coherent); the server must be
stopped. An older backup is brought to the current schema by the next ``serve``/``migrate``.

PostgreSQL: backups are pg_dump's job (:func:`pg_dump_command`, :func:`pg_restore_command`);
the commands refuse with :class:`BackupRefused` carrying those commands.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from slotwise.kit.db import is_sqlite


class BackupRefused(Exception):
    """The backup or restore cannot run; the message says why and what to do instead."""


def _libpq_url(url: str) -> str:
    """``url`` in the form pg_dump and psql take (no SQLAlchemy driver, password hidden)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=True)


def pg_dump_command(url: str, path: Path | str) -> str:
    """The pg_dump command that backs up the PostgreSQL database at ``url`` into ``path``
    (custom format: compressed, restorable table by table)."""
    return f'pg_dump --format=custom --no-owner --file "{path}" "{_libpq_url(url)}"'


def pg_restore_command(url: str, path: Path | str) -> str:
    """The pg_restore command that restores ``path`` (written by :func:`pg_dump_command`) into
    the PostgreSQL database at ``url``, replacing what is there, in one transaction."""
    return (
        "pg_restore --clean --if-exists --no-owner --single-transaction "
        f'--dbname "{_libpq_url(url)}" "{path}"'
    )


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupRefused(f"{url!r} is not a SQLite file")
    return Path(database)


def backup_sqlite(url: str, path: Path) -> int:
    """Write a consistent copy of the SQLite database at ``url`` to ``path`` (which must not
    exist; mode 0600) while it may be in use. Returns the number of pages copied. Raises
    BackupRefused for PostgreSQL (with the pg_dump command), a missing source or an existing
    ``path``."""
    if not is_sqlite(url):
        raise BackupRefused(
            "This installation runs on PostgreSQL: back it up with pg_dump, e.g.\n  "
            + pg_dump_command(url, path)
            + "\n(restore with pg_restore; see docs/operations.md, Backups)"
        )
    source = _sqlite_path(url)
    if not source.is_file():
        raise BackupRefused(f"There is no SQLite database at {source}")
    if path.exists():
        raise BackupRefused(f"{path} already exists: choose a new file name")
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)  # pages=-1: one step, one read snapshot
            pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return pages


def backup_revision(path: Path) -> str:
    """The Alembic revision recorded in the SQLite file ``path``. Raises BackupRefused when it
    is not a SQLite database or has no revision (not a Slotwise database)."""
    if not path.is_file():
        raise BackupRefused(f"There is no backup at {path}")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{path} is not a Slotwise SQLite backup ({exc})") from None
    if row is None:
        raise BackupRefused(f"{path} is not a Slotwise SQLite backup (no schema revision)")
    return str(row[0])


def restore_sqlite(path: Path, url: str) -> str:
    """Replace the content of the SQLite database at ``url`` with the backup ``path`` (created
    if missing, mode 0600). Stop the server first. Returns the backup's schema revision.
    Raises BackupRefused for PostgreSQL (with the pg_restore command) or a file that is not a
    Slotwise backup."""
    if not is_sqlite(url):
        raise BackupRefused(
            "This installation runs on PostgreSQL: restore a pg_dump backup with pg_restore, "
            "e.g.\n  " + pg_restore_command(url, path) + "\n(see docs/operations.md, Backups)"
        )
    revision = backup_revision(path)
    target = _sqlite_path(url)
    if not target.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with (
        contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target, timeout=30)) as dst,
    ):
        src.backup(dst)
    return revision
