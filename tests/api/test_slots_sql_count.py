"""GET /v2/slots runs a constant number of SQL statements, whatever the window and the number
of bookings (ARCHITECTURE §3): counted on the read engine with ``before_cursor_execute``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx2
from sqlalchemy import event

from slotwise.kit.db import Database
from slotwise.models import Attendee, Booking
from tests.api.slot_fixtures import (
    MONDAY,
    V,
    connect_empty_feed,
    give_schedule,
    make_event_type,
    utc,
)
from tests.conftest import Host

BOOKINGS = 300


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    """Collect every statement the read engine sends while the block runs (with remembered
    answers off: these tests count what computing an answer costs; test_slots_cache.py covers
    serving a remembered one)."""
    db: Database = app.state.db
    seen: list[str] = []

    def on_execute(*args: Any) -> None:
        seen.append(str(args[2]))

    engine = db.read_engine.sync_engine
    cache = app.state.slots_cache
    entries, cache.entries = cache.entries, 0
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        cache.entries = entries


async def insert_bookings(app: Any, host: Host, event_type_id: int, attendees: int = 1) -> None:
    """``BOOKINGS`` accepted 30-minute bookings every two hours from Monday 09:00 UTC."""
    db: Database = app.state.db
    first = utc(f"{MONDAY}T09:00")
    async with db.write_sessions() as session, session.begin():
        for i in range(BOOKINGS):
            start = first + timedelta(hours=2 * i)
            booking = Booking(
                uid=f"b{i}",
                user_id=host.id,
                event_type_id=event_type_id,
                title="Busy",
                status="accepted",
                start_time=start,
                end_time=start + timedelta(minutes=30),
                ical_uid=f"b{i}@slotwise",
            )
            session.add(booking)
            await session.flush()
            for j in range(attendees):
                session.add(
                    Attendee(
                        booking_id=booking.id, name="G", email=f"g{i}-{j}@x.test", time_zone="UTC"
                    )
                )


async def statements(app: Any, client: httpx2.AsyncClient, **params: Any) -> list[str]:
    """The statements one GET /v2/slots runs (asserting 200 and some slots)."""
    with counting(app) as seen:
        r = await client.get("/v2/slots", params=params, headers=V)
    assert r.status_code == 200, r.text
    assert r.json()["data"]
    return seen


async def test_constant_statements_for_window_and_bookings(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host, bookingLimitsCount={"day": 20})
    await statements(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)  # warm the pool
    small = await statements(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    await insert_bookings(app, host, et)
    large = await statements(app, client, eventTypeId=et, start=MONDAY, end="2050-10-05")
    assert len(small) == len(large), (small, large)
    assert len(small) <= 8, small


async def test_constant_statements_seated_and_dynamic(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    seats = {"seatsPerTimeSlot": 4, "showAttendeeInfo": False, "showAvailabilityCount": True}
    et = await make_event_type(app, host, seats=seats)
    await statements(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    small = await statements(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    group_small = await statements(app, client, usernames="alice,bob", start=MONDAY, end=MONDAY)
    await insert_bookings(app, host, et, attendees=2)
    large = await statements(app, client, eventTypeId=et, start=MONDAY, end="2050-10-05")
    group_large = await statements(
        app, client, usernames="alice,bob", start=MONDAY, end="2050-10-05"
    )
    assert len(small) == len(large), (small, large)
    assert len(group_small) == len(group_large), (group_small, group_large)


def data_statements(seen: list[str]) -> list[str]:
    """``seen`` without transaction control (BEGIN, COMMIT, …), which differs by database."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return [s for s in seen if not s.lstrip().upper().startswith(control)]


async def test_two_statements_by_event_type_id(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    """Issue 16: by ``eventTypeId``, one statement reads the event type, its owner, its hosts,
    their schedules and whether they have calendars, one the busy rows; a host with a
    connected calendar adds the calendar read. With and without host rows (an event type made
    through the API has them; one inserted bare is its owner's)."""
    schedule = await give_schedule(app, host)
    bare = await make_event_type(app, host, slug="bare")
    r = await client.post(
        "/v2/event-types",
        json={"title": "Api", "slug": "api", "lengthInMinutes": 30, "minimumBookingNotice": 0,
              "scheduleId": schedule},
        headers={**host.headers, "cal-api-version": "2024-06-14"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    made = int(r.json()["data"]["id"])
    await insert_bookings(app, host, bare)
    for et in (bare, made):
        await statements(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)  # warm the pool
        seen = data_statements(
            await statements(app, client, eventTypeId=et, start=MONDAY, end="2050-10-05")
        )
        assert len(seen) == 2, seen
        assert "FROM event_types" in seen[0] and "hosts" in seen[0], seen
    await connect_empty_feed(app, host)
    seen = data_statements(
        await statements(app, client, eventTypeId=made, start=MONDAY, end="2050-10-05")
    )
    assert len(seen) == 3 and "calendar_credentials" in seen[2], seen
