"""Schedule rules: ownership, the one default schedule per user, create/update/delete.

The default schedule is ``users.default_schedule_id``, so a user has at most one. Rules (Cal.com's
web app, which API v2 leaves undefined):

- ``isDefault: true`` on create or update makes that schedule the default;
- a user's first schedule becomes the default even with ``isDefault: false`` (so a user with
  schedules always has exactly one default);
- ``isDefault: false`` on the current default is ignored: pick another default instead;
- deleting the default hands the role to the user's oldest remaining schedule (none left → no
  default; bookings then use Monday–Friday 09:00–17:00 in the user's zone).

Another user's schedule is reported as not found (404), never as forbidden. Services flush, never
commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import NotFound
from slotwise.models import Schedule, User
from slotwise.policy.schedules import find_manageable_schedule, manageable_schedules
from slotwise.schedules import repository
from slotwise.schedules.schemas import (
    DEFAULT_AVAILABILITY,
    CreateScheduleInput,
    UpdateScheduleInput,
    availability_rows,
    override_rows,
)


def _not_found(schedule_id: int) -> NotFound:
    return NotFound(f"Schedule with ID={schedule_id} does not exist.")


async def _has_valid_default(session: AsyncSession, user: User) -> bool:
    if user.default_schedule_id is None:
        return False
    current = await find_manageable_schedule(session, user, user.default_schedule_id)
    return current is not None


async def create_schedule(session: AsyncSession, user: User, body: CreateScheduleInput) -> Schedule:
    """Create a schedule for ``user``; make it the default when asked or when the user has none.

    ``availability`` omitted → Monday–Friday 09:00–17:00; ``overrides`` omitted → none.
    """
    fields = body.model_fields_set
    availability = (
        availability_rows(body.availability)
        if "availability" in fields and body.availability is not None
        else [dict(r) for r in DEFAULT_AVAILABILITY]
    )
    schedule = Schedule(
        user_id=user.id,
        name=body.name,
        time_zone=body.timeZone,
        availability=availability,
        overrides=override_rows(body.overrides or []),
    )
    session.add(schedule)
    await session.flush()
    if body.isDefault or not await _has_valid_default(session, user):
        user.default_schedule_id = schedule.id
        await session.flush()
    return schedule


async def list_schedules(session: AsyncSession, user: User) -> Sequence[Schedule]:
    """Every schedule of ``user``, oldest first."""
    return await repository.schedules_where(session, manageable_schedules(user))


async def get_schedule(session: AsyncSession, user: User, schedule_id: int) -> Schedule:
    """The user's schedule ``schedule_id``; 404 when missing or someone else's."""
    schedule = await find_manageable_schedule(session, user, schedule_id)
    if schedule is None:
        raise _not_found(schedule_id)
    return schedule


async def default_schedule(session: AsyncSession, user: User) -> Schedule | None:
    """The user's default schedule, or None when there is none (Cal.com answers ``data: null``)."""
    if user.default_schedule_id is None:
        return None
    return await find_manageable_schedule(session, user, user.default_schedule_id)


async def update_schedule(
    session: AsyncSession, user: User, schedule_id: int, body: UpdateScheduleInput
) -> Schedule:
    """Apply the fields given (``null`` leaves a field as is); ``availability``/``overrides``
    replace the stored lists. ``isDefault: true`` makes it the default. 404 when missing or
    someone else's."""
    schedule = await get_schedule(session, user, schedule_id)
    if body.name is not None:
        schedule.name = body.name
    if body.timeZone is not None:
        schedule.time_zone = body.timeZone
    if body.availability is not None:
        schedule.availability = availability_rows(body.availability)
    if body.overrides is not None:
        schedule.overrides = override_rows(body.overrides)
    if body.isDefault:
        user.default_schedule_id = schedule.id
    await session.flush()
    return schedule


async def delete_schedule(session: AsyncSession, user: User, schedule_id: int) -> None:
    """Delete the user's schedule; 404 when missing or someone else's.

    Event types using it fall back to the default schedule. Deleting the default makes the
    oldest remaining schedule the default (or leaves the user without one).
    """
    schedule = await get_schedule(session, user, schedule_id)
    if user.default_schedule_id == schedule.id:
        successor = await repository.oldest_other_schedule(session, user.id, schedule.id)
        user.default_schedule_id = successor.id if successor else None
    await session.delete(schedule)
    await session.flush()
