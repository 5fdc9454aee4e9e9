"""Everything that makes hosts busy, read in one statement, and the engine inputs built from it.

- :func:`load_busy` reads, for a set of hosts (user ids) and a UTC range, every *kind* of busy
  row in one ``UNION ALL`` statement: bookings (accepted, plus pending ones of the event type when
  they block), unexpired reservations, out-of-office entries, and the bookings counting for the
  event type's and the hosts' own booking limits. A new source of busy time (external calendar
  busy times) is one more kind in the same statement.
- :func:`load_schedules`: each host's working hours (one query).
- :func:`load_hosts`: both, as one engine ``HostInput`` per host, for slot listing and booking
  checks (the engine, :mod:`slotwise.scheduling`, decides).

Queries: one for the hosts' schedules and one for all busy rows, however many days, bookings or
hosts are involved.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    cast,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType

from slotwise.availability.inputs import (
    DEFAULT_AVAILABILITY,
    blocks_when_pending,
    engine_schedule,
    limit_window,
    user_limits,
)
from slotwise.models import (
    Attendee,
    Booking,
    EventType,
    OutOfOffice,
    Schedule,
    SlotReservation,
    User,
)
from slotwise.scheduling import EventRules, ExistingBooking, HostInput, Interval
from slotwise.scheduling import Schedule as EngineSchedule
from slotwise.scheduling.window import ROLLING_MAX_DAYS

# Buffers are at most 120 minutes each side in Cal.com; widen booking queries by both.
MAX_BUFFER = timedelta(minutes=240)
ROLLING_HORIZON = timedelta(days=ROLLING_MAX_DAYS + 1)
"""How far ahead a rolling booking window may look for dates with slots (61 days, plus a day
for the booker's zone), so listing and booking see the same bookings when walking it."""
BLOCKING_STATUSES = ("accepted",)
"""Booking statuses that always occupy their time (pending ones only when the event type blocks
unconfirmed bookings); also the statuses that count for booking limits."""

BOOKING = 0
"""Kind of a booking occupying a host (as organizer, or as attendee of someone else's)."""
RESERVATION = 1
"""Kind of an unexpired slot reservation of a host (any event type)."""
OUT_OF_OFFICE = 2
"""Kind of an out-of-office entry of a host, as stored (the engine gets it as whole UTC days)."""
EVENT_LIMIT_USAGE = 3
"""Kind of an accepted booking of the event type organised by a host, counted for the event
type's count/duration limits (over the limit window, wider than the range)."""
USER_LIMIT_USAGE = 4
"""Kind of an accepted booking organised by a host with user booking limits, counted for them."""
OCCUPYING = frozenset({BOOKING, RESERVATION, OUT_OF_OFFICE})


@dataclass(frozen=True, slots=True)
class BusyRow:
    """One row of :func:`load_busy`: ``kind`` (module constants), ``user_id`` (a booking's
    organizer — who may not be one of the hosts when a host attends it — else the host the row
    belongs to), UTC ``start``/``end``, the booking's stored buffers in minutes (0 for the other
    kinds) and the row's event type (None for out-of-office)."""

    kind: int
    user_id: int
    start: datetime
    end: datetime
    before_buffer: int
    after_buffer: int
    event_type_id: int | None


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


def _raw(column: Any, name: str) -> Any:
    # Raw time columns (no per-value type processing): _utc() converts SQLite's strings or
    # PostgreSQL's datetimes much faster for the many rows of a long window.
    return type_coerce(column, NullType()).label(name)


def _booking_rows(kind: int, *where: ColumnElement[bool]) -> Select[Any]:
    return select(
        literal(kind).label("kind"),
        Booking.user_id,
        _raw(Booking.start_time, "start_time"),
        _raw(Booking.end_time, "end_time"),
        Booking.before_buffer,
        Booking.after_buffer,
        Booking.event_type_id,
    ).where(*where)


async def load_busy(
    session: AsyncSession,
    users: Sequence[User],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    event_type: EventType | None = None,
    pending_blocks: bool = False,
    kinds: Collection[int] = OCCUPYING,
    exclude_booking_uid: str | None = None,
    exclude_reservation_uid: str | None = None,
    event_limit_window: tuple[datetime, datetime] | None = None,
    user_limit_window: tuple[datetime, datetime] | None = None,
) -> list[BusyRow]:
    """Every busy row of ``users`` overlapping the UTC range ``[start, end]``, in one statement.

    ``kinds`` chooses among BOOKING, RESERVATION and OUT_OF_OFFICE (default all three):

    - BOOKING: bookings with status ``accepted`` (any event type) — and ``pending`` ones of
      ``event_type`` when ``pending_blocks`` — organised by a host or attended by one (attendee
      email, case-sensitive), read ``MAX_BUFFER`` beyond the range so buffers can be applied;
    - RESERVATION: the hosts' reservations unexpired at ``now``, of any event type;
    - OUT_OF_OFFICE: the hosts' entries, read a day beyond the range (they become whole days).

    EVENT_LIMIT_USAGE rows (accepted bookings of ``event_type`` organised by a host) are read
    over ``event_limit_window`` when given, USER_LIMIT_USAGE rows (accepted bookings organised
    by a host whose user limits are set) over ``user_limit_window`` when given; both windows come
    from :func:`slotwise.availability.inputs.limit_window`. ``exclude_booking_uid`` (the booking
    being rescheduled or confirmed) and ``exclude_reservation_uid`` (the caller's own
    reservation) are left out everywhere. Rows are in no particular order.
    """
    user_ids = [u.id for u in users]
    lo, hi = start - MAX_BUFFER, end + MAX_BUFFER
    not_excluded = [Booking.uid != exclude_booking_uid] if exclude_booking_uid else []
    parts: list[Select[Any]] = []
    if BOOKING in kinds:
        status: ColumnElement[bool] = Booking.status.in_(BLOCKING_STATUSES)
        if event_type is not None and pending_blocks:
            status = or_(
                status, and_(Booking.status == "pending", Booking.event_type_id == event_type.id)
            )
        attendee_of = select(Attendee.booking_id).where(
            Attendee.email.in_([u.email for u in users])
        )
        parts.append(
            _booking_rows(
                BOOKING,
                status,
                Booking.start_time < hi,
                Booking.end_time > lo,
                or_(Booking.user_id.in_(user_ids), Booking.id.in_(attendee_of)),
                *not_excluded,
            )
        )
    if RESERVATION in kinds:
        held = select(
            literal(RESERVATION).label("kind"),
            SlotReservation.user_id,
            _raw(SlotReservation.slot_start, "start_time"),
            _raw(SlotReservation.slot_end, "end_time"),
            literal(0).label("before_buffer"),
            literal(0).label("after_buffer"),
            SlotReservation.event_type_id,
        ).where(
            SlotReservation.user_id.in_(user_ids),
            SlotReservation.reserved_until > now,
            SlotReservation.slot_start < hi,
            SlotReservation.slot_end > lo,
        )
        if exclude_reservation_uid:
            held = held.where(SlotReservation.uid != exclude_reservation_uid)
        parts.append(held)
    if OUT_OF_OFFICE in kinds:
        parts.append(
            select(
                literal(OUT_OF_OFFICE).label("kind"),
                OutOfOffice.user_id,
                _raw(OutOfOffice.start, "start_time"),
                _raw(OutOfOffice.end, "end_time"),
                literal(0).label("before_buffer"),
                literal(0).label("after_buffer"),
                cast(null(), Integer).label("event_type_id"),
            ).where(
                OutOfOffice.user_id.in_(user_ids),
                OutOfOffice.start < hi + timedelta(days=1),
                OutOfOffice.end > lo - timedelta(days=1),
            )
        )
    if event_limit_window is not None and event_type is not None:
        parts.append(
            _booking_rows(
                EVENT_LIMIT_USAGE,
                Booking.event_type_id == event_type.id,
                Booking.user_id.in_(user_ids),
                Booking.status.in_(BLOCKING_STATUSES),
                Booking.start_time < event_limit_window[1],
                Booking.end_time > event_limit_window[0],
                *not_excluded,
            )
        )
    limited = [u.id for u in users if user_limits(u) is not None]
    if user_limit_window is not None and limited:
        parts.append(
            _booking_rows(
                USER_LIMIT_USAGE,
                Booking.user_id.in_(limited),
                Booking.status.in_(BLOCKING_STATUSES),
                Booking.start_time < user_limit_window[1],
                Booking.end_time > user_limit_window[0],
                *not_excluded,
            )
        )
    if not parts or not user_ids:
        return []
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    connection = await session.connection()
    rows = (await connection.execute(statement)).all()
    return [
        BusyRow(kind, uid, _utc(s), _utc(e), before or 0, after or 0, et)
        for kind, uid, s, e, before, after, et in rows
    ]


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


@dataclass(frozen=True, slots=True)
class Availability:
    """What :func:`load_availability` read: one engine ``HostInput`` per host (in the order
    given) and the busy ``rows`` they were built from (for callers that also need to know
    which kind of row occupies a time, e.g. the 409 of a booking over a reservation)."""

    hosts: list[HostInput]
    rows: list[BusyRow]


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
    """The ``hosts`` of :func:`load_availability` (same arguments)."""
    loaded = await load_availability(
        session,
        users,
        event_type,
        rules,
        window_start=window_start,
        window_end=window_end,
        now=now,
        exclude_booking_uid=exclude_booking_uid,
        exclude_reservation_uid=exclude_reservation_uid,
    )
    return loaded.hosts


async def load_availability(
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
) -> Availability:
    """One HostInput per user (same order) for the UTC window ``[window_start, window_end]``,
    with the rows read.

    Busy: accepted bookings where the host organises or attends (pending ones of this event
    type too when it blocks unconfirmed bookings), widened by their own stored buffers; active
    reservations of the hosts (any event type), except ``exclude_reservation_uid``; the hosts'
    out-of-office entries as whole UTC days. Counted: the event type's accepted bookings for its
    count/duration limits, and each host's accepted bookings for their own booking limits
    (``HostInput.user_limits``). The booking ``exclude_booking_uid`` (being rescheduled) is left
    out, as Cal.com does. With a rolling booking window the window is widened to
    ``[now − 1 day, now + 62 days]`` as well: the engine walks that horizon to find the window's
    last day, and must see the same busy times whether it lists slots or checks a booking.
    Two queries (schedules, then :func:`load_busy`).
    """
    window = rules.booking_window
    if window is not None and window.rolling:
        window_start = min(window_start, now - timedelta(days=1))
        window_end = max(window_end, now + ROLLING_HORIZON)
    schedules = await load_schedules(session, users, event_type)
    own_limits = {u.id: user_limits(u) for u in users}
    rows = await load_busy(
        session,
        users,
        start=window_start,
        end=window_end,
        now=now,
        event_type=event_type,
        pending_blocks=blocks_when_pending(event_type),
        exclude_booking_uid=exclude_booking_uid,
        exclude_reservation_uid=exclude_reservation_uid,
        event_limit_window=limit_window(
            (rules.count_limits, rules.duration_limits), window_start, window_end
        ),
        user_limit_window=limit_window(
            (x.limits for x in own_limits.values() if x is not None), window_start, window_end
        ),
    )
    user_ids = [u.id for u in users]
    per_host: dict[int, list[ExistingBooking]] = {uid: [] for uid in user_ids}
    busy: dict[int, list[Interval]] = {uid: [] for uid in user_ids}
    counted: dict[int, list[Interval]] = {uid: [] for uid in user_ids}
    for row in rows:
        if row.kind == BOOKING:
            # The organizer is busy; so is a host attending someone else's booking. Without a
            # per-attendee join we treat a booking as busy for its organizer, and for every
            # host when it came through the attendee filter.
            item = ExistingBooking(row.start, row.end, row.before_buffer, row.after_buffer)
            for uid in [row.user_id] if row.user_id in per_host else user_ids:
                per_host[uid].append(item)
        elif row.kind == EVENT_LIMIT_USAGE:
            per_host[row.user_id].append(
                ExistingBooking(row.start, row.end, 0, 0, counts_for_limits=True)
            )
        elif row.kind == USER_LIMIT_USAGE:
            counted[row.user_id].append(Interval(row.start, row.end))
        elif row.kind == OUT_OF_OFFICE:
            busy[row.user_id].append(_whole_days(Interval(row.start, row.end)))
        else:
            busy[row.user_id].append(Interval(row.start, row.end))
    hosts = [
        HostInput(
            schedule=schedules[uid],
            bookings=tuple(per_host[uid]),
            busy=tuple(busy[uid]),
            user_limits=own_limits[uid],
            user_limit_bookings=tuple(counted[uid]),
        )
        for uid in user_ids
    ]
    return Availability(hosts, rows)
