"""Apply and inspect Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from slotwise.kit.db import sync_url


def alembic_config(url: str) -> Config:
    """An Alembic Config pointing at the packaged migrations and ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", "slotwise:migrations")
    cfg.set_main_option(
        "sqlalchemy.url", sync_url(url).render_as_string(hide_password=False).replace("%", "%%")
    )
    return cfg


COMPATIBLE_LATER_REVISIONS: frozenset[str] = frozenset()
"""Revisions newer than this code's head that it still works with (none yet). During a rolling
upgrade the new release migrates first; old processes stay ready only when the new revision is
listed here in the old release (the zero-downtime rule in docs/operations.md)."""


def upgrade(url: str, revision: str = "head") -> None:
    """Apply every pending migration to the database at ``url``."""
    command.upgrade(alembic_config(url), revision)


def head_revision(url: str) -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at (None for an empty database)."""
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def is_current(url: str) -> bool:
    """True when the database schema is at the code's head revision."""
    return current_revision(url) == head_revision(url)
