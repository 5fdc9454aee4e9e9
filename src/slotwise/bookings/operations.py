"""Host operations on a booking: mark absent (no-show), change its location, ask the attendee
to reschedule (cal-semantics §5.16, §5.18; the reference's BookingLocationController).

Each loads the host's booking under the host lock (another user's booking is a 404), checks the
status, changes the rows and records the change with :func:`slotwise.bookings.lifecycle.record`
in the request's transaction. Services flush; the request's session commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import queries
from slotwise.bookings.access import hosted
from slotwise.bookings.lifecycle import record
from slotwise.bookings.operation_schemas import (
    AddressUpdate,
    AttendeeAddressUpdate,
    AttendeeDefinedUpdate,
    AttendeePhoneUpdate,
    LinkUpdate,
    MarkAbsentInput,
    PhoneUpdate,
    RequestRescheduleInput,
    UpdateLocationInput,
)
from slotwise.bookings.views import output_for
from slotwise.kit import clock
from slotwise.kit.envelope import iso_utc
from slotwise.kit.errors import BadRequest
from slotwise.models import Booking, User


def _refuse_unless(booking: Booking, allowed: tuple[str, ...], what: str) -> None:
    if booking.status not in allowed:
        raise BadRequest(
            f"Booking with uid={booking.uid} is {booking.status}: {what} is only possible for "
            + " or ".join(allowed)
            + " bookings."
        )


async def mark_absent(
    session: AsyncSession, uid: str, body: MarkAbsentInput, user: User
) -> dict[str, Any]:
    """Set the host's and attendees' no-show flags of ``user``'s booking ``uid``; returns it.

    Only after the booking has started (400 with Cal.com's message naming both instants) and
    only for accepted bookings (400). ``attendees[].email`` must be attendees of the booking
    (400 naming the others). An empty body is a 400. Records ``no_show``.
    """
    if body.host is None and not body.attendees:
        raise BadRequest("Provide 'host' and/or 'attendees' to mark as absent.")
    loaded = await hosted(session, uid, user, lock=True)
    booking = loaded.booking
    _refuse_unless(booking, ("accepted",), "marking absence")
    now = clock.now()
    if now < booking.start_time:
        raise BadRequest(
            "Bookings can only be marked as absent after their scheduled start time. Current "
            f"time in UTC+0: {iso_utc(now)}, Booking start time in UTC+0: "
            f"{iso_utc(booking.start_time)}"
        )
    attendees = (await queries.attendees_by_booking(session, [booking.id]))[booking.id]
    by_email = {a.email.lower(): a for a in attendees}
    unknown = [str(a.email) for a in body.attendees or [] if str(a.email).lower() not in by_email]
    if unknown:
        raise BadRequest(
            f"Not attendees of booking with uid={uid}: {', '.join(unknown)}. Fetch the "
            "booking to see its attendees."
        )
    data: dict[str, Any] = {}
    if body.host is not None:
        booking.absent_host = body.host
        data["host"] = body.host
    if body.attendees:
        for item in body.attendees:
            by_email[str(item.email).lower()].absent = item.absent
        data["attendees"] = [{"email": str(a.email), "absent": a.absent} for a in body.attendees]
    booking.updated_at = now
    await session.flush()
    await record(session, booking, "no_show", actor=user.email, data=data)
    return await output_for(session, loaded)


def _location_value(location: Any) -> str:
    if isinstance(location, AddressUpdate | AttendeeAddressUpdate):
        return location.address
    if isinstance(location, AttendeeDefinedUpdate):
        return location.location
    if isinstance(location, AttendeePhoneUpdate | PhoneUpdate):
        return location.phone
    if isinstance(location, LinkUpdate):
        return location.link
    raise BadRequest("Unsupported location type")  # unreachable: the schema is discriminated


async def update_location(
    session: AsyncSession, uid: str, body: UpdateLocationInput, user: User
) -> dict[str, Any]:
    """Replace the location of ``user``'s booking ``uid``; returns the booking.

    Any of the six location kinds of the reference, each carrying its value (the organizer's
    ``address``/``link``/``phone`` or the attendee's). Accepted or pending bookings only (400).
    The event's ``SEQUENCE`` grows (calendar copies are updates); records ``location_changed``.
    """
    loaded = await hosted(session, uid, user, lock=True)
    booking = loaded.booking
    _refuse_unless(booking, ("accepted", "pending"), "changing the location")
    previous = booking.location
    value = _location_value(body.location)
    booking.location = value
    responses = dict(booking.responses or {})
    responses["location"] = value
    booking.responses = responses
    booking.ical_sequence = (booking.ical_sequence or 0) + 1
    booking.updated_at = clock.now()
    await session.flush()
    await record(
        session,
        booking,
        "location_changed",
        actor=user.email,
        data={"from": previous, "to": value, "type": body.location.type},
    )
    return await output_for(session, loaded)


async def request_reschedule(
    session: AsyncSession, uid: str, body: RequestRescheduleInput, user: User
) -> dict[str, Any]:
    """Cancel ``user``'s booking ``uid`` so that the attendee books a new time; returns the
    cancelled booking.

    Accepted or pending bookings only, past ones included (400 otherwise). The reason is stored
    as the cancellation reason and recorded as ``cancelled`` with ``rescheduleRequested: true``
    and ``rescheduleReason`` (the email layer sends the attendee the rebooking link). The
    cancelled booking stays reschedulable through POST …/reschedule, as Cal.com's
    ``rescheduled=true`` allows.
    """
    loaded = await hosted(session, uid, user, lock=True)
    booking = loaded.booking
    _refuse_unless(booking, ("accepted", "pending"), "requesting a reschedule")
    reason = (body.rescheduleReason or "").strip() or None
    previous = booking.status
    booking.status = "cancelled"
    booking.cancellation_reason = reason
    booking.cancelled_by = user.email
    booking.ical_sequence = (booking.ical_sequence or 0) + 1
    booking.updated_at = clock.now()
    await session.flush()
    await record(
        session,
        booking,
        "cancelled",
        actor=user.email,
        data={
            "reason": reason,
            "previousStatus": previous,
            "rescheduleRequested": True,
            "rescheduleReason": reason,
        },
    )
    return await output_for(session, loaded)
