"""A tool call whose arguments do not fit the tool's schema answers one readable sentence naming
the argument (not pydantic's report); the API is never called for it."""

from __future__ import annotations

from mcp.client.client import Client as MCPClient

from slotwise.mcp import Backend, build_server
from slotwise.mcp.results import argument_error
from tests.subprocesses import free_port


async def test_missing_and_wrong_arguments_read_as_one_sentence() -> None:
    # Nothing listens there: an answer proves the arguments were refused before any API call.
    server = build_server(Backend(f"http://127.0.0.1:{free_port()}", api_key="cal_live_x"))
    cases = {
        ("get_booking", ()): 'get_booking needs the argument "bookingUid": ',
        ("get_booking", (("bookingUid", 5),)): (
            'get_booking: the argument "bookingUid" must be a string, not 5.'
        ),
        ("get_bookings", (("take", "lots"),)): (
            'get_bookings: the argument "take" must be an integer, not "lots".'
        ),
    }
    async with MCPClient(server) as client:
        for (tool, args), expected in cases.items():
            result = await client.call_tool(tool, dict(args))
            text = result.content[0].text  # type: ignore[union-attr]
            assert result.is_error, tool
            assert text.startswith(expected), text
            assert "validation error" not in text and "pydantic" not in text
            assert text.count("\n") == 0
        down = await client.call_tool("get_me", {})
        assert down.is_error
        assert "could not be reached" in down.content[0].text  # type: ignore[union-attr]


def test_several_arguments_in_one_sentence() -> None:
    errors = [
        {"type": "missing", "loc": ("start",), "msg": "Field required", "input": {}},
        {"type": "missing", "loc": ("end",), "msg": "Field required", "input": {}},
        {"type": "list_type", "loc": ("usernames",), "msg": "Input should be a valid list",
         "input": "ada"},
        {"type": "value_error", "loc": ("attendee", "email"),
         "msg": "Value error, not an email address", "input": "x"},
    ]  # fmt: skip
    assert argument_error("find_common_slots", errors) == (
        'find_common_slots needs the arguments "start", "end"; the argument "usernames" must be '
        'a list, not "ada"; the argument "attendee.email" is invalid (not an email address), '
        'not "x".'
    )
