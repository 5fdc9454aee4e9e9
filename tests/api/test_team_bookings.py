"""POST /v2/bookings for team event types (issue 13 §3) on both databases: collective and
round-robin assignment, Cal.com's lucky user (least recently booked, priority, weights), the
recorded explanation, outputs (organizer as hosts[0], the other booked hosts among attendees),
emails to the booked hosts only, the 422 of a team event type without hosts, the 400 of a
managed parent, and the team's messages. 2050-09-05 is a Monday."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import select

from slotwise.kit.db import Database
from slotwise.models import Booking, BookingHost, EventType, Job
from tests.api.booking_fixtures import MONDAY, V, at, make_event_type
from tests.api.booking_fixtures import book as _book
from tests.api.slot_fixtures import add_booking, freeze
from tests.api.team_sched_fixtures import Member, make_team, make_team_event_type, team_of
from tests.conftest import Host, make_host

BOOKER = {"name": "Zed Booker", "email": "zed@example.com", "timeZone": "Europe/Rome"}


async def book(client: httpx2.AsyncClient, et: int, start: str) -> httpx2.Response:
    """POST /v2/bookings as booker Zed (no API key)."""
    return await _book(client, et, start, attendee=BOOKER)


async def booked(client: httpx2.AsyncClient, et: int, start: str) -> dict[str, Any]:
    """:func:`book`, asserting 201; the booking's data."""
    r = await book(client, et, start)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


TEAM_BUSY = "One of the hosts either already has booking at this time or is not available"


async def _hosts_of(app: Any, uid: str) -> tuple[int, list[int]]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        booking = await session.scalar(select(Booking).where(Booking.uid == uid))
        assert booking is not None
        others = await session.scalars(
            select(BookingHost.user_id).where(BookingHost.booking_id == booking.id)
        )
        return booking.user_id, sorted(others)


async def _emailed(app: Any) -> list[str]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        jobs = (await session.scalars(select(Job).where(Job.kind == "email.send"))).all()
    return sorted(j.payload["recipient"]["email"] for j in jobs)


async def _roles(app: Any) -> dict[str, str]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        jobs = (await session.scalars(select(Job).where(Job.kind == "email.send"))).all()
    return {j.payload["recipient"]["email"]: j.payload["recipient"]["role"] for j in jobs}


async def test_collective_booking_books_every_host(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    carol = await make_host(app, "carol")  # a member who is not a host of the event type
    team = await team_of(app, "panel", host, other_host, carol)
    et = await make_team_event_type(
        app, team, "collective", [Member(host), Member(other_host)], slug="interview"
    )
    made = await booked(client, et, at(MONDAY, "10:00"))
    assert made["hosts"][0]["id"] == host.id
    assert [a["email"] for a in made["attendees"]] == ["zed@example.com", other_host.email]
    assert await _hosts_of(app, made["uid"]) == (host.id, [other_host.id])
    assert "slotwiseAssignment" not in made["metadata"]
    assert await _emailed(app) == sorted(["zed@example.com", host.email, other_host.email])
    assert await _roles(app) == {
        "zed@example.com": "attendee",
        host.email: "host",
        other_host.email: "host",
    }
    # by team slug; both hosts are busy at 10:00 now
    body = {
        "start": at(MONDAY, "10:00"),
        "teamSlug": "panel",
        "eventTypeSlug": "interview",
        "attendee": {"name": "Al", "email": "al@example.com", "timeZone": "UTC"},
    }
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == TEAM_BUSY
    r = await client.post("/v2/bookings", json={**body, "start": at(MONDAY, "11:00")}, headers=V)
    assert r.status_code == 201, r.text
    got = await client.get(f"/v2/bookings/{made['uid']}", headers=V)
    assert got.status_code == 200, got.text
    assert got.json()["data"]["hosts"][0]["id"] == host.id


async def test_collective_refuses_while_any_host_is_busy(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    team = await team_of(app, "pair", host, other_host)
    et = await make_team_event_type(app, team, "collective", [Member(host), Member(other_host)])
    await add_booking(app, other_host, None, f"{MONDAY}T10:00")
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == TEAM_BUSY


async def test_round_robin_least_recently_booked_then_priority(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    team = await team_of(app, "rr", host, other_host)
    et = await make_team_event_type(app, team, "roundRobin", [Member(host), Member(other_host)])
    first = await booked(client, et, at(MONDAY, "10:00"))
    assert first["hosts"][0]["id"] == host.id  # neither booked yet: host order
    explained = first["metadata"]["slotwiseAssignment"]
    assert explained["groups"][0]["rule"] == "leastRecentlyBooked"
    assert explained["organizerId"] == host.id
    assert [a["email"] for a in first["attendees"]] == ["zed@example.com"]
    assert await _emailed(app) == sorted(["zed@example.com", host.email])
    second = await booked(client, et, at(MONDAY, "11:00"))
    assert second["hosts"][0]["id"] == other_host.id  # the least recently booked
    third = await booked(client, et, at(MONDAY, "12:00"))
    assert third["hosts"][0]["id"] == host.id
    # a higher priority wins over least recently booked
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        from slotwise.models import Host as HostRow

        row = await session.scalar(select(HostRow).where(HostRow.user_id == host.id))
        assert row is not None
        row.priority = 4
    fourth = await booked(client, et, at(MONDAY, "13:00"))
    assert fourth["hosts"][0]["id"] == host.id
    assert fourth["metadata"]["slotwiseAssignment"]["groups"][0]["rule"] == "priority"


async def test_round_robin_weights_fill_shares(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    team = await team_of(app, "weighted", host, other_host)
    et = await make_team_event_type(
        app, team, "roundRobin", [Member(host, weight=300), Member(other_host, weight=100)],
        isRRWeightsEnabled=True,
    )  # fmt: skip
    picked = []
    for hour in ("09", "10", "11", "12"):
        made = await booked(client, et, at(MONDAY, f"{hour}:00"))
        picked.append(made["hosts"][0]["id"])
    # shares 3:1 — the heavier host takes three of four
    assert sorted(picked).count(host.id) == 3, picked
    last = made["metadata"]["slotwiseAssignment"]["groups"][0]
    assert {c["userId"] for c in last["candidates"]} == {host.id, other_host.id}
    assert all("shortfall" in c for c in last["candidates"])


async def test_fixed_host_organises_round_robin(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    carol = await make_host(app, "carol")
    team = await team_of(app, "mixed", host, other_host, carol)
    et = await make_team_event_type(
        app, team, "roundRobin",
        [Member(carol, mandatory=True), Member(host), Member(other_host)],
    )  # fmt: skip
    made = await booked(client, et, at(MONDAY, "10:00"))
    assert made["hosts"][0]["id"] == carol.id
    assert await _hosts_of(app, made["uid"]) == (carol.id, [host.id])
    assert [a["email"] for a in made["attendees"]] == ["zed@example.com", host.email]
    assert await _emailed(app) == sorted(["zed@example.com", carol.email, host.email])


async def test_team_event_type_without_hosts_and_managed_parent(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    team = await make_team(app, "t", [(host, "OWNER", True), (other_host, "MEMBER", False)])
    nobody = await make_team_event_type(app, team, "roundRobin", [], slug="nobody")
    r = await book(client, nobody, at(MONDAY, "10:00"))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"] == (
        "Can't book this team event type because it has no hosts. Please, add at least 1 host "
        f"to event type with id={nobody} belonging to team with id={team} and try again."
    )
    # a pending member's host row does not count
    pending = await make_team_event_type(
        app, team, "collective", [Member(other_host)], slug="pending"
    )
    r = await book(client, pending, at(MONDAY, "10:00"))
    assert r.status_code == 422, r.text
    parent = await make_team_event_type(app, team, "managed", [Member(host)], slug="managed")
    r = await book(client, parent, at(MONDAY, "10:00"))
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == (
        f"Event type with id={parent} is the parent managed event type that can't be booked. "
        "You have to provide the child event type id aka id of event type that has been "
        "assigned to one of the users."
    )


async def test_team_booking_limits_refuse_a_booking(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    team = await make_team(
        app, "capped", [(host, "OWNER", True), (other_host, "MEMBER", True)],
        booking_limits={"PER_DAY": 1},
    )  # fmt: skip
    first = await make_team_event_type(app, team, "collective", [Member(host)], slug="a")
    second = await make_team_event_type(app, team, "roundRobin", [Member(other_host)], slug="b")
    await booked(client, first, at(MONDAY, "10:00"))
    r = await book(client, second, at(MONDAY, "12:00"))
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"].startswith("Booking limit for this event type")
    await booked(client, second, at("2050-09-06", "12:00"))


async def test_team_event_type_by_unknown_team_slug(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    body = {
        "start": at(MONDAY, "10:00"),
        "teamSlug": "ghosts",
        "eventTypeSlug": "x",
        "attendee": {"name": "Al", "email": "al@example.com", "timeZone": "UTC"},
    }
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 404, r.text
    assert r.json()["error"]["message"] == "Team with slug ghosts not found"
    db: Database = app.state.db
    async with db.read_sessions() as session:
        assert (await session.scalars(select(EventType))).all() == []


async def test_dynamic_group_booking_by_usernames(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    body = {
        "start": at(MONDAY, "10:00"),
        "usernames": ["alice", "bob"],
        "attendee": BOOKER,
    }
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 201, r.text
    made = r.json()["data"]
    assert made["hosts"][0]["id"] == host.id
    assert made["eventTypeId"] is None and made["eventType"]["slug"] == "dynamic"
    assert made["duration"] == 30 and made["title"] == "Group Meeting"
    assert [a["email"] for a in made["attendees"]] == ["zed@example.com", other_host.email]
    assert await _hosts_of(app, made["uid"]) == (host.id, [other_host.id])
    # both are busy now, for every event type of theirs
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 400, r.text
    own = await make_event_type(app, other_host, slug="own")
    r = await book(client, own, at(MONDAY, "10:00"))
    assert r.status_code == 400, r.text
    # with eventTypeSlug: the first user's event type of that slug gives the settings
    long = await make_event_type(app, host, slug="long", length=60)
    r = await client.post(
        "/v2/bookings",
        json={**body, "start": at(MONDAY, "13:00"), "eventTypeSlug": "long"},
        headers=V,
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["duration"] == 60 and r.json()["data"]["eventTypeId"] is None
    assert long
    for bad, status in (
        ({**body, "usernames": ["alice"]}, 400),
        ({**body, "usernames": ["alice", "nobody"]}, 404),
        ({**body, "eventTypeSlug": "missing"}, 404),
        ({**body, "eventTypeId": own}, 400),
    ):
        r = await client.post("/v2/bookings", json=bad, headers=V)
        assert r.status_code == status, (bad, r.text)
