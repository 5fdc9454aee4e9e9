"""``slotwise secrets rotate --old-key OLD``: re-encrypt the secrets stored at rest after the
installation secret key (``SLOTWISE_SECRET_KEY`` / ``<data dir>/secret_key``) changed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from slotwise.cli.common import fail, ready_settings, run_in_transaction

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from slotwise.kit.crypto import RotationCount

secrets_app = typer.Typer(help="Secrets stored encrypted at rest.", no_args_is_help=True)


@secrets_app.command("rotate")
def rotate_command(
    old_key: Annotated[
        str,
        typer.Option(
            "--old-key",
            envvar="SLOTWISE_OLD_SECRET_KEY",
            help="The previous secret key (or set SLOTWISE_OLD_SECRET_KEY, which keeps it out "
            "of the shell history)",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Re-encrypt every stored secret encrypted with OLD with the current key, and encrypt any
    legacy plaintext one, in one transaction; values already under the current key are left
    alone (running it again changes nothing). Exits 1, changing nothing, when a value decrypts
    with neither key."""
    from slotwise.kit.crypto import SecretDecryptionError, installation_key, rotate_secrets
    from slotwise.models import Base

    if not old_key:
        raise fail("--old-key must not be empty")
    settings = ready_settings()
    current = installation_key(settings)

    async def work(session: AsyncSession) -> list[RotationCount]:
        return await rotate_secrets(
            session, Base.metadata, old_key=old_key.encode(), new_key=current
        )

    try:
        counts = run_in_transaction(settings, work)
    except SecretDecryptionError as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps([vars(c) for c in counts]))
        return
    for c in counts:
        typer.echo(
            f"{c.table}.{c.column}: {c.reencrypted} re-encrypted with the current key, "
            f"{c.current} already current, {c.plaintext} plaintext encrypted"
        )
