"""POST …/mark-absent, PATCH …/location, POST …/request-reschedule: behaviour, history rows,
permissions (someone else's booking is a 404) and state errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from slotwise.kit import clock
from slotwise.kit.db import Database
from slotwise.models import Booking, BookingEvent
from tests.api.booking_fixtures import MONDAY, TUESDAY, V, at, booked, hv, make_event_type
from tests.conftest import Host

CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}


def freeze(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    """Make the booking clock answer ``when`` (``YYYY-MM-DDTHH:MM``, UTC)."""
    frozen = datetime.fromisoformat(when).replace(tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: frozen)


def message(r: httpx2.Response) -> str:
    return str(r.json()["error"]["message"])


async def events(app: Any) -> list[BookingEvent]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        return list((await session.scalars(select(BookingEvent).order_by(BookingEvent.id))).all())


async def test_mark_absent(
    client: httpx2.AsyncClient,
    app: Any,
    host: Host,
    other_host: Host,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"), guests=["carol@example.com"])
    url = f"/v2/bookings/{data['uid']}/mark-absent"
    body = {"host": True, "attendees": [{"email": "bob@example.com", "absent": True}]}

    r = await client.post(url, json=body, headers=hv(host))
    assert r.status_code == 400  # not started yet
    assert message(r).startswith(
        "Bookings can only be marked as absent after their scheduled start time. Current time "
        "in UTC+0: "
    )
    assert message(r).endswith("Booking start time in UTC+0: 2050-09-05T10:00:00.000Z")

    freeze(monkeypatch, "2050-09-05T10:31")
    assert (await client.post(url, json=body, headers=V)).status_code == 401
    r = await client.post(url, json=body, headers=hv(other_host))
    assert r.status_code == 404
    assert message(r) == f"Booking with uid={data['uid']} not found"
    r = await client.post("/v2/bookings/nope/mark-absent", json=body, headers=hv(host))
    assert r.status_code == 404
    r = await client.post(url, json={}, headers=hv(host))
    assert r.status_code == 400
    r = await client.post(
        url, json={"attendees": [{"email": "zed@example.com", "absent": True}]}, headers=hv(host)
    )
    assert r.status_code == 400
    assert "zed@example.com" in message(r)
    r = await client.post(url, json={"host": "yes"}, headers=hv(host))
    assert r.status_code == 400

    r = await client.post(url, json=body, headers=hv(host))
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert out["absentHost"] is True
    assert [(a["email"], a["absent"]) for a in out["attendees"]] == [
        ("bob@example.com", True),
        ("carol@example.com", False),
    ]
    r = await client.post(
        url,
        json={"host": False, "attendees": [{"email": "BOB@example.com", "absent": False}]},
        headers=hv(host),
    )
    out = r.json()["data"]
    assert out["absentHost"] is False and out["attendees"][0]["absent"] is False
    got = (await client.get(f"/v2/bookings/{data['uid']}", headers=V)).json()["data"]
    assert got["absentHost"] is False

    rows = await events(app)
    assert [e.action for e in rows] == ["created", "no_show", "no_show"]
    assert rows[1].actor == host.email
    assert rows[1].data == {
        "host": True,
        "attendees": [{"email": "bob@example.com", "absent": True}],
    }

    # a cancelled booking cannot be marked
    await client.post(
        f"/v2/bookings/{data['uid']}/cancel", json={"cancellationReason": "x"}, headers=V
    )
    cancelled = (await client.get(f"/v2/bookings/{data['uid']}", headers=V)).json()["data"]
    assert cancelled["status"] == "cancelled"
    r = await client.post(url, json=body, headers=hv(host))
    assert r.status_code == 400
    assert "cancelled" in message(r)


async def test_update_location(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    assert data["location"] == "integrations:daily"
    url = f"/v2/bookings/{data['uid']}/location"
    cases = [
        ({"type": "address", "address": "1 Main St"}, "1 Main St"),
        ({"type": "attendeeAddress", "address": "2 Side St"}, "2 Side St"),
        ({"type": "attendeeDefined", "location": "The park"}, "The park"),
        ({"type": "attendeePhone", "phone": "+14155552671"}, "+14155552671"),
        ({"type": "phone", "phone": "+442071838750"}, "+442071838750"),
        ({"type": "link", "link": "https://meet.example/abc"}, "https://meet.example/abc"),
    ]
    for location, stored in cases:
        r = await client.patch(url, json={"location": location}, headers=hv(host))
        assert r.status_code == 200, r.text
        out = r.json()["data"]
        assert out["location"] == stored == out["meetingUrl"]
        assert out["bookingFieldsResponses"]["location"] == stored

    bad = [
        {},
        {"location": {"type": "zoom"}},
        {"location": {"type": "link"}},
        {"location": {"type": "phone", "phone": "12"}},
        {"location": {"type": "link", "link": "x", "extra": 1}},
        {"location": "https://meet.example"},
    ]
    for body in bad:
        r = await client.patch(url, json=body, headers=hv(host))
        assert r.status_code == 400, body
    r = await client.patch(
        url, json={"location": {"type": "link", "link": "x"}}, headers=hv(other_host)
    )
    assert r.status_code == 404
    r = await client.patch(
        "/v2/bookings/nope/location", json={"location": cases[0][0]}, headers=hv(host)
    )
    assert r.status_code == 404
    r = await client.patch(url, json={"location": cases[0][0]}, headers=V)
    assert r.status_code == 401

    rows = [e for e in await events(app) if e.action == "location_changed"]
    assert len(rows) == len(cases)
    assert rows[0].data == {"from": "integrations:daily", "to": "1 Main St", "type": "address"}
    # the calendar sequence grows with each change
    db: Database = app.state.db
    async with db.read_sessions() as session:
        row = await session.scalar(select(Booking).where(Booking.uid == data["uid"]))
        assert row is not None and row.ical_sequence == len(cases)

    await client.post(
        f"/v2/bookings/{data['uid']}/cancel", json={"cancellationReason": "x"}, headers=V
    )
    r = await client.patch(url, json={"location": cases[0][0]}, headers=hv(host))
    assert r.status_code == 400


async def test_request_reschedule(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    uid = data["uid"]
    url = f"/v2/bookings/{uid}/request-reschedule"
    body = {"rescheduleReason": "I have a conflict"}
    assert (await client.post(url, json=body, headers=hv(other_host))).status_code == 404
    assert (await client.post(url, json=body, headers=V)).status_code == 401
    r = await client.post(url, json={"reason": "x"}, headers=hv(host))
    assert r.status_code == 400
    assert "property reason should not exist" in message(r)

    r = await client.post(url, json=body, headers=hv(host))
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert out["uid"] == uid
    assert out["status"] == "cancelled"
    assert out["cancellationReason"] == "I have a conflict"
    assert out["cancelledByEmail"] == host.email
    row = (await events(app))[-1]
    assert row.action == "cancelled"
    assert row.data == {
        "reason": "I have a conflict",
        "previousStatus": "accepted",
        "rescheduleRequested": True,
        "rescheduleReason": "I have a conflict",
    }
    # asking twice is a state error
    r = await client.post(url, json=body, headers=hv(host))
    assert r.status_code == 400
    # the time is free again
    other = await booked(client, et, at(MONDAY, "10:00"))
    assert other["status"] == "accepted"

    # the attendee may now pick a new time for the cancelled booking (no API key needed)
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule", json={"start": at(TUESDAY, "11:00")}, headers=V
    )
    assert r.status_code == 201, r.text
    new = r.json()["data"]
    assert new["rescheduledFromUid"] == uid
    assert new["status"] == "accepted"
    old = (await client.get(f"/v2/bookings/{uid}", headers=V)).json()["data"]
    assert old["status"] == "cancelled" and old["rescheduledToUid"] == new["uid"]
    # …once
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule", json={"start": at(TUESDAY, "13:00")}, headers=V
    )
    assert r.status_code == 400

    # a plain cancellation does not allow rescheduling
    r = await client.post(
        f"/v2/bookings/{other['uid']}/cancel", json={"cancellationReason": "no"}, headers=V
    )
    assert r.status_code == 200
    r = await client.post(
        f"/v2/bookings/{other['uid']}/reschedule", json={"start": at(TUESDAY, "14:00")}, headers=V
    )
    assert r.status_code == 400
    assert "has been cancelled" in message(r)


async def test_request_reschedule_pending_and_body_optional(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    data = await booked(client, et, at(MONDAY, "10:00"))
    assert data["status"] == "pending"
    r = await client.post(f"/v2/bookings/{data['uid']}/request-reschedule", headers=hv(host))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "cancelled"
    assert r.json()["data"]["cancellationReason"] == ""
    declined = await booked(client, et, at(MONDAY, "11:00"))
    await client.post(f"/v2/bookings/{declined['uid']}/decline", json={}, headers=hv(host))
    r = await client.post(
        f"/v2/bookings/{declined['uid']}/request-reschedule", json={}, headers=hv(host)
    )
    assert r.status_code == 400
    assert "rejected" in message(r)
