"""User queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import User


async def username_taken(session: AsyncSession, username: str) -> bool:
    """Whether a user already has ``username``."""
    return bool(
        await session.scalar(
            select(func.count()).select_from(User).where(User.username == username)
        )
    )


async def email_taken(session: AsyncSession, email: str) -> bool:
    """Whether a user already has ``email``."""
    return bool(
        await session.scalar(select(func.count()).select_from(User).where(User.email == email))
    )
