"""``slotwise mcp``: the MCP server over stdio (default) or streamable HTTP (``--http``)."""

from __future__ import annotations

from typing import Annotated

import typer

from slotwise.cli.client_common import load_credentials


def mcp_command(
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP at /mcp instead of stdio")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Interface to bind (with --http)")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="Port to bind (with --http)")] = 8765,
) -> None:
    """Serve Cal.com's MCP tools for AI clients (Claude Desktop, Cursor, …).

    The tools call the API at SLOTWISE_API_URL with SLOTWISE_API_KEY, or the credentials saved by
    `slotwise login`. With --http, MCP is at http://HOST:PORT/mcp and a caller may send its own
    key as `Authorization: Bearer KEY`. stdout carries the protocol: nothing else is printed."""
    from slotwise.mcp import Backend, run_http, run_stdio

    creds = load_credentials()
    backend = Backend(creds.api_url, api_key=creds.api_key)
    if http:
        typer.echo(f"Slotwise MCP server on http://{host}:{port}/mcp -> {creds.api_url}", err=True)
        run_http(backend, host, port)
    else:
        run_stdio(backend)
