"""Managed team event types: the template, one child per assigned member in the member's own
namespace, locked fields kept in sync, unlocked ones left as the member set them, members
joining and leaving, and the template not bookable."""

from __future__ import annotations

from typing import Any

import httpx2

from slotwise.event_types.managed import is_managed_parent, parent_not_bookable_message
from slotwise.models import EventType
from tests.api.booking_fixtures import MONDAY, at, booked, give_schedule
from tests.api.teams_fixtures import create_team_event_type, insert_member, insert_team
from tests.conftest import Host, make_host

ETV = {"cal-api-version": "2024-06-14"}
BV = {"cal-api-version": "2024-08-13"}
BOOKER = {"name": "Zed Booker", "email": "zed@example.com", "timeZone": "Europe/Rome"}


async def managed(
    client: httpx2.AsyncClient, app: Any, owner: Host, *members: Host, **body: Any
) -> tuple[int, list[dict[str, Any]]]:
    team = await insert_team(app, owner)
    for member in members:
        await insert_member(app, team, member)
    data = await create_team_event_type(
        client,
        owner,
        team,
        schedulingType="managed",
        **({"hosts": [{"userId": m.id} for m in members]} | body),
    )
    assert isinstance(data, list)
    return team, data


async def test_create_answers_the_template_then_one_child_per_member(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    carol = await make_host(app, "carol")
    team, data = await managed(client, app, host, other_host, carol, title="Onboarding")
    parent, *children = data
    assert parent["schedulingType"] == "managed" and parent["teamId"] == team
    assert parent["ownerId"] is None and parent["parentEventTypeId"] is None
    assert parent["managedEventConfig"] == {}
    assert [h["userId"] for h in parent["hosts"]] == [other_host.id, carol.id]
    assert set(parent["hosts"][0]) == {"userId", "name", "username", "avatarUrl"}
    assert [c["ownerId"] for c in children] == [other_host.id, carol.id]
    for child in children:
        assert child["parentEventTypeId"] == parent["id"]
        assert child["teamId"] is None and child["schedulingType"] is None
        assert child["hosts"] == [] and child["team"]["id"] is None
        assert child["title"] == "Onboarding" and child["slug"] == "demo"
        assert child["lengthInMinutes"] == 30
    # the child is the member's: their listing, public by username, GET by id
    r = await client.get("/v2/event-types", headers={**other_host.headers, **ETV})
    assert [e["id"] for e in r.json()["data"]] == [children[0]["id"]]
    r = await client.get("/v2/event-types", params={"username": "carol"}, headers=ETV)
    [listed] = r.json()["data"]
    assert listed["id"] == children[1]["id"] and listed["ownerId"] == carol.id
    assert listed["bookingUrl"].endswith("/carol/demo")
    r = await client.get(f"/v2/event-types/{children[1]['id']}", headers={**carol.headers, **ETV})
    assert r.status_code == 200
    # the team listing shows the template only
    r = await client.get(f"/v2/teams/{team}/event-types")
    assert [e["id"] for e in r.json()["data"]] == [parent["id"]]


async def test_locked_fields_follow_the_template_unlocked_ones_stay(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team, (parent, child) = await managed(
        client,
        app,
        host,
        other_host,
        description="Team text",
        managedEventConfig={"unlockedFields": {"lengthInMinutes": True}},
    )
    member = {**other_host.headers, **ETV}
    r = await client.patch(
        f"/v2/event-types/{child['id']}",
        json={"description": "Mine", "lengthInMinutes": 45, "hidden": True},
        headers=member,
    )
    assert r.status_code == 200, r.text
    url = f"/v2/teams/{team}/event-types/{parent['id']}"
    r = await client.patch(
        url,
        json={"title": "New title", "lengthInMinutes": 60, "minimumBookingNotice": 0},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    parent_out, child_out = r.json()["data"]
    assert parent_out["title"] == "New title" and parent_out["lengthInMinutes"] == 60
    assert child_out["title"] == "New title"
    assert child_out["description"] == "Team text"  # locked: the member's change is replaced
    assert child_out["minimumBookingNotice"] == 0
    assert child_out["lengthInMinutes"] == 45  # unlocked: the member's value stays
    assert child_out["hidden"] is True  # hidden is always the member's
    r = await client.get(f"/v2/event-types/{child['id']}", headers=member)
    assert r.json()["data"]["title"] == "New title"


async def test_assignment_changes_create_and_delete_children_bookings_stay(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    carol = await make_host(app, "carol")
    team, (parent, bob_child, carol_child) = await managed(
        client, app, host, other_host, carol, minimumBookingNotice=0
    )
    await give_schedule(app, carol)
    booking = await booked(client, carol_child["id"], at(MONDAY, "10:00"))
    url = f"/v2/teams/{team}/event-types/{parent['id']}"
    r = await client.patch(url, json={"hosts": [{"userId": other_host.id}]}, headers=host.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert [e["id"] for e in data] == [parent["id"], bob_child["id"]]
    assert [h["userId"] for h in data[0]["hosts"]] == [other_host.id]
    r = await client.get(f"/v2/event-types/{carol_child['id']}", headers={**carol.headers, **ETV})
    assert r.status_code == 404
    r = await client.get(f"/v2/bookings/{booking['uid']}", headers=BV)
    assert r.status_code == 200 and r.json()["data"]["status"] == "accepted"
    # not a member: 404 as for other team event types
    stranger = await make_host(app, "mallory")
    r = await client.patch(url, json={"hosts": [{"userId": stranger.id}]}, headers=host.headers)
    assert r.status_code == 404
    # a member's own event type with the template's slug is replaced by the child
    r = await client.post(
        "/v2/event-types",
        json={"title": "Carol's", "slug": "demo", "lengthInMinutes": 15},
        headers={**carol.headers, **ETV},
    )
    assert r.status_code == 201
    r = await client.patch(
        url,
        json={"hosts": [{"userId": other_host.id}, {"userId": carol.id}]},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    new_child = r.json()["data"][2]
    assert new_child["ownerId"] == carol.id and new_child["title"] == "Demo"
    r = await client.get("/v2/event-types", headers={**carol.headers, **ETV})
    assert [(e["id"], e["title"]) for e in r.json()["data"]] == [(new_child["id"], "Demo")]


async def test_assign_all_members_gives_newcomers_a_child(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team, data = await managed(client, app, host, other_host, hosts=None, assignAllTeamMembers=True)
    assert [c["ownerId"] for c in data[1:]] == [host.id, other_host.id]
    carol = await make_host(app, "carol")
    await insert_member(app, team, carol, accepted=False)
    r = await client.get("/v2/event-types", headers={**carol.headers, **ETV})
    assert r.json()["data"] == []
    newcomer = await make_host(app, "dave")
    await insert_member(app, team, newcomer)
    r = await client.get("/v2/event-types", headers={**newcomer.headers, **ETV})
    [child] = r.json()["data"]
    assert child["slug"] == "demo" and child["ownerId"] == newcomer.id
    r = await client.get(f"/v2/teams/{team}/event-types/{data[0]['id']}", headers=host.headers)
    assert [h["userId"] for h in r.json()["data"]["hosts"]] == [
        host.id, other_host.id, newcomer.id
    ]  # fmt: skip


async def test_delete_removes_children_and_type_cannot_change(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team, (parent, child) = await managed(client, app, host, other_host)
    url = f"/v2/teams/{team}/event-types/{parent['id']}"
    r = await client.patch(url, json={"schedulingType": "collective"}, headers=host.headers)
    assert r.status_code == 400
    r = await client.delete(url, headers=host.headers)
    assert r.status_code == 200
    r = await client.get(f"/v2/event-types/{child['id']}", headers={**other_host.headers, **ETV})
    assert r.status_code == 404


async def test_the_template_is_recognised_as_not_bookable(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    _, (parent, child) = await managed(client, app, host, other_host)
    async with app.state.db.read_sessions() as session:
        template = await session.get(EventType, parent["id"])
        member_copy = await session.get(EventType, child["id"])
    assert is_managed_parent(template) and not is_managed_parent(member_copy)
    message = parent_not_bookable_message(parent["id"])
    assert message.startswith(
        f"Event type with id={parent['id']} is the parent managed event type that can't be booked."
    )
    # the booking path answers it (Cal.com's 400); the member's copy is bookable
    await give_schedule(app, other_host)
    r = await client.post(
        "/v2/bookings",
        json={"start": at(MONDAY, "10:00"), "eventTypeId": parent["id"],
              "attendee": {"name": "Zed", "email": "zed@example.com", "timeZone": "UTC"}},
        headers=BV,
    )  # fmt: skip
    assert r.status_code == 400 and r.json()["error"]["message"] == message


async def test_unlocked_fields_must_be_known_and_only_for_managed(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    team = await insert_team(app, host)
    base = {"title": "D", "slug": "d", "lengthInMinutes": 30}
    url = f"/v2/teams/{team}/event-types"
    r = await client.post(
        url,
        json={**base, "schedulingType": "managed",
              "managedEventConfig": {"unlockedFields": {"ownerId": True}}},
        headers=host.headers,
    )  # fmt: skip
    assert r.status_code == 400
    r = await client.post(
        url,
        json={**base, "schedulingType": "collective",
              "managedEventConfig": {"unlockedFields": {"title": True}}},
        headers=host.headers,
    )  # fmt: skip
    assert r.status_code == 400


async def test_memberships_api_joins_and_leaves_managed_event_types(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    """Through the teams API: an accepted membership gives the member a copy of an
    assign-all managed event type; deleting the membership deletes it (bookings stay)."""
    r = await client.post("/v2/teams", json={"name": "Ops", "slug": "ops"}, headers=host.headers)
    assert r.status_code == 201, r.text
    team = r.json()["data"]["id"]
    data = await create_team_event_type(
        client, host, team, schedulingType="managed", assignAllTeamMembers=True,
        minimumBookingNotice=0,
    )  # fmt: skip
    assert [c["ownerId"] for c in data[1:]] == [host.id]
    r = await client.post(
        f"/v2/teams/{team}/memberships",
        json={"userId": other_host.id, "role": "MEMBER", "accepted": True},
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    membership = r.json()["data"]["id"]
    r = await client.get("/v2/event-types", headers={**other_host.headers, **ETV})
    [child] = r.json()["data"]
    assert child["ownerId"] == other_host.id
    await give_schedule(app, other_host)
    booking = await booked(client, child["id"], at(MONDAY, "10:00"), attendee=BOOKER)
    r = await client.delete(f"/v2/teams/{team}/memberships/{membership}", headers=host.headers)
    assert r.status_code == 200, r.text
    r = await client.get("/v2/event-types", headers={**other_host.headers, **ETV})
    assert r.json()["data"] == []
    r = await client.get(f"/v2/bookings/{booking['uid']}", headers=BV)
    assert r.status_code == 200 and r.json()["data"]["status"] == "accepted"
