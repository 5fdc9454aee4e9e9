"""Alembic environment: runs migrations on the connection handed in by slotwise.kit.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from slotwise.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run against ``config.attributes['connection']`` or a fresh engine from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        _run(conn)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]  # alembic accepts a Connection
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
