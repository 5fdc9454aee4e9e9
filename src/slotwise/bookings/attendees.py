"""A booking's attendees and guests (the reference's BookingAttendeesController and
BookingGuestsController, 2024-08-13), and its calendar references.

Readers and writers: the booking's organizer or one of its attendees (anyone else gets 404). Adding
people is refused for cancelled or rejected bookings (400); an email already on the booking is a
409 for POST …/attendees and is skipped by POST …/guests (400 when every guest is already
there, as Cal.com). Guests: at most 10 per request (the schema) and 30 per booking (every
attendee after the booker counts), else 400. Each addition is recorded (``attendee_added`` /
``guests_added``) so that email and webhook hooks can notify.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.access import participant
from slotwise.bookings.history import record
from slotwise.bookings.output import attendee_output, is_seated, visible_seats
from slotwise.bookings.reading import output_for
from slotwise.bookings.repository import LoadedBooking
from slotwise.bookings.schemas import (
    MAX_GUESTS_PER_BOOKING,
    AddAttendeeInput,
    AddGuestsInput,
)
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest, Conflict, NotFound
from slotwise.models import Attendee, Booking, BookingReference, User


def attendee_with_id(attendee: Attendee) -> dict[str, Any]:
    """``BookingAttendeeWithId_2024_08_13``: ``BookingAttendee`` plus ``id``."""
    return {**attendee_output(attendee), "id": attendee.id}


def attendee_with_booking(attendee: Attendee) -> dict[str, Any]:
    """``BookingAttendeeOutput_2024_08_13``: with ``id`` and ``bookingId``."""
    return {**attendee_with_id(attendee), "bookingId": attendee.booking_id}


def _refuse_closed(booking: Booking, what: str) -> None:
    if booking.status in ("cancelled", "rejected"):
        raise BadRequest(
            f"Can't add {what} to booking with uid={booking.uid} because it has been "
            f"{booking.status}."
        )


def _refuse_seated(loaded: LoadedBooking, existing: list[Attendee], what: str) -> None:
    """400 for a seated booking: every attendee takes a seat through POST /v2/bookings, so the
    seat count holds (Slotwise rule; see docs/api.md)."""
    if is_seated(loaded.event_type, existing):
        raise BadRequest(
            f"Booking with uid={loaded.booking.uid} is a seated booking: each attendee books "
            f"their own seat with POST /v2/bookings, so {what} can't be added here."
        )


def _visible(loaded: LoadedBooking, rows: list[Attendee], user: User) -> list[Attendee]:
    """``rows`` as ``user`` may see them: for a seated booking whose event type does not set
    ``seats.showAttendeeInfo``, a non-organizer sees only their own seat (the rule GET
    /v2/bookings/{uid} follows, :func:`~slotwise.bookings.output.visible_seats`)."""
    if not is_seated(loaded.event_type, rows):
        return rows
    return visible_seats(loaded.booking, loaded.event_type, rows, viewer=user, seat_uid=None)


async def list_attendees(session: AsyncSession, uid: str, user: User) -> list[dict[str, Any]]:
    """The attendees of booking ``uid`` (booker first), each with its ``id``. A non-organizer of a
    seated booking that hides attendee info sees only their own seat."""
    loaded = await participant(session, uid, user, lock=False)
    rows = (await repository.attendees_by_booking(session, [loaded.booking.id]))[loaded.booking.id]
    return [attendee_with_id(a) for a in _visible(loaded, rows, user)]


async def get_attendee(
    session: AsyncSession, uid: str, attendee_id: int, user: User
) -> dict[str, Any]:
    """Attendee ``attendee_id`` of booking ``uid``; 404 when it belongs to another booking, or
    is another seat that ``user`` may not see (as :func:`list_attendees`)."""
    loaded = await participant(session, uid, user, lock=False)
    attendee = await session.scalar(
        select(Attendee).where(Attendee.id == attendee_id, Attendee.booking_id == loaded.booking.id)
    )
    if attendee is not None and not _visible(loaded, [attendee], user):
        attendee = None
    if attendee is None:
        raise NotFound(f"Attendee with id={attendee_id} not found in booking with uid={uid}")
    return attendee_with_id(attendee)


async def add_attendee(
    session: AsyncSession, uid: str, body: AddAttendeeInput, user: User
) -> dict[str, Any]:
    """Add one attendee to booking ``uid``; returns it (``BookingAttendeeOutput_2024_08_13``).

    409 when the email is already an attendee; 400 for a cancelled or rejected booking.
    """
    loaded = await participant(session, uid, user, lock=True)
    booking = loaded.booking
    _refuse_closed(booking, "attendees")
    existing = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    _refuse_seated(loaded, existing, "attendees")
    email = str(body.email)
    if any(a.email.lower() == email.lower() for a in existing):
        raise Conflict(f"{email} is already an attendee of booking with uid={uid}.")
    attendee = Attendee(
        booking_id=booking.id,
        name=body.name,
        email=email,
        time_zone=body.timeZone,
        language=body.language or "en",
        phone_number=body.phoneNumber,
    )
    session.add(attendee)
    booking.updated_at = clock.now()
    await session.flush()
    await record(
        session,
        booking,
        "attendee_added",
        actor=user.email,
        data={"attendeeId": attendee.id, "email": email, "name": body.name},
    )
    return attendee_with_booking(attendee)


async def add_guests(
    session: AsyncSession, uid: str, body: AddGuestsInput, user: User
) -> dict[str, Any]:
    """Add guests to booking ``uid``; returns the booking (``BookingOutput_2024_08_13``).

    Emails already on the booking (or repeated in the request) are skipped; 400
    ``emails_must_be_unique_valid`` (Cal.com's key) when nothing is left to add. 400 when the
    booking would exceed 30 guests, or is cancelled or rejected.
    Guests without a ``timeZone`` get the booker's; ``language`` defaults to ``en``; they are
    also appended to ``bookingFieldsResponses.guests``.
    """
    loaded = await participant(session, uid, user, lock=True)
    booking = loaded.booking
    _refuse_closed(booking, "guests")
    existing = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    _refuse_seated(loaded, existing, "guests")
    taken = {a.email.lower() for a in existing} | {loaded.organizer.email.lower()}
    fresh = []
    for guest in body.guests:
        key = str(guest.email).lower()
        if key not in taken:
            taken.add(key)
            fresh.append(guest)
    if not fresh:
        raise BadRequest(
            f"emails_must_be_unique_valid - every guest given is already on booking with uid={uid}."
        )
    current_guests = max(0, len(existing) - 1)
    if current_guests + len(fresh) > MAX_GUESTS_PER_BOOKING:
        raise BadRequest(
            f"A booking can have at most {MAX_GUESTS_PER_BOOKING} guests: booking with "
            f"uid={uid} has {current_guests} and {len(fresh)} were given."
        )
    booker_tz = existing[0].time_zone if existing else loaded.organizer.time_zone
    rows = [
        Attendee(
            booking_id=booking.id,
            name=guest.name or "",
            email=str(guest.email),
            time_zone=guest.timeZone or booker_tz,
            language=guest.language or "en",
            phone_number=guest.phoneNumber,
        )
        for guest in fresh
    ]
    session.add_all(rows)
    responses = dict(booking.responses or {})
    responses["guests"] = [*list(responses.get("guests") or []), *(r.email for r in rows)]
    booking.responses = responses
    booking.updated_at = clock.now()
    await session.flush()
    await record(
        session,
        booking,
        "guests_added",
        actor=user.email,
        data={"guests": [{"attendeeId": r.id, "email": r.email, "name": r.name} for r in rows]},
    )
    return await output_for(session, loaded)


async def references(
    session: AsyncSession, uid: str, user: User, kind: str | None
) -> list[dict[str, Any]]:
    """``BookingReference`` items of booking ``uid`` (organizer or attendee; 404 otherwise): the
    events the calendar write jobs put in external calendars (:mod:`slotwise.calendars.writes`),
    ``{id, type, eventUid, destinationCalendarId}``, by id; ``kind`` keeps one ``type`` (an
    integration type such as ``apple_calendar``)."""
    loaded = await participant(session, uid, user, lock=False)
    query = select(BookingReference).where(BookingReference.booking_id == loaded.booking.id)
    if kind:
        query = query.where(BookingReference.type == kind)
    rows = await session.scalars(query.order_by(BookingReference.id))
    return [
        {
            "id": r.id,
            "type": r.type,
            "eventUid": r.uid,
            "destinationCalendarId": r.external_calendar_id,
        }
        for r in rows
    ]
