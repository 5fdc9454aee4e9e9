"""API-key queries (only the key's SHA-256 hex digest is stored)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import ApiKey


async def delete_keys(session: AsyncSession, which: ColumnElement[bool]) -> None:
    """Delete the keys selected by ``which``."""
    await session.execute(delete(ApiKey).where(which))
