"""The MCP server (``slotwise mcp``, ``/mcp`` on the API server): Cal.com's MCP tools, with their
names and arguments, over the Cal.com API v2 through :mod:`slotwise.client`. See docs/mcp.md.

Importing this package is cheap: the ``mcp`` SDK loads only when a name below is used (the API
server imports :mod:`slotwise.mcp.mount`, which defers it to the app's start)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slotwise.mcp.context import Backend
    from slotwise.mcp.server import CAL_TOOLS, SLOTWISE_TOOLS, build_server, run_http, run_stdio

__all__ = ["CAL_TOOLS", "SLOTWISE_TOOLS", "Backend", "build_server", "run_http", "run_stdio"]


def __getattr__(name: str) -> Any:
    if name == "Backend":
        from slotwise.mcp import context

        return context.Backend
    if name in __all__:
        from slotwise.mcp import server

        return getattr(server, name)
    raise AttributeError(name)
