"""GET /v2/bookings/{uid} and GET /v2/bookings: filters, sorting, pagination, query count."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import event

from slotwise.kit.db import Database
from tests.api.booking_fixtures import (
    MONDAY,
    TUESDAY,
    V,
    at,
    booked,
    booking_body,
    hv,
    make_event_type,
)
from tests.conftest import Host


async def _list(client: httpx2.AsyncClient, host: Host, **params: Any) -> dict[str, Any]:
    r = await client.get("/v2/bookings", params=params, headers=hv(host))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["status"] == "success"
    return body


def uids(body: dict[str, Any]) -> list[str]:
    return [b["uid"] for b in body["data"]]


async def test_get_one(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    r = await client.get(f"/v2/bookings/{data['uid']}", headers=V)
    assert r.status_code == 200
    assert r.json()["data"]["uid"] == data["uid"]
    r = await client.get("/v2/bookings/nope", headers=V)
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "Booking with uid=nope not found"


async def test_list_filters_and_sorting(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    et = await make_event_type(app, host)
    et2 = await make_event_type(app, host, slug="other", with_schedule=False)
    a = await booked(client, et, at(MONDAY, "10:00"))
    body = booking_body(et2, at(MONDAY, "12:00"))
    body["attendee"] = {"name": "Dana", "email": "dana@example.com", "timeZone": "UTC"}
    r = await client.post("/v2/bookings", json=body, headers=V)
    b = r.json()["data"]
    c = await booked(client, et, at(TUESDAY, "09:00"))
    await client.post(f"/v2/bookings/{c['uid']}/cancel", json={}, headers=V)
    theirs_et = await make_event_type(app, other_host, slug="theirs")
    await booked(client, theirs_et, at(MONDAY, "15:00"))  # bob's own booking

    everything = await _list(client, host)
    assert uids(everything) == [a["uid"], b["uid"], c["uid"]]  # start ascending, only mine
    assert everything["pagination"] == {
        "totalItems": 3,
        "remainingItems": 0,
        "returnedItems": 3,
        "itemsPerPage": 100,
        "currentPage": 1,
        "totalPages": 1,
        "hasNextPage": False,
        "hasPreviousPage": False,
    }
    assert uids(await _list(client, host, status="upcoming")) == [a["uid"], b["uid"]]
    assert uids(await _list(client, host, status="cancelled")) == [c["uid"]]
    assert uids(await _list(client, host, status="past")) == []
    assert len(uids(await _list(client, host, status="upcoming,cancelled"))) == 3
    assert uids(await _list(client, host, status="unconfirmed")) == []
    assert uids(await _list(client, host, attendeeEmail="DANA@example.com")) == [b["uid"]]
    assert uids(await _list(client, host, attendeeName="bob booker")) == [a["uid"], c["uid"]]
    assert uids(await _list(client, host, eventTypeId=str(et2))) == [b["uid"]]
    assert len(uids(await _list(client, host, eventTypeIds=f"{et},{et2}"))) == 3
    assert uids(await _list(client, host, bookingUid=a["uid"])) == [a["uid"]]
    assert uids(await _list(client, host, afterStart=at(MONDAY, "11:00"))) == [b["uid"], c["uid"]]
    assert uids(await _list(client, host, beforeEnd=at(MONDAY, "12:30"))) == [a["uid"], b["uid"]]
    assert uids(await _list(client, host, sortStart="desc")) == [c["uid"], b["uid"], a["uid"]]
    assert uids(await _list(client, host, sortCreated="desc"))[0] == c["uid"]
    assert len(uids(await _list(client, host, afterCreatedAt="2000-01-01T00:00:00Z"))) == 3
    assert uids(await _list(client, host, beforeCreatedAt="2000-01-01T00:00:00Z")) == []
    assert uids(await _list(client, host, teamId="5")) == []


async def test_list_bad_params(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    for params in (
        {"status": "soon"},
        {"sortStart": "up"},
        {"take": "0"},
        {"skip": "-1"},
        {"eventTypeIds": "1,x"},
        {"afterStart": "yesterday"},
        {"colour": "red"},
    ):
        r = await client.get("/v2/bookings", params=params, headers=hv(host))
        assert r.status_code == 400, params
        assert r.json()["error"]["code"] == "BadRequestException"
    r = await client.get("/v2/bookings", params={"colour": "red"}, headers=hv(host))
    assert "property colour should not exist" in r.json()["error"]["message"]
    r = await client.get("/v2/bookings", headers=V)
    assert r.status_code == 401


async def test_pagination_and_query_count(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    made = [(await booked(client, et, at(MONDAY, f"{9 + i}:00".zfill(5))))["uid"] for i in range(7)]
    page = await _list(client, host, take=3, skip=3)
    assert uids(page) == made[3:6]
    assert page["pagination"] == {
        "totalItems": 7,
        "remainingItems": 1,
        "returnedItems": 3,
        "itemsPerPage": 3,
        "currentPage": 2,
        "totalPages": 3,
        "hasNextPage": True,
        "hasPreviousPage": True,
    }
    last = await _list(client, host, take=3, skip=6)
    assert uids(last) == made[6:]
    assert last["pagination"]["hasNextPage"] is False
    assert (await _list(client, host, take=1000))["pagination"]["itemsPerPage"] == 250

    db: Database = app.state.db
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(db.read_engine.sync_engine, "before_cursor_execute", count)
    try:
        await _list(client, host)
    finally:
        event.remove(db.read_engine.sync_engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert 3 <= len(selects) <= 4, selects  # api key, count, page, attendees
