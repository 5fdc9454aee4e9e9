"""Loading a booking for the operations that need an API key, through the booking policy
(``slotwise.policy.bookings``): a booking the caller may not act on is missing (404 "Booking with
uid=X not found"). ``hosted``: the organizer only; ``participant``: organizer or attendee.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import queries
from slotwise.bookings.queries import LoadedBooking
from slotwise.kit.db import lock_hosts
from slotwise.models import User
from slotwise.policy.bookings import is_organizer, is_participant


async def hosted(session: AsyncSession, uid: str, user: User, *, lock: bool) -> LoadedBooking:
    """Booking ``uid`` when ``user`` is its host, else 404. ``lock``: take the host's lock and
    re-read the booking first (for writes, so concurrent changes serialise)."""
    loaded = await queries.load_booking(session, uid)
    if not is_organizer(user, loaded.booking):
        raise queries.not_found(uid)
    if lock:
        await lock_hosts(session, [loaded.host.id])
        await queries.reload(session, loaded.booking)
    return loaded


async def participant(session: AsyncSession, uid: str, user: User, *, lock: bool) -> LoadedBooking:
    """Booking ``uid`` when ``user`` is its host or one of its attendees, else 404; ``lock`` as
    in :func:`hosted`."""
    loaded = await queries.load_booking(session, uid)
    booking = loaded.booking
    if not await is_participant(session, booking, user):
        raise queries.not_found(uid)
    if lock:
        await lock_hosts(session, [loaded.host.id])
        await queries.reload(session, booking)
    return loaded
