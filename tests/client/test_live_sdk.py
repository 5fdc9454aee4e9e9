"""The SDK against a live Slotwise server (SQLite and PostgreSQL): schedule, event type, slots,
book, reschedule, cancel; typed errors carrying the server's message."""

from __future__ import annotations

from typing import Any

import pytest

from slotwise.client import (
    AsyncClient,
    BadRequest,
    Client,
    NotFound,
    SlotwiseAPIError,
    Unauthorized,
)
from tests.conftest import Host

MONDAY = "2050-09-05"
ROME_WEEKDAYS = {
    "name": "Office hours",
    "timeZone": "Europe/Rome",
    "isDefault": True,
    "availability": [
        {
            "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "startTime": "09:00",
            "endTime": "12:00",
        }
    ],
}
ATTENDEE: Any = {"name": "Ada Lovelace", "email": "ada@example.com", "timeZone": "Europe/London"}


def setup_host(cal: Client) -> int:
    """A default schedule (Rome, 09-12 weekdays) and a 30-minute event type; its id."""
    schedule = cal.schedules.create(ROME_WEEKDAYS)  # type: ignore[arg-type]
    assert schedule["timeZone"] == "Europe/Rome"
    event_type = cal.event_types.create(
        {"title": "Intro call", "slug": "intro-call", "lengthInMinutes": 30}
    )
    return int(event_type["id"])


async def test_book_reschedule_cancel_through_the_sdk(live_url: str, host: Host) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        assert cal.me.get()["username"] == host.username
        et_id = setup_host(cal)
        assert [e["slug"] for e in cal.event_types.list()] == ["intro-call"]

        by_day = cal.slots.list(
            event_type_id=et_id, start=MONDAY, end=MONDAY, time_zone="Europe/Rome"
        )
        assert list(by_day) == [MONDAY]
        starts = [s["start"] for s in by_day[MONDAY]]
        assert starts[0] == "2050-09-05T09:00:00.000+02:00"
        assert len(starts) == 6  # 09:00 .. 11:30 Rome
        flat = cal.slots.starts(event_type_id=et_id, start=MONDAY, end=MONDAY)
        assert flat[0] == "2050-09-05T07:00:00.000Z"

        booking: Any = cal.bookings.create(
            {"eventTypeId": et_id, "start": flat[0], "attendee": ATTENDEE}
        )
        assert booking["status"] == "accepted"
        assert booking["start"] == "2050-09-05T07:00:00.000Z"
        assert cal.bookings.get(booking["uid"])["uid"] == booking["uid"]
        after = cal.slots.starts(event_type_id=et_id, start=MONDAY, end=MONDAY)
        assert flat[0] not in after

        with pytest.raises(SlotwiseAPIError) as taken:
            cal.bookings.create({"eventTypeId": et_id, "start": flat[0], "attendee": ATTENDEE})
        assert taken.value.status in (400, 409)
        assert taken.value.message

        moved: Any = cal.bookings.reschedule(
            booking["uid"], {"start": flat[2], "reschedulingReason": "conflict"}
        )
        assert moved["uid"] != booking["uid"]
        assert moved["start"] == flat[2]
        old: Any = cal.bookings.get(booking["uid"])
        assert old["status"] == "cancelled"

        cancelled: Any = cal.bookings.cancel(moved["uid"], {"cancellationReason": "no longer"})
        assert cancelled["status"] == "cancelled"

        listed = cal.bookings.list(status=["cancelled"])
        assert {b["uid"] for b in listed} == {booking["uid"], moved["uid"]}
        iterated = [b["uid"] for b in cal.bookings.iter(page_size=1, status="cancelled")]
        assert sorted(iterated) == sorted(b["uid"] for b in listed)

        assert "Europe/Rome" in cal.timezones.list()


async def test_errors_carry_the_servers_message(live_url: str, host: Host) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        with pytest.raises(NotFound) as missing:
            cal.bookings.get("no-such-booking")
        assert missing.value.code == "NotFoundException"
        assert "no-such-booking" in missing.value.message

        with pytest.raises(BadRequest) as bad:
            cal.schedules.create({"name": "x", "timeZone": "Mars/Olympus", "isDefault": True})
        assert bad.value.status == 400

        with pytest.raises(NotFound):
            cal.event_types.get(999_999)

    with Client(live_url, api_key="cal_live_wrong") as stranger, pytest.raises(Unauthorized):
        stranger.me.get()


async def test_async_client_against_the_live_server(live_url: str, host: Host) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        et_id = setup_host(cal)
    async with AsyncClient(live_url, api_key=host.api_key) as cal_async:
        me = await cal_async.me.get()
        assert me["username"] == host.username
        starts = await cal_async.slots.starts(event_type_id=et_id, start=MONDAY, end=MONDAY)
        booking: Any = await cal_async.bookings.create(
            {"eventTypeId": et_id, "start": starts[1], "attendee": ATTENDEE}
        )
        seen = [b["uid"] async for b in cal_async.bookings.iter(status="upcoming")]
        assert seen == [booking["uid"]]
        with pytest.raises(NotFound):
            await cal_async.schedules.get(424242)
