"""Tools for the profile, event types and schedules (Cal.com MCP names and arguments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, Field

from slotwise.mcp.context import SlotwiseMCPServer, add_tools, call, clean

ET_VERSION = "2024-06-14"
SCHEDULE_VERSION = "2024-06-11"
READ = ToolAnnotations(read_only_hint=True)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False)
DELETE = ToolAnnotations(read_only_hint=False, destructive_hint=True)

Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class AvailabilityBlock(BaseModel):
    """Weekly hours: the ``days`` it applies to, from ``startTime`` to ``endTime`` (HH:MM)."""

    days: list[Weekday] | None = Field(None, description="Weekdays, e.g. ['Monday','Tuesday']")
    day: Weekday | None = Field(None, description="One weekday (alternative to days)")
    startTime: str = Field(description="Start, HH:MM in the schedule's zone, e.g. '09:00'")
    endTime: str = Field(description="End, HH:MM in the schedule's zone, e.g. '17:00'")

    def api(self) -> dict[str, Any]:
        """The API shape ``{"days": [...], "startTime", "endTime"}``."""
        days = list(self.days or []) + (
            [self.day] if self.day and self.day not in (self.days or []) else []
        )
        return {"days": days, "startTime": self.startTime, "endTime": self.endTime}


class DateOverride(BaseModel):
    """One date's hours; without times the date is unavailable."""

    date: str = Field(description="The date, YYYY-MM-DD")
    startTime: str | None = Field(None, description="HH:MM; omit both times to block the day")
    endTime: str | None = Field(None, description="HH:MM")


def _blocks(items: list[AvailabilityBlock] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [b.api() for b in items]


def _overrides(items: list[DateOverride] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [clean(o.model_dump()) for o in items]


Id = Annotated[int, Field(ge=1)]


async def get_me(ctx: Context) -> CallToolResult:
    """Your profile: id, username, email, time zone, default schedule, organization. Call it first
    to learn whose account this is and which time zone to talk in; never guess your own
    email or username."""
    return await call(ctx, "GET", "/v2/me")


async def update_me(
    ctx: Context,
    name: Annotated[str | None, Field(description="Display name")] = None,
    email: Annotated[str | None, Field(description="New email address")] = None,
    bio: Annotated[str | None, Field(description="Short biography")] = None,
    timeZone: Annotated[str | None, Field(description="IANA zone, e.g. Europe/Rome")] = None,
    weekStart: Annotated[
        str | None, Field(description="First day of the week, e.g. Monday")
    ] = None,
    timeFormat: Annotated[int | None, Field(description="12 or 24")] = None,
    defaultScheduleId: Annotated[
        int | None, Field(description="Schedule id to make default")
    ] = None,
    locale: Annotated[str | None, Field(description="Language code, e.g. en")] = None,
    avatarUrl: Annotated[str | None, Field(description="URL of the profile picture")] = None,
    metadata: Annotated[dict[str, Any] | None, Field(description="Custom key-values")] = None,
) -> CallToolResult:
    """Change your profile (name, email, bio, time zone, week start, 12/24h format, default
    schedule, locale, avatar, metadata). Only the fields given change."""
    body = clean(dict(name=name, email=email, bio=bio, timeZone=timeZone, weekStart=weekStart,
                      timeFormat=timeFormat, defaultScheduleId=defaultScheduleId, locale=locale,
                      avatarUrl=avatarUrl, metadata=metadata))  # fmt: skip
    return await call(ctx, "PATCH", "/v2/me", json=body)


async def get_event_types(
    ctx: Context,
    username: Annotated[
        str | None, Field(description="Whose event types; omit for your own")
    ] = None,
    eventSlug: Annotated[
        str | None, Field(description="One event type's slug (with username)")
    ] = None,
    usernames: Annotated[
        str | None, Field(description="Comma-separated, for a dynamic group")
    ] = None,
    orgSlug: Annotated[str | None, Field(description="Organization slug")] = None,
    orgId: Annotated[int | None, Field(description="Organization id")] = None,
    sortCreatedAt: Annotated[
        Literal["asc", "desc"] | None, Field(description="Order by creation")
    ] = None,
) -> CallToolResult:
    """List event types (the kinds of meeting that can be booked, with id, slug and length). No
    arguments: yours. username: someone else's; username+eventSlug: one of them. Use it to
    find the eventTypeId that get_availability and create_booking need."""
    params = dict(username=username, eventSlug=eventSlug, usernames=usernames, orgSlug=orgSlug,
                  orgId=orgId, sortCreatedAt=sortCreatedAt)  # fmt: skip
    return await call(ctx, "GET", "/v2/event-types", params=params, version=ET_VERSION)


async def get_event_type(
    ctx: Context,
    eventTypeId: Annotated[Id, Field(description="Event type id (see get_event_types)")],
) -> CallToolResult:
    """One event type by id, with its locations, booking fields, limits and schedule."""
    return await call(ctx, "GET", f"/v2/event-types/{eventTypeId}", version=ET_VERSION)


EVENT_TYPE_FIELDS: dict[str, tuple[Any, str]] = {
    "lengthInMinutesOptions": (list[int], "Durations the booker may pick, e.g. [15, 30, 60]"),
    "description": (str, "Text shown on the booking page"),
    "locations": (list[dict[str, Any]], "Location objects, e.g. {type: 'address', address: '…'}"),
    "bookingFields": (list[dict[str, Any]], "Extra booking-form fields (replace all on update)"),
    "disableGuests": (bool, "Bookers may not add guests"),
    "slotInterval": (int, "Minutes between slot starts (default: the length)"),
    "minimumBookingNotice": (int, "Minutes of notice a booking needs"),
    "beforeEventBuffer": (int, "Free minutes kept before each booking"),
    "afterEventBuffer": (int, "Free minutes kept after each booking"),
    "scheduleId": (int, "Schedule to use instead of the default (see get_schedules)"),
    "recurrence": (dict[str, Any], "e.g. {frequency: 'weekly', interval: 1, occurrences: 4}"),
    "confirmationPolicy": (dict[str, Any], "When bookings need the host's confirmation"),
    "requiresBookerEmailVerification": (bool, "Booker must verify their email"),
    "hideCalendarNotes": (bool, "Hide notes in calendar events"),
    "lockTimeZoneToggleOnBookingPage": (bool, "Lock the booking page's time zone"),
    "seats": (dict[str, Any], "Seated event settings, e.g. {seatsPerTimeSlot: 5}"),
    "customName": (str, "Event name template"),
    "successRedirectUrl": (str, "Where bookers go after booking"),
    "hidden": (bool, "Hide from the public profile"),
    "offsetStart": (int, "Shift slot starts by minutes"),
    "onlyShowFirstAvailableSlot": (bool, "Offer only the first slot of each day"),
    "bookingLimitsCount": (dict[str, Any], "Bookings per period, e.g. {day: 2, week: 5}"),
    "bookingWindow": (dict[str, Any], "How far ahead, e.g. {type: 'calendarDays', value: 30}"),
    "destinationCalendar": (dict[str, Any], "{integration, externalId} for new bookings"),
}


async def _create_event_type(ctx: Context, **fields: Any) -> CallToolResult:
    return await call(ctx, "POST", "/v2/event-types", json=clean(fields), version=ET_VERSION)


async def _update_event_type(ctx: Context, eventTypeId: int, **fields: Any) -> CallToolResult:
    path = f"/v2/event-types/{eventTypeId}"
    return await call(ctx, "PATCH", path, json=clean(fields), version=ET_VERSION)


async def delete_event_type(
    ctx: Context, eventTypeId: Annotated[Id, Field(description="Event type id to delete")]
) -> CallToolResult:
    """Delete an event type for good. Ask the user before calling."""
    return await call(ctx, "DELETE", f"/v2/event-types/{eventTypeId}", version=ET_VERSION)


async def get_schedules(ctx: Context) -> CallToolResult:
    """List your schedules (weekly working hours plus date overrides, each in its zone)."""
    return await call(ctx, "GET", "/v2/schedules", version=SCHEDULE_VERSION)


async def get_schedule(
    ctx: Context, scheduleId: Annotated[Id, Field(description="Schedule id (see get_schedules)")]
) -> CallToolResult:
    """One schedule by id, with hours and overrides."""
    return await call(ctx, "GET", f"/v2/schedules/{scheduleId}", version=SCHEDULE_VERSION)


async def create_schedule(
    ctx: Context,
    name: Annotated[str, Field(description="Schedule name, e.g. 'Working hours'")],
    timeZone: Annotated[str, Field(description="IANA zone the hours are in, e.g. Europe/Rome")],
    isDefault: Annotated[bool, Field(description="Make it the default (one per user)")],
    availability: Annotated[
        list[AvailabilityBlock] | None,
        Field(description="Weekly hours; omitted: Monday-Friday 09:00-17:00"),
    ] = None,
    overrides: Annotated[
        list[DateOverride] | None, Field(description="Hours for particular dates")
    ] = None,
) -> CallToolResult:
    """Create a schedule of weekly working hours (HH:MM in its time zone) and date overrides. Each
    user has exactly one default schedule."""
    body = clean(dict(name=name, timeZone=timeZone, isDefault=isDefault,
                      availability=_blocks(availability),
                      overrides=_overrides(overrides)))  # fmt: skip
    return await call(ctx, "POST", "/v2/schedules", json=body, version=SCHEDULE_VERSION)


async def update_schedule(
    ctx: Context,
    scheduleId: Annotated[Id, Field(description="Schedule id")],
    name: Annotated[str | None, Field(description="New name")] = None,
    timeZone: Annotated[str | None, Field(description="New IANA zone")] = None,
    isDefault: Annotated[bool | None, Field(description="Make it the default")] = None,
    availability: Annotated[
        list[AvailabilityBlock] | None, Field(description="Replaces all weekly hours")
    ] = None,
    overrides: Annotated[
        list[DateOverride] | None, Field(description="Replaces all overrides")
    ] = None,
) -> CallToolResult:
    """Change a schedule. availability and overrides, when given, replace all entries."""
    body = clean(dict(name=name, timeZone=timeZone, isDefault=isDefault,
                      availability=_blocks(availability),
                      overrides=_overrides(overrides)))  # fmt: skip
    path = f"/v2/schedules/{scheduleId}"
    return await call(ctx, "PATCH", path, json=body, version=SCHEDULE_VERSION)


async def delete_schedule(
    ctx: Context, scheduleId: Annotated[Id, Field(description="Schedule id to delete")]
) -> CallToolResult:
    """Delete a schedule. The default schedule cannot be deleted."""
    return await call(ctx, "DELETE", f"/v2/schedules/{scheduleId}", version=SCHEDULE_VERSION)


async def get_default_schedule(ctx: Context) -> CallToolResult:
    """Your default schedule: the working hours used by event types without their own."""
    return await call(ctx, "GET", "/v2/schedules/default", version=SCHEDULE_VERSION)


def register(server: SlotwiseMCPServer) -> None:
    """Add the profile, event type and schedule tools to ``server``."""
    from slotwise.mcp.signatures import with_fields

    create_et = with_fields(
        _create_event_type,
        "create_event_type",
        "Create a bookable event type. Needs title, slug and lengthInMinutes; other settings "
        "(locations, buffers, notice, seats, limits…) are optional.",
        required={
            "title": (str, "Event type title, e.g. 'Quick chat'"),
            "slug": (str, "URL slug, e.g. 'quick-chat'"),
            "lengthInMinutes": (int, "Duration in minutes"),
        },
        optional=EVENT_TYPE_FIELDS,
    )
    update_et = with_fields(
        _update_event_type,
        "update_event_type",
        "Change an event type. Fields given replace the current ones; arrays (locations, "
        "bookingFields) replace the whole list, so read it with get_event_type first.",
        required={"eventTypeId": (int, "Event type id to change (see get_event_types)")},
        optional={
            "title": (str, "New title"),
            "slug": (str, "New slug"),
            "lengthInMinutes": (int, "New duration in minutes"),
            **EVENT_TYPE_FIELDS,
        },
    )
    tools: list[tuple[Callable[..., Any], ToolAnnotations]] = [
        (get_me, READ),
        (update_me, WRITE),
        (get_event_types, READ),
        (get_event_type, READ),
        (create_et, WRITE),
        (update_et, WRITE),
        (delete_event_type, DELETE),
        (get_schedules, READ),
        (get_schedule, READ),
        (create_schedule, WRITE),
        (update_schedule, WRITE),
        (delete_schedule, DELETE),
        (get_default_schedule, READ),
    ]  # fmt: skip
    add_tools(server, tools)
