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


async def usernames_among(session: AsyncSession, usernames: list[str]) -> list[str]:
    """Which of ``usernames`` belong to a user, sorted."""
    found = await session.scalars(
        select(User.username).where(User.username.in_(usernames)).order_by(User.username)
    )
    return list(found)


async def find_by_login(session: AsyncSession, login: str) -> User | None:
    """The user whose username or email (case-insensitive) is ``login``."""
    login = login.strip().lower()
    return (
        await session.execute(
            select(User).where((User.username == login) | (func.lower(User.email) == login))
        )
    ).scalar_one_or_none()
