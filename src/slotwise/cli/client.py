"""Registers the client commands (they talk to a server through the SDK, not to the database):
``login``, ``logout``, ``me``, ``agenda``, ``bookings``, ``event-types``, ``schedules``,
``slots``, ``webhooks``, ``event-type-webhooks``, ``private-links``, ``ooo``, ``api-keys``,
``timezones``."""

from __future__ import annotations

import typer

from slotwise.cli.client_admin import (
    api_keys_app,
    et_webhooks_app,
    ooo_app,
    private_links_app,
    webhooks_app,
)
from slotwise.cli.client_bookings import agenda_command, bookings_app
from slotwise.cli.client_core import (
    event_types_app,
    login_command,
    logout_command,
    me_app,
    schedules_app,
    slots_app,
    timezones_command,
)


def register_client_commands(app: typer.Typer) -> None:
    """Add every client command and group to the ``slotwise`` app."""
    app.command("login")(login_command)
    app.command("logout")(logout_command)
    app.add_typer(me_app, name="me")
    app.command("agenda")(agenda_command)
    app.add_typer(bookings_app, name="bookings")
    app.add_typer(event_types_app, name="event-types")
    app.add_typer(schedules_app, name="schedules")
    app.add_typer(slots_app, name="slots")
    app.add_typer(webhooks_app, name="webhooks")
    app.add_typer(et_webhooks_app, name="event-type-webhooks")
    app.add_typer(private_links_app, name="private-links")
    app.add_typer(ooo_app, name="ooo")
    app.add_typer(api_keys_app, name="api-keys")
    app.command("timezones")(timezones_command)
