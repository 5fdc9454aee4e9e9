"""Create a booking (POST /v2/bookings), in the request's one transaction.

:func:`.drafts.prepare` validates the request (event type, authentication, length, guests,
booking fields, location); the event type then picks the flow: recurring
(:mod:`.recurring`), seated (:mod:`.seats`) or regular. A regular booking locks the host and
validates the time (reservations → 409; past, notice/window, limits, availability → 400), takes
its status from the confirmation policy, inserts the booking and its attendees, consumes the
caller's reservation and records ``created`` or ``requested``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.bookable import (
    ensure_bookable,
    lock_event_type_hosts,
    requires_confirmation,
)
from slotwise.bookings.booker_limit import ensure_under_booker_limit
from slotwise.bookings.drafts import insert_booking, prepare
from slotwise.bookings.history import record
from slotwise.bookings.output import booking_output
from slotwise.bookings.recurring import create_series
from slotwise.bookings.schemas import CreateBookingInput
from slotwise.bookings.seats import take_seat
from slotwise.event_types.private_links import use_private_link
from slotwise.event_types.settings import settings_of
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest
from slotwise.models import User


async def create_booking(
    session: AsyncSession, body: CreateBookingInput, *, caller: User | None
) -> dict[str, Any]:
    """:func:`create` for callers that show one booking (the booking pages): a recurring
    series is created whole and its first occurrence returned."""
    result = await create(session, body, caller=caller)
    return result[0] if isinstance(result, list) else result


async def create(
    session: AsyncSession, body: CreateBookingInput, *, caller: User | None
) -> dict[str, Any] | list[dict[str, Any]]:
    """Create a booking and return its ``BookingOutput_2024_08_13``; a recurring event type
    gets the whole series (a list, see :mod:`.recurring`), a seated one a seat (see
    :mod:`.seats`).

    Raises NotFound (event type), Unauthorized/Forbidden (``bookingRequiresAuthentication``),
    BadRequest (input, time or availability, the booker's active-bookings limit
    (:mod:`.booker_limit`), with Cal.com's messages) and Conflict (slot
    reserved by another booker; seats full or already taken by the booker). Flushes; the
    request's session commits.
    """
    draft = await prepare(session, body, caller=caller)
    if body.privateLinkId is not None:  # counts one use, in this transaction (extension)
        await use_private_link(session, body.privateLinkId, draft.event_type.id, clock.now())
    # every host's lock, in one call; the booker limit is checked under it
    members = await lock_event_type_hosts(session, draft.event_type, draft.organizer, draft.hosts)
    await ensure_under_booker_limit(session, draft.event_type, draft.booker_email, clock.now())
    settings = settings_of(draft.event_type)
    if settings.recurrence.enabled:
        return await create_series(session, draft, caller=caller)
    if settings.seats.enabled:
        return await take_seat(session, draft, caller=caller)
    if body.recurrenceCount is not None:
        raise BadRequest(
            f"Event type with id={draft.event_type.id} is not a recurring event type: remove "
            "'recurrenceCount' from the request."
        )
    now = clock.now()
    event_type, organizer, attendee = draft.event_type, draft.organizer, body.attendee
    start = body.start
    end = start + timedelta(minutes=draft.length)
    assigned = await ensure_bookable(
        session, event_type, organizer, start=start, end=end, now=now,
        reservation_uid=body.reservationUid, booker_tz=attendee.timeZone,
        keep_organizer=event_type.team_id is None, members=members,
    )  # fmt: skip
    organizer = assigned.organizer
    pending = requires_confirmation(event_type, start, now)
    booking, people = await insert_booking(
        session,
        replace(draft, organizer=organizer),
        start=start,
        status="pending" if pending else "accepted",
        now=now,
        hosts=assigned.hosts,
        explanation=assigned.explanation,
    )
    if body.reservationUid:
        await repository.consume_reservation(session, body.reservationUid, event_type.id)
    await record(
        session,
        booking,
        "requested" if pending else "created",
        actor=str(attendee.email),
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    return booking_output(booking, organizer, event_type.slug, people)
