"""Cancel, reschedule, confirm and decline a booking (cal-semantics §5.13–§5.15).

Each operation loads the booking, takes its host's lock, re-reads the booking (so two concurrent
operations see each other's committed state), checks the status transition, changes the rows
and records the change through :mod:`slotwise.bookings.lifecycle`. Services flush; the
request's session commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import queries
from slotwise.bookings.lifecycle import record
from slotwise.bookings.output import booking_output
from slotwise.bookings.queries import LoadedBooking
from slotwise.bookings.rules import ensure_bookable, new_uid, requires_confirmation
from slotwise.bookings.schemas import (
    CancelBookingInput,
    DeclineBookingInput,
    RescheduleBookingInput,
)
from slotwise.bookings.views import output_for
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest, Conflict, Forbidden
from slotwise.models import Attendee, Booking, User, utcnow
from slotwise.slots import clock


async def _locked(session: AsyncSession, uid: str) -> LoadedBooking:
    loaded = await queries.load_booking(session, uid)
    await lock_hosts(session, [loaded.host.id])
    await queries.reload(session, loaded.booking)
    return loaded


async def cancel_booking(
    session: AsyncSession, uid: str, body: CancelBookingInput, *, caller: User | None
) -> dict[str, Any]:
    """Cancel an accepted or pending booking and return it.

    400 with Cal.com's messages: already cancelled, a ``seatUid`` (no seated bookings here),
    ``disableCancelling``, or the host cancelling without a reason. A rejected booking cannot be
    cancelled (400). ``cancelSubsequentBookings`` only matters for recurring bookings.
    """
    loaded = await _locked(session, uid)
    booking = loaded.booking
    if body.seatUid:
        raise BadRequest("Invalid seatUid: this seat does not exist or has already been cancelled.")
    if booking.status == "cancelled":
        raise BadRequest("This booking has already been cancelled.")
    if booking.status == "rejected":
        raise BadRequest(
            f"Booking with uid={uid} has been rejected by the host and can't be cancelled."
        )
    config = loaded.event_type.config if loaded.event_type is not None else {}
    if _switched_on(config.get("disableCancelling")):
        raise BadRequest("This event type does not allow cancellations")
    reason = (body.cancellationReason or "").strip() or None
    if caller is not None and caller.id == booking.user_id and reason is None:
        raise BadRequest("Cancellation reason is required when you are the host")
    now = clock.now()
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
        data={"reason": reason, "previousStatus": previous},
    )
    return await output_for(session, loaded)


def _switched_on(value: Any) -> bool:
    """True for ``{"disabled": true}`` (or ``true``): the ``disableX`` setting is on."""
    return value is True or (isinstance(value, dict) and value.get("disabled") is True)


def _check_reschedule_allowed(config: dict[str, Any], booking: Booking, now: datetime) -> None:
    """``disableRescheduling``: always (400), or within ``minutesBefore`` of the start (403)."""
    setting = config.get("disableRescheduling")
    if _switched_on(setting):
        raise BadRequest("This event type does not allow rescheduling")
    minutes = setting.get("minutesBefore") if isinstance(setting, dict) else None
    if minutes and booking.start_time - now < timedelta(minutes=int(minutes)):
        raise Forbidden(
            "Rescheduling is not allowed within the minimum notice period before the event"
        )


def _check_reschedulable(booking: Booking) -> None:
    uid = booking.uid
    if booking.status == "cancelled" and booking.rescheduled_to_uid:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been cancelled and "
            f"rescheduled already to booking with uid={booking.rescheduled_to_uid}. You probably "
            f"want to reschedule {booking.rescheduled_to_uid} instead by passing it within the "
            "request URL."
        )
    if booking.status == "cancelled":
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been cancelled. Please "
            "provide uid of a booking that is not cancelled."
        )
    if booking.status == "rejected":
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been rejected by the host. "
            "Please create a new booking instead."
        )


async def reschedule_booking(
    session: AsyncSession, uid: str, body: RescheduleBookingInput, *, caller: User | None
) -> dict[str, Any]:
    """Move booking ``uid`` to ``body.start``: a new booking (new uid, same attendees, same
    duration) replaces it, and the old one is cancelled with ``rescheduledToUid``. Returns the
    new booking.

    The new time is validated like a create, ignoring the old booking's own busy time. Status:
    a pending booking stays pending; otherwise the confirmation policy applies, except that the
    host (authenticated with their API key) is auto-confirmed.
    400: cancelled or rejected booking, ``seatUid``, deleted event type, ``disableRescheduling``
    (unless the host's API key is used), or a time that cannot be booked; 403: within
    ``disableRescheduling.minutesBefore`` of the old start; 409: reserved by someone else.
    """
    loaded = await _locked(session, uid)
    old, host, event_type = loaded.booking, loaded.host, loaded.event_type
    if body.seatUid:
        raise BadRequest("Invalid seatUid: this seat does not exist or has already been cancelled.")
    _check_reschedulable(old)
    if event_type is None:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because its event type no longer exists."
        )
    now = clock.now()
    # Only the host's own API key proves the host is rescheduling: a ``rescheduledBy`` email
    # alone is not trusted (Cal.com trusts it; an attendee could skip confirmation with it).
    by_host = caller is not None and caller.id == host.id
    if not (caller is not None and caller.id == host.id):
        _check_reschedule_allowed(event_type.config, old, now)
    start = body.start
    end = start + (old.end_time - old.start_time)
    old_attendees = (await queries.attendees_by_booking(session, [old.id]))[old.id]
    await ensure_bookable(
        session, event_type, host, start=start, end=end, now=now, exclude_booking_uid=old.uid,
        booker_tz=old_attendees[0].time_zone if old_attendees else None,
    )  # fmt: skip
    if old.status == "pending":
        status = "pending"
    elif by_host or not requires_confirmation(event_type, start, now):
        status = "accepted"
    else:
        status = "pending"
    rescheduled_by = str(body.rescheduledBy) if body.rescheduledBy else None
    if rescheduled_by is None and caller is not None:
        rescheduled_by = caller.email
    reason = (body.reschedulingReason or "").strip() or None
    new = Booking(
        uid=new_uid(),
        user_id=old.user_id,
        event_type_id=old.event_type_id,
        title=old.title,
        description=old.description,
        status=status,
        start_time=start,
        end_time=end,
        before_buffer=int(event_type.config.get("beforeEventBuffer") or 0),
        after_buffer=int(event_type.config.get("afterEventBuffer") or 0),
        location=old.location,
        metadata_=dict(old.metadata_ or {}),
        responses=dict(old.responses or {}),
        rescheduled_from_uid=old.uid,
        rescheduled_by=rescheduled_by,
        reschedule_reason=reason,
        ical_uid=old.ical_uid,
        ical_sequence=(old.ical_sequence or 0) + 1,
        recurring_booking_uid=old.recurring_booking_uid,
        created_at=now,
        updated_at=now,
    )
    session.add(new)
    await session.flush()
    people = [
        Attendee(
            booking_id=new.id,
            name=a.name,
            email=a.email,
            time_zone=a.time_zone,
            language=a.language,
            phone_number=a.phone_number,
        )
        for a in old_attendees
    ]
    session.add_all(people)
    previous = old.status
    old.status = "cancelled"
    old.rescheduled_to_uid = new.uid
    old.rescheduled_by = rescheduled_by
    old.reschedule_reason = reason
    old.updated_at = now
    await session.flush()
    await record(
        session,
        old,
        "rescheduled",
        actor=rescheduled_by,
        data={
            "toUid": new.uid,
            "reason": reason,
            "previousStatus": previous,
            "from": {"start": old.start_time.isoformat(), "end": old.end_time.isoformat()},
            "to": {"start": start.isoformat(), "end": end.isoformat()},
        },
    )
    await record(
        session,
        new,
        "requested" if status == "pending" else "created",
        actor=rescheduled_by,
        data={"fromUid": old.uid, "start": start.isoformat(), "end": end.isoformat()},
    )
    return booking_output(new, host, event_type.slug, people)


async def _host_pending(session: AsyncSession, uid: str, user: User, verb: str) -> LoadedBooking:
    loaded = await _locked(session, uid)
    booking = loaded.booking
    if booking.user_id != user.id:
        raise Forbidden(f"User is not authorized to {verb} this booking")
    if booking.status == "accepted":
        raise BadRequest("Booking already confirmed")
    if booking.status != "pending":
        raise BadRequest(
            f"Booking with uid={uid} is {booking.status}: only pending bookings can be "
            f"{'confirmed' if verb == 'confirm' else 'declined'}."
        )
    return loaded


async def confirm_booking(session: AsyncSession, uid: str, user: User) -> dict[str, Any]:
    """Accept a pending booking of ``user`` (its host) and return it.

    Unlike Cal.com (issues #10789, #29958), confirming never double-books: under the host lock,
    another accepted booking overlapping this one (buffers included) → 409 ConflictException.
    403 for someone else's booking; 400 "Booking already confirmed"; 400 when not pending.
    """
    loaded = await _host_pending(session, uid, user, "confirm")
    booking = loaded.booking
    if await queries.accepted_conflict(session, booking, loaded.host):
        raise Conflict(
            f"Booking with uid={uid} can't be confirmed: the host already has an accepted "
            "booking at this time."
        )
    booking.status = "accepted"
    booking.updated_at = utcnow()
    await session.flush()
    await record(session, booking, "confirmed", actor=user.email)
    return await output_for(session, loaded)


async def decline_booking(
    session: AsyncSession, uid: str, body: DeclineBookingInput, user: User
) -> dict[str, Any]:
    """Reject a pending booking of ``user`` (its host), storing the reason; returns it.

    403 for someone else's booking; 400 "Booking already confirmed"; 400 when not pending.
    """
    loaded = await _host_pending(session, uid, user, "decline")
    booking = loaded.booking
    reason = (body.reason or "").strip() or None
    booking.status = "rejected"
    booking.rejection_reason = reason
    booking.updated_at = utcnow()
    await session.flush()
    await record(session, booking, "rejected", actor=user.email, data={"reason": reason})
    return await output_for(session, loaded)
