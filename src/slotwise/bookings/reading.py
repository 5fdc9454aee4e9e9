"""Reading bookings: one booking by uid, and the bookings the caller organizes or attends
(filtered, paginated).

A single booking costs two queries (booking + organizer + event type joined; attendees); a page of
the list costs three (count; page joined with organizers and event types; attendees of the page).
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.output import render
from slotwise.bookings.repository import LoadedBooking
from slotwise.bookings.schemas import ListBookingsQuery
from slotwise.kit import clock
from slotwise.kit.errors import NotFound
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import User
from slotwise.policy.teams import require_team_role


async def output_for(
    session: AsyncSession,
    loaded: LoadedBooking,
    *,
    viewer: User | None = None,
    seat_uid: str | None = None,
) -> dict[str, Any]:
    """The output of a loaded booking (one query for its attendees): see
    :func:`~slotwise.bookings.output.render` (``viewer``/``seat_uid`` decide which seats of a
    seated booking are shown)."""
    attendees = await repository.attendees_by_booking(session, [loaded.booking.id])
    return render(
        loaded.booking,
        loaded.organizer,
        loaded.event_type,
        attendees[loaded.booking.id],
        viewer=viewer,
        seat_uid=seat_uid,
    )


async def get_booking(
    session: AsyncSession, uid: str, viewer: User | None = None
) -> dict[str, Any]:
    """The output of booking ``uid`` (seats shown as :func:`output_for` decides); 404
    "Booking with uid=X not found"."""
    return await output_for(session, await repository.load_booking(session, uid), viewer=viewer)


async def get_booking_or_series(
    session: AsyncSession, uid: str, viewer: User | None = None
) -> dict[str, Any] | list[dict[str, Any]]:
    """GET /v2/bookings/{uid}: booking ``uid``, or every occurrence of the recurring series
    ``uid`` (a list ordered by start, as Cal.com); 404 "Booking with uid=X not found" when
    neither exists."""
    try:
        loaded = await repository.load_booking(session, uid)
    except NotFound:
        series = await repository.load_series(session, uid)
        if not series:
            raise
        return await outputs_for(session, series, viewer=viewer)
    return await output_for(session, loaded, viewer=viewer)


async def outputs_for(
    session: AsyncSession, loaded: list[LoadedBooking], *, viewer: User | None
) -> list[dict[str, Any]]:
    """Outputs of several loaded bookings, in the given order (one query for attendees)."""
    attendees = await repository.attendees_by_booking(session, [lb.booking.id for lb in loaded])
    return [
        render(lb.booking, lb.organizer, lb.event_type, attendees[lb.booking.id], viewer=viewer)
        for lb in loaded
    ]


async def get_by_seat(session: AsyncSession, seat_uid: str, viewer: User | None) -> dict[str, Any]:
    """The seated booking holding seat ``seat_uid`` (GET /v2/bookings/by-seat/{seatUid}).

    Shows every seat to the organizer or when the event type sets ``showAttendeeInfo``; otherwise
    only this seat. 404 "Booking with seatUid=X not found" for an unknown seat.
    """
    loaded = await repository.load_by_seat(session, seat_uid)
    return await output_for(session, loaded, viewer=viewer, seat_uid=seat_uid)


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
    loaded, total = await repository.list_bookings(session, user, query, clock.now())
    data = await outputs_for(session, loaded, viewer=user)
    return data, pagination(total, query.skip, query.page_size(), len(data))


async def list_team_bookings(
    session: AsyncSession, actor: Actor, team_id: int, query: ListBookingsQuery
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """GET /v2/teams/{teamId}/bookings: the bookings of the team's event types, with the
    filters, order and pagination of :func:`list_bookings`. Cal.com's guard: TEAM_ADMIN (403
    "RolesGuard - …" for a non-member, a missing team or a lower role)."""
    await require_team_role(session, actor, team_id, "TEAM_ADMIN")
    principal = principal_of(actor)
    assert principal is not None
    user = principal.user
    loaded, total = await repository.list_bookings(
        session, user, query, clock.now(), scope=repository.team_bookings([team_id])
    )
    data = await outputs_for(session, loaded, viewer=user)
    return data, pagination(total, query.skip, query.page_size(), len(data))
