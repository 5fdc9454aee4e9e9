"""Out of office of a team member, managed by the team's admins:
/v2/teams/{teamId}/users/{userId}/ooo (Cal.com's TeamsOOOController, TEAM_ADMIN).

The caller must be an accepted ADMIN or OWNER of the team (RolesGuard, 403) and ``userId`` an
accepted member (403 "IsUserInTeam - user with id=U is not a member of the team with id=T.", as
Cal.com's IsUserInTeam guard). Then the member's own out-of-office rules apply
(:mod:`slotwise.ooo.service`: 400 for bad dates or a ``toUserId`` outside the member's teams, 409
on overlap, 404 for an entry that is not the member's).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import Forbidden
from slotwise.kit.principal import Principal
from slotwise.models import OutOfOffice, User
from slotwise.ooo import service
from slotwise.ooo.repository import Direction
from slotwise.ooo.schemas import CreateOooInput, UpdateOooInput
from slotwise.policy.teams import require_team_role
from slotwise.teams import repository


async def member_of_team(
    session: AsyncSession, principal: Principal, team_id: int, user_id: int
) -> User:
    """The accepted member ``user_id`` of ``team_id``, for a caller who is a team admin;
    403 otherwise (see the module docstring)."""
    await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    membership = await repository.membership_of(session, team_id, user_id)
    user = await session.get(User, user_id) if membership and membership.accepted else None
    if user is None:
        raise Forbidden(
            f"IsUserInTeam - user with id={user_id} is not a member of the team with id={team_id}."
        )
    return user


async def list_entries(
    session: AsyncSession,
    principal: Principal,
    team_id: int,
    user_id: int,
    *,
    sort_start: Direction | None,
    sort_end: Direction | None,
    skip: int,
    take: int,
) -> Sequence[OutOfOffice]:
    """The member's entries, as GET /v2/me/ooo lists them."""
    user = await member_of_team(session, principal, team_id, user_id)
    return await service.list_entries(
        session, user, sort_start=sort_start, sort_end=sort_end, skip=skip, take=take
    )


async def create_entry(
    session: AsyncSession, principal: Principal, team_id: int, user_id: int, body: CreateOooInput
) -> OutOfOffice:
    """Create an entry for the member (their OOO hooks and webhooks run as for their own)."""
    user = await member_of_team(session, principal, team_id, user_id)
    return await service.create_entry(session, user, body)


async def update_entry(
    session: AsyncSession,
    principal: Principal,
    team_id: int,
    user_id: int,
    ooo_id: int,
    body: UpdateOooInput,
) -> OutOfOffice:
    """Change one of the member's entries (404 when it is not theirs)."""
    user = await member_of_team(session, principal, team_id, user_id)
    return await service.update_entry(session, user, ooo_id, body)


async def delete_entry(
    session: AsyncSession, principal: Principal, team_id: int, user_id: int, ooo_id: int
) -> OutOfOffice:
    """Delete one of the member's entries and return it (404 when it is not theirs)."""
    user = await member_of_team(session, principal, team_id, user_id)
    return await service.delete_entry(session, user, ooo_id)
