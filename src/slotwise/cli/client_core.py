"""Client commands: ``login``, ``logout``, ``me``, ``event-types``, ``slots``, ``timezones``.
Each calls the Cal.com API v2 through the SDK; write commands print one line saying what was
done, ``--json`` prints the response's ``data`` exactly."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from slotwise.cli.client_common import (
    DEFAULT_API_URL,
    Column,
    Credentials,
    DataOption,
    JsonOption,
    WideOption,
    api_errors,
    body,
    call,
    config_path,
    console,
    done,
    load_credentials,
    local,
    make_client,
    print_json,
    record,
    save_credentials,
    say,
    show,
    table,
    viewer_zone_name,
)

me_app = typer.Typer(help="Your profile (GET/PATCH /v2/me).")
event_types_app = typer.Typer(help="Event types (/v2/event-types).", no_args_is_help=True)
slots_app = typer.Typer(help="Free slots and reservations (/v2/slots).", no_args_is_help=True)


def login_command(
    api_key: Annotated[
        str | None,
        typer.Option("--api-key", help="An API key (cal_live_…); asked for, unechoed, if missing"),
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url",
            help=f"Server root, without /v2 (default {DEFAULT_API_URL}; asked for on a terminal)",
        ),
    ] = None,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="Check the key with GET /v2/me first")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Store an API key and server URL in the user config dir (file mode 0600).

    What is not given is asked for: the URL on a terminal (Enter keeps the one shown), the key
    always, without echo. With --json, prints the data of GET /v2/me (null with --no-verify)."""
    url_source = "given"
    if api_url is None:
        current = load_credentials()
        api_url, url_source = current.api_url, current.url_source
        if sys.stdin.isatty():
            api_url = typer.prompt("Server URL", default=api_url)
            url_source = "given"
    if not api_key:
        if sys.stdin.isatty():
            api_key = typer.prompt("API key (input hidden)", hide_input=True)
        else:  # piped: `slotwise login < key.txt`
            api_key = sys.stdin.readline()
        api_key = api_key.strip()
    if not api_key:
        raise typer.BadParameter("an API key is needed", param_hint="--api-key")
    api_url = api_url.rstrip("/")
    me: Any = None
    if verify:
        creds = Credentials(api_key, api_url, "given", url_source)
        with api_errors(creds), make_client(creds) as client:
            me = client.me.get()
    path = save_credentials(api_key, api_url)
    if as_json:
        print_json(me)
        return
    who = f" as {me.get('username') or me.get('email')}" if me else ""
    say(f"Logged in{who} to {api_url} (credentials in {path}).")


def logout_command() -> None:
    """Forget the stored credentials."""
    path = config_path()
    if path.exists():
        path.unlink()
        say(f"Removed {path}.")
    else:
        say("Not logged in.")


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
    done(
        call(lambda c: c.me.update(payload)),
        as_json,
        lambda d: (
            f"Updated your profile ({d.get('username')}, {d.get('email')}, {d.get('timeZone')})."
        ),
    )


def booking_page(event_type: Mapping[str, Any], base_url: str) -> str:
    """The public booking page of an event type: the server root + ``/{username}/{slug}``."""
    users = event_type.get("users") or []
    username = users[0].get("username") if users and isinstance(users[0], Mapping) else None
    if not username:
        return str(event_type.get("bookingUrl") or "")
    return f"{base_url.rstrip('/')}/{username}/{event_type.get('slug')}"


def event_type_line(verb: str, data: Any) -> str:
    """``Created event type 7 "Intro call" — booking page: http://…/demo/intro-call``."""
    if not isinstance(data, Mapping):
        return f"{verb} event type."
    head = f'{verb} event type {data.get("id")} "{data.get("title")}"'
    page = booking_page(data, load_credentials().api_url)
    return f"{head} — booking page: {page}" if page else head


ET_COLUMNS: list[Column] = [
    Column("id", "id"),
    Column("slug", "slug"),
    Column("title", "title", flex=True),
    Column("minutes", "lengthInMinutes"),
    Column("hidden", "hidden"),
]
ET_WIDE_COLUMNS: list[Column] = [
    *ET_COLUMNS,
    Column("schedule", "scheduleId"),
    Column("booking page", lambda e: booking_page(e, load_credentials().api_url), flex=True),
    Column("description", "description", flex=True),
]


@event_types_app.command("list")
def event_types_list(
    username: Annotated[str | None, typer.Option("--username", help="Someone's public")] = None,
    event_slug: Annotated[str | None, typer.Option("--event-slug")] = None,
    as_json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """List your event types, or a user's public ones with --username."""
    params = {k: v for k, v in {"username": username, "eventSlug": event_slug}.items() if v}
    data = call(lambda c: c.event_types.list(**params))
    columns = ET_WIDE_COLUMNS if wide else ET_COLUMNS
    show(data, as_json, lambda d: table(d, columns, "event types", wide=wide))


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
    data_out = call(lambda c: c.event_types.create(payload))
    done(data_out, as_json, lambda d: event_type_line("Created", d))


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
    data_out = call(lambda c: c.event_types.update(event_type_id, payload))
    done(data_out, as_json, lambda d: event_type_line("Updated", d))


@event_types_app.command("delete")
def event_types_delete(event_type_id: int, as_json: JsonOption = False) -> None:
    """Delete an event type."""
    data = call(lambda c: c.event_types.delete(event_type_id))
    title = f' "{data.get("title")}"' if isinstance(data, Mapping) and data.get("title") else ""
    done(data, as_json, lambda _d: f"Deleted event type {event_type_id}{title}.")


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
        columns = [Column("day", "day"), Column("free slots (your time)", "times", flex=True)]
        table(rows, columns, "slots")

    show(data, as_json, render)


def reservation_line(data: Any) -> str:
    """``Reserved Mon 2050-09-05 11:00 CEST (event type 1) until 20:15 CEST: uid X``."""
    if not isinstance(data, Mapping):
        return "Reserved."
    until = local(data.get("reservationUntil"), "%H:%M %Z")
    return (
        f"Reserved {local(data.get('slotStart'))} (event type {data.get('eventTypeId')}) "
        f"until {until}: reservation uid {data.get('reservationUid')}"
    )


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
    done(call(lambda c: c.slots.reserve(payload)), as_json, reservation_line)


@slots_app.command("reservation")
def slots_reservation(uid: str, as_json: JsonOption = False) -> None:
    """Show a reservation."""
    show(call(lambda c: c.slots.get_reservation(uid)), as_json, record)


@slots_app.command("release")
def slots_release(uid: str, as_json: JsonOption = False) -> None:
    """Release a reservation."""
    data = call(lambda c: c.slots.release(uid))
    done(data, as_json, lambda _d: f"Released reservation {uid}.")


def timezones_command(as_json: JsonOption = False) -> None:
    """List the IANA time zones the server knows."""
    data = call(lambda c: c.timezones.list())
    show(data, as_json, lambda d: console.print("\n".join(d)))
