"""Availability, busy times, conferencing, routing forms and organization tools (Cal.com MCP
names and arguments), plus Slotwise's agent helpers: ``find_common_slots``, ``get_my_agenda``
and ``book_next_available_slot``, built from the same public API v2 calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import quote

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, Field

from slotwise.client import SlotwiseError
from slotwise.mcp.context import Api, SlotwiseMCPServer, add_tools, call, clean
from slotwise.mcp.results import api_failure, failure, parse_instant, success
from slotwise.mcp.tools_bookings import VERSION as BOOKINGS_VERSION
from slotwise.mcp.tools_bookings import Attendee
from slotwise.mcp.tools_profile import DELETE, READ, WRITE

SLOTS_VERSION = "2024-09-04"
Order = Literal["asc", "desc"]
Role = Literal["MEMBER", "OWNER", "ADMIN"]
OrgId = Annotated[int, Field(ge=1, description="Organization id (get_me's organizationId)")]
MembershipId = Annotated[int, Field(ge=1, description="Membership id")]


class CalendarToLoad(BaseModel):
    """A connected calendar to read busy times from."""

    credentialId: int = Field(description="The calendar connection's credential id")
    externalId: str = Field(description="The calendar's external id, e.g. an email address")


async def get_availability(
    ctx: Context,
    start: Annotated[
        str, Field(description="Window start: UTC date (2050-09-05) or ISO 8601 date-time")
    ],
    end: Annotated[str, Field(description="Window end: UTC date (whole day included) or ISO 8601")],
    timeZone: Annotated[
        str | None, Field(description="IANA zone for the answer's dates and offsets")
    ] = None,
    eventTypeId: Annotated[int | None, Field(description="Event type id")] = None,
    eventTypeSlug: Annotated[
        str | None, Field(description="Event type slug (with username or teamSlug)")
    ] = None,
    username: Annotated[str | None, Field(description="The event type owner's username")] = None,
    teamSlug: Annotated[str | None, Field(description="Team slug")] = None,
    organizationSlug: Annotated[str | None, Field(description="Organization slug")] = None,
    usernames: Annotated[
        str | list[str] | None,
        Field(description="Dynamic group: 2+ usernames, comma-separated or a list"),
    ] = None,
    duration: Annotated[
        int | None, Field(description="Minutes, for variable-length events")
    ] = None,
    format: Annotated[
        Literal["time", "range"] | None, Field(description="'range' adds each slot's end")
    ] = None,
    bookingUidToReschedule: Annotated[
        str | None, Field(description="Count this booking's time as free")
    ] = None,
) -> CallToolResult:
    """Free start times to book an event type between start and end, grouped by date. Name the
    event type by eventTypeId, eventTypeSlug+username, eventTypeSlug+teamSlug, or usernames
    (2+, a dynamic group). Pass timeZone to get the times in the user's zone. Use before
    create_booking or reschedule_booking."""
    params = dict(locals())
    params.pop("ctx")
    return await call(ctx, "GET", "/v2/slots", params=params, version=SLOTS_VERSION)


async def get_busy_times(
    ctx: Context,
    dateFrom: Annotated[str, Field(description="First date, YYYY-MM-DD")],
    dateTo: Annotated[str, Field(description="Last date, YYYY-MM-DD")],
    calendarsToLoad: Annotated[list[CalendarToLoad], Field(description="Calendars to read")],
    timeZone: Annotated[
        str | None, Field(description="IANA zone of the dates (default UTC)")
    ] = None,
) -> CallToolResult:
    """Busy periods of connected external calendars between two dates (needs each calendar's
    credentialId and externalId)."""
    params: dict[str, Any] = {"dateFrom": dateFrom, "dateTo": dateTo, "timeZone": timeZone}
    for i, cal in enumerate(calendarsToLoad):
        params[f"calendarsToLoad[{i}][credentialId]"] = cal.credentialId
        params[f"calendarsToLoad[{i}][externalId]"] = cal.externalId
    return await call(ctx, "GET", "/v2/calendars/busy-times", params=params)


async def get_conferencing_apps(ctx: Context) -> CallToolResult:
    """Video conferencing apps connected to your account (Zoom, Google Meet, Cal Video…)."""
    return await call(ctx, "GET", "/v2/conferencing")


async def calculate_routing_form_slots(
    ctx: Context,
    routingFormId: Annotated[str, Field(description="Routing form id (see get_org_routing_forms)")],
    response: Annotated[dict[str, Any], Field(description="Answers keyed by the form's field ids")],
    start: Annotated[str, Field(description="Window start, UTC ISO 8601 date or date-time")],
    end: Annotated[str, Field(description="Window end, UTC ISO 8601 date or date-time")],
    timeZone: Annotated[str | None, Field(description="IANA zone of the answer")] = None,
    duration: Annotated[
        int | None, Field(description="Minutes, for variable-length events")
    ] = None,
    format: Annotated[
        Literal["range", "time"] | None, Field(description="'range' adds ends")
    ] = None,
    bookingUidToReschedule: Annotated[str | None, Field(description="Booking being moved")] = None,
) -> CallToolResult:
    """Submit answers to a routing form and get the free slots of the event it routes to."""
    params = clean(dict(start=start, end=end, timeZone=timeZone, duration=duration, format=format,
                        bookingUidToReschedule=bookingUidToReschedule))  # fmt: skip
    path = f"/v2/routing-forms/{quote(routingFormId, safe='')}/calculate-slots"
    return await call(ctx, "POST", path, params=params, json=response)


async def get_org_memberships(
    ctx: Context,
    orgId: OrgId,
    take: Annotated[int | None, Field(ge=1, description="Page size")] = None,
    skip: Annotated[int | None, Field(ge=0, description="Items to skip")] = None,
) -> CallToolResult:
    """List the memberships of an organization (paged with take/skip)."""
    path = f"/v2/organizations/{orgId}/memberships"
    return await call(ctx, "GET", path, params=dict(take=take, skip=skip))


async def create_org_membership(
    ctx: Context,
    orgId: OrgId,
    userId: Annotated[int, Field(ge=1, description="The user to add")],
    role: Annotated[Role, Field(description="MEMBER, ADMIN or OWNER")],
    accepted: Annotated[bool | None, Field(description="Already accepted")] = None,
    disableImpersonation: Annotated[bool | None, Field(description="Forbid impersonation")] = None,
) -> CallToolResult:
    """Add a user to an organization with a role (MEMBER, ADMIN or OWNER)."""
    body = clean(dict(userId=userId, role=role, accepted=accepted,
                      disableImpersonation=disableImpersonation))  # fmt: skip
    return await call(ctx, "POST", f"/v2/organizations/{orgId}/memberships", json=body)


async def get_org_membership(
    ctx: Context, orgId: OrgId, membershipId: MembershipId
) -> CallToolResult:
    """One organization membership by id."""
    path = f"/v2/organizations/{orgId}/memberships/{membershipId}"
    return await call(ctx, "GET", path)


async def delete_org_membership(
    ctx: Context, orgId: OrgId, membershipId: MembershipId
) -> CallToolResult:
    """Remove a membership from an organization. Ask the user first."""
    path = f"/v2/organizations/{orgId}/memberships/{membershipId}"
    return await call(ctx, "DELETE", path)


async def update_org_membership(
    ctx: Context,
    orgId: OrgId,
    membershipId: MembershipId,
    accepted: Annotated[bool | None, Field(description="Accepted")] = None,
    role: Annotated[Role | None, Field(description="New role")] = None,
    disableImpersonation: Annotated[bool | None, Field(description="Forbid impersonation")] = None,
) -> CallToolResult:
    """Change an organization membership's role, acceptance or impersonation setting."""
    body = clean(dict(accepted=accepted, role=role, disableImpersonation=disableImpersonation))
    path = f"/v2/organizations/{orgId}/memberships/{membershipId}"
    return await call(ctx, "PATCH", path, json=body)


async def get_org_routing_forms(
    ctx: Context,
    orgId: OrgId,
    skip: Annotated[int | None, Field(ge=0, description="Items to skip")] = None,
    take: Annotated[int | None, Field(ge=1, description="Page size")] = None,
    sortCreatedAt: Annotated[Order | None, Field(description="Order by creation")] = None,
    sortUpdatedAt: Annotated[Order | None, Field(description="Order by update")] = None,
    afterCreatedAt: Annotated[str | None, Field(description="Created after (ISO 8601)")] = None,
    beforeCreatedAt: Annotated[str | None, Field(description="Created before (ISO 8601)")] = None,
    afterUpdatedAt: Annotated[str | None, Field(description="Updated after (ISO 8601)")] = None,
    beforeUpdatedAt: Annotated[str | None, Field(description="Updated before (ISO 8601)")] = None,
    routedToBookingUid: Annotated[str | None, Field(description="Routed to this booking")] = None,
    teamIds: Annotated[list[int] | None, Field(description="Only these teams")] = None,
) -> CallToolResult:
    """List an organization's routing forms, with filters and sorting."""
    params = dict(locals())
    params.pop("ctx")
    params.pop("orgId")
    return await call(ctx, "GET", f"/v2/organizations/{orgId}/routing-forms", params=params)


async def get_org_routing_form_responses(
    ctx: Context,
    orgId: OrgId,
    routingFormId: Annotated[str, Field(description="Routing form id")],
    skip: Annotated[int | None, Field(ge=0, description="Items to skip")] = None,
    take: Annotated[int | None, Field(ge=1, description="Page size")] = None,
    sortCreatedAt: Annotated[Order | None, Field(description="Order by creation")] = None,
    sortUpdatedAt: Annotated[Order | None, Field(description="Order by update")] = None,
    afterCreatedAt: Annotated[str | None, Field(description="Created after (ISO 8601)")] = None,
    beforeCreatedAt: Annotated[str | None, Field(description="Created before (ISO 8601)")] = None,
    afterUpdatedAt: Annotated[str | None, Field(description="Updated after (ISO 8601)")] = None,
    beforeUpdatedAt: Annotated[str | None, Field(description="Updated before (ISO 8601)")] = None,
    routedToBookingUid: Annotated[str | None, Field(description="Routed to this booking")] = None,
) -> CallToolResult:
    """List the responses submitted to one routing form of an organization."""
    params = dict(locals())
    for key in ("ctx", "orgId", "routingFormId"):
        params.pop(key)
    form = quote(routingFormId, safe="")
    path = f"/v2/organizations/{orgId}/routing-forms/{form}/responses"
    return await call(ctx, "GET", path, params=params)


def slot_starts(data: Any) -> list[str]:
    """Every slot start of a ``GET /v2/slots`` answer (``{date: [{start}, …]}``), in order."""
    if not isinstance(data, dict):
        return []
    starts = [s["start"] for day in sorted(data) for s in data[day] if isinstance(s, dict)]
    return sorted(starts, key=lambda s: parse_instant(s) or datetime.max.replace(tzinfo=UTC))


def _instant(value: str | None, default: datetime) -> datetime:
    """``value`` (ISO 8601 date-time, or a date meaning its UTC midnight) as UTC; ValueError."""
    if not value:
        return default
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def find_common_slots(
    ctx: Context,
    usernames: Annotated[
        list[str],
        Field(
            min_length=2,
            description="Everyone who must be free: 2+ usernames (yours too if you attend)",
        ),
    ],
    start: Annotated[str, Field(description="Window start, UTC ISO 8601 date or date-time")],
    end: Annotated[str, Field(description="Window end, UTC ISO 8601 date or date-time")],
    duration: Annotated[
        int, Field(ge=1, description="Meeting length in minutes (15, 30, 45, 60 or 90)")
    ] = 30,
    count: Annotated[int, Field(ge=1, le=100, description="How many start times to return")] = 5,
    timeZone: Annotated[str | None, Field(description="IANA zone to show the times in")] = None,
) -> CallToolResult:
    """The first `count` start times in a window when all the given users are free for `duration`
    minutes. Use it to propose a time for a meeting between several people."""
    api = Api(ctx)
    try:
        params = clean(dict(usernames=",".join(usernames), start=start, end=end,
                            duration=duration, timeZone=timeZone))  # fmt: skip
        data = await api.send("GET", "/v2/slots", params=params, version=SLOTS_VERSION)
        starts = slot_starts(data)[:count]
        found = {"usernames": usernames, "duration": duration,
                 "slots": [{"start": s} for s in starts]}  # fmt: skip
        note = f"{len(starts)} time(s) when all of {', '.join(usernames)} are free."
        return success(found, await api.zone(), note)
    except SlotwiseError as exc:
        return api_failure(exc)
    finally:
        await api.close()


async def get_my_agenda(
    ctx: Context,
    start: Annotated[str | None, Field(description="From (ISO 8601; default now)")] = None,
    days: Annotated[int, Field(ge=1, le=62, description="How many days ahead (7: a week)")] = 7,
    includeCancelled: Annotated[bool, Field(description="Also list cancelled bookings")] = False,
) -> CallToolResult:
    """What is on your calendar: your bookings from `start` (default now) for `days` days (default
    7, i.e. 'this week'), in order, with times in your zone."""
    try:
        since = _instant(start, datetime.now(UTC))
    except ValueError:
        return failure(f"start is not an ISO 8601 date or date-time: {start!r}")
    until = since + timedelta(days=days)
    status = "upcoming,unconfirmed,past" + (",cancelled" if includeCancelled else "")
    params = dict(status=status, afterStart=_iso(since), beforeEnd=_iso(until),
                  sortStart="asc", take=250)  # fmt: skip
    api = Api(ctx)
    try:
        data = await api.send("GET", "/v2/bookings", params=params, version=BOOKINGS_VERSION)
        zone = await api.zone()
        items = data if isinstance(data, list) else []
        lines = [f"{len(items)} booking(s) from {_iso(since)} to {_iso(until)} ({zone.key}):"]
        for b in items:
            when = parse_instant(b.get("start"))
            shown = f"{when.astimezone(zone):%a %Y-%m-%d %H:%M}" if when else b.get("start")
            lines.append(f"- {shown} {b.get('title', '')} [{b.get('status')}] uid={b.get('uid')}")
        return success(items, zone, "\n".join(lines))
    except SlotwiseError as exc:
        return api_failure(exc)
    finally:
        await api.close()


async def book_next_available_slot(
    ctx: Context,
    attendee: Annotated[
        Attendee, Field(description="The guest being booked; never invent an email")
    ],
    eventTypeId: Annotated[
        int | None, Field(description="Event type id; or eventTypeSlug+username")
    ] = None,
    eventTypeSlug: Annotated[str | None, Field(description="Event type slug, e.g. '30min'")] = None,
    username: Annotated[
        str | None, Field(description="Host's username (with eventTypeSlug)")
    ] = None,
    notBefore: Annotated[
        str | None, Field(description="Earliest start (ISO 8601; default now)")
    ] = None,
    searchDays: Annotated[int, Field(ge=1, le=62, description="How many days to search")] = 14,
    lengthInMinutes: Annotated[
        int | None, Field(description="Length for variable-length event types")
    ] = None,
    notes: Annotated[
        str | None, Field(description="Notes for the host (bookingFieldsResponses.notes)")
    ] = None,
) -> CallToolResult:
    """Book the earliest free slot of an event type at or after notBefore for an attendee, in one
    step ('book a 30-minute call with Ada as soon as possible')."""
    try:
        since = _instant(notBefore, datetime.now(UTC))
    except ValueError:
        return failure(f"notBefore is not an ISO 8601 date or date-time: {notBefore!r}")
    target = clean(dict(eventTypeId=eventTypeId, eventTypeSlug=eventTypeSlug, username=username))
    api = Api(ctx)
    try:
        params = dict(target, start=_iso(since), end=_iso(since + timedelta(days=searchDays)),
                      duration=lengthInMinutes)  # fmt: skip
        data = await api.send("GET", "/v2/slots", params=clean(params), version=SLOTS_VERSION)
        free = [s for s in slot_starts(data) if (parse_instant(s) or since) >= since]
        if not free:
            return failure(f"No free slot in the {searchDays} day(s) from {_iso(since)}.")
        chosen = _iso(_instant(free[0], since))
        body: dict[str, Any] = dict(target, start=chosen, attendee=clean(attendee.model_dump()))
        if lengthInMinutes is not None:
            body["lengthInMinutes"] = lengthInMinutes
        if notes:
            body["bookingFieldsResponses"] = {"notes": notes}
        booking = await api.send("POST", "/v2/bookings", json=body, version=BOOKINGS_VERSION)
        return success(booking, await api.zone(), f"Booked the first free slot, {chosen}.")
    except SlotwiseError as exc:
        return api_failure(exc)
    finally:
        await api.close()


def register(server: SlotwiseMCPServer) -> None:
    """Add the availability, calendar, routing, organization and helper tools to ``server``."""
    tools: list[tuple[Callable[..., Any], ToolAnnotations]] = [
        (get_availability, READ),
        (get_busy_times, READ),
        (get_conferencing_apps, READ),
        (calculate_routing_form_slots, READ),
        (get_org_memberships, READ),
        (create_org_membership, WRITE),
        (get_org_membership, READ),
        (delete_org_membership, DELETE),
        (update_org_membership, WRITE),
        (get_org_routing_forms, READ),
        (get_org_routing_form_responses, READ),
        (find_common_slots, READ),
        (get_my_agenda, READ),
        (book_next_available_slot, WRITE),
    ]  # fmt: skip
    add_tools(server, tools)
