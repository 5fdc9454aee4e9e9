"""MCP over streamable HTTP, with the official MCP client SDK: ``/mcp`` mounted on the API server
(callers present their API key) and the standalone ``slotwise mcp --http --port P``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from mcp.client.streamable_http import streamable_http_client

from mcp import ClientSession
from slotwise.client import Client
from tests.conftest import Host
from tests.mcp.scenario import ok, run_scenario
from tests.subprocesses import free_port, start

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
ACCEPT = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


async def test_mounted_mcp_with_the_callers_key(live_url: str, host: Host) -> None:
    headers = {"authorization": f"Bearer {host.api_key}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        streamable_http_client(f"{live_url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await run_scenario(session, host, live_url)


async def test_mounted_mcp_refuses_missing_or_unknown_keys(live_url: str, host: Host) -> None:
    async with httpx2.AsyncClient(base_url=live_url, timeout=30) as http:
        missing = await http.post("/mcp", json=INIT, headers=ACCEPT)
        assert missing.status_code == 401
        assert missing.json()["error"]["code"] == "UnauthorizedException"
        assert "Authorization: Bearer" in missing.json()["error"]["message"]
        wrong = await http.post(
            "/mcp", json=INIT, headers={**ACCEPT, "authorization": "Bearer cal_nope"}
        )
        assert wrong.status_code == 401
        ok = await http.post(
            "/mcp", json=INIT, headers={**ACCEPT, "authorization": f"Bearer {host.api_key}"}
        )
        assert ok.status_code == 200


async def test_mounted_session_is_bound_to_its_key(
    live_url: str, host: Host, other_host: Host
) -> None:
    async with httpx2.AsyncClient(base_url=live_url, timeout=30) as http:
        opened = await http.post(
            "/mcp", json=INIT, headers={**ACCEPT, "authorization": f"Bearer {host.api_key}"}
        )
        session_id = opened.headers["mcp-session-id"]
        listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
        stolen = await http.post(
            "/mcp",
            json=listing,
            headers={
                **ACCEPT,
                "authorization": f"Bearer {other_host.api_key}",
                "mcp-session-id": session_id,
                "mcp-protocol-version": "2025-06-18",
            },
        )
        assert stolen.status_code == 404


async def test_find_common_slots_of_two_users(live_url: str, host: Host, other_host: Host) -> None:
    """Alice works 09-12 Rome time, Bob 10-13: together 10:00-12:00 Rome (08:00-10:00Z)."""
    for who, hours in ((host, ("09:00", "12:00")), (other_host, ("10:00", "13:00"))):
        with Client(live_url, api_key=who.api_key) as cal:
            cal.schedules.create({
                "name": "Work", "timeZone": "Europe/Rome", "isDefault": True,
                "availability": [{"days": ["Monday"], "startTime": hours[0], "endTime": hours[1]}],
            })  # fmt: skip
    headers = {"authorization": f"Bearer {host.api_key}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        streamable_http_client(f"{live_url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        found = await ok(session, "find_common_slots", {
            "usernames": [host.username, other_host.username],
            "start": "2050-09-05", "end": "2050-09-05", "duration": 30, "count": 3,
        })  # fmt: skip
        assert [s["start"] for s in found["slots"]] == [
            "2050-09-05T08:00:00.000Z", "2050-09-05T08:30:00.000Z", "2050-09-05T09:00:00.000Z",
        ]  # fmt: skip
        alone = await session.call_tool("find_common_slots", {
            "usernames": [host.username], "start": "2050-09-05", "end": "2050-09-05",
        })  # fmt: skip
        assert alone.is_error  # two users at least


@pytest.fixture
def standalone(live_url: str, host: Host, tmp_path: Path) -> Iterator[str]:
    """``slotwise mcp --http`` on a free port, using ``host``'s key from the environment."""
    port = free_port()
    env = {
        **os.environ,
        "SLOTWISE_API_URL": live_url,
        "SLOTWISE_API_KEY": host.api_key,
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    server = start(["mcp", "--http", "--port", str(port)], env)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        server.wait_http(url, ready=lambda _answer: True)  # any answer: it is listening
        yield url
    finally:
        server.stop()


async def test_standalone_http_server(standalone: str, live_url: str, host: Host) -> None:
    async with (
        httpx2.AsyncClient(timeout=60) as http,
        streamable_http_client(standalone, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await run_scenario(session, host, live_url)
