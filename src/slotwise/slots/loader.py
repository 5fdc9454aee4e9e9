"""Load what the scheduling engine needs for an event type, in a constant number of queries.

Shared by slot listing and booking validation so both see the same busy times:

- :func:`event_rules` turns an event type's stored Cal.com fields into ``EventRules``;
- :func:`load_hosts` returns one ``HostInput`` per host (schedule, buffered bookings, active
  reservations) for a UTC window.

Queries: one for the hosts' schedules, one for their bookings, reservations and out-of-office
entries (UNION ALL), one more only when the event type has booking or duration limits, and one
more only when a host has user booking limits — however many days, bookings or hosts are
involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, or_, select, type_coerce, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType

from slotwise.account.user_limits import user_limit_busy
from slotwise.models import (
    Attendee,
    Booking,
    EventType,
    OutOfOffice,
    Schedule,
    SlotReservation,
    User,
)
from slotwise.scheduling import (
    BookingLimits,
    BookingWindow,
    DateOverride,
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
    WeeklyHours,
)
from slotwise.scheduling import Schedule as EngineSchedule
from slotwise.scheduling.window import ROLLING_MAX_DAYS

DAY_NUMBERS = {
    "Monday": 0,
    "Tuesday": 1,
    "Wednesday": 2,
    "Thursday": 3,
    "Friday": 4,
    "Saturday": 5,
    "Sunday": 6,
}
DEFAULT_AVAILABILITY: list[dict[str, Any]] = [
    {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "startTime": "09:00",
        "endTime": "17:00",
    }
]
# Buffers are at most 120 minutes each side in Cal.com; widen booking queries by both.
MAX_BUFFER = timedelta(minutes=240)
ROLLING_HORIZON = timedelta(days=ROLLING_MAX_DAYS + 1)
"""How far ahead a rolling booking window may look for dates with slots (61 days, plus a day
for the booker's zone), so listing and booking see the same bookings when walking it."""
BLOCKING_STATUSES = ("accepted",)


def _utc(value: Any) -> datetime:
    """A raw time column value as an aware UTC datetime (SQLite gives naive-UTC strings)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    moment: datetime = value
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _whole_days(span: Interval) -> Interval:
    """An out-of-office span widened to whole UTC days (Cal.com expands OOO entries to days)."""
    first = span.start.replace(hour=0, minute=0, second=0, microsecond=0)
    last = span.end.replace(hour=0, minute=0, second=0, microsecond=0)
    return Interval(first, last if last == span.end else last + timedelta(days=1))


def hhmm_to_minutes(value: str) -> int:
    """``"09:30"`` → 570; ``"23:59"`` and ``"24:00"`` → 1440 (midnight)."""
    hours, minutes = value.split(":")
    total = int(hours) * 60 + int(minutes)
    return 1440 if total >= 1439 else total


def engine_schedule(
    time_zone: str, availability: Sequence[dict[str, Any]], overrides: Sequence[dict[str, Any]]
) -> EngineSchedule:
    """Build the engine's Schedule from Cal.com-shaped availability and override rows."""
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


def _limits(value: Any) -> BookingLimits | None:
    if not isinstance(value, dict) or value.get("disabled"):
        return None
    keys = ("day", "week", "month", "year")
    if not any(value.get(k) for k in keys):
        return None
    return BookingLimits(**{k: value.get(k) for k in keys})


def _window(value: Any) -> BookingWindow | None:
    if not isinstance(value, dict) or value.get("disabled") or "type" not in value:
        return None
    if value["type"] == "range":
        start, end = value["value"]
        return BookingWindow(
            kind="range", start_date=date.fromisoformat(start), end_date=date.fromisoformat(end)
        )
    return BookingWindow(
        kind=value["type"], days=int(value["value"]), rolling=bool(value.get("rolling", False))
    )


def event_rules(event_type: EventType, time_zone: str | None = None) -> EventRules:
    """The engine rules of ``event_type`` (fields as stored, Cal.com 2024-06-14 names).

    ``time_zone``: the event's zone for limits and range windows (the schedule's zone).
    """
    c = event_type.config
    return EventRules(
        length=event_type.length,
        slot_interval=c.get("slotInterval") or None,
        offset_start=int(c.get("offsetStart") or 0),
        minimum_booking_notice=int(c.get("minimumBookingNotice", 120) or 0),
        before_buffer=int(c.get("beforeEventBuffer") or 0),
        after_buffer=int(c.get("afterEventBuffer") or 0),
        show_optimized_slots=bool(c.get("showOptimizedSlots", False)),
        only_show_first_available_slot=bool(c.get("onlyShowFirstAvailableSlot", False)),
        booking_window=_window(c.get("bookingWindow")),
        count_limits=_limits(c.get("bookingLimitsCount")),
        duration_limits=_limits(c.get("bookingLimitsDuration")),
        time_zone=time_zone,
    )


def blocks_when_pending(event_type: EventType | None) -> bool:
    """True when pending bookings of ``event_type`` block their time
    (confirmationPolicy.blockUnconfirmedBookingsInBooker)."""
    if event_type is None:
        return False
    policy = event_type.config.get("confirmationPolicy")
    return bool(
        isinstance(policy, dict)
        and not policy.get("disabled")
        and policy.get("blockUnconfirmedBookingsInBooker")
    )


async def load_schedules(
    session: AsyncSession, users: Sequence[User], event_type: EventType | None
) -> dict[int, EngineSchedule]:
    """Each host's schedule: the event type's own, else the user's default, else Mon–Fri
    09:00–17:00 in the user's zone (Cal.com's fallback). One query."""
    wanted: dict[int, int | None] = {}
    for user in users:
        own = event_type.schedule_id if event_type and event_type.user_id == user.id else None
        wanted[user.id] = own or user.default_schedule_id
    ids = [i for i in wanted.values() if i is not None]
    rows: dict[int, Schedule] = {}
    if ids:
        result = await session.scalars(select(Schedule).where(Schedule.id.in_(ids)))
        rows = {s.id: s for s in result}
    out: dict[int, EngineSchedule] = {}
    for user in users:
        sid = wanted[user.id]
        sched = rows.get(sid) if sid is not None else None
        if sched is None:
            out[user.id] = engine_schedule(user.time_zone, DEFAULT_AVAILABILITY, [])
        else:
            out[user.id] = engine_schedule(sched.time_zone, sched.availability, sched.overrides)
    return out


def _limit_window(
    rules: EventRules, start: datetime, end: datetime
) -> tuple[datetime, datetime] | None:
    limits = [x for x in (rules.count_limits, rules.duration_limits) if x is not None]
    if not limits:
        return None
    if any(x.year for x in limits):
        span = timedelta(days=370)
    elif any(x.month for x in limits):
        span = timedelta(days=32)
    elif any(x.week for x in limits):
        span = timedelta(days=8)
    else:
        span = timedelta(days=2)
    return start - span, end + span


async def load_hosts(
    session: AsyncSession,
    users: Sequence[User],
    event_type: EventType | None,
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    exclude_booking_uid: str | None = None,
    exclude_reservation_uid: str | None = None,
) -> list[HostInput]:
    """One HostInput per user (same order) for the UTC window ``[window_start, window_end]``.

    Busy: accepted bookings where the host organises or attends (pending ones of this event
    type too when it blocks unconfirmed bookings), widened by their own stored buffers; active
    reservations of the hosts (any event type), except ``exclude_reservation_uid``; the hosts'
    out-of-office entries as whole UTC days; the full periods of hosts' user booking limits
    (:mod:`slotwise.account.user_limits`). The booking
    ``exclude_booking_uid`` (being rescheduled) is left out, as Cal.com does. With a rolling
    booking window the window is widened to ``[now − 1 day, now + 62 days]`` as well: the engine
    walks that horizon to find the window's last day, and must see the same busy times whether
    it lists slots or checks a booking.
    """
    window = rules.booking_window
    if window is not None and window.rolling:
        window_start = min(window_start, now - timedelta(days=1))
        window_end = max(window_end, now + ROLLING_HORIZON)
    schedules = await load_schedules(session, users, event_type)
    user_ids = [u.id for u in users]
    emails = [u.email for u in users]
    lo, hi = window_start - MAX_BUFFER, window_end + MAX_BUFFER
    status_filter: ColumnElement[bool] = Booking.status.in_(BLOCKING_STATUSES)
    if event_type is not None and blocks_when_pending(event_type):
        status_filter = or_(
            status_filter,
            and_(Booking.status == "pending", Booking.event_type_id == event_type.id),
        )
    attendee_of = select(Attendee.booking_id).where(Attendee.email.in_(emails))
    # One statement for the window's bookings and the hosts' active reservations (UNION ALL,
    # ``kind`` 0 = booking, 1 = reservation). Raw time columns (no per-value type processing):
    # this returns every booking of the window, and _utc() converts SQLite's strings or
    # PostgreSQL's datetimes much faster.
    bookings = select(
        literal(0).label("kind"),
        Booking.user_id,
        type_coerce(Booking.start_time, NullType()).label("start_time"),
        type_coerce(Booking.end_time, NullType()).label("end_time"),
        Booking.before_buffer,
        Booking.after_buffer,
    ).where(
        status_filter,
        Booking.start_time < hi,
        Booking.end_time > lo,
        or_(Booking.user_id.in_(user_ids), Booking.id.in_(attendee_of)),
    )
    if exclude_booking_uid:
        bookings = bookings.where(Booking.uid != exclude_booking_uid)
    reservations = select(
        literal(1).label("kind"),
        SlotReservation.user_id,
        type_coerce(SlotReservation.slot_start, NullType()).label("start_time"),
        type_coerce(SlotReservation.slot_end, NullType()).label("end_time"),
        literal(0).label("before_buffer"),
        literal(0).label("after_buffer"),
    ).where(
        SlotReservation.user_id.in_(user_ids),
        SlotReservation.reserved_until > now,
        SlotReservation.slot_start < hi,
        SlotReservation.slot_end > lo,
    )
    if exclude_reservation_uid:
        reservations = reservations.where(SlotReservation.uid != exclude_reservation_uid)
    # Out-of-office entries (kind 2) ride in the same statement; each blocks whole UTC days.
    away = select(
        literal(2).label("kind"),
        OutOfOffice.user_id,
        type_coerce(OutOfOffice.start, NullType()).label("start_time"),
        type_coerce(OutOfOffice.end, NullType()).label("end_time"),
        literal(0).label("before_buffer"),
        literal(0).label("after_buffer"),
    ).where(
        OutOfOffice.user_id.in_(user_ids),
        OutOfOffice.start < hi + timedelta(days=1),
        OutOfOffice.end > lo - timedelta(days=1),
    )
    connection = await session.connection()
    rows = (await connection.execute(union_all(bookings, reservations, away))).all()

    per_host: dict[int, list[ExistingBooking]] = {uid: [] for uid in user_ids}
    busy: dict[int, list[Interval]] = {uid: [] for uid in user_ids}
    for kind, organizer, start, end, before, after in rows:
        if kind:
            if organizer in busy:
                span = Interval(_utc(start), _utc(end))
                busy[organizer].append(_whole_days(span) if kind == 2 else span)
            continue
        # The organizer is busy; so is a host attending someone else's booking. Without a
        # per-attendee join we treat a booking as busy for its organizer, and for every host
        # when it came through the attendee filter. Each row is one booking, so no duplicates.
        item = ExistingBooking(_utc(start), _utc(end), before, after, False)
        for uid in [organizer] if organizer in per_host else user_ids:
            per_host[uid].append(item)

    limit_window = _limit_window(rules, window_start, window_end)
    if limit_window is not None and event_type is not None:
        limit_rows = (
            await session.execute(
                select(Booking.user_id, Booking.start_time, Booking.end_time).where(
                    Booking.event_type_id == event_type.id,
                    Booking.status.in_(BLOCKING_STATUSES),
                    Booking.start_time < limit_window[1],
                    Booking.end_time > limit_window[0],
                    *([Booking.uid != exclude_booking_uid] if exclude_booking_uid else []),
                )
            )
        ).all()
        for lrow in limit_rows:
            if lrow.user_id in per_host:
                per_host[lrow.user_id].append(
                    ExistingBooking(
                        start=lrow.start_time,
                        end=lrow.end_time,
                        before_buffer=0,
                        after_buffer=0,
                        counts_for_limits=True,
                    )
                )

    limited = await user_limit_busy(
        session, users, window_start, window_end, exclude_booking_uid=exclude_booking_uid
    )
    for uid, periods in limited.items():
        busy[uid].extend(periods)  # user booking limits: full periods are busy

    return [
        HostInput(schedule=schedules[uid], bookings=tuple(per_host[uid]), busy=tuple(busy[uid]))
        for uid in user_ids
    ]
