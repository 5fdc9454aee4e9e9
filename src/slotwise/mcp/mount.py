"""``/mcp`` on the Slotwise API server: the MCP server over streamable HTTP for callers who
present their API key (``Authorization: Bearer <key>``).

The key is checked with ``GET /v2/me`` before any MCP message is handled (401 in Cal.com's error
envelope otherwise); each MCP session is bound to the key that opened it; the tools call the API
in-process (an ASGI transport into this same app), as that key. The ``mcp`` package is imported
and the server built only when the app starts (its lifespan), so creating the app stays cheap.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx2
from fastapi import FastAPI
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from slotwise.kit.errors import error_body

log = logging.getLogger(__name__)
PATH = "/mcp"
INTERNAL_URL = "http://slotwise.internal"
KEY_CACHE_SECONDS = 30.0


class MountedMCP:
    """The ASGI endpoint at ``/mcp``: authenticates the caller's key, then hands the request
    to the MCP SDK's streamable-HTTP session manager (started by :meth:`running`)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.manager: Any = None
        self._known: dict[str, tuple[int, float]] = {}

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Build the MCP server and run its session manager for the app's lifetime."""
        try:
            from mcp.server.transport_security import TransportSecuritySettings

            from slotwise.mcp.context import Backend
            from slotwise.mcp.server import build_server
        except ImportError as exc:  # the mcp package is missing: /mcp answers 503
            log.warning("MCP endpoint disabled: %s", exc)
            yield
            return
        backend = Backend(INTERNAL_URL, transport=httpx2.ASGITransport(app=self.app))
        server = build_server(backend)
        # Callers authenticate with a bearer key (no cookies), so DNS rebinding protection,
        # which would pin the Host header to localhost, is not needed on the API server.
        server.streamable_http_app(
            streamable_http_path=PATH,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        self.manager = server.session_manager
        async with self.manager.run():
            yield
        self.manager = None

    async def _user_id(self, key: str, backend_app: Any) -> int | str | None:
        """The id of the user ``key`` belongs to (``GET /v2/me`` in-process), or the server's
        error message when the key is refused."""
        cached = self._known.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        transport = httpx2.ASGITransport(app=backend_app)
        async with httpx2.AsyncClient(transport=transport, base_url=INTERNAL_URL) as http:
            answer = await http.get("/v2/me", headers={"authorization": f"Bearer {key}"})
        if answer.status_code != 200:
            try:
                return str(answer.json()["error"]["message"])
            except (ValueError, KeyError, TypeError):
                return "Invalid API key"
        user_id = int(answer.json()["data"]["id"])
        self._known[key] = (user_id, time.monotonic() + KEY_CACHE_SECONDS)
        return user_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.manager is None:
            body = error_body(PATH, 503, "The MCP server is not running on this server")
            await JSONResponse(body, status_code=503)(scope, receive, send)
            return
        from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
        from mcp.server.auth.provider import AccessToken

        from slotwise.mcp.context import bearer

        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        key = bearer(headers)
        found = await self._user_id(key, self.app) if key else "Missing API key"
        if key is None or not isinstance(found, int):
            body = error_body(PATH, 401, f"{found}: send Authorization: Bearer <API key>")
            await JSONResponse(body, status_code=401)(scope, receive, send)
            return
        # The session manager binds each MCP session to this principal: another key cannot
        # use the session id.
        principal = hashlib.sha256(key.encode()).hexdigest()[:32]
        token = AccessToken(token=key, client_id=principal, scopes=[], subject=str(found))
        await self.manager.handle_request(
            {**scope, "user": AuthenticatedUser(token)}, receive, send
        )


def install_mcp(app: FastAPI) -> None:
    """Serve the MCP server at ``/mcp`` on ``app`` (before every other route, so the public
    booking pages' ``/{username}`` never shadows it) and run it within the app's lifespan."""
    endpoint = MountedMCP(app)
    app.router.routes.insert(0, Route(PATH, endpoint=endpoint, methods=["GET", "POST", "DELETE"]))
    inner: Callable[[Any], AbstractAsyncContextManager[Any]] = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with inner(application) as state, endpoint.running():
            yield state

    app.router.lifespan_context = lifespan
