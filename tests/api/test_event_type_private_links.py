"""Private links (/v2/event-types/{id}/private-links): CRUD shapes and errors, and bookings
made with ``privateLinkId`` counting uses atomically. 2050-09-05 is a Monday."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx2
from sqlalchemy import update

from slotwise.models import PrivateLink
from tests.api.booking_fixtures import at, book, make_event_type
from tests.conftest import Host

PAST = "2020-01-01T00:00:00Z"


def path(et: int, link: str | None = None) -> str:
    return f"/v2/event-types/{et}/private-links" + (f"/{link}" if link else "")


async def create(client: httpx2.AsyncClient, host: Host, et: int, **body: Any) -> dict[str, Any]:
    r = await client.post(path(et), json=body, headers=host.headers)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def expired_link(client: httpx2.AsyncClient, app: Any, host: Host, et: int) -> str:
    """A time-based link whose expiry has passed (a link cannot be created expired: the expiry
    is moved into the past in the database)."""
    link_id: str = (await create(client, host, et, expiresAt="2050-06-01T00:00:00Z"))["linkId"]
    async with app.state.db.write_sessions() as session, session.begin():
        await session.execute(
            update(PrivateLink)
            .where(PrivateLink.link_id == link_id)
            .values(expires_at=datetime(2020, 1, 1, tzinfo=UTC))
        )
    return link_id


async def test_crud_shapes(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, slug="secret")
    once = await create(client, host, et)
    assert once == {
        "linkId": once["linkId"],
        "eventTypeId": et,
        "isExpired": False,
        "bookingUrl": f"http://slotwise.test/d/{once['linkId']}/secret",
        "maxUsageCount": 1,
        "usageCount": 0,
    }
    timed = await create(client, host, et, expiresAt="2050-12-31T23:59:59.000Z")
    assert timed["expiresAt"] == "2050-12-31T23:59:59.000Z"
    assert "maxUsageCount" not in timed and timed["isExpired"] is False
    refused = await client.post(path(et), json={"expiresAt": PAST}, headers=host.headers)
    assert refused.status_code == 400 and "expiresAt" in refused.json()["error"]["message"]
    past = {"linkId": await expired_link(client, app, host, et)}
    listed = (await client.get(path(et), headers=host.headers)).json()["data"]
    assert [x["linkId"] for x in listed] == [once["linkId"], timed["linkId"], past["linkId"]]
    assert listed[2]["isExpired"] is True

    r = await client.patch(
        path(et, once["linkId"]), json={"maxUsageCount": 5}, headers=host.headers
    )
    assert r.status_code == 200
    assert r.json()["data"]["maxUsageCount"] == 5
    r = await client.patch(
        path(et, once["linkId"]), json={"expiresAt": "2051-01-01T00:00:00Z"}, headers=host.headers
    )
    assert r.json()["data"]["expiresAt"] == "2051-01-01T00:00:00.000Z"

    r = await client.delete(path(et, past["linkId"]), headers=host.headers)
    assert r.status_code == 200
    assert r.json()["data"] == {
        "linkId": past["linkId"],
        "message": "Private link deleted successfully",
    }
    listed = (await client.get(path(et), headers=host.headers)).json()["data"]
    assert len(listed) == 2


async def test_errors(client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host) -> None:
    et = await make_event_type(app, host)
    link = await create(client, host, et)
    assert (await client.get(path(et))).status_code == 401
    # someone else's event type or link: 404
    assert (await client.get(path(et), headers=other_host.headers)).status_code == 404
    assert (await client.post(path(et), json={}, headers=other_host.headers)).status_code == 404
    r = await client.delete(path(et, link["linkId"]), headers=other_host.headers)
    assert r.status_code == 404
    assert (await client.get(path(424242), headers=host.headers)).status_code == 404
    assert (await client.delete(path(et, "nope"), headers=host.headers)).status_code == 404
    r = await client.patch(path(et, "nope"), json={"maxUsageCount": 2}, headers=host.headers)
    assert r.status_code == 404
    for body in (
        {"maxUsageCount": 0},
        {"expiresAt": "soon"},
        {"maxUsageCount": 2, "expiresAt": "2050-12-31T00:00:00Z"},
        {"uses": 3},
    ):
        r = await client.post(path(et), json=body, headers=host.headers)
        assert r.status_code == 400, (body, r.text)
    r = await client.patch(path(et, link["linkId"]), json={}, headers=host.headers)
    assert r.status_code == 400


async def test_booking_counts_uses_and_refuses_used_up_links(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    et = await make_event_type(app, host)
    other_et = await make_event_type(app, other_host, slug="bob-intro")
    link = await create(client, host, et, maxUsageCount=2)
    lid = link["linkId"]
    assert (await book(client, et, at("2050-09-05", "09:00"), privateLinkId=lid)).status_code == 201
    # a booking refused for its time does not use the link
    taken = await book(client, et, at("2050-09-05", "09:00"), privateLinkId=lid)
    assert taken.status_code == 400
    listed = (await client.get(path(et), headers=host.headers)).json()["data"]
    assert listed[0]["usageCount"] == 1
    assert (await book(client, et, at("2050-09-05", "10:00"), privateLinkId=lid)).status_code == 201
    used_up = await book(client, et, at("2050-09-05", "11:00"), privateLinkId=lid)
    assert used_up.status_code == 400
    assert used_up.json()["error"]["message"] == "private_link_expired"
    listed = (await client.get(path(et), headers=host.headers)).json()["data"]
    assert listed[0]["usageCount"] == 2 and listed[0]["isExpired"] is True
    # unknown link, another event type's link, an expired link
    for body_link, event_type in (("unknown", et), (lid, other_et)):
        r = await book(client, event_type, at("2050-09-06", "09:00"), privateLinkId=body_link)
        assert r.status_code == 400
        assert r.json()["error"]["message"] == "private_link_expired"
    expired = await expired_link(client, app, host, et)
    r = await book(client, et, at("2050-09-06", "09:00"), privateLinkId=expired)
    assert r.status_code == 400
    timed = await create(client, host, et, expiresAt="2051-01-01T00:00:00Z")
    r = await book(client, et, at("2050-09-06", "09:00"), privateLinkId=timed["linkId"])
    assert r.status_code == 201


async def test_concurrent_bookings_use_a_one_time_link_once(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host)
    lid = (await create(client, host, et))["linkId"]
    starts = [at("2050-09-05", f"{h:02d}:00") for h in range(9, 15)]
    responses = await asyncio.gather(*(book(client, et, s, privateLinkId=lid) for s in starts))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [400] * (len(starts) - 1), [r.text for r in responses]
    listed = (await client.get(path(et), headers=host.headers)).json()["data"]
    assert listed[0]["usageCount"] == 1
    bookings = await client.get(
        "/v2/bookings", headers={**host.headers, "cal-api-version": "2024-08-13"}
    )
    assert len(bookings.json()["data"]) == 1
