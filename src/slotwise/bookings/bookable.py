"""Whether a time can be booked, shared by create, reschedule, seats and recurring series: the
availability check under the host lock (the no-double-booking guarantee), Cal.com's rejection
messages, and the confirmation policy.

No double booking: :func:`ensure_bookable` first takes the locks of every host of the event
type, in one sorted call (PostgreSQL advisory locks; SQLite's ``BEGIN IMMEDIATE`` already
serialises writers), then re-reads reservations and bookings and validates with the scheduling
engine, all in the caller's transaction; the booking row (and its booking hosts) is inserted in
that same transaction, so two requests for one host never both pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.checks import reservations_meeting
from slotwise.availability.inputs import event_rules
from slotwise.availability.loader import EventTypeHost, event_type_hosts, load_team
from slotwise.bookings.lucky_user import Candidate, Stats, choose, load_stats
from slotwise.event_types.settings import settings_of
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.models import EventType, Team, User
from slotwise.scheduling import ROUND_ROBIN, BookingRejected, bookable_hosts

PAST = "Attempting to book a meeting in the past."
OUT_OF_BOUNDS = (
    "The event type can't be booked at the \"start\" time provided. This could be because it's "
    "too soon (violating the minimum booking notice) or too far in the future (outside the "
    "event's scheduling window). Try fetching available slots first using the GET /v2/slots "
    'endpoint and then make a booking with "start" time equal to one of the available slots: '
    "https://cal.com/docs/api-reference/v2/slots"
)
UNAVAILABLE = "User either already has booking at this time or is not available"
TEAM_UNAVAILABLE = "One of the hosts either already has booking at this time or is not available"
BOOKING_LIMIT = (
    "Booking limit for this event type has been reached: no more bookings can be made in this "
    "period (bookingLimitsCount)."
)
DURATION_LIMIT = (
    "Duration limit for this event type has been reached: the booked time in this period would "
    "exceed bookingLimitsDuration."
)
USER_BOOKING_LIMIT = (
    "Booking limit of the host has been reached: no more bookings can be made in this period "
    "(user booking limits, /v2/me/booking-limits)."
)
RESERVED = "This time slot is already reserved by another user. Please choose a different time."
REJECTION_MESSAGES = {
    "past": PAST,
    "out_of_bounds": OUT_OF_BOUNDS,
    "booking_limit": BOOKING_LIMIT,
    "duration_limit": DURATION_LIMIT,
    "user_booking_limit": USER_BOOKING_LIMIT,
    "unavailable": UNAVAILABLE,
}


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who a booking goes to: its ``organizer`` (``Booking.user_id``) and the other ``hosts``
    it blocks (``booking_hosts`` rows): nobody else for a personal event type, every other host
    for a collective one, the mandatory hosts and the other groups' picks for round robin.
    ``explanation``: why a round-robin booking went to whom (:mod:`.lucky_user`; stored as the
    booking's ``metadata.slotwiseAssignment``), None otherwise."""

    organizer: User
    hosts: tuple[User, ...] = ()
    explanation: dict[str, Any] | None = None


async def lock_event_type_hosts(
    session: AsyncSession,
    event_type: EventType,
    organizer: User,
    hosts: Sequence[EventTypeHost] | None = None,
) -> list[EventTypeHost]:
    """Take the lock of every host of ``event_type`` in one call (sorted user ids, so two
    bookings of overlapping teams cannot deadlock) and return them
    (:func:`slotwise.availability.loader.event_type_hosts`, or ``hosts`` when this transaction
    read them already; ``organizer`` is the owner of an event type without host rows). A
    transaction's first host lock must cover every host it will lock: later calls may only
    repeat locks it holds."""
    members = (
        list(hosts) if hosts is not None else await event_type_hosts(session, event_type, organizer)
    )
    await lock_hosts(session, [organizer.id, *(m.user.id for m in members)])
    return members


def is_team_event_type(event_type: EventType) -> bool:
    """True for an event type of a team (Cal.com answers its team messages there)."""
    return event_type.team_id is not None


def team_flag(event_type: EventType, name: str) -> bool:
    """A team setting stored in ``EventType.config`` under its Cal.com name
    (``isRRWeightsEnabled``, ``includeNoShowInRRCalculation``,
    ``rescheduleWithSameRoundRobinHost``): true only when stored as ``true``."""
    return (event_type.config or {}).get(name) is True


def _candidate(member: EventTypeHost) -> Candidate:
    return Candidate(member.user.id, member.priority, member.weight, member.added_at)


async def _assign(
    session: AsyncSession,
    event_type: EventType,
    members: Sequence[EventTypeHost],
    free: frozenset[int],
    scheduling_type: str,
    *,
    prefer: User | None,
    now: datetime,
    start: datetime,
) -> Assignment:
    """The :class:`Assignment` of a booking the engine accepted with ``free`` hosts (user ids).

    Collective and personal: every host, the first one organising (``prefer`` when it is one of
    them). Round robin (cal-semantics §4.3): the fixed hosts, plus per host group ``prefer``
    when given and free (a reschedule keeping its host), else the lucky user of
    :mod:`.lucky_user` among the group's free members; the first fixed host organises, else the
    first group's pick. The choice is explained in ``Assignment.explanation``.
    """
    if scheduling_type != ROUND_ROBIN:
        users = [m.user for m in members]
        organizer = next(
            (u for u in users if prefer is not None and u.id == prefer.id),
            users[0] if users else prefer,
        )
        assert organizer is not None
        return Assignment(organizer, tuple(u for u in users if u.id != organizer.id))
    fixed = [m for m in members if m.mandatory]
    groups: dict[str | None, list[EventTypeHost]] = {}
    for member in members:
        if not member.mandatory:
            groups.setdefault(member.group, []).append(member)
    weights = team_flag(event_type, "isRRWeightsEnabled")
    picks: list[User] = []
    explained: list[dict[str, Any]] = []
    stats = None
    for group_id, group in groups.items():
        candidates = [m for m in group if m.user.id in free]
        kept = next((m for m in candidates if prefer is not None and m.user.id == prefer.id), None)
        if kept is not None:
            picks.append(kept.user)
            explained.append({"group": group_id, "userId": kept.user.id, "rule": "sameHost"})
            continue
        if stats is None and len(candidates) > 1:
            team = await session.get(Team, event_type.team_id) if event_type.team_id else None
            stats = await load_stats(
                session,
                event_type,
                team,
                [m.user.id for m in members if not m.mandatory],
                weights=weights,
                include_no_show=team_flag(event_type, "includeNoShowInRRCalculation"),
                now=now,
                start=start,
            )
        choice = choose(
            [_candidate(m) for m in candidates],
            [_candidate(m) for m in group],
            stats if stats is not None else Stats((now, now)),
            weights=weights,
        )
        picks.append(next(m.user for m in candidates if m.user.id == choice.user_id))
        explained.append({"group": group_id, "userId": choice.user_id, **choice.explanation})
    users = [m.user for m in fixed] + picks
    organizer = users[0]
    explanation = {
        "schedulingType": ROUND_ROBIN,
        "organizerId": organizer.id,
        "fixedHostIds": [m.user.id for m in fixed],
        "weightsEnabled": weights,
        "groups": explained,
    }
    return Assignment(organizer, tuple(users[1:]), explanation)


async def ensure_bookable(
    session: AsyncSession,
    event_type: EventType,
    organizer: User,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_booking_uid: str | None = None,
    reservation_uid: str | None = None,
    booker_tz: str | None = None,
    seat_join: bool = False,
    keep_organizer: bool = True,
    members: Sequence[EventTypeHost] | None = None,
) -> Assignment:
    """Lock the hosts of ``event_type`` and check that ``[start, end)`` (UTC) can be booked;
    return who the booking goes to.

    ``organizer``: the event type's owner for a new booking (a team event type: any of its
    hosts, with ``keep_organizer=False``, so the assignment decides), the booking's organizer
    when rescheduling (kept when still free; of round robin only with
    ``rescheduleWithSameRoundRobinHost``, which then refuses with Cal.com's team message when
    that host is busy, and otherwise the lucky user is chosen again). The hosts
    (:func:`lock_event_type_hosts`) must be free as the event type's scheduling type says
    (:func:`slotwise.scheduling.bookable_hosts`:
    personal and collective every host, round robin the mandatory hosts and one member of each
    group), each host's busy rows read once (:func:`slotwise.availability.loader.load_team`).

    Raises 409 ConflictException when another booker's unexpired reservation overlaps (a
    reservation whose uid is ``reservation_uid`` is the caller's own and is ignored; for round
    robin only when no assignment is left); 400 BadRequestException with Cal.com's message for
    a past start, the minimum notice or booking window, count/duration limits (Cal.com answers
    401 there, a bug not copied), a host's own booking limits (``USER_BOOKING_LIMIT``) and busy
    or non-working time, the engine's rejection reason choosing the message (a team event type
    answers busy time with ``TEAM_UNAVAILABLE``, as Cal.com).
    ``exclude_booking_uid``: the booking being rescheduled, whose own time and limit usage do
    not count. ``booker_tz``: the attendee's IANA zone, which places day-based booking windows
    as GET /v2/slots did for that booker (default: the event's zone). ``seat_join``: the booker
    joins the existing seated booking ``exclude_booking_uid``; as Cal.com, only the time bounds
    (past, notice, window) are checked then, not availability, limits or reservations
    (:mod:`.seats` counts the seats), and the assignment is the organizer alone.
    ``members``: what this transaction's :func:`lock_event_type_hosts` call for ``event_type``
    and ``organizer`` returned, when the caller made it already (the hosts are then neither
    read nor locked again).
    """
    if members is None:
        members = await lock_event_type_hosts(session, event_type, organizer)
    rules = event_rules(event_type)
    team = await load_team(
        session,
        members,
        event_type,
        rules,
        window_start=start,
        window_end=end,
        now=now,
        exclude_booking_uid=exclude_booking_uid,
        exclude_reservation_uid=reservation_uid,
    )
    round_robin = team.scheduling_type == ROUND_ROBIN
    rules = team.rules  # with the team-wide limit counts of a team event type
    reserved = not seat_join and bool(reservations_meeting(team.rows, start, end))
    if reserved and not round_robin:
        raise Conflict(RESERVED)
    try:
        free = bookable_hosts(
            team.hosts, team.scheduling_type, rules, start=start, end=end, now=now,
            booker_tz=booker_tz,
        )  # fmt: skip
    except BookingRejected as exc:
        if seat_join and exc.reason not in ("past", "out_of_bounds"):
            return Assignment(organizer)
        if reserved and exc.reason == "unavailable":
            raise Conflict(RESERVED) from None
        if exc.reason == "unavailable" and is_team_event_type(event_type):
            raise BadRequest(TEAM_UNAVAILABLE) from None
        raise BadRequest(REJECTION_MESSAGES.get(exc.reason, UNAVAILABLE)) from None
    if seat_join:
        return Assignment(organizer)
    prefer: User | None = organizer if keep_organizer else None
    if round_robin and exclude_booking_uid is not None:
        if team_flag(event_type, "rescheduleWithSameRoundRobinHost"):
            rr_ids = {m.user.id for m in members if not m.mandatory}
            if organizer.id in rr_ids and organizer.id not in free:
                raise BadRequest(TEAM_UNAVAILABLE)
        else:
            prefer = None  # Cal.com picks the lucky user again
    return await _assign(
        session, event_type, members, free, team.scheduling_type, prefer=prefer, now=now,
        start=start,
    )  # fmt: skip


def requires_confirmation(event_type: EventType, start: datetime, now: datetime) -> bool:
    """Whether a booking at ``start`` made at ``now`` must wait for the organizer (status pending).

    ``confirmationPolicy`` ``{type: "always"}`` → yes; ``{type: "time", noticeThreshold: {count,
    unit}}`` → only when booked with less notice than the threshold (Cal.com: not needed when
    ``floor((start - now) / unit) > count``); unset or ``{disabled: true}`` → no.
    """
    policy = settings_of(event_type).confirmation
    if not policy.enabled:
        return False
    if policy.kind != "time":
        return True
    seconds = policy.threshold_seconds
    if seconds is None:
        return True
    count = policy.threshold_count
    notice = math.floor((start - now).total_seconds() / seconds)
    return not notice > count
