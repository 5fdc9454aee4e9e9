"""Reading bookings: one booking by uid, and the authenticated host's filtered, paginated list.

A single booking costs two queries (booking + host + event type joined; attendees); a page of
the list costs three (count; page joined with hosts and event types; attendees of the page).
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import queries
from slotwise.bookings.output import booking_output
from slotwise.bookings.queries import LoadedBooking
from slotwise.bookings.schemas import ListBookingsQuery
from slotwise.models import User, utcnow


async def output_for(session: AsyncSession, loaded: LoadedBooking) -> dict[str, Any]:
    """``BookingOutput_2024_08_13`` of a loaded booking (one query for its attendees)."""
    attendees = await queries.attendees_by_booking(session, [loaded.booking.id])
    return booking_output(loaded.booking, loaded.host, loaded.slug, attendees[loaded.booking.id])


async def get_booking(session: AsyncSession, uid: str) -> dict[str, Any]:
    """``BookingOutput_2024_08_13`` of booking ``uid``; 404 "Booking with uid=X not found"."""
    return await output_for(session, await queries.load_booking(session, uid))


def pagination(total: int, skip: int, take: int, returned: int) -> dict[str, Any]:
    """Cal.com's ``PaginationMetaDto`` for an offset page (``currentPage`` counts from 1)."""
    return {
        "totalItems": total,
        "remainingItems": max(0, total - skip - returned),
        "returnedItems": returned,
        "itemsPerPage": take,
        "currentPage": skip // take + 1,
        "totalPages": math.ceil(total / take) if total else 0,
        "hasNextPage": skip + returned < total,
        "hasPreviousPage": skip > 0,
    }


async def list_bookings(
    session: AsyncSession, user: User, query: ListBookingsQuery
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The bookings ``user`` organises or attends, filtered, sorted and paginated as asked:
    ``(data, pagination)``. Default order: start ascending."""
    loaded, total = await queries.list_bookings(session, user, query, utcnow())
    attendees = await queries.attendees_by_booking(session, [lb.booking.id for lb in loaded])
    data = [booking_output(lb.booking, lb.host, lb.slug, attendees[lb.booking.id]) for lb in loaded]
    return data, pagination(total, query.skip, query.page_size(), len(data))
