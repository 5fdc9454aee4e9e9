"""Teams for scheduling tests, inserted through the models (no dependency on the teams and team
event types endpoints): a team with memberships, a team-owned event type (``team_id`` set,
``user_id`` NULL) with its host rows. 2050-09-05 is a Monday."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slotwise.kit.db import Database
from slotwise.models import EventType, Membership, Team
from slotwise.models import Host as HostRow
from tests.conftest import Host


@dataclass(frozen=True)
class Member:
    """A host row to insert: the user, ``mandatory`` (fixed), ``priority`` (0–4), ``weight``,
    round-robin ``group`` and their own ``schedule_id``."""

    user: Host
    mandatory: bool = False
    priority: int = 2
    weight: int = 100
    group: str | None = None
    schedule_id: int | None = None


async def make_team(
    app: Any,
    slug: str,
    members: list[tuple[Host, str, bool]],
    **fields: Any,
) -> int:
    """Insert a team ``slug`` with a membership per ``(user, role, accepted)``; ``fields`` are
    other ``Team`` columns (booking_limits, rr_reset_interval, …). Returns its id."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        team = Team(name=slug.title(), slug=slug, **fields)
        session.add(team)
        await session.flush()
        for user, role, accepted in members:
            session.add(Membership(team_id=team.id, user_id=user.id, role=role, accepted=accepted))
        return team.id


async def make_team_event_type(
    app: Any,
    team_id: int,
    scheduling_type: str,
    hosts: list[Member],
    *,
    slug: str = "team-call",
    length: int = 30,
    notice: int = 0,
    **config: Any,
) -> int:
    """Insert a team event type (no owner) with ``scheduling_type`` (collective, roundRobin,
    managed) and a host row per :class:`Member`; ``config`` uses Cal.com's field names."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        event_type = EventType(
            user_id=None,
            team_id=team_id,
            scheduling_type=scheduling_type,
            slug=slug,
            title=slug.replace("-", " ").title(),
            length=length,
            config={"minimumBookingNotice": notice, **config},
        )
        session.add(event_type)
        await session.flush()
        for m in hosts:
            session.add(
                HostRow(
                    event_type_id=event_type.id,
                    user_id=m.user.id,
                    mandatory=m.mandatory,
                    priority=m.priority,
                    weight=m.weight,
                    group_id=m.group,
                    schedule_id=m.schedule_id,
                )
            )
        return event_type.id


async def team_of(app: Any, slug: str, *users: Host, role: str = "MEMBER") -> int:
    """A team ``slug`` whose ``users`` are accepted members (the first one OWNER)."""
    return await make_team(
        app, slug, [(u, "OWNER" if i == 0 else role, True) for i, u in enumerate(users)]
    )
