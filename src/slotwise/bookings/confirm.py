"""Confirming and declining a pending booking (POST /v2/bookings/{uid}/confirm and …/decline,
cal-semantics §5.15; also the signed links of the request email): the organizer only, and every
pending occurrence of a recurring series at once, as Cal.com does.

The booking is loaded under its host's lock and re-read, the status transition checked, and
each change recorded through :mod:`slotwise.bookings.history`. Flushes; the request's session
commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.checks import confirm_conflict
from slotwise.bookings import repository
from slotwise.bookings.access import locked
from slotwise.bookings.history import record
from slotwise.bookings.reading import output_for
from slotwise.bookings.repository import LoadedBooking
from slotwise.bookings.schemas import DeclineBookingInput
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.models import Booking, User
from slotwise.policy.bookings import check_may_confirm


async def _organizers_pending(
    session: AsyncSession, uid: str, user: User, verb: str
) -> LoadedBooking:
    loaded = await locked(session, uid)
    booking = loaded.booking
    check_may_confirm(user, booking, verb)
    if booking.status == "accepted":
        raise BadRequest("Booking already confirmed")
    if booking.status != "pending":
        raise BadRequest(
            f"Booking with uid={uid} is {booking.status}: only pending bookings can be "
            f"{'confirmed' if verb == 'confirm' else 'declined'}."
        )
    return loaded


async def _pending_series(session: AsyncSession, booking: Booking) -> list[Booking]:
    """``booking`` and, when it is an occurrence of a recurring series, every other pending
    occurrence of that series (same organizer), by start; for :func:`confirm_booking` and
    :func:`decline_booking`, which act on the whole series as Cal.com does."""
    if not booking.recurring_booking_uid:
        return [booking]
    series = await repository.load_series(session, booking.recurring_booking_uid)
    return [
        item.booking
        for item in series
        if item.booking.id == booking.id
        or (item.booking.status == "pending" and item.booking.user_id == booking.user_id)
    ]


def _series_data(booking: Booking, index: int, count: int) -> dict[str, Any]:
    """Lifecycle data placing ``booking`` in its series (the first announces it by email)."""
    if not booking.recurring_booking_uid or count < 2:
        return {}
    return {
        "recurringBookingUid": booking.recurring_booking_uid,
        "occurrence": index + 1,
        "occurrences": count,
    }


async def confirm_booking(session: AsyncSession, uid: str, user: User) -> dict[str, Any]:
    """Accept a pending booking of ``user`` (its organizer) and return it.

    An occurrence of a recurring series confirms every pending occurrence of the series, as
    Cal.com does. Unlike Cal.com (issues #10789, #29958), confirming never double-books: under
    the host lock, another accepted booking overlapping any of them (buffers included) → 409
    ConflictException and nothing changes. 403 for someone else's booking; 400 "Booking already
    confirmed"; 400 when not pending.
    """
    loaded = await _organizers_pending(session, uid, user, "confirm")
    bookings = await _pending_series(session, loaded.booking)
    for booking in bookings:
        if await confirm_conflict(session, booking, loaded.organizer):
            raise Conflict(
                f"Booking with uid={booking.uid} can't be confirmed: the host already has an "
                "accepted booking at this time."
            )
    now = clock.now()
    for booking in bookings:
        booking.status = "accepted"
        booking.updated_at = now
    await session.flush()
    for index, booking in enumerate(bookings):
        data = _series_data(booking, index, len(bookings))
        await record(session, booking, "confirmed", actor=user.email, data=data)
    return await output_for(session, loaded)


async def decline_booking(
    session: AsyncSession, uid: str, body: DeclineBookingInput, user: User
) -> dict[str, Any]:
    """Reject a pending booking of ``user`` (its organizer), storing the reason; returns it.

    An occurrence of a recurring series declines every pending occurrence of the series.

    The iCalendar SEQUENCE grows by one, so the declined email's ``METHOD:CANCEL`` supersedes
    the tentative invite sent with the request (RFC 5546 §2.1.4).
    403 for someone else's booking; 400 "Booking already confirmed"; 400 when not pending.
    """
    loaded = await _organizers_pending(session, uid, user, "decline")
    reason = (body.reason or "").strip() or None
    bookings = await _pending_series(session, loaded.booking)
    now = clock.now()
    for booking in bookings:
        booking.status = "rejected"
        booking.rejection_reason = reason
        booking.ical_sequence = (booking.ical_sequence or 0) + 1
        booking.updated_at = now
    await session.flush()
    for index, booking in enumerate(bookings):
        data = {"reason": reason, **_series_data(booking, index, len(bookings))}
        await record(session, booking, "rejected", actor=user.email, data=data)
    return await output_for(session, loaded)
