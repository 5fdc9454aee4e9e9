"""``slotwise users create|list|api-key|set-password|rename``.

Web app passwords: ``--password`` prompts twice without echo, ``--password-stdin`` reads one
line from the standard input (for scripts); the rules are the web app's
(:func:`slotwise.users.service.set_password`).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from slotwise.cli.common import fail, ready_settings, run_in_transaction

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from slotwise.models import User

users_app = typer.Typer(
    help="Create, list and rename users, issue API keys, set web app passwords.",
    no_args_is_help=True,
)
console = Console()

PasswordPrompt = Annotated[
    bool,
    typer.Option(
        "--password",
        help="Set a web app password: prompted twice, not echoed",
    ),
]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Set a web app password read from the standard input (one line)",
    ),
]


def read_password(prompt: bool, stdin: bool, *, required: bool = False) -> str | None:
    """The password asked for: from the standard input (``stdin``), from a prompt shown
    twice without echo (``prompt``, or ``required`` without ``stdin``), else None."""
    if prompt and stdin:
        raise fail("--password and --password-stdin: choose one")
    if stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise fail("--password-stdin: the standard input held no password")
        return password
    if prompt or required:
        value: str = typer.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
        return value
    return None


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
    password_prompt: PasswordPrompt = False,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user and an API key; the key is printed once and only its hash is stored.
    With ``--password`` or ``--password-stdin`` the user can also log in to the web app."""
    from slotwise.users.service import UserError, create_user, set_password

    password = read_password(password_prompt, password_stdin)
    settings = ready_settings()

    async def work(session: AsyncSession) -> dict[str, Any]:
        created = await create_user(
            session, username=username, email=email, name=name, time_zone=time_zone
        )
        if password is not None:
            await set_password(session, created.user, password)
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


async def _find_user(session: AsyncSession, username: str) -> User | None:
    from sqlalchemy import select

    from slotwise.models import User

    found: User | None = await session.scalar(
        select(User).where(User.username == username.strip().lower())
    )
    return found


@users_app.command("set-password")
def set_password_command(
    username: Annotated[str, typer.Argument(help="The user whose web app password is set")],
    password_prompt: PasswordPrompt = False,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's web app password (prompted twice without echo unless --password-stdin);
    their browser sessions end."""
    from slotwise.users.service import UserError, set_password

    password = read_password(password_prompt, password_stdin, required=True)
    assert password is not None
    settings = ready_settings()

    async def work(session: AsyncSession) -> bool:
        user = await _find_user(session, username)
        if user is None:
            return False
        await set_password(session, user, password)
        return True

    try:
        found = run_in_transaction(settings, work)
    except UserError as exc:
        raise fail(str(exc)) from exc
    if not found:
        raise fail(f"No user named '{username}'")
    typer.echo(f"Password set for {username.strip().lower()}; their web app sessions ended.")


@users_app.command("rename")
def rename_command(
    old: Annotated[str, typer.Argument(help="The current username")],
    new: Annotated[str, typer.Argument(help="The new username")],
) -> None:
    """Rename a user: their public page moves from /OLD to /NEW (old links stop working)."""
    from slotwise.users.service import UserError, change_username

    settings = ready_settings()

    async def work(session: AsyncSession) -> str | None:
        user = await _find_user(session, old)
        if user is None:
            return None
        await change_username(session, user, new)
        return user.username

    try:
        renamed = run_in_transaction(settings, work)
    except UserError as exc:
        raise fail(str(exc)) from exc
    if renamed is None:
        raise fail(f"No user named '{old}'")
    typer.echo(f"Renamed {old.strip().lower()} to {renamed}: their public page is now /{renamed}.")
