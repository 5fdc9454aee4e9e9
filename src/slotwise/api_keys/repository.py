"""API-key queries (only the key's SHA-256 hex digest is stored)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import ApiKey


async def delete_keys(session: AsyncSession, which: ColumnElement[bool]) -> None:
    """Delete the keys selected by ``which``."""
    await session.execute(delete(ApiKey).where(which))


async def keys_where(session: AsyncSession, which: ColumnElement[bool]) -> Sequence[ApiKey]:
    """The keys selected by ``which``, newest first."""
    query = select(ApiKey).where(which).order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
    return (await session.scalars(query)).all()
