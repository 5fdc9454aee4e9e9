"""One agent conversation through a real MCP client session, whatever the transport: the tools
are listed, then get_me, create_schedule, create_event_type, get_event_types, get_availability,
create_booking, get_my_agenda, reschedule_booking, cancel_booking and an error case run against a
live Slotwise server; the booking is checked through the API (the SDK)."""

from __future__ import annotations

import json
from typing import Any

from mcp import ClientSession
from slotwise.client import Client
from slotwise.mcp import CAL_TOOLS, SLOTWISE_TOOLS
from tests.conftest import Host

MONDAY = "2050-09-05"


async def ok(session: ClientSession, name: str, args: dict[str, Any] | None = None) -> Any:
    """Call ``name``; it must succeed; returns the result's JSON ``data``."""
    result = await session.call_tool(name, args or {})
    text = result.content[0].text  # type: ignore[union-attr]
    assert not result.is_error, f"{name} failed: {text}"
    payload = json.loads(text[text.index("{") :])
    assert result.structured_content == payload
    return payload["data"]


async def run_scenario(session: ClientSession, host: Host, live_url: str) -> None:
    await session.initialize()
    listed = await session.list_tools()
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == set(CAL_TOOLS) | set(SLOTWISE_TOOLS)
    booking_schema = tools["create_booking"].input_schema
    assert set(booking_schema["required"]) == {"start", "attendee"}
    assert "eventTypeId" in booking_schema["properties"]
    assert tools["get_availability"].annotations.read_only_hint is True  # type: ignore[union-attr]

    me = await ok(session, "get_me")
    assert me["username"] == host.username

    schedule = await ok(session, "create_schedule", {
        "name": "Office", "timeZone": "Europe/Rome", "isDefault": True,
        "availability": [{"days": ["Monday", "Tuesday"], "startTime": "09:00", "endTime": "12:00"}],
    })  # fmt: skip
    assert schedule["timeZone"] == "Europe/Rome"
    event_type = await ok(session, "create_event_type", {
        "title": "Intro", "slug": "intro", "lengthInMinutes": 30, "description": "hello",
    })  # fmt: skip
    listed_types = await ok(session, "get_event_types")
    assert [et["slug"] for et in listed_types] == ["intro"]

    slots = await ok(session, "get_availability", {
        "eventTypeId": event_type["id"], "start": MONDAY, "end": MONDAY,
    })  # fmt: skip
    first = slots[MONDAY][0]
    # 09:00 in Rome is 07:00 UTC; the result shows the user's zone (UTC for this user) too.
    assert first["start"] == "2050-09-05T07:00:00.000Z"
    assert first["startUtc"] == "2050-09-05T07:00:00Z"
    assert first["startLocal"] == "Mon 2050-09-05 07:00 (UTC, UTC+00:00)"
    rome = await ok(session, "get_availability", {
        "eventTypeId": event_type["id"], "start": MONDAY, "end": MONDAY, "timeZone": "Europe/Rome",
    })  # fmt: skip
    assert rome[MONDAY][0]["start"] == "2050-09-05T09:00:00.000+02:00"
    assert rome[MONDAY][0]["startUtc"] == "2050-09-05T07:00:00Z"

    booking = await ok(session, "create_booking", {
        "eventTypeId": event_type["id"], "start": "2050-09-05T07:00:00Z",
        "attendee": {"name": "Ada", "email": "ada@example.com", "timeZone": "Europe/London"},
    })  # fmt: skip
    assert booking["status"] == "accepted"
    assert booking["startLocal"].startswith("Mon 2050-09-05 07:00")

    # The booking is really there: read it through the API.
    with Client(live_url, api_key=host.api_key) as cal:
        seen = cal.bookings.get(booking["uid"])
        assert seen["start"] == "2050-09-05T07:00:00.000Z"
        assert seen["attendees"][0]["email"] == "ada@example.com"

    agenda = await session.call_tool("get_my_agenda", {"start": "2050-09-01", "days": 14})
    assert not agenda.is_error
    assert "1 booking(s)" in agenda.content[0].text  # type: ignore[union-attr]
    assert booking["uid"] in agenda.content[0].text  # type: ignore[union-attr]

    moved = await ok(session, "reschedule_booking", {
        "bookingUid": booking["uid"], "start": "2050-09-05T08:00:00Z",
        "reschedulingReason": "clash",
    })  # fmt: skip
    assert moved["uid"] != booking["uid"]
    cancelled = await ok(session, "cancel_booking", {
        "bookingUid": moved["uid"], "cancellationReason": "no longer needed",
    })  # fmt: skip
    assert cancelled["status"] == "cancelled"
    with Client(live_url, api_key=host.api_key) as cal:
        assert cal.bookings.get(moved["uid"])["status"] == "cancelled"

    # Times follow the user's zone, also after it changes.
    await ok(session, "update_me", {"timeZone": "Europe/Rome"})
    again = await ok(session, "get_booking", {"bookingUid": moved["uid"]})
    assert again["startLocal"] == "Mon 2050-09-05 10:00 (Europe/Rome, UTC+02:00)"
    # "Book X with Y": the earliest free slot in one call (07:00Z is free again).
    quick = await ok(session, "book_next_available_slot", {
        "eventTypeId": event_type["id"], "notBefore": "2050-09-05T00:00:00Z",
        "attendee": {"name": "Cy", "email": "cy@example.com", "timeZone": "UTC"},
    })  # fmt: skip
    assert quick["start"] == "2050-09-05T07:00:00.000Z"
    assert quick["startLocal"] == "Mon 2050-09-05 09:00 (Europe/Rome, UTC+02:00)"

    # A failing call is an MCP tool error carrying the server's message, not a crash.
    missing = await session.call_tool("get_booking", {"bookingUid": "no-such-uid"})
    assert missing.is_error
    text = missing.content[0].text  # type: ignore[union-attr]
    assert text.startswith("Error 404 (NotFoundException):")
    assert "no-such-uid" in text
    taken = await session.call_tool("create_booking", {
        "eventTypeId": event_type["id"], "start": "2050-09-05T03:00:00Z",
        "attendee": {"name": "Bo", "email": "bo@example.com", "timeZone": "UTC"},
    })  # fmt: skip
    assert taken.is_error
    assert taken.content[0].text.startswith("Error 400")  # type: ignore[union-attr]
    # Bad arguments are refused by the schema, also as a tool error.
    bad = await session.call_tool("get_event_type", {"eventTypeId": "not a number"})
    assert bad.is_error
    # An operation Slotwise does not serve yet still calls the API and returns its error.
    orgs = await session.call_tool("get_org_memberships", {"orgId": 1})
    assert orgs.is_error
    assert orgs.content[0].text.startswith("Error 404")  # type: ignore[union-attr]
