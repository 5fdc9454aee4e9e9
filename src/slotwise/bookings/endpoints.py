"""HTTP endpoints of /v2/bookings for ``cal-api-version: 2024-08-13`` (HTTP only; rules live in
create.py, manage.py and views.py).

Public (an API key is optional): create, get one, cancel, reschedule. Host only (API key
required): list, confirm, decline.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from slotwise.bookings import create, manage, views
from slotwise.bookings.schemas import (
    CancelBookingInput,
    CreateBookingInput,
    DeclineBookingInput,
    ListBookingsQuery,
    RescheduleBookingInput,
)
from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser, MaybeUser
from slotwise.kit.schemas import ParamText
from slotwise.kit.session import DbSession
from slotwise.kit.versioning import BOOKINGS, versioned_router

router = versioned_router(BOOKINGS, tags=["Bookings"])


@router.post("/v2/bookings", status_code=201, summary="Create a booking")
async def create_booking(
    body: CreateBookingInput, session: DbSession, caller: MaybeUser
) -> dict[str, Any]:
    """Book an individual user's event type at ``start`` (UTC); 201 with the booking (a seat
    of a seated event type; the list of occurrences of a recurring one)."""
    return ok(await create.create(session, body, caller=caller))


@router.get("/v2/bookings", summary="Get all bookings")
async def list_bookings(
    query: Annotated[ListBookingsQuery, Query()], session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """The authenticated user's bookings, filtered and paginated (``pagination`` meta)."""
    data, page = await views.list_bookings(session, user, query)
    return ok(data, pagination=page)


@router.get("/v2/bookings/by-seat/{seatUid}", summary="Get a booking by seat uid")
async def get_booking_by_seat(
    seatUid: ParamText, session: DbSession, caller: MaybeUser
) -> dict[str, Any]:
    """The seated booking holding seat ``seatUid`` (public, as in Cal.com; other seats shown
    only to the host or when the event type sets ``showAttendeeInfo``)."""
    return ok(await views.get_by_seat(session, seatUid, caller))


@router.get("/v2/bookings/{bookingUid}", summary="Get a booking")
async def get_booking(
    bookingUid: ParamText, session: DbSession, caller: MaybeUser
) -> dict[str, Any]:
    """One booking by uid, or every occurrence of a recurring series by its recurring uid
    (public, as in Cal.com)."""
    return ok(await views.get_booking_or_series(session, bookingUid, caller))


@router.post("/v2/bookings/{bookingUid}/cancel", summary="Cancel a booking")
async def cancel_booking(
    bookingUid: ParamText,
    session: DbSession,
    caller: MaybeUser,
    body: CancelBookingInput | None = None,
) -> dict[str, Any]:
    """Cancel an accepted or pending booking, one seat (``seatUid``) or a recurring series
    (its uid, or ``cancelSubsequentBookings``); returns the booking or the series."""
    return ok(await manage.cancel(session, bookingUid, body or CancelBookingInput(), caller=caller))


@router.post(
    "/v2/bookings/{bookingUid}/reschedule", status_code=201, summary="Reschedule a booking"
)
async def reschedule_booking(
    bookingUid: ParamText, body: RescheduleBookingInput, session: DbSession, caller: MaybeUser
) -> dict[str, Any]:
    """Move a booking to a new start; 201 with the new booking."""
    return ok(await manage.reschedule_booking(session, bookingUid, body, caller=caller))


@router.post("/v2/bookings/{bookingUid}/confirm", summary="Confirm a booking")
async def confirm_booking(
    bookingUid: ParamText, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Accept a pending booking (its host only)."""
    return ok(await manage.confirm_booking(session, bookingUid, user))


@router.post("/v2/bookings/{bookingUid}/decline", summary="Decline a booking")
async def decline_booking(
    bookingUid: ParamText,
    session: DbSession,
    user: CurrentUser,
    body: DeclineBookingInput | None = None,
) -> dict[str, Any]:
    """Reject a pending booking (its host only), with an optional reason."""
    return ok(
        await manage.decline_booking(session, bookingUid, body or DeclineBookingInput(), user)
    )
