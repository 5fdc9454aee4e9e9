"""Why a host is not free: the busy time of one day, labelled by reason (the troubleshooter).

Built from exactly what slot listing reads — :func:`.loader.load_availability`'s engine input
and busy rows, with the event type's rules — and, for limits, from the engine's own
:func:`slotwise.scheduling.free_ranges`; it lists no slots itself (GET /v2/slots does).

Reasons (:data:`REASONS`): ``outside_hours`` (no weekly hours then), ``override`` (a date
override closes that time), ``booking`` (an accepted booking, or a pending one of the event type
when it blocks; its id for its uid and title), ``buffer`` (the symmetric buffers around a
booking: its own and the event type's, as the engine applies them), ``reservation`` (a slot
held by a booker), ``out_of_office`` (whole UTC days, as the engine counts them), ``calendar``
(a connected calendar's busy time), ``booking_limit`` (a full period of the event type's, the
team's or the host's own booking limits: working time the engine leaves out although nothing
above occupies it), ``past``, ``minimum_notice`` and ``booking_window`` (fixed windows; a
rolling window is not explained).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.inputs import event_rules
from slotwise.availability.loader import (
    BOOKING,
    EXTERNAL_CALENDAR,
    OUT_OF_OFFICE,
    RESERVATION,
    BusyRow,
    event_type_hosts,
    load_availability,
)
from slotwise.models import Booking, EventType, User
from slotwise.scheduling import EventRules, HostInput, Interval, free_ranges, merge, subtract
from slotwise.scheduling.availability import availability_ranges
from slotwise.scheduling.window import window_bounds

REASONS = (
    "past",
    "minimum_notice",
    "booking_window",
    "outside_hours",
    "override",
    "out_of_office",
    "booking",
    "buffer",
    "reservation",
    "calendar",
    "booking_limit",
)
_ROW_REASONS = {RESERVATION: "reservation", EXTERNAL_CALENDAR: "calendar"}


@dataclass(frozen=True, slots=True)
class BusyReason:
    """``[start, end)`` (UTC) is not free because of ``reason``; ``booking_id`` names the
    booking of a ``booking`` or ``buffer`` reason, ``uid``/``title`` once read."""

    start: datetime
    end: datetime
    reason: str
    booking_id: int | None = None
    uid: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the day: ``reasons`` why it is not free (empty: free working time)."""

    start: datetime
    end: datetime
    reasons: tuple[BusyReason, ...] = ()


@dataclass(frozen=True, slots=True)
class DayExplanation:
    """:func:`explain_day`'s answer: the day's UTC bounds, the schedule's zone and the
    overrides of the day in it (``(start minute, end minute)``; ``(0, 0)`` closes the day),
    the labelled busy time and the timeline."""

    start: datetime
    end: datetime
    schedule_zone: str
    overrides: list[tuple[int, int]]
    reasons: list[BusyReason]
    timeline: list[Segment] = field(default_factory=list)


def _clip(start: datetime, end: datetime, lo: datetime, hi: datetime) -> tuple[datetime, datetime]:
    return max(start, lo), min(end, hi)


def _override_dates(host: HostInput) -> set[date]:
    return {o.date for o in host.schedule.overrides}


def _whole_utc_days(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    first = start.replace(hour=0, minute=0, second=0, microsecond=0)
    last = end.replace(hour=0, minute=0, second=0, microsecond=0)
    return first, last if last == end else last + timedelta(days=1)


def explain_busy(
    host: HostInput,
    rows: Sequence[BusyRow],
    rules: EventRules,
    *,
    user_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
    booker_tz: str = "UTC",
) -> list[BusyReason]:
    """The busy time of ``host`` (user ``user_id``) in ``[start, end)``, labelled by reason
    (:data:`REASONS`), sorted by start; ``rows`` are :func:`.loader.load_availability`'s rows
    and ``host`` its engine input, ``rules`` the event type's. Pure."""
    out: list[BusyReason] = []

    def add(s: datetime, e: datetime, reason: str, booking_id: int | None = None) -> None:
        s, e = _clip(s, e, start, end)
        if e > s:
            out.append(BusyReason(s, e, reason, booking_id))

    zone = ZoneInfo(host.schedule.time_zone)
    working = availability_ranges(host.schedule, start, end)
    overridden = _override_dates(host)
    for gap in subtract([Interval(start, end)], working):
        # a closed piece of a date with an override is the override's doing
        cursor = gap.start
        while cursor < gap.end:
            day = cursor.astimezone(zone).date()
            next_midnight = datetime.combine(day + timedelta(days=1), time(), zone)
            piece_end = min(gap.end, next_midnight)
            add(cursor, piece_end, "override" if day in overridden else "outside_hours")
            cursor = piece_end
    seen: set[int | None] = set()
    occupied: list[Interval] = []
    for row in rows:
        if row.user_id != user_id:
            continue
        if row.kind == BOOKING:
            if row.booking_id in seen:
                continue
            seen.add(row.booking_id)
            before = timedelta(minutes=row.before_buffer + rules.after_buffer)
            after = timedelta(minutes=row.after_buffer + rules.before_buffer)
            add(row.start, row.end, "booking", row.booking_id)
            add(row.start - before, row.start, "buffer", row.booking_id)
            add(row.end, row.end + after, "buffer", row.booking_id)
            occupied.append(Interval(row.start - before, row.end + after))
        elif row.kind == OUT_OF_OFFICE:
            s, e = _whole_utc_days(row.start, row.end)
            add(s, e, "out_of_office")
            occupied.append(Interval(s, e))
        elif row.kind in _ROW_REASONS:
            add(row.start, row.end, _ROW_REASONS[row.kind])
            occupied.append(Interval(row.start, row.end))
    # Working time the engine leaves out though nothing above occupies it: full limit periods.
    free = free_ranges([host], rules, window_start=start, window_end=end, length=rules.length)
    for piece in subtract(subtract(working, merge(occupied)), free):
        add(piece.start, piece.end, "booking_limit")
    add(start, now, "past")
    add(now, now + timedelta(minutes=max(0, rules.minimum_booking_notice)), "minimum_notice")
    window = rules.booking_window
    if window is not None and not window.rolling:
        event_tz = rules.time_zone or host.schedule.time_zone
        lo, hi = window_bounds(window, now=now, booker_tz=booker_tz, event_tz=event_tz)
        if lo is not None:
            add(start, lo, "booking_window")
        if hi is not None:
            add(hi, end, "booking_window")
    return sorted(out, key=lambda r: (r.start, REASONS.index(r.reason), r.end))


def timeline(reasons: Sequence[BusyReason], start: datetime, end: datetime) -> list[Segment]:
    """``[start, end)`` cut where a reason starts or ends: each piece with the reasons covering
    it (none: free working time); neighbours with the same reasons merged. Pure."""
    cuts = sorted({start, end, *(r.start for r in reasons), *(r.end for r in reasons)})
    cuts = [c for c in cuts if start <= c <= end]
    out: list[Segment] = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        active = tuple(r for r in reasons if r.start < hi and r.end > lo)
        if out and out[-1].end == lo and out[-1].reasons == active:
            out[-1] = Segment(out[-1].start, hi, active)
        else:
            out.append(Segment(lo, hi, active))
    return out


def day_bounds(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """The UTC instants of the local midnights starting ``day`` and the next day."""
    zone = ZoneInfo(time_zone)
    return (
        datetime.combine(day, time(), zone).astimezone(ZoneInfo("UTC")),
        datetime.combine(day + timedelta(days=1), time(), zone).astimezone(ZoneInfo("UTC")),
    )


async def explain_day(
    session: AsyncSession,
    host: User,
    event_type: EventType | None,
    day: date,
    *,
    time_zone: str,
    now: datetime,
) -> DayExplanation:
    """Why ``host`` is not free on ``day`` (local to ``time_zone``) for ``event_type`` (its
    rules, schedule and host row; None: the default schedule, no buffers, notice or limits).
    Reads what slot listing reads (:func:`.loader.load_availability`), plus one query for the
    bookings' uids and titles and, with an event type, its host row."""
    start, end = day_bounds(day, time_zone)
    rules = event_rules(event_type) if event_type is not None else None
    if rules is None:
        rules = EventRules(length=1, minimum_booking_notice=0)
    own: dict[int, int | None] = {}
    if event_type is not None:
        for row in await event_type_hosts(session, event_type, host):
            if row.user.id == host.id:
                own[host.id] = row.schedule_id
    loaded = await load_availability(
        session,
        [host],
        event_type,
        rules,
        window_start=start,
        window_end=end,
        now=now,
        host_schedules=own,
    )
    engine_host = loaded.hosts[0]
    reasons = explain_busy(
        engine_host,
        loaded.rows,
        loaded.rules or rules,
        user_id=host.id,
        start=start,
        end=end,
        now=now,
        booker_tz=time_zone,
    )
    ids = {r.booking_id for r in reasons if r.booking_id is not None}
    if ids:
        found = await session.execute(
            select(Booking.id, Booking.uid, Booking.title).where(Booking.id.in_(ids))
        )
        names = {i: (uid, title) for i, uid, title in found}
        reasons = [
            BusyReason(
                r.start, r.end, r.reason, r.booking_id, *names.get(r.booking_id, (None, None))
            )
            if r.booking_id is not None
            else r
            for r in reasons
        ]
    schedule = engine_host.schedule
    local = {start.astimezone(ZoneInfo(schedule.time_zone)).date()}
    local.add((end - timedelta(microseconds=1)).astimezone(ZoneInfo(schedule.time_zone)).date())
    overrides = sorted(
        (o.start_minute, o.end_minute) for o in schedule.overrides if o.date in local
    )
    return DayExplanation(
        start, end, schedule.time_zone, overrides, reasons, timeline(reasons, start, end)
    )
