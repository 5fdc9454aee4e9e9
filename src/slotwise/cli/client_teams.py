"""Client commands ``teams …`` (``/v2/teams``): create, list, show and delete teams, manage
their members and invitation links, join with a link.

Team event types (``teams event-types …``) are :mod:`slotwise.cli.client_team_event_types`'s
Typer group, added to :data:`teams_app` here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from slotwise.cli.client_common import (
    Column,
    DataOption,
    JsonOption,
    body,
    call,
    done,
    record,
    show,
    table,
)
from slotwise.cli.client_team_event_types import event_types_app
from slotwise.cli.common import fail

teams_app = typer.Typer(
    help="Teams, their members and invitation links (/v2/teams).", no_args_is_help=True
)
teams_app.add_typer(event_types_app, name="event-types")

ROLES = ("MEMBER", "ADMIN", "OWNER")

TEAM_COLUMNS: list[Column] = [
    Column("id", "id"),
    Column("name", "name", flex=True),
    Column("slug", "slug", flex=True),
    Column("time zone", "timeZone"),
]
MEMBER_COLUMNS: list[Column] = [
    Column("id", "id"),
    Column("user", "userId"),
    Column("username", lambda m: (m.get("user") or {}).get("username")),
    Column("email", lambda m: (m.get("user") or {}).get("email"), flex=True),
    Column("role", "role"),
    Column("accepted", "accepted"),
]


def team_line(verb: str, data: Any) -> str:
    """``Created team 3 "Sales" (sales).``"""
    if not isinstance(data, Mapping):
        return f"{verb} team."
    return f'{verb} team {data.get("id")} "{data.get("name")}" ({data.get("slug")}).'


def member_line(verb: str, data: Any) -> str:
    """``Added bob (user 4) to team 3 as ADMIN, accepted (membership 7).``"""
    if not isinstance(data, Mapping):
        return f"{verb} membership."
    who = (data.get("user") or {}).get("username") or f"user {data.get('userId')}"
    state = "accepted" if data.get("accepted") else "pending until they accept"
    where = "from" if verb == "Removed" else "to"
    return (
        f"{verb} {who} (user {data.get('userId')}) {where} team {data.get('teamId')} as "
        f"{data.get('role')}, {state} (membership {data.get('id')})."
    )


def _role(value: str | None) -> str | None:
    if value is None:
        return None
    role = value.upper()
    if role not in ROLES:
        raise fail(f"--role {value!r}: use one of {', '.join(ROLES)}.")
    return role


@teams_app.command("create")
def teams_create(
    name: Annotated[str | None, typer.Option("--name", help="The team's name")] = None,
    slug: Annotated[str | None, typer.Option("--slug", help="Its URL slug")] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a team; you become its OWNER."""
    payload = body(data, name=name, slug=slug)
    done(call(lambda c: c.teams.create(payload)), as_json, lambda d: team_line("Created", d))


@teams_app.command("list")
def teams_list(as_json: JsonOption = False) -> None:
    """List your teams."""
    show(call(lambda c: c.teams.list()), as_json, lambda d: table(d, TEAM_COLUMNS, "teams"))


@teams_app.command("get")
def teams_get(team_id: int, as_json: JsonOption = False) -> None:
    """Show one team."""
    show(call(lambda c: c.teams.get(team_id)), as_json, lambda d: record(d))


@teams_app.command("delete")
def teams_delete(team_id: int, as_json: JsonOption = False) -> None:
    """Delete a team (OWNER only), with its memberships and event types."""
    done(call(lambda c: c.teams.delete(team_id)), as_json, lambda d: team_line("Deleted", d))


@teams_app.command("add-member")
def teams_add_member(
    team_id: int,
    user_id: Annotated[int, typer.Option("--user-id", help="The user to add")],
    role: Annotated[
        str | None, typer.Option("--role", metavar="MEMBER|ADMIN|OWNER", help="Default MEMBER")
    ] = None,
    pending: Annotated[
        bool, typer.Option("--pending", help="Leave it for the user to accept")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a user to a team (ADMIN or OWNER; the OWNER role only by an OWNER)."""
    payload = body(None, userId=user_id, role=_role(role), accepted=not pending)
    data = call(lambda c: c.team_memberships.create(team_id, payload))
    done(data, as_json, lambda d: member_line("Added", d))


@teams_app.command("members")
def teams_members(team_id: int, as_json: JsonOption = False) -> None:
    """List a team's memberships (ADMIN or OWNER)."""
    data = call(lambda c: c.team_memberships.list(team_id))
    show(data, as_json, lambda d: table(d, MEMBER_COLUMNS, f"members of team {team_id}"))


@teams_app.command("remove-member")
def teams_remove_member(team_id: int, membership_id: int, as_json: JsonOption = False) -> None:
    """Remove a membership (its id is in `teams members`)."""
    data = call(lambda c: c.team_memberships.delete(team_id, membership_id))
    done(data, as_json, lambda d: member_line("Removed", d))


@teams_app.command("invite")
def teams_invite(team_id: int, as_json: JsonOption = False) -> None:
    """Create an invitation link (valid 7 days; ADMIN or OWNER)."""
    data = call(lambda c: c.teams.invite(team_id))

    def line(d: Any) -> str:
        token = d.get("token") if isinstance(d, Mapping) else None
        link = d.get("inviteLink") if isinstance(d, Mapping) else None
        return f"Invite link for team {team_id} (valid 7 days): {link} (token {token})"

    done(data, as_json, line)


@teams_app.command("join")
def teams_join(
    token: Annotated[str, typer.Argument(help="The invitation token, or the whole link")],
    as_json: JsonOption = False,
) -> None:
    """Join a team with an invitation token or link."""
    token = token.rstrip("/").rsplit("/", 1)[-1]
    data = call(lambda c: c.teams.accept_invite(token))
    done(data, as_json, join_line)


def join_line(data: Any) -> str:
    """``Joined team 3 as MEMBER (membership 7).``"""
    if not isinstance(data, Mapping):
        return "Joined the team."
    return f"Joined team {data.get('teamId')} as {data.get('role')} (membership {data.get('id')})."
