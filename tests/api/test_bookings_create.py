"""POST /v2/bookings: shape, validation order and Cal.com's error messages, reservations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
from sqlalchemy import func, select

from slotwise.kit.db import Database
from slotwise.models import SlotReservation
from tests.api.booking_fixtures import (
    MONDAY,
    V,
    at,
    book,
    booked,
    booking_body,
    history,
    hv,
    make_event_type,
)
from tests.conftest import Host
from tests.reference_schemas import required_props


def error(r: httpx2.Response) -> str:
    body: dict[str, Any] = r.json()
    assert body["status"] == "error"
    return str(body["error"]["message"])


async def test_create_accepted_has_cal_shape(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, title="Intro call")
    r = await book(
        client,
        et,
        "2050-09-05T10:00:00Z",
        guests=["carol@example.com"],
        metadata={"ref": "abc"},
        bookingFieldsResponses={"notes": "About the API", "company": "ACME"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "success"
    data = body["data"]
    for prop in required_props("BookingOutput_2024_08_13"):
        assert prop in data, prop
    assert data["status"] == "accepted"
    assert data["start"] == "2050-09-05T10:00:00.000Z"
    assert data["end"] == "2050-09-05T10:30:00.000Z"
    assert data["duration"] == 30
    assert data["title"] == "Intro call between Alice Host and Bob Booker"
    assert data["description"] == "About the API"
    assert data["eventTypeId"] == et
    assert data["eventType"] == {"id": et, "slug": "intro"}
    assert data["hosts"] == [
        {
            "id": host.id,
            "name": "Alice Host",
            "email": host.email,
            "displayEmail": host.email,
            "username": "alice",
            "timeZone": "UTC",
        }
    ]
    assert [a["email"] for a in data["attendees"]] == ["bob@example.com", "carol@example.com"]
    booker = data["attendees"][0]
    assert booker == {
        "name": "Bob Booker",
        "email": "bob@example.com",
        "displayEmail": "bob@example.com",
        "timeZone": "Europe/Rome",
        "language": "en",
        "absent": False,
    }
    assert data["attendees"][1]["timeZone"] == "Europe/Rome"
    assert data["guests"] == ["carol@example.com"]
    assert data["metadata"] == {"ref": "abc"}
    assert data["location"] == "integrations:daily"
    assert data["icsUid"] == f"{data['uid']}@slotwise"
    assert data["absentHost"] is False
    responses = data["bookingFieldsResponses"]
    assert responses["name"] == "Bob Booker"
    assert responses["email"] == "bob@example.com"
    assert responses["company"] == "ACME"
    assert responses["guests"] == ["carol@example.com"]
    assert "rescheduledFromUid" not in data and "rescheduledToUid" not in data
    assert len(data["uid"]) >= 16

    got = await client.get(f"/v2/bookings/{data['uid']}", headers=V)
    assert got.status_code == 200
    assert got.json()["data"] == data
    assert [a for _, a in await history(app)] == ["created"]


async def test_book_by_slug_and_username(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, slug="chat")
    body = booking_body(et, at(MONDAY, "11:00"))
    del body["eventTypeId"]
    body.update(eventTypeSlug="chat", username="alice")
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 201, r.text
    assert r.json()["data"]["eventTypeId"] == et
    body["username"] = "nobody"
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 404


async def test_unknown_event_type_is_404(client: httpx2.AsyncClient) -> None:
    r = await book(client, 999, at(MONDAY, "10:00"))
    assert r.status_code == 404
    assert error(r) == "Event type with id 999 not found."


async def test_conflict_with_existing_booking(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host)
    await booked(client, et, at(MONDAY, "10:00"))
    r = await book(client, et, at(MONDAY, "10:15"))
    assert r.status_code == 400
    assert error(r) == "User either already has booking at this time or is not available"
    assert r.json()["error"]["code"] == "BadRequestException"
    r = await book(client, et, at(MONDAY, "10:30"))  # touching is fine
    assert r.status_code == 201, r.text


async def test_inside_buffer_is_rejected(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, afterEventBuffer=15)
    await booked(client, et, at(MONDAY, "10:00"))
    r = await book(client, et, at(MONDAY, "10:30"))
    assert r.status_code == 400
    assert "already has booking" in error(r)
    r = await book(client, et, at(MONDAY, "10:45"))
    assert r.status_code == 201, r.text


async def test_outside_working_hours(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    for start in (at(MONDAY, "08:00"), at(MONDAY, "16:45"), "2050-09-10T10:00:00Z"):
        r = await book(client, et, start)
        assert r.status_code == 400, start
        assert error(r) == "User either already has booking at this time or is not available"


async def test_off_grid_start_inside_hours_is_accepted(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host)
    assert (await book(client, et, at(MONDAY, "09:07"))).status_code == 201


async def test_past_and_minimum_notice(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, minimumBookingNotice=60 * 24 * 365 * 100)
    r = await book(client, et, "2001-01-01T10:00:00Z")
    assert r.status_code == 400
    assert error(r) == "Attempting to book a meeting in the past."
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 400
    assert error(r).startswith('The event type can\'t be booked at the "start" time provided.')


async def test_booking_window_is_out_of_bounds(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(
        app, host, bookingWindow={"type": "range", "value": ["2050-09-06", "2050-09-30"]}
    )
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 400
    assert "minimum booking notice" in error(r)


async def test_count_limit_is_400(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, bookingLimitsCount={"day": 1})
    await booked(client, et, at(MONDAY, "10:00"))
    r = await book(client, et, at(MONDAY, "14:00"))
    assert r.status_code == 400
    assert "Booking limit" in error(r)


async def test_unknown_property_and_bad_input(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host)
    r = await book(client, et, at(MONDAY, "10:00"), favouriteColour="red")
    assert r.status_code == 400
    assert "property favouriteColour should not exist" in error(r)

    body = booking_body(et, at(MONDAY, "10:00"))
    body["attendee"]["timeZone"] = "Mars/Olympus"
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 400
    assert "Mars/Olympus" in error(r)

    for bad_start in ("tomorrow", 12345):
        r = await client.post(
            "/v2/bookings", json={**booking_body(et, at(MONDAY, "10:00")), "start": bad_start},
            headers=V,
        )  # fmt: skip
        assert r.status_code == 400
        assert "start" in error(r)

    body = booking_body(et, at(MONDAY, "10:00"))
    del body["attendee"]["email"]
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 400
    assert "attendee.email" in error(r)

    r = await book(client, et, at(MONDAY, "10:00"), guests=["not-an-email"])
    assert r.status_code == 400
    assert "guests" in error(r)

    r = await book(client, et, at(MONDAY, "10:00"), metadata={f"k{i}": "v" for i in range(51)})
    assert r.status_code == 400
    assert "50 keys" in error(r)
    r = await book(client, et, at(MONDAY, "10:00"), metadata={"x" * 41: "v"})
    assert r.status_code == 400
    r = await book(client, et, at(MONDAY, "10:00"), metadata={"k": "v" * 501})
    assert r.status_code == 400

    body = booking_body(et, at(MONDAY, "10:00"))
    del body["eventTypeId"]
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 400
    assert "eventTypeId" in error(r)

    r = await book(client, et, at(MONDAY, "10:00"), instant=True)
    assert r.status_code == 400
    assert "Instant bookings" in error(r)


async def test_needs_version_header(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    r = await client.post("/v2/bookings", json=booking_body(et, at(MONDAY, "10:00")))
    assert r.status_code == 404
    assert "2024-08-13" in error(r)


async def test_length_in_minutes(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    single = await make_event_type(app, host)
    r = await book(client, single, at(MONDAY, "10:00"), lengthInMinutes=30)
    assert r.status_code == 400
    assert error(r) == (
        "Can't specify 'lengthInMinutes' because event type does not have multiple possible "
        "lengths. Please, remove the 'lengthInMinutes' field from the request."
    )
    multi = await make_event_type(
        app, host, slug="multi", with_schedule=False, lengthInMinutesOptions=[15, 30, 60]
    )
    r = await book(client, multi, at(MONDAY, "10:00"), lengthInMinutes=45)
    assert r.status_code == 400
    assert error(r) == (
        "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. "
        "The possible lengths are: 15, 30, 60"
    )
    data = await booked(client, multi, at(MONDAY, "10:00"), lengthInMinutes=60)
    assert data["duration"] == 60
    assert data["end"] == "2050-09-05T11:00:00.000Z"


async def test_locations(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(
        app,
        host,
        locations=[
            {"type": "address", "address": "1 Main St", "public": True},
            {"type": "attendeePhone"},
        ],
    )
    data = await booked(client, et, at(MONDAY, "09:00"))
    assert data["location"] == "1 Main St"
    data = await booked(
        client, et, at(MONDAY, "10:00"), location={"type": "attendeePhone", "phone": "+3712099"}
    )
    assert data["location"] == "+3712099"
    r = await book(client, et, at(MONDAY, "11:00"), location={"type": "link"})
    assert r.status_code == 400
    assert error(r) == (
        f"Booking location with type link not valid for event type with id={et}. "
        "The event type has following location types: address, attendeePhone"
    )
    r = await book(client, et, at(MONDAY, "11:00"), location={"type": "attendeePhone"})
    assert r.status_code == 400
    assert error(r) == "location: phone is required for type attendeePhone"
    r = await book(client, et, at(MONDAY, "11:00"), location={"type": "moon"})
    assert r.status_code == 400
    assert "type must be one of address" in error(r)
    data = await booked(client, et, at(MONDAY, "12:00"), location="https://meet.example.com/x")
    assert data["location"] == "https://meet.example.com/x"


async def test_confirmation_policy(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    always = await make_event_type(
        app,
        host,
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False},
    )
    data = await booked(client, always, at(MONDAY, "10:00"))
    assert data["status"] == "pending"
    # pending bookings don't block unless the policy says so
    assert (await book(client, always, at(MONDAY, "10:00"))).status_code == 201

    threshold = await make_event_type(
        app,
        host,
        slug="soon",
        with_schedule=False,
        confirmationPolicy={
            "type": "time",
            "noticeThreshold": {"unit": "minutes", "count": 30},
            "blockUnconfirmedBookingsInBooker": True,
        },
    )
    # booked ~25 years ahead: more notice than 30 minutes → no confirmation needed
    assert (await booked(client, threshold, at(MONDAY, "14:00")))["status"] == "accepted"
    far = await make_event_type(
        app,
        host,
        slug="far",
        with_schedule=False,
        confirmationPolicy={
            "type": "time",
            "noticeThreshold": {"unit": "hours", "count": 24 * 366 * 40},
            "blockUnconfirmedBookingsInBooker": False,
        },
    )
    # less notice than 40 years → the host must confirm
    assert (await booked(client, far, at(MONDAY, "16:00")))["status"] == "pending"

    disabled = await make_event_type(
        app, host, slug="off", with_schedule=False, confirmationPolicy={"disabled": True}
    )
    assert (await booked(client, disabled, at(MONDAY, "15:00")))["status"] == "accepted"
    actions = [a for _, a in await history(app)]
    assert actions == ["requested", "requested", "created", "requested", "created"]


async def test_blocking_pending_bookings(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(
        app,
        host,
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": True},
    )
    await booked(client, et, at(MONDAY, "10:00"))
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 400


async def _reserve(app: Any, host: Host, et: int, start: str, minutes: int = 30) -> str:
    db: Database = app.state.db
    begin = datetime.fromisoformat(start)
    async with db.write_sessions() as session, session.begin():
        row = SlotReservation(
            uid=f"res-{begin:%H%M}",
            event_type_id=et,
            user_id=host.id,
            slot_start=begin,
            slot_end=begin + timedelta(minutes=minutes),
            reserved_until=datetime.now(UTC) + timedelta(minutes=5),
        )
        session.add(row)
        await session.flush()
        return row.uid


async def test_reserved_slot(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host)
    uid = await _reserve(app, host, et, "2050-09-05T10:00:00+00:00")
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "ConflictException"
    assert error(r).startswith("This time slot is already reserved by another user")
    r = await book(client, et, at(MONDAY, "10:15"), reservationUid="someone-else")
    assert r.status_code == 409
    await booked(client, et, at(MONDAY, "10:00"), reservationUid=uid)
    db: Database = app.state.db
    async with db.read_sessions() as session:
        left = await session.scalar(select(func.count()).select_from(SlotReservation))
    assert left == 0  # consumed


async def test_requires_authentication(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(app, host, bookingRequiresAuthentication=True)
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 401
    r = await client.post(
        "/v2/bookings", json=booking_body(et, at(MONDAY, "10:00")), headers=hv(host)
    )
    assert r.status_code == 201, r.text
