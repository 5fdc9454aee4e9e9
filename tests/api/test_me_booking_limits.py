"""User booking limits (/v2/me/booking-limits): read, merge, clear, errors, GET /v2/me, and
enforcement across every event type of the user, in the user's time zone, in slots and at
booking time. 2050-09-05 is a Monday."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.api.booking_fixtures import WEEKDAYS, at, book, give_schedule, make_event_type
from tests.api.slot_fixtures import V as SLOTS_V
from tests.conftest import Host

PATH = "/v2/me/booking-limits"
NULLS = {"perDay": None, "perWeek": None, "perMonth": None, "perYear": None}
LIMIT_MESSAGE = (
    "Booking limit of the host has been reached: no more bookings can be made in this period "
    "(user booking limits, /v2/me/booking-limits)."
)


async def test_get_patch_merge_delete(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.get(PATH, headers=host.headers)
    assert r.status_code == 200
    assert r.json() == {"status": "success", "data": NULLS}
    r = await client.patch(PATH, json={"perDay": 5, "perWeek": 20}, headers=host.headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {**NULLS, "perDay": 5, "perWeek": 20}
    r = await client.patch(PATH, json={"perDay": None, "perYear": 300}, headers=host.headers)
    assert r.json()["data"] == {**NULLS, "perWeek": 20, "perYear": 300}
    me = await client.get("/v2/me", headers=host.headers)
    assert me.json()["data"]["bookingLimits"] == {**NULLS, "perWeek": 20, "perYear": 300}
    r = await client.delete(PATH, headers=host.headers)
    assert r.status_code == 204
    assert r.content == b""
    assert (await client.get(PATH, headers=host.headers)).json()["data"] == NULLS
    me = await client.get("/v2/me", headers=host.headers)
    assert me.json()["data"]["bookingLimits"] == NULLS


async def test_errors(client: httpx2.AsyncClient, host: Host) -> None:
    assert (await client.get(PATH)).status_code == 401
    assert (await client.patch(PATH, json={"perDay": 1})).status_code == 401
    assert (await client.delete(PATH)).status_code == 401
    for body in ({"perDay": 0}, {"perWeek": "ten"}, {"perHour": 1}, {"perDay": 1.5}):
        r = await client.patch(PATH, json=body, headers=host.headers)
        assert r.status_code == 400, (body, r.text)
    assert (await client.get(PATH, headers=host.headers)).json()["data"] == NULLS


async def slot_days(client: httpx2.AsyncClient, et: int, start: str, end: str) -> list[str]:
    r = await client.get(
        "/v2/slots", params={"eventTypeId": et, "start": start, "end": end}, headers=SLOTS_V
    )
    assert r.status_code == 200, r.text
    return sorted(r.json()["data"])


async def test_limit_applies_across_event_types(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    first = await make_event_type(app, host, slug="first")
    second = await make_event_type(app, host, slug="second", with_schedule=False)
    await client.patch(PATH, json={"perDay": 1}, headers=host.headers)
    assert await slot_days(client, second, "2050-09-05", "2050-09-06") == [
        "2050-09-05",
        "2050-09-06",
    ]
    assert (await book(client, first, at("2050-09-05", "09:00"))).status_code == 201
    # Monday is full for every event type of the user, Tuesday is not.
    assert await slot_days(client, second, "2050-09-05", "2050-09-06") == ["2050-09-06"]
    assert await slot_days(client, first, "2050-09-05", "2050-09-06") == ["2050-09-06"]
    refused = await book(client, second, at("2050-09-05", "14:00"))
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == LIMIT_MESSAGE
    assert (await book(client, second, at("2050-09-06", "14:00"))).status_code == 201
    # clearing the limit opens Monday again
    assert (await client.delete(PATH, headers=host.headers)).status_code == 204
    assert (await book(client, second, at("2050-09-05", "14:00"))).status_code == 201


async def test_periods_follow_the_user_time_zone(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(
        app, host, availability=[{"days": WEEKDAYS, "startTime": "00:00", "endTime": "23:59"}]
    )
    et = await make_event_type(app, host, with_schedule=False)
    r = await client.patch("/v2/me", json={"timeZone": "Asia/Tokyo"}, headers=host.headers)
    assert r.status_code == 200
    await client.patch(PATH, json={"perDay": 1}, headers=host.headers)
    # Monday 16:00 UTC is Tuesday 01:00 in Tokyo.
    assert (await book(client, et, at("2050-09-05", "16:00"))).status_code == 201
    # Monday 10:00 UTC (Monday 19:00 Tokyo) is another Tokyo day: allowed.
    assert (await book(client, et, at("2050-09-05", "10:00"))).status_code == 201
    # Tuesday 09:00 UTC (Tuesday 18:00 Tokyo) shares the first booking's Tokyo day.
    refused = await book(client, et, at("2050-09-06", "09:00"))
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == LIMIT_MESSAGE


async def test_weekly_limit_and_other_users(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    et = await make_event_type(app, host)
    other_et = await make_event_type(app, other_host, slug="bob-intro")
    await client.patch(PATH, json={"perWeek": 2}, headers=host.headers)
    assert (await book(client, et, at("2050-09-05", "09:00"))).status_code == 201
    assert (await book(client, et, at("2050-09-06", "09:00"))).status_code == 201
    # the week (Sunday 2050-09-04 … Saturday 2050-09-10) is full; the next one is not
    assert await slot_days(client, et, "2050-09-07", "2050-09-13") == ["2050-09-12", "2050-09-13"]
    assert (await book(client, et, at("2050-09-09", "09:00"))).status_code == 400
    # another user's limits are their own
    assert (await book(client, other_et, at("2050-09-07", "09:00"))).status_code == 201
