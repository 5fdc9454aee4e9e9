"""Helpers for the team and dynamic-group page tests: a team ``sales`` ("Sales Team") whose
accepted members are ``alice`` ("Alice Host", Mon–Fri 09:00–17:00 UTC) and ``bob`` ("Bob
Host", Mon–Fri 13:00–17:00 UTC), with team event types inserted through the models (team_id
set, user_id NULL, scheduling_type, one Host row per host). Dates are in 2050 (2050-09-05 is a
Monday)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slotwise.kit.db import Database
from slotwise.models import EventType, Host, Membership, Team
from tests.api.booking_fixtures import WEEKDAYS, give_schedule
from tests.conftest import Host as TestUser
from tests.conftest import make_host

MONTH = "2050-09"
MONDAY = "2050-09-05"
MORNING = "2050-09-05T10:00:00.000Z"  # only alice is free
AFTERNOON = "2050-09-05T14:00:00.000Z"  # both are free


@dataclass
class TeamWorld:
    """The team, its members and a user outside it."""

    team_id: int
    alice: TestUser
    bob: TestUser
    carol: TestUser


async def make_team(
    app: Any, *, slug: str = "sales", name: str = "Sales Team", **profile: Any
) -> TeamWorld:
    """Users alice, bob (accepted members of team ``slug``) and carol (not a member), each with
    a default schedule; ``profile``: the team's presentation fields (bio, isPrivate, …)."""
    alice = await make_host(app, "alice")
    bob = await make_host(app, "bob")
    carol = await make_host(app, "carol")
    await give_schedule(app, alice, name="Alice Host")
    afternoons = [{"days": WEEKDAYS, "startTime": "13:00", "endTime": "17:00"}]
    await give_schedule(app, bob, name="Bob Host", availability=afternoons)
    await give_schedule(app, carol, name="Carol Outsider")
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        team = Team(name=name, slug=slug, profile=profile)
        session.add(team)
        await session.flush()
        for user, role in ((alice, "OWNER"), (bob, "MEMBER")):
            session.add(Membership(team_id=team.id, user_id=user.id, role=role, accepted=True))
        await session.flush()
        return TeamWorld(team.id, alice, bob, carol)


async def make_team_event_type(
    app: Any,
    team_id: int,
    hosts: list[TestUser],
    *,
    slug: str,
    scheduling_type: str,
    title: str | None = None,
    length: int = 30,
    hidden: bool = False,
    **config: Any,
) -> int:
    """Insert a team event type (``scheduling_type``: collective, roundRobin or managed) with
    ``hosts`` (not mandatory for round robin, mandatory for collective); minimum notice 0
    unless given in ``config``."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        event_type = EventType(
            user_id=None,
            team_id=team_id,
            scheduling_type=scheduling_type,
            slug=slug,
            title=title or slug.title(),
            length=length,
            hidden=hidden,
            config={"minimumBookingNotice": 0, **config},
        )
        session.add(event_type)
        await session.flush()
        for user in hosts:
            session.add(
                Host(
                    event_type_id=event_type.id,
                    user_id=user.id,
                    mandatory=scheduling_type == "collective",
                )
            )
        await session.flush()
        return event_type.id


def url(path: str, **params: str) -> str:
    """``path`` with the tests' month, UTC and ``params`` as its query."""
    query = {"month": MONTH, "timeZone": "UTC", **params}
    return path + "?" + "&".join(f"{k}={v}" for k, v in query.items())


BOOKER_FORM = {"name": "Ann Booker", "email": "ann@example.com"}
