"""``slotwise serve`` and ``slotwise migrate``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
import uvicorn

from slotwise.app import create_app
from slotwise.cli.common import fail, ready_settings, run_in_transaction
from slotwise.config import Settings
from slotwise.demo import DemoSeed, seed_demo
from slotwise.kit.db import is_sqlite
from slotwise.kit.middleware import configure_logging
from slotwise.kit.migrate import current_revision, head_revision, upgrade


def _demo_banner(settings: Settings, seed: DemoSeed) -> str:
    base = settings.base_url
    key = seed.api_key
    et = seed.event_type_ids["30min"]
    today = datetime.now(UTC).date()
    start = today + timedelta(days=1)
    end = today + timedelta(days=7)
    return f"""
Slotwise demo is ready at {base}
  user:    {seed.username}   (event types: {", ".join(seed.event_type_ids)})
  API key: {key}
  (a new key is issued at every --demo start; earlier demo keys stop working)

Try it:
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


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Seed demo data and print a key")] = False,
    no_worker: Annotated[
        bool, typer.Option("--no-worker", help="Do not run the background worker in-process")
    ] = False,
) -> None:
    """Start the API server (SQLite is migrated at start; PostgreSQL must be migrated first).

    The background worker (webhooks, emails, scheduled jobs) runs in the same process unless
    --no-worker is given or SLOTWISE_WORKER_IN_PROCESS=false."""
    settings = ready_settings(host=host, port=port)
    if no_worker:
        settings = settings.model_copy(update={"worker_in_process": False})
    if demo:
        seed = run_in_transaction(settings, seed_demo)
        typer.echo(_demo_banner(settings, seed))
    configure_logging(settings.log_level)
    app = create_app(settings)
    # X-Forwarded-For is applied by the app itself, from SLOTWISE_FORWARDED_ALLOW_IPS only
    # (uvicorn would trust it from 127.0.0.1 by default).
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
        proxy_headers=False,
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
