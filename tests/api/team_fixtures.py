"""Teams for tests, inserted through the models (the teams API lands separately): a team, its
memberships, and the headers of the team event types API."""

from __future__ import annotations

from typing import Any

import httpx2

from slotwise.event_types.team_members import join_team_event_types
from slotwise.kit.db import Database
from slotwise.models import Membership, Team
from tests.conftest import Host


async def make_team(
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


async def add_member(
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
