"""Schedule queries. Every lookup is scoped to its owner, so another user's schedule is simply
not found."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import Schedule


async def schedules_where(
    session: AsyncSession, visible: ColumnElement[bool]
) -> Sequence[Schedule]:
    """The schedules selected by ``visible`` (``policy.schedules.manageable_schedules``), oldest
    first."""
    return (await session.scalars(select(Schedule).where(visible).order_by(Schedule.id))).all()


async def oldest_other_schedule(
    session: AsyncSession, user_id: int, excluding_id: int
) -> Schedule | None:
    """The user's oldest schedule other than ``excluding_id`` (the next default), or None."""
    return await session.scalar(
        select(Schedule)
        .where(Schedule.user_id == user_id, Schedule.id != excluding_id)
        .order_by(Schedule.id)
        .limit(1)
    )
