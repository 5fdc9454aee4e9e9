"""Migration 0004 (account tables) upgrades and downgrades on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect

from slotwise.kit.db import sync_url
from slotwise.kit.migrate import alembic_config, current_revision, upgrade
from tests.conftest import PG_ADMIN

TABLES = {"out_of_office", "private_links", "credit_accounts", "credit_charges"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    name = f"slotwise_mig_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_ADMIN}/{name}"
    with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _schema(url: str) -> tuple[set[str], set[str]]:
    engine = create_engine(sync_url(url))
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names())
        user_columns = {c["name"] for c in inspector.get_columns("users")}
    finally:
        engine.dispose()
    return tables, user_columns


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    upgrade(empty_url, "0004")
    assert current_revision(empty_url) == "0004"
    tables, columns = _schema(empty_url)
    assert tables >= TABLES and "booking_limits" in columns
    command.downgrade(alembic_config(empty_url), "0003")
    assert current_revision(empty_url) == "0003"
    tables, columns = _schema(empty_url)
    assert not TABLES & tables and "booking_limits" not in columns
    upgrade(empty_url, "0004")
    assert _schema(empty_url)[0] >= TABLES
