"""Asking the attendee to book again (POST /v2/bookings/{uid}/request-reschedule,
cal-semantics §5.18): the organizer's booking is cancelled with the reason, and the attendee gets
the rebooking link.

The organizer's booking is loaded under the host lock (another user's booking is a 404), the status
checked, the booking cancelled and the change recorded with
:func:`slotwise.bookings.history.record` in the request's transaction. Flushes; the request's
session commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings.access import check_status, organized
from slotwise.bookings.history import record
from slotwise.bookings.reading import output_for
from slotwise.bookings.schemas import RequestRescheduleInput
from slotwise.kit import clock
from slotwise.models import User


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
    loaded = await organized(session, uid, user, lock=True)
    booking = loaded.booking
    check_status(booking, ("accepted", "pending"), "requesting a reschedule")
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
