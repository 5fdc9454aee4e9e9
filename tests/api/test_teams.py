"""Teams (/v2/teams): create, list, read, update, delete, with Cal.com's shapes, statuses and
role rules (RolesGuard: MEMBER reads, OWNER updates and deletes; a non-member gets 403 for an
existing and a missing team alike), on both databases."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import func, select

from slotwise.models import EventType, Membership, Team
from tests.api.teams_fixtures import make_team, make_team_with_roles, make_user
from tests.conftest import Host


async def test_create_team_shape_and_owner(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post(
        "/v2/teams",
        json={"name": "Sales Team", "bio": "We sell", "brandColor": "#123456", "timeFormat": 24},
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    team = r.json()["data"]
    assert team["name"] == "Sales Team"
    assert team["slug"] == "sales-team"  # slugified name, as Cal.com
    assert team["bio"] == "We sell" and team["brandColor"] == "#123456"
    assert team["timeFormat"] == 24
    assert team["isOrganization"] is False and "parentId" not in team
    assert team["timeZone"] == "Europe/London" and team["weekStart"] == "Sunday"
    assert team["rrResetInterval"] == "MONTH" and team["rrTimestampBasis"] == "CREATED_AT"
    assert team["bookingLimits"] is None and team["includeManagedEventsInLimits"] is False

    r = await client.get(f"/v2/teams/{team['id']}/memberships", headers=host.headers)
    assert r.status_code == 200, r.text
    (owner,) = r.json()["data"]
    assert owner["userId"] == host.id and owner["role"] == "OWNER" and owner["accepted"] is True
    assert owner["user"]["email"] == host.email


async def test_create_team_with_extensions_and_validation(
    client: httpx2.AsyncClient, host: Host
) -> None:
    team = await make_team(
        client, host, slug="Fair Share", rrResetInterval="DAY", rrTimestampBasis="START_TIME"
    )
    assert team["slug"] == "fair-share"
    assert team["rrResetInterval"] == "DAY" and team["rrTimestampBasis"] == "START_TIME"
    for bad in (
        {"name": ""},
        {"slug": "no-name"},
        {"name": "X", "rrResetInterval": "WEEK"},
        {"name": "X", "rrTimestampBasis": "NOW"},
        {"name": "X", "timeZone": "Mars/Olympus"},
        {"name": "X", "unknown": 1},
        {"name": "X", "slug": "---"},
        {"name": "X", "autoAcceptCreator": None},
    ):
        r = await client.post("/v2/teams", json=bad, headers=host.headers)
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["status"] == "error"
    r = await client.post("/v2/teams", json={"name": "X"})
    assert r.status_code == 401


async def test_slug_and_name_uniqueness(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    bob = await make_user(app, "bob")
    await make_team(client, host, name="Alpha", slug="alpha")
    # Another user, a taken slug: Cal.com's unique-constraint answer.
    r = await client.post("/v2/teams", json={"name": "Other", "slug": "alpha"}, headers=bob.headers)
    assert r.status_code == 409, r.text
    assert r.json()["error"]["message"] == (
        "Invalid Input: Trying to create a record that already exists."
    )
    # The same user, the same name again: Cal.com's 400.
    r = await client.post("/v2/teams", json={"name": "Alpha", "slug": "a2"}, headers=host.headers)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "You already have created a team with name=Alpha"
    # Another user may use the name with another slug.
    r = await client.post("/v2/teams", json={"name": "Alpha", "slug": "a3"}, headers=bob.headers)
    assert r.status_code == 201, r.text
    # Renaming onto a taken slug is 409 too, onto its own slug fine.
    mine = r.json()["data"]["id"]
    r = await client.patch(f"/v2/teams/{mine}", json={"slug": "alpha"}, headers=bob.headers)
    assert r.status_code == 409
    r = await client.patch(f"/v2/teams/{mine}", json={"slug": "a3"}, headers=bob.headers)
    assert r.status_code == 200


async def test_auto_accept_creator_false(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    r = await client.post(
        "/v2/teams", json={"name": "Later", "autoAcceptCreator": False}, headers=host.headers
    )
    assert r.status_code == 201, r.text
    team_id = r.json()["data"]["id"]
    async with app.state.db.read_sessions() as session:
        membership = await session.scalar(select(Membership).where(Membership.team_id == team_id))
        assert membership is not None
        assert (membership.role, membership.accepted) == ("OWNER", False)
    # Listed (as Cal.com, to find it), but a pending membership gives no access.
    listed = await client.get("/v2/teams", headers=host.headers)
    assert [t["id"] for t in listed.json()["data"]] == [team_id]
    assert (await client.get(f"/v2/teams/{team_id}", headers=host.headers)).status_code == 403
    # Accepting it (extension) gives access.
    r = await client.post(
        f"/v2/teams/{team_id}/memberships/{membership.id}/accept", headers=host.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["accepted"] is True
    assert (await client.get(f"/v2/teams/{team_id}", headers=host.headers)).status_code == 200


async def test_list_shows_only_my_teams(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    bob = await make_user(app, "bob")
    mine = await make_team(client, host)
    await make_team(client, bob)
    r = await client.get("/v2/teams", headers=host.headers)
    assert r.status_code == 200
    assert [t["id"] for t in r.json()["data"]] == [mine["id"]]
    assert (await client.get("/v2/teams")).status_code == 401


async def test_roles_on_read_update_delete(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    url = f"/v2/teams/{w.team_id}"
    for role in ("owner", "admin", "member"):
        r = await client.get(url, headers=w.by_role(role).headers)
        assert r.status_code == 200, (role, r.text)
        assert r.json()["data"]["id"] == w.team_id
    # A stranger and a pending member: the same 403 for this team and a missing one.
    for role in ("stranger", "pending"):
        user = w.by_role(role)
        existing = await client.get(url, headers=user.headers)
        missing = await client.get("/v2/teams/999999", headers=user.headers)
        assert existing.status_code == missing.status_code == 403
        assert existing.json()["error"]["message"] == (
            f"RolesGuard - User is not a member of the team with id={w.team_id}."
        )
        assert missing.json()["error"]["message"] == (
            "RolesGuard - User is not a member of the team with id=999999."
        )
    for role in ("admin", "member"):
        user = w.by_role(role)
        for method in ("PATCH", "DELETE"):
            body = {"json": {"name": "Mine"}} if method == "PATCH" else {}
            r = await client.request(method, url, headers=user.headers, **body)
            assert r.status_code == 403, (role, method, r.text)
            assert r.json()["error"]["message"] == (
                f"RolesGuard - user with id={user.id} does not have the minimum required "
                f"role=TEAM_OWNER within team with id={w.team_id}."
            )
    r = await client.patch(url, json={"name": "Renamed"}, headers=w.owner.headers)
    assert r.status_code == 200 and r.json()["data"]["name"] == "Renamed"


async def test_update_fields_and_booking_limits(client: httpx2.AsyncClient, host: Host) -> None:
    team = await make_team(client, host, bio="Old")
    url = f"/v2/teams/{team['id']}"
    r = await client.patch(
        url,
        json={
            "bio": "New",
            "hideBranding": True,
            "weekStart": "Monday",
            "timeZone": "Europe/Berlin",
            "bookingLimits": '{"PER_DAY": 2, "PER_WEEK": 5}',
            "includeManagedEventsInLimits": True,
            "rrResetInterval": "DAY",
            "rrTimestampBasis": "START_TIME",
        },
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["bio"] == "New" and data["hideBranding"] is True
    assert data["weekStart"] == "Monday" and data["timeZone"] == "Europe/Berlin"
    assert data["bookingLimits"] == {"PER_DAY": 2, "PER_WEEK": 5}
    assert data["includeManagedEventsInLimits"] is True
    assert (data["rrResetInterval"], data["rrTimestampBasis"]) == ("DAY", "START_TIME")
    # An object works too; the other fields stay.
    r = await client.patch(url, json={"bookingLimits": {"PER_MONTH": 9}}, headers=host.headers)
    assert r.json()["data"]["bookingLimits"] == {"PER_MONTH": 9}
    assert r.json()["data"]["bio"] == "New"
    got = (await client.get(url, headers=host.headers)).json()["data"]
    assert got["bookingLimits"] == {"PER_MONTH": 9} and got["rrResetInterval"] == "DAY"
    for bad in (
        {"bookingLimits": "not json"},
        {"bookingLimits": '{"PER_HOUR": 1}'},
        {"bookingLimits": {"PER_DAY": 0}},
        {"bookingLimits": {"PER_DAY": True}},
        {"bookingLimits": [1]},
        {"name": None},
        {"rrResetInterval": "YEAR"},
    ):
        r = await client.patch(url, json=bad, headers=host.headers)
        assert r.status_code == 400, (bad, r.text)
    r = await client.patch(url, json={"bookingLimits": None}, headers=host.headers)
    assert r.status_code == 200 and r.json()["data"]["bookingLimits"] is None


async def test_delete_team_removes_memberships_and_event_types(
    client: httpx2.AsyncClient, app: Any
) -> None:
    w = await make_team_with_roles(client, app)
    async with app.state.db.write_sessions() as session, session.begin():
        session.add(EventType(team_id=w.team_id, slug="demo", title="Demo", length=30, config={}))
    r = await client.delete(f"/v2/teams/{w.team_id}", headers=w.owner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["id"] == w.team_id
    async with app.state.db.read_sessions() as session:
        for model in (Team, Membership, EventType):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
    r = await client.get(f"/v2/teams/{w.team_id}", headers=w.owner.headers)
    assert r.status_code == 403
    assert (await client.get("/v2/teams", headers=w.member.headers)).json()["data"] == []
