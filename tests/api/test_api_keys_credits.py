"""POST /v2/api-keys/refresh and credits (GET /v2/credits/available, POST /v2/credits/charge,
the ``slotwise credits grant`` operation): balances, monthly reset, idempotent charges and
concurrent charges that never overdraw."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from sqlalchemy import func, select

from slotwise.credits.service import grant
from slotwise.kit import clock
from slotwise.kit.db import Database
from slotwise.models import ApiKey, CreditCharge, User
from tests.conftest import Host


async def test_refresh_replaces_the_key_at_once(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    r = await client.post("/v2/api-keys/refresh", json={}, headers=host.headers)
    assert r.status_code == 200, r.text
    new_key = r.json()["data"]["apiKey"]
    assert new_key.startswith("cal_live_") and new_key != host.api_key
    assert (await client.get("/v2/me", headers=host.headers)).status_code == 401
    new_headers = {"Authorization": f"Bearer {new_key}"}
    assert (await client.get("/v2/me", headers=new_headers)).json()["data"]["id"] == host.id
    db: Database = app.state.db
    async with db.read_sessions() as session:
        keys = (await session.scalars(select(ApiKey).where(ApiKey.user_id == host.id))).all()
    assert len(keys) == 1
    assert keys[0].expires_at is not None
    assert 29 <= (keys[0].expires_at - datetime.now(UTC)).days <= 30
    # never-expiring key, body optional fields
    r = await client.post(
        "/v2/api-keys/refresh", json={"apiKeyNeverExpires": True}, headers=new_headers
    )
    assert r.status_code == 200
    async with db.read_sessions() as session:
        key = await session.scalar(select(ApiKey).where(ApiKey.user_id == host.id))
    assert key is not None and key.expires_at is None


async def test_refresh_errors(client: httpx2.AsyncClient, host: Host) -> None:
    assert (await client.post("/v2/api-keys/refresh", json={})).status_code == 401
    bad = {"Authorization": "Bearer cal_live_nope"}
    assert (await client.post("/v2/api-keys/refresh", json={}, headers=bad)).status_code == 401
    r = await client.post("/v2/api-keys/refresh", json={"apiKeyDaysValid": 0}, headers=host.headers)
    assert r.status_code == 400
    # a refused refresh leaves the old key working
    assert (await client.get("/v2/me", headers=host.headers)).status_code == 200


async def set_credits(app: Any, host: Host, monthly: int, additional: int | None) -> None:
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        user = await session.get(User, host.id)
        assert user is not None
        await grant(session, user, monthly=monthly, additional=additional, now=datetime.now(UTC))


def charge_body(credits: int, ref: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"credits": credits, "creditFor": "AI_AGENT"}
    if ref is not None:
        body["externalRef"] = ref
    return body


async def test_available_and_charge(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    r = await client.get("/v2/credits/available", headers=host.headers)
    assert r.json()["data"] == {
        "hasCredits": False,
        "balance": {"monthlyRemaining": 0, "additional": 0},
    }
    await set_credits(app, host, 10, 5)
    r = await client.get("/v2/credits/available", headers=host.headers)
    assert r.json()["data"] == {
        "hasCredits": True,
        "balance": {"monthlyRemaining": 10, "additional": 5},
    }
    r = await client.post("/v2/credits/charge", json=charge_body(8, "t-1"), headers=host.headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {
        "charged": True,
        "remainingBalance": {"monthlyRemaining": 2, "additional": 5},
    }
    # monthly first, then additional
    r = await client.post("/v2/credits/charge", json=charge_body(4), headers=host.headers)
    assert r.json()["data"]["remainingBalance"] == {"monthlyRemaining": 0, "additional": 3}
    # too much: 400, nothing charged
    r = await client.post("/v2/credits/charge", json=charge_body(4, "t-2"), headers=host.headers)
    assert r.status_code == 400
    r = await client.get("/v2/credits/available", headers=host.headers)
    assert r.json()["data"]["balance"] == {"monthlyRemaining": 0, "additional": 3}
    # the same externalRef is charged once
    for _ in range(3):
        r = await client.post(
            "/v2/credits/charge", json=charge_body(1, "t-3"), headers=host.headers
        )
        assert r.status_code == 200
        assert r.json()["data"]["remainingBalance"] == {"monthlyRemaining": 0, "additional": 2}
    r = await client.post("/v2/credits/charge", json=charge_body(1, "t-1"), headers=host.headers)
    assert r.json()["data"]["remainingBalance"] == {"monthlyRemaining": 0, "additional": 2}


async def test_charge_errors(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    assert (await client.get("/v2/credits/available")).status_code == 401
    assert (await client.post("/v2/credits/charge", json=charge_body(1))).status_code == 401
    for body in (
        {"credits": 0, "creditFor": "AI_AGENT"},
        {"credits": 1},
        {"credits": "x", "creditFor": "AI_AGENT"},
        {"credits": 1, "creditFor": "ai agent"},
        {"credits": 1, "creditFor": "AI_AGENT", "externalRef": ""},
        {"credits": 1, "creditFor": "AI_AGENT", "other": 1},
    ):
        r = await client.post("/v2/credits/charge", json=body, headers=host.headers)
        assert r.status_code == 400, (body, r.text)
    # no balance at all
    r = await client.post("/v2/credits/charge", json=charge_body(1), headers=host.headers)
    assert r.status_code == 400


async def test_monthly_allowance_resets_each_utc_month(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    await set_credits(app, host, 10, 1)
    r = await client.post("/v2/credits/charge", json=charge_body(7), headers=host.headers)
    assert r.json()["data"]["remainingBalance"] == {"monthlyRemaining": 3, "additional": 1}
    now = datetime.now(UTC)
    next_month = datetime(now.year + (now.month == 12), now.month % 12 + 1, 1, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: next_month)
    r = await client.get("/v2/credits/available", headers=host.headers)
    assert r.json()["data"]["balance"] == {"monthlyRemaining": 10, "additional": 1}
    r = await client.post("/v2/credits/charge", json=charge_body(11), headers=host.headers)
    assert r.json()["data"]["remainingBalance"] == {"monthlyRemaining": 0, "additional": 0}


async def test_concurrent_charges_never_overdraw(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await set_credits(app, host, 3, 2)
    distinct = [
        client.post("/v2/credits/charge", json=charge_body(1, f"c-{i}"), headers=host.headers)
        for i in range(8)
    ]
    same = [
        client.post("/v2/credits/charge", json=charge_body(1, "same"), headers=host.headers)
        for _ in range(4)
    ]
    responses = await asyncio.gather(*distinct, *same)
    assert all(r.status_code in (200, 400) for r in responses), [r.text for r in responses]
    r = await client.get("/v2/credits/available", headers=host.headers)
    assert r.json()["data"]["balance"] == {"monthlyRemaining": 0, "additional": 0}
    db: Database = app.state.db
    async with db.read_sessions() as session:
        charged = await session.scalar(select(func.sum(CreditCharge.credits)))
        same_rows = await session.scalar(
            select(func.count()).where(CreditCharge.external_ref == "same")
        )
    assert charged == 5
    assert same_rows <= 1
    successes = sum(r.status_code == 200 for r in responses)
    assert successes >= 5
