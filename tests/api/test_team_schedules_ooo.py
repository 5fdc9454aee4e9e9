"""GET /v2/teams/{teamId}/schedules and the team admins' /v2/teams/{teamId}/users/{userId}/ooo
(Cal.com's TeamsSchedulesController and TeamsOOOController: TEAM_ADMIN; the user must be an
accepted member, else IsUserInTeam's 403), on both databases."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.api.booking_fixtures import give_schedule
from tests.api.teams_fixtures import make_team_with_roles

ENTRY = {"start": "2050-09-06T00:00:00.000Z", "end": "2050-09-07T00:00:00.000Z", "notes": "Trip"}


async def test_team_schedules(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    member_schedule = await give_schedule(app, w.member)
    await give_schedule(app, w.pending)  # not accepted: not listed
    await give_schedule(app, w.stranger)
    owner_schedule = await give_schedule(app, w.owner)
    url = f"/v2/teams/{w.team_id}/schedules"
    r = await client.get(url, headers=w.admin.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert [s["id"] for s in data] == [member_schedule, owner_schedule]
    assert {s["ownerId"] for s in data} == {w.member.id, w.owner.id}
    assert all(s["isDefault"] for s in data)
    r = await client.get(url, params={"skip": 1, "take": 1}, headers=w.owner.headers)
    assert [s["id"] for s in r.json()["data"]] == [owner_schedule]
    for user in (w.member, w.stranger):
        assert (await client.get(url, headers=user.headers)).status_code == 403
    assert (await client.get(url)).status_code == 401


async def test_team_member_ooo_crud(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    base = f"/v2/teams/{w.team_id}/users/{w.member.id}/ooo"
    r = await client.post(base, json={**ENTRY, "toUserId": w.owner.id}, headers=w.admin.headers)
    assert r.status_code == 201, r.text
    entry = r.json()["data"]
    assert entry["userId"] == w.member.id and entry["toUserId"] == w.owner.id
    # The member sees it as their own.
    mine = await client.get("/v2/me/ooo", headers=w.member.headers)
    assert [e["id"] for e in mine.json()["data"]] == [entry["id"]]
    # The member's rules: overlap 409, forwarding outside their teams 400.
    assert (await client.post(base, json=ENTRY, headers=w.owner.headers)).status_code == 409
    r = await client.post(
        base,
        json={
            "start": "2050-10-01T00:00:00Z",
            "end": "2050-10-02T00:00:00Z",
            "toUserId": w.stranger.id,
        },
        headers=w.admin.headers,
    )
    assert r.status_code == 400
    r = await client.get(base, params={"sortStart": "desc"}, headers=w.owner.headers)
    assert r.status_code == 200 and [e["id"] for e in r.json()["data"]] == [entry["id"]]
    r = await client.patch(
        f"{base}/{entry['id']}", json={"notes": "Moved"}, headers=w.admin.headers
    )
    assert r.status_code == 200 and r.json()["data"]["notes"] == "Moved"
    # Another member's entry is not found under this member.
    own = await client.post(
        "/v2/me/ooo",
        json={"start": "2050-11-01T00:00:00Z", "end": "2050-11-02T00:00:00Z"},
        headers=w.admin.headers,
    )
    other = own.json()["data"]["id"]
    assert (
        await client.patch(f"{base}/{other}", json={"notes": "x"}, headers=w.owner.headers)
    ).status_code == 404
    assert (await client.delete(f"{base}/{other}", headers=w.owner.headers)).status_code == 404
    r = await client.delete(f"{base}/{entry['id']}", headers=w.admin.headers)
    assert r.status_code == 200 and r.json()["data"]["id"] == entry["id"]
    assert (await client.get("/v2/me/ooo", headers=w.member.headers)).json()["data"] == []


async def test_team_member_ooo_guards(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    base = f"/v2/teams/{w.team_id}/users/{w.member.id}/ooo"
    # Below TEAM_ADMIN (the member themself included) and strangers: the RolesGuard's 403.
    for user in (w.member, w.pending, w.stranger):
        r = await client.post(base, json=ENTRY, headers=user.headers)
        assert r.status_code == 403, r.text
        assert r.json()["error"]["message"].startswith("RolesGuard")
    # A user who is not an accepted member: IsUserInTeam's 403.
    for target in (w.stranger, w.pending):
        url = f"/v2/teams/{w.team_id}/users/{target.id}/ooo"
        r = await client.get(url, headers=w.admin.headers)
        assert r.status_code == 403
        assert r.json()["error"]["message"] == (
            f"IsUserInTeam - user with id={target.id} is not a member of the team with "
            f"id={w.team_id}."
        )
        r = await client.post(url, json=ENTRY, headers=w.admin.headers)
        assert r.status_code == 403
    assert (await client.get(base)).status_code == 401
