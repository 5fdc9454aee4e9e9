"""``bookerActiveBookingsLimit`` enforced by POST /v2/bookings (both databases): the booker's
upcoming accepted or pending bookings of the event type, by attendee email; ``offerReschedule``
names the booking to move. 2050-09-05 is a Monday."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx2
from sqlalchemy import update

from slotwise.kit.db import Database
from slotwise.models import Booking
from tests.api.booking_fixtures import MONDAY, TUESDAY, V, at, book, booked, make_event_type
from tests.conftest import Host


def error_of(r: httpx2.Response) -> dict[str, Any]:
    assert r.status_code == 400, r.text
    body: dict[str, Any] = r.json()
    assert body["status"] == "error"
    assert body["error"]["code"] == "BadRequestException"
    error: dict[str, Any] = body["error"]
    return error


def attendee(email: str) -> dict[str, str]:
    return {"name": "Bob Booker", "email": email, "timeZone": "Europe/Rome"}


async def test_limit_counts_the_bookers_upcoming_bookings(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await make_event_type(app, host, bookerActiveBookingsLimit={"maximumActiveBookings": 2})
    first = await booked(client, et, at(MONDAY, "09:00"))
    await booked(client, et, at(MONDAY, "10:00"))
    third = await book(client, et, at(MONDAY, "11:00"))
    assert error_of(third) == {
        "code": "BadRequestException",
        "message": "booker_limit_exceeded_error",
        "details": {"count": 2},
    }
    # the same person in other letter case is the same booker
    again = await book(client, et, at(MONDAY, "11:00"), attendee=attendee("BOB@Example.com"))
    assert error_of(again)["message"] == "booker_limit_exceeded_error"
    # someone else is not limited by Bob's bookings
    r = await book(client, et, at(MONDAY, "11:00"), attendee=attendee("carol@example.com"))
    assert r.status_code == 201, r.text
    # a cancelled booking no longer counts
    r = await client.post(
        f"/v2/bookings/{first['uid']}/cancel", json={"cancellationReason": "x"}, headers=V
    )
    assert r.status_code == 200, r.text
    assert (await book(client, et, at(MONDAY, "12:00"))).status_code == 201
    assert error_of(await book(client, et, at(MONDAY, "13:00")))["details"] == {"count": 2}


async def test_past_bookings_do_not_count_and_other_event_types_are_separate(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await make_event_type(app, host, bookerActiveBookingsLimit={"maximumActiveBookings": 1})
    other = await make_event_type(app, host, slug="other", with_schedule=False)
    done = await booked(client, et, at(MONDAY, "09:00"))
    assert error_of(await book(client, et, at(MONDAY, "10:00")))["message"] == (
        "booker_limit_exceeded_error"
    )
    assert (await book(client, other, at(MONDAY, "10:00"))).status_code == 201
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        past = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)
        await session.execute(
            update(Booking)
            .where(Booking.uid == done["uid"])
            .values(start_time=past, end_time=past.replace(minute=30))
        )
    assert (await book(client, et, at(MONDAY, "11:00"))).status_code == 201


async def test_pending_bookings_count(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    et = await make_event_type(
        app,
        host,
        confirmationPolicy={"type": "always"},
        bookerActiveBookingsLimit={"maximumActiveBookings": 1},
    )
    assert (await booked(client, et, at(MONDAY, "09:00")))["status"] == "pending"
    r = await book(client, et, at(MONDAY, "10:00"))
    assert error_of(r)["message"] == "booker_limit_exceeded_error"


async def test_offer_reschedule_names_the_booking_to_move(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    limit = {"maximumActiveBookings": 2, "offerReschedule": True}
    et = await make_event_type(app, host, bookerActiveBookingsLimit=limit)
    early = await booked(client, et, at(MONDAY, "09:00"), guests=["gina@example.com"])
    late = await booked(client, et, at(TUESDAY, "09:00"))
    r = await book(client, et, at(TUESDAY, "10:00"))
    error = error_of(r)
    assert error["message"] == "booker_limit_exceeded_error_reschedule"
    # of the booker's 2 latest active bookings, the earliest (as Cal.com picks it)
    assert error["details"] == {
        "rescheduleUid": early["uid"],
        "startTime": at(MONDAY, "09:00"),
        "attendees": [
            {"name": "Bob Booker", "email": "bob@example.com"},
            {"name": "", "email": "gina@example.com"},
        ],
    }
    # moving the offered booking is allowed: reschedules are not limited
    moved = await client.post(
        f"/v2/bookings/{early['uid']}/reschedule", json={"start": at(TUESDAY, "10:00")}, headers=V
    )
    assert moved.status_code == 201, moved.text
    assert late["uid"] != early["uid"]
    # still two active bookings: the limit still holds
    r = await book(client, et, at(TUESDAY, "11:00"))
    assert error_of(r)["message"] == "booker_limit_exceeded_error_reschedule"


async def test_disabled_limit_allows_any_number(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await make_event_type(app, host, bookerActiveBookingsLimit={"disabled": True})
    for hhmm in ("09:00", "10:00", "11:00"):
        assert (await book(client, et, at(MONDAY, hhmm))).status_code == 201


async def test_limit_set_through_the_event_types_api(
    client: httpx2.AsyncClient, host: Host, app: Any
) -> None:
    et = await make_event_type(app, host)
    headers = {**host.headers, "cal-api-version": "2024-06-14"}
    r = await client.patch(
        f"/v2/event-types/{et}",
        json={"bookerActiveBookingsLimit": {"maximumActiveBookings": 1, "offerReschedule": False}},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["bookerActiveBookingsLimit"] == {
        "maximumActiveBookings": 1,
        "offerReschedule": False,
    }
    await booked(client, et, at(MONDAY, "09:00"))
    r = await book(client, et, at(MONDAY, "10:00"))
    assert error_of(r)["message"] == "booker_limit_exceeded_error"


async def test_concurrent_bookings_by_one_booker_respect_the_limit(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await make_event_type(app, host, bookerActiveBookingsLimit={"maximumActiveBookings": 2})
    starts = [at(MONDAY, f"{h:02d}:00") for h in range(9, 15)]
    responses = await asyncio.gather(*(book(client, et, s) for s in starts))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 201] + [400] * (len(starts) - 2), [r.text for r in responses]
    assert all(
        r.json()["error"]["message"] == "booker_limit_exceeded_error"
        for r in responses
        if r.status_code == 400
    )
