"""kit.db.transaction: the one helper that opens a transaction outside the request dependency."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from slotwise.kit.db import create_database, transaction


async def test_commits_on_success_and_rolls_back_on_error(tmp_path: Path) -> None:
    """A write block commits when it exits, rolls back when it raises; reads see the result."""
    db = create_database(f"sqlite:///{tmp_path / 'tx.db'}")
    try:
        async with transaction(db, write=True) as session:
            await session.execute(text("CREATE TABLE t (v INTEGER)"))
            await session.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(RuntimeError):
            async with transaction(db, write=True) as session:
                await session.execute(text("INSERT INTO t VALUES (2)"))
                raise RuntimeError("boom")
        async with transaction(db, write=False) as session:
            assert session.in_transaction()
            assert list(await session.scalars(text("SELECT v FROM t"))) == [1]
    finally:
        await db.dispose()


async def test_write_and_read_use_their_engines(tmp_path: Path) -> None:
    """write=True binds the write engine, write=False the read engine."""
    db = create_database(f"sqlite:///{tmp_path / 'tx.db'}")
    try:
        async with transaction(db, write=True) as session:
            assert session.bind is db.write_engine
        async with transaction(db, write=False) as session:
            assert session.bind is db.read_engine
    finally:
        await db.dispose()
