"""The ``slotwise`` command: serve, migrate, users."""

from __future__ import annotations

import typer

from slotwise.cli.server import migrate_command, serve_command
from slotwise.cli.users import users_app

app = typer.Typer(
    name="slotwise",
    help="Slotwise: open-source scheduling that speaks the Cal.com API v2.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve_command)
app.command("migrate")(migrate_command)
app.add_typer(users_app, name="users")


def main() -> None:
    """Entry point of the ``slotwise`` console script."""
    app()
