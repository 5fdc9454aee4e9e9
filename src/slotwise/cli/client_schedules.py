"""Client commands ``schedules …`` (``/v2/schedules``): weekly hours shown as ``Mon–Fri
09:00–17:00``, date overrides set with flags (``schedules override ID --date D --off``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any

import typer

from slotwise.cli.client_common import (
    Column,
    DataOption,
    JsonOption,
    WideOption,
    body,
    call,
    console,
    done,
    show,
    table,
)
from slotwise.cli.common import fail

schedules_app = typer.Typer(help="Availability schedules (/v2/schedules).", no_args_is_help=True)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def days_text(days: Sequence[str]) -> str:
    """``Mon–Fri``, ``Mon, Wed``, ``Sat, Sun``: runs of three days or more as ranges."""
    order = sorted({d for d in days if d in WEEKDAYS}, key=WEEKDAYS.index)
    runs: list[list[str]] = []
    for day in order:
        if runs and WEEKDAYS.index(day) == WEEKDAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0][:3]}–{run[-1][:3]}")
        else:
            parts.extend(d[:3] for d in run)
    return ", ".join(parts)


def weekly_hours(rows: Any) -> str:
    """Weekly availability rows as ``Mon–Fri 09:00–12:00, 13:00–17:00; Sat 10:00–12:00``
    (``none`` when empty)."""
    if not isinstance(rows, list) or not rows:
        return "none"
    by_days: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        key = tuple(sorted(row.get("days") or [], key=_day_index))
        by_days.setdefault(key, []).append(f"{row.get('startTime')}–{row.get('endTime')}")
    ordered = sorted(by_days.items(), key=lambda item: [_day_index(d) for d in item[0]])
    return "; ".join(f"{days_text(days)} {', '.join(sorted(hours))}" for days, hours in ordered)


def _day_index(day: str) -> int:
    return WEEKDAYS.index(day) if day in WEEKDAYS else len(WEEKDAYS)


def overrides_text(rows: Any) -> str:
    """Date overrides as ``2050-09-06 off; 2050-09-07 10:00–12:00`` (``none`` when empty)."""
    if not isinstance(rows, list) or not rows:
        return "none"
    by_date: dict[str, list[str]] = {}
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        start, end = row.get("startTime"), row.get("endTime")
        hours = "off" if start == end == "00:00" else f"{start}–{end}"
        by_date.setdefault(str(row.get("date")), []).append(hours)
    return "; ".join(f"{day} {', '.join(sorted(hours))}" for day, hours in sorted(by_date.items()))


def schedule_head(data: Mapping[str, Any]) -> str:
    """``schedule 3 "Office hours" (Europe/Rome, default)``."""
    default = ", default" if data.get("isDefault") else ""
    return f'schedule {data.get("id")} "{data.get("name")}" ({data.get("timeZone")}{default})'


def schedule_line(verb: str, data: Any) -> str:
    """``Created schedule 3 "Office hours" (Europe/Rome, default): Mon–Fri 09:00–17:00``."""
    if not isinstance(data, Mapping):
        return f"{verb} schedule."
    return f"{verb} {schedule_head(data)}: {weekly_hours(data.get('availability'))}"


def render_schedule(data: Any) -> None:
    """One schedule as a few readable lines."""
    if not isinstance(data, Mapping):
        console.print(str(data))
        return
    lines = [
        "S" + schedule_head(data)[1:],
        f"  weekly hours:   {weekly_hours(data.get('availability'))}",
        f"  date overrides: {overrides_text(data.get('overrides'))}",
    ]
    console.print("\n".join(lines), markup=False)


SCHEDULE_COLUMNS: list[Column] = [
    Column("id", "id"),
    Column("name", "name", flex=True),
    Column("time zone", "timeZone"),
    Column("default", "isDefault"),
    Column("weekly hours", lambda s: weekly_hours(s.get("availability")), flex=True),
]
SCHEDULE_WIDE_COLUMNS: list[Column] = [
    *SCHEDULE_COLUMNS,
    Column("date overrides", lambda s: overrides_text(s.get("overrides")), flex=True),
]


@schedules_app.command("list")
def schedules_list(as_json: JsonOption = False, wide: WideOption = False) -> None:
    """List your schedules."""
    columns = SCHEDULE_WIDE_COLUMNS if wide else SCHEDULE_COLUMNS
    show(
        call(lambda c: c.schedules.list()),
        as_json,
        lambda d: table(d, columns, "schedules", wide=wide),
    )


@schedules_app.command("get")
def schedules_get(schedule_id: int, as_json: JsonOption = False) -> None:
    """Show one schedule."""
    show(call(lambda c: c.schedules.get(schedule_id)), as_json, render_schedule)


@schedules_app.command("default")
def schedules_default(as_json: JsonOption = False) -> None:
    """Show your default schedule."""
    show(call(lambda c: c.schedules.get_default()), as_json, render_schedule)


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
        metavar="DAYS=HH:MM-HH:MM",
        help="e.g. Monday,Tuesday=09:00-17:00 (repeatable)",
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
    done(
        call(lambda c: c.schedules.create(payload)), as_json, lambda d: schedule_line("Created", d)
    )


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
    data_out = call(lambda c: c.schedules.update(schedule_id, payload))
    done(data_out, as_json, lambda d: schedule_line("Updated", d))


@schedules_app.command("delete")
def schedules_delete(schedule_id: int, as_json: JsonOption = False) -> None:
    """Delete a schedule."""
    data = call(lambda c: c.schedules.delete(schedule_id))
    done(data, as_json, lambda _d: f"Deleted schedule {schedule_id}.")


def _is_hhmm(value: str) -> bool:
    hours, colon, minutes = value.partition(":")
    if not (colon and len(hours) == len(minutes) == 2 and (hours + minutes).isdigit()):
        return False
    return int(hours) < 24 and int(minutes) < 60


@schedules_app.command("override")
def schedules_override(
    schedule_id: int,
    day: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="The date")],
    off: Annotated[bool, typer.Option("--off", help="Unavailable all that day")] = False,
    start: Annotated[
        str | None, typer.Option("--start", metavar="HH:MM", help="Available from (with --end)")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", metavar="HH:MM", help="Available until (with --start)")
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Back to the weekly hours")] = False,
    as_json: JsonOption = False,
) -> None:
    """Set or remove the date override of one day: --off, --start HH:MM --end HH:MM (those
    hours instead of the weekly ones), or --remove. Replaces what that date had."""
    chosen = [off, start is not None or end is not None, remove]
    if sum(chosen) != 1:
        raise fail("Give exactly one of --off, --start HH:MM --end HH:MM, or --remove.")
    if (start is None) != (end is None):
        raise fail("--start and --end go together: --start 10:00 --end 12:00.")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise fail(f"--date {day!r} is not a date: use YYYY-MM-DD.") from None
    for flag, value in (("--start", start), ("--end", end)):
        if value is not None and not _is_hhmm(value):
            raise fail(f"{flag} {value!r} is not a time: use HH:MM, 00:00 to 23:59.")

    def work(client: Any) -> Any:
        current = client.schedules.get(schedule_id)
        kept = [o for o in current.get("overrides") or [] if o.get("date") != day]
        if off:
            kept.append({"date": day, "startTime": "00:00", "endTime": "00:00"})
        elif start is not None:
            kept.append({"date": day, "startTime": start, "endTime": end})
        return client.schedules.update(schedule_id, {"overrides": kept})

    def line(data: Any) -> str:
        name = f'Schedule {schedule_id} "{data.get("name")}"' if isinstance(data, Mapping) else ""
        if remove:
            return f"{name}: {day} follows the weekly hours again."
        if off:
            return f"{name}: unavailable all day on {day}."
        return f"{name}: available {start}–{end} on {day} (instead of the weekly hours)."

    done(call(work), as_json, line)
