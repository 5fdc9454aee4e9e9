"""The Slotwise MCP server: Cal.com's MCP tools over any Cal.com API v2 server.

``build_server(backend)`` returns an :class:`mcp.server.MCPServer` with every tool; ``run_stdio``
and ``run_http`` serve it (``slotwise mcp`` and ``slotwise mcp --http``); :mod:`slotwise.mcp.mount`
puts it at ``/mcp`` on the Slotwise API server itself.
"""

from __future__ import annotations

from slotwise import __version__
from slotwise.mcp import tools_bookings, tools_more, tools_profile
from slotwise.mcp.context import Backend, SlotwiseMCPServer

INSTRUCTIONS = """\
Scheduling through the Cal.com API v2 (a Slotwise server or any compatible one).
Start with get_me to learn the user's username and time zone. Times sent to the API are
UTC ISO 8601 (2050-09-05T09:00:00Z); every result shows instants in UTC and in the user's zone
(keys ending in Utc / Local). To book: get_event_types -> get_availability -> create_booking
(or book_next_available_slot in one step). Never invent email addresses. A failed call returns
an error carrying the server's message: read it and correct the arguments."""

#: Tool names as Cal.com's MCP server has them, then Slotwise's helpers.
CAL_TOOLS = (
    "get_me", "update_me", "get_event_types", "get_event_type", "create_event_type",
    "update_event_type", "delete_event_type", "get_bookings", "get_booking", "create_booking",
    "reschedule_booking", "cancel_booking", "confirm_booking", "mark_booking_absent",
    "get_booking_attendees", "add_booking_attendee", "get_booking_attendee", "get_schedules",
    "get_schedule", "create_schedule", "update_schedule", "delete_schedule",
    "get_default_schedule", "get_availability", "get_busy_times", "get_conferencing_apps",
    "calculate_routing_form_slots", "get_org_memberships", "create_org_membership",
    "get_org_membership", "delete_org_membership", "update_org_membership",
    "get_org_routing_forms", "get_org_routing_form_responses",
)  # fmt: skip
SLOTWISE_TOOLS = ("find_common_slots", "get_my_agenda", "book_next_available_slot")


def build_server(backend: Backend) -> SlotwiseMCPServer:
    """An MCP server whose tools call ``backend`` (see :class:`~slotwise.mcp.context.Backend`)."""
    server = SlotwiseMCPServer(
        name="slotwise", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )
    server.backend = backend
    tools_profile.register(server)
    tools_bookings.register(server)
    tools_more.register(server)
    return server


def run_stdio(backend: Backend) -> None:
    """Serve MCP over stdin/stdout until the client closes it."""
    build_server(backend).run("stdio")


def run_http(backend: Backend, host: str, port: int) -> None:
    """Serve MCP over streamable HTTP at ``http://host:port/mcp``. Callers may present their own
    API key as ``Authorization: Bearer``; otherwise ``backend.api_key`` is used."""
    build_server(backend).run("streamable-http", host=host, port=port)
