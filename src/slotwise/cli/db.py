"""``slotwise db copy|backup|restore``: move an installation to another database, and keep
copies of it. The work is done by :mod:`slotwise.kit.dbcopy` and :mod:`slotwise.kit.backup`,
imported inside the commands (``slotwise --help`` stays fast)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slotwise.cli.common import fail

if TYPE_CHECKING:
    from slotwise.kit.dbcopy import TableCopy

db_app = typer.Typer(
    help="Copy the installation to another database (SQLite to PostgreSQL), back it up, "
    "restore it.",
    no_args_is_help=True,
)


def _database_url() -> str:
    from slotwise.config import Settings

    return Settings().database_url


@db_app.command("copy")
def copy_command(
    to: Annotated[
        str,
        typer.Option(
            "--to", help="The target: an empty, migrated PostgreSQL database (postgresql://…)"
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The source database URL (default: SLOTWISE_DATABASE_URL, else the SQLite "
            "default in the data dir)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Copy every table of this installation into an empty PostgreSQL database in one
    transaction, verify each table (rows and checksum) and print how to carry the secret key.

    Stop the server first (rows written during the copy are not copied). Both databases must
    be at this version's migration head (`slotwise migrate`), and the target must hold no rows.
    Exits 1, writing nothing, when they are not, or when SLOTWISE_SECRET_KEY is set to another
    value than the source's key."""
    from sqlalchemy.engine import make_url

    from slotwise.config import default_data_dir
    from slotwise.kit.db import is_sqlite
    from slotwise.kit.dbcopy import CopyMismatch, CopyRefused, copy_database, secret_advice
    from slotwise.models import Base

    from_url = source or _database_url()
    try:
        backend = make_url(to).get_backend_name()
        is_sqlite(from_url)
    except Exception as exc:  # an unparsable URL (sqlalchemy.exc.ArgumentError, ValueError)
        raise fail(f"Not a database URL: {exc}") from None
    if backend not in ("postgresql", "postgres"):
        raise fail("--to must be a PostgreSQL URL (postgresql://user@host:port/database)")
    advice = secret_advice(default_data_dir())
    if advice.refusal:
        raise fail(advice.refusal)

    def show(table: TableCopy) -> None:
        typer.echo(f"{table.table:<20} {table.rows:>9} rows  checksum {table.checksum[:16]}")

    try:
        copied = copy_database(from_url, to, Base.metadata, progress=show)
    except (CopyRefused, CopyMismatch) as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # a connection or constraint error: rolled back, say it in one line
        reason = getattr(exc, "orig", None) or exc  # the driver's message, without SQLAlchemy's
        raise fail(f"Copy failed, nothing was written to the target: {reason}") from None
    total = sum(t.rows for t in copied)
    typer.echo(
        f"Copied {len(copied)} tables, {total} rows; counts and checksums verified on the target."
    )
    for line in advice.lines:
        typer.echo(line)
    typer.echo("Then run the new installation with SLOTWISE_DATABASE_URL set to the target.")


@db_app.command("backup")
def backup_command(
    path: Annotated[Path, typer.Argument(help="The backup file to write (must not exist)")],
) -> None:
    """Back up the SQLite database to PATH, consistently, even while the server runs (SQLite's
    online backup API). On PostgreSQL: prints the pg_dump command to use and exits 1."""
    from slotwise.kit.backup import BackupRefused, backup_sqlite

    try:
        pages = backup_sqlite(_database_url(), path)
    except BackupRefused as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Backed up to {path} ({pages} pages).")


@db_app.command("restore")
def restore_command(
    path: Annotated[Path, typer.Argument(help="A backup written by `slotwise db backup`")],
) -> None:
    """Replace the SQLite database with the backup at PATH (stop the server first). On
    PostgreSQL: prints the pg_restore command to use and exits 1."""
    from slotwise.kit.backup import BackupRefused, restore_sqlite

    try:
        revision = restore_sqlite(path, _database_url())
    except BackupRefused as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Restored {path} (schema revision {revision}).")
