"""Recurring bookings through HTTP (cal-semantics §5.12): the series, recurrenceCount, DST,
all-or-nothing availability, GET by the recurring uid and the cancel variants."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from sqlalchemy import func, select

from slotwise.kit import clock
from slotwise.kit.db import Database
from slotwise.models import Booking
from tests.api.booking_fixtures import (
    MONDAY,
    V,
    at,
    book,
    booked,
    give_schedule,
    hv,
    make_event_type,
)
from tests.api.slot_fixtures import freeze
from tests.conftest import Host

WEEKLY = {"frequency": "weekly", "interval": 1, "occurrences": 4}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKS = ["2050-09-05", "2050-09-12", "2050-09-19", "2050-09-26"]


async def series(client: httpx2.AsyncClient, et: int, start: str, **extra: Any) -> list[Any]:
    r = await book(client, et, start, **extra)
    assert r.status_code == 201, r.text
    data: list[Any] = r.json()["data"]
    assert isinstance(data, list)
    return data


async def bookings_count(app: Any) -> int:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Booking)) or 0)


async def test_series_created(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    data = await series(client, et, at(MONDAY, "10:00"))
    assert [b["start"] for b in data] == [at(day, "10:00") for day in WEEKS]
    assert len({b["uid"] for b in data}) == 4
    recurring_uid = data[0]["recurringBookingUid"]
    assert recurring_uid and all(b["recurringBookingUid"] == recurring_uid for b in data)
    assert all(b["status"] == "accepted" and b["duration"] == 30 for b in data)
    # GET by the recurring uid: every occurrence; by one occurrence: that one
    r = await client.get(f"/v2/bookings/{recurring_uid}", headers=V)
    assert r.status_code == 200
    assert [b["uid"] for b in r.json()["data"]] == [b["uid"] for b in data]
    r = await client.get(f"/v2/bookings/{data[1]['uid']}", headers=V)
    one = r.json()["data"]
    assert one["uid"] == data[1]["uid"] and one["recurringBookingUid"] == recurring_uid
    # the list's "recurring" filter holds them
    r = await client.get("/v2/bookings", params={"status": "recurring"}, headers=hv(host))
    assert r.json()["pagination"]["totalItems"] == 4
    r = await client.get("/v2/bookings/no-such-series", headers=V)
    assert r.status_code == 404


async def test_recurrence_count(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    data = await series(client, et, at(MONDAY, "10:00"), recurrenceCount=2)
    assert [b["start"] for b in data] == [at(day, "10:00") for day in WEEKS[:2]]
    r = await book(client, et, at(MONDAY, "12:00"), recurrenceCount=5)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "Provided recurrence count is higher than the event type's recurring event count."
    )
    plain = await make_event_type(app, host, slug="plain", with_schedule=False)
    r = await book(client, plain, at(MONDAY, "12:00"), recurrenceCount=2)
    assert r.status_code == 400


async def test_interval_and_monthly(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    every_two = {"frequency": "weekly", "interval": 2, "occurrences": 3}
    et = await make_event_type(app, host, recurrence=every_two)
    data = await series(client, et, at(MONDAY, "10:00"))
    assert [b["start"][:10] for b in data] == ["2050-09-05", "2050-09-19", "2050-10-03"]
    every_day = [{"days": DAYS, "startTime": "09:00", "endTime": "17:00"}]
    await give_schedule(app, host, availability=every_day)
    monthly = {"frequency": "monthly", "interval": 1, "occurrences": 3}
    et2 = await make_event_type(app, host, slug="monthly", recurrence=monthly, with_schedule=False)
    data = await series(client, et2, at("2050-09-06", "10:00"))  # a Sunday the third time
    assert [b["start"][:10] for b in data] == ["2050-09-06", "2050-10-06", "2050-11-06"]


async def test_wall_clock_survives_dst(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    await give_schedule(app, host, time_zone="Europe/Berlin")
    recurrence = {"frequency": "weekly", "interval": 1, "occurrences": 2}
    et = await make_event_type(app, host, recurrence=recurrence, with_schedule=False)
    # 10:00 in Berlin on both sides of the end of summer time (2050-10-30)
    data = await series(client, et, at("2050-10-24", "08:00"))
    assert [b["start"] for b in data] == [at("2050-10-24", "08:00"), at("2050-10-31", "09:00")]


async def test_conflict_in_any_occurrence_refuses_all(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    other = await make_event_type(app, host, slug="other", with_schedule=False)
    await booked(client, other, at(WEEKS[2], "10:00"))
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 400, r.text
    message = r.json()["error"]["message"]
    assert message.startswith("Occurrence 3 of 4 of the recurring booking, at 2050-09-19T10:00")
    assert "No occurrence was booked." in message
    assert await bookings_count(app) == 1
    # the first occurrence unavailable: Cal.com's own message
    r = await book(client, et, at(WEEKS[2], "10:00"))
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "User either already has booking at this time or is not available"
    )
    assert await bookings_count(app) == 1


async def test_cancel_by_recurring_uid(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    data = await series(client, et, at(MONDAY, "10:00"))
    recurring_uid = data[0]["recurringBookingUid"]
    r = await client.post(
        f"/v2/bookings/{recurring_uid}/cancel", json={"cancelSubsequentBookings": True}, headers=V
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("Cannot cancel subsequent bookings")
    r = await client.post(
        f"/v2/bookings/{recurring_uid}/cancel", json={"cancellationReason": "moving"}, headers=V
    )
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert [b["status"] for b in out] == ["cancelled"] * 4
    assert {b["cancellationReason"] for b in out} == {"moving"}
    r = await client.post(f"/v2/bookings/{recurring_uid}/cancel", json={}, headers=V)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "This booking has already been cancelled."
    r = await client.post("/v2/bookings/no-such-series/cancel", json={}, headers=V)
    assert r.status_code == 404


async def test_cancel_remaining_leaves_past_ones(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    data = await series(client, et, at(MONDAY, "10:00"))
    freeze(monkeypatch, "2050-09-13T12:00")  # the first two occurrences are over
    r = await client.post(
        f"/v2/bookings/{data[0]['recurringBookingUid']}/cancel",
        json={"cancellationReason": "done"},
        headers=hv(host),
    )
    assert r.status_code == 200, r.text
    assert [b["status"] for b in r.json()["data"]] == [
        "accepted", "accepted", "cancelled", "cancelled",
    ]  # fmt: skip
    assert clock.now().isoformat().startswith("2050-09-13")


async def test_cancel_subsequent(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    data = await series(client, et, at(MONDAY, "10:00"))
    r = await client.post(
        f"/v2/bookings/{data[1]['uid']}/cancel",
        json={"cancelSubsequentBookings": True},
        headers=V,
    )
    assert r.status_code == 200, r.text
    assert [b["status"] for b in r.json()["data"]] == [
        "accepted", "cancelled", "cancelled", "cancelled",
    ]  # fmt: skip
    # the freed times can be booked again; the first occurrence still holds its time
    assert (await book(client, et, at(WEEKS[1], "10:00"), recurrenceCount=1)).status_code == 201
    assert (await book(client, et, at(MONDAY, "10:00"), recurrenceCount=1)).status_code == 400
    # one occurrence alone
    r = await client.post(f"/v2/bookings/{data[0]['uid']}/cancel", json={}, headers=V)
    assert r.status_code == 200 and r.json()["data"]["status"] == "cancelled"
    plain = await make_event_type(app, host, slug="plain", with_schedule=False)
    single = await booked(client, plain, at(MONDAY, "15:00"))
    r = await client.post(
        f"/v2/bookings/{single['uid']}/cancel", json={"cancelSubsequentBookings": True}, headers=V
    )
    assert r.status_code == 400
    assert "is not part of a recurring booking" in r.json()["error"]["message"]


async def test_reschedule_occurrence_keeps_series(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    data = await series(client, et, at(MONDAY, "10:00"))
    r = await client.post(
        f"/v2/bookings/{data[2]['uid']}/reschedule",
        json={"start": at(WEEKS[2], "14:00")},
        headers=V,
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["recurringBookingUid"] == data[0]["recurringBookingUid"]
    r = await client.get(f"/v2/bookings/{data[0]['recurringBookingUid']}", headers=V)
    active = [b["start"] for b in r.json()["data"] if b["status"] == "accepted"]
    assert at(WEEKS[2], "14:00") in active and at(WEEKS[2], "10:00") not in active


ALWAYS = {"type": "always", "blockUnconfirmedBookingsInBooker": False}


async def statuses(client: httpx2.AsyncClient, recurring_uid: str) -> list[str]:
    r = await client.get(f"/v2/bookings/{recurring_uid}", headers=V)
    assert r.status_code == 200, r.text
    return [b["status"] for b in r.json()["data"]]


async def test_confirming_one_occurrence_confirms_the_series(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY, confirmationPolicy=ALWAYS)
    data = await series(client, et, at(MONDAY, "10:00"))
    recurring_uid = data[0]["recurringBookingUid"]
    assert await statuses(client, recurring_uid) == ["pending"] * 4
    r = await client.post(f"/v2/bookings/{data[1]['uid']}/confirm", headers=hv(host))
    assert r.status_code == 200, r.text
    assert await statuses(client, recurring_uid) == ["accepted"] * 4
    r = await client.post(f"/v2/bookings/{data[2]['uid']}/confirm", headers=hv(host))
    assert r.status_code == 400


async def test_declining_one_occurrence_declines_the_series(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY, confirmationPolicy=ALWAYS)
    data = await series(client, et, at(MONDAY, "10:00"))
    r = await client.post(
        f"/v2/bookings/{data[0]['uid']}/decline", json={"reason": "Away"}, headers=hv(host)
    )
    assert r.status_code == 200, r.text
    assert await statuses(client, data[0]["recurringBookingUid"]) == ["rejected"] * 4


async def test_series_confirmation_with_a_taken_occurrence_changes_nothing(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY, confirmationPolicy=ALWAYS)
    data = await series(client, et, at(MONDAY, "10:00"))
    # The host accepts another booking over the third occurrence's time (a plain event type).
    plain = await make_event_type(app, host, slug="plain", with_schedule=False)
    await booked(client, plain, at(WEEKS[2], "10:00"))
    r = await client.post(f"/v2/bookings/{data[0]['uid']}/confirm", headers=hv(host))
    assert r.status_code == 409, r.text
    assert data[2]["uid"] in r.json()["error"]["message"]
    assert await statuses(client, data[0]["recurringBookingUid"]) == ["pending"] * 4
