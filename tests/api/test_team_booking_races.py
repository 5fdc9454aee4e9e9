"""Team bookings under real concurrency, on SQLite and PostgreSQL (issue 13 §3): every booking
of a team event type locks all its hosts in one sorted call before checking, so round-robin
racers are spread over the free hosts and a collective booking never overlaps a host's other
booking. Requests run concurrently through the in-process ASGI client, each with its own
session and connection (as tests/api/test_bookings_race.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
from sqlalchemy import func, select

from slotwise.kit.db import Database
from slotwise.models import Booking
from tests.api.booking_fixtures import MONDAY, at, book, make_event_type
from tests.api.slot_fixtures import freeze
from tests.api.team_sched_fixtures import Member, make_team_event_type, team_of
from tests.conftest import Host, make_host

TEAM_BUSY = "One of the hosts either already has booking at this time or is not available"


def _booker(n: int) -> dict[str, str]:
    return {"name": f"Racer {n}", "email": f"racer{n}@example.com", "timeZone": "UTC"}


async def test_three_racers_two_round_robin_hosts(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    team = await team_of(app, "race", host, other_host)
    et = await make_team_event_type(app, team, "roundRobin", [Member(host), Member(other_host)])
    responses = await asyncio.gather(
        *(book(client, et, at(MONDAY, "10:00"), attendee=_booker(n)) for n in range(3))
    )
    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert len(created) == 2, [r.text for r in responses]
    assert {r.json()["data"]["hosts"][0]["id"] for r in created} == {host.id, other_host.id}
    assert [r.status_code for r in refused] == [400], [r.text for r in refused]
    assert refused[0].json()["error"]["message"] == TEAM_BUSY


async def test_collective_never_overlaps_a_hosts_other_booking(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    """Collective bookings race personal bookings of one of the hosts for the same time:
    exactly one booking wins, whichever it is."""
    freeze(monkeypatch, "2050-09-01T00:00")
    carol = await make_host(app, "carol")
    team = await team_of(app, "collective-race", host, other_host, carol)
    et = await make_team_event_type(
        app, team, "collective", [Member(host), Member(other_host), Member(carol)]
    )
    personal = await make_event_type(app, carol, slug="carol-own")
    racers = [
        book(client, (et, personal)[n % 2], at(MONDAY, "10:00"), attendee=_booker(n))
        for n in range(8)
    ]
    responses = await asyncio.gather(*racers)
    codes = [r.status_code for r in responses]
    assert codes.count(201) == 1, [r.text for r in responses]
    assert all(c in (400, 409) for c in codes if c != 201), codes
    db: Database = app.state.db
    async with db.read_sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Booking))
    assert count == 1
