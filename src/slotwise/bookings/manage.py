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

from slotwise.availability.checks import confirm_conflict
from slotwise.bookings import queries, recurring, seats
from slotwise.bookings.cancelling import cancel_reason, mark_cancelled, refuse_closed
from slotwise.bookings.fields import check_reschedule_reason
from slotwise.bookings.lifecycle import record
from slotwise.bookings.output import is_seated, render
from slotwise.bookings.queries import LoadedBooking
from slotwise.bookings.rules import ensure_bookable, new_uid, requires_confirmation
from slotwise.bookings.schemas import (
    CancelBookingInput,
    DeclineBookingInput,
    RescheduleBookingInput,
)
from slotwise.bookings.views import output_for, outputs_for
from slotwise.event_types.settings import EventTypeSettings, settings_of
from slotwise.kit import clock
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized
from slotwise.models import Attendee, Booking, User
from slotwise.policy.bookings import acts_as_organizer, check_may_confirm, is_organizer


async def _locked(session: AsyncSession, uid: str) -> LoadedBooking:
    loaded = await queries.load_booking(session, uid)
    await lock_hosts(session, [loaded.host.id])
    await queries.reload(session, loaded.booking)
    return loaded


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

    400 with Cal.com's messages: already cancelled, ``disableCancelling``, the host cancelling
    without a reason, a seat that does not exist or belongs to another booking,
    ``cancelSubsequentBookings`` with a series uid or on a booking outside a series. A
    rejected booking cannot be cancelled (400). 401 "User not a host of this event": a seated
    booking cancelled as a whole by anyone but its host. 404: unknown uid.
    """
    try:
        loaded = await _locked(session, uid)
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
        series = await queries.load_series(session, booking.recurring_booking_uid)
        await recurring.cancel_series(
            session, series, from_start=booking.start_time, body=body, caller=caller
        )
        return await outputs_for(session, series, viewer=caller)
    refuse_closed(booking)
    attendees = (await queries.attendees_by_booking(session, [booking.id]))[booking.id]
    host_caller = is_organizer(caller, booking)
    if is_seated(loaded.event_type, attendees) and not host_caller:
        raise Unauthorized("User not a host of this event")
    reason = cancel_reason(loaded.event_type, booking.user_id, body, caller)
    await mark_cancelled(session, booking, reason=reason, caller=caller, now=clock.now())
    return await output_for(session, loaded, viewer=caller)


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
    by_host: bool,
    now: datetime,
) -> None:
    """Refuse a reschedule of ``booking`` that Cal.com refuses (400).

    Moved already (cancelled with ``rescheduledToUid``) and rejected bookings never move. A
    cancelled booking moves only when the host asked the attendee to reschedule it
    (``reopened``) or the event type sets ``allowReschedulingCancelledBookings``. A booking that
    has ended moves only with ``allowReschedulingPastBookings`` or by the host.
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
    past_ok = by_host or settings.rescheduling.allow_past
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
    host (authenticated with their API key) is auto-confirmed.
    400: a booking :func:`_check_reschedulable` refuses (cancelled unless the host requested a
    reschedule or ``allowReschedulingCancelledBookings``; rejected; ended unless
    ``allowReschedulingPastBookings`` or the host), deleted event type,
    ``disableRescheduling`` (unless the host's API key is used), or a time that cannot be
    booked; 403: within ``disableRescheduling.minutesBefore`` of the old start; 409: reserved by
    someone else.

    Seated bookings: with ``seatUid`` only that seat moves (:func:`.seats.move_seat`; 400 for
    an unknown seat or one of another booking; 409 when the target is full or the attendee is
    seated there already) and the response is ``CreateSeatedBookingOutput_2024_08_13``;
    without it only the host may move the whole booking (its seats move with it), else 400.
    """
    loaded = await _locked(session, uid)
    old, host, event_type = loaded.booking, loaded.host, loaded.event_type
    seat = await seats.seat_of(session, old, body.seatUid) if body.seatUid else None
    now = clock.now()
    # Only the host's own API key proves the host is rescheduling: a ``rescheduledBy`` email
    # alone is not trusted (Cal.com trusts it; an attendee could skip confirmation with it).
    by_host = acts_as_organizer(caller, host.id)
    reopened = old.status == "cancelled" and await queries.reschedule_requested(session, old)
    _check_reschedulable(old, settings_of(event_type), reopened=reopened, by_host=by_host, now=now)
    if event_type is None:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because its event type no longer exists."
        )
    reason = (body.reschedulingReason or "").strip() or None
    if not by_host:
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
    old_attendees = (await queries.attendees_by_booking(session, [old.id]))[old.id]
    seated = is_seated(event_type, old_attendees)
    if seated and not by_host:
        raise BadRequest(
            f"Booking with uid={uid} is a seated booking: pass the 'seatUid' of the seat to "
            "reschedule (only the host can move the whole booking)."
        )
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
    new = Booking(
        uid=new_uid(),
        user_id=old.user_id,
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
    return render(new, host, event_type, people, viewer=caller)


async def _host_pending(session: AsyncSession, uid: str, user: User, verb: str) -> LoadedBooking:
    loaded = await _locked(session, uid)
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
    occurrence of that series (same host), by start; for :func:`confirm_booking` and
    :func:`decline_booking`, which act on the whole series as Cal.com does."""
    if not booking.recurring_booking_uid:
        return [booking]
    series = await queries.load_series(session, booking.recurring_booking_uid)
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
    """Accept a pending booking of ``user`` (its host) and return it.

    An occurrence of a recurring series confirms every pending occurrence of the series, as
    Cal.com does. Unlike Cal.com (issues #10789, #29958), confirming never double-books: under
    the host lock, another accepted booking overlapping any of them (buffers included) → 409
    ConflictException and nothing changes. 403 for someone else's booking; 400 "Booking already
    confirmed"; 400 when not pending.
    """
    loaded = await _host_pending(session, uid, user, "confirm")
    bookings = await _pending_series(session, loaded.booking)
    for booking in bookings:
        if await confirm_conflict(session, booking, loaded.host):
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
    """Reject a pending booking of ``user`` (its host), storing the reason; returns it.

    An occurrence of a recurring series declines every pending occurrence of the series.

    The iCalendar SEQUENCE grows by one, so the declined email's ``METHOD:CANCEL`` supersedes
    the tentative invite sent with the request (RFC 5546 §2.1.4).
    403 for someone else's booking; 400 "Booking already confirmed"; 400 when not pending.
    """
    loaded = await _host_pending(session, uid, user, "decline")
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
