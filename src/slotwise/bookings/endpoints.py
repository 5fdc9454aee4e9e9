"""HTTP endpoints of /v2/bookings for ``cal-api-version: 2024-08-13`` (HTTP only; the rules live
in the use-case modules: create, reading, cancel, reschedule, confirm, no_show, location,
request_reschedule, attendees, calendar_links).

Public (an API key is optional): create, get one, get by seat, cancel, reschedule. Organizer
only (API key required): list, confirm, decline, mark-absent, PATCH location,
request-reschedule. Organizer or attendee: attendees, guests, references, calendar-links. A
booking the caller may not see is a 404. ``cursor_router``: GET /v2/bookings for
``cal-api-version: 2026-05-01`` (cursor pages).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from slotwise.bookings import (
    attendees,
    cancel,
    confirm,
    create,
    location,
    no_show,
    reading,
    reassign,
    reschedule,
)
from slotwise.bookings import request_reschedule as reschedule_request  # the endpoint's name
from slotwise.bookings.calendar_links import booking_calendar_links
from slotwise.bookings.cursor_list import (
    CURSOR_VERSION,
    CursorBookingsQuery,
    list_bookings_cursor,
)
from slotwise.bookings.location_schemas import UpdateLocationInput
from slotwise.bookings.schemas import (
    AddAttendeeInput,
    AddGuestsInput,
    CancelBookingInput,
    CreateBookingInput,
    DeclineBookingInput,
    ListBookingsQuery,
    MarkAbsentInput,
    ReassignToUserInput,
    RequestRescheduleInput,
    RescheduleBookingInput,
)
from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentPrincipal, CurrentUser, MaybeUser
from slotwise.kit.schemas import IdParam, ParamText
from slotwise.kit.session import DbSession
from slotwise.kit.versioning import BOOKINGS, versioned_router

router = versioned_router(BOOKINGS, tags=["Bookings"])
cursor_router = versioned_router(CURSOR_VERSION, tags=["Bookings"])
team_router = APIRouter(tags=["Teams / Bookings"])
"""GET /v2/teams/{teamId}/bookings: any ``cal-api-version`` (Cal.com's API_VERSIONS_VALUES)."""

ReferenceType = Literal[
    "google_calendar",
    "office365_calendar",
    "daily_video",
    "google_video",
    "office365_video",
    "zoom_video",
]


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
    data, page = await reading.list_bookings(session, user, query)
    return ok(data, pagination=page)


@router.get("/v2/bookings/by-seat/{seatUid}", summary="Get a booking by seat uid")
async def get_booking_by_seat(
    seatUid: ParamText, session: DbSession, caller: MaybeUser
) -> dict[str, Any]:
    """The seated booking holding seat ``seatUid`` (public, as in Cal.com; other seats shown
    only to the organizer or when the event type sets ``showAttendeeInfo``)."""
    return ok(await reading.get_by_seat(session, seatUid, caller))


@router.get("/v2/bookings/{bookingUid}", summary="Get a booking")
async def get_booking(
    bookingUid: ParamText, session: DbSession, caller: MaybeUser
) -> dict[str, Any]:
    """One booking by uid, or every occurrence of a recurring series by its recurring uid
    (public, as in Cal.com)."""
    return ok(await reading.get_booking_or_series(session, bookingUid, caller))


@router.post("/v2/bookings/{bookingUid}/cancel", summary="Cancel a booking")
async def cancel_booking(
    bookingUid: ParamText,
    session: DbSession,
    caller: MaybeUser,
    body: CancelBookingInput | None = None,
) -> dict[str, Any]:
    """Cancel an accepted or pending booking, one seat (``seatUid``) or a recurring series
    (its uid, or ``cancelSubsequentBookings``); returns the booking or the series."""
    return ok(await cancel.cancel(session, bookingUid, body or CancelBookingInput(), caller=caller))


@router.post(
    "/v2/bookings/{bookingUid}/reschedule", status_code=201, summary="Reschedule a booking"
)
async def reschedule_booking(
    bookingUid: ParamText, body: RescheduleBookingInput, session: DbSession, caller: MaybeUser
) -> dict[str, Any]:
    """Move a booking to a new start; 201 with the new booking."""
    return ok(await reschedule.reschedule_booking(session, bookingUid, body, caller=caller))


@router.post(
    "/v2/bookings/{bookingUid}/reassign", summary="Reassign a booking to auto-selected host"
)
async def reassign_booking(
    bookingUid: ParamText, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Give a round-robin booking to the lucky user among the other free round-robin hosts
    (the event type's owner, hosts and team admins only)."""
    return ok(await reassign.reassign(session, bookingUid, user))


@router.post(
    "/v2/bookings/{bookingUid}/reassign/{userId}", summary="Reassign a booking to a specific host"
)
async def reassign_booking_to_user(
    bookingUid: ParamText,
    userId: IdParam,
    session: DbSession,
    user: CurrentUser,
    body: ReassignToUserInput | None = None,
) -> dict[str, Any]:
    """Give a round-robin booking to the round-robin host ``userId`` (optional ``reason``)."""
    reason = body.reason if body is not None else None
    return ok(await reassign.reassign(session, bookingUid, user, to_user_id=userId, reason=reason))


@router.post("/v2/bookings/{bookingUid}/confirm", summary="Confirm a booking")
async def confirm_booking(
    bookingUid: ParamText, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Accept a pending booking (its organizer only)."""
    return ok(await confirm.confirm_booking(session, bookingUid, user))


@router.post("/v2/bookings/{bookingUid}/decline", summary="Decline a booking")
async def decline_booking(
    bookingUid: ParamText,
    session: DbSession,
    user: CurrentUser,
    body: DeclineBookingInput | None = None,
) -> dict[str, Any]:
    """Reject a pending booking (its organizer only), with an optional reason."""
    return ok(
        await confirm.decline_booking(session, bookingUid, body or DeclineBookingInput(), user)
    )


@router.post("/v2/bookings/{bookingUid}/mark-absent", summary="Mark a booking absence")
async def mark_absent(
    bookingUid: ParamText, body: MarkAbsentInput, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Set the organizer's and attendees' no-show flags after the booking started; the booking."""
    return ok(await no_show.mark_absent(session, bookingUid, body, user))


@router.patch(
    "/v2/bookings/{bookingUid}/location",
    summary="Update booking location for an existing booking",
)
async def update_location(
    bookingUid: ParamText, body: UpdateLocationInput, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Replace the booking's location; the booking."""
    return ok(await location.update_location(session, bookingUid, body, user))


@router.post(
    "/v2/bookings/{bookingUid}/request-reschedule", summary="Request to reschedule a booking"
)
async def request_reschedule(
    bookingUid: ParamText,
    session: DbSession,
    user: CurrentUser,
    body: RequestRescheduleInput | None = None,
) -> dict[str, Any]:
    """Cancel the booking so the attendee books again (emailed a link); the cancelled booking."""
    return ok(
        await reschedule_request.request_reschedule(
            session, bookingUid, body or RequestRescheduleInput(), user
        )
    )


@router.get(
    "/v2/bookings/{bookingUid}/attendees",
    summary="Get all attendees for a booking",
    tags=["Bookings / Attendees"],
)
async def list_attendees(
    bookingUid: ParamText, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """The booking's attendees with their ids."""
    return ok(await attendees.list_attendees(session, bookingUid, user))


@router.post(
    "/v2/bookings/{bookingUid}/attendees",
    status_code=201,
    summary="Add an attendee to a booking",
    tags=["Bookings / Attendees"],
)
async def add_attendee(
    bookingUid: ParamText, body: AddAttendeeInput, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Add one attendee; 201 with it."""
    return ok(await attendees.add_attendee(session, bookingUid, body, user))


@router.get(
    "/v2/bookings/{bookingUid}/attendees/{attendeeId}",
    summary="Get a specific attendee for a booking",
    tags=["Bookings / Attendees"],
)
async def get_attendee(
    bookingUid: ParamText, attendeeId: IdParam, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """One attendee of the booking by id."""
    return ok(await attendees.get_attendee(session, bookingUid, attendeeId, user))


@router.post(
    "/v2/bookings/{bookingUid}/guests",
    summary="Add guests to an existing booking",
    tags=["Bookings / Guests"],
)
async def add_guests(
    bookingUid: ParamText, body: AddGuestsInput, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Add up to 10 guests (30 per booking); the booking."""
    return ok(await attendees.add_guests(session, bookingUid, body, user))


@router.get("/v2/bookings/{bookingUid}/references", summary="Get booking references")
async def get_references(
    bookingUid: ParamText,
    session: DbSession,
    user: CurrentUser,
    type: ReferenceType | None = None,
) -> dict[str, Any]:
    """External calendar and video references of the booking (none until calendar sync)."""
    return ok(await attendees.references(session, bookingUid, user, type))


@router.get(
    "/v2/bookings/{bookingUid}/calendar-links",
    summary="Get 'Add to Calendar' links for a booking",
)
async def get_calendar_links(
    bookingUid: ParamText, request: Request, session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """Google, Office 365, Outlook and iCalendar (data URL) links."""
    public_url = str(request.app.state.settings.base_url)
    return ok(await booking_calendar_links(session, bookingUid, user, public_url=public_url))


# Not in /openapi.json: one path and method can hold one operation there, and GET /v2/bookings
# is the 2024-08-13 one of the reference (as the legacy GET /v2/slots is left out).
@cursor_router.get("/v2/bookings", summary="Get all bookings", include_in_schema=False)
async def list_bookings_by_cursor(
    query: Annotated[CursorBookingsQuery, Query()], session: DbSession, user: CurrentUser
) -> dict[str, Any]:
    """The authenticated user's bookings, one ``status`` at a time, cursor-paginated."""
    data, page = await list_bookings_cursor(session, user, query)
    return ok(data, pagination=page)


@team_router.get("/v2/teams/{teamId}/bookings", summary="Get team bookings")
async def list_team_bookings(
    teamId: IdParam,
    query: Annotated[ListBookingsQuery, Query()],
    session: DbSession,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    """The bookings of the team's event types (TEAM_ADMIN), with GET /v2/bookings' filters and
    pagination."""
    data, page = await reading.list_team_bookings(session, principal, teamId, query)
    return ok(data, pagination=page)
