"""The ASGI application: routers, middleware and error handlers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from slotwise import __version__
from slotwise.api_keys.endpoints import router as api_keys_router
from slotwise.bookings.endpoints import cursor_router as bookings_cursor_router
from slotwise.bookings.endpoints import router as bookings_router
from slotwise.bookings.endpoints import team_router as team_bookings_router
from slotwise.calendars.busy import configure as configure_calendars
from slotwise.calendars.endpoints import router as calendars_router
from slotwise.config import Settings, parse_forwarded_allow_ips
from slotwise.credits.endpoints import router as credits_router
from slotwise.email.endpoints import router as email_pages_router
from slotwise.event_types.endpoints import router as event_types_router
from slotwise.event_types.private_link_endpoints import router as private_links_router
from slotwise.event_types.team_endpoints import router as team_event_types_router
from slotwise.hooks import install_hooks
from slotwise.jobs import Worker
from slotwise.kit.auth import ApiKeyValidator
from slotwise.kit.crypto import installation_key, set_process_key
from slotwise.kit.db import create_database, ensure_private_sqlite_file, is_sqlite
from slotwise.kit.errors import install_error_handlers
from slotwise.kit.health import readiness
from slotwise.kit.metrics import MetricsMiddleware
from slotwise.kit.metrics import render as render_metrics
from slotwise.kit.middleware import (
    BodyLimitMiddleware,
    RequestContextMiddleware,
    configure_logging,
)
from slotwise.kit.migrate import head_revision, is_current, upgrade
from slotwise.kit.openapi import install_openapi
from slotwise.kit.ratelimit import RateLimitMiddleware
from slotwise.kit.tracing import fastapi_telemetry, instrument_engines
from slotwise.mcp.mount import install_mcp
from slotwise.me.endpoints import booking_limits_router
from slotwise.me.endpoints import router as me_router
from slotwise.ooo.endpoints import router as ooo_router
from slotwise.pages import router as booking_pages_router
from slotwise.pages.api_reference import router as api_reference_router
from slotwise.pages.landing import install_html_not_found
from slotwise.pages.landing import router as landing_router
from slotwise.schedules.endpoints import router as schedules_router
from slotwise.slots.cache import SlotsCache
from slotwise.slots.endpoints import router as slots_router
from slotwise.teams.endpoints import invite_router as team_invites_router
from slotwise.teams.endpoints import router as teams_router
from slotwise.timezones.endpoints import router as timezones_router
from slotwise.webapp import install_webapp
from slotwise.webapp.settings import AVATAR_BACKSTOP, AVATAR_PATH
from slotwise.webhooks.endpoints import router as webhooks_router
from slotwise.webhooks.team_endpoints import router as team_webhooks_router


class SchemaBehindError(RuntimeError):
    """The PostgreSQL schema is older than the code; run ``slotwise migrate``."""


def prepare_database(settings: Settings) -> None:
    """Make the schema usable: migrate SQLite in place; refuse a PostgreSQL schema that is behind.

    Raises SchemaBehindError on PostgreSQL when migrations are pending.
    """
    if is_sqlite(settings.database_url):
        ensure_private_sqlite_file(settings.database_url)
        upgrade(settings.database_url)
        return
    if not is_current(settings.database_url):
        raise SchemaBehindError(
            "The database schema is behind this version of Slotwise. "
            "Run `slotwise migrate` (with the same SLOTWISE_DATABASE_URL) and start again."
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API for ``settings`` (default: from the environment).

    The database must already be prepared (:func:`prepare_database`).
    """
    settings = settings or Settings()
    install_hooks()
    # Encrypted columns (webhook secrets) use this app's installation key, not the environment's.
    set_process_key(installation_key(settings))
    db = create_database(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        pool_size=settings.database_pool_size,
    )
    head = head_revision(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The in-process background worker (off with `serve --no-worker`).
        worker = Worker(db, settings) if settings.worker_in_process else None
        task = asyncio.create_task(worker.run(), name="slotwise-worker") if worker else None
        yield
        if worker is not None and task is not None:
            worker.stop()
            await task
        await db.dispose()

    app = FastAPI(
        title="Slotwise API",
        version=__version__,
        description="Cal.com API v2 compatible scheduling API.",
        lifespan=lifespan,
        docs_url=None,  # /docs is our own offline reference (pages/api_reference.py)
        redoc_url=None,
        telemetry=fastapi_telemetry(),  # OpenTelemetry, when OTEL_* asks (kit/tracing.py)
    )
    instrument_engines(db.read_engine, db.write_engine)
    app.state.settings = settings
    app.state.db = db
    # remembered GET /v2/slots answers: SQLite only (slots/cache.py says why)
    app.state.slots_cache = SlotsCache(
        settings.slots_cache_entries if db.dialect == "sqlite" else 0
    )
    install_error_handlers(app)
    install_html_not_found(app)  # browsers asking for an unknown page get HTML, APIs JSON
    install_mcp(app)  # /mcp for callers presenting their API key
    configure_calendars(settings)  # busy-time reads outside requests (pages, MCP, jobs)
    install_openapi(app)  # /openapi.json describes every answer (kit/openapi.py)

    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, Any]:
        return {"status": "ok"}

    if settings.metrics:

        @app.get("/metrics", include_in_schema=False)
        async def metrics() -> Response:
            body, content_type = await render_metrics(db)
            return Response(body, media_type=content_type)

    @app.get("/health/ready", include_in_schema=False)
    async def health_ready() -> JSONResponse:
        body = await readiness(db, head, settings.redis_url)
        return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)

    for router in (
        me_router,
        schedules_router,
        event_types_router,
        team_event_types_router,
        slots_router,
        bookings_router,
        bookings_cursor_router,
        team_bookings_router,
        timezones_router,
        email_pages_router,
        webhooks_router,
        team_webhooks_router,
        booking_limits_router,
        ooo_router,
        private_links_router,
        credits_router,
        api_keys_router,
        team_invites_router,  # /v2/teams/invites/... before /v2/teams/{teamId}/...
        teams_router,
        calendars_router,
    ):
        app.include_router(router)
    # The server's own pages (/, /docs), then the public booking pages (/{username}/...),
    # after every API router: keep them last.
    app.include_router(landing_router)
    app.include_router(api_reference_router)
    install_webapp(app)  # the host's web app under /app (webapp/)
    app.include_router(booking_pages_router)

    # Middleware, innermost first (each add_middleware wraps the ones before it):
    # body limit -> rate limit -> CORS -> trusted-proxy client address -> request id and errors.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        # The avatar upload reads up to 5 MB plus the form itself (and answers its own 413).
        overrides={AVATAR_PATH: max(settings.max_body_bytes, AVATAR_BACKSTOP)},
    )
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit_per_minute,
        redis_url=settings.redis_url,
        key_validator=ApiKeyValidator(db),
    )
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "Retry-After",
            "X-Request-Id",
        ],
    )
    trusted_proxies = parse_forwarded_allow_ips(settings.forwarded_allow_ips)
    if trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted_proxies)
    app.add_middleware(RequestContextMiddleware)
    if settings.metrics:  # outermost: it sees every answer, 429s and 500s included
        app.add_middleware(MetricsMiddleware)
    return app


def create_fleet_app() -> FastAPI:
    """The app of one process of ``serve --workers N``: settings from the environment, and
    this process's logging configured as the parent's (spawned processes start without it)."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
