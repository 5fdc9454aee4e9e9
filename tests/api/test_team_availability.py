"""Event types with several hosts, through GET /v2/slots and POST /v2/bookings on both
databases: host rows, each host's own schedule, collective and round-robin availability, which
bookings make which host busy (organised, booking host, attended), and who a booking goes to.
Team event types cannot be made through the API yet (the teams issue adds that), so they are
inserted through the models here. 2050-09-05 is a Monday."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
from sqlalchemy import select

from slotwise.kit.db import Database
from slotwise.models import Booking, BookingHost, EventType
from slotwise.models import Host as HostRow
from tests.api.booking_fixtures import V as BOOKINGS_V
from tests.api.booking_fixtures import at, book, booked
from tests.api.slot_fixtures import (
    MONDAY,
    add_booking,
    freeze,
    give_schedule,
    make_event_type,
    slot_data,
    starts,
)
from tests.api.test_availability_path import attend
from tests.conftest import Host, make_host


async def team_event_type(
    app: Any,
    owner: Host,
    scheduling_type: str,
    members: list[tuple[Host, bool, str | None]],
    *,
    schedules: dict[int, int] | None = None,
) -> int:
    """A 30-minute event type of ``owner`` with ``scheduling_type`` and a host row per
    ``(user, mandatory, group)``; ``schedules``: user id → the host's own schedule id."""
    event_type_id = await make_event_type(app, owner, slug=f"team-{scheduling_type.lower()}")
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        event_type = await session.get(EventType, event_type_id)
        assert event_type is not None
        event_type.scheduling_type = scheduling_type
        for user, mandatory, group in members:
            session.add(
                HostRow(
                    event_type_id=event_type_id,
                    user_id=user.id,
                    mandatory=mandatory,
                    group_id=group,
                    schedule_id=(schedules or {}).get(user.id),
                )
            )
    return event_type_id


async def test_created_event_type_has_its_owner_as_its_one_host(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    r = await client.post(
        "/v2/event-types",
        json={"title": "Intro", "slug": "intro", "lengthInMinutes": 30},
        headers={**host.headers, "cal-api-version": "2024-06-14"},
    )
    assert r.status_code == 201, r.text
    event_type_id = r.json()["data"]["id"]
    db: Database = app.state.db
    async with db.read_sessions() as session:
        rows = (await session.scalars(select(HostRow))).all()
        kind = await session.scalar(
            select(EventType.scheduling_type).where(EventType.id == event_type_id)
        )
    assert [(h.event_type_id, h.user_id, h.mandatory, h.priority, h.weight) for h in rows] == [
        (event_type_id, host.id, True, 2, 100)
    ]
    assert kind is None
    r = await client.delete(
        f"/v2/event-types/{event_type_id}",
        headers={**host.headers, "cal-api-version": "2024-06-14"},
    )
    assert r.status_code == 200, r.text
    async with db.read_sessions() as session:
        assert (await session.scalars(select(HostRow))).all() == []


async def test_collective_needs_every_host_free(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host, start="12:00", end="17:00")
    et = await team_event_type(
        app, host, "collective", [(host, True, None), (other_host, True, None)]
    )
    await add_booking(app, other_host, None, f"{MONDAY}T14:00")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["12:00", "12:30", "13:00", "13:30", "14:30"] + [
        "15:00",
        "15:30",
        "16:00",
        "16:30",
    ]


async def test_round_robin_needs_one_free_member(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host, start="09:00", end="12:00")
    await give_schedule(app, other_host, start="11:00", end="13:00")
    et = await team_event_type(
        app, host, "roundRobin", [(host, False, None), (other_host, False, None)]
    )
    await add_booking(app, host, None, f"{MONDAY}T09:30")
    await add_booking(app, other_host, None, f"{MONDAY}T11:30")
    await add_booking(app, host, None, f"{MONDAY}T11:30")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    # 09:30 host busy and other_host not working; 11:30 both busy
    assert starts(data, MONDAY) == ["09:00", "10:00", "10:30", "11:00", "12:00", "12:30"]


async def test_round_robin_mandatory_host_and_groups(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    carol = await make_host(app, "carol")
    await give_schedule(app, host, start="09:00", end="11:00")
    await give_schedule(app, other_host, start="10:00", end="12:00")
    await give_schedule(app, carol)
    et = await team_event_type(
        app,
        carol,
        "roundRobin",
        [(carol, True, None), (host, False, "a"), (other_host, False, "b")],
    )
    await add_booking(app, carol, None, f"{MONDAY}T10:00")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    # carol always, plus one of group a (09–11) and one of group b (10–12): 10:30 only
    assert starts(data, MONDAY) == ["10:30"]


async def test_each_host_uses_their_own_schedule(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    own = await give_schedule(app, other_host, start="15:00", end="16:00", default=False)
    et = await team_event_type(
        app,
        host,
        "collective",
        [(host, True, None), (other_host, True, None)],
        schedules={other_host.id: own},
    )
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["15:00", "15:30"]


async def test_an_attended_booking_makes_only_its_attendee_busy(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    """A booking one host attends blocks that host alone: a round-robin slot stays open with
    the other host (the loader used to mark every host busy)."""
    freeze(monkeypatch, "2050-09-01T00:00")
    stranger = await make_host(app, "dave")
    await give_schedule(app, host, start="09:00", end="11:00")
    await give_schedule(app, other_host, start="09:00", end="11:00")
    et = await team_event_type(
        app, host, "roundRobin", [(host, False, None), (other_host, False, None)]
    )
    await attend(app, stranger, other_host, f"{MONDAY}T10:00")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["09:00", "09:30", "10:00", "10:30"]
    await add_booking(app, host, None, f"{MONDAY}T10:00")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["09:00", "09:30", "10:30"]


async def test_a_booking_host_is_busy_like_the_organizer(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    """A collective booking blocks each of its hosts: a booking_hosts row makes that user busy
    in their own personal event types."""
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, other_host, start="09:00", end="11:00")
    personal = await make_event_type(app, other_host)
    uid = await add_booking(app, host, None, f"{MONDAY}T09:30")
    before = starts(await slot_data(client, eventTypeId=personal, start=MONDAY, end=MONDAY), MONDAY)
    assert before == ["09:00", "09:30", "10:00", "10:30"]
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        booking_id = await session.scalar(select(Booking.id).where(Booking.uid == uid))
        assert booking_id is not None
        session.add(BookingHost(booking_id=booking_id, user_id=other_host.id))
    after = starts(await slot_data(client, eventTypeId=personal, start=MONDAY, end=MONDAY), MONDAY)
    assert after == ["09:00", "10:00", "10:30"]


# ---- booking a team event type -------------------------------------------------------------


async def _booking_hosts(app: Any, uid: str) -> tuple[int, list[int]]:
    """(organizer user id, booking host user ids) of booking ``uid``."""
    db: Database = app.state.db
    async with db.read_sessions() as session:
        booking = await session.scalar(select(Booking).where(Booking.uid == uid))
        assert booking is not None
        hosts = await session.scalars(
            select(BookingHost.user_id).where(BookingHost.booking_id == booking.id)
        )
        return booking.user_id, sorted(hosts)


async def test_collective_booking_blocks_every_host(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    et = await team_event_type(
        app, host, "collective", [(host, True, None), (other_host, True, None)]
    )
    personal = await make_event_type(app, other_host, slug="own")
    await add_booking(app, other_host, None, f"{MONDAY}T09:00")
    r = await book(client, et, at(MONDAY, "09:00"))
    assert r.status_code == 400, r.text
    assert "not available" in r.json()["error"]["message"]
    made = await booked(client, et, at(MONDAY, "10:00"))
    assert made["hosts"][0]["id"] == host.id
    assert await _booking_hosts(app, made["uid"]) == (host.id, [other_host.id])
    data = await slot_data(client, eventTypeId=personal, start=MONDAY, end=MONDAY)
    assert "10:00" not in starts(data, MONDAY) and "10:30" in starts(data, MONDAY)


async def test_round_robin_booking_goes_to_a_free_host(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    et = await team_event_type(
        app, host, "roundRobin", [(host, False, None), (other_host, False, None)]
    )
    await add_booking(app, host, None, f"{MONDAY}T10:00")
    made = await booked(client, et, at(MONDAY, "10:00"))
    assert made["hosts"][0]["id"] == other_host.id
    assert await _booking_hosts(app, made["uid"]) == (other_host.id, [])
    r = await book(client, et, at(MONDAY, "10:00"))  # both busy now
    assert r.status_code == 400, r.text
    # both free: the owner keeps it (equal priority and weight: the preferred organizer)
    made = await booked(client, et, at(MONDAY, "11:00"))
    assert await _booking_hosts(app, made["uid"]) == (host.id, [])


async def test_round_robin_prefers_priority_and_keeps_mandatory_hosts(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    carol = await make_host(app, "carol")
    dave = await make_host(app, "dave")
    for user in (host, other_host, carol, dave):
        await give_schedule(app, user)
    et = await team_event_type(
        app, host, "roundRobin", [(carol, True, None), (other_host, False, "x"), (dave, False, "x")]
    )
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        row = await session.scalar(select(HostRow).where(HostRow.user_id == dave.id))
        assert row is not None
        row.priority = 4  # highest
    made = await booked(client, et, at(MONDAY, "09:00"))
    # the highest priority wins its group; the fixed host organises (Cal.com's users[0])
    assert await _booking_hosts(app, made["uid"]) == (carol.id, [dave.id])
    # the mandatory host is now busy at 09:00: nobody can take it
    r = await book(client, et, at(MONDAY, "09:00"))
    assert r.status_code == 400, r.text


async def test_round_robin_reschedule_keeps_the_same_host_when_configured(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    et = await team_event_type(
        app, host, "roundRobin", [(host, False, None), (other_host, False, None)]
    )
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        event_type = await session.get(EventType, et)
        assert event_type is not None
        event_type.config = {**event_type.config, "rescheduleWithSameRoundRobinHost": True}
    await add_booking(app, host, None, f"{MONDAY}T10:00")
    made = await booked(client, et, at(MONDAY, "10:00"))
    assert await _booking_hosts(app, made["uid"]) == (other_host.id, [])
    r = await client.post(
        f"/v2/bookings/{made['uid']}/reschedule",
        json={"start": at(MONDAY, "13:00")},
        headers=BOOKINGS_V,
    )
    assert r.status_code == 201, r.text
    moved = r.json()["data"]
    assert await _booking_hosts(app, moved["uid"]) == (other_host.id, [])
    # the same host is busy at 15:00: refused, although the other host is free
    await add_booking(app, other_host, None, f"{MONDAY}T15:00")
    # GET /v2/slots for this reschedule lists only that host's times (Cal.com keeps the host)
    keep = await slot_data(
        client, eventTypeId=et, start=MONDAY, end=MONDAY, bookingUidToReschedule=moved["uid"]
    )
    assert "15:00" not in starts(keep, MONDAY) and "13:00" in starts(keep, MONDAY)
    assert "15:00" in starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY),
                          MONDAY)  # fmt: skip
    r = await client.post(
        f"/v2/bookings/{moved['uid']}/reschedule",
        json={"start": at(MONDAY, "15:00")},
        headers=BOOKINGS_V,
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == (
        "One of the hosts either already has booking at this time or is not available"
    )


async def test_round_robin_reschedule_chooses_again_by_default(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    et = await team_event_type(
        app, host, "roundRobin", [(host, False, None), (other_host, False, None)]
    )
    await add_booking(app, host, None, f"{MONDAY}T10:00")
    made = await booked(client, et, at(MONDAY, "10:00"))
    assert await _booking_hosts(app, made["uid"]) == (other_host.id, [])
    r = await client.post(
        f"/v2/bookings/{made['uid']}/reschedule",
        json={"start": at(MONDAY, "13:00")},
        headers=BOOKINGS_V,
    )
    assert r.status_code == 201, r.text
    # both free: the least recently booked host (never booked this event type) gets it
    assert await _booking_hosts(app, r.json()["data"]["uid"]) == (host.id, [])


async def test_concurrent_bookings_of_overlapping_teams_never_double_book(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    """Two collective event types with the same two hosts, owned one each: every booking
    locks both hosts in one sorted call, so concurrent bookings serialise (one wins, none
    deadlocks into a 500)."""
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    mine = await team_event_type(
        app, host, "collective", [(host, True, None), (other_host, True, None)]
    )
    db: Database = app.state.db
    theirs = await make_event_type(app, other_host, slug="theirs")
    async with db.write_sessions() as session, session.begin():
        event_type = await session.get(EventType, theirs)
        assert event_type is not None
        event_type.scheduling_type = "collective"
        session.add_all(
            HostRow(event_type_id=theirs, user_id=u.id, mandatory=True) for u in (other_host, host)
        )
    responses = await asyncio.gather(
        *(book(client, (mine, theirs)[n % 2], at(MONDAY, "10:00")) for n in range(8))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1, [r.text for r in responses]
    assert all(c in (400, 409) for c in codes if c != 201), codes


async def test_confirming_checks_every_booking_host(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    et = await team_event_type(
        app, host, "collective", [(host, True, None), (other_host, True, None)]
    )
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        event_type = await session.get(EventType, et)
        assert event_type is not None
        event_type.config = {
            **event_type.config,
            "confirmationPolicy": {"type": "always", "blockUnconfirmedBookingsInBooker": False},
        }
    pending = await booked(client, et, at(MONDAY, "10:00"))
    assert pending["status"] == "pending"
    await add_booking(app, other_host, None, f"{MONDAY}T10:00")
    r = await client.post(
        f"/v2/bookings/{pending['uid']}/confirm", headers={**host.headers, **BOOKINGS_V}
    )
    assert r.status_code == 409, r.text
