"""``GET /health/ready``: may a load balancer send this process traffic?

``/health`` is the liveness check (the process answers); readiness also checks what a request
needs:

- ``database``: a query answers;
- ``migrations``: the schema is at the code's head revision, or at a later one that the code
  declares compatible (:data:`slotwise.kit.migrate.COMPATIBLE_LATER_REVISIONS`, for rolling
  upgrades where the new code migrates first);
- ``redis``: when ``SLOTWISE_REDIS_URL`` is set, Redis answers a ping (``"not configured"``
  otherwise).

200 ``{"status": "ok", "checks": {...}}`` when every check is ``"ok"`` (or not configured); 503
``{"status": "error", "checks": {...}}`` naming the failing check's problem otherwise.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from slotwise.kit.db import Database
from slotwise.kit.migrate import COMPATIBLE_LATER_REVISIONS

CHECK_TIMEOUT_SECONDS = 3.0
"""How long one check may take before it counts as failed."""


async def _database_checks(db: Database, head: str | None) -> dict[str, str]:
    """The ``database`` and ``migrations`` checks (one connection)."""
    try:
        async with db.read_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            try:
                revision = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar()
            except Exception:  # no alembic_version table: never migrated
                revision = None
    except Exception as exc:  # unreachable, refused, bad credentials: report, don't raise
        return {"database": f"error: {type(exc).__name__}", "migrations": "unknown"}
    if revision == head or revision in COMPATIBLE_LATER_REVISIONS:
        migrations = "ok"
    else:
        migrations = f"error: database at {revision or 'no revision'}, code expects {head}"
    return {"database": "ok", "migrations": migrations}


async def _redis_check(redis_url: str | None) -> str:
    """``"ok"``, ``"not configured"`` or ``"error: ..."`` for Redis."""
    if not redis_url:
        return "not configured"
    from limits.storage import storage_from_string

    url = redis_url.replace("redis://", "async+redis://", 1).replace(
        "rediss://", "async+rediss://", 1
    )
    try:
        storage = storage_from_string(url)
        reachable = await storage.check()  # type: ignore[misc]  # async storage: a coroutine
    except Exception as exc:  # a bad URL or a refused connection
        return f"error: {type(exc).__name__}"
    return "ok" if reachable else "error: no answer to PING"


async def readiness(db: Database, head: str | None, redis_url: str | None) -> dict[str, Any]:
    """Run every check (each bounded by :data:`CHECK_TIMEOUT_SECONDS`) and return the body:
    ``{"status": "ok" | "error", "checks": {"database", "migrations", "redis"}}``."""
    checks: dict[str, str] = {}
    try:
        checks.update(await asyncio.wait_for(_database_checks(db, head), CHECK_TIMEOUT_SECONDS))
    except TimeoutError:
        checks.update({"database": "error: timed out", "migrations": "unknown"})
    try:
        checks["redis"] = await asyncio.wait_for(_redis_check(redis_url), CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        checks["redis"] = "error: timed out"
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    return {"status": "ok" if healthy else "error", "checks": checks}
