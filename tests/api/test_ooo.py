"""Out of office (/v2/me/ooo): CRUD with its errors, OOO days offer no slots and refuse
bookings, and the creation hook. 2050-09-05 is a Monday."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import Job, OutOfOffice
from slotwise.ooo.service import on_ooo_created, remove_ooo_hook
from tests.api.booking_fixtures import at, book, make_event_type
from tests.api.slot_fixtures import V as SLOTS_V
from tests.api.teams_fixtures import add_member, make_team
from tests.conftest import Host

ENTRY = {
    "start": "2050-09-06T00:00:00.000Z",
    "end": "2050-09-07T23:59:59.999Z",
    "notes": "Conference",
    "reason": "travel",
}


async def create(client: httpx2.AsyncClient, host: Host, **body: Any) -> httpx2.Response:
    return await client.post("/v2/me/ooo", json={**ENTRY, **body}, headers=host.headers)


async def test_crud_shapes_and_sorting(
    client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    r = await create(client, host)
    assert r.status_code == 201, r.text
    first = r.json()["data"]
    assert first == {
        "id": first["id"],
        "uuid": first["uuid"],
        "userId": host.id,
        "toUserId": None,
        "start": "2050-09-06T00:00:00.000Z",
        "end": "2050-09-07T23:59:59.999Z",
        "notes": "Conference",
        "reason": "travel",
    }
    later = await create(client, host, start="2050-10-01T00:00:00Z", end="2050-10-02T00:00:00Z")
    assert later.status_code == 201, later.text
    listed = await client.get("/v2/me/ooo", params={"sortStart": "desc"}, headers=host.headers)
    assert [e["start"][:10] for e in listed.json()["data"]] == ["2050-10-01", "2050-09-06"]
    paged = await client.get("/v2/me/ooo", params={"take": 1, "skip": 1}, headers=host.headers)
    assert [e["id"] for e in paged.json()["data"]] == [later.json()["data"]["id"]]

    r = await client.patch(
        f"/v2/me/ooo/{first['id']}",
        json={"reason": "sick", "toUserId": None, "notes": "Flu"},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["reason"] == "sick"
    assert r.json()["data"]["toUserId"] is None
    assert r.json()["data"]["notes"] == "Flu"

    r = await client.delete(f"/v2/me/ooo/{first['id']}", headers=host.headers)
    assert r.status_code == 200
    assert r.json()["data"]["id"] == first["id"]
    listed = await client.get("/v2/me/ooo", headers=host.headers)
    assert [e["id"] for e in listed.json()["data"]] == [later.json()["data"]["id"]]


async def test_errors(client: httpx2.AsyncClient, host: Host, other_host: Host) -> None:
    assert (await client.get("/v2/me/ooo")).status_code == 401
    backwards = await create(client, host, start="2050-09-08T00:00:00Z", end="2050-09-07T00:00:00Z")
    assert backwards.status_code == 400
    assert "before end" in backwards.json()["error"]["message"]
    assert (await create(client, host, toUserId=host.id)).status_code == 400
    assert (await create(client, host, toUserId=999999)).status_code == 400
    assert (await create(client, host, reason="holiday")).status_code == 400
    assert (await create(client, host, extra=1)).status_code == 400
    assert (await create(client, host, start="not a date")).status_code == 400
    ok = await create(client, host)
    assert ok.status_code == 201
    overlap = await create(client, host, start="2050-09-07T10:00:00Z", end="2050-09-09T00:00:00Z")
    assert overlap.status_code == 409
    entry_id = ok.json()["data"]["id"]
    # someone else's entry is not found
    for r in (
        await client.patch(
            f"/v2/me/ooo/{entry_id}", json={"notes": "x"}, headers=other_host.headers
        ),
        await client.delete(f"/v2/me/ooo/{entry_id}", headers=other_host.headers),
        await client.delete("/v2/me/ooo/424242", headers=host.headers),
    ):
        assert r.status_code == 404, r.text
    bad = await client.patch(
        f"/v2/me/ooo/{entry_id}", json={"end": "2050-09-01T00:00:00Z"}, headers=host.headers
    )
    assert bad.status_code == 400


async def test_ooo_days_offer_no_slots_and_refuse_bookings(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host)
    # Tuesday only, given as a mid-day span: the whole UTC day is blocked.
    r = await create(client, host, start="2050-09-06T12:00:00Z", end="2050-09-06T13:00:00Z")
    assert r.status_code == 201
    slots = await client.get(
        "/v2/slots",
        params={"eventTypeId": et, "start": "2050-09-05", "end": "2050-09-07"},
        headers=SLOTS_V,
    )
    assert slots.status_code == 200, slots.text
    assert sorted(slots.json()["data"]) == ["2050-09-05", "2050-09-07"]
    refused = await book(client, et, at("2050-09-06", "09:00"))
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        "User either already has booking at this time or is not available"
    )
    assert (await book(client, et, at("2050-09-07", "09:00"))).status_code == 201
    # deleting the entry frees the day again
    await client.delete(f"/v2/me/ooo/{r.json()['data']['id']}", headers=host.headers)
    assert (await book(client, et, at("2050-09-06", "09:00"))).status_code == 201


async def test_creation_hook_runs_in_the_transaction(
    client: httpx2.AsyncClient, host: Host
) -> None:
    seen: list[tuple[int, str]] = []

    async def hook(session: AsyncSession, entry: OutOfOffice) -> None:
        assert session.in_transaction()
        seen.append((entry.user_id, entry.reason))

    on_ooo_created(hook)
    try:
        assert (await create(client, host)).status_code == 201
        assert (await create(client, host)).status_code == 409  # refused: no hook call
    finally:
        remove_ooo_hook(hook)
    assert seen == [(host.id, "travel")]


async def test_forwarding_is_refused_without_a_shared_team(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    """Forwarding needs a team both users belong to (Cal.com); without one, every toUserId is
    refused with one message, so that an existing user is indistinguishable from a missing one,
    nothing is stored and no OOO_CREATED webhook (which would carry the user's email) is
    queued. Once both are accepted members of a team, forwarding is allowed
    (tests/api/test_team_memberships.py covers pending members and strangers)."""
    await client.post(
        "/v2/webhooks",
        json={"subscriberUrl": "http://127.0.0.1:9/hook", "triggers": ["OOO_CREATED"]},
        headers=host.headers,
    )
    existing = await create(client, host, toUserId=other_host.id)
    missing = await create(client, host, toUserId=424242)
    assert existing.status_code == missing.status_code == 400
    assert existing.json()["error"]["message"] == missing.json()["error"]["message"]
    assert "team" in existing.json()["error"]["message"]
    assert other_host.email not in existing.text
    listed = await client.get("/v2/me/ooo", headers=host.headers)
    assert listed.json()["data"] == []
    async with app.state.db.read_sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Job))).scalar() == 0

    entry = await create(client, host)
    assert entry.status_code == 201
    patched = await client.patch(
        f"/v2/me/ooo/{entry.json()['data']['id']}",
        json={"toUserId": other_host.id},
        headers=host.headers,
    )
    assert patched.status_code == 400
    assert patched.json()["error"]["message"] == missing.json()["error"]["message"]
    again = await client.get("/v2/me/ooo", headers=host.headers)
    assert again.json()["data"][0]["toUserId"] is None

    team = await make_team(client, host)
    await add_member(client, team["id"], by=host, user=other_host)
    patched = await client.patch(
        f"/v2/me/ooo/{entry.json()['data']['id']}",
        json={"toUserId": other_host.id},
        headers=host.headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["toUserId"] == other_host.id
