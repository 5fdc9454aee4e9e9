"""Everything that makes hosts busy, read in one statement, and the engine inputs built from it.

- :func:`load_busy` reads, for a set of hosts (user ids) and a UTC range, every *kind* of busy
  row in one ``UNION ALL`` statement: bookings (accepted, plus pending ones of the event type when
  they block), unexpired reservations, out-of-office entries, and the bookings counting for the
  event type's and the hosts' own booking limits. A new source of busy time (external calendar
  busy times) is one more kind in the same statement.
- :func:`load_schedules`: each host's working hours (one query).
- :func:`load_hosts`: both, as one engine ``HostInput`` per host, for slot listing and booking
  checks (the engine, :mod:`slotwise.scheduling`, decides).

Queries: one for all busy rows and one for the hosts' schedules, however many days, bookings or
hosts are involved; none for the schedules when they were read with the host rows
(:func:`event_type_hosts`, :func:`event_type_with_hosts`), and one for calendar connections
only when a host has one.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType

from slotwise.availability.inputs import (
    DEFAULT_AVAILABILITY,
    blocks_when_pending,
    engine_schedule,
    limit_window,
    team_limits,
    user_limits,
)
from slotwise.calendars.busy import calendar_busy, settings_for
from slotwise.models import (
    Attendee,
    Booking,
    BookingHost,
    CalendarCredential,
    EventType,
    Host,
    Membership,
    OutOfOffice,
    Schedule,
    SlotReservation,
    Team,
    User,
)
from slotwise.models.scheduling import DEFAULT_PRIORITY, DEFAULT_WEIGHT
from slotwise.scheduling import (
    COLLECTIVE,
    PERSONAL,
    ROUND_ROBIN,
    EventHost,
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
)
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
TEAM_LIMIT_USAGE = 5
"""Kind of an accepted booking of any of the team's event types (managed children included when
the team says so), counted for the team's booking limits (cal-semantics §3.4)."""
EXTERNAL_CALENDAR = 6
"""Kind of a busy span read from a host's connected calendar (:mod:`slotwise.calendars.busy`);
added to the statement's rows by :func:`load_external_busy`. It blocks like a booking without
buffers of its own: the queried event type's buffers apply, as Cal.com applies them to calendar
busy times."""
OCCUPYING = frozenset({BOOKING, RESERVATION, OUT_OF_OFFICE})


class BusyRow(NamedTuple):
    """One row of :func:`load_busy`: ``kind`` (module constants), ``user_id`` (the host the row
    makes busy or counts for: a booking's organizer, one of its booking hosts, or a host who
    attends it), UTC ``start``/``end``, the booking's stored buffers in minutes (0 for the other
    kinds), the row's event type (None for out-of-office) and ``booking_id`` (booking kinds;
    a booking a host both organises and attends comes once per way, so callers building a
    host's bookings skip repeats of one ``booking_id``). A named tuple: a busy month is hundreds
    of rows per request, and a tuple is several times cheaper to make than a frozen dataclass."""

    kind: int
    user_id: int
    start: datetime
    end: datetime
    before_buffer: int
    after_buffer: int
    event_type_id: int | None
    booking_id: int | None = None


_PARSED: dict[Any, datetime] = {}
"""Raw time column value → aware UTC datetime (:func:`_utc`): a pure function of the value, so
memoising it can never be stale; the same booking times are read by every query of a host."""
_PARSED_LIMIT = 200_000


def _utc(value: Any) -> datetime:
    """A raw time column value as an aware UTC datetime (SQLite gives naive-UTC strings)."""
    found = _PARSED.get(value)
    if found is not None:
        return found
    if isinstance(value, str):
        moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
    else:
        moment = value if value.tzinfo is UTC else value.astimezone(UTC)
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[value] = moment
    return moment


def _whole_days(span: Interval) -> Interval:
    """An out-of-office span widened to whole UTC days (Cal.com expands OOO entries to days)."""
    first = span.start.replace(hour=0, minute=0, second=0, microsecond=0)
    last = span.end.replace(hour=0, minute=0, second=0, microsecond=0)
    return Interval(first, last if last == span.end else last + timedelta(days=1))


def _raw(column: Any, name: str) -> Any:
    # Raw time columns (no per-value type processing): _utc() converts SQLite's strings or
    # PostgreSQL's datetimes much faster for the many rows of a long window.
    return type_coerce(column, NullType()).label(name)


def _booking_rows(
    kind: int, *where: ColumnElement[bool], user: Any = Booking.user_id
) -> Select[Any]:
    """Bookings as busy rows, ``user`` naming the host each row belongs to (the organizer by
    default)."""
    return select(
        literal(kind).label("kind"),
        user.label("user_id"),
        _raw(Booking.start_time, "start_time"),
        _raw(Booking.end_time, "end_time"),
        Booking.before_buffer,
        Booking.after_buffer,
        Booking.event_type_id,
        Booking.id.label("booking_id"),
    ).where(*where)


def _not_a_booking(kind: int, user: Any, start: Any, end: Any, event_type: Any) -> Select[Any]:
    """The columns of a busy row that is not a booking (no buffers, no booking id)."""
    return select(
        literal(kind).label("kind"),
        user.label("user_id"),
        _raw(start, "start_time"),
        _raw(end, "end_time"),
        literal(0).label("before_buffer"),
        literal(0).label("after_buffer"),
        event_type.label("event_type_id"),
        cast(null(), Integer).label("booking_id"),
    )


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
    team: Team | None = None,
    team_limit_window: tuple[datetime, datetime] | None = None,
) -> list[BusyRow]:
    """Every busy row of ``users`` overlapping the UTC range ``[start, end]``, in one statement.

    ``kinds`` chooses among BOOKING, RESERVATION and OUT_OF_OFFICE (default all three):

    - BOOKING: bookings with status ``accepted`` (any event type) — and ``pending`` ones of
      ``event_type`` when ``pending_blocks`` — that a host organises, is a booking host of
      (``booking_hosts``, collective bookings) or attends (attendee email equal to the user's,
      case-sensitive), one row per such host, read ``MAX_BUFFER`` beyond the range so buffers
      can be applied;
    - RESERVATION: the hosts' reservations unexpired at ``now``, of any event type;
    - OUT_OF_OFFICE: the hosts' entries, read a day beyond the range (they become whole days).

    EVENT_LIMIT_USAGE rows (accepted bookings of ``event_type`` organised by a host) are read
    over ``event_limit_window`` when given, USER_LIMIT_USAGE rows (accepted bookings organised
    by a host whose user limits are set) over ``user_limit_window`` when given; both windows come
    from :func:`slotwise.availability.inputs.limit_window`. Of a team event type
    (``event_type.team_id``) the EVENT_LIMIT_USAGE rows are every host's, whoever organises
    them (its count limits are team-wide); with ``team`` and ``team_limit_window``,
    TEAM_LIMIT_USAGE rows are the accepted bookings of all the team's event types (and of
    their managed children when ``team.include_managed_events_in_limits``), for the team's
    booking limits. ``exclude_booking_uid`` (the booking
    being rescheduled or confirmed) and ``exclude_reservation_uid`` (the caller's own
    reservation) are left out everywhere. Rows are in no particular order.
    """
    user_ids = [u.id for u in users]
    limited = [u.id for u in users if user_limits(u) is not None]
    event_limits = event_limit_window is not None and event_type is not None
    team_limited = team is not None and team_limit_window is not None
    shape = _BusyShape(
        booking=BOOKING in kinds,
        pending=BOOKING in kinds and event_type is not None and pending_blocks,
        exclude_booking=bool(exclude_booking_uid),
        reservation=RESERVATION in kinds,
        exclude_reservation=RESERVATION in kinds and bool(exclude_reservation_uid),
        out_of_office=OUT_OF_OFFICE in kinds,
        event_limits=event_limits,
        event_limits_team_wide=event_limits
        and event_type is not None
        and event_type.team_id is not None,
        team_limits=team_limited,
        team_managed=team_limited and team is not None and team.include_managed_events_in_limits,
        user_limits=user_limit_window is not None and bool(limited),
    )
    if not user_ids or not shape.parts():
        return []
    lo, hi = start - MAX_BUFFER, end + MAX_BUFFER
    params: dict[str, Any] = {
        "ids": user_ids,
        "lo": lo,
        "hi": hi,
        "ooo_lo": lo - timedelta(days=1),
        "ooo_hi": hi + timedelta(days=1),
        "now": now,
        "exclude_booking": exclude_booking_uid,
        "exclude_reservation": exclude_reservation_uid,
        "event_type_id": event_type.id if event_type is not None else None,
        "limited": limited,
    }
    if event_limit_window is not None:
        params["event_lo"], params["event_hi"] = event_limit_window
    if user_limit_window is not None:
        params["user_lo"], params["user_hi"] = user_limit_window
    if team is not None and team_limit_window is not None:
        params["team_id"] = team.id
        params["team_lo"], params["team_hi"] = team_limit_window
    connection = await session.connection()
    rows = (await connection.execute(_busy_statement(shape), params)).all()
    return [
        BusyRow(kind, uid, _utc(s), _utc(e), before or 0, after or 0, et, booking)
        for kind, uid, s, e, before, after, et, booking in rows
    ]


@dataclass(frozen=True, slots=True)
class _BusyShape:
    """Which parts a :func:`load_busy` statement has: the statement is built once per shape
    (with bound parameters for every value) and reused, so a request does not pay for building
    it and for SQLAlchemy's cache key of a new statement object."""

    booking: bool
    pending: bool
    exclude_booking: bool
    reservation: bool
    exclude_reservation: bool
    out_of_office: bool
    event_limits: bool
    event_limits_team_wide: bool
    team_limits: bool
    team_managed: bool
    user_limits: bool

    def parts(self) -> bool:
        return (
            self.booking
            or self.reservation
            or self.out_of_office
            or self.event_limits
            or self.team_limits
            or self.user_limits
        )


_BUSY_STATEMENTS: dict[_BusyShape, Any] = {}


def _busy_statement(shape: _BusyShape) -> Any:
    """The ``UNION ALL`` of :func:`load_busy` for ``shape`` (built on first use, then kept)."""
    found = _BUSY_STATEMENTS.get(shape)
    if found is None:
        found = _BUSY_STATEMENTS[shape] = _build_busy_statement(shape)
    return found


def _build_busy_statement(shape: _BusyShape) -> Any:
    ids: Any = bindparam("ids", expanding=True)
    not_excluded = [Booking.uid != bindparam("exclude_booking")] if shape.exclude_booking else []
    accepted = Booking.status.in_(BLOCKING_STATUSES)
    parts: list[Select[Any]] = []
    if shape.booking:
        status: ColumnElement[bool] = accepted
        if shape.pending:
            status = or_(
                status,
                and_(
                    Booking.status == "pending", Booking.event_type_id == bindparam("event_type_id")
                ),
            )
        when = (
            status,
            Booking.start_time < bindparam("hi"),
            Booking.end_time > bindparam("lo"),
            *not_excluded,
        )
        # Three ways a booking makes a host busy: they organise it, they are one of its
        # booking hosts (collective), or they attend it (their email among its attendees).
        parts.append(_booking_rows(BOOKING, Booking.user_id.in_(ids), *when))
        parts.append(
            _booking_rows(
                BOOKING, BookingHost.user_id.in_(ids), *when, user=BookingHost.user_id
            ).join(BookingHost, BookingHost.booking_id == Booking.id)
        )
        parts.append(
            _booking_rows(BOOKING, User.id.in_(ids), *when, user=User.id)
            .join(Attendee, Attendee.booking_id == Booking.id)
            .join(User, User.email == Attendee.email)
        )
    if shape.reservation:
        held = _not_a_booking(
            RESERVATION,
            SlotReservation.user_id,
            SlotReservation.slot_start,
            SlotReservation.slot_end,
            SlotReservation.event_type_id,
        ).where(
            SlotReservation.user_id.in_(ids),
            SlotReservation.reserved_until > bindparam("now"),
            SlotReservation.slot_start < bindparam("hi"),
            SlotReservation.slot_end > bindparam("lo"),
        )
        if shape.exclude_reservation:
            held = held.where(SlotReservation.uid != bindparam("exclude_reservation"))
        parts.append(held)
    if shape.out_of_office:
        parts.append(
            _not_a_booking(
                OUT_OF_OFFICE,
                OutOfOffice.user_id,
                OutOfOffice.start,
                OutOfOffice.end,
                cast(null(), Integer),
            ).where(
                OutOfOffice.user_id.in_(ids),
                OutOfOffice.start < bindparam("ooo_hi"),
                OutOfOffice.end > bindparam("ooo_lo"),
            )
        )
    if shape.event_limits:
        whose = [] if shape.event_limits_team_wide else [Booking.user_id.in_(ids)]
        parts.append(
            _booking_rows(
                EVENT_LIMIT_USAGE,
                Booking.event_type_id == bindparam("event_type_id"),
                *whose,
                accepted,
                Booking.start_time < bindparam("event_hi"),
                Booking.end_time > bindparam("event_lo"),
                *not_excluded,
            )
        )
    if shape.team_limits:
        owned = select(EventType.id).where(EventType.team_id == bindparam("team_id"))
        of_team: ColumnElement[bool] = Booking.event_type_id.in_(owned)
        if shape.team_managed:
            children = select(EventType.id).where(EventType.parent_id.in_(owned))
            of_team = or_(of_team, Booking.event_type_id.in_(children))
        parts.append(
            _booking_rows(
                TEAM_LIMIT_USAGE,
                of_team,
                accepted,
                Booking.start_time < bindparam("team_hi"),
                Booking.end_time > bindparam("team_lo"),
                *not_excluded,
            )
        )
    if shape.user_limits:
        parts.append(
            _booking_rows(
                USER_LIMIT_USAGE,
                Booking.user_id.in_(bindparam("limited", expanding=True)),
                accepted,
                Booking.start_time < bindparam("user_hi"),
                Booking.end_time > bindparam("user_lo"),
                *not_excluded,
            )
        )
    return parts[0] if len(parts) == 1 else union_all(*parts)


async def load_external_busy(
    session: AsyncSession, users: Sequence[User], *, start: datetime, end: datetime
) -> list[BusyRow]:
    """EXTERNAL_CALENDAR rows: the busy spans of the hosts' connected calendars overlapping the
    UTC range ``[start, end]``, read in whole UTC days (so nearby queries share the calendar
    cache) beyond ``MAX_BUFFER`` each side. One query when no host has a connection; a failing
    calendar adds nothing (docs/calendars.md, "When a provider fails")."""
    lo = (start - MAX_BUFFER).replace(hour=0, minute=0, second=0, microsecond=0)
    hi = (end + MAX_BUFFER).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    found = await calendar_busy(session, [u.id for u in users], lo, hi, settings_for(session))
    return [
        BusyRow(EXTERNAL_CALENDAR, user_id, span.start, span.end, 0, 0, None)
        for user_id, spans in found.items()
        for span in spans
    ]


async def load_schedules(
    session: AsyncSession,
    users: Sequence[User],
    event_type: EventType | None,
    host_schedules: Mapping[int, int | None] | None = None,
    read: Mapping[int, Schedule | None] | None = None,
) -> dict[int, EngineSchedule]:
    """Each host's schedule (by user id): their own for this event type (``host_schedules``,
    user id → schedule id, from their host row), else the event type's, else the user's
    default, else Mon–Fri 09:00–17:00 in the user's zone (Cal.com's fallback). One query,
    none when ``read`` (user id → the schedule row so chosen, read with the host rows, None
    for none) has every user."""
    wanted: dict[int, int | None] = {}
    common = event_type.schedule_id if event_type is not None else None
    known = read or {}
    for user in users:
        if user.id in known:
            continue
        own = (host_schedules or {}).get(user.id)
        wanted[user.id] = own or common or user.default_schedule_id
    ids = [i for i in wanted.values() if i is not None]
    rows: dict[int, Schedule] = {}
    if ids:
        result = await session.scalars(select(Schedule).where(Schedule.id.in_(ids)))
        rows = {s.id: s for s in result}
    out: dict[int, EngineSchedule] = {}
    for user in users:
        if user.id in known:
            sched = known[user.id]
        else:
            sid = wanted[user.id]
            sched = rows.get(sid) if sid is not None else None
        if sched is None:
            out[user.id] = engine_schedule(user.time_zone, DEFAULT_AVAILABILITY, [])
        else:
            out[user.id] = engine_schedule(sched.time_zone, sched.availability, sched.overrides)
    return out


@dataclass(frozen=True, slots=True)
class EventTypeHost:
    """A host of an event type, with their user (a :class:`~slotwise.models.Host` row read
    with its user): ``mandatory`` (round robin's fixed hosts), ``priority`` (0 = lowest … 4 =
    highest), ``weight``, round-robin ``group``, their own ``schedule_id`` for it and when
    they were ``added_at`` (UTC; lucky-user calibration of new hosts). ``calendars``: False
    when the host row was read with the fact that its user has no connected calendar (so
    :func:`load_team` reads no calendar connections for them), True when they have one or it
    is not known. ``schedule_read``: ``schedule`` is the schedule row this host works by for
    the event type (:func:`load_schedules`' choice, None for the default hours), read with the
    host row, so :func:`load_team` does not read it again."""

    user: User
    mandatory: bool = True
    priority: int = DEFAULT_PRIORITY
    weight: int = DEFAULT_WEIGHT
    group: str | None = None
    schedule_id: int | None = None
    added_at: datetime | None = None
    calendars: bool = True
    schedule: Schedule | None = None
    schedule_read: bool = False


_DYNAMIC_HOSTS: weakref.WeakKeyDictionary[EventType, list[User]] = weakref.WeakKeyDictionary()


def dynamic_event_type(users: Sequence[User], base: EventType | None) -> EventType:
    """A transient (never stored) collective event type for a dynamic group booking of
    ``users`` (the first organises): ``base``'s settings when given (the first user's event type
    named by ``eventTypeSlug``), else Cal.com's dynamic defaults (slug ``dynamic``, "Group
    Meeting", 30 minutes, 15/30/45/60/90 allowed, 120 minutes of notice). Its ``id`` is None, so
    its bookings store no event type, as Cal.com's; :func:`event_type_hosts` answers ``users``."""
    if base is not None:
        event_type = EventType(
            user_id=users[0].id, slug=base.slug, title=base.title, length=base.length,
            hidden=False, schedule_id=None, config=dict(base.config or {}),
        )  # fmt: skip
    else:
        event_type = EventType(
            user_id=users[0].id, slug="dynamic", title="Group Meeting", length=30, hidden=False,
            schedule_id=None,
            config={
                "minimumBookingNotice": 120,
                "lengthInMinutesOptions": [15, 30, 45, 60, 90],
                "customName": "Group Meeting",
            },
        )  # fmt: skip
    event_type.scheduling_type = COLLECTIVE
    _DYNAMIC_HOSTS[event_type] = list(users)
    return event_type


_HAS_CALENDAR = exists().where(CalendarCredential.user_id == Host.user_id).label("calendars")
_HOSTS = (
    select(Host, User, _HAS_CALENDAR, Schedule)
    .join(User, User.id == Host.user_id)
    .outerjoin(
        Schedule,
        Schedule.id
        == func.coalesce(
            Host.schedule_id, bindparam("event_type_schedule_id"), User.default_schedule_id
        ),
    )
    .where(Host.event_type_id == bindparam("event_type_id"))
    .order_by(Host.id)
)
"""The host rows of an event type with their users, whether each has a calendar, and the
schedule each works by (:func:`load_schedules`' choice)."""
_TEAM_HOSTS = _HOSTS.join(
    Membership,
    (Membership.team_id == bindparam("team_id"))
    & (Membership.user_id == Host.user_id)
    & Membership.accepted.is_(True),
)


def _event_type_host(
    h: Host, user: User, calendars: Any, schedule: Schedule | None
) -> EventTypeHost:
    return EventTypeHost(
        user, h.mandatory, h.priority, h.weight, h.group_id, h.schedule_id, h.created_at,
        bool(calendars), schedule, True,
    )  # fmt: skip


async def event_type_hosts(
    session: AsyncSession, event_type: EventType, owner: User | None = None
) -> list[EventTypeHost]:
    """The hosts of ``event_type`` in the order they were added (one query). Of a team event
    type (``team_id`` set, no owner) only the host rows of accepted team members count; without
    any it has no hosts (``[]``). A personal event type without host rows (made outside the
    service, e.g. by a test) is its owner's: the owner (``owner`` when given, else read) is its
    one mandatory host."""
    dynamic = _DYNAMIC_HOSTS.get(event_type)
    if dynamic is not None:  # a dynamic group: every user, all fixed
        return [EventTypeHost(user) for user in dynamic]
    params = {"event_type_id": event_type.id, "event_type_schedule_id": event_type.schedule_id}
    query = _HOSTS
    if event_type.team_id is not None:  # only accepted members of the team are hosts
        query, params["team_id"] = _TEAM_HOSTS, event_type.team_id
    rows = (await session.execute(query, params)).all()
    if rows:
        return [_event_type_host(*row) for row in rows]
    if event_type.user_id is None:  # a team event type without (accepted) hosts
        return []
    if owner is None:
        owner = await session.get(User, event_type.user_id)
    return [EventTypeHost(owner)] if owner is not None else []


_HOST_USER = aliased(User, name="host_user")
_HOST_SCHEDULE = aliased(Schedule, name="host_schedule")
_OWNER_SCHEDULE = aliased(Schedule, name="owner_schedule")
_EVENT_TYPE_WITH_HOSTS = (
    select(
        EventType,
        User,
        Host,
        _HOST_USER,
        exists().where(CalendarCredential.user_id == Host.user_id).label("host_calendars"),
        _HOST_SCHEDULE,
        exists().where(CalendarCredential.user_id == EventType.user_id).label("owner_calendars"),
        _OWNER_SCHEDULE,
    )
    .outerjoin(User, User.id == EventType.user_id)
    .outerjoin(
        Host,
        (Host.event_type_id == EventType.id)
        & or_(
            EventType.team_id.is_(None),
            exists().where(
                Membership.team_id == EventType.team_id,
                Membership.user_id == Host.user_id,
                Membership.accepted.is_(True),
            ),
        ),
    )
    .outerjoin(_HOST_USER, _HOST_USER.id == Host.user_id)
    .outerjoin(
        _HOST_SCHEDULE,
        _HOST_SCHEDULE.id
        == func.coalesce(Host.schedule_id, EventType.schedule_id, _HOST_USER.default_schedule_id),
    )
    .outerjoin(
        _OWNER_SCHEDULE,
        _OWNER_SCHEDULE.id == func.coalesce(EventType.schedule_id, User.default_schedule_id),
    )
    .where(EventType.id == bindparam("event_type_id"))
    .order_by(Host.id)
)


async def event_type_with_hosts(
    session: AsyncSession, event_type_id: int
) -> tuple[EventType, User | None, list[EventTypeHost]] | None:
    """The event type ``event_type_id``, its owner (None for a team event type) and its hosts
    as :func:`event_type_hosts` answers them (with their schedules), in one statement; None
    when there is no such event type. (Callers that do not list a managed parent's hosts
    ignore them.)"""
    rows = (await session.execute(_EVENT_TYPE_WITH_HOSTS, {"event_type_id": event_type_id})).all()
    if not rows:
        return None
    event_type, owner = rows[0][0], rows[0][1]
    hosts = [
        _event_type_host(h, user, calendars, schedule)
        for _, _, h, user, calendars, schedule, _, _ in rows
        if h is not None and user is not None
    ]
    if not hosts and event_type.user_id is not None and owner is not None:
        owner_calendars, owner_schedule = rows[0][6], rows[0][7]
        hosts = [
            EventTypeHost(
                owner, calendars=bool(owner_calendars), schedule=owner_schedule, schedule_read=True
            )
        ]
    return event_type, owner, hosts


def scheduling_type_of(event_type: EventType | None) -> str:
    """The engine's scheduling type of ``event_type``: ``collective`` or ``roundRobin`` as
    stored, else personal (no type, a managed event type's children, a dynamic group is
    collective but has no event type — callers pass COLLECTIVE themselves)."""
    stored = event_type.scheduling_type if event_type is not None else None
    return stored if stored in (COLLECTIVE, ROUND_ROBIN) else PERSONAL


@dataclass(frozen=True, slots=True)
class Availability:
    """What :func:`load_availability` read: one engine ``HostInput`` per host (in the order
    given) and the busy ``rows`` they were built from (for callers that also need to know
    which kind of row occupies a time, e.g. the 409 of a booking over a reservation)."""

    hosts: list[HostInput]
    rows: list[BusyRow]
    rules: EventRules | None = None


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
    host_schedules: Mapping[int, int | None] | None = None,
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
        host_schedules=host_schedules,
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
    host_schedules: Mapping[int, int | None] | None = None,
    team: Team | None = None,
    no_calendars: Collection[int] = (),
    schedules_read: Mapping[int, Schedule | None] | None = None,
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
    Each host's working hours come from :func:`load_schedules` (``host_schedules``: their own
    schedules for this event type; ``schedules_read``: user id → the schedule row already read
    with the host rows, None for the default hours). Two queries (schedules, unless
    ``schedules_read`` has every host, then :func:`load_busy`), and one
    for the calendar connections of the hosts not in ``no_calendars`` (user ids known to have
    none, read with their host rows), when there are any.

    Of a team event type, ``rules`` of the answer carry what is counted team-wide: every host's
    bookings of the event type for its count limits (``EventRules.event_bookings``) and, with
    ``team`` (the owning team) having booking limits, the bookings of all its event types
    (``team_limits`` / ``team_bookings``).
    """
    window = rules.booking_window
    if window is not None and window.rolling:
        window_start = min(window_start, now - timedelta(days=1))
        window_end = max(window_end, now + ROLLING_HORIZON)
    schedules = await load_schedules(session, users, event_type, host_schedules, schedules_read)
    shared_limits = team_limits(team.booking_limits) if team is not None else None
    team_wide = event_type is not None and event_type.team_id is not None
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
        team=team if shared_limits is not None else None,
        team_limit_window=limit_window([shared_limits], window_start, window_end),
    )
    with_calendars = [u for u in users if u.id not in no_calendars]
    if with_calendars:
        rows.extend(
            await load_external_busy(session, with_calendars, start=window_start, end=window_end)
        )
    user_ids = [u.id for u in users]
    per_host: dict[int, list[ExistingBooking]] = {uid: [] for uid in user_ids}
    busy: dict[int, list[Interval]] = {uid: [] for uid in user_ids}
    counted: dict[int, list[Interval]] = {uid: [] for uid in user_ids}
    seen: set[tuple[int, int | None]] = set()
    event_bookings: list[Interval] = []
    team_bookings: list[Interval] = []
    for row in rows:
        if row.kind == TEAM_LIMIT_USAGE:
            team_bookings.append(Interval(row.start, row.end))
            continue
        if row.kind == EVENT_LIMIT_USAGE and team_wide:
            event_bookings.append(Interval(row.start, row.end))
            if row.user_id not in per_host:
                continue
        if row.kind == BOOKING:
            if (row.user_id, row.booking_id) in seen:
                continue  # the host both organises and attends it
            seen.add((row.user_id, row.booking_id))
            per_host[row.user_id].append(
                ExistingBooking(row.start, row.end, row.before_buffer, row.after_buffer)
            )
        elif row.kind == EXTERNAL_CALENDAR:
            per_host[row.user_id].append(ExistingBooking(row.start, row.end, 0, 0))
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
    if team_wide:
        rules = replace(
            rules,
            event_bookings=tuple(event_bookings),
            team_limits=shared_limits,
            team_bookings=tuple(team_bookings),
        )
    return Availability(hosts, rows, rules)


@dataclass(frozen=True, slots=True)
class TeamAvailability:
    """What :func:`load_team` read: the engine's ``hosts`` (one ``EventHost`` per event type
    host, in order), the ``scheduling_type`` to run them with, the busy ``rows`` and the
    ``rules`` to run them with (the event type's, with the team-wide counts of
    :func:`load_availability`)."""

    hosts: list[EventHost]
    scheduling_type: str
    rows: list[BusyRow]
    rules: EventRules


async def load_team(
    session: AsyncSession,
    members: Sequence[EventTypeHost],
    event_type: EventType,
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    exclude_booking_uid: str | None = None,
    exclude_reservation_uid: str | None = None,
) -> TeamAvailability:
    """:func:`load_availability` for the hosts of ``event_type`` (:func:`event_type_hosts`),
    each with their own schedule, as the engine's ``EventHost`` list for
    :func:`slotwise.scheduling.compute_slot_hosts` / ``bookable_hosts``. One query for the busy
    rows (the schedules and calendar facts came with the host rows), two for a team event type
    (its team, for the team's booking limits)."""
    team = await session.get(Team, event_type.team_id) if event_type.team_id else None
    loaded = await load_availability(
        session,
        [m.user for m in members],
        event_type,
        rules,
        window_start=window_start,
        window_end=window_end,
        now=now,
        exclude_booking_uid=exclude_booking_uid,
        exclude_reservation_uid=exclude_reservation_uid,
        host_schedules={m.user.id: m.schedule_id for m in members},
        team=team,
        no_calendars={m.user.id for m in members if not m.calendars},
        schedules_read={m.user.id: m.schedule for m in members if m.schedule_read},
    )
    hosts = [
        EventHost(m.user.id, host, m.mandatory, m.group)
        for m, host in zip(members, loaded.hosts, strict=True)
    ]
    return TeamAvailability(
        hosts, scheduling_type_of(event_type), loaded.rows, loaded.rules or rules
    )
