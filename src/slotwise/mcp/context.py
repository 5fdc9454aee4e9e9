"""Where a tool's API calls go and with which key.

A :class:`Backend` says which Cal.com API v2 server to call (``base_url``, or an in-process ASGI
``transport`` when mounted on the Slotwise app) and the key to use when the MCP request brings
none (``api_key``, from SLOTWISE_API_KEY or ``slotwise login``). A caller on HTTP may present its
own key as ``Authorization: Bearer <key>``; on the mounted ``/mcp`` it must.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

import httpx2
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import ValidationError

from slotwise.client import AsyncClient, RetryPolicy, SlotwiseAPIError, SlotwiseError
from slotwise.mcp.results import api_failure, argument_error, success, zone_or_utc


@dataclass
class Backend:
    """The API server the tools call: ``base_url`` (server root, no ``/v2``), the default
    ``api_key`` (None: only callers' own keys, or public operations), and an optional ASGI
    ``transport`` (calls go in-process, never over the network)."""

    base_url: str
    api_key: str | None = None
    transport: httpx2.AsyncBaseTransport | None = None
    #: The user's time zone per API key (from ``/v2/me``), cached.
    zones: dict[str, str] = field(default_factory=dict)

    def client(self, api_key: str | None) -> AsyncClient:
        """A new SDK client for ``api_key`` (close it after use)."""
        return AsyncClient(
            self.base_url,
            api_key=api_key,
            transport=self.transport,
            retry=RetryPolicy(retry_transport_errors=False),  # a server down: say so at once
        )


def bearer(headers: Mapping[str, str] | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not headers:
        return None
    value = headers.get("authorization") or headers.get("Authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class SlotwiseMCPServer(MCPServer[Any]):
    """An :class:`mcp.server.MCPServer` that knows its :class:`Backend`, and answers arguments
    that do not fit a tool's schema with one sentence naming them (not pydantic's report)."""

    backend: Backend

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context | None = None
    ) -> Any:
        """Run tool ``name``; a validation failure of its arguments becomes a ToolError whose
        text is :func:`~slotwise.mcp.results.argument_error`."""
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(exc, UnexpectedToolError) or not isinstance(cause, ValidationError):
                raise
            tool = self._tool_manager.get_tool(name)
            properties = (tool.parameters.get("properties") or {}) if tool else {}
            descriptions = {
                arg: str(spec.get("description"))
                for arg, spec in properties.items()
                if isinstance(spec, dict) and spec.get("description")
            }
            message = argument_error(name, cause.errors(), descriptions)
            raise ToolError(message) from cause


def backend_of(ctx: Context) -> Backend:
    """The backend of the server handling ``ctx``."""
    return cast(SlotwiseMCPServer, ctx.mcp_server).backend


def key_of(ctx: Context) -> str | None:
    """The API key for this call: the caller's bearer token, else the server's own key."""
    return bearer(ctx.headers) or backend_of(ctx).api_key


class Api:
    """One tool call's view of the API: ``await api.send(...)`` returns ``data`` or raises the
    SDK's errors; :meth:`zone` is the user's time zone (``/v2/me``'s ``timeZone``, cached per
    key; UTC without a key or when it cannot be read)."""

    def __init__(self, ctx: Context) -> None:
        self.backend = backend_of(ctx)
        self.key = key_of(ctx)
        self.client = self.backend.client(self.key)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        version: str | None = None,
    ) -> Any:
        """``method path`` with ``params``/``json`` and ``cal-api-version: version``; returns
        the envelope's ``data``. Raises SlotwiseAPIError (the server's error) and friends."""
        page = await self.client.send(method, path, params=params, json=json, api_version=version)
        return page.data

    async def zone(self) -> ZoneInfo:
        """The user's IANA zone (UTC when unknown)."""
        if not self.key:
            return zone_or_utc(None)
        cached = self.backend.zones.get(self.key)
        if cached is None:
            try:
                me = await self.send("GET", "/v2/me")
            except SlotwiseAPIError:
                return zone_or_utc(None)
            cached = str(me.get("timeZone") or "UTC") if isinstance(me, dict) else "UTC"
            self.backend.zones[self.key] = cached
        return zone_or_utc(cached)

    async def close(self) -> None:
        """Release the client's connections."""
        await self.client.aclose()


def clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` without the None entries (arguments the model left out)."""
    return {k: v for k, v in values.items() if v is not None}


async def call(
    ctx: Context,
    method: str,
    path: str,
    *,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    version: str | None = None,
    note: str | None = None,
) -> CallToolResult:
    """Perform one API call for a tool: its ``data`` as a readable result (instants in the
    user's zone and UTC), or a tool error carrying the server's message."""
    api = Api(ctx)
    try:
        data = await api.send(method, path, params=clean(params or {}), json=json, version=version)
        if path == "/v2/me" and method != "GET" and api.key:
            api.backend.zones.pop(api.key, None)  # the profile's time zone may have changed
        return success(data, await api.zone(), note)
    except SlotwiseError as exc:
        return api_failure(exc)
    finally:
        await api.close()


def add_tools(
    server: MCPServer[Any], tools: Sequence[tuple[Callable[..., Any], ToolAnnotations]]
) -> None:
    """Register each ``(function, hints)``: the tool's name is the function's, its description
    (what the model reads to decide when to use it) the function's docstring."""
    for fn, hints in tools:
        server.add_tool(
            fn,
            name=fn.__name__,
            description=inspect.getdoc(fn) or "",
            annotations=hints,
            structured_output=False,
        )
