"""Rules of PATCH /v2/me: the email stays unique and the default schedule must be one of the
user's own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import BadRequest, Conflict
from slotwise.models import User
from slotwise.policy.schedules import find_manageable_schedule
from slotwise.users.repository import email_taken

# Body fields → User attributes copied as given (a null leaves the attribute unchanged).
_SIMPLE = {
    "name": "name",
    "timeFormat": "time_format",
    "weekStart": "week_start",
    "timeZone": "time_zone",
    "locale": "locale",
    "avatarUrl": "avatar_url",
    "bio": "bio",
    "metadata": "metadata_",
}


async def update_profile(session: AsyncSession, user: User, fields: dict[str, Any]) -> None:
    """Apply the ``UpdateMeInput`` fields given; 409 when the email belongs to someone else,
    400 when ``defaultScheduleId`` is not one of the user's schedules."""
    if "email" in fields and fields["email"] != user.email:
        if await email_taken(session, fields["email"]):
            raise Conflict("A user with this email already exists")
        user.email = fields["email"]
    if "defaultScheduleId" in fields:
        schedule_id = fields["defaultScheduleId"]
        if await find_manageable_schedule(session, user, schedule_id) is None:
            raise BadRequest(f"Schedule with id {schedule_id} is not one of your schedules")
        user.default_schedule_id = schedule_id
    for field, attr in _SIMPLE.items():
        if field in fields and fields[field] is not None:
            setattr(user, attr, fields[field])
    await session.flush()
