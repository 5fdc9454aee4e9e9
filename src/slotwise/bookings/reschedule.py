"""Rescheduling a booking (POST /v2/bookings/{uid}/reschedule, cal-semantics §5.14): a new
booking replaces the old one, which is cancelled with ``rescheduledToUid``; a seat moves alone
(:mod:`.seats`).

The booking is loaded under its host's lock and re-read, the new time checked like a create
(:mod:`.bookable`), and both changes recorded through :mod:`slotwise.bookings.history`.
Flushes; the request's session commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository, seats
from slotwise.bookings.access import locked
from slotwise.bookings.bookable import ensure_bookable, requires_confirmation
from slotwise.bookings.drafts import new_uid
from slotwise.bookings.fields import check_reschedule_reason
from slotwise.bookings.history import record
from slotwise.bookings.output import is_seated, moved_seated_output, render
from slotwise.bookings.schemas import RescheduleBookingInput
from slotwise.event_types.settings import EventTypeSettings, settings_of
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest, Forbidden
from slotwise.models import Attendee, Booking, BookingHost, User
from slotwise.policy.bookings import acts_as_organizer


def _check_reschedule_allowed(settings: EventTypeSettings, booking: Booking, now: datetime) -> None:
    """``disableRescheduling``: always (400), or within ``minutesBefore`` of the start (403)."""
    rescheduling = settings.rescheduling
    if rescheduling.disabled:
        raise BadRequest("This event type does not allow rescheduling")
    minutes = rescheduling.minutes_before
    if minutes and booking.start_time - now < timedelta(minutes=minutes):
        raise Forbidden(
            "Rescheduling is not allowed within the minimum notice period before the event"
        )


def _check_reschedulable(
    booking: Booking,
    settings: EventTypeSettings,
    *,
    reopened: bool,
    by_organizer: bool,
    now: datetime,
) -> None:
    """Refuse a reschedule of ``booking`` that Cal.com refuses (400).

    Moved already (cancelled with ``rescheduledToUid``) and rejected bookings never move. A
    cancelled booking moves only when the organizer asked the attendee to reschedule it
    (``reopened``) or the event type sets ``allowReschedulingCancelledBookings``. A booking that
    has ended moves only with ``allowReschedulingPastBookings`` or by the organizer.
    """
    uid = booking.uid
    if booking.status == "cancelled" and booking.rescheduled_to_uid:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been cancelled and "
            f"rescheduled already to booking with uid={booking.rescheduled_to_uid}. You probably "
            f"want to reschedule {booking.rescheduled_to_uid} instead by passing it within the "
            "request URL."
        )
    cancelled_ok = reopened or settings.rescheduling.allow_cancelled
    if booking.status == "cancelled" and not cancelled_ok:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been cancelled. Please "
            "provide uid of a booking that is not cancelled."
        )
    if booking.status == "rejected":
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been rejected by the host. "
            "Please create a new booking instead."
        )
    past_ok = by_organizer or settings.rescheduling.allow_past
    if booking.end_time <= now and not past_ok:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has already ended and the "
            "event type does not allow rescheduling past bookings "
            "(allowReschedulingPastBookings). Please create a new booking instead."
        )


async def reschedule_booking(
    session: AsyncSession, uid: str, body: RescheduleBookingInput, *, caller: User | None
) -> dict[str, Any]:
    """Move booking ``uid`` to ``body.start``: a new booking (new uid, same attendees, same
    duration) replaces it, and the old one is cancelled with ``rescheduledToUid``. Returns the
    new booking.

    The new time is validated like a create, ignoring the old booking's own busy time. Status:
    a pending booking stays pending; otherwise the confirmation policy applies, except that the
    organizer (authenticated with their API key) is auto-confirmed.
    400: a booking :func:`_check_reschedulable` refuses (cancelled unless the organizer requested a
    reschedule or ``allowReschedulingCancelledBookings``; rejected; ended unless
    ``allowReschedulingPastBookings`` or the organizer), deleted event type,
    ``disableRescheduling`` (unless the organizer's API key is used), or a time that cannot be
    booked; 403: within ``disableRescheduling.minutesBefore`` of the old start; 409: reserved by
    someone else.

    Seated bookings: with ``seatUid`` only that seat moves (:func:`.seats.move_seat`; 400 for
    an unknown seat or one of another booking; 409 when the target is full or the attendee is
    seated there already) and the response is ``CreateSeatedBookingOutput_2024_08_13``;
    without it only the organizer may move the whole booking (its seats move with it), else 400.
    """
    loaded = await locked(session, uid)
    old, organizer, event_type = loaded.booking, loaded.organizer, loaded.event_type
    seat = await seats.seat_of(session, old, body.seatUid) if body.seatUid else None
    now = clock.now()
    # Only the organizer's own API key proves the organizer is rescheduling: a ``rescheduledBy``
    # email alone is not trusted (Cal.com trusts it; an attendee could skip confirmation with it).
    by_organizer = acts_as_organizer(caller, organizer.id)
    reopened = old.status == "cancelled" and await repository.reschedule_requested(session, old)
    _check_reschedulable(
        old, settings_of(event_type), reopened=reopened, by_organizer=by_organizer, now=now
    )
    if event_type is None:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because its event type no longer exists."
        )
    reason = (body.reschedulingReason or "").strip() or None
    if not by_organizer:
        _check_reschedule_allowed(settings_of(event_type), old, now)
        check_reschedule_reason(event_type, reason)
    start = body.start
    end = start + (old.end_time - old.start_time)
    rescheduled_by = str(body.rescheduledBy) if body.rescheduledBy else None
    if rescheduled_by is None and caller is not None:
        rescheduled_by = caller.email
    if seat is not None:
        return await seats.move_seat(
            session, loaded, seat, start=start, reason=reason, rescheduled_by=rescheduled_by,
            caller=caller,
        )  # fmt: skip
    old_attendees = (await repository.attendees_by_booking(session, [old.id]))[old.id]
    seated = is_seated(event_type, old_attendees)
    if seated and not by_organizer:
        raise BadRequest(
            f"Booking with uid={uid} is a seated booking: pass the 'seatUid' of the seat to "
            "reschedule (only the host can move the whole booking)."
        )
    assigned = await ensure_bookable(
        session, event_type, organizer, start=start, end=end, now=now, exclude_booking_uid=old.uid,
        booker_tz=old_attendees[0].time_zone if old_attendees else None,
    )  # fmt: skip
    organizer = assigned.organizer  # the same one unless a round-robin host is no longer free
    if old.status == "pending":
        status = "pending"
    elif by_organizer or not requires_confirmation(event_type, start, now):
        status = "accepted"
    else:
        status = "pending"
    new = Booking(
        uid=new_uid(),
        user_id=organizer.id,
        event_type_id=old.event_type_id,
        title=old.title,
        description=old.description,
        status=status,
        start_time=start,
        end_time=end,
        before_buffer=settings_of(event_type).buffers.before,
        after_buffer=settings_of(event_type).buffers.after,
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
    session.add_all(BookingHost(booking_id=new.id, user_id=u.id) for u in assigned.hosts)
    if seated:  # the seats (unique uids, their own data) move with the booking
        for a in old_attendees:
            a.booking_id = new.id
        people = old_attendees
    else:
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
    old.status = "cancelled"  # already so when a cancelled booking is booked again
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
    if seated:  # only the organizer moves a whole seated booking, and sees every seat
        return moved_seated_output(new, organizer, event_type.slug, people)
    return render(new, organizer, event_type, people, viewer=caller)
