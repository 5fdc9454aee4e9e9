"""Booking tools (Cal.com MCP names and arguments; bookings API version 2024-08-13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, Field

from slotwise.mcp.context import SlotwiseMCPServer, add_tools, call, clean
from slotwise.mcp.tools_profile import DELETE, READ, WRITE

VERSION = "2024-08-13"
Uid = Annotated[str, Field(min_length=1, description="Booking uid (see get_bookings)")]
Order = Literal["asc", "desc"]


def _path(uid: str, tail: str = "") -> str:
    return f"/v2/bookings/{quote(uid, safe='')}{tail}"


class Attendee(BaseModel):
    """The person booking (the guest), not the host."""

    name: str = Field(description="Full name")
    email: str | None = Field(None, description="Email (required unless phoneNumber is given)")
    timeZone: str = Field(description="Their IANA zone, e.g. America/New_York")
    phoneNumber: str | None = Field(None, description="International format, e.g. +15551234567")
    language: str | None = Field(None, description="Language code, e.g. en")


class AbsentAttendee(BaseModel):
    """An attendee's no-show flag."""

    email: str = Field(description="The attendee's email as on the booking")
    absent: bool = Field(description="True if they did not show up")


async def get_bookings(
    ctx: Context,
    status: Annotated[
        str | None,
        Field(description="Comma-separated: upcoming, recurring, past, cancelled, unconfirmed"),
    ] = None,
    attendeeEmail: Annotated[
        str | None, Field(description="Only bookings with this attendee email")
    ] = None,
    attendeeName: Annotated[
        str | None, Field(description="Only bookings with this attendee name")
    ] = None,
    eventTypeId: Annotated[int | None, Field(description="Only this event type")] = None,
    eventTypeIds: Annotated[str | None, Field(description="Comma-separated event type ids")] = None,
    teamId: Annotated[int | None, Field(description="Only this team")] = None,
    teamsIds: Annotated[str | None, Field(description="Comma-separated team ids")] = None,
    afterStart: Annotated[str | None, Field(description="Starting at or after (ISO 8601)")] = None,
    beforeEnd: Annotated[str | None, Field(description="Ending at or before (ISO 8601)")] = None,
    afterCreatedAt: Annotated[str | None, Field(description="Created after (ISO 8601)")] = None,
    beforeCreatedAt: Annotated[str | None, Field(description="Created before (ISO 8601)")] = None,
    afterUpdatedAt: Annotated[str | None, Field(description="Updated after (ISO 8601)")] = None,
    beforeUpdatedAt: Annotated[str | None, Field(description="Updated before (ISO 8601)")] = None,
    bookingUid: Annotated[str | None, Field(description="Only this booking uid")] = None,
    sortStart: Annotated[Order | None, Field(description="Order by start")] = None,
    sortEnd: Annotated[Order | None, Field(description="Order by end")] = None,
    sortCreated: Annotated[Order | None, Field(description="Order by creation")] = None,
    sortUpdatedAt: Annotated[Order | None, Field(description="Order by last update")] = None,
    take: Annotated[int | None, Field(ge=1, le=250, description="Page size (default 100)")] = None,
    skip: Annotated[int | None, Field(ge=0, description="Items to skip")] = None,
) -> CallToolResult:
    """List bookings you host or attend, filtered by status (upcoming, past, cancelled,
    unconfirmed, recurring), attendee, event type, team or date range, and sorted. For
    'what is on my calendar', prefer get_my_agenda."""
    params = dict(locals())
    params.pop("ctx")
    return await call(ctx, "GET", "/v2/bookings", params=params, version=VERSION)


async def get_booking(ctx: Context, bookingUid: Uid) -> CallToolResult:
    """One booking by uid: title, times, status, attendees, location, metadata."""
    return await call(ctx, "GET", _path(bookingUid), version=VERSION)


async def create_booking(
    ctx: Context,
    start: Annotated[
        str,
        Field(
            description="Start in UTC ISO 8601, e.g. 2050-09-05T09:00:00Z (from get_availability)"
        ),
    ],
    attendee: Annotated[
        Attendee,
        Field(description="The guest making the booking, not the host; never invent an email"),
    ],
    eventTypeId: Annotated[
        int | None, Field(description="Event type id; or give eventTypeSlug with username/teamSlug")
    ] = None,
    eventTypeSlug: Annotated[str | None, Field(description="Event type slug, e.g. '30min'")] = None,
    username: Annotated[
        str | None, Field(description="The host's username (with eventTypeSlug)")
    ] = None,
    teamSlug: Annotated[str | None, Field(description="Team slug (with eventTypeSlug)")] = None,
    organizationSlug: Annotated[
        str | None, Field(description="Organization of the user or team")
    ] = None,
    guests: Annotated[list[str] | None, Field(description="Extra guest emails")] = None,
    lengthInMinutes: Annotated[
        int | None, Field(description="Length for variable-length event types")
    ] = None,
    bookingFieldsResponses: Annotated[
        dict[str, Any] | None, Field(description="Custom booking field answers {slug: value}")
    ] = None,
    metadata: Annotated[dict[str, Any] | None, Field(description="Key-value metadata")] = None,
    location: Annotated[
        str | dict[str, Any] | None, Field(description="Location override (URL or location object)")
    ] = None,
    allowConflicts: Annotated[
        bool | None, Field(description="Host only: book even over conflicts")
    ] = None,
    allowBookingOutOfBounds: Annotated[
        bool | None, Field(description="Host only: ignore notice and booking window")
    ] = None,
) -> CallToolResult:
    """Book a meeting at a free slot. Name the event type by eventTypeId, or eventTypeSlug with
    username (a person's event) or teamSlug. start is UTC ISO 8601, taken from
    get_availability. attendee is the guest; the host is the event type's owner."""
    body = dict(locals())
    body.pop("ctx")
    body["attendee"] = clean(attendee.model_dump())
    return await call(ctx, "POST", "/v2/bookings", json=clean(body), version=VERSION)


async def reschedule_booking(
    ctx: Context,
    bookingUid: Uid,
    start: Annotated[str, Field(description="New start in UTC, ISO 8601")],
    reschedulingReason: Annotated[str | None, Field(description="Why it moves")] = None,
    rescheduledBy: Annotated[
        str | None,
        Field(description="Email of who reschedules (the owner's email auto-confirms); see get_me"),
    ] = None,
) -> CallToolResult:
    """Move a booking to a new start (UTC ISO 8601, a free slot). Returns the new booking; the old
    uid becomes cancelled."""
    body = clean(
        dict(start=start, reschedulingReason=reschedulingReason, rescheduledBy=rescheduledBy)
    )
    return await call(ctx, "POST", _path(bookingUid, "/reschedule"), json=body, version=VERSION,
                      note="Rescheduled: the answer is the new booking (new uid).")  # fmt: skip


async def cancel_booking(
    ctx: Context,
    bookingUid: Uid,
    cancellationReason: Annotated[str | None, Field(description="Why it is cancelled")] = None,
    cancelSubsequentBookings: Annotated[
        bool | None, Field(description="Recurring: also cancel later occurrences")
    ] = None,
    seatUid: Annotated[str | None, Field(description="Seated event: cancel only this seat")] = None,
) -> CallToolResult:
    """Cancel a booking by uid, optionally with a reason; for recurring bookings
    cancelSubsequentBookings cancels the later occurrences too."""
    body = clean(dict(cancellationReason=cancellationReason, seatUid=seatUid,
                      cancelSubsequentBookings=cancelSubsequentBookings))  # fmt: skip
    return await call(ctx, "POST", _path(bookingUid, "/cancel"), json=body, version=VERSION)


async def confirm_booking(ctx: Context, bookingUid: Uid) -> CallToolResult:
    """Accept a booking that waits for the host's confirmation (hosts only)."""
    return await call(ctx, "POST", _path(bookingUid, "/confirm"), json={}, version=VERSION)


async def mark_booking_absent(
    ctx: Context,
    bookingUid: Uid,
    host: Annotated[bool | None, Field(description="True if the host did not show up")] = None,
    attendees: Annotated[
        list[AbsentAttendee] | None,
        Field(description="Attendees' no-show flags (emails from get_booking_attendees)"),
    ] = None,
) -> CallToolResult:
    """Record no-shows of a past booking: the host (host=true) and/or attendees."""
    body = clean(
        dict(
            host=host, attendees=None if attendees is None else [a.model_dump() for a in attendees]
        )
    )
    return await call(ctx, "POST", _path(bookingUid, "/mark-absent"), json=body, version=VERSION)


async def get_booking_attendees(ctx: Context, bookingUid: Uid) -> CallToolResult:
    """List a booking's attendees with their ids, emails and zones."""
    return await call(ctx, "GET", _path(bookingUid, "/attendees"), version=VERSION)


async def add_booking_attendee(
    ctx: Context,
    bookingUid: Uid,
    name: Annotated[str, Field(description="Attendee's name")],
    email: Annotated[str, Field(description="Attendee's real email; never invent one")],
    timeZone: Annotated[str, Field(description="Attendee's IANA zone")],
    phoneNumber: Annotated[str | None, Field(description="International format")] = None,
    language: Annotated[str | None, Field(description="Language code, e.g. en")] = None,
) -> CallToolResult:
    """Add a person to an existing booking (name, email, time zone)."""
    body = clean(
        dict(name=name, email=email, timeZone=timeZone, phoneNumber=phoneNumber, language=language)
    )
    return await call(ctx, "POST", _path(bookingUid, "/attendees"), json=body, version=VERSION)


async def get_booking_attendee(
    ctx: Context,
    bookingUid: Uid,
    attendeeId: Annotated[int, Field(ge=1, description="Attendee id (see get_booking_attendees)")],
) -> CallToolResult:
    """One attendee of a booking by attendee id."""
    return await call(ctx, "GET", _path(bookingUid, f"/attendees/{attendeeId}"), version=VERSION)


def register(server: SlotwiseMCPServer) -> None:
    """Add the booking tools to ``server``."""
    tools: list[tuple[Callable[..., Any], ToolAnnotations]] = [
        (get_bookings, READ),
        (get_booking, READ),
        (create_booking, WRITE),
        (reschedule_booking, WRITE),
        (cancel_booking, DELETE),
        (confirm_booking, WRITE),
        (mark_booking_absent, WRITE),
        (get_booking_attendees, READ),
        (add_booking_attendee, WRITE),
        (get_booking_attendee, READ),
    ]  # fmt: skip
    add_tools(server, tools)
