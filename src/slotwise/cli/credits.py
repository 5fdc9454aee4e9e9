"""``slotwise credits grant USERNAME --monthly N [--additional N]``: set a user's credits."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slotwise.cli.common import fail, ready_settings, run_in_transaction

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

credits_app = typer.Typer(help="Set users' credit balances.", no_args_is_help=True)


@credits_app.command("grant")
def grant_command(
    username: Annotated[str, typer.Argument(help="The user's username")],
    monthly: Annotated[
        int, typer.Option("--monthly", min=0, help="Monthly allowance (resets each UTC month)")
    ],
    additional: Annotated[
        int | None, typer.Option("--additional", min=0, help="Additional credits (never reset)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Set USERNAME's monthly allowance (this month's remaining restarts at it) and, with
    --additional, their additional credits. Exits 1 for an unknown user."""
    from sqlalchemy import select

    from slotwise.credits.service import grant
    from slotwise.kit import clock
    from slotwise.models import User

    settings = ready_settings()

    async def work(session: AsyncSession) -> dict[str, Any] | None:
        user = await session.scalar(select(User).where(User.username == username.lower()))
        if user is None:
            return None
        return await grant(session, user, monthly=monthly, additional=additional, now=clock.now())

    result = run_in_transaction(settings, work)
    if result is None:
        raise fail(f"No user named '{username}'")
    if as_json:
        typer.echo(json.dumps({"username": username.lower(), "balance": result}))
        return
    typer.echo(
        f"{username.lower()}: {result['monthlyRemaining']} monthly credits left this month, "
        f"{result['additional']} additional"
    )
