"""Client commands: ``login``, ``logout``, ``me``, ``event-types``, ``schedules``, ``slots``,
``timezones``. Each calls the Cal.com API v2 through the SDK; ``--json`` prints the response's
``data`` exactly."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from slotwise.cli.client_common import (
    DataOption,
    JsonOption,
    api_errors,
    body,
    call,
    config_path,
    console,
    local,
    print_json,
    record,
    save_credentials,
    show,
    table,
    viewer_zone_name,
)
from slotwise.client import DEFAULT_BASE_URL, Client

me_app = typer.Typer(help="Your profile (GET/PATCH /v2/me).")
event_types_app = typer.Typer(help="Event types (/v2/event-types).", no_args_is_help=True)
schedules_app = typer.Typer(help="Availability schedules (/v2/schedules).", no_args_is_help=True)
slots_app = typer.Typer(help="Free slots and reservations (/v2/slots).", no_args_is_help=True)


def login_command(
    api_key: Annotated[str, typer.Option("--api-key", help="An API key (cal_live_…)")],
    api_url: Annotated[
        str, typer.Option("--api-url", help="Server root, without /v2")
    ] = DEFAULT_BASE_URL,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="Check the key with GET /v2/me first")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Store an API key and server URL in the user config dir (file mode 0600).

    With --json, prints the data of GET /v2/me (null with --no-verify)."""
    me: Any = None
    if verify:
        with api_errors(), Client(api_url, api_key=api_key) as client:
            me = client.me.get()
    path = save_credentials(api_key, api_url.rstrip("/"))
    if as_json:
        print_json(me)
        return
    who = f" as {me.get('username') or me.get('email')}" if me else ""
    console.print(f"Logged in{who} to {api_url} (credentials in {path}).")


def logout_command() -> None:
    """Forget the stored credentials."""
    path = config_path()
    if path.exists():
        path.unlink()
        console.print(f"Removed {path}.")
    else:
        console.print("Not logged in.")


@me_app.callback(invoke_without_command=True)
def me_show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show your profile."""
    if ctx.invoked_subcommand is None:
        show(call(lambda c: c.me.get()), as_json, lambda d: record(d, "me"))


@me_app.command("update")
def me_update(
    time_zone: Annotated[str | None, typer.Option("--time-zone", help="IANA zone")] = None,
    name: Annotated[str | None, typer.Option("--name")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    week_start: Annotated[str | None, typer.Option("--week-start")] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Update your profile."""
    payload = body(data, timeZone=time_zone, name=name, email=email, weekStart=week_start)
    show(call(lambda c: c.me.update(payload)), as_json, lambda d: record(d, "me"))


ET_COLUMNS: list[Any] = [
    ("id", "id"),
    ("slug", "slug"),
    ("title", "title"),
    ("minutes", "lengthInMinutes"),
    ("hidden", "hidden"),
]


@event_types_app.command("list")
def event_types_list(
    username: Annotated[str | None, typer.Option("--username", help="Someone's public")] = None,
    event_slug: Annotated[str | None, typer.Option("--event-slug")] = None,
    as_json: JsonOption = False,
) -> None:
    """List your event types, or a user's public ones with --username."""
    params = {k: v for k, v in {"username": username, "eventSlug": event_slug}.items() if v}
    data = call(lambda c: c.event_types.list(**params))
    show(data, as_json, lambda d: table(d, ET_COLUMNS, "event types"))


@event_types_app.command("get")
def event_types_get(event_type_id: int, as_json: JsonOption = False) -> None:
    """Show one event type."""
    show(call(lambda c: c.event_types.get(event_type_id)), as_json, record)


@event_types_app.command("create")
def event_types_create(
    title: Annotated[str | None, typer.Option("--title")] = None,
    slug: Annotated[str | None, typer.Option("--slug")] = None,
    length: Annotated[int | None, typer.Option("--length", help="Minutes")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    schedule_id: Annotated[int | None, typer.Option("--schedule-id")] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create an event type (title, slug and length are required by the server)."""
    payload = body(
        data,
        title=title,
        slug=slug,
        lengthInMinutes=length,
        description=description,
        scheduleId=schedule_id,
    )
    show(call(lambda c: c.event_types.create(payload)), as_json, record)


@event_types_app.command("update")
def event_types_update(
    event_type_id: int,
    title: Annotated[str | None, typer.Option("--title")] = None,
    slug: Annotated[str | None, typer.Option("--slug")] = None,
    length: Annotated[int | None, typer.Option("--length", help="Minutes")] = None,
    hidden: Annotated[bool | None, typer.Option("--hidden/--visible")] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Update an event type."""
    payload = body(data, title=title, slug=slug, lengthInMinutes=length, hidden=hidden)
    show(call(lambda c: c.event_types.update(event_type_id, payload)), as_json, record)


@event_types_app.command("delete")
def event_types_delete(event_type_id: int, as_json: JsonOption = False) -> None:
    """Delete an event type."""
    show(call(lambda c: c.event_types.delete(event_type_id)), as_json, record)


SCHEDULE_COLUMNS: list[Any] = [
    ("id", "id"),
    ("name", "name"),
    ("timeZone", "timeZone"),
    ("default", "isDefault"),
    ("availability", "availability"),
]


@schedules_app.command("list")
def schedules_list(as_json: JsonOption = False) -> None:
    """List your schedules."""
    show(
        call(lambda c: c.schedules.list()),
        as_json,
        lambda d: table(d, SCHEDULE_COLUMNS, "schedules"),
    )


@schedules_app.command("get")
def schedules_get(schedule_id: int, as_json: JsonOption = False) -> None:
    """Show one schedule."""
    show(call(lambda c: c.schedules.get(schedule_id)), as_json, record)


@schedules_app.command("default")
def schedules_default(as_json: JsonOption = False) -> None:
    """Show your default schedule."""
    show(call(lambda c: c.schedules.get_default()), as_json, record)


def _availability(rules: list[str]) -> list[dict[str, Any]] | None:
    """``Monday,Tuesday=09:00-17:00`` -> ``{"days": [...], "startTime", "endTime"}``."""
    out = []
    for rule in rules:
        days, _, hours = rule.partition("=")
        start, _, end = hours.partition("-")
        out.append({"days": days.split(","), "startTime": start, "endTime": end})
    return out or None


AvailabilityOption = Annotated[
    list[str] | None,
    typer.Option(
        "--availability",
        help="Days=HH:MM-HH:MM, e.g. Monday,Tuesday=09:00-17:00 (repeatable)",
    ),
]


@schedules_app.command("create")
def schedules_create(
    name: Annotated[str | None, typer.Option("--name")] = None,
    time_zone: Annotated[str | None, typer.Option("--time-zone")] = None,
    default: Annotated[bool, typer.Option("--default/--not-default")] = False,
    availability: AvailabilityOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a schedule."""
    payload = body(
        data,
        name=name,
        timeZone=time_zone,
        isDefault=default,
        availability=_availability(availability or []),
    )
    show(call(lambda c: c.schedules.create(payload)), as_json, record)


@schedules_app.command("update")
def schedules_update(
    schedule_id: int,
    name: Annotated[str | None, typer.Option("--name")] = None,
    time_zone: Annotated[str | None, typer.Option("--time-zone")] = None,
    default: Annotated[bool | None, typer.Option("--default/--not-default")] = None,
    availability: AvailabilityOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Update a schedule."""
    payload = body(
        data,
        name=name,
        timeZone=time_zone,
        isDefault=default,
        availability=_availability(availability or []),
    )
    show(call(lambda c: c.schedules.update(schedule_id, payload)), as_json, record)


@schedules_app.command("delete")
def schedules_delete(schedule_id: int, as_json: JsonOption = False) -> None:
    """Delete a schedule."""
    show(call(lambda c: c.schedules.delete(schedule_id)), as_json, record)


@slots_app.command("list")
def slots_list(
    start: Annotated[str, typer.Option("--start", help="Date or UTC instant")],
    end: Annotated[str, typer.Option("--end", help="Date or UTC instant")],
    event_type_id: Annotated[int | None, typer.Option("--event-type-id")] = None,
    event_type_slug: Annotated[str | None, typer.Option("--event-type-slug")] = None,
    username: Annotated[str | None, typer.Option("--username")] = None,
    duration: Annotated[int | None, typer.Option("--duration", help="Minutes")] = None,
    time_zone: Annotated[
        str | None, typer.Option("--time-zone", help="Zone of the answer (default: yours)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List free slots of an event type, by day."""
    data = call(
        lambda c: c.slots.list(
            start=start,
            end=end,
            event_type_id=event_type_id,
            event_type_slug=event_type_slug,
            username=username,
            duration=duration,
            time_zone=time_zone or viewer_zone_name(),
        )
    )

    def render(by_day: dict[str, list[dict[str, Any]]]) -> None:
        rows = [
            {"day": day, "times": " ".join(local(s.get("start"), "%H:%M") for s in slots)}
            for day, slots in sorted(by_day.items())
        ]
        table(rows, [("day", "day"), ("free slots (your time)", "times")], "slots")

    show(data, as_json, render)


@slots_app.command("reserve")
def slots_reserve(
    event_type_id: Annotated[int, typer.Option("--event-type-id")],
    start: Annotated[str, typer.Option("--start", help="Slot start, UTC instant")],
    duration: Annotated[int | None, typer.Option("--duration", help="Minutes")] = None,
    hold: Annotated[
        int | None, typer.Option("--reservation-duration", help="Minutes to hold it")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Hold a slot for a few minutes."""
    payload = body(
        None,
        eventTypeId=event_type_id,
        slotStart=start,
        slotDuration=duration,
        reservationDuration=hold,
    )
    show(call(lambda c: c.slots.reserve(payload)), as_json, record)


@slots_app.command("reservation")
def slots_reservation(uid: str, as_json: JsonOption = False) -> None:
    """Show a reservation."""
    show(call(lambda c: c.slots.get_reservation(uid)), as_json, record)


@slots_app.command("release")
def slots_release(uid: str, as_json: JsonOption = False) -> None:
    """Release a reservation."""
    data = call(lambda c: c.slots.release(uid))
    show(data, as_json, lambda _d: console.print(f"Released {uid}."))


def timezones_command(as_json: JsonOption = False) -> None:
    """List the IANA time zones the server knows."""
    data = call(lambda c: c.timezones.list())
    show(data, as_json, lambda d: console.print("\n".join(d)))
