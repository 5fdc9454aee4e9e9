"""Event-type flags at reschedule/cancel time: allowReschedulingPastBookings,
allowReschedulingCancelledBookings, disableCancelling, disableRescheduling (set through the
event-types API so the stored shape is the real one)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest

from slotwise.kit import clock
from tests.api.booking_fixtures import MONDAY, TUESDAY, V, at, booked, give_schedule, hv
from tests.conftest import Host

ET_V = {"cal-api-version": "2024-06-14"}


async def event_type(client: httpx2.AsyncClient, app: Any, host: Host, **body: Any) -> int:
    await give_schedule(app, host, name="Alice Host")
    payload = {"title": "Intro", "lengthInMinutes": 30, "minimumBookingNotice": 0, **body}
    r = await client.post("/v2/event-types", json=payload, headers={**host.headers, **ET_V})
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


def freeze(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    frozen = datetime.fromisoformat(when).replace(tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: frozen)


def message(r: httpx2.Response) -> str:
    return str(r.json()["error"]["message"])


async def reschedule(
    client: httpx2.AsyncClient, uid: str, start: str, headers: dict[str, str] | None = None
) -> httpx2.Response:
    return await client.post(
        f"/v2/bookings/{uid}/reschedule", json={"start": start}, headers=headers or V
    )


async def test_past_bookings(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = await event_type(client, app, host, slug="plain")
    allowed = await event_type(client, app, host, slug="past", allowReschedulingPastBookings=True)
    a = await booked(client, plain, at(MONDAY, "10:00"))
    b = await booked(client, plain, at(MONDAY, "11:00"))
    c = await booked(client, allowed, at(MONDAY, "12:00"))
    freeze(monkeypatch, "2050-09-05T13:00")
    r = await reschedule(client, a["uid"], at(TUESDAY, "10:00"))
    assert r.status_code == 400
    assert "allowReschedulingPastBookings" in message(r)
    r = await reschedule(client, c["uid"], at(TUESDAY, "10:00"))
    assert r.status_code == 201, r.text
    r = await reschedule(client, b["uid"], at(TUESDAY, "11:00"), hv(host))
    assert r.status_code == 201, r.text  # the host may move a past booking
    # a booking that has started but not ended is not past
    d = await booked(client, plain, at(MONDAY, "13:00"))
    freeze(monkeypatch, "2050-09-05T13:10")
    assert (await reschedule(client, d["uid"], at(TUESDAY, "14:00"))).status_code == 201


async def test_cancelled_bookings(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    plain = await event_type(client, app, host, slug="plain")
    again = await event_type(
        client, app, host, slug="again", allowReschedulingCancelledBookings=True
    )
    a = await booked(client, plain, at(MONDAY, "10:00"))
    b = await booked(client, again, at(MONDAY, "11:00"))
    for data in (a, b):
        r = await client.post(
            f"/v2/bookings/{data['uid']}/cancel", json={"cancellationReason": "x"}, headers=V
        )
        assert r.status_code == 200
    r = await reschedule(client, a["uid"], at(TUESDAY, "10:00"))
    assert r.status_code == 400
    assert "has been cancelled" in message(r)
    r = await reschedule(client, b["uid"], at(TUESDAY, "10:00"))
    assert r.status_code == 201, r.text
    new = r.json()["data"]
    assert new["status"] == "accepted" and new["rescheduledFromUid"] == b["uid"]
    old = (await client.get(f"/v2/bookings/{b['uid']}", headers=V)).json()["data"]
    assert old["status"] == "cancelled" and old["rescheduledToUid"] == new["uid"]
    r = await reschedule(client, b["uid"], at(TUESDAY, "12:00"))
    assert r.status_code == 400
    assert "rescheduled already" in message(r)


async def test_disable_flags_through_the_api(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    locked = await event_type(
        client,
        app,
        host,
        slug="locked",
        disableCancelling={"disabled": True},
        disableRescheduling={"disabled": True},
    )
    data = await booked(client, locked, at(MONDAY, "10:00"))
    r = await client.post(f"/v2/bookings/{data['uid']}/cancel", json={}, headers=V)
    assert r.status_code == 400
    assert message(r) == "This event type does not allow cancellations"
    r = await reschedule(client, data["uid"], at(MONDAY, "11:00"))
    assert r.status_code == 400
    assert message(r) == "This event type does not allow rescheduling"
    near = await event_type(
        client, app, host, slug="near", disableRescheduling={"minutesBefore": 10**8}
    )
    data = await booked(client, near, at(MONDAY, "12:00"))
    assert (await reschedule(client, data["uid"], at(MONDAY, "13:00"))).status_code == 403
    far = await event_type(client, app, host, slug="far", disableRescheduling={"minutesBefore": 60})
    data = await booked(client, far, at(MONDAY, "14:00"))
    assert (await reschedule(client, data["uid"], at(MONDAY, "15:00"))).status_code == 201
