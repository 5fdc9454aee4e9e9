"""The event type's ``bookerActiveBookingsLimit``: how many active bookings one booker may hold.

Cal.com (``checkActiveBookingsLimitForBooker``, run for new bookings, never for reschedules):
the booker's active bookings of the event type are those starting at or after now whose
attendees include the booker's email. At ``maximumActiveBookings`` or more, the booking is
refused with 400 and message ``booker_limit_exceeded_error`` (``details``: ``{"count": N}``);
with ``offerReschedule`` the message is ``booker_limit_exceeded_error_reschedule`` and
``details`` name the booking the Booker offers to move instead: ``{"rescheduleUid",
"startTime", "attendees": [{"name", "email"}]}`` — of the booker's ``N`` latest active bookings,
the earliest, as Cal.com picks it.

Slotwise counts accepted *and pending* bookings (a booking awaiting the organizer's confirmation
holds its time too; Cal.com's current code counts accepted ones only, see
docs/compatibility.md) and compares emails case-insensitively. The caller holds the host's
lock (:func:`slotwise.kit.db.lock_hosts`), so concurrent bookings by one booker cannot both
pass the check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types.settings import settings_of
from slotwise.kit.envelope import iso_utc
from slotwise.kit.errors import BadRequest
from slotwise.models import Attendee, Booking, EventType

LIMIT_EXCEEDED = "booker_limit_exceeded_error"
LIMIT_EXCEEDED_RESCHEDULE = "booker_limit_exceeded_error_reschedule"
ACTIVE_STATUSES = ("accepted", "pending")


async def ensure_under_booker_limit(
    session: AsyncSession, event_type: EventType, booker_email: str, now: datetime
) -> None:
    """Refuse a new booking of ``event_type`` by ``booker_email`` when the booker already holds
    ``maximumActiveBookings`` active bookings of it (started at or after ``now``, a UTC
    instant; status accepted or pending). Does nothing when the limit is unset or disabled.

    Raises BadRequest (400) with ``booker_limit_exceeded_error`` or, with ``offerReschedule``,
    ``booker_limit_exceeded_error_reschedule`` and the booking to move in ``details``.
    """
    limit = settings_of(event_type).booker_limit
    maximum = limit.maximum
    if maximum is None:
        return
    has_booker = (
        select(Attendee.id)
        .where(
            Attendee.booking_id == Booking.id,
            func.lower(Attendee.email) == booker_email.lower(),
        )
        .exists()
    )
    active = select(Booking).where(
        Booking.event_type_id == event_type.id,
        Booking.start_time >= now,
        Booking.status.in_(ACTIVE_STATUSES),
        has_booker,
    )
    if not limit.offer_reschedule:
        count = await session.scalar(select(func.count()).select_from(active.subquery()))
        if (count or 0) >= maximum:
            raise BadRequest(LIMIT_EXCEEDED, details={"count": maximum})
        return
    latest = list(
        await session.scalars(
            active.order_by(Booking.start_time.desc(), Booking.id.desc()).limit(maximum)
        )
    )
    if len(latest) < maximum:
        return
    offered = latest[-1]
    people = await session.scalars(
        select(Attendee).where(Attendee.booking_id == offered.id).order_by(Attendee.id)
    )
    details: dict[str, Any] = {
        "rescheduleUid": offered.uid,
        "startTime": iso_utc(offered.start_time),
        "attendees": [{"name": a.name, "email": a.email} for a in people],
    }
    raise BadRequest(LIMIT_EXCEEDED_RESCHEDULE, details=details)
