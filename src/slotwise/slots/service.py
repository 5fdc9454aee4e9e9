"""Available slots (GET /v2/slots, both handlers): resolve the event type and its hosts, load
their availability in a constant number of queries, and run the scheduling engine.

Cal.com behaviour followed (research notes §2): the event type is found by id, by slug and
username, or is the dynamic group event of ``usernames`` (every user must be free; 30 minutes
unless ``duration`` is one of 15/30/45/60/90; 120 minutes of notice). Hidden event types are
served. A seated event type keeps offering a start that has accepted bookings until their
attendees fill ``seatsPerTimeSlot``; each slot carries its seat counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.inputs import event_rules
from slotwise.availability.loader import (
    RESERVATION,
    EventTypeHost,
    event_type_hosts,
    event_type_with_hosts,
    load_hosts,
    load_team,
)
from slotwise.event_types.managed import is_managed_parent
from slotwise.event_types.output import DYNAMIC_LENGTHS
from slotwise.event_types.repository import (
    event_type_by_slug,
    team_event_type_by_slug,
    users_by_usernames,
)
from slotwise.event_types.settings import EventTypeSettings, parse_settings, settings_of
from slotwise.kit.errors import BadRequest, NotFound
from slotwise.models import EventType, User
from slotwise.scheduling import (
    ROUND_ROBIN,
    EventRules,
    ExistingBooking,
    HostInput,
    compute_slot_minutes,
    compute_team_slot_minutes,
)
from slotwise.slots import repository

DYNAMIC_LENGTH = 30
DYNAMIC_NOTICE = 120
IDENTIFY = (
    "Pass eventTypeId, or eventTypeSlug with username, or usernames with at least 2 "
    "comma-separated usernames (dynamic group event)."
)


@dataclass(frozen=True, slots=True)
class SlotQuery:
    """What to list: one way of naming the event type, a UTC window, and options.

    ``usernames``: a dynamic group (at least two). ``duration``: minutes, one of the event
    type's ``lengthInMinutesOptions``. ``time_zone``: the booker's IANA zone (grid alignment,
    date keys); None means UTC.
    """

    start: datetime
    end: datetime
    event_type_id: int | None = None
    event_type_slug: str | None = None
    username: str | None = None
    usernames: Sequence[str] | None = None
    team_slug: str | None = None
    organization_slug: str | None = None
    time_zone: str | None = None
    duration: int | None = None
    reschedule_uid: str | None = None


@dataclass(frozen=True, slots=True)
class SlotList:
    """The slots found. ``starts``: sorted UTC epoch minutes (``int(t.timestamp()) // 60``);
    ``length``: minutes each lasts; ``seats_total``: ``seatsPerTimeSlot`` of a seated event
    type, else None; ``seats``: for seated event types, start minute → (seats already booked,
    uid of the booking holding them), for the starts that have bookings. ``volatile``: the
    answer can change without a database commit or a new minute (a host with a connected
    calendar, an unexpired reservation in the window, a dynamic group), so it must not be
    remembered (:mod:`slotwise.slots.cache`)."""

    starts: list[int]
    length: int
    seats_total: int | None = None
    seats: dict[int, tuple[int, str]] = field(default_factory=dict)
    volatile: bool = False


@dataclass(frozen=True, slots=True)
class _Target:
    """Whose availability to read: the event type's ``hosts`` (None for a dynamic group,
    whose ``users`` are all collective hosts)."""

    users: list[User]
    event_type: EventType | None
    rules: EventRules
    seats_total: int | None
    hosts: list[EventTypeHost] | None = None


def seats_per_time_slot(config: Mapping[str, Any] | EventTypeSettings) -> int | None:
    """``seats.seatsPerTimeSlot`` of an event type (its parsed settings or a stored ``config``)
    when seats are enabled and the count is a positive int, else None."""
    settings = config if isinstance(config, EventTypeSettings) else parse_settings(config)
    return settings.seats.per_time_slot


def check_duration(options: Sequence[int] | None, length: int, duration: int | None) -> None:
    """400 unless ``duration`` is None, one of ``options``, or (without options) the length.

    Messages follow Cal.com's ``slotDuration`` checks of reservations.
    """
    if duration is None:
        return
    if options:
        if duration not in options:
            raise BadRequest(
                "Provided 'duration' is not one of the possible lengths for the event type. "
                "The possible lengths for this variable length event type are: "
                + ", ".join(str(o) for o in options)
            )
    elif duration != length:
        raise BadRequest(
            "You passed 'duration' but this event type is not a variable length event type."
        )


def length_options(event_type: EventType) -> list[int] | None:
    """``lengthInMinutesOptions`` of ``event_type``, or None."""
    options = settings_of(event_type).lengths.options
    return list(options) if options is not None else None


async def _resolve(session: AsyncSession, q: SlotQuery) -> _Target:
    owner: User | None
    if q.event_type_id is not None:
        found = await event_type_with_hosts(session, q.event_type_id)
        if found is None:
            raise NotFound(f"Event type with id {q.event_type_id} not found.")
        event_type, _, hosts = found
        check_duration(length_options(event_type), event_type.length, q.duration)
        return _event_type_target(event_type, hosts)
    if q.event_type_slug and q.team_slug:
        if q.organization_slug:
            raise NotFound(f"Organization with slug {q.organization_slug} not found")
        event_type = await team_event_type_by_slug(session, q.team_slug, q.event_type_slug)
        owner = None
    elif q.event_type_slug and q.username:
        if q.organization_slug:
            raise NotFound(f"Organization with slug {q.organization_slug} not found")
        event_type, owner = await event_type_by_slug(session, q.username, q.event_type_slug)
    elif q.usernames is not None:
        if q.organization_slug:
            raise NotFound(f"Organization with slug {q.organization_slug} not found")
        names = list(dict.fromkeys(u.strip().lower() for u in q.usernames if u.strip()))
        if len(names) < 2:
            raise BadRequest("usernames must contain at least 2 different usernames.")
        check_duration(DYNAMIC_LENGTHS, DYNAMIC_LENGTH, q.duration)
        users = await users_by_usernames(session, names)
        rules = EventRules(
            length=q.duration or DYNAMIC_LENGTH, minimum_booking_notice=DYNAMIC_NOTICE
        )
        return _Target(users, None, rules, None)
    else:
        raise BadRequest(IDENTIFY)
    check_duration(length_options(event_type), event_type.length, q.duration)
    hosts = []
    if not is_managed_parent(event_type):
        hosts = await event_type_hosts(session, event_type, owner)
    return _event_type_target(event_type, hosts)


def _event_type_target(event_type: EventType, hosts: list[EventTypeHost]) -> _Target:
    # a managed parent is a template (never bookable): no hosts, no slots
    if is_managed_parent(event_type):
        hosts = []
    return _Target(
        [h.user for h in hosts],
        event_type,
        event_rules(event_type),
        seats_per_time_slot(settings_of(event_type)),
        hosts,
    )


async def _same_host(
    session: AsyncSession, target: _Target, reschedule_uid: str
) -> list[EventTypeHost]:
    """The hosts to list for rescheduling ``reschedule_uid``: with
    ``rescheduleWithSameRoundRobinHost`` on a round-robin event type, the fixed hosts and the
    booking's organizer when they are one of its round-robin hosts (Cal.com keeps the host);
    otherwise all of them. One query, only then."""
    hosts = target.hosts or []
    event_type = target.event_type
    if (
        event_type is None
        or event_type.scheduling_type != ROUND_ROBIN
        or (event_type.config or {}).get("rescheduleWithSameRoundRobinHost") is not True
    ):
        return hosts
    organizer_id = await repository.organizer_of(session, reschedule_uid, event_type.id)
    if organizer_id is None or not any(
        h.user.id == organizer_id and not h.mandatory for h in hosts
    ):
        return hosts
    return [h for h in hosts if h.mandatory or h.user.id == organizer_id]


def _without(hosts: Sequence[HostInput], taken: Counter[ExistingBooking]) -> list[HostInput]:
    """``hosts`` with one occurrence of each booking in ``taken`` removed from their bookings."""
    out: list[HostInput] = []
    for host in hosts:
        left = Counter(taken)
        kept: list[ExistingBooking] = []
        for booking in host.bookings:
            if left[booking] > 0:
                left[booking] -= 1
                continue
            kept.append(booking)
        out.append(replace(host, bookings=tuple(kept)))
    return out


def _minute(value: datetime) -> int | None:
    """``value`` as UTC epoch minutes, or None when it is not on a whole minute."""
    minute, rest = divmod(value.timestamp(), 60)
    return None if rest else int(minute)


def first_per_day(starts: Sequence[int], tz: str) -> list[int]:
    """The earliest of the ``starts`` (UTC epoch minutes) on each date in ``tz``
    (``onlyShowFirstAvailableSlot``)."""
    zone = ZoneInfo(tz)
    firsts: dict[date, int] = {}
    for m in sorted(starts):
        firsts.setdefault(datetime.fromtimestamp(m * 60, zone).date(), m)
    return sorted(firsts.values())


async def available_slots(session: AsyncSession, q: SlotQuery, *, now: datetime) -> SlotList:
    """The bookable slots of the event type named by ``q`` in ``[q.start, q.end]`` (UTC).

    Raises 404 NotFoundException for an unknown event type, user or team; 400
    BadRequestException for a missing identification, fewer than 2 ``usernames`` or a
    ``duration`` the event type does not offer. Runs the same number of SQL statements whatever
    the window, the number of bookings or hosts: by ``eventTypeId``, one for the event type,
    its hosts and their schedules and one for the busy rows (plus the team of a team event
    type, the hosts' calendar connections when one has any, and the seats of a seated event
    type). The event type's hosts are free as its scheduling type
    says (:func:`slotwise.scheduling.compute_slot_hosts`): personal and collective event types
    need every host, round robin its mandatory hosts and one member of each group.
    """
    target = await _resolve(session, q)
    rules = target.rules
    length = q.duration or rules.length
    if q.reschedule_uid and target.hosts and target.event_type is not None:
        target = replace(target, hosts=await _same_host(session, target, q.reschedule_uid))
    if target.hosts == []:  # a team event type without hosts, a managed parent
        return SlotList([], length)
    booker_tz = q.time_zone or "UTC"
    window: dict[str, Any] = {
        "window_start": q.start,
        "window_end": q.end,
        "booker_tz": booker_tz,
        "now": now,
        "duration": q.duration,
    }
    loaded: dict[str, Any] = {
        "window_start": q.start,
        "window_end": q.end,
        "now": now,
        "exclude_booking_uid": q.reschedule_uid,
    }
    if target.event_type is not None and target.hosts is not None:
        team = await load_team(session, target.hosts, target.event_type, rules, **loaded)
        rules = team.rules  # with the team-wide limit counts of a team event type
        volatile = any(m.calendars for m in target.hosts) or any(
            row.kind == RESERVATION for row in team.rows
        )
        if team.scheduling_type == ROUND_ROBIN:
            starts = compute_team_slot_minutes(team.hosts, team.scheduling_type, rules, **window)
            return SlotList(starts, length, volatile=volatile)
        hosts = [h.availability for h in team.hosts]
    else:
        hosts = await load_hosts(session, target.users, None, rules, **loaded)
        volatile = True  # a dynamic group: its users' calendars and reservations not tracked
    if target.seats_total is None or target.event_type is None:
        return SlotList(compute_slot_minutes(hosts, rules, **window), length, volatile=volatile)

    total = target.seats_total
    booked = await repository.seated_bookings(
        session, target.event_type.id, q.start, q.end, exclude_uid=q.reschedule_uid
    )
    taken: dict[int, int] = {}
    holder: dict[int, str] = {}
    for b in booked:
        minute = _minute(b.start)
        if minute is None:  # not on a whole minute: no slot starts there
            continue
        taken[minute] = taken.get(minute, 0) + b.attendees
        holder.setdefault(minute, b.uid)
    open_starts = {m for m, n in taken.items() if n < total}
    plain = replace(rules, only_show_first_available_slot=False)
    found = set(compute_slot_minutes(hosts, plain, **window))
    if open_starts:
        # Seated bookings with seats left do not make their own start busy: list again without
        # them and admit exactly those starts (other overlapping starts stay busy).
        relax: Counter[ExistingBooking] = Counter(
            ExistingBooking(b.start, b.end, b.before_buffer, b.after_buffer)
            for b in booked
            if _minute(b.start) in open_starts
        )
        relaxed = compute_slot_minutes(_without(hosts, relax), plain, **window)
        found.update(m for m in relaxed if m in open_starts)
    ordered = sorted(found)
    if rules.only_show_first_available_slot:
        ordered = first_per_day(ordered, booker_tz)
    seats = {m: (taken[m], holder[m]) for m in ordered if m in taken}
    return SlotList(ordered, length, total, seats, volatile=volatile)
