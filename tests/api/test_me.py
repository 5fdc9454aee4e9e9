"""GET/PATCH /v2/me, auth errors and the error envelope."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.conftest import Host


async def test_get_me(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.get("/v2/me", headers=host.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "success"
    assert body["data"]["username"] == "alice"
    assert body["data"]["email"] == "alice@example.com"
    assert body["data"]["timeZone"] == "UTC"


async def test_missing_and_bad_key_are_401(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.get("/v2/me")
    assert r.status_code == 401
    body: dict[str, Any] = r.json()
    assert body["status"] == "error"
    assert body["path"] == "/v2/me"
    assert body["error"]["code"] == "UnauthorizedException"
    assert "timestamp" in body
    r = await client.get("/v2/me", headers={"Authorization": "Bearer cal_live_nope"})
    assert r.status_code == 401


async def test_patch_me(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.patch(
        "/v2/me", json={"timeZone": "Europe/Rome", "name": "Alice A"}, headers=host.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["timeZone"] == "Europe/Rome"
    r = await client.get("/v2/me", headers=host.headers)
    assert r.json()["data"]["name"] == "Alice A"


async def test_patch_me_rejects_unknown_property_and_bad_zone(
    client: httpx2.AsyncClient, host: Host
) -> None:
    r = await client.patch("/v2/me", json={"favouriteColour": "red"}, headers=host.headers)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "BadRequestException"
    assert "favouriteColour" in r.json()["error"]["message"]
    r = await client.patch("/v2/me", json={"timeZone": "Mars/Olympus"}, headers=host.headers)
    assert r.status_code == 400
    assert "Mars/Olympus" in r.json()["error"]["message"]
