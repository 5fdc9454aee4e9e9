"""``GET /health/ready``: 200 with every check when the database answers at the code's
migration head and Redis (when configured) answers; 503 naming the failing check otherwise.
``/health`` stays the liveness check."""

from __future__ import annotations

import os
from typing import Any

import httpx2
import pytest
from sqlalchemy import text

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.kit.migrate import head_revision
from tests.subprocesses import free_port

REDIS_URL = os.environ.get("SLOTWISE_TEST_REDIS", "redis://127.0.0.1:6379/0")


async def _ready(settings: Settings) -> httpx2.Response:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/health/ready")


async def test_ready_when_database_is_current(client: httpx2.AsyncClient) -> None:
    r = await client.get("/health/ready")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "redis": "not configured"},
    }
    assert (await client.get("/health")).json() == {"status": "ok"}


async def test_ready_checks_redis_when_configured(settings: Settings) -> None:
    r = await _ready(settings.model_copy(update={"redis_url": REDIS_URL}))
    assert r.status_code == 200, r.text
    assert r.json()["checks"]["redis"] == "ok"


async def test_not_ready_when_redis_is_down(settings: Settings) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    r = await _ready(settings.model_copy(update={"redis_url": dead}))
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")


async def test_not_ready_when_schema_is_behind(app: Any, client: httpx2.AsyncClient) -> None:
    db = app.state.db
    head = head_revision(db.url)
    async with db.write_engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0006_older'"))
    try:
        r = await client.get("/health/ready")
        assert r.status_code == 503
        checks = r.json()["checks"]
        assert checks["database"] == "ok"
        assert checks["migrations"] == f"error: database at 0006_older, code expects {head}"
    finally:
        async with db.write_engine.begin() as conn:
            await conn.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head}
            )
    assert (await client.get("/health/ready")).status_code == 200


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_not_ready_when_database_is_unreachable(settings: Settings, tmp_path: Any) -> None:
    port = free_port()
    unreachable = f"postgresql://postgres@127.0.0.1:{port}/nothing"
    r = await _ready(settings.model_copy(update={"database_url": unreachable}))
    assert r.status_code == 503
    checks = r.json()["checks"]
    assert checks["database"].startswith("error")
    assert checks["migrations"] == "unknown"
