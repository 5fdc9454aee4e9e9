"""GET /v2/slots for team event types (issue 13 §3) on both databases: by eventTypeId and by
teamSlug + eventTypeSlug, in the 2024-09-04 and the legacy shapes; collective and round robin
over each host's own zone, schedule, bookings of other event types and out of office; only
accepted members' host rows count. 2050-09-05 is a Monday."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx2

from slotwise.kit.db import Database
from slotwise.models import OutOfOffice
from tests.api.slot_fixtures import (
    MONDAY,
    TUESDAY,
    V,
    add_booking,
    freeze,
    get_slots,
    give_schedule,
    make_event_type,
    slot_data,
    starts,
    utc,
)
from tests.api.team_sched_fixtures import Member, make_team, make_team_event_type, team_of
from tests.conftest import Host, make_host


async def test_collective_slots_by_id_and_by_team_slug(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)  # 09–17 UTC
    await give_schedule(app, other_host, time_zone="America/New_York")  # 13–21 UTC in September
    team = await team_of(app, "sales", host, other_host)
    et = await make_team_event_type(
        app, team, "collective", [Member(host), Member(other_host)], slug="panel"
    )
    # another event type's booking of the New York host counts too
    personal = await make_event_type(app, other_host, slug="own")
    await add_booking(app, other_host, personal, f"{MONDAY}T14:00")
    expected = ["13:00", "13:30", "14:30", "15:00", "15:30", "16:00", "16:30"]
    assert starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY), MONDAY) == (
        expected
    )
    by_slug = await slot_data(
        client, teamSlug="sales", eventTypeSlug="panel", start=MONDAY, end=MONDAY
    )
    assert starts(by_slug, MONDAY) == expected
    legacy = await client.get(
        "/v2/slots", params={"eventTypeId": et, "startTime": MONDAY, "endTime": MONDAY}
    )
    assert legacy.status_code == 200, legacy.text
    assert [s["time"][11:16] for s in legacy.json()["data"]["slots"][MONDAY]] == expected


async def test_round_robin_needs_fixed_hosts_and_one_per_group(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    carol = await make_host(app, "carol")
    for user in (host, other_host, carol):
        await give_schedule(app, user, start="09:00", end="11:00")
    team = await team_of(app, "support", host, other_host, carol)
    et = await make_team_event_type(
        app,
        team,
        "roundRobin",
        [Member(host, mandatory=True), Member(other_host), Member(carol)],
    )
    await add_booking(app, host, None, f"{MONDAY}T09:00")  # the fixed host is busy
    await add_booking(app, other_host, None, f"{MONDAY}T10:00")  # one RR host busy: fine
    await add_booking(app, other_host, None, f"{MONDAY}T10:30")
    await add_booking(app, carol, None, f"{MONDAY}T10:30")  # both RR hosts busy
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["09:30", "10:00"]


async def test_out_of_office_host_is_absent(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host, start="09:00", end="10:00")
    await give_schedule(app, other_host, start="10:00", end="11:00")
    team = await team_of(app, "rr", host, other_host)
    et = await make_team_event_type(app, team, "roundRobin", [Member(host), Member(other_host)])
    assert starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY), MONDAY) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
    ]
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        session.add(
            OutOfOffice(
                uuid="00000000-0000-4000-8000-000000000001",
                user_id=other_host.id,
                start=utc(f"{MONDAY}T00:00"),
                end=utc(f"{MONDAY}T00:00") + timedelta(days=1) - timedelta(minutes=1),
                reason="vacation",
            )
        )
    assert starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY), MONDAY) == [
        "09:00",
        "09:30",
    ]


async def test_only_accepted_members_are_hosts(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host, start="09:00", end="10:00")
    await give_schedule(app, other_host, start="09:00", end="11:00")
    team = await make_team(app, "pending", [(host, "OWNER", True), (other_host, "MEMBER", False)])
    collective = await make_team_event_type(
        app, team, "collective", [Member(host), Member(other_host)], slug="both"
    )
    await add_booking(app, other_host, None, f"{MONDAY}T09:00", minutes=120)
    # the pending member's bookings do not block a collective event type
    data = await slot_data(client, eventTypeId=collective, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["09:00", "09:30"]
    # a round-robin event type whose only host is pending has no hosts, so no slots
    alone = await make_team_event_type(app, team, "roundRobin", [Member(other_host)], slug="rr")
    assert await slot_data(client, eventTypeId=alone, start=MONDAY, end=MONDAY) == {}


async def test_team_event_type_without_hosts_and_unknown_slugs(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    team = await team_of(app, "empty", host)
    et = await make_team_event_type(app, team, "collective", [], slug="nobody")
    assert await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY) == {}
    assert await slot_data(client, teamSlug="empty", eventTypeSlug="nobody", start=MONDAY,
                           end=MONDAY) == {}  # fmt: skip
    body = await get_slots(client, 404, teamSlug="nope", eventTypeSlug="x", start=MONDAY,
                           end=MONDAY)  # fmt: skip
    assert body["error"]["message"] == "Team with slug nope not found"
    body = await get_slots(client, 404, teamSlug="empty", eventTypeSlug="x", start=MONDAY,
                           end=MONDAY)  # fmt: skip
    assert body["error"]["message"] == "Event type with slug x belonging to team empty not found."


async def test_each_host_uses_their_own_schedule(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host)
    await give_schedule(app, other_host)
    own = await give_schedule(app, other_host, start="16:00", end="17:00", default=False)
    team = await team_of(app, "own", host, other_host)
    et = await make_team_event_type(
        app, team, "collective", [Member(host), Member(other_host, schedule_id=own)]
    )
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["16:00", "16:30"]


async def test_event_limits_count_every_host_of_a_team_event_type(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host, start="09:00", end="10:00")
    await give_schedule(app, other_host, start="09:00", end="10:00")
    team = await team_of(app, "limited", host, other_host)
    et = await make_team_event_type(
        app, team, "roundRobin", [Member(host), Member(other_host)],
        bookingLimitsCount={"day": 2},
    )  # fmt: skip
    await add_booking(app, host, et, f"{MONDAY}T09:00")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=TUESDAY)
    assert starts(data, MONDAY) == ["09:00", "09:30"]  # the other host is free at 09:00
    await add_booking(app, other_host, et, f"{MONDAY}T09:30")
    # two bookings of the event type that day, by different hosts: the day is full for both
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=TUESDAY)
    assert starts(data, MONDAY) == [] and starts(data, TUESDAY) == ["09:00", "09:30"]


async def test_team_booking_limits_count_all_team_event_types(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host, start="09:00", end="11:00")
    await give_schedule(app, other_host, start="09:00", end="11:00")
    team = await make_team(
        app, "capped", [(host, "OWNER", True), (other_host, "MEMBER", True)],
        booking_limits={"PER_DAY": 2},
    )  # fmt: skip
    first = await make_team_event_type(app, team, "collective", [Member(host)], slug="a")
    second = await make_team_event_type(app, team, "roundRobin", [Member(other_host)], slug="b")
    personal = await make_event_type(app, other_host, slug="mine")
    await add_booking(app, host, first, f"{MONDAY}T09:00")
    await add_booking(app, other_host, personal, f"{MONDAY}T09:00")  # not a team booking
    assert len(starts(await slot_data(client, eventTypeId=second, start=MONDAY, end=MONDAY),
                      MONDAY)) == 3  # fmt: skip
    await add_booking(app, host, first, f"{MONDAY}T10:00")
    # the team's two bookings of the day fill its limit, for every team event type
    assert await slot_data(client, eventTypeId=second, start=MONDAY, end=MONDAY) == {}


async def test_round_robin_reservations_hold_one_host_each(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any, host: Host, other_host: Host
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    await give_schedule(app, host, start="09:00", end="10:00")
    await give_schedule(app, other_host, start="09:00", end="10:00")
    team = await team_of(app, "held", host, other_host)
    et = await make_team_event_type(app, team, "roundRobin", [Member(host), Member(other_host)])
    body = {"eventTypeId": et, "slotStart": f"{MONDAY}T09:00:00Z"}
    held = []
    for _ in range(2):
        r = await client.post("/v2/slots/reservations", json=body, headers=V)
        assert r.status_code == 201, r.text
        held.append(r.json()["data"]["reservationUid"])
    # both hosts are held at 09:00 now: a third booker is refused, and the slot is gone
    r = await client.post("/v2/slots/reservations", json=body, headers=V)
    assert r.status_code == 422, r.text
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["09:30"]
    # a booking with its reservation takes it
    r = await client.post(
        "/v2/bookings",
        json={
            "start": f"{MONDAY}T09:00:00Z",
            "eventTypeId": et,
            "reservationUid": held[1],
            "attendee": {"name": "Zed", "email": "zed@example.com", "timeZone": "UTC"},
        },
        headers={"cal-api-version": "2024-08-13"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["hosts"][0]["id"] == other_host.id
    r = await client.get(f"/v2/slots/reservations/{held[1]}", headers=V)
    assert r.status_code == 404, r.text
