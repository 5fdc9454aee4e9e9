"""The server's own pages: the landing page at ``/`` and the HTML 404 for browsers.

``/`` says what this server is and links to the demo's booking pages (when ``serve --demo``
seeded them), the API reference (``/docs``), the OpenAPI document and the health check.

A path that matches no route answers a small HTML 404 page with a way back to ``/`` when the
request accepts ``text/html`` and the path is not one of the API's (``/v2``, ``/mcp``,
``/health*``, ``/metrics``, ``/openapi.json``); everything else keeps Cal.com's JSON error
envelope (:func:`install_html_not_found` wraps the envelope's handler). These pages are in
English whatever the browser asks (they are for whoever runs the server).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from slotwise import __version__
from slotwise.event_types.repository import user_by_username, user_event_types
from slotwise.kit.session import DbSession
from slotwise.pages.render import PageContext, page_context, render
from slotwise.policy.event_types import listable_event_types

DEMO_USERNAME = "demo"  # the user `serve --demo` seeds (slotwise.demo)
API_PREFIXES = ("/v2", "/mcp", "/health", "/metrics", "/openapi.json")

router = APIRouter(include_in_schema=False)


def _context(request: Request) -> PageContext:
    return replace(page_context(request), language="en")


@router.get("/")
async def landing(request: Request, session: DbSession) -> Response:
    """What this server is, the demo's booking pages when seeded, the API docs and health."""
    demo = await user_by_username(session, DEMO_USERNAME)
    event_types = (
        list(await user_event_types(session, listable_event_types(None, demo.id)))
        if demo is not None
        else []
    )
    return render(
        _context(request),
        "landing.html",
        version=__version__,
        demo=demo,
        event_types=event_types,
    )


@router.get("/health{suffix:path}")
async def other_health_paths(suffix: str) -> Response:
    """``/healthz``, ``/health-check``, ...: the API's 404 envelope (not a booking page for a
    user of that name); ``/health`` itself is the app's health check."""
    raise StarletteHTTPException(404)


def is_api_path(path: str) -> bool:
    """True for the API's paths, whose errors are always Cal.com's JSON envelope."""
    if path.startswith("/health"):  # /health, /healthz, /health/ready, ...
        return True
    return any(path == prefix or path.startswith(prefix + "/") for prefix in API_PREFIXES)


def wants_html(request: Request) -> bool:
    """True when the request's ``Accept`` header names ``text/html`` (a browser)."""
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip() == "text/html" for part in accept.split(","))


def html_not_found(request: Request) -> HTMLResponse:
    """The HTML 404 page for ``request``'s path, with links back to ``/`` and the API docs."""
    return render(_context(request), "missing.html", status_code=404, path=request.url.path)


def install_html_not_found(app: FastAPI) -> None:
    """Answer browsers' requests for unknown non-API paths with :func:`html_not_found`; every
    other HTTP error goes to the handler installed before (Cal.com's envelope). Call after
    ``install_error_handlers``."""
    envelope: Any = app.exception_handlers[StarletteHTTPException]

    async def _not_found_or_envelope(request: Request, exc: Exception) -> Response:
        if (
            isinstance(exc, StarletteHTTPException)
            and exc.status_code == 404
            and exc.detail == "Not Found"
            and not is_api_path(request.url.path)
            and wants_html(request)
        ):
            return html_not_found(request)
        response: Response = await envelope(request, exc)
        return response

    app.add_exception_handler(StarletteHTTPException, _not_found_or_envelope)
