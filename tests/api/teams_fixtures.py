"""Shared helpers for team tests: users with API keys, teams and memberships made through the
API (POST /v2/teams, POST /v2/teams/{teamId}/memberships), so they follow the real rules.

Reusable by any team test (team event types, team slots and bookings, ...):

- ``await make_team(client, owner, slug="sales")`` → the team's ``TeamOutputDto`` (owner is
  OWNER, accepted);
- ``await add_member(client, team_id, by=owner, user=bob, role="ADMIN")`` → the membership;
- ``await make_team_with_roles(client, app)`` → a :class:`TeamWorld`: a team with an OWNER, an
  ADMIN, a MEMBER (all accepted), a pending member and a stranger, each a :class:`Host`;

and, for tests about something else that only need a team to exist, faster helpers that insert
through the models (no API rules checked): ``insert_team(app, owner)`` → the team's id,
``insert_member(app, team_id, user)`` → the membership's id (an accepted one joins the team's
``assignAllTeamMembers`` event types, as the API does), and ``create_team_event_type(client,
admin, team_id)`` (through the API).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count
from typing import Any

import httpx2

from slotwise.event_types.team_members import join_team_event_types
from slotwise.kit.db import Database
from slotwise.models import Membership, Team
from tests.conftest import Host, make_host

_names = count(1)


async def make_user(app: Any, username: str | None = None, time_zone: str = "UTC") -> Host:
    """A user with an API key (``username`` defaults to a fresh ``user<N>``)."""
    return await make_host(app, username or f"user{next(_names)}", time_zone)


async def make_team(
    client: httpx2.AsyncClient, owner: Host, *, name: str | None = None, **fields: Any
) -> dict[str, Any]:
    """Create a team through the API with ``owner`` as its accepted OWNER; ``fields`` go into
    the body (``slug``, ``rrResetInterval``, ...). Returns the answer's ``data``."""
    body = {"name": name or f"Team {next(_names)}", **fields}
    r = await client.post("/v2/teams", json=body, headers=owner.headers)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def add_member(
    client: httpx2.AsyncClient,
    team_id: int,
    *,
    by: Host,
    user: Host,
    role: str = "MEMBER",
    accepted: bool = True,
) -> dict[str, Any]:
    """Add ``user`` to the team as ``role`` (``by`` must be an ADMIN or OWNER). Returns the
    membership (``TeamMembershipOutput``)."""
    r = await client.post(
        f"/v2/teams/{team_id}/memberships",
        json={"userId": user.id, "role": role, "accepted": accepted},
        headers=by.headers,
    )
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


@dataclass
class TeamWorld:
    """A team with one user of each role (accepted), a pending member and a stranger;
    ``memberships`` maps ``"owner"``, ``"admin"``, ``"member"``, ``"pending"`` to their
    membership ids."""

    team_id: int
    owner: Host
    admin: Host
    member: Host
    pending: Host
    stranger: Host
    memberships: dict[str, int]

    def by_role(self, role: str) -> Host:
        """The user of ``role``: owner, admin, member, pending or stranger."""
        user: Host = getattr(self, role)
        return user


async def make_team_with_roles(
    client: httpx2.AsyncClient, app: Any, prefix: str = "t", **team_fields: Any
) -> TeamWorld:
    """A :class:`TeamWorld` whose users are ``{prefix}owner``, ``{prefix}admin``, ... ."""
    users = {r: await make_user(app, f"{prefix}{r}") for r in ("owner", "admin", "member")}
    users["pending"] = await make_user(app, f"{prefix}pending")
    stranger = await make_user(app, f"{prefix}stranger")
    team = await make_team(client, users["owner"], slug=f"{prefix}-team", **team_fields)
    team_id = team["id"]
    r = await client.get(f"/v2/teams/{team_id}/memberships", headers=users["owner"].headers)
    ids = {"owner": r.json()["data"][0]["id"]}
    for role, api_role, accepted in (
        ("admin", "ADMIN", True),
        ("member", "MEMBER", True),
        ("pending", "MEMBER", False),
    ):
        m = await add_member(
            client, team_id, by=users["owner"], user=users[role], role=api_role, accepted=accepted
        )
        ids[role] = m["id"]
    return TeamWorld(
        team_id,
        users["owner"],
        users["admin"],
        users["member"],
        users["pending"],
        stranger,
        ids,
    )


async def insert_team(
    app: Any,
    owner: Host | None,
    *,
    name: str = "Sales",
    slug: str = "sales",
    profile: dict[str, Any] | None = None,
) -> int:
    """Insert a team with ``owner`` (when given) as its accepted OWNER; returns its id."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        team = Team(name=name, slug=slug, profile=profile or {})
        session.add(team)
        await session.flush()
        if owner is not None:
            session.add(Membership(team_id=team.id, user_id=owner.id, role="OWNER", accepted=True))
        return team.id


async def insert_member(
    app: Any, team_id: int, user: Host, *, role: str = "MEMBER", accepted: bool = True
) -> int:
    """Insert ``user``'s membership of ``team_id``; an accepted one joins the team's
    ``assignAllTeamMembers`` event types, as the memberships API does. Returns its id."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        membership = Membership(team_id=team_id, user_id=user.id, role=role, accepted=accepted)
        session.add(membership)
        await session.flush()
        if accepted:
            await join_team_event_types(session, team_id, user.id)
        return membership.id


async def create_team_event_type(
    client: httpx2.AsyncClient, admin: Host, team_id: int, **body: Any
) -> Any:
    """POST a team event type (title "Demo", slug "demo", 30 minutes, round robin unless
    given) and return its ``data`` (a list for a managed one)."""
    payload = {
        "title": "Demo",
        "slug": "demo",
        "lengthInMinutes": 30,
        "schedulingType": "roundRobin",
        **body,
    }
    r = await client.post(f"/v2/teams/{team_id}/event-types", json=payload, headers=admin.headers)
    assert r.status_code == 201, r.text
    return r.json()["data"]
