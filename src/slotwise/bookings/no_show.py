"""Marking a booking's no-shows (POST /v2/bookings/{uid}/mark-absent, cal-semantics §5.16).

The organizer's booking is loaded under the host lock (another user's booking is a 404), the status
checked, the flags set and the change recorded with :func:`slotwise.bookings.history.record` in
the request's transaction. Flushes; the request's session commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.access import check_status, organized
from slotwise.bookings.history import record
from slotwise.bookings.reading import output_for
from slotwise.bookings.schemas import MarkAbsentInput
from slotwise.kit import clock
from slotwise.kit.envelope import iso_utc
from slotwise.kit.errors import BadRequest
from slotwise.models import User


async def mark_absent(
    session: AsyncSession, uid: str, body: MarkAbsentInput, user: User
) -> dict[str, Any]:
    """Set the organizer's and attendees' no-show flags of ``user``'s booking ``uid``; returns it.

    Only after the booking has started (400 with Cal.com's message naming both instants) and
    only for accepted bookings (400). ``attendees[].email`` must be attendees of the booking
    (400 naming the others). An empty body is a 400. Records ``no_show``.
    """
    if body.host is None and not body.attendees:
        raise BadRequest("Provide 'host' and/or 'attendees' to mark as absent.")
    loaded = await organized(session, uid, user, lock=True)
    booking = loaded.booking
    check_status(booking, ("accepted",), "marking absence")
    now = clock.now()
    if now < booking.start_time:
        raise BadRequest(
            "Bookings can only be marked as absent after their scheduled start time. Current "
            f"time in UTC+0: {iso_utc(now)}, Booking start time in UTC+0: "
            f"{iso_utc(booking.start_time)}"
        )
    attendees = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
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
