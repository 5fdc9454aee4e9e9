"""Who may act on a booking, for the operations that need an API key.

Objects the caller may not see are reported as missing (404 "Booking with uid=X not found"), as
everywhere in Slotwise: the host (organizer) may do everything; an attendee (a user whose email
is among the booking's attendees) may read attendees and add attendees and guests, as Cal.com's
booking guard allows.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import queries
from slotwise.bookings.queries import LoadedBooking
from slotwise.kit.db import lock_hosts
from slotwise.models import Attendee, Booking, User


async def hosted(session: AsyncSession, uid: str, user: User, *, lock: bool) -> LoadedBooking:
    """Booking ``uid`` when ``user`` is its host, else 404. ``lock``: take the host's lock and
    re-read the booking first (for writes, so concurrent changes serialise)."""
    loaded = await queries.load_booking(session, uid)
    if loaded.booking.user_id != user.id:
        raise queries.not_found(uid)
    if lock:
        await lock_hosts(session, [loaded.host.id])
        await queries.reload(session, loaded.booking)
    return loaded


async def is_attendee(session: AsyncSession, booking: Booking, user: User) -> bool:
    """True when ``user``'s email is one of ``booking``'s attendees (case-insensitive)."""
    found = await session.scalar(
        select(Attendee.id)
        .where(
            Attendee.booking_id == booking.id,
            func.lower(Attendee.email) == user.email.lower(),
        )
        .limit(1)
    )
    return found is not None


async def participant(session: AsyncSession, uid: str, user: User, *, lock: bool) -> LoadedBooking:
    """Booking ``uid`` when ``user`` is its host or one of its attendees, else 404; ``lock`` as
    in :func:`hosted`."""
    loaded = await queries.load_booking(session, uid)
    booking = loaded.booking
    if booking.user_id != user.id and not await is_attendee(session, booking, user):
        raise queries.not_found(uid)
    if lock:
        await lock_hosts(session, [loaded.host.id])
        await queries.reload(session, booking)
    return loaded
