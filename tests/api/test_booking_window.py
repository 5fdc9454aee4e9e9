"""A rolling booking window seen the same way by GET /v2/slots and POST /v2/bookings, whatever
window the caller asks about (cal-semantics §2.9.5: the window's last day is found by walking
dates that have slots, up to 61 days ahead)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from tests.api.slot_fixtures import (
    MONDAY,
    add_booking,
    freeze,
    give_schedule,
    make_event_type,
    slot_data,
    starts,
)
from tests.conftest import Host

FRIDAY = "2050-09-09"
NEXT_MONDAY = "2050-09-12"
BOOK = {"cal-api-version": "2024-08-13"}


async def _book(
    client: httpx2.AsyncClient, et: int, start: str, tz: str = "UTC"
) -> httpx2.Response:
    body = {
        "start": start,
        "eventTypeId": et,
        "attendee": {"name": "Bob", "email": "bob@example.com", "timeZone": tz},
    }
    return await client.post("/v2/bookings", json=body, headers=BOOK)


async def test_rolling_window_skips_full_days_outside_the_asked_range(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, f"{MONDAY}T08:00")
    await give_schedule(app, host)
    et = await make_event_type(
        app, host, bookingWindow={"type": "calendarDays", "value": 3, "rolling": True}
    )
    # Tuesday and Wednesday are fully booked: the 3 days with slots are Mon, Thu and Fri.
    for day in ("2050-09-06", "2050-09-07"):
        await add_booking(app, host, None, f"{day}T09:00", minutes=8 * 60)

    # Asking about Friday alone still sees Tuesday and Wednesday being full.
    friday = await slot_data(client, eventTypeId=et, start=FRIDAY, end=FRIDAY, timeZone="UTC")
    assert starts(friday, FRIDAY)[0] == "09:00"
    week = await slot_data(client, eventTypeId=et, start=MONDAY, end=NEXT_MONDAY, timeZone="UTC")
    assert sorted(week) == [MONDAY, "2050-09-08", FRIDAY]

    r = await _book(client, et, f"{FRIDAY}T16:30:00Z")
    assert r.status_code == 201, r.text
    r = await _book(client, et, f"{NEXT_MONDAY}T09:00:00Z")
    assert r.status_code == 400
    assert "scheduling window" in r.json()["error"]["message"]


async def test_day_windows_count_days_in_the_bookers_zone(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Monday 12:00 UTC is already Tuesday 02:00 at UTC+14: "today only" means Tuesday there.
    freeze(monkeypatch, f"{MONDAY}T12:00")
    await give_schedule(app, host)
    et = await make_event_type(app, host, bookingWindow={"type": "calendarDays", "value": 0})
    far = "Pacific/Kiritimati"
    listed = await slot_data(client, eventTypeId=et, start=MONDAY, end=FRIDAY, timeZone=far)
    assert list(listed) == ["2050-09-06"]  # local Tuesday only, 02:00–06:30 and 23:00–23:30
    assert starts(listed, "2050-09-06")[-3:] == ["06:30", "23:00", "23:30"]
    r = await _book(client, et, "2050-09-06T09:00:00Z", tz=far)
    assert r.status_code == 201, r.text
    r = await _book(client, et, "2050-09-06T09:30:00Z", tz="UTC")
    assert r.status_code == 400
    assert "scheduling window" in r.json()["error"]["message"]
