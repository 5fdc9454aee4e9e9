"""GET /v2/teams/{teamId}/schedules: the schedules of the team's accepted members (TEAM_ADMIN, as
Cal.com's TeamsSchedulesController), by schedule id, ``skip``/``take`` paged."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.principal import Principal
from slotwise.models import Membership, Schedule, User
from slotwise.policy.teams import require_team_role


async def team_schedules(
    session: AsyncSession, principal: Principal, team_id: int, *, skip: int = 0, take: int = 250
) -> Sequence[tuple[Schedule, int | None]]:
    """``(schedule, its owner's default schedule id)`` for every schedule of an accepted member
    of ``team_id`` (403 below TEAM_ADMIN)."""
    await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    query = (
        select(Schedule, User.default_schedule_id)
        .join(User, User.id == Schedule.user_id)
        .join(Membership, Membership.user_id == Schedule.user_id)
        .where(Membership.team_id == team_id, Membership.accepted.is_(True))
        .order_by(Schedule.id)
        .offset(skip)
        .limit(take)
    )
    return [(s, d) for s, d in (await session.execute(query)).all()]
