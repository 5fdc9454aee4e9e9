"""The no-double-booking guarantee under real concurrency, on SQLite and PostgreSQL.

Requests run concurrently through the in-process ASGI client: each gets its own session and
connection, so the host lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL)
is what keeps two of them from both passing the availability check.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
from sqlalchemy import func, select

from slotwise.kit.db import Database
from slotwise.models import Attendee, Booking
from tests.api.booking_fixtures import MONDAY, at, book, booked, hv, make_event_type
from tests.conftest import Host

RACERS = 16


async def test_concurrent_bookings_of_one_slot(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host)
    responses = await asyncio.gather(
        *(book(client, et, at(MONDAY, "10:00")) for _ in range(RACERS))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1, [r.text for r in responses]
    assert all(c in (400, 409) for c in codes if c != 201), codes
    db: Database = app.state.db
    async with db.read_sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Booking))
    assert count == 1


async def test_concurrent_overlapping_starts(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host, length=60)
    starts = [at(MONDAY, f"10:{m:02d}") for m in range(0, 60, 5)]
    responses = await asyncio.gather(*(book(client, et, s) for s in starts))
    assert [r.status_code for r in responses].count(201) == 1


async def test_concurrent_confirms(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await make_event_type(
        app,
        host,
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False},
    )
    pending = [(await booked(client, et, at(MONDAY, "10:00")))["uid"] for _ in range(4)]
    responses = await asyncio.gather(
        *(client.post(f"/v2/bookings/{uid}/confirm", headers=hv(host)) for uid in pending)
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409, 409, 409], [r.text for r in responses]
    db: Database = app.state.db
    async with db.read_sessions() as session:
        accepted = await session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == "accepted")
        )
    assert accepted == 1


async def test_concurrent_seats_never_overfill(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    seats = {"seatsPerTimeSlot": 5, "showAttendeeInfo": False, "showAvailabilityCount": True}
    et = await make_event_type(app, host, length=60, seats=seats)
    people = [
        {"name": f"Racer {n}", "email": f"racer{n}@example.com", "timeZone": "UTC"}
        for n in range(RACERS)
    ]
    responses = await asyncio.gather(
        *(book(client, et, at(MONDAY, "10:00"), attendee=p) for p in people)
    )
    codes = [r.status_code for r in responses]
    assert codes.count(201) == 5, [r.text for r in responses]
    assert codes.count(409) == RACERS - 5, codes
    assert len({r.json()["data"]["uid"] for r in responses if r.status_code == 201}) == 1
    db: Database = app.state.db
    async with db.read_sessions() as session:
        bookings = await session.scalar(select(func.count()).select_from(Booking))
        seated = await session.scalar(select(func.count()).select_from(Attendee))
    assert (bookings, seated) == (1, 5)


async def test_concurrent_same_booker_takes_one_seat(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    seats = {"seatsPerTimeSlot": 20, "showAttendeeInfo": False, "showAvailabilityCount": True}
    et = await make_event_type(app, host, length=60, seats=seats)
    responses = await asyncio.gather(
        *(book(client, et, at(MONDAY, "10:00")) for _ in range(RACERS))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (RACERS - 1), [r.text for r in responses]
    db: Database = app.state.db
    async with db.read_sessions() as session:
        seated = await session.scalar(select(func.count()).select_from(Attendee))
    assert seated == 1
