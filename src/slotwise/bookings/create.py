"""Create a regular booking (POST /v2/bookings), in the request's one transaction.

Order, following Cal.com's API v2 and core handler (cal-semantics §5.1–§5.7): load the event
type (404), refuse variants Slotwise does not serve yet, authentication when the event type
requires it, ``lengthInMinutes``, guests and location; then lock the host and validate the time
(reservations → 409; past, notice/window, limits, availability → 400); then decide the status
(confirmation policy), insert the booking and its attendees, consume the caller's reservation
and record ``created`` or ``requested``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import queries
from slotwise.bookings.lifecycle import record
from slotwise.bookings.output import booking_output
from slotwise.bookings.rules import (
    default_title,
    enabled,
    ensure_bookable,
    new_uid,
    requires_confirmation,
    resolve_location,
)
from slotwise.bookings.schemas import CreateBookingInput
from slotwise.event_types.repository import event_type_by_slug, event_type_with_owner
from slotwise.kit.errors import BadRequest, Forbidden, NotFound, Unauthorized
from slotwise.models import Attendee, Booking, EventType, User
from slotwise.slots import clock

AUTH_REQUIRED = (
    "checkBookingRequiresAuthentication - request must be authenticated by passing credentials "
    "belonging to event type owner, host or team or org admin or owner."
)


async def _event_type(session: AsyncSession, body: CreateBookingInput) -> tuple[EventType, User]:
    if body.eventTypeId is not None:
        return await event_type_with_owner(session, body.eventTypeId)
    if body.eventTypeSlug and body.username:
        return await event_type_by_slug(session, body.username, body.eventTypeSlug)
    if body.eventTypeSlug and body.teamSlug:
        raise NotFound(f"Team with slug {body.teamSlug} not found")
    raise BadRequest(
        "Either eventTypeId or eventTypeSlug + username must be provided to identify the event "
        "type to book."
    )


def _check_length(event_type: EventType, wanted: int | None) -> int:
    """The booking length in minutes; Cal.com's two 400s for a bad ``lengthInMinutes``."""
    if wanted is None:
        return event_type.length
    options = event_type.config.get("lengthInMinutesOptions")
    if not isinstance(options, list) or not options:
        raise BadRequest(
            "Can't specify 'lengthInMinutes' because event type does not have multiple possible "
            "lengths. Please, remove the 'lengthInMinutes' field from the request."
        )
    allowed = [int(x) for x in options]
    if wanted not in allowed:
        raise BadRequest(
            "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. "
            "The possible lengths are: " + ", ".join(str(x) for x in allowed)
        )
    return wanted


def _check_variant(event_type: EventType, body: CreateBookingInput) -> None:
    if body.instant:
        raise BadRequest(
            "Instant bookings are only supported for team event types, not individual user "
            "event types."
        )
    if enabled(event_type.config.get("recurrence")):
        raise BadRequest(
            f"Event type with id={event_type.id} is a recurring event type: recurring bookings "
            "are not supported by this server yet."
        )
    if enabled(event_type.config.get("seats")):
        raise BadRequest(
            f"Event type with id={event_type.id} is a seated event type: seated bookings are "
            "not supported by this server yet."
        )


def _check_auth(event_type: EventType, caller: User | None) -> None:
    if not event_type.config.get("bookingRequiresAuthentication"):
        return
    if caller is None:
        raise Unauthorized(AUTH_REQUIRED)
    if caller.id != event_type.user_id:
        raise Forbidden(AUTH_REQUIRED)


def _guests(event_type: EventType, body: CreateBookingInput) -> list[str]:
    if not body.guests:
        return []
    if event_type.config.get("disableGuests"):
        raise BadRequest(
            f"Event type with id={event_type.id} does not allow guests (disableGuests): remove "
            "'guests' from the request."
        )
    booker = (body.attendee.email or "").lower()
    out: list[str] = []
    for guest in body.guests:
        email = str(guest)
        if email.lower() != booker and email.lower() not in (g.lower() for g in out):
            out.append(email)
    return out


async def create_booking(
    session: AsyncSession, body: CreateBookingInput, *, caller: User | None
) -> dict[str, Any]:
    """Create a booking and return its ``BookingOutput_2024_08_13``.

    Raises NotFound (event type), Unauthorized/Forbidden (``bookingRequiresAuthentication``),
    BadRequest (input, time or availability, with Cal.com's messages) and Conflict (slot
    reserved by another booker). Flushes; the request's session commits.
    """
    now = clock.now()
    event_type, host = await _event_type(session, body)
    _check_variant(event_type, body)
    _check_auth(event_type, caller)
    attendee = body.attendee
    if not attendee.email:
        raise BadRequest("attendee.email is required")
    length = _check_length(event_type, body.lengthInMinutes)
    guests = _guests(event_type, body)
    location = resolve_location(event_type, body.location, body.meetingUrl)
    start = body.start
    end = start + timedelta(minutes=length)

    await ensure_bookable(
        session, event_type, host, start=start, end=end, now=now,
        reservation_uid=body.reservationUid, booker_tz=attendee.timeZone,
    )  # fmt: skip

    pending = requires_confirmation(event_type, start, now)
    responses: dict[str, Any] = dict(body.bookingFieldsResponses or {})
    responses.update({"name": attendee.name, "email": str(attendee.email), "guests": guests})
    if attendee.phoneNumber:
        responses["attendeePhoneNumber"] = attendee.phoneNumber
    if location:
        responses.setdefault("location", location)
    notes = responses.get("notes")
    uid = new_uid()
    booking = Booking(
        uid=uid,
        user_id=host.id,
        event_type_id=event_type.id,
        title=default_title(event_type, host, attendee.name),
        description=notes if isinstance(notes, str) and notes else None,
        status="pending" if pending else "accepted",
        start_time=start,
        end_time=end,
        before_buffer=int(event_type.config.get("beforeEventBuffer") or 0),
        after_buffer=int(event_type.config.get("afterEventBuffer") or 0),
        location=location,
        metadata_=dict(body.metadata or {}),
        responses=responses,
        ical_uid=f"{uid}@slotwise",
        ical_sequence=0,
        created_at=now,
        updated_at=now,
    )
    session.add(booking)
    await session.flush()
    language = attendee.language or "en"
    people = [
        Attendee(
            booking_id=booking.id,
            name=attendee.name,
            email=str(attendee.email),
            time_zone=attendee.timeZone,
            language=language,
            phone_number=attendee.phoneNumber,
        )
    ]
    people += [
        Attendee(
            booking_id=booking.id,
            name="",
            email=guest,
            time_zone=attendee.timeZone,
            language="en",
        )
        for guest in guests
    ]
    session.add_all(people)
    await session.flush()
    if body.reservationUid:
        await queries.consume_reservation(session, body.reservationUid, host.id)
    await record(
        session,
        booking,
        "requested" if pending else "created",
        actor=str(attendee.email),
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    return booking_output(booking, host, event_type.slug, people)
