"""Stored settings turned into the scheduling engine's inputs (pure, no I/O).

- :func:`event_rules`: an event type's Cal.com fields (2024-06-14 names) → ``EventRules``;
- :func:`blocks_when_pending`: whether pending bookings of an event type occupy their time;
- :func:`engine_schedule`: Cal.com-shaped availability and override rows → engine ``Schedule``;
- :func:`user_limits`: a user's ``/v2/me/booking-limits`` → engine ``UserLimits``;
- :func:`limit_window`: how far around a window bookings must be read so that every limit
  period the window touches is counted — the one copy of that arithmetic, for event-type and
  user limits alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

from slotwise.event_types.settings import BookingLimits as LimitSettings
from slotwise.event_types.settings import BookingWindow as WindowSettings
from slotwise.event_types.settings import settings_of
from slotwise.models import EventType, User
from slotwise.scheduling import (
    BookingLimits,
    BookingWindow,
    DateOverride,
    EventRules,
    UserLimits,
    WeeklyHours,
)
from slotwise.scheduling import Schedule as EngineSchedule

DAY_NUMBERS = {
    "Monday": 0,
    "Tuesday": 1,
    "Wednesday": 2,
    "Thursday": 3,
    "Friday": 4,
    "Saturday": 5,
    "Sunday": 6,
}
WEEKDAYS = tuple(DAY_NUMBERS)
DEFAULT_AVAILABILITY: list[dict[str, Any]] = [
    {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "startTime": "09:00",
        "endTime": "17:00",
    }
]
USER_LIMIT_FIELDS = {"perDay": "day", "perWeek": "week", "perMonth": "month", "perYear": "year"}
"""``users.booking_limits`` keys (``/v2/me/booking-limits``) → engine ``BookingLimits`` units."""


def hhmm_to_minutes(value: str) -> int:
    """``"09:30"`` → 570; ``"23:59"`` and ``"24:00"`` → 1440 (midnight)."""
    hours, minutes = value.split(":")
    total = int(hours) * 60 + int(minutes)
    return 1440 if total >= 1439 else total


def engine_schedule(
    time_zone: str, availability: Sequence[dict[str, Any]], overrides: Sequence[dict[str, Any]]
) -> EngineSchedule:
    """Build the engine's Schedule from Cal.com-shaped availability and override rows (local
    wall-clock ``"HH:MM"`` times in ``time_zone``)."""
    weekly = tuple(
        WeeklyHours(
            days=frozenset(DAY_NUMBERS[d] for d in row["days"]),
            start_minute=hhmm_to_minutes(row["startTime"]),
            end_minute=hhmm_to_minutes(row["endTime"]),
        )
        for row in availability
    )
    over = tuple(
        DateOverride(
            date=date.fromisoformat(row["date"]),
            start_minute=hhmm_to_minutes(row["startTime"]),
            end_minute=hhmm_to_minutes(row["endTime"]) if row["endTime"] != "00:00" else 0,
        )
        for row in overrides
    )
    return EngineSchedule(time_zone=time_zone, weekly=weekly, overrides=over)


def _limits(limits: LimitSettings) -> BookingLimits | None:
    if not limits.active:
        return None
    return BookingLimits(day=limits.day, week=limits.week, month=limits.month, year=limits.year)


def _window(window: WindowSettings) -> BookingWindow | None:
    if not window.active:
        return None
    if window.kind == "range":
        start, end = window.start_date, window.end_date
        return BookingWindow(
            kind="range",
            start_date=date.fromisoformat(start) if start is not None else None,
            end_date=date.fromisoformat(end) if end is not None else None,
        )
    kind = cast(Literal["businessDays", "calendarDays"], window.kind)
    return BookingWindow(kind=kind, days=window.days, rolling=window.rolling)


def event_rules(event_type: EventType, time_zone: str | None = None) -> EventRules:
    """The engine rules of ``event_type`` (fields as stored, Cal.com 2024-06-14 names).

    ``time_zone``: the event's zone for limits and range windows (the schedule's zone).
    """
    s = settings_of(event_type)
    return EventRules(
        length=event_type.length,
        slot_interval=s.lengths.slot_interval,
        offset_start=s.lengths.offset_start,
        minimum_booking_notice=s.minimum_booking_notice,
        before_buffer=s.buffers.before,
        after_buffer=s.buffers.after,
        show_optimized_slots=s.page.show_optimized_slots,
        only_show_first_available_slot=s.page.only_show_first_available_slot,
        booking_window=_window(s.booking_window),
        count_limits=_limits(s.limits_count),
        duration_limits=_limits(s.limits_duration),
        time_zone=time_zone,
    )


TEAM_LIMIT_FIELDS = {
    "day": ("PER_DAY", "perDay", "day"),
    "week": ("PER_WEEK", "perWeek", "week"),
    "month": ("PER_MONTH", "perMonth", "month"),
    "year": ("PER_YEAR", "perYear", "year"),
}
"""Engine units → the keys ``teams.booking_limits`` may hold them under (Cal.com's
``PER_DAY`` …, or the API's ``perDay``/``day`` spellings)."""


def team_limits(stored: Mapping[str, Any] | None) -> BookingLimits | None:
    """A team's ``bookingLimits`` as the engine's ``BookingLimits`` (whole positive counts);
    None when none is set. ``disabled: true`` turns them off."""
    if not stored or stored.get("disabled") is True:
        return None
    values: dict[str, int | None] = {}
    for unit, keys in TEAM_LIMIT_FIELDS.items():
        raw = next((stored[k] for k in keys if k in stored), None)
        ok = isinstance(raw, int) and not isinstance(raw, bool) and raw > 0
        values[unit] = raw if ok else None
    if not any(v is not None for v in values.values()):
        return None
    return BookingLimits(**values)


def blocks_when_pending(event_type: EventType | None) -> bool:
    """True when pending bookings of ``event_type`` block their time
    (confirmationPolicy.blockUnconfirmedBookingsInBooker)."""
    if event_type is None:
        return False
    return settings_of(event_type).confirmation.blocks_unconfirmed


def user_limits(user: User) -> UserLimits | None:
    """``user``'s own booking limits (stored ``{perDay, perWeek, perMonth, perYear}``) as the
    engine's ``UserLimits`` in the user's zone and ``weekStart`` (Sunday when unknown); None
    when no limit is set."""
    stored = user.booking_limits or {}
    values = {unit: stored.get(name) for name, unit in USER_LIMIT_FIELDS.items()}
    if not any(v is not None for v in values.values()):
        return None
    week_start = WEEKDAYS.index(user.week_start) if user.week_start in WEEKDAYS else 6
    return UserLimits(BookingLimits(**values), user.time_zone, week_start)


def limit_window(
    limits: Iterable[BookingLimits | None], start: datetime, end: datetime
) -> tuple[datetime, datetime] | None:
    """``[start, end]`` widened so that every booking of a limit period the window touches is
    read: by 370 days when any limit is yearly, else 32 days (monthly), 8 days (weekly), else 2
    days (daily; a day more than a period, for zones). None when ``limits`` holds no limit."""
    given = [x for x in limits if x is not None]
    if not given:
        return None
    if any(x.year is not None for x in given):
        span = timedelta(days=370)
    elif any(x.month is not None for x in given):
        span = timedelta(days=32)
    elif any(x.week is not None for x in given):
        span = timedelta(days=8)
    else:
        span = timedelta(days=2)
    return start - span, end + span
