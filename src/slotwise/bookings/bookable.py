"""Whether a time can be booked, shared by create, reschedule, seats and recurring series: the
availability check under the host lock (the no-double-booking guarantee), Cal.com's rejection
messages, and the confirmation policy.

No double booking: :func:`ensure_bookable` first takes the host's lock (PostgreSQL advisory
lock; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), then re-reads reservations and
bookings and validates with the scheduling engine, all in the caller's transaction; the booking
row is inserted in that same transaction, so two requests for one host never both pass.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.checks import reservations_meeting
from slotwise.availability.inputs import event_rules
from slotwise.availability.loader import load_availability
from slotwise.event_types.settings import settings_of
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.models import EventType, User
from slotwise.scheduling import BookingRejected, check_booking

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
) -> None:
    """Lock ``organizer`` and check that ``[start, end)`` (UTC) can be booked with ``event_type``.

    Raises 409 ConflictException when another booker's unexpired reservation overlaps (a
    reservation whose uid is ``reservation_uid`` is the caller's own and is ignored); 400
    BadRequestException with Cal.com's message for a past start, the minimum notice or booking
    window, count/duration limits (Cal.com answers 401 there, a bug not copied), the host's own
    booking limits (``USER_BOOKING_LIMIT``) and busy or non-working time — one reading of the
    host's busy rows (:func:`slotwise.availability.loader.load_availability`), the engine's
    rejection reason choosing the message. ``exclude_booking_uid``: the booking being
    rescheduled, whose own time and limit usage do not count. ``booker_tz``: the attendee's IANA
    zone, which places day-based booking windows as GET /v2/slots did for that booker (default:
    the event's zone). ``seat_join``: the booker joins the existing seated booking
    ``exclude_booking_uid``; as Cal.com, only the time bounds (past, notice, window) are checked
    then, not availability, limits or reservations (:mod:`.seats` counts the seats).
    """
    await lock_hosts(session, [organizer.id])
    rules = event_rules(event_type)
    loaded = await load_availability(
        session,
        [organizer],
        event_type,
        rules,
        window_start=start,
        window_end=end,
        now=now,
        exclude_booking_uid=exclude_booking_uid,
        exclude_reservation_uid=reservation_uid,
    )
    if not seat_join and reservations_meeting(loaded.rows, start, end):
        raise Conflict(RESERVED)
    try:
        check_booking(loaded.hosts, rules, start=start, end=end, now=now, booker_tz=booker_tz)
    except BookingRejected as exc:
        if seat_join and exc.reason not in ("past", "out_of_bounds"):
            return
        raise BadRequest(REJECTION_MESSAGES.get(exc.reason, UNAVAILABLE)) from None


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
