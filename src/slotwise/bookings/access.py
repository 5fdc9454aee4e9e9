"""Loading a booking for an operation that changes it.

``locked``: any booking by uid (cancel, reschedule, confirm and decline decide who may act).
For the operations that need an API key, through the booking policy (``slotwise.policy.bookings``):
a booking the caller may not act on is missing (404 "Booking with uid=X not found").
``organized``: the organizer only; ``participant``: organizer or attendee. ``check_status``: the
400 for a booking whose status does not allow the operation.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.repository import LoadedBooking
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest
from slotwise.models import Booking, User
from slotwise.policy.bookings import is_organizer, is_participant


async def locked(session: AsyncSession, uid: str) -> LoadedBooking:
    """Booking ``uid`` (404 "Booking with uid=X not found"), re-read under its hosts' locks
    (:func:`.repository.lock_ids`, one sorted call) so concurrent changes serialise."""
    loaded = await repository.load_booking(session, uid)
    await lock_hosts(session, await repository.lock_ids(session, loaded.booking))
    await repository.reload(session, loaded.booking)
    return loaded


async def organized(session: AsyncSession, uid: str, user: User, *, lock: bool) -> LoadedBooking:
    """Booking ``uid`` when ``user`` is its organizer, else 404. ``lock``: take the host lock and
    re-read the booking first (for writes, so concurrent changes serialise)."""
    loaded = await repository.load_booking(session, uid)
    if not is_organizer(user, loaded.booking):
        raise repository.not_found(uid)
    if lock:
        await lock_hosts(session, await repository.lock_ids(session, loaded.booking))
        await repository.reload(session, loaded.booking)
    return loaded


async def participant(session: AsyncSession, uid: str, user: User, *, lock: bool) -> LoadedBooking:
    """Booking ``uid`` when ``user`` is its organizer or one of its attendees, else 404; ``lock`` as
    in :func:`organized`."""
    loaded = await repository.load_booking(session, uid)
    booking = loaded.booking
    if not await is_participant(session, booking, user):
        raise repository.not_found(uid)
    if lock:
        await lock_hosts(session, await repository.lock_ids(session, booking))
        await repository.reload(session, booking)
    return loaded


def check_status(booking: Booking, allowed: tuple[str, ...], what: str) -> None:
    """400 "Booking with uid=X is {status}: {what} is only possible for …" unless ``booking``'s
    status is one of ``allowed``."""
    if booking.status not in allowed:
        raise BadRequest(
            f"Booking with uid={booking.uid} is {booking.status}: {what} is only possible for "
            + " or ".join(allowed)
            + " bookings."
        )
