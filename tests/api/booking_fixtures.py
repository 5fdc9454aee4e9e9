"""Helpers for booking tests: schedules and event types inserted through the models, and
small request wrappers. Dates are in 2050 (2050-09-05 is a Monday) so notice and windows never
interfere unless a test asks for them."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import select

from slotwise.kit.db import Database
from slotwise.models import BookingEvent, EventType, Schedule, User
from tests.conftest import Host

V = {"cal-api-version": "2024-08-13"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONDAY = "2050-09-05"
TUESDAY = "2050-09-06"


def hv(host: Host) -> dict[str, str]:
    """The host's auth headers plus the bookings API version."""
    return {**host.headers, **V}


def at(day: str, hhmm: str) -> str:
    """``"2050-09-05", "10:00"`` → ``"2050-09-05T10:00:00.000Z"`` (UTC)."""
    return f"{day}T{hhmm}:00.000Z"


async def give_schedule(
    app: Any,
    host: Host,
    *,
    time_zone: str = "UTC",
    availability: list[dict[str, Any]] | None = None,
    name: str | None = None,
) -> int:
    """Insert a schedule (default Mon–Fri 09:00–17:00) and make it the host's default."""
    db: Database = app.state.db
    rows = availability or [{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}]
    async with db.write_sessions() as session, session.begin():
        schedule = Schedule(
            user_id=host.id, name="Work", time_zone=time_zone, availability=rows, overrides=[]
        )
        session.add(schedule)
        await session.flush()
        user = await session.get(User, host.id)
        assert user is not None
        user.default_schedule_id = schedule.id
        if name is not None:
            user.name = name
        return schedule.id


async def make_event_type(
    app: Any,
    host: Host,
    *,
    slug: str = "intro",
    title: str = "Intro",
    length: int = 30,
    with_schedule: bool = True,
    **config: Any,
) -> int:
    """Insert an event type of ``host`` (``config``: Cal.com field names; minimum notice 0
    unless given); by default also a Mon–Fri 09:00–17:00 UTC default schedule."""
    if with_schedule:
        await give_schedule(app, host, name="Alice Host")
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        event_type = EventType(
            user_id=host.id,
            slug=slug,
            title=title,
            length=length,
            hidden=False,
            config={"minimumBookingNotice": 0, **config},
        )
        session.add(event_type)
        await session.flush()
        return event_type.id


def booking_body(event_type_id: int, start: str, **extra: Any) -> dict[str, Any]:
    """A CreateBookingInput for booker Bob (Europe/Rome)."""
    return {
        "start": start,
        "eventTypeId": event_type_id,
        "attendee": {"name": "Bob Booker", "email": "bob@example.com", "timeZone": "Europe/Rome"},
        **extra,
    }


async def book(
    client: httpx2.AsyncClient, event_type_id: int, start: str, **extra: Any
) -> httpx2.Response:
    """POST /v2/bookings (no API key)."""
    return await client.post(
        "/v2/bookings", json=booking_body(event_type_id, start, **extra), headers=V
    )


async def booked(
    client: httpx2.AsyncClient, event_type_id: int, start: str, **extra: Any
) -> dict[str, Any]:
    """Create a booking and return its data, asserting 201."""
    r = await book(client, event_type_id, start, **extra)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def history(app: Any) -> list[tuple[int, str]]:
    """``(booking_id, action)`` of every BookingEvent row, oldest first."""
    db: Database = app.state.db
    async with db.read_sessions() as session:
        rows = (
            await session.execute(
                select(BookingEvent.booking_id, BookingEvent.action).order_by(BookingEvent.id)
            )
        ).all()
    return [(r[0], r[1]) for r in rows]
