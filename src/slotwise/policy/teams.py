"""Teams: who may read or manage a team and what belongs to it, as Cal.com's ``RolesGuard``.

Every team operation names a minimum role (``TEAM_MEMBER`` < ``TEAM_ADMIN`` < ``TEAM_OWNER``):

- the caller has no accepted membership of the team, or the team does not exist → 403
  "RolesGuard - User is not a member of the team with id=<teamId>." (the same answer for both,
  so team ids cannot be probed);
- the caller's role is below the minimum → 403 "RolesGuard - user with id=<userId> does not have
  the minimum required role=<ROLE> within team with id=<teamId>.".

Cal.com's guard also lets a membership that is not yet accepted through; Slotwise does not (a
pending membership gives no access). The role matrix per operation is in docs/api.md.
Team services take the team id and the caller, never a URL: organizations will call them with
their own prefix.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import Forbidden, NotFound
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import EventType, Membership

TeamRole = Literal["TEAM_MEMBER", "TEAM_ADMIN", "TEAM_OWNER"]
"""A guard's minimum role."""

_RANK = {"MEMBER": 0, "ADMIN": 1, "OWNER": 2}
_MINIMUM = {"TEAM_MEMBER": 0, "TEAM_ADMIN": 1, "TEAM_OWNER": 2}


def role_at_least(role: str, minimum: TeamRole) -> bool:
    """True when membership role ``role`` (MEMBER/ADMIN/OWNER) is at least ``minimum``."""
    return _RANK.get(role, -1) >= _MINIMUM[minimum]


async def team_membership(
    session: AsyncSession, actor: Actor | None, team_id: int
) -> Membership | None:
    """``actor``'s accepted membership of team ``team_id``, or None."""
    principal = principal_of(actor)
    if principal is None:
        return None
    return await session.scalar(
        select(Membership).where(
            Membership.team_id == team_id,
            Membership.user_id == principal.user_id,
            Membership.accepted.is_(True),
        )
    )


async def require_team_role(
    session: AsyncSession, actor: Actor, team_id: int, minimum: TeamRole
) -> Membership:
    """``actor``'s accepted membership of ``team_id`` when its role is at least ``minimum``;
    otherwise 403 with Cal.com's RolesGuard message (see the module docstring)."""
    membership = await team_membership(session, actor, team_id)
    if membership is None:
        raise Forbidden(f"RolesGuard - User is not a member of the team with id={team_id}.")
    if not role_at_least(membership.role, minimum):
        principal = principal_of(actor)
        assert principal is not None
        raise Forbidden(
            f"RolesGuard - user with id={principal.user_id} does not have the minimum required "
            f"role={minimum} within team with id={team_id}."
        )
    return membership


async def manages_team(session: AsyncSession, actor: Actor | None, team_id: int | None) -> bool:
    """True when ``actor`` is an accepted ADMIN or OWNER of ``team_id`` (None: no team)."""
    if team_id is None:
        return False
    membership = await team_membership(session, actor, team_id)
    return membership is not None and role_at_least(membership.role, "TEAM_ADMIN")


def accepted_team_ids(actor: Actor, *, minimum: TeamRole = "TEAM_MEMBER") -> ColumnElement[bool]:
    """WHERE clause on ``Membership``: the caller's accepted memberships with at least
    ``minimum``; select ``Membership.team_id`` with it for the teams the caller may see."""
    principal = principal_of(actor)
    assert principal is not None
    roles = [role for role, rank in _RANK.items() if rank >= _MINIMUM[minimum]]
    return (
        (Membership.user_id == principal.user_id)
        & Membership.accepted.is_(True)
        & Membership.role.in_(roles)
    )


async def team_event_type(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int, minimum: TeamRole
) -> EventType:
    """The event type ``event_type_id`` of team ``team_id`` when ``actor`` holds at least
    ``minimum`` there (else 403, :func:`require_team_role`); 404 "Event type with id N not
    found" when the team has no such event type."""
    await require_team_role(session, actor, team_id, minimum)
    event_type = await session.scalar(
        select(EventType).where(EventType.id == event_type_id, EventType.team_id == team_id)
    )
    if event_type is None:
        raise NotFound(f"Event type with id {event_type_id} not found")
    return event_type
