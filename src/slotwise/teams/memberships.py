"""Membership rules (Cal.com's TeamsMembershipsController, TEAM_ADMIN for every operation).

- Create: the user must exist (400 "Invalid input: The referenced data does not exist.", Cal.com's
  foreign-key answer); a second membership of the same user is 409 (Cal.com's unique-constraint
  answer). ``accepted: true`` makes the user a member at once.
- Only an OWNER may give the OWNER role, change an OWNER's role or remove an OWNER (403, Cal.com's
  rule for awarding the owner role); the team's last accepted OWNER cannot be removed, demoted or
  set back to pending (400).
- A membership becoming accepted calls :func:`join_team_event_types`; one deleted or set back to
  pending calls :func:`leave_team_event_types`, in the same transaction.
- :func:`accept_membership` (extension): the membership's own user accepts it.

Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types.team_members import join_team_event_types, leave_team_event_types
from slotwise.kit.errors import BadRequest, Conflict, Forbidden, NotFound
from slotwise.kit.principal import Principal
from slotwise.models import Membership, Team, User
from slotwise.policy.teams import require_team_role
from slotwise.teams import repository
from slotwise.teams.schemas import CreateMembershipInput, UpdateMembershipInput
from slotwise.teams.service import ALREADY_EXISTS, flush_unique

NO_SUCH_USER = "Invalid input: The referenced data does not exist."
"""Cal.com's message for a foreign-key failure (an unknown ``userId``)."""
OWNER_ONLY = "Only a team OWNER can give the OWNER role, or change or remove an OWNER."
LAST_OWNER = (
    "The team must keep at least one accepted OWNER: make another member OWNER first "
    "(team id={team_id})."
)

MembershipWithUser = tuple[Membership, User]


def _not_found(team_id: int, membership_id: int) -> NotFound:
    return NotFound(f"Membership with id {membership_id} not found in team {team_id}")


async def _found(session: AsyncSession, team_id: int, membership_id: int) -> MembershipWithUser:
    found = await repository.membership_with_user(session, team_id, membership_id)
    if found is None:
        raise _not_found(team_id, membership_id)
    return found


async def _keep_an_owner(session: AsyncSession, membership: Membership) -> None:
    """400 when ``membership`` is the team's last accepted OWNER (counted under the team's row
    lock, so two concurrent demotions cannot both pass)."""
    if membership.role != "OWNER" or not membership.accepted:
        return
    await repository.lock_team(session, membership.team_id)
    if await repository.accepted_owner_count(session, membership.team_id) <= 1:
        raise BadRequest(LAST_OWNER.format(team_id=membership.team_id))


async def create_membership(
    session: AsyncSession, principal: Principal, team_id: int, body: CreateMembershipInput
) -> MembershipWithUser:
    """Add ``body.userId`` to the team (TEAM_ADMIN; OWNER role only by an OWNER); see the
    module docstring for the errors."""
    caller = await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    role = body.role or "MEMBER"
    if role == "OWNER" and caller.role != "OWNER":
        raise Forbidden(OWNER_ONLY)
    user = await session.get(User, body.userId)
    if user is None:
        raise BadRequest(NO_SUCH_USER)
    if await repository.membership_of(session, team_id, user.id) is not None:
        raise Conflict(ALREADY_EXISTS)
    membership = Membership(
        team_id=team_id,
        user_id=user.id,
        role=role,
        accepted=bool(body.accepted),
        disable_impersonation=bool(body.disableImpersonation),
    )
    session.add(membership)
    await flush_unique(session)
    if membership.accepted:
        await join_team_event_types(session, team_id, user.id)
    return membership, user


async def list_memberships(
    session: AsyncSession,
    principal: Principal,
    team_id: int,
    *,
    emails: Sequence[str] = (),
    skip: int = 0,
    take: int = 250,
) -> Sequence[MembershipWithUser]:
    """The team's memberships (TEAM_ADMIN), by id, paged, filtered by user emails."""
    await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    return await repository.memberships_with_users(
        session, team_id, emails=emails, skip=skip, take=take
    )


async def get_membership(
    session: AsyncSession, principal: Principal, team_id: int, membership_id: int
) -> MembershipWithUser:
    """One membership of the team (TEAM_ADMIN); 404 when the team has no such membership."""
    await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    return await _found(session, team_id, membership_id)


async def update_membership(
    session: AsyncSession,
    principal: Principal,
    team_id: int,
    membership_id: int,
    body: UpdateMembershipInput,
) -> MembershipWithUser:
    """Change ``accepted``, ``role`` or ``disableImpersonation`` (TEAM_ADMIN); see the module
    docstring for the OWNER rules and the event-type hooks."""
    caller = await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    membership, user = await _found(session, team_id, membership_id)
    fields = body.model_dump(exclude_unset=True)
    role = fields.get("role", membership.role)
    accepted = fields.get("accepted", membership.accepted)
    owner_change = role != membership.role and "OWNER" in (role, membership.role)
    if owner_change and caller.role != "OWNER":
        raise Forbidden(OWNER_ONLY)
    if role != "OWNER" or not accepted:
        await _keep_an_owner(session, membership)
    was_accepted = bool(membership.accepted)
    membership.role = role
    membership.accepted = bool(accepted)
    if "disableImpersonation" in fields:
        membership.disable_impersonation = fields["disableImpersonation"]
    await session.flush()
    if membership.accepted and not was_accepted:
        await join_team_event_types(session, team_id, user.id)
    elif was_accepted and not membership.accepted:
        await leave_team_event_types(session, team_id, user.id)
    return membership, user


async def delete_membership(
    session: AsyncSession, principal: Principal, team_id: int, membership_id: int
) -> MembershipWithUser:
    """Remove a membership (TEAM_ADMIN; an OWNER's only by an OWNER; never the last accepted
    OWNER); the user stops hosting the team's event types. Returns the deleted membership."""
    caller = await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    membership, user = await _found(session, team_id, membership_id)
    if membership.role == "OWNER" and caller.role != "OWNER":
        raise Forbidden(OWNER_ONLY)
    await _keep_an_owner(session, membership)
    await session.delete(membership)
    await session.flush()
    await leave_team_event_types(session, team_id, user.id)
    return membership, user


async def accept_membership(
    session: AsyncSession, principal: Principal, team_id: int, membership_id: int
) -> MembershipWithUser:
    """The caller accepts their own membership ``membership_id`` of ``team_id`` (extension);
    404 when it is not theirs or does not exist. Accepting twice changes nothing."""
    found = await repository.membership_with_user(session, team_id, membership_id)
    if found is None or found[0].user_id != principal.user_id:
        raise _not_found(team_id, membership_id)
    membership, user = found
    if not membership.accepted:
        membership.accepted = True
        await session.flush()
        await join_team_event_types(session, team_id, user.id)
    return membership, user


async def my_memberships(
    session: AsyncSession, principal: Principal
) -> Sequence[tuple[Membership, Team]]:
    """The caller's own memberships (accepted and pending) with their teams, by team id."""
    return await repository.memberships_of_user(session, principal.user_id)


async def leave_team(session: AsyncSession, principal: Principal, team_id: int) -> Membership:
    """The caller leaves ``team_id`` (or declines its pending invitation): their membership is
    deleted and they stop hosting the team's event types; never the team's last accepted
    OWNER (400); 404 without a membership. Returns the deleted membership."""
    membership = await repository.membership_of(session, team_id, principal.user_id)
    if membership is None:
        raise NotFound(f"You are not a member of the team with id={team_id}")
    await _keep_an_owner(session, membership)
    was_accepted = membership.accepted
    await session.delete(membership)
    await session.flush()
    if was_accepted:
        await leave_team_event_types(session, team_id, principal.user_id)
    return membership
