"""Invitation links (Cal.com's team invite ``VerificationToken``).

:func:`create_invite` (TEAM_ADMIN) issues a token of 64 hex characters valid
:data:`INVITE_TTL` (Cal.com: 7 days). :func:`accept_invite` (extension, any authenticated user)
makes the caller an accepted member: a new MEMBER membership, or their pending one accepted (its
role kept); a member already accepted gets their membership back unchanged. An unknown or
expired token is 404; the same user joining twice at once gets 409 for the second. Services
flush, never commit.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types.team_members import join_team_event_types
from slotwise.kit.clock import now
from slotwise.kit.errors import NotFound
from slotwise.kit.principal import Principal
from slotwise.models import Membership, TeamInvite
from slotwise.policy.teams import require_team_role
from slotwise.teams import repository
from slotwise.teams.memberships import MembershipWithUser
from slotwise.teams.service import flush_unique

INVITE_TTL = timedelta(days=7)
INVITE_NOT_FOUND = "Invite not found or expired"


async def create_invite(session: AsyncSession, principal: Principal, team_id: int) -> TeamInvite:
    """A new invitation link to ``team_id`` (TEAM_ADMIN; 403 otherwise)."""
    await require_team_role(session, principal, team_id, "TEAM_ADMIN")
    invite = TeamInvite(
        team_id=team_id,
        token=secrets.token_hex(32),
        expires_at=now() + INVITE_TTL,
        created_by_user_id=principal.user_id,
    )
    session.add(invite)
    await session.flush()
    return invite


async def accept_invite(
    session: AsyncSession, principal: Principal, token: str
) -> MembershipWithUser:
    """Join the team of invitation ``token`` as the caller (see the module docstring); 404 for
    an unknown or expired token."""
    invite = await session.scalar(select(TeamInvite).where(TeamInvite.token == token))
    if invite is None or invite.expires_at <= now():
        raise NotFound(INVITE_NOT_FOUND)
    user = principal.user
    membership = await repository.membership_of(session, invite.team_id, user.id)
    if membership is None:
        membership = Membership(
            team_id=invite.team_id, user_id=user.id, role="MEMBER", accepted=True
        )
        session.add(membership)
        await flush_unique(session)  # a concurrent join of the same user: 409
        await join_team_event_types(session, invite.team_id, user.id)
    elif not membership.accepted:
        membership.accepted = True
        await session.flush()
        await join_team_event_types(session, invite.team_id, user.id)
    return membership, user
