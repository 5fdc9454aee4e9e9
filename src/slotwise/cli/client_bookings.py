"""Client commands ``agenda`` and ``bookings …`` (``/v2/bookings``, cal-api-version
2024-08-13). Times are shown in the viewer's zone; write commands print one line saying what was
done; ``--json`` prints ``data``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from slotwise.cli.client_common import (
    BOOKING_COLUMNS,
    BOOKING_WIDE_COLUMNS,
    Column,
    DataOption,
    JsonOption,
    WideOption,
    attendee_names,
    body,
    call,
    console,
    done,
    local,
    record,
    show,
    span,
    status_console,
    table,
)

if TYPE_CHECKING:
    from slotwise.client import Client

bookings_app = typer.Typer(help="Bookings (/v2/bookings).", no_args_is_help=True)

UidArg = Annotated[str, typer.Argument(help="Booking uid")]

# Location types of PATCH /v2/bookings/{uid}/location and the field that holds their value.
LOCATION_FIELDS = {
    "address": "address",
    "attendeeAddress": "address",
    "attendeeDefined": "location",
    "attendeePhone": "phone",
    "link": "link",
    "phone": "phone",
}


def _booking(data: Any) -> None:
    if isinstance(data, list):
        table(data, BOOKING_COLUMNS, "bookings")
    else:
        record(data, "booking")


def booking_summary(data: Any) -> str:
    """``uid X (2050-09-05 11:00–11:30 CEST, with Ada Lovelace, accepted)``; a list (recurring
    occurrences) as its count and first one."""
    if isinstance(data, list):
        if not data:
            return "no booking"
        return f"{len(data)} bookings, the first {booking_summary(data[0])}"
    if not isinstance(data, Mapping):
        return str(data)
    people = attendee_names(data)
    with_ = f", with {people}" if people else ""
    when = span(data.get("start"), data.get("end"))
    return f"uid {data.get('uid')} ({when}{with_}, {data.get('status')})"


def _fetch_all(client: Client, filters: dict[str, Any]) -> list[Any]:
    """Every page of GET /v2/bookings, with a progress line on stderr."""
    items: list[Any] = []
    with status_console.status("Fetching bookings…") as status:
        for item in client.bookings.iter(**filters):
            items.append(item)
            status.update(f"Fetching bookings… {len(items)}")
    return items


def agenda_command(
    days: Annotated[int, typer.Option("--days", help="How many days ahead", min=1)] = 7,
    as_json: JsonOption = False,
) -> None:
    """Your upcoming bookings for the next --days days, in your time zone."""
    now = datetime.now(UTC)
    filters = {
        "status": "upcoming",
        "afterStart": now,
        "beforeEnd": now + timedelta(days=days),
        "sortStart": "asc",
    }
    data = call(lambda c: _fetch_all(c, filters))

    def render(rows: list[Any]) -> None:
        if not rows:
            console.print(f"Nothing in the next {days} days.")
            return
        current = ""
        for booking in rows:
            day = local(booking.get("start"), "%A %d %B %Y")
            if day != current:
                console.print(f"\n[bold]{escape(day)}[/bold]")
                current = day
            when = f"{local(booking.get('start'), '%H:%M')}–{local(booking.get('end'), '%H:%M')}"
            title, people = escape(str(booking.get("title", ""))), escape(attendee_names(booking))
            console.print(f"  {when}  {title}  [dim]{people}[/dim]")

    show(data, as_json, render)


@bookings_app.command("list")
def bookings_list(
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="upcoming, recurring, past, cancelled, unconfirmed"),
    ] = None,
    attendee_email: Annotated[str | None, typer.Option("--attendee-email")] = None,
    event_type_id: Annotated[int | None, typer.Option("--event-type-id")] = None,
    after_start: Annotated[str | None, typer.Option("--after-start", help="UTC instant")] = None,
    before_end: Annotated[str | None, typer.Option("--before-end", help="UTC instant")] = None,
    take: Annotated[int | None, typer.Option("--take")] = None,
    skip: Annotated[int | None, typer.Option("--skip")] = None,
    fetch_all: Annotated[bool, typer.Option("--all", help="Follow every page")] = False,
    as_json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """List your bookings (one page, or every page with --all)."""
    filters = {
        k: v
        for k, v in {
            "status": status,
            "attendeeEmail": attendee_email,
            "eventTypeId": event_type_id,
            "afterStart": after_start,
            "beforeEnd": before_end,
            "take": take,
            "skip": skip,
        }.items()
        if v
    }
    if fetch_all:
        data = call(lambda c: _fetch_all(c, filters))
    else:
        data = call(lambda c: c.bookings.list(**filters))
    columns = BOOKING_WIDE_COLUMNS if wide else BOOKING_COLUMNS
    show(data, as_json, lambda d: table(d, columns, "bookings", wide=wide))


@bookings_app.command("get")
def bookings_get(uid: UidArg, as_json: JsonOption = False) -> None:
    """Show one booking."""
    show(call(lambda c: c.bookings.get(uid)), as_json, _booking)


@bookings_app.command("create")
def bookings_create(
    start: Annotated[str, typer.Option("--start", help="UTC instant, e.g. 2050-09-05T09:00Z")],
    name: Annotated[str | None, typer.Option("--name", help="Attendee name")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Attendee email")] = None,
    time_zone: Annotated[str | None, typer.Option("--time-zone", help="Attendee zone")] = None,
    event_type_id: Annotated[int | None, typer.Option("--event-type-id")] = None,
    event_type_slug: Annotated[str | None, typer.Option("--event-type-slug")] = None,
    username: Annotated[str | None, typer.Option("--username")] = None,
    length: Annotated[int | None, typer.Option("--length", help="Minutes")] = None,
    guests: Annotated[list[str] | None, typer.Option("--guest", help="Guest email")] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Book a slot."""
    payload = body(
        data,
        start=start,
        eventTypeId=event_type_id,
        eventTypeSlug=event_type_slug,
        username=username,
        lengthInMinutes=length,
        guests=guests,
    )
    attendee = {k: v for k, v in {"name": name, "email": email, "timeZone": time_zone}.items() if v}
    if attendee:
        payload["attendee"] = {**payload.get("attendee", {}), **attendee}
    done(
        call(lambda c: c.bookings.create(payload)),
        as_json,
        lambda d: f"Booked {booking_summary(d)}.",
    )


@bookings_app.command("cancel")
def bookings_cancel(
    uid: UidArg,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    as_json: JsonOption = False,
) -> None:
    """Cancel a booking."""
    payload = body(None, cancellationReason=reason)
    data = call(lambda c: c.bookings.cancel(uid, payload))
    done(data, as_json, lambda d: f"Cancelled {booking_summary(d)}.")


@bookings_app.command("reschedule")
def bookings_reschedule(
    uid: UidArg,
    start: Annotated[str, typer.Option("--start", help="New start, UTC instant")],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    rescheduled_by: Annotated[str | None, typer.Option("--rescheduled-by", help="Email")] = None,
    as_json: JsonOption = False,
) -> None:
    """Move a booking to a new start (the answer is the new booking)."""
    payload = body(None, start=start, reschedulingReason=reason, rescheduledBy=rescheduled_by)
    data = call(lambda c: c.bookings.reschedule(uid, payload))
    done(data, as_json, lambda d: f"Rescheduled {uid}: the new booking is {booking_summary(d)}.")


@bookings_app.command("confirm")
def bookings_confirm(uid: UidArg, as_json: JsonOption = False) -> None:
    """Accept a booking that requires confirmation."""
    done(
        call(lambda c: c.bookings.confirm(uid)),
        as_json,
        lambda d: f"Confirmed {booking_summary(d)}.",
    )


@bookings_app.command("decline")
def bookings_decline(
    uid: UidArg,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a booking that requires confirmation."""
    payload = body(None, reason=reason)
    data = call(lambda c: c.bookings.decline(uid, payload))
    done(data, as_json, lambda d: f"Declined {booking_summary(d)}.")


@bookings_app.command("mark-no-show")
def bookings_mark_no_show(
    uid: UidArg,
    host: Annotated[bool, typer.Option("--host", help="The host did not show up")] = False,
    attendees: Annotated[
        list[str] | None, typer.Option("--attendee", help="Email of an absent attendee")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Mark the host and/or attendees absent."""
    payload: Any = {}
    if host:
        payload["host"] = True
    if attendees:
        payload["attendees"] = [{"email": e, "absent": True} for e in attendees]
    absent = (["the host"] if host else []) + list(attendees or [])
    data = call(lambda c: c.bookings.mark_absent(uid, payload))
    done(
        data,
        as_json,
        lambda _d: f"Marked absent on booking {uid}: {', '.join(absent) or 'nobody'}.",
    )


@bookings_app.command("attendees")
def bookings_attendees(uid: UidArg, as_json: JsonOption = False) -> None:
    """List a booking's attendees."""
    columns = [
        Column("id", "id"),
        Column("name", "name", flex=True),
        Column("email", "email", flex=True),
        Column("time zone", "timeZone"),
    ]
    show(call(lambda c: c.bookings.attendees(uid)), as_json, lambda d: table(d, columns))


@bookings_app.command("add-attendee")
def bookings_add_attendee(
    uid: UidArg,
    name: Annotated[str, typer.Option("--name")],
    email: Annotated[str, typer.Option("--email")],
    time_zone: Annotated[str, typer.Option("--time-zone")] = "UTC",
    as_json: JsonOption = False,
) -> None:
    """Add an attendee to a booking."""
    payload = body(None, name=name, email=email, timeZone=time_zone)
    data = call(lambda c: c.bookings.add_attendee(uid, payload))
    done(data, as_json, lambda _d: f"Added {name} <{email}> to booking {uid}.")


@bookings_app.command("add-guests")
def bookings_add_guests(
    uid: UidArg,
    emails: Annotated[list[str], typer.Option("--email", help="Guest email (repeatable)")],
    as_json: JsonOption = False,
) -> None:
    """Add guests to a booking."""
    payload = body(None, guests=[{"email": e} for e in emails])
    data = call(lambda c: c.bookings.add_guests(uid, payload))
    done(data, as_json, lambda _d: f"Added guests {', '.join(emails)} to booking {uid}.")


@bookings_app.command("update-location")
def bookings_update_location(
    uid: UidArg,
    location_type: Annotated[
        str | None, typer.Option("--type", help=", ".join(LOCATION_FIELDS))
    ] = None,
    value: Annotated[str | None, typer.Option("--value", help="Address, link or phone")] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change where a booking takes place."""
    payload = body(data)
    if location_type:
        field = LOCATION_FIELDS.get(location_type, "location")
        payload["location"] = {"type": location_type, field: value}
    data = call(lambda c: c.bookings.update_location(uid, payload))
    where = data.get("location") if isinstance(data, Mapping) else None
    done(data, as_json, lambda _d: f"Booking {uid} now takes place at {where or value}.")


@bookings_app.command("calendar-links")
def bookings_calendar_links(uid: UidArg, as_json: JsonOption = False) -> None:
    """Add-to-calendar links (Google, Outlook, ICS…)."""
    columns = [Column("calendar", "label"), Column("link", "link", flex=True)]
    show(call(lambda c: c.bookings.calendar_links(uid)), as_json, lambda d: table(d, columns))


@bookings_app.command("references")
def bookings_references(
    uid: UidArg,
    ref_type: Annotated[str | None, typer.Option("--type")] = None,
    as_json: JsonOption = False,
) -> None:
    """External references (calendar events, video rooms) of a booking."""
    columns = [
        Column("type", "type"),
        Column("eventUid", "eventUid", flex=True),
        Column("id", "id"),
    ]
    data = call(lambda c: c.bookings.references(uid, type=ref_type))
    show(data, as_json, lambda d: table(d, columns))


@bookings_app.command("by-seat")
def bookings_by_seat(seat_uid: str, as_json: JsonOption = False) -> None:
    """Show the booking a seat uid belongs to."""
    show(call(lambda c: c.bookings.by_seat(seat_uid)), as_json, _booking)
