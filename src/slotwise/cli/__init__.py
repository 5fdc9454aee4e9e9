"""The ``slotwise`` command: serve, migrate, users, worker, jobs; client commands (login,
bookings, slots, …) from :mod:`slotwise.cli.client`."""

from __future__ import annotations

import typer

from slotwise.cli.client import register_client_commands
from slotwise.cli.credits import credits_app
from slotwise.cli.jobs import jobs_app, worker_command
from slotwise.cli.mcp import mcp_command
from slotwise.cli.secrets import secrets_app
from slotwise.cli.server import migrate_command, serve_command
from slotwise.cli.toolkit import toolkit_app
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
app.add_typer(credits_app, name="credits")
app.command("worker")(worker_command)
app.add_typer(jobs_app, name="jobs")
app.command("mcp")(mcp_command)
app.add_typer(toolkit_app, name="toolkit")
app.add_typer(secrets_app, name="secrets")
register_client_commands(app)


def main() -> None:
    """Entry point of the ``slotwise`` console script."""
    app()
