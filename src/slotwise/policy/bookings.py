"""Bookings: the organizer may do everything; a participant (the organizer, or a user whose
email is among the attendees, case-insensitive) may read the booking's attendees, references and
calendar links and add attendees and guests, as Cal.com's booking guard allows. Lists show the
bookings the caller organizes or attends.

A booking the caller may not see is missing (404 "Booking with uid=X not found", raised by the
loaders in ``bookings/access.py``); confirming or declining someone else's booking is 403. Reading
one booking, its seat, cancelling and rescheduling by uid need no key (Cal.com's semantics: the
uid is the secret).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import Forbidden
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import Attendee, Booking


def is_organizer(actor: Actor | None, booking: Booking) -> bool:
    """True when ``actor`` is ``booking``'s organizer."""
    return acts_as_organizer(actor, booking.user_id)


def acts_as_organizer(actor: Actor | None, organizer_id: int) -> bool:
    """True when ``actor`` is the organizer ``organizer_id`` (for code holding only the id)."""
    principal = principal_of(actor)
    return principal is not None and principal.is_user(organizer_id)


async def is_attendee(session: AsyncSession, booking: Booking, actor: Actor) -> bool:
    """True when ``actor``'s email is one of ``booking``'s attendees (case-insensitive)."""
    principal = principal_of(actor)
    assert principal is not None
    found = await session.scalar(
        select(Attendee.id)
        .where(
            Attendee.booking_id == booking.id,
            func.lower(Attendee.email) == principal.user.email.lower(),
        )
        .limit(1)
    )
    return found is not None


async def is_participant(session: AsyncSession, booking: Booking, actor: Actor) -> bool:
    """True when ``actor`` organizes or attends ``booking``."""
    return is_organizer(actor, booking) or await is_attendee(session, booking, actor)


def readable_bookings(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause selecting the bookings ``actor`` may list: organized or attended."""
    principal = principal_of(actor)
    assert principal is not None
    attendee_of = select(Attendee.booking_id).where(
        func.lower(Attendee.email) == principal.user.email.lower()
    )
    return or_(Booking.user_id == principal.user_id, Booking.id.in_(attendee_of))


def check_may_confirm(actor: Actor, booking: Booking, verb: str) -> None:
    """403 "User is not authorized to {verb} this booking" unless ``actor`` is the organizer
    (``verb``: confirm or decline)."""
    if not is_organizer(actor, booking):
        raise Forbidden(f"User is not authorized to {verb} this booking")
