"""Teams of the web app (section ``teams``), over the services of /v2/teams
(:mod:`slotwise.teams`):

- ``/app/teams``: the user's teams with their role, pending invitations (accept or decline),
  and a form to create a team;
- ``/app/teams/{id}``: one team: its public page, its members with their roles (admins change
  roles, remove members, invite a user by email or username, and make an invitation link);
  leaving the team;
- the invitation page of an invitation link, ``/app/teams/invite/{token}``, is
  :mod:`slotwise.webapp.signup`'s (logged out, it signs up).

Someone else's team (not a member, or a role too low) answers the app's 404 page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import Forbidden
from slotwise.kit.schemas import IdParam
from slotwise.kit.session import DbSession, get_settings
from slotwise.models import Membership, Team, User
from slotwise.pages.i18n import N_
from slotwise.policy.teams import team_membership
from slotwise.teams import invites, memberships, service
from slotwise.teams.output import invite_output
from slotwise.teams.schemas import CreateMembershipInput, CreateTeamInput, UpdateMembershipInput
from slotwise.webapp.context import FLASH, AppSession, AppUser, app_context, render_app
from slotwise.webapp.forms import FormErrors, as_dict, attempt, checked_form, text
from slotwise.webapp.settings import REQUIRED, saved

router = APIRouter(include_in_schema=False)

BASE = "/app/teams"
ROLES = (("MEMBER", N_("Member")), ("ADMIN", N_("Admin")), ("OWNER", N_("Owner")))
NO_SUCH_INVITEE = N_("No Slotwise user has this email or username. Send them an invitation link.")
FLASH.update(
    {
        "joined": N_("You joined the team"),
        "left": N_("You left the team"),
        "invited": N_("Invitation sent: they see it under Teams when they log in"),
    }
)


def _render(
    request: Request, app_user: AppUser, template: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    ctx = app_context(request, app_user, section="teams")
    return render_app(
        request, ctx, template, status_code=status_code, roles=ROLES,
        choices=lambda pairs: [(value, ctx._(label)) for value, label in pairs], **values,
    )  # fmt: skip


def _not_found(request: Request, app_user: AppUser) -> HTMLResponse:
    return _render(request, app_user, "app/not_found.html", status_code=404)


async def _teams_page(
    request: Request, app_user: AppUser, session: AsyncSession, status_code: int = 200,
    **values: Any,
) -> HTMLResponse:  # fmt: skip
    mine = await memberships.my_memberships(session, app_user.principal)
    values.setdefault("values", {})
    return _render(
        request, app_user, "app/teams/list.html", status_code,
        accepted=[(m, t) for m, t in mine if m.accepted],
        pending=[(m, t) for m, t in mine if not m.accepted], **values,
    )  # fmt: skip


@router.get(BASE)
async def teams_page(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """The user's teams, pending invitations and the new-team form."""
    return await _teams_page(request, app_user, session)


@router.post(BASE)
async def create_team(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Create a team (the user becomes its OWNER); 400 with the API's messages."""
    form = await checked_form(request, app_user.csrf)
    body: dict[str, Any] = {"name": text(form, "name")}
    if text(form, "slug"):
        body["slug"] = text(form, "slug")
    errors = FormErrors()
    if not body["name"]:
        errors.add("name", app_context(request, app_user)._(REQUIRED))

    async def create() -> Team:
        return await service.create_team(
            session, app_user.principal, CreateTeamInput.model_validate(body)
        )

    team = None
    if not errors:
        team, errors = await attempt(session, create)
    if errors or team is None:
        return await _teams_page(
            request, app_user, session, 400, errors=errors, values=as_dict(form)
        )
    return saved(f"{BASE}/{team.id}", "created")


async def _team_page(
    request: Request,
    app_user: AppUser,
    session: AsyncSession,
    team_id: int,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """One team for an accepted member (404 otherwise); admins see every membership."""
    try:
        team = await service.get_team(session, app_user.principal, team_id)
    except Forbidden:
        return _not_found(request, app_user)
    mine = await team_membership(session, app_user.principal, team_id)
    assert mine is not None
    admin = mine.role in ("ADMIN", "OWNER")
    rows = await memberships.list_memberships(session, app_user.principal, team_id) if admin else []
    values.setdefault("values", {"role": "MEMBER"})
    return _render(
        request, app_user, "app/teams/team.html", status_code,
        team=team, me=mine, admin=admin, members=rows, **values,
    )  # fmt: skip


@router.get(BASE + "/{team_id}")
async def team_page(
    request: Request, team_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """One of the user's teams."""
    return await _team_page(request, app_user, session, team_id)


async def _invitee(session: AsyncSession, who: str) -> User | None:
    """The user with email or username ``who`` (case-insensitive), or None."""
    who = who.strip().lower().removeprefix("@")
    if not who or len(who) > 320:
        return None
    return await session.scalar(
        select(User).where(or_(func.lower(User.email) == who, User.username == who))
    )


@router.post(BASE + "/{team_id}/members")
async def invite_member(
    request: Request, team_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Invite an existing user (email or username) with a role: a pending membership they
    accept under Teams (team admins; 404 for others)."""
    form = await checked_form(request, app_user.csrf)
    if not await _is_admin(session, app_user, team_id):
        return _not_found(request, app_user)
    ctx = app_context(request, app_user)
    errors = FormErrors()
    invitee = await _invitee(session, text(form, "invitee"))
    if invitee is None:
        errors.add("invitee", ctx._(NO_SUCH_INVITEE))
    else:
        body = {"userId": invitee.id, "role": text(form, "role") or "MEMBER", "accepted": False}
        _, errors = await attempt(
            session,
            lambda: memberships.create_membership(
                session, app_user.principal, team_id, CreateMembershipInput.model_validate(body)
            ),
        )
    if errors:
        return await _team_page(
            request, app_user, session, team_id, 400, errors=errors, values=as_dict(form)
        )
    return saved(f"{BASE}/{team_id}", "invited")


async def _is_admin(session: AsyncSession, app_user: AppUser, team_id: int) -> bool:
    mine = await team_membership(session, app_user.principal, team_id)
    return mine is not None and mine.role in ("ADMIN", "OWNER")


@router.post(BASE + "/{team_id}/members/{membership_id}/role")
async def change_role(
    request: Request,
    team_id: IdParam,
    membership_id: IdParam,
    app_user: AppSession,
    session: DbSession,
) -> Response:
    """Change a member's role (team admins; the API's OWNER rules)."""
    form = await checked_form(request, app_user.csrf)
    if not await _is_admin(session, app_user, team_id):
        return _not_found(request, app_user)
    body = {"role": text(form, "role")}

    async def update() -> Any:
        checked = UpdateMembershipInput.model_validate(body)
        return await memberships.update_membership(
            session, app_user.principal, team_id, membership_id, checked
        )

    _, errors = await attempt(session, update)
    return await _after_member_change(request, app_user, session, team_id, errors)


async def _after_member_change(
    request: Request, app_user: AppUser, session: AsyncSession, team_id: int, errors: FormErrors
) -> Response:
    if any("not found" in message for message in errors.general):
        return _not_found(request, app_user)
    if errors:
        return await _team_page(request, app_user, session, team_id, 400, errors=errors)
    return saved(f"{BASE}/{team_id}")


@router.post(BASE + "/{team_id}/members/{membership_id}/remove")
async def remove_member(
    request: Request,
    team_id: IdParam,
    membership_id: IdParam,
    app_user: AppSession,
    session: DbSession,
) -> Response:
    """Remove a membership (team admins; never the last owner)."""
    await checked_form(request, app_user.csrf)
    if not await _is_admin(session, app_user, team_id):
        return _not_found(request, app_user)
    _, errors = await attempt(
        session,
        lambda: memberships.delete_membership(session, app_user.principal, team_id, membership_id),
    )
    return await _after_member_change(request, app_user, session, team_id, errors)


@router.post(BASE + "/{team_id}/invite-link")
async def make_invite_link(
    request: Request, team_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """A new invitation link (team admins), shown on the team's page."""
    await checked_form(request, app_user.csrf)
    invite, errors = await attempt(
        session, lambda: invites.create_invite(session, app_user.principal, team_id)
    )
    if errors or invite is None:
        return _not_found(request, app_user)
    link = invite_output(invite.token, get_settings(request).base_url)["inviteLink"]
    return await _team_page(request, app_user, session, team_id, invite_link=link)


@router.post(BASE + "/{team_id}/leave")
async def leave(
    request: Request, team_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Leave a team, or decline its invitation (never as its last owner)."""
    await checked_form(request, app_user.csrf)
    _, errors = await attempt(
        session, lambda: memberships.leave_team(session, app_user.principal, team_id)
    )
    if any("not a member" in message for message in errors.general):
        return _not_found(request, app_user)
    if errors:
        return await _teams_page(request, app_user, session, 400, errors=errors)
    return saved(BASE, "left")


@router.post(BASE + "/{team_id}/accept")
async def accept(
    request: Request, team_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Accept a pending invitation to a team."""
    await checked_form(request, app_user.csrf)
    pending = await session.scalar(
        select(Membership).where(
            Membership.team_id == team_id, Membership.user_id == app_user.user.id
        )
    )
    if pending is None:
        return _not_found(request, app_user)
    await memberships.accept_membership(session, app_user.principal, team_id, pending.id)
    return saved(f"{BASE}/{team_id}", "joined")
