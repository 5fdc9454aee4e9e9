"""The one availability path (slotwise.availability), on both databases: what the loader reads
(each kind of busy row in one statement), and slot listing, reservations, bookings and
confirmations agreeing because they read the same rows. 2050-09-05 is a Monday."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from slotwise.availability.inputs import event_rules, limit_window, user_limits
from slotwise.availability.loader import (
    BOOKING,
    EVENT_LIMIT_USAGE,
    OUT_OF_OFFICE,
    RESERVATION,
    USER_LIMIT_USAGE,
    load_busy,
)
from slotwise.kit.db import Database
from slotwise.models import Attendee, Booking, EventType, OutOfOffice, SlotReservation, User
from tests.api.booking_fixtures import at, book, hv
from tests.api.slot_fixtures import (
    MONDAY,
    add_booking,
    freeze,
    give_schedule,
    make_event_type,
    slot_data,
    starts,
    utc,
)
from tests.api.slot_fixtures import V as SLOTS_V
from tests.conftest import Host

BLOCKING = {"type": "always", "blockUnconfirmedBookingsInBooker": True}
CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}


async def attend(
    app: Any, organizer: Host, guest: Host, start: str, status: str = "accepted"
) -> str:
    """A booking organised by ``organizer`` at ``start`` (UTC ``YYYY-MM-DDTHH:MM``, 30 min) that
    ``guest`` attends; returns its uid."""
    uid = await add_booking(app, organizer, None, start, status=status, attendees=0)
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        booking = await session.scalar(select(Booking).where(Booking.uid == uid))
        assert booking is not None
        session.add(
            Attendee(booking_id=booking.id, name="Guest", email=guest.email, time_zone="UTC")
        )
    return uid


async def hold(app: Any, host: Host, et: int, start: str, until: str) -> None:
    """A 30-minute reservation of ``host``'s time at ``start`` until ``until`` (UTC)."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        session.add(
            SlotReservation(
                uid=f"r-{start}-{until}",
                event_type_id=et,
                user_id=host.id,
                slot_start=utc(start),
                slot_end=utc(start) + timedelta(minutes=30),
                reserved_until=utc(until),
            )
        )


async def test_loader_reads_every_kind_in_one_statement(
    app: Any, host: Host, other_host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(
        app, host, confirmationPolicy=BLOCKING, bookingLimitsCount={"day": 3}
    )
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        alice = await session.get(User, host.id)
        assert alice is not None
        alice.booking_limits = {"perWeek": 5}
        session.add(
            OutOfOffice(
                uuid="ooo-1",
                user_id=host.id,
                start=utc(f"{MONDAY}T13:00"),
                end=utc(f"{MONDAY}T14:00"),
            )
        )
    await add_booking(app, host, et, f"{MONDAY}T10:00")  # booking + both usages
    await add_booking(app, host, et, f"{MONDAY}T11:00", status="pending")  # blocks: booking
    await add_booking(app, host, et, f"{MONDAY}T09:00", status="cancelled")  # nothing
    await add_booking(app, host, None, "2050-09-07T10:00")  # user-limit usage only
    await add_booking(app, host, et, "2050-09-06T15:00")  # both usages (outside the range)
    await attend(app, other_host, host, f"{MONDAY}T09:30")  # bob's, alice attends
    await hold(app, host, et, f"{MONDAY}T11:30", "2050-09-05T00:00")
    await hold(app, host, et, f"{MONDAY}T12:00", "2050-08-31T00:00")  # expired
    start, end = utc(f"{MONDAY}T09:00"), utc(f"{MONDAY}T12:00")
    async with db.read_sessions() as session:
        alice = await session.get(User, host.id)
        event_type = await session.get(EventType, et)
        assert alice is not None and event_type is not None
        rules = event_rules(event_type)
        own = user_limits(alice)
        assert own is not None
        rows = await load_busy(
            session,
            [alice],
            start=start,
            end=end,
            now=utc("2050-09-01T12:00"),
            event_type=event_type,
            pending_blocks=True,
            event_limit_window=limit_window(
                (rules.count_limits, rules.duration_limits), start, end
            ),
            user_limit_window=limit_window([own.limits], start, end),
        )
    found = sorted((r.kind, r.user_id, r.start.strftime("%d %H:%M")) for r in rows)
    a = host.id
    # A row names the host it makes busy: alice for bob's booking she attends (the organizer
    # before the multi-host loader, which then marked every host busy).
    assert found == sorted(
        [
            (BOOKING, a, "05 10:00"),
            (BOOKING, a, "05 11:00"),
            (BOOKING, a, "05 09:30"),
            (RESERVATION, a, "05 11:30"),
            (OUT_OF_OFFICE, a, "05 13:00"),
            (EVENT_LIMIT_USAGE, a, "05 10:00"),
            (EVENT_LIMIT_USAGE, a, "06 15:00"),
            (USER_LIMIT_USAGE, a, "05 10:00"),
            (USER_LIMIT_USAGE, a, "06 15:00"),
            (USER_LIMIT_USAGE, a, "07 10:00"),
        ]
    )
    assert all(r.start.tzinfo is not None for r in rows)


async def test_listing_reservation_booking_and_confirm_agree(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    freeze(monkeypatch, "2050-09-01T12:00")
    await give_schedule(app, host)
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    # Alice attends Bob's accepted meeting at 10:00: not listed, not reservable, and a pending
    # request of hers at that time cannot be confirmed.
    await attend(app, other_host, host, f"{MONDAY}T10:00")
    pending = await add_booking(app, host, et, f"{MONDAY}T10:00", status="pending")
    listed = starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY), MONDAY)
    assert "10:00" not in listed and "11:00" in listed
    body = {"eventTypeId": et, "slotStart": at(MONDAY, "10:00")}
    r = await client.post("/v2/slots/reservations", json=body, headers=SLOTS_V)
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "Can't reserve a slot if the event is already booked."
    r = await client.post(f"/v2/bookings/{pending}/confirm", headers=hv(host))
    assert r.status_code == 409, r.text
    # A reservation at 14:00 hides the slot and refuses another booker (409), but the host may
    # still confirm a request there: a confirmation is the host's own decision.
    body = {"eventTypeId": et, "slotStart": at(MONDAY, "14:00")}
    r = await client.post("/v2/slots/reservations", json=body, headers=SLOTS_V)
    assert r.status_code == 201, r.text
    listed = starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY), MONDAY)
    assert "14:00" not in listed
    r = await book(client, et, at(MONDAY, "14:00"))
    assert r.status_code == 409, r.text
    request = await add_booking(app, host, et, f"{MONDAY}T14:00", status="pending")
    r = await client.post(f"/v2/bookings/{request}/confirm", headers=hv(host))
    assert r.status_code == 200, r.text
    # Confirmed, it is an accepted booking: the next listing and reservation see it.
    r = await client.post("/v2/slots/reservations", json=body, headers=SLOTS_V)
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "Can't reserve a slot if the event is already booked."
