"""POST /v2/bookings/{uid}/reassign (automatic) and …/reassign/{userId} (manual), and
GET /v2/teams/{teamId}/bookings, on both databases (issue 13 §1, §3). 2050-09-05 is a Monday."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import select

from slotwise.kit.db import Database
from slotwise.models import Booking, BookingEvent, BookingHost, Job
from tests.api.booking_fixtures import MONDAY, V, at, make_event_type
from tests.api.booking_fixtures import book as _book
from tests.api.slot_fixtures import add_booking, freeze
from tests.api.team_sched_fixtures import Member, make_team, make_team_event_type
from tests.conftest import Host, make_host

BOOKER = {"name": "Zed Booker", "email": "zed@example.com", "timeZone": "UTC"}


async def _booked(client: httpx2.AsyncClient, et: int, start: str) -> dict[str, Any]:
    r = await _book(client, et, start, attendee=BOOKER)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def _state(app: Any, uid: str) -> tuple[int, list[int]]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        booking = await session.scalar(select(Booking).where(Booking.uid == uid))
        assert booking is not None
        hosts = await session.scalars(
            select(BookingHost.user_id).where(BookingHost.booking_id == booking.id)
        )
        return booking.user_id, sorted(hosts)


async def _emails(app: Any) -> list[tuple[str, str]]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        jobs = (await session.scalars(select(Job).where(Job.kind == "email.send"))).all()
    return sorted((j.payload["kind"], j.payload["recipient"]["email"]) for j in jobs)


async def _world(app: Any) -> tuple[Host, Host, Host, Host, int, int]:
    """alice (OWNER), bob and carol (round-robin hosts), dave (a member, not a host)."""
    alice, bob, carol = [await make_host(app, n) for n in ("alice", "bob", "carol")]
    dave = await make_host(app, "dave")
    team = await make_team(
        app, "rr", [(alice, "OWNER", True), (bob, "MEMBER", True), (carol, "MEMBER", True),
                    (dave, "MEMBER", True)],
    )  # fmt: skip
    et = await make_team_event_type(app, team, "roundRobin", [Member(bob), Member(carol)])
    return alice, bob, carol, dave, team, et


async def test_automatic_reassign_to_the_other_free_host(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    alice, bob, carol, dave, _, et = await _world(app)
    made = await _booked(client, et, at(MONDAY, "10:00"))
    assert made["hosts"][0]["id"] == bob.id
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        for job in await session.scalars(select(Job)):
            await session.delete(job)
    # a plain member (not a host, not an admin) may not
    r = await client.post(f"/v2/bookings/{made['uid']}/reassign", headers={**dave.headers, **V})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == "You do not have permission to reassign this booking"
    # the team owner may
    r = await client.post(f"/v2/bookings/{made['uid']}/reassign", headers={**alice.headers, **V})
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {
        "bookingUid": made["uid"],
        "reassignedTo": {
            "id": carol.id,
            "name": "carol",
            "email": carol.email,
            "displayEmail": carol.email,
        },
    }
    assert await _state(app, made["uid"]) == (carol.id, [])
    got = (await client.get(f"/v2/bookings/{made['uid']}", headers=V)).json()["data"]
    assert got["hosts"][0]["id"] == carol.id
    assert got["metadata"]["slotwiseAssignment"]["reassigned"]["fromUserId"] == bob.id
    assert await _emails(app) == [("cancelled", bob.email), ("created", carol.email)]
    async with db.read_sessions() as session:
        actions = list(await session.scalars(select(BookingEvent.action)))
    assert actions[-1] == "reassigned"
    # now bob is the only other host, and busy: nobody to take it
    await add_booking(app, bob, None, f"{MONDAY}T10:00")
    r = await client.post(f"/v2/bookings/{made['uid']}/reassign", headers={**carol.headers, **V})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == (
        "Can't reassign the booking because no other host is available at that time."
    )


async def test_manual_reassign_with_reason(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    alice, bob, carol, dave, _, et = await _world(app)
    made = await _booked(client, et, at(MONDAY, "10:00"))
    r = await client.post(
        f"/v2/bookings/{made['uid']}/reassign/{dave.id}",
        json={"reason": "Dave covers"},
        headers={**bob.headers, **V},
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"].startswith(
        f"User with id={dave.id} is not a valid Round Robin host"
    )
    r = await client.post(
        f"/v2/bookings/{made['uid']}/reassign/{carol.id}",
        json={"reason": "Bob is ill"},
        headers={**bob.headers, **V},
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["reassignedTo"]["id"] == carol.id
    assert await _state(app, made["uid"]) == (carol.id, [])
    got = (await client.get(f"/v2/bookings/{made['uid']}", headers=V)).json()["data"]
    assert got["metadata"]["slotwiseAssignment"]["reassigned"]["reason"] == "Bob is ill"
    r = await client.post(f"/v2/bookings/nope/reassign/{carol.id}", headers={**bob.headers, **V})
    assert r.status_code == 404, r.text
    assert r.json()["error"]["message"] == "Booking with uid=nope was not found in the database"


async def test_reassign_swaps_a_booking_host_under_a_fixed_organizer(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    alice, bob, carol = [await make_host(app, n) for n in ("alice", "bob", "carol")]
    team = await make_team(
        app, "fx", [(alice, "OWNER", True), (bob, "MEMBER", True), (carol, "MEMBER", True)]
    )
    et = await make_team_event_type(
        app, team, "roundRobin", [Member(alice, mandatory=True), Member(bob), Member(carol)]
    )
    made = await _booked(client, et, at(MONDAY, "10:00"))
    assert await _state(app, made["uid"]) == (alice.id, [bob.id])
    r = await client.post(f"/v2/bookings/{made['uid']}/reassign", headers={**alice.headers, **V})
    assert r.status_code == 200, r.text
    assert await _state(app, made["uid"]) == (alice.id, [carol.id])
    got = (await client.get(f"/v2/bookings/{made['uid']}", headers=V)).json()["data"]
    assert [a["email"] for a in got["attendees"]] == ["zed@example.com", carol.email]


async def test_team_bookings_for_team_admins(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    alice, bob, carol, dave, team, et = await _world(app)
    first = await _booked(client, et, at(MONDAY, "10:00"))
    second = await _booked(client, et, at(MONDAY, "11:00"))
    personal = await make_host(app, "erin")
    own = await make_event_type(app, personal, slug="own")
    await _booked(client, own, at(MONDAY, "12:00"))  # not a team booking
    path = f"/v2/teams/{team}/bookings"
    r = await client.get(path, headers=alice.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [b["uid"] for b in body["data"]] == [first["uid"], second["uid"]]
    assert body["pagination"]["totalItems"] == 2
    r = await client.get(path, params={"take": 1, "skip": 1, "sortStart": "desc"},
                         headers=alice.headers)  # fmt: skip
    assert [b["uid"] for b in r.json()["data"]] == [first["uid"]]
    r = await client.get(path, params={"status": "cancelled"}, headers=alice.headers)
    assert r.json()["data"] == []
    # a member who is not an admin, a stranger, no key
    r = await client.get(path, headers=bob.headers)
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == (
        f"RolesGuard - user with id={bob.id} does not have the minimum required "
        f"role=TEAM_ADMIN within team with id={team}."
    )
    r = await client.get(path, headers=personal.headers)
    assert r.status_code == 403, r.text
    r = await client.get(path)
    assert r.status_code == 401, r.text
    # GET /v2/bookings?teamId= narrows the caller's own bookings to the team's event types
    r = await client.get("/v2/bookings", params={"teamId": team}, headers={**bob.headers, **V})
    assert r.status_code == 200, r.text
    assert [b["hosts"][0]["id"] for b in r.json()["data"]] == [bob.id]
