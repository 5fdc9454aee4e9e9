"""Schedules: readable and manageable by their owner only; someone else's schedule is missing."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.principal import Actor, principal_of
from slotwise.models import Schedule


def manageable_schedules(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause selecting the schedules ``actor`` may read and manage."""
    principal = principal_of(actor)
    assert principal is not None
    return Schedule.user_id == principal.user_id


async def find_manageable_schedule(
    session: AsyncSession, actor: Actor, schedule_id: int | None
) -> Schedule | None:
    """The schedule ``schedule_id`` when ``actor`` may manage it, else None (also for None)."""
    if schedule_id is None:
        return None
    return await session.scalar(
        select(Schedule).where(Schedule.id == schedule_id, manageable_schedules(actor))
    )
