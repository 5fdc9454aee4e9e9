"""Teams in the web app: create, invite (by email and by link), accept, roles, remove, leave."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post, give_password, log_in

BASE = "/app/teams"


async def api_teams(client: httpx2.AsyncClient, host: Host) -> list[dict[str, Any]]:
    answer = await client.get("/v2/teams", headers=host.headers)
    assert answer.status_code == 200
    return list(answer.json()["data"])


async def api_members(client: httpx2.AsyncClient, host: Host, team_id: int) -> dict[str, Any]:
    answer = await client.get(f"/v2/teams/{team_id}/memberships", headers=host.headers)
    assert answer.status_code == 200, answer.text
    return {m["user"]["username"]: m for m in answer.json()["data"]}


async def create_team(client: httpx2.AsyncClient, name: str = "Sales") -> int:
    answer = await app_post(client, BASE, BASE, {"name": name, "slug": ""})
    assert answer.status_code == 303, answer.text[:2000]
    match = re.match(rf"{BASE}/(\d+)\?flash=created", answer.headers["location"])
    assert match
    return int(match.group(1))


@pytest.fixture
async def bob(app: Any, other_host: Host) -> AsyncIterator[httpx2.AsyncClient]:
    """A second browser, logged in as bob."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(
        transport=transport,
        base_url="http://slotwise.test",
        headers={"Sec-Fetch-Site": "same-origin"},
    ) as client:
        await give_password(app, other_host)
        await log_in(client, other_host.username)
        yield client


async def test_create_invite_by_email_accept_change_role_and_remove(
    app: Any, app_client: httpx2.AsyncClient, host: Host, other_host: Host, bob: httpx2.AsyncClient
) -> None:
    team_id = await create_team(app_client)
    [team] = await api_teams(app_client, host)
    assert (team["id"], team["name"], team["slug"]) == (team_id, "Sales", "sales")
    page = f"{BASE}/{team_id}"
    invited = await app_post(
        app_client, page, f"{page}/members", {"invitee": "BOB@example.com", "role": "ADMIN"}
    )
    assert invited.status_code == 303, invited.text[:2000]
    members = await api_members(app_client, host, team_id)
    assert (members["bob"]["accepted"], members["bob"]["role"]) == (False, "ADMIN")
    listing = await app_get(bob, BASE)
    assert "Invitations" in listing.text and "Sales" in listing.text
    accepted = await app_post(bob, BASE, f"{BASE}/{team_id}/accept", {})
    assert accepted.status_code == 303
    members = await api_members(app_client, host, team_id)
    assert members["bob"]["accepted"] is True
    role = await app_post(
        app_client, page, f"{page}/members/{members['bob']['id']}/role", {"role": "MEMBER"}
    )
    assert role.status_code == 303
    assert (await api_members(app_client, host, team_id))["bob"]["role"] == "MEMBER"
    shown = await app_get(app_client, page)
    assert "bob@example.com" in shown.text
    removed = await app_post(app_client, page, f"{page}/members/{members['bob']['id']}/remove", {})
    assert removed.status_code == 303
    assert "bob" not in await api_members(app_client, host, team_id)


async def test_invitation_link_and_leaving(
    app: Any, app_client: httpx2.AsyncClient, host: Host, other_host: Host, bob: httpx2.AsyncClient
) -> None:
    team_id = await create_team(app_client)
    page = f"{BASE}/{team_id}"
    made = await app_post(app_client, page, f"{page}/invite-link", {})
    assert made.status_code == 200
    match = re.search(
        r'id="invite-link">http://slotwise.test(/app/teams/invite/[0-9a-f]+)<', made.text
    )
    assert match, made.text[:3000]
    link = match.group(1)
    invitation = await app_get(bob, link)
    assert "You are invited to join the team Sales" in invitation.text
    joined = await app_post(bob, link, link, {})
    assert joined.status_code == 303
    assert [t["id"] for t in await api_teams(bob, other_host)] == [team_id]
    member_view = await app_get(bob, page)
    assert "Invite someone" not in member_view.text  # members do not manage the team
    left = await app_post(bob, page, f"{page}/leave", {})
    assert left.status_code == 303
    assert await api_teams(bob, other_host) == []
    unknown = await bob.get(f"{BASE}/invite/{'ab' * 32}")
    assert unknown.status_code == 404
    # the last owner cannot leave
    last = await app_post(app_client, page, f"{page}/leave", {})
    assert last.status_code == 400 and "at least one accepted OWNER" in last.text


async def test_team_refusals(
    app: Any, app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    empty = await app_post(app_client, BASE, BASE, {"name": ""})
    assert empty.status_code == 400 and 'id="f-name-error"' in empty.text
    team_id = await create_team(app_client)
    taken = await app_post(app_client, BASE, BASE, {"name": "Other", "slug": "sales"})
    assert taken.status_code == 400 and 'class="alert alert-error"' in taken.text
    page = f"{BASE}/{team_id}"
    nobody = await app_post(app_client, page, f"{page}/members", {"invitee": "ghost@example.com"})
    assert nobody.status_code == 400 and 'id="f-invitee-error"' in nobody.text
    forged = await app_client.post(BASE, data={"name": "Forged", "csrf_token": "no"})
    assert forged.status_code == 403
    assert [t["name"] for t in await api_teams(app_client, host)] == ["Sales"]


async def test_another_users_team_is_not_found(
    app: Any, app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    made = await app_client.post("/v2/teams", json={"name": "Bobs"}, headers=other_host.headers)
    assert made.status_code == 201
    theirs = f"{BASE}/{made.json()['data']['id']}"
    assert (await app_client.get(theirs)).status_code == 404
    for action in ("/members", "/invite-link", "/leave", "/accept", "/members/1/remove"):
        answer = await app_post(app_client, BASE, theirs + action, {"invitee": "alice"})
        assert answer.status_code == 404, action
    assert len(await api_teams(app_client, other_host)) == 1
