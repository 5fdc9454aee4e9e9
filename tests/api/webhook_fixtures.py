"""Helpers for webhook delivery tests: a loopback receiver, a fast worker, subscriptions."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from slotwise.config import Settings
from slotwise.jobs import Worker
from slotwise.kit.db import Database
from slotwise.models import Job
from tests.conftest import Host
from tests.webhook_receiver import Received, Receiver


def fast(settings: Settings, **extra: Any) -> Settings:
    """Settings with a short retry schedule (0.2 s per retry) and quick polling."""
    return settings.model_copy(
        update={
            "webhook_retry_schedule": "0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2",
            "worker_poll_seconds": 0.05,
            "webhook_timeout_seconds": 5.0,
            **extra,
        }
    )


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = await Receiver().start()
    yield rec
    await rec.stop()


async def subscribe(
    client: httpx2.AsyncClient,
    host: Host,
    url: str,
    triggers: list[str],
    *,
    event_type_id: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    path = f"/v2/event-types/{event_type_id}/webhooks" if event_type_id else "/v2/webhooks"
    r = await client.post(
        path,
        json={"subscriberUrl": url, "triggers": triggers, "active": True, **extra},
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def run_jobs(app: Any, settings: Settings, **extra: Any) -> int:
    """Run every due job (and the jobs they make due) with a fast worker."""
    worker = Worker(app.state.db, fast(settings, **extra))
    try:
        return await worker.run_until_idle()
    finally:
        await worker.close()


async def run_until(app: Any, settings: Settings, receiver: Receiver, count: int) -> None:
    """Keep running due jobs (retries included) until ``receiver`` got ``count`` requests."""
    for _ in range(200):
        await run_jobs(app, settings)
        if len(receiver.requests) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"only {len(receiver.requests)} of {count} deliveries arrived")


def verify(secret: str, req: Received) -> bool:
    """True when the request's X-Cal-Signature-256 is the HMAC of its exact body."""
    expected = hmac.new(secret.encode(), req.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, req.headers["x-cal-signature-256"])


async def all_jobs(app: Any) -> list[Job]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        return list((await session.execute(select(Job).order_by(Job.id))).scalars())
