"""Seated bookings (event types with ``seats``: seatsPerTimeSlot, showAttendeeInfo,
showAvailabilityCount), cal-semantics §5.11.

One booking row per seated time slot; every attendee holds one seat (``Attendee.seat_uid``, a
UUID4, with the seat's own booking-field responses and metadata in ``seat_data``).

- :func:`take_seat` (POST /v2/bookings): under the host lock, the first booker at a start
  creates the booking (validated like a regular booking); later bookers join it (same uid)
  while ``attendees + other bookers' unexpired reservations of that start < seatsPerTimeSlot``.
  A booker already seated → 409; full → 409 "No more seats left at this seated booking.".
  The host lock serialises joins, so concurrent requests never overfill a slot.
- :func:`cancel_seat`: removes one seat; the booking is cancelled with its last seat.
- :func:`move_seat`: reschedules one seat to the seated booking at the new start (created when
  there is none); the booking it leaves is cancelled when that was its last seat.

Every change is recorded through :func:`slotwise.bookings.history.record` with the seat it
concerns in ``data``: ``seatUid``, ``seatAttendeeEmail`` and ``seatAttendeeName``.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.bookable import ensure_bookable
from slotwise.bookings.cancelling import mark_cancelled
from slotwise.bookings.drafts import Draft, booker_row, insert_booking, new_uid
from slotwise.bookings.history import record
from slotwise.bookings.output import render
from slotwise.bookings.repository import LoadedBooking
from slotwise.event_types.settings import settings_of
from slotwise.kit import clock
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.models import Attendee, Booking, EventType, User
from slotwise.slots.service import seats_per_time_slot

SEATS_FULL = "No more seats left at this seated booking."
NO_SEAT = "Invalid seatUid: this seat does not exist or has already been cancelled."
OTHER_BOOKING = "Invalid seatUid: this seat does not belong to this booking."


def seat_event_data(attendee: Attendee) -> dict[str, Any]:
    """The ``data`` keys naming the seat a lifecycle event concerns."""
    return {
        "seatUid": attendee.seat_uid,
        "seatAttendeeEmail": attendee.email,
        "seatAttendeeName": attendee.name,
    }


def _already_seated(email: str) -> str:
    return f"Attendee with email {email} is already signed up for this booking."


async def _join(
    session: AsyncSession,
    event_type: EventType,
    organizer: User,
    target: Booking,
    *,
    email: str,
    now: datetime,
    reservation_uid: str | None,
    booker_tz: str | None,
) -> None:
    """Check that ``email`` may take a seat of ``target`` (host locked): time bounds (400),
    not seated yet (409), a seat left counting others' reservations (409)."""
    await ensure_bookable(
        session, event_type, organizer, start=target.start_time, end=target.end_time, now=now,
        exclude_booking_uid=target.uid, reservation_uid=reservation_uid, booker_tz=booker_tz,
        seat_join=True,
    )  # fmt: skip
    seated = (await repository.attendees_by_booking(session, [target.id]))[target.id]
    if any(a.email.lower() == email.lower() for a in seated):
        raise Conflict(_already_seated(email))
    held = await repository.seat_reservations_at(
        session, event_type.id, target.start_time, now, exclude_uid=reservation_uid
    )
    if len(seated) + held >= (seats_per_time_slot(settings_of(event_type)) or 0):
        raise Conflict(SEATS_FULL)


async def take_seat(session: AsyncSession, draft: Draft, *, caller: User | None) -> dict[str, Any]:
    """Book one seat at ``draft.body.start``; returns ``CreateSeatedBookingOutput_2024_08_13``
    (the booking, its ``seatUid`` and the seats the caller may see).

    400: guests (each person books their own seat), ``recurrenceCount``, a length other than
    the seated booking's, or a time that cannot be booked (first seat: as a regular booking;
    later seats: past/notice/window only, as Cal.com); 409: reserved by someone else (first
    seat), already seated, or full.
    """
    body, event_type, organizer = draft.body, draft.event_type, draft.organizer
    if draft.guests:
        raise BadRequest(
            f"Event type with id={event_type.id} is a seated event type: each attendee books "
            "their own seat, so 'guests' can't be added. Remove 'guests' from the request."
        )
    if body.recurrenceCount is not None:
        raise BadRequest(
            f"Event type with id={event_type.id} is not a recurring event type: remove "
            "'recurrenceCount' from the request."
        )
    now = clock.now()
    start = body.start
    end = start + timedelta(minutes=draft.length)
    email = draft.booker_email
    seat_uid = str(uuid.uuid4())
    seat_data = {"responses": dict(draft.responses), "metadata": dict(body.metadata or {})}
    await lock_hosts(session, [organizer.id])
    target = await repository.seated_booking_at(session, event_type.id, start)
    if target is None:
        assigned = await ensure_bookable(
            session, event_type, organizer, start=start, end=end, now=now,
            reservation_uid=body.reservationUid, booker_tz=body.attendee.timeZone,
            keep_organizer=event_type.team_id is None,
        )  # fmt: skip
        organizer = assigned.organizer
        booking, people = await insert_booking(
            session,
            replace(draft, organizer=organizer),
            start=start,
            status="accepted",
            now=now,
            seat={"seatUid": seat_uid, "data": seat_data},
            hosts=assigned.hosts,
        )
        seat = people[0]
    else:
        if target.end_time != end:
            raise BadRequest(
                f"The seated booking at this start lasts "
                f"{round((target.end_time - target.start_time).total_seconds() / 60)} minutes: "
                "book it with that length."
            )
        await _join(
            session, event_type, organizer, target, email=email, now=now,
            reservation_uid=body.reservationUid, booker_tz=body.attendee.timeZone,
        )  # fmt: skip
        booking = target
        if target.user_id != organizer.id:  # a team booking: answer with its own organizer
            organizer = await session.get_one(User, target.user_id)
        seat = booker_row(draft, booking.id)
        seat.seat_uid, seat.seat_data = seat_uid, seat_data
        session.add(seat)
        booking.updated_at = now
        await session.flush()
    if body.reservationUid:
        await repository.consume_reservation(session, body.reservationUid, event_type.id)
    await record(
        session,
        booking,
        "created",
        actor=email,
        data={
            "start": booking.start_time.isoformat(),
            "end": booking.end_time.isoformat(),
            "seatJoined": target is not None,
            **seat_event_data(seat),
        },
    )
    everyone = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    return render(
        booking, organizer, event_type, everyone, viewer=caller, seat_uid=seat_uid, echo_seat=True
    )


async def seat_of(session: AsyncSession, booking: Booking, seat_uid: str) -> Attendee:
    """The attendee holding ``seat_uid`` in ``booking``; 400 with Cal.com's messages when the
    seat does not exist or belongs to another booking."""
    seat = await repository.seat_attendee(session, seat_uid)
    if seat is None:
        raise BadRequest(NO_SEAT)
    if seat.booking_id != booking.id:
        raise BadRequest(OTHER_BOOKING)
    return seat


async def cancel_seat(
    session: AsyncSession,
    loaded: LoadedBooking,
    seat: Attendee,
    *,
    reason: str | None,
    caller: User | None,
) -> None:
    """Remove ``seat`` from its booking (host locked, booking active). The event is recorded
    while the seat's attendee still exists (hooks can read it), then the attendee is deleted;
    the booking is cancelled as well when this was its last seat (Cal.com's rule)."""
    booking = loaded.booking
    now = clock.now()
    others = [
        a
        for a in (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
        if a.id != seat.id
    ]
    data = {**seat_event_data(seat), "seatOnly": bool(others)}
    if others:
        booking.updated_at = now
        await session.flush()
        await record(
            session,
            booking,
            "cancelled",
            actor=caller.email if caller is not None else seat.email,
            data={"reason": reason, "previousStatus": booking.status, **data},
        )
    else:
        await mark_cancelled(session, booking, reason=reason, caller=caller, now=now, data=data)
    await session.delete(seat)
    await session.flush()


async def move_seat(
    session: AsyncSession,
    loaded: LoadedBooking,
    seat: Attendee,
    *,
    start: datetime,
    reason: str | None,
    rescheduled_by: str | None,
    caller: User | None,
) -> dict[str, Any]:
    """Move ``seat`` to the seated booking at ``start`` (UTC), creating it when there is none
    (validated as a first seat), and return ``CreateSeatedBookingOutput_2024_08_13`` of the
    booking it joined. The seat keeps its uid and responses. The old booking is cancelled
    (``rescheduledToUid`` set) when this was its last seat. 400: the same start, or a time that
    cannot be booked; 409: already seated there, or full. Host locked by the caller."""
    old, organizer, event_type = loaded.booking, loaded.organizer, loaded.event_type
    if event_type is None:
        raise BadRequest(
            f"Can't reschedule booking with uid={old.uid} because its event type no longer exists."
        )
    if start == old.start_time:
        raise BadRequest(f"Seat {seat.seat_uid} is already booked at {start.isoformat()}.")
    now = clock.now()
    end = start + (old.end_time - old.start_time)
    remaining = [
        a
        for a in (await repository.attendees_by_booking(session, [old.id]))[old.id]
        if a.id != seat.id
    ]
    target = await repository.seated_booking_at(session, event_type.id, start)
    if target is None:
        await ensure_bookable(
            session, event_type, organizer, start=start, end=end, now=now,
            exclude_booking_uid=None if remaining else old.uid, booker_tz=seat.time_zone,
        )  # fmt: skip
        target = Booking(
            uid=new_uid(),
            user_id=old.user_id,
            event_type_id=old.event_type_id,
            title=old.title,
            description=None,
            status="accepted",
            start_time=start,
            end_time=end,
            before_buffer=old.before_buffer,
            after_buffer=old.after_buffer,
            location=old.location,
            metadata_={},
            responses={},
            ical_sequence=0,
            created_at=now,
            updated_at=now,
        )
        target.ical_uid = f"{target.uid}@slotwise"
        session.add(target)
        await session.flush()
    else:
        await _join(
            session, event_type, organizer, target, email=seat.email, now=now,
            reservation_uid=None, booker_tz=seat.time_zone,
        )  # fmt: skip
    seat.booking_id = target.id
    target.updated_at = now
    old.updated_at = now
    previous = old.status
    if not remaining:
        old.status = "cancelled"
        old.rescheduled_to_uid = target.uid
        old.rescheduled_by = rescheduled_by
        old.reschedule_reason = reason
    await session.flush()
    times = {
        "from": {"start": old.start_time.isoformat(), "end": old.end_time.isoformat()},
        "to": {"start": start.isoformat(), "end": end.isoformat()},
    }
    await record(
        session,
        old,
        "rescheduled",
        actor=rescheduled_by,
        data={
            "toUid": target.uid,
            "reason": reason,
            "previousStatus": previous,
            **times,
            **seat_event_data(seat),
            "seatOnly": bool(remaining),
        },
    )
    await record(
        session,
        target,
        "created",
        actor=rescheduled_by,
        data={
            "fromUid": old.uid,
            "start": start.isoformat(),
            "end": end.isoformat(),
            **seat_event_data(seat),
        },
    )
    everyone = (await repository.attendees_by_booking(session, [target.id]))[target.id]
    return render(
        target,
        organizer,
        event_type,
        everyone,
        viewer=caller,
        seat_uid=seat.seat_uid,
        echo_seat=True,
    )
