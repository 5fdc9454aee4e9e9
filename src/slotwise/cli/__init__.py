"""The ``slotwise`` command: server commands (serve, migrate, users, worker, jobs, …, on the local
database) and client commands (login, bookings, slots, …, over the API through the SDK).

Importing this package is cheap (``slotwise --help`` in well under half a second): every command
is named in :data:`COMMANDS` and its module is imported only when it runs
(:mod:`slotwise.cli.group`)."""

from __future__ import annotations

import typer

from slotwise.cli.group import LazyCommand, lazy_group, plain_help_types

SERVER = "Server (on this machine's database)"
CLIENT = "Client (talks to a server through the API; `slotwise login` first)"
AGENTS = "Agents"

#: Every command, in the order ``--help`` lists them: name -> "module:attribute" and heading.
COMMANDS = {
    "serve": LazyCommand("slotwise.cli.server:serve_command", SERVER),
    "migrate": LazyCommand("slotwise.cli.server:migrate_command", SERVER),
    "users": LazyCommand("slotwise.cli.users:users_app", SERVER),
    "credits": LazyCommand("slotwise.cli.credits:credits_app", SERVER),
    "worker": LazyCommand("slotwise.cli.jobs:worker_command", SERVER),
    "jobs": LazyCommand("slotwise.cli.jobs:jobs_app", SERVER),
    "secrets": LazyCommand("slotwise.cli.secrets:secrets_app", SERVER),
    "db": LazyCommand("slotwise.cli.db:db_app", SERVER),
    "login": LazyCommand("slotwise.cli.client_core:login_command", CLIENT),
    "logout": LazyCommand("slotwise.cli.client_core:logout_command", CLIENT),
    "me": LazyCommand("slotwise.cli.client_core:me_app", CLIENT),
    "agenda": LazyCommand("slotwise.cli.client_bookings:agenda_command", CLIENT),
    "bookings": LazyCommand("slotwise.cli.client_bookings:bookings_app", CLIENT),
    "event-types": LazyCommand("slotwise.cli.client_core:event_types_app", CLIENT),
    "schedules": LazyCommand("slotwise.cli.client_schedules:schedules_app", CLIENT),
    "slots": LazyCommand("slotwise.cli.client_core:slots_app", CLIENT),
    "webhooks": LazyCommand("slotwise.cli.client_admin:webhooks_app", CLIENT),
    "event-type-webhooks": LazyCommand("slotwise.cli.client_admin:et_webhooks_app", CLIENT),
    "private-links": LazyCommand("slotwise.cli.client_admin:private_links_app", CLIENT),
    "ooo": LazyCommand("slotwise.cli.client_admin:ooo_app", CLIENT),
    "teams": LazyCommand("slotwise.cli.client_teams:teams_app", CLIENT),
    "api-keys": LazyCommand("slotwise.cli.client_admin:api_keys_app", CLIENT),
    "timezones": LazyCommand("slotwise.cli.client_core:timezones_command", CLIENT),
    "mcp": LazyCommand("slotwise.cli.mcp:mcp_command", AGENTS),
    "toolkit": LazyCommand("slotwise.cli.toolkit:toolkit_app", AGENTS),
}

plain_help_types()
app = typer.Typer(
    name="slotwise",
    help="Slotwise: open-source scheduling that speaks the Cal.com API v2.",
    no_args_is_help=True,
    add_completion=False,
    cls=lazy_group(COMMANDS),
)


@app.callback()
def root() -> None:
    """Slotwise: open-source scheduling that speaks the Cal.com API v2."""


def main() -> None:
    """Entry point of the ``slotwise`` console script."""
    app(prog_name="slotwise")
