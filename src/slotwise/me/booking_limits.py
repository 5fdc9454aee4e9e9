"""User booking limits (``/v2/me/booking-limits``): caps on the number of accepted bookings a
user organises across all of their event types per day, week, month and year.

Stored on ``users.booking_limits`` as ``{"perDay", "perWeek", "perMonth", "perYear"}`` (keys
present only when set). Periods are calendar periods in the user's time zone, weeks starting on
the user's ``weekStart``; a booking counts in every period it overlaps (as event-type limits,
cal-semantics §3.1/§3.4). A period whose count has reached its limit becomes busy as a whole:
no slots in it, and bookings in it are refused with their own message. The limits are an engine
input (:func:`slotwise.availability.inputs.user_limits`, ``scheduling.UserLimits``); this module
renders and changes them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.inputs import USER_LIMIT_FIELDS
from slotwise.models import User

FIELDS = USER_LIMIT_FIELDS
"""Stored keys → engine units (the API's ``perDay``… names)."""


def limits_output(user: User) -> dict[str, int | None]:
    """``{perDay, perWeek, perMonth, perYear}`` of ``user``, null when unset."""
    stored = user.booking_limits or {}
    return {name: stored.get(name) for name in FIELDS}


async def update_limits(session: AsyncSession, user: User, given: dict[str, Any]) -> None:
    """Merge ``given`` into ``user``'s limits: a number sets an interval, None clears it,
    intervals not given are kept."""
    merged = dict(user.booking_limits or {})
    for name, value in given.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    user.booking_limits = {k: merged[k] for k in FIELDS if k in merged} or None
    await session.flush()


async def clear_limits(session: AsyncSession, user: User) -> None:
    """Remove every limit of ``user``."""
    user.booking_limits = None
    await session.flush()
