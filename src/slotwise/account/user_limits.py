"""User booking limits (``/v2/me/booking-limits``): caps on the number of accepted bookings a
user organises across all of their event types per day, week, month and year.

Stored on ``users.booking_limits`` as ``{"perDay", "perWeek", "perMonth", "perYear"}`` (keys
present only when set). Periods are calendar periods in the user's time zone, weeks starting on
the user's ``weekStart``; a booking counts in every period it overlaps (as event-type limits,
cal-semantics §3.1/§3.4). A period whose count has reached its limit becomes busy as a whole:
no slots in it, and bookings in it are refused with their own message. The limits are an engine
input (:func:`slotwise.availability.inputs.user_limits`, ``scheduling.UserLimits``); this module
only renders them.
"""

from __future__ import annotations

from slotwise.availability.inputs import USER_LIMIT_FIELDS
from slotwise.models import User

FIELDS = USER_LIMIT_FIELDS
"""Stored keys → engine units (the API's ``perDay``… names)."""


def limits_output(user: User) -> dict[str, int | None]:
    """``{perDay, perWeek, perMonth, perYear}`` of ``user``, null when unset."""
    stored = user.booking_limits or {}
    return {name: stored.get(name) for name in FIELDS}
