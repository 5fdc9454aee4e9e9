"""The request session dependency: one transaction per request, committed in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.config import Settings
from slotwise.kit.db import Database, transaction

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_database(request: Request) -> Database:
    """The process's Database (set on app.state by create_app)."""
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    """The process's Settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session inside one transaction for the whole request.

    GET/HEAD use the read engine; every other method the write engine (``BEGIN IMMEDIATE`` on
    SQLite). Commits when the endpoint returns, rolls back when it raises.
    """
    db = get_database(request)
    async with transaction(db, write=request.method not in _READ_METHODS) as session:
        session.info["settings"] = get_settings(request)  # for reads that call providers
        yield session


# scope="function": commit (the dependency's exit) before the response is sent. FastAPI's default
# ("request") runs it after the body has gone out, so a client could see 2xx before the commit —
# and its next request would not see the write, or the commit could still fail.
DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings)]
