"""GET /v2/bookings with cal-api-version 2026-05-01: one status per request, cursor pages in the
documented direction from the documented anchor, opaque cursors, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest

from slotwise.kit import clock
from tests.api.booking_fixtures import MONDAY, TUESDAY, V, at, booked, booking_body, make_event_type
from tests.conftest import Host, make_host

C = {"cal-api-version": "2026-05-01"}
WEDNESDAY = "2050-09-07"


def ch(host: Host) -> dict[str, str]:
    return {**host.headers, **C}


async def walk(
    client: httpx2.AsyncClient, host: Host, **params: Any
) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """Follow nextCursor to the end: the start times of each page and the pagination blocks."""
    pages: list[list[str]] = []
    metas: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        r = await client.get("/v2/bookings", params=query, headers=ch(host))
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"status", "data", "pagination"}
        pages.append([b["start"][5:16] for b in body["data"]])
        metas.append(body["pagination"])
        cursor = body["pagination"]["nextCursor"]
        if not body["pagination"]["hasMore"]:
            assert cursor is None
            return pages, metas
        assert len(pages) < 20


@pytest.fixture
async def bookings(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alice's bookings on Mon/Tue/Wed 2050-09-05..07 and one of Carol's she attends; the clock
    then reads Tuesday 12:00 UTC."""
    et = await make_event_type(app, host)
    for day, hhmm in [
        (MONDAY, "10:00"), (MONDAY, "11:00"), (MONDAY, "12:00"),
        (TUESDAY, "11:45"), (TUESDAY, "14:00"), (TUESDAY, "15:00"), (WEDNESDAY, "10:00"),
    ]:  # fmt: skip
        await booked(client, et, at(day, hhmm))
    cancelled = await booked(client, et, at(WEDNESDAY, "11:00"))
    r = await client.post(
        f"/v2/bookings/{cancelled['uid']}/cancel", json={"cancellationReason": "x"}, headers=V
    )
    assert r.status_code == 200
    pending_et = await make_event_type(
        app, host, slug="ask", with_schedule=False, confirmationPolicy={"type": "always"}
    )
    await booked(client, pending_et, at(WEDNESDAY, "12:00"))
    # Carol's booking at the same start as one of Alice's, with Alice as the attendee
    carol = await make_host(app, "carol")
    carol_et = await make_event_type(app, carol, slug="carol", lengthInMinutesOptions=[30, 150])
    body = booking_body(carol_et, at(TUESDAY, "14:00"))
    body["attendee"] = {"name": "Alice", "email": host.email, "timeZone": "UTC"}
    assert (await client.post("/v2/bookings", json=body, headers=V)).status_code == 201
    # …and a long one of Carol's that started 1.5 hours before "now" and is still running
    body = booking_body(carol_et, at(TUESDAY, "10:30"), lengthInMinutes=150)
    body["attendee"] = {"name": "Alice", "email": host.email, "timeZone": "UTC"}
    assert (await client.post("/v2/bookings", json=body, headers=V)).status_code == 201
    frozen = datetime(2050, 9, 6, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: frozen)


@pytest.mark.usefixtures("bookings")
async def test_upcoming_walks_forward_from_an_hour_ago(
    client: httpx2.AsyncClient, host: Host
) -> None:
    pages, metas = await walk(client, host, status="upcoming", take=2)
    assert pages == [
        ["09-06T11:45", "09-06T14:00"],
        ["09-06T14:00", "09-06T15:00"],
        ["09-07T10:00", "09-07T12:00"],
    ]
    assert all(m["hasMore"] for m in metas[:-1])
    # the running booking that started before the anchor (now − 1 h) is not walked, although
    # the 2024-08-13 "upcoming" filter (end after now) lists it
    r = await client.get(
        "/v2/bookings", params={"status": "upcoming"}, headers={**host.headers, **V}
    )
    assert "09-06T10:30" in [b["start"][5:16] for b in r.json()["data"]]
    # the pending booking is also the only unconfirmed one
    pages, _ = await walk(client, host, status="unconfirmed")
    assert pages == [["09-07T12:00"]]


@pytest.mark.usefixtures("bookings")
async def test_past_and_cancelled_walk_backward(client: httpx2.AsyncClient, host: Host) -> None:
    pages, _ = await walk(client, host, status="past", take=2)
    assert pages == [["09-05T12:00", "09-05T11:00"], ["09-05T10:00"]]
    pages, _ = await walk(client, host, status="cancelled", take=5)
    assert pages == [["09-07T11:00"]]


@pytest.mark.usefixtures("bookings")
async def test_no_status_walks_everything_backward(client: httpx2.AsyncClient, host: Host) -> None:
    pages, _ = await walk(client, host, take=3)
    flat = [start for page in pages for start in page]
    assert flat == [
        "09-07T12:00", "09-07T11:00", "09-07T10:00", "09-06T15:00", "09-06T14:00",
        "09-06T14:00", "09-06T11:45", "09-06T10:30", "09-05T12:00", "09-05T11:00",
        "09-05T10:00",
    ]  # fmt: skip
    assert all(len(page) <= 3 for page in pages)
    r = await client.get("/v2/bookings", params={"take": 100}, headers=ch(host))
    items = r.json()["data"]
    assert len(items) == 11 and r.json()["pagination"] == {"nextCursor": None, "hasMore": False}
    assert {"uid", "hosts", "attendees", "bookingFieldsResponses"} <= set(items[0])


@pytest.mark.usefixtures("bookings")
async def test_filters_and_errors(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.get(
        "/v2/bookings", params={"status": "upcoming", "afterStart": at(TUESDAY, "14:30")},
        headers=ch(host),
    )  # fmt: skip
    assert [b["start"][5:16] for b in r.json()["data"]] == [
        "09-06T15:00", "09-07T10:00", "09-07T12:00",
    ]  # fmt: skip
    bad = [
        {"status": "upcoming,past"},
        {"status": "later"},
        {"skip": 2},
        {"sortStart": "asc"},
        {"take": 0},
        {"cursor": "not-a-cursor"},
        {"cursor": "e30"},  # base64 of {}
    ]
    for params in bad:
        r = await client.get("/v2/bookings", params=params, headers=ch(host))
        assert r.status_code == 400, params
    first = await client.get("/v2/bookings", params={"status": "past", "take": 1}, headers=ch(host))
    cursor = first.json()["pagination"]["nextCursor"]
    r = await client.get(
        "/v2/bookings", params={"status": "upcoming", "cursor": cursor}, headers=ch(host)
    )
    assert r.status_code == 400
    assert "another status" in r.json()["error"]["message"]
    assert (await client.get("/v2/bookings", headers=C)).status_code == 401
    # 2024-08-13 keeps take/skip and its offset pagination
    r = await client.get(
        "/v2/bookings", params={"take": 2, "skip": 2}, headers={**host.headers, **V}
    )
    assert r.status_code == 200
    assert r.json()["pagination"]["currentPage"] == 2
