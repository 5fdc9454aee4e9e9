"""Team rules: create, list, read, update and delete teams (Cal.com's TeamsController).

Who may: any authenticated user creates a team and lists their own; TEAM_MEMBER reads a team;
TEAM_OWNER updates and deletes it (:mod:`slotwise.policy.teams` answers 403 otherwise, the same
for a missing team). Errors: 400 "You already have created a team with name=…" when the caller
already belongs to a team of that name (Cal.com's rule); 409 "Invalid Input: Trying to create a
record that already exists." when the slug is taken (Cal.com's unique-constraint answer).
Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types.service import slugify
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.kit.principal import Principal
from slotwise.models import Membership, Team
from slotwise.policy.teams import require_team_role
from slotwise.teams import repository
from slotwise.teams.schemas import PROFILE_FIELDS, CreateTeamInput, UpdateTeamInput

ALREADY_EXISTS = "Invalid Input: Trying to create a record that already exists."
"""Cal.com's message for a unique-constraint failure (its Prisma exception filter, 409)."""


def _slug(value: str) -> str:
    slug = slugify(value)
    if not slug:
        raise BadRequest("slug: must contain at least one letter or digit")
    return slug


async def flush_unique(session: AsyncSession) -> None:
    """Flush; a unique-constraint failure (a concurrent request took the slug or the
    membership first) is Cal.com's 409."""
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(ALREADY_EXISTS) from exc


def _apply_profile(team: Team, fields: dict[str, Any]) -> None:
    profile = dict(team.profile or {})
    for key in PROFILE_FIELDS:
        if key in fields:
            profile[key] = fields[key]
    team.profile = profile


async def create_team(session: AsyncSession, principal: Principal, body: CreateTeamInput) -> Team:
    """Create a team; the caller becomes its OWNER, accepted unless ``autoAcceptCreator`` is
    false. 400 for a second team of the same name, 409 for a taken slug."""
    slug = _slug(body.slug if body.slug is not None else body.name)
    if await repository.has_team_named(session, principal.user_id, body.name):
        raise BadRequest(f"You already have created a team with name={body.name}")
    if await repository.slug_taken(session, slug):
        raise Conflict(ALREADY_EXISTS)
    fields = body.model_dump(exclude_unset=True)
    team = Team(
        name=body.name,
        slug=slug,
        profile={},
        rr_reset_interval=body.rrResetInterval or "MONTH",
        rr_timestamp_basis=body.rrTimestampBasis or "CREATED_AT",
    )
    _apply_profile(team, fields)
    session.add(team)
    await flush_unique(session)
    accepted = body.autoAcceptCreator is not False
    session.add(
        Membership(team_id=team.id, user_id=principal.user_id, role="OWNER", accepted=accepted)
    )
    await session.flush()
    return team


async def list_teams(session: AsyncSession, principal: Principal) -> Sequence[Team]:
    """The teams the caller has a membership of, accepted or pending (as Cal.com: a pending
    member sees the team it was invited to), by id."""
    return await repository.teams_of_user(session, principal.user_id)


async def _team(session: AsyncSession, team_id: int) -> Team:
    team = await session.get(Team, team_id)
    assert team is not None  # the guard answered 403 for a missing team
    return team


async def get_team(session: AsyncSession, principal: Principal, team_id: int) -> Team:
    """Team ``team_id`` for an accepted member (403 otherwise)."""
    await require_team_role(session, principal, team_id, "TEAM_MEMBER")
    return await _team(session, team_id)


async def update_team(
    session: AsyncSession, principal: Principal, team_id: int, body: UpdateTeamInput
) -> Team:
    """Change the fields given (TEAM_OWNER; 403 otherwise); 409 for a taken slug.
    ``bookingLimits: null`` (or ``{}``) removes the limits."""
    await require_team_role(session, principal, team_id, "TEAM_OWNER")
    team = await _team(session, team_id)
    fields = body.model_dump(exclude_unset=True)
    if "name" in fields:
        team.name = fields["name"]
    if "slug" in fields:
        slug = _slug(fields["slug"])
        if await repository.slug_taken(session, slug, exclude_team_id=team.id):
            raise Conflict(ALREADY_EXISTS)
        team.slug = slug
    _apply_profile(team, fields)
    if "bookingLimits" in fields:
        team.booking_limits = fields["bookingLimits"]
    if "includeManagedEventsInLimits" in fields:
        team.include_managed_events_in_limits = fields["includeManagedEventsInLimits"]
    if "rrResetInterval" in fields:
        team.rr_reset_interval = fields["rrResetInterval"]
    if "rrTimestampBasis" in fields:
        team.rr_timestamp_basis = fields["rrTimestampBasis"]
    await flush_unique(session)
    return team


async def delete_team(session: AsyncSession, principal: Principal, team_id: int) -> Team:
    """Delete team ``team_id`` (TEAM_OWNER; 403 otherwise) with its memberships, invitations
    and event types (managed children included); bookings stay, without their event type.
    Returns the deleted team."""
    await require_team_role(session, principal, team_id, "TEAM_OWNER")
    team = await _team(session, team_id)
    await session.delete(team)
    await session.flush()
    return team
