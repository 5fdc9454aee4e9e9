"""Team memberships (/v2/teams/{teamId}/memberships), invitation links and the accept
extensions, and out-of-office forwarding to co-members, on both databases.

Cal.com's guards: TEAM_ADMIN for every membership operation and the invite link; only an OWNER
gives, changes or removes the OWNER role; the last accepted OWNER stays; an accepted membership
makes its user a host of the ``assignAllTeamMembers`` event types, a deleted one removes them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx2
from sqlalchemy import select, update

from slotwise.kit.clock import now
from slotwise.models import EventType, Membership, TeamInvite
from slotwise.models import Host as HostRow
from tests.api.teams_fixtures import add_member, make_team, make_team_with_roles, make_user
from tests.conftest import Host


def _url(team_id: int, membership_id: int | None = None) -> str:
    base = f"/v2/teams/{team_id}/memberships"
    return base if membership_id is None else f"{base}/{membership_id}"


async def test_create_membership_shape_and_errors(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    bob = await make_user(app, "bob")
    team = await make_team(client, host)
    r = await client.post(
        _url(team["id"]),
        json={"userId": bob.id, "role": "ADMIN", "disableImpersonation": True},
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    m = r.json()["data"]
    assert m["userId"] == bob.id and m["teamId"] == team["id"]
    assert m["role"] == "ADMIN" and m["accepted"] is False  # Cal.com's default
    assert m["disableImpersonation"] is True
    assert m["user"] == {
        "email": "bob@example.com",
        "username": "bob",
        "name": "bob",
        "metadata": {},
    }
    again = await client.post(_url(team["id"]), json={"userId": bob.id}, headers=host.headers)
    assert again.status_code == 409
    unknown = await client.post(_url(team["id"]), json={"userId": 424242}, headers=host.headers)
    assert unknown.status_code == 400
    assert unknown.json()["error"]["message"] == (
        "Invalid input: The referenced data does not exist."
    )
    for bad in ({}, {"userId": bob.id, "role": "KING"}, {"userId": "x"}, {"userId": 0}):
        r = await client.post(_url(team["id"]), json=bad, headers=host.headers)
        assert r.status_code == 400, (bad, r.text)


async def test_roles_on_memberships(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    carol = await make_user(app, "carol")
    member_url = _url(w.team_id, w.memberships["member"])
    # Members cannot manage memberships: the guard's role message.
    for method, url, body in (
        ("GET", _url(w.team_id), None),
        ("POST", _url(w.team_id), {"userId": carol.id}),
        ("GET", member_url, None),
        ("PATCH", member_url, {"role": "ADMIN"}),
        ("DELETE", member_url, None),
        ("POST", f"/v2/teams/{w.team_id}/invite", None),
    ):
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        r = await client.request(method, url, headers=w.member.headers, **kwargs)
        assert r.status_code == 403, (method, url, r.text)
        assert "minimum required role=TEAM_ADMIN" in r.json()["error"]["message"]
        r = await client.request(method, url, headers=w.stranger.headers, **kwargs)
        assert r.status_code == 403
        assert "is not a member of the team" in r.json()["error"]["message"]
    # An admin manages members but not the OWNER role.
    r = await client.post(
        _url(w.team_id), json={"userId": carol.id, "role": "OWNER"}, headers=w.admin.headers
    )
    assert r.status_code == 403
    r = await client.patch(member_url, json={"role": "OWNER"}, headers=w.admin.headers)
    assert r.status_code == 403
    owner_url = _url(w.team_id, w.memberships["owner"])
    r = await client.patch(owner_url, json={"role": "MEMBER"}, headers=w.admin.headers)
    assert r.status_code == 403
    assert (await client.delete(owner_url, headers=w.admin.headers)).status_code == 403
    r = await client.patch(member_url, json={"role": "ADMIN"}, headers=w.admin.headers)
    assert r.status_code == 200 and r.json()["data"]["role"] == "ADMIN"
    r = await client.post(_url(w.team_id), json={"userId": carol.id}, headers=w.admin.headers)
    assert r.status_code == 201
    # The owner may give the OWNER role.
    r = await client.patch(member_url, json={"role": "OWNER"}, headers=w.owner.headers)
    assert r.status_code == 200 and r.json()["data"]["role"] == "OWNER"


async def test_list_get_and_filters(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    r = await client.get(_url(w.team_id), headers=w.admin.headers)
    assert r.status_code == 200
    assert [m["id"] for m in r.json()["data"]] == sorted(w.memberships.values())
    r = await client.get(_url(w.team_id), params={"take": 2, "skip": 1}, headers=w.admin.headers)
    assert [m["id"] for m in r.json()["data"]] == sorted(w.memberships.values())[1:3]
    r = await client.get(
        _url(w.team_id),
        params={"emails": f"{w.member.email.upper()},{w.pending.email}"},
        headers=w.admin.headers,
    )
    assert {m["userId"] for m in r.json()["data"]} == {w.member.id, w.pending.id}
    many = ",".join(f"u{i}@example.com" for i in range(21))
    r = await client.get(_url(w.team_id), params={"emails": many}, headers=w.admin.headers)
    assert r.status_code == 400
    for params in ({"take": 0}, {"take": 251}, {"skip": -1}):
        r = await client.get(_url(w.team_id), params=params, headers=w.admin.headers)
        assert r.status_code == 400, params
    r = await client.get(_url(w.team_id, w.memberships["pending"]), headers=w.admin.headers)
    assert r.status_code == 200 and r.json()["data"]["accepted"] is False
    # A membership of another team is not found through this team.
    other = await make_team(client, w.admin)
    r = await client.get(_url(other["id"]), headers=w.admin.headers)
    theirs = r.json()["data"][0]["id"]
    r = await client.get(_url(w.team_id, theirs), headers=w.admin.headers)
    assert r.status_code == 404
    assert (await client.get(_url(w.team_id, 999999), headers=w.admin.headers)).status_code == 404


async def test_last_owner_stays(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    owner_url = _url(w.team_id, w.memberships["owner"])
    for method, body in (
        ("PATCH", {"role": "ADMIN"}),
        ("PATCH", {"accepted": False}),
        ("DELETE", None),
    ):
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        r = await client.request(method, owner_url, headers=w.owner.headers, **kwargs)
        assert r.status_code == 400, (method, body, r.text)
        assert "at least one accepted OWNER" in r.json()["error"]["message"]
    # A pending OWNER does not count.
    r = await client.patch(
        _url(w.team_id, w.memberships["pending"]), json={"role": "OWNER"}, headers=w.owner.headers
    )
    assert r.status_code == 200
    r = await client.delete(owner_url, headers=w.owner.headers)
    assert r.status_code == 400
    # With a second accepted OWNER, the first may step down and leave.
    r = await client.patch(
        _url(w.team_id, w.memberships["admin"]), json={"role": "OWNER"}, headers=w.owner.headers
    )
    assert r.status_code == 200
    r = await client.patch(owner_url, json={"role": "MEMBER"}, headers=w.owner.headers)
    assert r.status_code == 200 and r.json()["data"]["role"] == "MEMBER"
    r = await client.delete(_url(w.team_id, w.memberships["member"]), headers=w.admin.headers)
    assert r.status_code == 200 and r.json()["data"]["userId"] == w.member.id
    assert (await client.get(f"/v2/teams/{w.team_id}", headers=w.member.headers)).status_code == 403


async def _team_event_types(app: Any, team_id: int, owner_id: int) -> tuple[int, int]:
    """An ``assignAllTeamMembers`` round-robin event type and a managed parent with a child
    for ``owner_id``."""
    async with app.state.db.write_sessions() as session, session.begin():
        rr = EventType(
            team_id=team_id,
            slug="rr",
            title="RR",
            length=30,
            scheduling_type="roundRobin",
            config={"assignAllTeamMembers": True},
        )
        managed = EventType(
            team_id=team_id, slug="managed", title="M", length=30, scheduling_type="managed"
        )
        session.add_all([rr, managed])
        await session.flush()
        return rr.id, managed.id


async def _hosts(app: Any, event_type_id: int) -> set[int]:
    async with app.state.db.read_sessions() as session:
        rows = await session.scalars(
            select(HostRow.user_id).where(HostRow.event_type_id == event_type_id)
        )
        return set(rows)


async def test_membership_changes_keep_event_types_in_step(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    team = await make_team(client, host)
    rr, managed = await _team_event_types(app, team["id"], host.id)
    bob = await make_user(app, "bob")
    carol = await make_user(app, "carol")
    pending = await add_member(client, team["id"], by=host, user=bob, accepted=False)
    assert await _hosts(app, rr) == set()  # a pending member never hosts
    r = await client.patch(
        _url(team["id"], pending["id"]), json={"accepted": True}, headers=host.headers
    )
    assert r.status_code == 200
    assert await _hosts(app, rr) == {bob.id}
    accepted = await add_member(client, team["id"], by=host, user=carol)
    assert await _hosts(app, rr) == {bob.id, carol.id}
    # Carol's managed child goes with her membership; her bookings would stay.
    async with app.state.db.write_sessions() as session, session.begin():
        session.add(
            EventType(user_id=carol.id, parent_id=managed, slug="managed", title="M", length=30)
        )
    r = await client.delete(_url(team["id"], accepted["id"]), headers=host.headers)
    assert r.status_code == 200
    assert await _hosts(app, rr) == {bob.id}
    async with app.state.db.read_sessions() as session:
        children = await session.scalars(select(EventType).where(EventType.parent_id == managed))
        assert list(children) == []
    # Back to pending: no longer a host.
    r = await client.patch(
        _url(team["id"], pending["id"]), json={"accepted": False}, headers=host.headers
    )
    assert r.status_code == 200
    assert await _hosts(app, rr) == set()


async def test_accept_own_membership(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    accept = f"{_url(w.team_id, w.memberships['pending'])}/accept"
    assert (
        await client.get(f"/v2/teams/{w.team_id}", headers=w.pending.headers)
    ).status_code == 403
    # Only the membership's own user may accept it; others: not found.
    for user in (w.owner, w.stranger):
        assert (await client.post(accept, headers=user.headers)).status_code == 404
    missing = await client.post(f"{_url(w.team_id, 999999)}/accept", headers=w.pending.headers)
    assert missing.status_code == 404
    assert (await client.post(accept)).status_code == 401
    r = await client.post(accept, headers=w.pending.headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["accepted"] is True and r.json()["data"]["role"] == "MEMBER"
    assert (await client.post(accept, headers=w.pending.headers)).status_code == 200
    assert (
        await client.get(f"/v2/teams/{w.team_id}", headers=w.pending.headers)
    ).status_code == 200


async def test_invite_link_and_join(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    r = await client.post(f"/v2/teams/{w.team_id}/invite", headers=w.admin.headers)
    assert r.status_code == 200, r.text
    token = r.json()["data"]["token"]
    assert len(token) == 64
    assert r.json()["data"]["inviteLink"] == f"http://slotwise.test/app/teams/invite/{token}"
    join = f"/v2/teams/invites/{token}/accept"
    assert (await client.post(join)).status_code == 401
    r = await client.post(join, headers=w.stranger.headers)
    assert r.status_code == 200, r.text
    joined = r.json()["data"]
    assert (joined["userId"], joined["role"], joined["accepted"]) == (
        w.stranger.id,
        "MEMBER",
        True,
    )
    assert (
        await client.get(f"/v2/teams/{w.team_id}", headers=w.stranger.headers)
    ).status_code == 200
    # A pending member accepts through the link too (their membership, not a second one).
    r = await client.post(join, headers=w.pending.headers)
    assert r.json()["data"]["id"] == w.memberships["pending"]
    assert r.json()["data"]["accepted"] is True
    # An admin joining again keeps their role.
    r = await client.post(join, headers=w.admin.headers)
    assert r.json()["data"]["role"] == "ADMIN"
    # Unknown, malformed and expired tokens.
    assert (
        await client.post(f"/v2/teams/invites/{'0' * 64}/accept", headers=w.stranger.headers)
    ).status_code == 404
    assert (
        await client.post("/v2/teams/invites/NOT-HEX/accept", headers=w.stranger.headers)
    ).status_code == 400
    async with app.state.db.write_sessions() as session, session.begin():
        await session.execute(update(TeamInvite).values(expires_at=now() - timedelta(seconds=1)))
    late = await make_user(app, "late")
    r = await client.post(join, headers=late.headers)
    assert r.status_code == 404
    async with app.state.db.read_sessions() as session:
        assert await session.scalar(select(Membership).where(Membership.user_id == late.id)) is None


async def test_ooo_forwarding_to_co_members(client: httpx2.AsyncClient, app: Any) -> None:
    w = await make_team_with_roles(client, app)
    entry = {"start": "2050-09-06T00:00:00.000Z", "end": "2050-09-07T00:00:00.000Z"}
    r = await client.post(
        "/v2/me/ooo", json={**entry, "toUserId": w.admin.id}, headers=w.member.headers
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["toUserId"] == w.admin.id
    refused = []
    for target in (w.pending, w.stranger):  # a pending co-member, someone outside the team
        later = {"start": "2050-10-06T00:00:00.000Z", "end": "2050-10-07T00:00:00.000Z"}
        r = await client.post(
            "/v2/me/ooo", json={**later, "toUserId": target.id}, headers=w.member.headers
        )
        refused.append(r)
    assert [x.status_code for x in refused] == [400, 400]
    # The stranger may not forward to a member either.
    r = await client.post(
        "/v2/me/ooo", json={**entry, "toUserId": w.member.id}, headers=w.stranger.headers
    )
    assert r.status_code == 400


async def test_concurrent_demotions_keep_an_owner(client: httpx2.AsyncClient, app: Any) -> None:
    """Two OWNERs each demoting the other at the same time: one succeeds, the other is refused,
    and the team keeps an accepted OWNER (the owner check runs under the team's row lock)."""
    w = await make_team_with_roles(client, app)
    r = await client.patch(
        _url(w.team_id, w.memberships["admin"]), json={"role": "OWNER"}, headers=w.owner.headers
    )
    assert r.status_code == 200
    answers = await asyncio.gather(
        client.patch(
            _url(w.team_id, w.memberships["admin"]),
            json={"role": "MEMBER"},
            headers=w.owner.headers,
        ),
        client.patch(
            _url(w.team_id, w.memberships["owner"]),
            json={"role": "MEMBER"},
            headers=w.admin.headers,
        ),
    )
    assert sorted(a.status_code for a in answers) in ([200, 400], [200, 403]), [
        a.text for a in answers
    ]
    async with app.state.db.read_sessions() as session:
        owners = await session.scalars(
            select(Membership).where(
                Membership.team_id == w.team_id,
                Membership.role == "OWNER",
                Membership.accepted.is_(True),
            )
        )
        assert len(list(owners)) == 1
