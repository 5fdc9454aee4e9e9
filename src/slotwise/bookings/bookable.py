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

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.checks import reservations_meeting
from slotwise.availability.inputs import event_rules
from slotwise.availability.loader import EventTypeHost, event_type_hosts, load_team
from slotwise.event_types.settings import settings_of
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.models import EventType, User
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
    for a collective one, the mandatory hosts and the other groups' picks for round robin."""

    organizer: User
    hosts: tuple[User, ...] = ()


async def lock_event_type_hosts(
    session: AsyncSession, event_type: EventType, organizer: User
) -> list[EventTypeHost]:
    """Take the lock of every host of ``event_type`` in one call (sorted user ids, so two
    bookings of overlapping teams cannot deadlock) and return them
    (:func:`slotwise.availability.loader.event_type_hosts`; ``organizer`` is the owner of an
    event type without host rows). A transaction's first host lock must cover every host it
    will lock: later calls may only repeat locks it holds."""
    members = await event_type_hosts(session, event_type, organizer)
    await lock_hosts(session, [organizer.id, *(m.user.id for m in members)])
    return members


def _pick(candidates: Sequence[EventTypeHost], prefer: User) -> EventTypeHost:
    """The round-robin pick among free ``candidates``: ``prefer`` (the booking's organizer
    when rescheduling) if among them, else the highest priority, then the highest weight, then
    the first added. (Cal.com's lucky-user fairness, counting each host's recent bookings,
    arrives with team event types.)"""
    for member in candidates:
        if member.user.id == prefer.id:
            return member
    return max(candidates, key=lambda m: (m.priority, m.weight, -candidates.index(m)))


def _assign(
    members: Sequence[EventTypeHost], free: frozenset[int], scheduling_type: str, prefer: User
) -> Assignment:
    """The :class:`Assignment` of a booking the engine accepted with ``free`` hosts (user ids)."""
    if scheduling_type != ROUND_ROBIN:
        chosen = list(members)
    else:
        chosen = [m for m in members if m.mandatory]
        groups: dict[str | None, list[EventTypeHost]] = {}
        for member in members:
            if not member.mandatory and member.user.id in free:
                groups.setdefault(member.group, []).append(member)
        picks = [_pick(group, prefer) for group in groups.values()]
        chosen = picks + chosen  # the first group's pick organises, as Cal.com's lucky user
    users = [m.user for m in chosen]
    organizer = next((u for u in users if u.id == prefer.id), users[0] if users else prefer)
    return Assignment(organizer, tuple(u for u in users if u.id != organizer.id))


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
) -> Assignment:
    """Lock the hosts of ``event_type`` and check that ``[start, end)`` (UTC) can be booked;
    return who the booking goes to.

    ``organizer``: the event type's owner for a new booking, the booking's organizer when
    rescheduling (kept when still free). The hosts (:func:`lock_event_type_hosts`) must be
    free as the event type's scheduling type says (:func:`slotwise.scheduling.bookable_hosts`:
    personal and collective every host, round robin the mandatory hosts and one member of each
    group), each host's busy rows read once (:func:`slotwise.availability.loader.load_team`).

    Raises 409 ConflictException when another booker's unexpired reservation overlaps (a
    reservation whose uid is ``reservation_uid`` is the caller's own and is ignored; for round
    robin only when no assignment is left); 400 BadRequestException with Cal.com's message for
    a past start, the minimum notice or booking window, count/duration limits (Cal.com answers
    401 there, a bug not copied), a host's own booking limits (``USER_BOOKING_LIMIT``) and busy
    or non-working time, the engine's rejection reason choosing the message.
    ``exclude_booking_uid``: the booking being rescheduled, whose own time and limit usage do
    not count. ``booker_tz``: the attendee's IANA zone, which places day-based booking windows
    as GET /v2/slots did for that booker (default: the event's zone). ``seat_join``: the booker
    joins the existing seated booking ``exclude_booking_uid``; as Cal.com, only the time bounds
    (past, notice, window) are checked then, not availability, limits or reservations
    (:mod:`.seats` counts the seats), and the assignment is the organizer alone.
    """
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
        raise BadRequest(REJECTION_MESSAGES.get(exc.reason, UNAVAILABLE)) from None
    if seat_join:
        return Assignment(organizer)
    return _assign(members, free, team.scheduling_type, organizer)


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
