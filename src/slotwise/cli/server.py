"""``slotwise serve`` and ``slotwise migrate``."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
import uvicorn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.app import create_app
from slotwise.cli.common import fail, ready_settings, run_in_transaction
from slotwise.config import Settings
from slotwise.demo import DemoSeed, seed_demo
from slotwise.email.transport import outbox_dir, parse_smtp_url
from slotwise.kit.db import is_sqlite
from slotwise.kit.middleware import configure_logging
from slotwise.kit.migrate import current_revision, head_revision, upgrade
from slotwise.models import User


def email_destination(settings: Settings) -> str:
    """Where this server's emails go, in one line: the SMTP server, or the outbox folder."""
    smtp = settings.smtp_url.get_secret_value() if settings.smtp_url is not None else ""
    if smtp:
        try:
            target = parse_smtp_url(smtp)
        except ValueError as exc:
            return f"SLOTWISE_SMTP_URL is invalid ({exc}): emails will fail until it is fixed"
        return f"sent through {target.hostname}:{target.port} (SLOTWISE_SMTP_URL)"
    return (
        f"written to {outbox_dir(settings)} as .eml files, one log line each "
        "(no SLOTWISE_SMTP_URL set)"
    )


def demo_banner(settings: Settings, seed: DemoSeed) -> str:
    """What ``serve --demo`` prints: the booking pages it seeded, the API docs, where emails
    go, the demo key (and where it is kept) and curl commands to try."""
    base = settings.base_url
    key = seed.api_key
    et = seed.event_type_ids["30min"]
    today = datetime.now(UTC).date()
    start = today + timedelta(days=1)
    end = today + timedelta(days=7)
    if seed.new_key:
        about_key = f"new; kept in {seed.key_file} (earlier demo keys stop working)"
    else:
        about_key = f"the same at every start, kept in {seed.key_file}"
    about_password = (
        f"kept beside the key in {seed.key_file.with_name('demo_password')}, replaced with it"
    )
    access = web_access_lines(settings)
    return f"""
Slotwise demo is ready at {base}
  booking pages: {base}/{seed.username}          (the demo user's event types)
                 {base}/{seed.username}/30min    (book a 30-minute meeting)
  API docs:      {base}/docs           (OpenAPI document: {base}/openapi.json)
  health check:  {base}/health
  emails:        {email_destination(settings)}
  user:    {seed.username}   (event types: {", ".join(seed.event_type_ids)})
  API key: {key}
  ({about_key}; `slotwise serve --demo --new-key` replaces it)
  web app: {base}/app/login   username: {seed.username}   password: {seed.password}
  ({about_password})
{access}

Try it:
  slotwise login --api-key {key} --api-url {base}
  export CAL_KEY={key}
  curl -s {base}/v2/me -H "Authorization: Bearer $CAL_KEY"
  curl -s "{base}/v2/slots?eventTypeId={et}&start={start}&end={end}&timeZone=Europe/London" \\
       -H "cal-api-version: 2024-09-04"
  curl -s -X POST {base}/v2/bookings -H "cal-api-version: 2024-08-13" \\
       -H "Content-Type: application/json" \\
       -d '{{"eventTypeId": {et}, "start": "<a slot start from above>",
            "attendee": {{"name": "Ada", "email": "ada@example.com",
                          "timeZone": "Europe/London"}}}}'
  curl -s {base}/v2/bookings -H "cal-api-version: 2024-08-13" -H "Authorization: Bearer $CAL_KEY"
"""


def demo_settings(settings: Settings) -> Settings:
    """``serve --demo``'s settings: sign-up open (unless ``SLOTWISE_SIGNUP`` says otherwise)
    and webhooks to private networks allowed on its loopback server (unless
    ``SLOTWISE_WEBHOOK_BLOCK_PRIVATE_NETWORKS`` is set)."""
    update: dict[str, object] = {}
    if "signup" not in settings.model_fields_set:
        update["signup"] = "open"
    if settings.webhook_block_private_networks is None:
        update["webhook_block_private_networks"] = False
    return settings.model_copy(update=update) if update else settings


def web_access_lines(settings: Settings) -> str:
    """Who may sign up on this server, and whether webhooks may reach private networks."""
    base = settings.base_url
    if settings.signup == "open":
        signup = f"  sign-up: open, anyone can create an account at {base}/app/signup"
    else:
        signup = "  sign-up: closed (SLOTWISE_SIGNUP=closed): `slotwise users create` adds users"
    if settings.block_private_networks:
        hooks = "  webhooks: URLs on private networks are refused"
    else:
        hooks = (
            "  webhooks: URLs on private and loopback networks are allowed on this demo server "
            "(SLOTWISE_WEBHOOK_BLOCK_PRIVATE_NETWORKS=true refuses them)"
        )
    return f"{signup}\n{hooks}"


def first_user_hint(settings: Settings) -> str:
    """What plain ``serve`` prints on a database without users: how to create the first one."""
    return f"""
Slotwise is running at {settings.base_url}, and has no users yet. Create the first one (this
prints its API key once):
  slotwise users create --username alice --email alice@example.com --time-zone Europe/London
or start with demo data instead: slotwise serve --demo
API docs: {settings.base_url}/docs
"""


async def _has_users(session: AsyncSession) -> bool:
    return await session.scalar(select(User.id).limit(1)) is not None


def reserved_username_warnings(usernames: list[str]) -> list[str]:
    """One warning line per user whose name the server now uses for itself (``app``: the web
    app), with the command that renames them."""
    return [
        f"Warning: user '{name}' has a reserved username (the server uses /{name}), so their "
        f"public page cannot be reached; rename them: slotwise users rename {name} NEW_USERNAME"
        for name in usernames
    ]


def warn_reserved_usernames(settings: Settings) -> None:
    """Print :func:`reserved_username_warnings` for this database (to stderr)."""
    from slotwise.users.service import reserved_usernames_in_use

    for line in reserved_username_warnings(run_in_transaction(settings, reserved_usernames_in_use)):
        typer.echo(line, err=True)


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Seed demo data and print the demo key")
    ] = False,
    new_key: Annotated[
        bool,
        typer.Option(
            "--new-key",
            help="With --demo: replace the demo key (kept in the data dir) with a new one",
        ),
    ] = False,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log one line per request (default: on with --demo, off otherwise)",
            show_default=False,
        ),
    ] = None,
    no_worker: Annotated[
        bool, typer.Option("--no-worker", help="Do not run the background worker in-process")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="API processes on this port (more than 1 needs PostgreSQL and runs no "
            "in-process worker: run `slotwise worker` beside it)",
        ),
    ] = 1,
) -> None:
    """Start the API server (SQLite is migrated at start; PostgreSQL must be migrated first).

    The background worker (webhooks, emails, scheduled jobs) runs in the same process unless
    --no-worker is given, SLOTWISE_WORKER_IN_PROCESS=false, or --workers is above 1. SIGTERM
    stops it gracefully: no new connections, requests in flight finish (up to 30 s)."""
    if new_key and not demo:
        raise fail("--new-key replaces the demo key: use it with --demo")
    if workers > 1:
        _check_fleet(demo)
    settings = ready_settings(host=host, port=port)
    if workers > 1:
        if is_sqlite(settings.database_url):
            raise fail(
                f"--workers {workers} needs PostgreSQL: SQLite allows one writer process. Set "
                "SLOTWISE_DATABASE_URL=postgresql://… (`slotwise db copy` moves the data) or "
                "serve with one process."
            )
        warn_reserved_usernames(settings)
        _serve_fleet(settings, workers, access_log=bool(access_log))
        return
    if no_worker:
        settings = settings.model_copy(update={"worker_in_process": False})
    if demo:
        settings = demo_settings(settings)
        seed = run_in_transaction(settings, lambda s: seed_demo(s, new_key=new_key))
        typer.echo(demo_banner(settings, seed))
    elif not run_in_transaction(settings, _has_users):
        typer.echo(first_user_hint(settings))
    warn_reserved_usernames(settings)
    configure_logging(settings.log_level, settings.log_format)
    app = create_app(settings)
    # X-Forwarded-For is applied by the app itself, from SLOTWISE_FORWARDED_ALLOW_IPS only
    # (uvicorn would trust it from 127.0.0.1 by default).
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=demo if access_log is None else access_log,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


GRACEFUL_SHUTDOWN_SECONDS = 30
"""How long SIGTERM waits for requests in flight before closing their connections."""


def _check_fleet(demo: bool) -> None:
    """Refuse what several API processes cannot do (exits 1)."""
    if demo:
        raise fail(
            "--demo runs one process on SQLite: use it without --workers (a fleet serves an "
            "existing PostgreSQL installation)"
        )


def _serve_fleet(settings: Settings, workers: int, *, access_log: bool) -> None:
    """Run ``workers`` API processes on one port with uvicorn's process manager.

    Each process builds the app from the environment (``slotwise.app:create_fleet_app`` as a
    factory), so the settings given on the command line are passed down as SLOTWISE_*
    variables; no process runs the in-process job worker. The manager restarts a process that
    dies, and on SIGTERM/SIGINT stops them all gracefully."""
    os.environ["SLOTWISE_HOST"] = settings.host
    os.environ["SLOTWISE_PORT"] = str(settings.port)
    os.environ["SLOTWISE_WORKER_IN_PROCESS"] = "false"
    if settings.metrics:
        # prometheus-client's multiprocess mode: every process writes its series here and a
        # scrape of any one of them sums them all. A fresh directory per start.
        import atexit
        import shutil
        import tempfile

        directory = tempfile.mkdtemp(prefix="slotwise-metrics-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    configure_logging(settings.log_level, settings.log_format)
    typer.echo(
        f"Slotwise: {workers} API processes at {settings.base_url} (PostgreSQL); no in-process "
        "worker: run `slotwise worker` beside them."
    )
    uvicorn.run(
        "slotwise.app:create_fleet_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=access_log,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def migrate_command() -> None:
    """Apply pending database migrations (needed on PostgreSQL; SQLite migrates at start)."""
    settings = Settings()
    try:
        before = current_revision(settings.database_url)
        upgrade(settings.database_url)
    except Exception as exc:  # a connection or migration failure: report, exit 1
        raise fail(f"Migration failed: {exc}") from exc
    head = head_revision(settings.database_url)
    kind = "SQLite" if is_sqlite(settings.database_url) else "PostgreSQL"
    if before == head:
        typer.echo(f"{kind} schema already at {head}.")
    else:
        typer.echo(f"{kind} schema migrated from {before or 'empty'} to {head}.")
    warn_reserved_usernames(settings)
