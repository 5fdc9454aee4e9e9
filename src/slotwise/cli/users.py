"""``slotwise users create|list|api-key``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from slotwise.cli.common import fail, ready_settings, run_in_transaction

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from slotwise.models import User

users_app = typer.Typer(help="Create and list users, issue API keys.", no_args_is_help=True)
console = Console()


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "timeZone": user.time_zone,
    }


@users_app.command("create")
def create_command(
    username: Annotated[str, typer.Option("--username", help="Unique username (URL-safe)")],
    email: Annotated[str, typer.Option("--email", help="Unique email address")],
    name: Annotated[str | None, typer.Option("--name", help="Display name")] = None,
    time_zone: Annotated[str, typer.Option("--time-zone", help="IANA time zone")] = "UTC",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object last")] = False,
) -> None:
    """Create a user and an API key; the key is printed once and only its hash is stored."""
    from slotwise.users.service import UserError, create_user

    settings = ready_settings()

    async def work(session: AsyncSession) -> dict[str, Any]:
        created = await create_user(
            session, username=username, email=email, name=name, time_zone=time_zone
        )
        return {**_user_json(created.user), "apiKey": created.api_key}

    try:
        result = run_in_transaction(settings, work)
    except UserError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(result))
        return
    console.print(f"Created user [bold]{result['username']}[/bold] (id {result['id']}).")
    console.print("API key (shown once, store it now):")
    typer.echo(result["apiKey"])


@users_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Show every column")] = False,
) -> None:
    """List every user (80 columns: id, username, email, name; ``--wide`` adds the time
    zone)."""
    from sqlalchemy import select

    from slotwise.cli.client_common import Column, table
    from slotwise.models import User

    settings = ready_settings()

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        users = await session.scalars(select(User).order_by(User.id))
        return [_user_json(u) for u in users]

    rows = run_in_transaction(settings, work)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    columns = [
        Column("id", "id"),
        Column("username", "username"),
        Column("email", "email"),
        Column("name", "name", True),
    ]
    if wide:
        columns.append(Column("time zone", "timeZone"))
    table(rows, columns, wide=wide)


@users_app.command("api-key")
def api_key_command(
    username: Annotated[str, typer.Argument(help="The user to issue a key for")],
) -> None:
    """Issue an additional API key for an existing user (printed once)."""
    from sqlalchemy import select

    from slotwise.api_keys.service import issue_api_key
    from slotwise.models import User

    settings = ready_settings()

    async def work(session: AsyncSession) -> str | None:
        user = await session.scalar(select(User).where(User.username == username.lower()))
        if user is None:
            return None
        return await issue_api_key(session, user)

    key = run_in_transaction(settings, work)
    if key is None:
        raise fail(f"No user named '{username}'")
    typer.echo(key)
