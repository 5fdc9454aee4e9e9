"""``slotwise mcp`` over stdio, driven by the official MCP client SDK as a real client."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mcp import ClientSession, StdioServerParameters, stdio_client
from tests.conftest import Host
from tests.mcp.scenario import run_scenario


async def test_stdio_server_against_live_api(live_url: str, host: Host, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SLOTWISE_API_URL": live_url,
        "SLOTWISE_API_KEY": host.api_key,
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    params = StdioServerParameters(command=sys.executable, args=["-m", "slotwise", "mcp"], env=env)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await run_scenario(session, host, live_url)
