"""``requiresBookerEmailVerification`` is stored and returned by the event-types API (both
databases); enforcing it waits for verified resources (issue 4)."""

from __future__ import annotations

import httpx2

from tests.conftest import Host

V = {"cal-api-version": "2024-06-14"}


async def test_flag_is_stored_returned_and_updated(client: httpx2.AsyncClient, host: Host) -> None:
    headers = {**host.headers, **V}
    body = {"title": "Verified", "slug": "verified", "lengthInMinutes": 30}
    r = await client.post(
        "/v2/event-types", json={**body, "requiresBookerEmailVerification": True}, headers=headers
    )
    assert r.status_code == 201, r.text
    et = r.json()["data"]["id"]
    assert r.json()["data"]["requiresBookerEmailVerification"] is True
    got = await client.get(f"/v2/event-types/{et}", headers=headers)
    assert got.json()["data"]["requiresBookerEmailVerification"] is True
    listed = await client.get("/v2/event-types", headers=headers)
    assert [e["requiresBookerEmailVerification"] for e in listed.json()["data"]] == [True]

    r = await client.patch(
        f"/v2/event-types/{et}", json={"requiresBookerEmailVerification": False}, headers=headers
    )
    assert r.status_code == 200, r.text
    got = await client.get(f"/v2/event-types/{et}", headers=headers)
    assert got.json()["data"]["requiresBookerEmailVerification"] is False
    # a PATCH of another field keeps it
    await client.patch(
        f"/v2/event-types/{et}", json={"requiresBookerEmailVerification": True}, headers=headers
    )
    await client.patch(f"/v2/event-types/{et}", json={"title": "Renamed"}, headers=headers)
    got = await client.get(f"/v2/event-types/{et}", headers=headers)
    assert got.json()["data"]["requiresBookerEmailVerification"] is True
    # not a boolean: 400 in Cal.com's envelope
    r = await client.patch(
        f"/v2/event-types/{et}", json={"requiresBookerEmailVerification": "yes"}, headers=headers
    )
    assert r.status_code == 400, r.text
    assert r.json()["status"] == "error"


async def test_flag_defaults_to_false(client: httpx2.AsyncClient, host: Host) -> None:
    headers = {**host.headers, **V}
    body = {"title": "Plain", "slug": "plain", "lengthInMinutes": 30}
    r = await client.post("/v2/event-types", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["data"]["requiresBookerEmailVerification"] is False
