"""Seated bookings through HTTP (cal-semantics §5.11): joining, seat uids, visibility,
GET by seat, cancelling and rescheduling one seat, and the error cases."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import func, select

from slotwise.kit.db import Database
from slotwise.models import Attendee, Booking, BookingEvent
from tests.api.booking_fixtures import MONDAY, V, at, book, hv, make_event_type
from tests.conftest import Host, make_host

SEATS = {"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True}


def person(n: int) -> dict[str, Any]:
    """Booker number ``n`` (Europe/Rome)."""
    return {"name": f"Seat Holder {n}", "email": f"p{n}@example.com", "timeZone": "Europe/Rome"}


async def seat(client: httpx2.AsyncClient, et: int, start: str, n: int, **extra: Any) -> Any:
    """Book a seat for person ``n`` and return the response."""
    return await book(client, et, start, attendee=person(n), **extra)


async def seated(
    client: httpx2.AsyncClient, et: int, start: str, n: int, **extra: Any
) -> dict[str, Any]:
    """Book a seat for person ``n``, asserting 201; the response data."""
    r = await seat(client, et, start, n, **extra)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def seated_type(app: Any, host: Host, **seats: Any) -> int:
    return await make_event_type(app, host, length=60, seats={**SEATS, **seats})


async def count(app: Any, model: Any, *conds: Any) -> int:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*conds)))


async def test_seats_fill_one_booking(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    assert first["seatUid"] and first["status"] == "accepted"
    # anonymous caller, showAttendeeInfo false: only their own seat
    assert [a["email"] for a in first["attendees"]] == ["p1@example.com"]
    mine = first["attendees"][0]
    assert mine["seatUid"] == first["seatUid"]
    assert "email" not in mine["bookingFieldsResponses"]
    assert mine["bookingFieldsResponses"]["name"] == "Seat Holder 1"
    assert "guests" not in first and "bookingFieldsResponses" not in first
    second = await seated(client, et, at(MONDAY, "10:00"), 2, metadata={"k": "v"})
    third = await seated(client, et, at(MONDAY, "10:00"), 3)
    assert first["uid"] == second["uid"] == third["uid"]
    assert len({first["seatUid"], second["seatUid"], third["seatUid"]}) == 3
    assert second["attendees"][0]["metadata"] == {"k": "v"}
    r = await seat(client, et, at(MONDAY, "10:00"), 4)
    assert r.status_code == 409, r.text
    assert r.json()["error"]["message"] == "No more seats left at this seated booking."
    assert await count(app, Booking) == 1
    assert await count(app, Attendee) == 3
    # the host sees every seat
    r = await client.get(f"/v2/bookings/{first['uid']}", headers=hv(host))
    assert [a["email"] for a in r.json()["data"]["attendees"]] == [
        "p1@example.com", "p2@example.com", "p3@example.com",
    ]  # fmt: skip
    # anonymous: nobody's details
    r = await client.get(f"/v2/bookings/{first['uid']}", headers=V)
    assert r.status_code == 200 and r.json()["data"]["attendees"] == []
    # a full slot is no longer offered
    r = await client.get(
        "/v2/slots",
        params={"eventTypeId": et, "start": MONDAY, "end": MONDAY},
        headers={"cal-api-version": "2024-09-04"},
    )
    starts = [s["start"] for s in r.json()["data"][MONDAY]]
    assert at(MONDAY, "10:00") not in starts


async def test_slot_lists_seats_left(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    r = await client.get(
        "/v2/slots",
        params={"eventTypeId": et, "start": MONDAY, "end": MONDAY},
        headers={"cal-api-version": "2024-09-04"},
    )
    slot = next(s for s in r.json()["data"][MONDAY] if s["start"] == at(MONDAY, "10:00"))
    assert slot["seatsBooked"] == 1 and slot["seatsRemaining"] == 2
    assert slot["bookingUid"] == first["uid"]


async def test_booker_already_seated_gets_409(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await seated_type(app, host)
    await seated(client, et, at(MONDAY, "10:00"), 1)
    again = person(1) | {"email": "P1@Example.com"}
    r = await book(client, et, at(MONDAY, "10:00"), attendee=again)
    assert r.status_code == 409
    assert "already signed up" in r.json()["error"]["message"]
    assert await count(app, Attendee) == 1


async def test_show_attendee_info(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host, showAttendeeInfo=True)
    await seated(client, et, at(MONDAY, "10:00"), 1)
    second = await seated(client, et, at(MONDAY, "10:00"), 2)
    assert [a["email"] for a in second["attendees"]] == ["p1@example.com", "p2@example.com"]
    r = await client.get(f"/v2/bookings/by-seat/{second['seatUid']}", headers=V)
    assert len(r.json()["data"]["attendees"]) == 2


async def test_get_by_seat(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    second = await seated(client, et, at(MONDAY, "10:00"), 2)
    r = await client.get(f"/v2/bookings/by-seat/{second['seatUid']}", headers=V)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["uid"] == first["uid"]
    assert [a["seatUid"] for a in data["attendees"]] == [second["seatUid"]]
    assert "seatUid" not in data
    r = await client.get(f"/v2/bookings/by-seat/{second['seatUid']}", headers=hv(host))
    assert len(r.json()["data"]["attendees"]) == 2
    r = await client.get("/v2/bookings/by-seat/nope", headers=V)
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "Booking with seatUid=nope not found"


async def test_guests_refused(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host)
    r = await seat(client, et, at(MONDAY, "10:00"), 1, guests=["g@example.com"])
    assert r.status_code == 400
    assert "seated event type" in r.json()["error"]["message"]


async def test_cancel_one_seat(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    second = await seated(client, et, at(MONDAY, "10:00"), 2)
    uid = first["uid"]
    r = await client.post(
        f"/v2/bookings/{uid}/cancel", json={"seatUid": second["seatUid"]}, headers=V
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "accepted"
    assert await count(app, Attendee) == 1
    # the freed seat can be taken again
    await seated(client, et, at(MONDAY, "10:00"), 3)
    # the same seat again → 400
    r = await client.post(
        f"/v2/bookings/{uid}/cancel", json={"seatUid": second["seatUid"]}, headers=V
    )
    assert r.status_code == 400
    assert "does not exist or has already been cancelled" in r.json()["error"]["message"]
    # the last seats cancelled → the booking is cancelled
    db: Database = app.state.db
    async with db.read_sessions() as session:
        seat_uids = list(await session.scalars(select(Attendee.seat_uid).order_by(Attendee.id)))
    for seat_uid in seat_uids:
        r = await client.post(f"/v2/bookings/{uid}/cancel", json={"seatUid": seat_uid}, headers=V)
        assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "cancelled"
    async with db.read_sessions() as session:
        events = list(
            await session.execute(
                select(BookingEvent.action, BookingEvent.data).order_by(BookingEvent.id)
            )
        )
    cancels = [data for action, data in events if action == "cancelled"]
    assert [c["seatAttendeeEmail"] for c in cancels] == [
        "p2@example.com", "p1@example.com", "p3@example.com",
    ]  # fmt: skip
    assert cancels[0]["seatUid"] == second["seatUid"] and cancels[0]["seatOnly"] is True
    assert cancels[-1]["seatOnly"] is False
    created = [data for action, data in events if action == "created"]
    assert [c["seatJoined"] for c in created] == [False, True, True]
    assert created[1]["seatUid"] == second["seatUid"]


async def test_cancel_seat_errors(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    other = await seated(client, et, at(MONDAY, "12:00"), 2)
    uid = first["uid"]
    r = await client.post(
        f"/v2/bookings/{uid}/cancel", json={"seatUid": other["seatUid"]}, headers=V
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "Invalid seatUid: this seat does not belong to this booking."
    )
    r = await client.post("/v2/bookings/missing/cancel", json={"seatUid": "x"}, headers=V)
    assert r.status_code == 404
    # the whole seated booking: only its host
    r = await client.post(f"/v2/bookings/{uid}/cancel", json={}, headers=V)
    assert r.status_code == 401
    r = await client.post(
        f"/v2/bookings/{uid}/cancel", json={"cancellationReason": "ill"}, headers=hv(host)
    )
    assert r.status_code == 200 and r.json()["data"]["status"] == "cancelled"
    r = await client.post(
        f"/v2/bookings/{uid}/cancel", json={"seatUid": first["seatUid"]}, headers=V
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "This booking has already been cancelled."


async def test_reschedule_one_seat(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host, seatsPerTimeSlot=2)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    second = await seated(client, et, at(MONDAY, "10:00"), 2)
    uid = first["uid"]
    body = {"start": at(MONDAY, "13:00"), "seatUid": second["seatUid"]}
    r = await client.post(f"/v2/bookings/{uid}/reschedule", json=body, headers=V)
    assert r.status_code == 201, r.text
    moved = r.json()["data"]
    assert moved["uid"] != uid and moved["start"] == at(MONDAY, "13:00")
    assert moved["seatUid"] == second["seatUid"]
    assert [a["email"] for a in moved["attendees"]] == ["p2@example.com"]
    # the first attendee stays where they were
    r = await client.get(f"/v2/bookings/{uid}", headers=hv(host))
    kept = r.json()["data"]
    assert kept["status"] == "accepted"
    assert [a["email"] for a in kept["attendees"]] == ["p1@example.com"]
    # the first seat follows: it joins the booking at 13:00, and the old booking (empty) ends
    body = {"start": at(MONDAY, "13:00"), "seatUid": first["seatUid"]}
    r = await client.post(f"/v2/bookings/{uid}/reschedule", json=body, headers=V)
    assert r.status_code == 201, r.text
    assert r.json()["data"]["uid"] == moved["uid"]
    r = await client.get(f"/v2/bookings/{uid}", headers=hv(host))
    old = r.json()["data"]
    assert old["status"] == "cancelled" and old["rescheduledToUid"] == moved["uid"]
    # a third person cannot move into the full 13:00 booking
    third = await seated(client, et, at(MONDAY, "15:00"), 3)
    body = {"start": at(MONDAY, "13:00"), "seatUid": third["seatUid"]}
    r = await client.post(f"/v2/bookings/{third['uid']}/reschedule", json=body, headers=V)
    assert r.status_code == 409
    assert r.json()["error"]["message"] == "No more seats left at this seated booking."
    # person 1, seated at 13:00 already, cannot move a second seat of theirs there
    fourth = await seated(client, et, at(MONDAY, "15:00"), 1)
    body = {"start": at(MONDAY, "13:00"), "seatUid": fourth["seatUid"]}
    r = await client.post(f"/v2/bookings/{third['uid']}/reschedule", json=body, headers=V)
    assert r.status_code == 409
    assert "already signed up" in r.json()["error"]["message"]


async def test_reschedule_seat_errors(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await seated_type(app, host)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    uid = first["uid"]
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule",
        json={"start": at(MONDAY, "13:00"), "seatUid": "nope"},
        headers=V,
    )
    assert r.status_code == 400
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule", json={"start": at(MONDAY, "13:00")}, headers=V
    )
    assert r.status_code == 400 and "seatUid" in r.json()["error"]["message"]
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule",
        json={"start": at(MONDAY, "10:00"), "seatUid": first["seatUid"]},
        headers=V,
    )
    assert r.status_code == 400
    # the host moves the whole booking, seats included
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule", json={"start": at(MONDAY, "14:00")}, headers=hv(host)
    )
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert [a["seatUid"] for a in data["attendees"]] == [first["seatUid"]]
    r = await client.get(f"/v2/bookings/by-seat/{first['seatUid']}", headers=V)
    assert r.json()["data"]["uid"] == data["uid"]


async def test_no_attendees_or_guests_added_to_seats(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await seated_type(app, host)
    first = await seated(client, et, at(MONDAY, "10:00"), 1)
    uid = first["uid"]
    r = await client.post(
        f"/v2/bookings/{uid}/guests",
        json={"guests": [{"email": "g@example.com"}]},
        headers=hv(host),
    )
    assert r.status_code == 400 and "seated booking" in r.json()["error"]["message"]
    body = {"name": "Extra", "email": "extra@example.com", "timeZone": "UTC"}
    r = await client.post(f"/v2/bookings/{uid}/attendees", json=body, headers=hv(host))
    assert r.status_code == 400 and "seated booking" in r.json()["error"]["message"]
    assert await count(app, Attendee) == 1


async def test_attendees_endpoint_hides_other_seats(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    """GET /v2/bookings/{uid}/attendees follows GET /v2/bookings/{uid}: a seat holder sees only
    their own seat unless the event type sets showAttendeeInfo; the host sees every seat."""
    hidden = await seated_type(app, host)
    shown = await make_event_type(
        app, host, slug="open", length=60, seats={**SEATS, "showAttendeeInfo": True}
    )
    p1 = await make_host(app, "p1")  # a user whose email is seat holder 1's
    for et, hhmm, visible in ((hidden, "10:00", 1), (shown, "12:00", 2)):
        uid = (await seated(client, et, at(MONDAY, hhmm), 1))["uid"]
        await seated(client, et, at(MONDAY, hhmm), 2)
        base = f"/v2/bookings/{uid}/attendees"
        r = await client.get(base, headers=hv(p1))
        assert r.status_code == 200, r.text
        mine = r.json()["data"]
        assert [a["email"] for a in mine][:visible] == ["p1@example.com", "p2@example.com"][
            :visible
        ]
        assert len(mine) == visible
        r = await client.get(base, headers=hv(host))
        everyone = r.json()["data"]
        assert [a["email"] for a in everyone] == ["p1@example.com", "p2@example.com"]
        other = f"{base}/{everyone[1]['id']}"
        assert (await client.get(other, headers=hv(p1))).status_code == (
            404 if visible == 1 else 200
        )
        assert (await client.get(other, headers=hv(host))).status_code == 200
