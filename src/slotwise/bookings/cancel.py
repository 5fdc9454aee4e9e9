"""Cancelling a booking (POST /v2/bookings/{uid}/cancel, cal-semantics §5.13): one booking, one
seat (:mod:`.seats`), a recurring series or its tail (:mod:`.recurring`).

The booking is loaded under its host's lock and re-read (so two concurrent operations see each
other's committed state), the checks shared by every cancel (:mod:`.cancelling`) run, and the
change is recorded through :mod:`slotwise.bookings.history`. Flushes; the request's session
commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import recurring, repository, seats
from slotwise.bookings.access import locked
from slotwise.bookings.cancelling import cancel_reason, mark_cancelled, refuse_closed
from slotwise.bookings.output import is_seated
from slotwise.bookings.reading import output_for, outputs_for
from slotwise.bookings.schemas import CancelBookingInput
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest, NotFound, Unauthorized
from slotwise.models import User
from slotwise.policy.bookings import is_organizer


async def cancel_booking(
    session: AsyncSession, uid: str, body: CancelBookingInput, *, caller: User | None
) -> dict[str, Any]:
    """:func:`cancel` for callers that show one booking (the booking pages): when a series is
    returned, the occurrence ``uid`` (else the first)."""
    result = await cancel(session, uid, body, caller=caller)
    if isinstance(result, dict):
        return result
    return next((b for b in result if b["uid"] == uid), result[0])


async def cancel(
    session: AsyncSession, uid: str, body: CancelBookingInput, *, caller: User | None
) -> dict[str, Any] | list[dict[str, Any]]:
    """Cancel an accepted or pending booking and return it.

    ``uid`` may also be a recurring series' uid: every remaining occurrence is cancelled and
    the whole series returned (a list). ``cancelSubsequentBookings`` on one occurrence cancels
    it and every later one, and returns the series. ``seatUid`` cancels that seat only.

    400 with Cal.com's messages: already cancelled, ``disableCancelling``, the organizer cancelling
    without a reason, a seat that does not exist or belongs to another booking,
    ``cancelSubsequentBookings`` with a series uid or on a booking outside a series. A
    rejected booking cannot be cancelled (400). 401 "User not a host of this event": a seated
    booking cancelled as a whole by anyone but its organizer. 404: unknown uid.
    """
    try:
        loaded = await locked(session, uid)
    except NotFound:
        series = await recurring.locked_series(session, uid)
        if not series:
            raise
        if body.cancelSubsequentBookings:
            raise BadRequest(
                "Cannot cancel subsequent bookings for recurring event - you have to provide "
                "uid of one of the individual bookings of a recurring booking."
            ) from None
        await recurring.cancel_series(session, series, from_start=None, body=body, caller=caller)
        return await outputs_for(session, series, viewer=caller)
    booking = loaded.booking
    if body.seatUid:
        seat = await seats.seat_of(session, booking, body.seatUid)
        refuse_closed(booking)
        reason = cancel_reason(loaded.event_type, booking.user_id, body, caller)
        await seats.cancel_seat(session, loaded, seat, reason=reason, caller=caller)
        return await output_for(session, loaded, viewer=caller)
    if body.cancelSubsequentBookings:
        if booking.recurring_booking_uid is None:
            raise BadRequest(f"Booking with bookingUid={uid} is not part of a recurring booking.")
        series = await repository.load_series(session, booking.recurring_booking_uid)
        await recurring.cancel_series(
            session, series, from_start=booking.start_time, body=body, caller=caller
        )
        return await outputs_for(session, series, viewer=caller)
    refuse_closed(booking)
    attendees = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    organizer_caller = is_organizer(caller, booking)
    if is_seated(loaded.event_type, attendees) and not organizer_caller:
        raise Unauthorized("User not a host of this event")
    reason = cancel_reason(loaded.event_type, booking.user_id, body, caller)
    await mark_cancelled(session, booking, reason=reason, caller=caller, now=clock.now())
    return await output_for(session, loaded, viewer=caller)
