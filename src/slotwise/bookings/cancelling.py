"""Cancelling one booking: the checks every cancel shares and the state change itself, used by
:mod:`.cancel` (one booking), :mod:`.recurring` (a series or its tail) and :mod:`.seats` (the
last seat of a seated booking).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings.history import record
from slotwise.bookings.schemas import CancelBookingInput
from slotwise.event_types.settings import is_switched_on, settings_of
from slotwise.kit.errors import BadRequest
from slotwise.models import Booking, EventType, User
from slotwise.policy.bookings import acts_as_organizer

ALREADY_CANCELLED = "This booking has already been cancelled."


def switched_on(value: Any) -> bool:
    """True for ``{"disabled": true}`` (or ``true``): the ``disableX`` setting is on."""
    return is_switched_on(value)


def cancel_reason(
    event_type: EventType | None, organizer_id: int, body: CancelBookingInput, caller: User | None
) -> str | None:
    """The stripped ``cancellationReason`` (None when empty), after Cal.com's checks: 400
    "This event type does not allow cancellations" (``disableCancelling``) and 400
    "Cancellation reason is required when you are the host" (the organizer's API key, no reason)."""
    if settings_of(event_type).cancelling_disabled:
        raise BadRequest("This event type does not allow cancellations")
    reason = (body.cancellationReason or "").strip() or None
    if acts_as_organizer(caller, organizer_id) and reason is None:
        raise BadRequest("Cancellation reason is required when you are the host")
    return reason


def refuse_closed(booking: Booking) -> None:
    """400 for a booking that is already cancelled or was rejected (Cal.com's messages)."""
    if booking.status == "cancelled":
        raise BadRequest(ALREADY_CANCELLED)
    if booking.status == "rejected":
        raise BadRequest(
            f"Booking with uid={booking.uid} has been rejected by the host and can't be cancelled."
        )


async def mark_cancelled(
    session: AsyncSession,
    booking: Booking,
    *,
    reason: str | None,
    caller: User | None,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """Cancel ``booking`` (status, reason, who, iCal sequence + 1) and record ``cancelled``
    with ``reason``, ``previousStatus`` and ``data``. Flushes."""
    previous = booking.status
    booking.status = "cancelled"
    booking.cancellation_reason = reason
    booking.cancelled_by = caller.email if caller is not None else None
    booking.ical_sequence = (booking.ical_sequence or 0) + 1
    booking.updated_at = now
    await session.flush()
    await record(
        session,
        booking,
        "cancelled",
        actor=caller.email if caller is not None else None,
        data={"reason": reason, "previousStatus": previous, **(data or {})},
    )
