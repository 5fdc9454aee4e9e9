"""Helpers shared by CLI commands: settings, database access, errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from slotwise.config import Settings

T = TypeVar("T")


def fail(message: str) -> typer.Exit:
    """Print ``message`` to stderr and return an Exit(1) to raise."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[red]Error:[/red] {escape(message)}")
    return typer.Exit(code=1)


def ready_settings(**overrides: object) -> Settings:
    """Settings from the environment, with the database prepared (SQLite migrated in place;
    PostgreSQL checked to be current). Exits 1 with a message when it is behind."""
    from slotwise.app import SchemaBehindError, prepare_database
    from slotwise.config import Settings

    settings = Settings(**overrides)  # type: ignore[arg-type]  # pydantic-settings kwargs
    try:
        prepare_database(settings)
    except SchemaBehindError as exc:
        raise fail(str(exc)) from exc
    return settings


def run_in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work(session)`` in one write transaction (:func:`slotwise.kit.db.transaction`) on
    a database of its own, and return its result."""

    from slotwise.kit.db import create_database, transaction

    async def runner() -> T:
        db = create_database(settings.database_url)
        try:
            async with transaction(db, write=True) as session:
                return await work(session)
        finally:
            await db.dispose()

    return asyncio.run(runner())
