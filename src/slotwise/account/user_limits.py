"""User booking limits (``/v2/me/booking-limits``): caps on the number of accepted bookings a
user organises across all of their event types per day, week, month and year.

Stored on ``users.booking_limits`` as ``{"perDay", "perWeek", "perMonth", "perYear"}`` (keys
present only when set). Periods are calendar periods in the user's time zone, weeks starting on
the user's ``weekStart``; a booking counts in every period it overlaps (as event-type limits,
cal-semantics §3.1/§3.4). A period whose count has reached its limit becomes busy as a whole:
no slots in it, and bookings in it are refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import Booking, User
from slotwise.scheduling import BookingLimits, Interval
from slotwise.scheduling.intervals import from_micros, to_micros
from slotwise.scheduling.limits import LimitUsage, full_periods

FIELDS = {"perDay": "day", "perWeek": "week", "perMonth": "month", "perYear": "year"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def limits_output(user: User) -> dict[str, int | None]:
    """``{perDay, perWeek, perMonth, perYear}`` of ``user``, null when unset."""
    stored = user.booking_limits or {}
    return {name: stored.get(name) for name in FIELDS}


def engine_limits(user: User) -> BookingLimits | None:
    """The user's limits as engine ``BookingLimits`` (None when none is set)."""
    stored = user.booking_limits or {}
    values = {unit: stored.get(name) for name, unit in FIELDS.items()}
    if not any(v is not None for v in values.values()):
        return None
    return BookingLimits(**values)


def limit_window(
    users: Iterable[User], start: datetime, end: datetime
) -> tuple[datetime, datetime]:
    """``[start, end]`` widened to whole periods of the longest limit any of ``users`` set (a
    day more for zones), so every booking of a touched period is counted."""
    span = timedelta(days=2)
    for user in users:
        limits = engine_limits(user)
        if limits is None:
            continue
        if limits.year is not None:
            span = max(span, timedelta(days=370))
        elif limits.month is not None:
            span = max(span, timedelta(days=32))
        elif limits.week is not None:
            span = max(span, timedelta(days=8))
    return start - span, end + span


def full_user_periods(
    user: User, bookings: Sequence[tuple[datetime, datetime]], start: datetime, end: datetime
) -> list[Interval]:
    """The periods of ``user``'s limits overlapping ``[start, end]`` that are already full,
    given the user's counted ``bookings`` (UTC ``(start, end)`` pairs). Raises
    ZoneInfoNotFoundError for an unknown stored zone."""
    limits = engine_limits(user)
    if limits is None:
        return []
    usage = LimitUsage((to_micros(s), to_micros(e)) for s, e in bookings)
    week_start = WEEKDAYS.index(user.week_start) if user.week_start in WEEKDAYS else 6
    spans = full_periods(
        usage,
        count_limits=limits,
        duration_limits=None,
        length=1,
        lo_us=to_micros(start),
        hi_us=max(to_micros(end), to_micros(start) + 1),
        tz=ZoneInfo(user.time_zone),
        week_start=week_start,
    )
    return [Interval(from_micros(lo), from_micros(hi)) for lo, hi in spans]


async def user_limit_reached(
    session: AsyncSession,
    user: User,
    start: datetime,
    end: datetime,
    *,
    exclude_booking_uid: str | None = None,
) -> bool:
    """Whether a booking ``[start, end)`` of ``user`` falls in a period whose user booking limit
    is reached (accepted bookings the user organises; ``exclude_booking_uid``, the booking being
    rescheduled, does not count). One query when the user has limits, none otherwise."""
    if engine_limits(user) is None:
        return False
    lo, hi = limit_window([user], start, end)
    query = select(Booking.start_time, Booking.end_time).where(
        Booking.user_id == user.id,
        Booking.status == "accepted",
        Booking.start_time < hi,
        Booking.end_time > lo,
    )
    if exclude_booking_uid:
        query = query.where(Booking.uid != exclude_booking_uid)
    rows = [(r.start_time, r.end_time) for r in await session.execute(query)]
    return any(p.start < end and p.end > start for p in full_user_periods(user, rows, start, end))


async def user_limit_busy(
    session: AsyncSession,
    users: Sequence[User],
    start: datetime,
    end: datetime,
    *,
    exclude_booking_uid: str | None = None,
) -> dict[int, list[Interval]]:
    """For the ``users`` with booking limits: user id → the full limit periods overlapping
    ``[start, end]``, as busy intervals. One query when any user has limits, none otherwise."""
    limited = [u for u in users if engine_limits(u) is not None]
    if not limited:
        return {}
    lo, hi = limit_window(limited, start, end)
    query = select(Booking.user_id, Booking.start_time, Booking.end_time).where(
        Booking.user_id.in_([u.id for u in limited]),
        Booking.status == "accepted",
        Booking.start_time < hi,
        Booking.end_time > lo,
    )
    if exclude_booking_uid:
        query = query.where(Booking.uid != exclude_booking_uid)
    per_user: dict[int, list[tuple[datetime, datetime]]] = {u.id: [] for u in limited}
    for row in await session.execute(query):
        per_user[row.user_id].append((row.start_time, row.end_time))
    return {u.id: full_user_periods(u, per_user[u.id], start, end) for u in limited}
