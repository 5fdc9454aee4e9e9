"""Cancel, reschedule, confirm, decline; the history rows and hooks of each change."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings.history import on_booking_event, remove_booking_event_hook
from slotwise.kit.db import Database
from slotwise.models import Booking, BookingEvent
from tests.api.booking_fixtures import (
    MONDAY,
    TUESDAY,
    V,
    at,
    book,
    booked,
    history,
    hv,
    make_event_type,
)
from tests.conftest import Host

CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}


def message(r: httpx2.Response) -> str:
    return str(r.json()["error"]["message"])


async def test_cancel(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    uid = data["uid"]
    r = await client.post(
        f"/v2/bookings/{uid}/cancel", json={"cancellationReason": "Will travel"}, headers=V
    )
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert out["status"] == "cancelled"
    assert out["cancellationReason"] == "Will travel"
    assert out["uid"] == uid
    r = await client.post(f"/v2/bookings/{uid}/cancel", json={}, headers=V)
    assert r.status_code == 400
    assert message(r) == "This booking has already been cancelled."
    # the time is free again
    assert (await book(client, et, at(MONDAY, "10:00"))).status_code == 201
    assert [a for _, a in await history(app)] == ["created", "cancelled", "created"]


async def test_cancel_rules(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    uid = (await booked(client, et, at(MONDAY, "10:00")))["uid"]
    r = await client.post(f"/v2/bookings/{uid}/cancel", json={}, headers=hv(host))
    assert r.status_code == 400
    assert message(r) == "Cancellation reason is required when you are the host"
    r = await client.post(f"/v2/bookings/{uid}/cancel", json={"seatUid": "x"}, headers=V)
    assert r.status_code == 400
    r = await client.post(f"/v2/bookings/{uid}/cancel", json={"nope": 1}, headers=V)
    assert r.status_code == 400
    assert "property nope should not exist" in message(r)
    r = await client.post("/v2/bookings/missing/cancel", json={}, headers=V)
    assert r.status_code == 404
    assert message(r) == "Booking with uid=missing not found"
    r = await client.post(
        f"/v2/bookings/{uid}/cancel", json={"cancellationReason": "Sick"}, headers=hv(host)
    )
    assert r.status_code == 200
    assert r.json()["data"]["cancelledByEmail"] == host.email

    locked = await make_event_type(
        app, host, slug="locked", with_schedule=False, disableCancelling={"disabled": True}
    )
    uid = (await booked(client, locked, at(MONDAY, "11:00")))["uid"]
    r = await client.post(f"/v2/bookings/{uid}/cancel", headers=V)
    assert r.status_code == 400
    assert message(r) == "This event type does not allow cancellations"


async def test_reschedule(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    multi = await make_event_type(app, host, lengthInMinutesOptions=[30, 60])
    old = await booked(
        client, multi, at(MONDAY, "10:00"), lengthInMinutes=60, guests=["carol@example.com"]
    )
    r = await client.post(
        f"/v2/bookings/{old['uid']}/reschedule",
        json={"start": at(MONDAY, "10:15"), "reschedulingReason": "Traffic"},
        headers=V,
    )
    assert r.status_code == 201, r.text
    new = r.json()["data"]
    assert new["uid"] != old["uid"]
    assert new["status"] == "accepted"
    assert new["start"] == "2050-09-05T10:15:00.000Z"
    assert new["duration"] == 60  # the original's length, not the event type's default
    assert new["rescheduledFromUid"] == old["uid"]
    assert new["reschedulingReason"] == "Traffic"
    assert new["attendees"] == old["attendees"]
    assert new["icsUid"] == old["icsUid"]
    assert new["title"] == old["title"]

    prev = (await client.get(f"/v2/bookings/{old['uid']}", headers=V)).json()["data"]
    assert prev["status"] == "cancelled"
    assert prev["rescheduledToUid"] == new["uid"]
    assert prev["reschedulingReason"] == "Traffic"

    # the old time (10:00–11:00) is free: 09:15–10:15 overlaps it and only touches the new one
    r = await book(client, multi, at(MONDAY, "09:15"), lengthInMinutes=60)
    assert r.status_code == 201, r.text
    r = await book(client, multi, at(MONDAY, "11:00"), lengthInMinutes=30)
    assert r.status_code == 400  # the new booking (10:15–11:15) does block

    r = await client.post(
        f"/v2/bookings/{old['uid']}/reschedule", json={"start": at(TUESDAY, "10:00")}, headers=V
    )
    assert r.status_code == 400
    assert message(r) == (
        f"Can't reschedule booking with uid={old['uid']} because it has been cancelled and "
        f"rescheduled already to booking with uid={new['uid']}. You probably want to reschedule "
        f"{new['uid']} instead by passing it within the request URL."
    )
    ids = await _ids(app)
    assert await history(app) == [
        (ids[old["uid"]], "created"),
        (ids[old["uid"]], "rescheduled"),
        (ids[new["uid"]], "created"),
        (ids[new["uid"]] + 1, "created"),
    ]


async def _ids(app: Any) -> dict[str, int]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        rows = (await session.execute(select(Booking.uid, Booking.id))).all()
    return {r[0]: r[1] for r in rows}


async def test_reschedule_validation(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    first = await booked(client, et, at(MONDAY, "10:00"))
    second = await booked(client, et, at(MONDAY, "11:00"))
    url = f"/v2/bookings/{first['uid']}/reschedule"
    r = await client.post(url, json={"start": at(MONDAY, "11:15")}, headers=V)
    assert r.status_code == 400
    assert message(r) == "User either already has booking at this time or is not available"
    r = await client.post(url, json={"start": "2001-01-01T10:00:00Z"}, headers=V)
    assert r.status_code == 400
    assert message(r) == "Attempting to book a meeting in the past."
    r = await client.post(url, json={"start": at(MONDAY, "18:00")}, headers=V)
    assert r.status_code == 400
    r = await client.post(url, json={"start": at(MONDAY, "12:00"), "color": "x"}, headers=V)
    assert r.status_code == 400
    assert "property color should not exist" in message(r)
    r = await client.post(url, json={}, headers=V)
    assert r.status_code == 400
    assert "start" in message(r)
    # the alias rescheduleReason
    r = await client.post(
        url, json={"start": at(MONDAY, "12:00"), "rescheduleReason": "Lunch moved"}, headers=V
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["reschedulingReason"] == "Lunch moved"
    # cancelled bookings cannot be rescheduled
    await client.post(f"/v2/bookings/{second['uid']}/cancel", json={}, headers=V)
    r = await client.post(
        f"/v2/bookings/{second['uid']}/reschedule", json={"start": at(TUESDAY, "10:00")}, headers=V
    )
    assert r.status_code == 400
    assert message(r) == (
        f"Can't reschedule booking with uid={second['uid']} because it has been cancelled. "
        "Please provide uid of a booking that is not cancelled."
    )


async def test_reschedule_status(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    pending = await booked(client, et, at(MONDAY, "10:00"))
    r = await client.post(
        f"/v2/bookings/{pending['uid']}/reschedule",
        json={"start": at(MONDAY, "11:00"), "rescheduledBy": host.email},
        headers=V,
    )
    assert r.status_code == 201
    assert r.json()["data"]["status"] == "pending"  # a pending booking stays pending
    moved = r.json()["data"]
    r = await client.post(f"/v2/bookings/{moved['uid']}/confirm", headers=hv(host))
    assert r.status_code == 200
    r = await client.post(
        f"/v2/bookings/{moved['uid']}/reschedule", json={"start": at(MONDAY, "12:00")}, headers=V
    )
    assert r.json()["data"]["status"] == "pending"  # attendee reschedule needs confirmation again
    again = r.json()["data"]
    await client.post(f"/v2/bookings/{again['uid']}/confirm", headers=hv(host))
    # an unauthenticated caller naming the host's email is not trusted as the host
    r = await client.post(
        f"/v2/bookings/{again['uid']}/reschedule",
        json={"start": at(MONDAY, "13:00"), "rescheduledBy": host.email},
        headers=V,
    )
    assert r.json()["data"]["status"] == "pending"
    spoofed = r.json()["data"]
    await client.post(f"/v2/bookings/{spoofed['uid']}/confirm", headers=hv(host))
    r = await client.post(
        f"/v2/bookings/{spoofed['uid']}/reschedule",
        json={"start": at(MONDAY, "14:00"), "rescheduledBy": host.email},
        headers=hv(host),
    )
    data = r.json()["data"]
    assert data["status"] == "accepted"  # the owner reschedules with their key: auto-confirmed
    assert data["rescheduledByEmail"] == host.email


async def test_confirm_and_decline(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    a = await booked(client, et, at(MONDAY, "10:00"))
    b = await booked(client, et, at(MONDAY, "14:00"))
    assert a["status"] == b["status"] == "pending"

    r = await client.post(f"/v2/bookings/{a['uid']}/confirm", headers=V)
    assert r.status_code == 401
    r = await client.post(f"/v2/bookings/{a['uid']}/confirm", headers=hv(other_host))
    assert r.status_code == 403
    r = await client.post(f"/v2/bookings/{a['uid']}/confirm", headers=hv(host))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "accepted"
    r = await client.post(f"/v2/bookings/{a['uid']}/confirm", headers=hv(host))
    assert r.status_code == 400
    assert message(r) == "Booking already confirmed"
    r = await client.post(f"/v2/bookings/{a['uid']}/decline", json={}, headers=hv(host))
    assert r.status_code == 400

    r = await client.post(
        f"/v2/bookings/{b['uid']}/decline", json={"reason": "Busy"}, headers=hv(host)
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "rejected"
    r = await client.post(f"/v2/bookings/{b['uid']}/confirm", headers=hv(host))
    assert r.status_code == 400
    r = await client.post(
        f"/v2/bookings/{b['uid']}/reschedule", json={"start": at(TUESDAY, "10:00")}, headers=V
    )
    assert r.status_code == 400
    assert "rejected" in message(r)
    r = await client.post(f"/v2/bookings/{b['uid']}/cancel", json={}, headers=V)
    assert r.status_code == 400

    db: Database = app.state.db
    async with db.read_sessions() as session:
        row = await session.scalar(select(Booking).where(Booking.uid == b["uid"]))
        assert row is not None and row.rejection_reason == "Busy"
        events = (await session.scalars(select(BookingEvent).order_by(BookingEvent.id))).all()
    assert [e.action for e in events] == ["requested", "requested", "confirmed", "rejected"]
    assert events[2].actor == host.email
    assert events[3].data == {"reason": "Busy"}


async def test_confirm_never_double_books(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM, afterEventBuffer=10)
    a = await booked(client, et, at(MONDAY, "10:00"))
    b = await booked(client, et, at(MONDAY, "10:35"))  # pending ones don't block each other
    assert (await client.post(f"/v2/bookings/{a['uid']}/confirm", headers=hv(host))).is_success
    r = await client.post(f"/v2/bookings/{b['uid']}/confirm", headers=hv(host))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "ConflictException"
    got = (await client.get(f"/v2/bookings/{b['uid']}", headers=V)).json()["data"]
    assert got["status"] == "pending"


async def test_hooks_run_in_the_transaction(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    seen: list[tuple[str, str]] = []

    async def hook(session: AsyncSession, booking: Booking, event: BookingEvent) -> None:
        seen.append((booking.uid, event.action))
        assert event.id is not None and session.in_transaction()

    on_booking_event(hook)
    try:
        et = await make_event_type(app, host)
        data = await booked(client, et, at(MONDAY, "10:00"))
        await client.post(f"/v2/bookings/{data['uid']}/cancel", json={}, headers=V)
    finally:
        remove_booking_event_hook(hook)
    assert seen == [(data["uid"], "created"), (data["uid"], "cancelled")]


async def test_disable_rescheduling(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    never = await make_event_type(app, host, disableRescheduling={"disabled": True})
    uid = (await booked(client, never, at(MONDAY, "10:00")))["uid"]
    body = {"start": at(MONDAY, "11:00")}
    r = await client.post(f"/v2/bookings/{uid}/reschedule", json=body, headers=V)
    assert r.status_code == 400
    assert message(r) == "This event type does not allow rescheduling"
    r = await client.post(f"/v2/bookings/{uid}/reschedule", json=body, headers=hv(host))
    assert r.status_code == 201, r.text  # the host may still move it

    late = await make_event_type(
        app,
        host,
        slug="late",
        with_schedule=False,
        disableRescheduling={"minutesBefore": 60 * 24 * 365 * 100},
    )
    uid = (await booked(client, late, at(MONDAY, "14:00")))["uid"]
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule", json={"start": at(MONDAY, "15:00")}, headers=V
    )
    assert r.status_code == 403
    assert message(r) == (
        "Rescheduling is not allowed within the minimum notice period before the event"
    )
