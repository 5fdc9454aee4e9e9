"""HTTP endpoints of /v2/teams: teams, memberships and invitation links (no
``cal-api-version``). The rules are in :mod:`.service`, :mod:`.memberships` and
:mod:`.invites`; who may do what in :mod:`slotwise.policy.teams` (matrix in docs/api.md).

Also GET /v2/teams/{teamId}/schedules and the team admins' /v2/teams/{teamId}/users/{userId}/ooo
(:mod:`.schedules`, :mod:`.ooo`). Extensions (docs/extensions.md):
``POST /v2/teams/invites/{token}/accept`` and
``POST /v2/teams/{teamId}/memberships/{membershipId}/accept``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from slotwise.kit.envelope import ok
from slotwise.kit.errors import BadRequest
from slotwise.kit.principal import CurrentPrincipal
from slotwise.kit.schemas import CountParam, IdParam, ParamText, Whole
from slotwise.kit.session import AppSettings, DbSession
from slotwise.ooo.output import ooo_output
from slotwise.ooo.schemas import CreateOooInput, UpdateOooInput
from slotwise.schedules.schemas import schedule_output
from slotwise.teams import invites, memberships, schedules, service
from slotwise.teams import ooo as team_ooo
from slotwise.teams.output import invite_output, membership_output, team_output
from slotwise.teams.schemas import (
    CreateMembershipInput,
    CreateTeamInput,
    UpdateMembershipInput,
    UpdateTeamInput,
)

EXTENSIONS_TAG = "Teams (Slotwise extensions)"
router = APIRouter(tags=["Teams"])
invite_router = APIRouter()
"""``/v2/teams/invites/...``: included before :data:`router` (its literal segment first)."""

TeamId = Annotated[IdParam, Path(description="The team's id")]
MembershipId = Annotated[IdParam, Path(description="The membership's id")]
Take = Annotated[int, Whole(1, 250, text=True), Query(description="At most this many (1-250)")]
Skip = Annotated[CountParam, Query(description="Skip this many")]
MAX_EMAILS = 20


def split_emails(emails: str | None) -> list[str]:
    """The comma-separated ``emails`` filter as a list (at most 20; 400 beyond)."""
    if not emails:
        return []
    found = [e.strip() for e in emails.split(",") if e.strip()]
    if len(found) > MAX_EMAILS:
        raise BadRequest(f"emails: at most {MAX_EMAILS} email addresses")
    return found


@router.post("/v2/teams", status_code=201, summary="Create a team")
async def create_team(
    body: CreateTeamInput, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Create a team; the caller becomes its OWNER (accepted unless ``autoAcceptCreator`` is
    false). 400 for a second team of the same name, 409 for a taken slug."""
    return ok(team_output(await service.create_team(session, principal, body)))


@router.get("/v2/teams", summary="Get teams")
async def get_teams(principal: CurrentPrincipal, session: DbSession) -> dict[str, Any]:
    """The teams the caller has a membership of (accepted or pending)."""
    return ok([team_output(t) for t in await service.list_teams(session, principal)])


@router.get("/v2/teams/{teamId}", summary="Get a team")
async def get_team(
    teamId: TeamId, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """The team, for its members (403 for anyone else and for a missing team)."""
    return ok(team_output(await service.get_team(session, principal, teamId)))


@router.patch("/v2/teams/{teamId}", summary="Update a team")
async def update_team(
    teamId: TeamId, body: UpdateTeamInput, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Change the fields given (team OWNER); 409 for a taken slug."""
    return ok(team_output(await service.update_team(session, principal, teamId, body)))


@router.delete("/v2/teams/{teamId}", summary="Delete a team")
async def delete_team(
    teamId: TeamId, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Delete the team (team OWNER) and answer it as it was."""
    team = await service.delete_team(session, principal, teamId)
    return ok(team_output(team))


@router.post("/v2/teams/{teamId}/memberships", status_code=201, summary="Create a membership")
async def create_membership(
    teamId: TeamId, body: CreateMembershipInput, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Add a user to the team (team ADMIN; the OWNER role only by an OWNER). 400 for an
    unknown user, 409 when they already have a membership."""
    found = await memberships.create_membership(session, principal, teamId, body)
    return ok(membership_output(*found))


@router.get("/v2/teams/{teamId}/memberships", summary="Get all memberships")
async def get_memberships(
    teamId: TeamId,
    principal: CurrentPrincipal,
    session: DbSession,
    take: Take = 250,
    skip: Skip = 0,
    emails: Annotated[
        ParamText | None, Query(description="Comma-separated user emails (at most 20)")
    ] = None,
) -> dict[str, Any]:
    """The team's memberships (team ADMIN), by id, ``skip``/``take`` paged."""
    rows = await memberships.list_memberships(
        session, principal, teamId, emails=split_emails(emails), skip=skip, take=take
    )
    return ok([membership_output(m, u) for m, u in rows])


@router.get("/v2/teams/{teamId}/memberships/{membershipId}", summary="Get a membership")
async def get_membership(
    teamId: TeamId, membershipId: MembershipId, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """One membership (team ADMIN); 404 when the team has no such membership."""
    found = await memberships.get_membership(session, principal, teamId, membershipId)
    return ok(membership_output(*found))


@router.patch("/v2/teams/{teamId}/memberships/{membershipId}", summary="Update a membership")
async def update_membership(
    teamId: TeamId,
    membershipId: MembershipId,
    body: UpdateMembershipInput,
    principal: CurrentPrincipal,
    session: DbSession,
) -> dict[str, Any]:
    """Change role, accepted or disableImpersonation (team ADMIN; OWNER changes by an OWNER;
    400 for the last accepted OWNER)."""
    found = await memberships.update_membership(session, principal, teamId, membershipId, body)
    return ok(membership_output(*found))


@router.delete("/v2/teams/{teamId}/memberships/{membershipId}", summary="Delete a membership")
async def delete_membership(
    teamId: TeamId, membershipId: MembershipId, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Remove a membership (team ADMIN; an OWNER's by an OWNER; never the last accepted OWNER)
    and answer it as it was."""
    found = await memberships.delete_membership(session, principal, teamId, membershipId)
    return ok(membership_output(*found))


@router.post(
    "/v2/teams/{teamId}/memberships/{membershipId}/accept",
    summary="Accept my membership",
    tags=[EXTENSIONS_TAG],
)
async def accept_membership(
    teamId: TeamId, membershipId: MembershipId, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """The membership's own user accepts it; 404 for anyone else's or a missing one."""
    found = await memberships.accept_membership(session, principal, teamId, membershipId)
    return ok(membership_output(*found))


@router.post("/v2/teams/{teamId}/invite", summary="Create team invite link")
async def create_invite(
    teamId: TeamId, principal: CurrentPrincipal, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """A new invitation link (team ADMIN), valid 7 days."""
    invite = await invites.create_invite(session, principal, teamId)
    return ok(invite_output(invite.token, settings.base_url))


InviteToken = Annotated[
    str,
    Path(description="The invitation token", min_length=1, max_length=64, pattern="^[0-9a-f]+$"),
]


@invite_router.post(
    "/v2/teams/invites/{token}/accept",
    summary="Join a team with an invitation link",
    tags=[EXTENSIONS_TAG],
)
async def accept_invite(
    token: InviteToken, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Become an accepted member of the invitation's team (MEMBER, or the pending membership's
    role); 404 for an unknown or expired token."""
    found = await invites.accept_invite(session, principal, token)
    return ok(membership_output(*found))


@router.get("/v2/teams/{teamId}/schedules", summary="Get all team member schedules")
async def get_team_schedules(
    teamId: TeamId,
    principal: CurrentPrincipal,
    session: DbSession,
    take: Take = 250,
    skip: Skip = 0,
) -> dict[str, Any]:
    """The schedules of the team's accepted members (team ADMIN), by id, paged."""
    rows = await schedules.team_schedules(session, principal, teamId, skip=skip, take=take)
    return ok([schedule_output(s, default) for s, default in rows])


UserId = Annotated[IdParam, Path(description="The team member's user id")]
OooId = Annotated[IdParam, Path(description="The out-of-office entry's id")]
OOO_TAG = "Teams / Users / OOO"


@router.get(
    "/v2/teams/{teamId}/users/{userId}/ooo",
    summary="Get all out-of-office entries for a team member",
    tags=[OOO_TAG],
)
async def get_member_ooo(
    teamId: TeamId,
    userId: UserId,
    principal: CurrentPrincipal,
    session: DbSession,
    take: Take = 250,
    skip: Skip = 0,
    sortStart: Literal["asc", "desc"] | None = None,
    sortEnd: Literal["asc", "desc"] | None = None,
) -> dict[str, Any]:
    """The member's entries (team ADMIN), as GET /v2/me/ooo."""
    rows = await team_ooo.list_entries(
        session,
        principal,
        teamId,
        userId,
        sort_start=sortStart,
        sort_end=sortEnd,
        skip=skip,
        take=take,
    )
    return ok([ooo_output(e) for e in rows])


@router.post(
    "/v2/teams/{teamId}/users/{userId}/ooo",
    status_code=201,
    summary="Create an out-of-office entry for a team member",
    tags=[OOO_TAG],
)
async def create_member_ooo(
    teamId: TeamId,
    userId: UserId,
    body: CreateOooInput,
    principal: CurrentPrincipal,
    session: DbSession,
) -> dict[str, Any]:
    """Create an entry for the member (team ADMIN); 400/409 as POST /v2/me/ooo."""
    entry = await team_ooo.create_entry(session, principal, teamId, userId, body)
    return ok(ooo_output(entry))


@router.patch(
    "/v2/teams/{teamId}/users/{userId}/ooo/{oooId}",
    summary="Update an out-of-office entry for a team member",
    tags=[OOO_TAG],
)
async def update_member_ooo(
    teamId: TeamId,
    userId: UserId,
    oooId: OooId,
    body: UpdateOooInput,
    principal: CurrentPrincipal,
    session: DbSession,
) -> dict[str, Any]:
    """Change the member's entry (team ADMIN); 404 when it is not theirs."""
    entry = await team_ooo.update_entry(session, principal, teamId, userId, oooId, body)
    return ok(ooo_output(entry))


@router.delete(
    "/v2/teams/{teamId}/users/{userId}/ooo/{oooId}",
    summary="Delete an out-of-office entry for a team member",
    tags=[OOO_TAG],
)
async def delete_member_ooo(
    teamId: TeamId, userId: UserId, oooId: OooId, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Delete the member's entry (team ADMIN) and answer it as it was."""
    entry = await team_ooo.delete_entry(session, principal, teamId, userId, oooId)
    return ok(ooo_output(entry))
