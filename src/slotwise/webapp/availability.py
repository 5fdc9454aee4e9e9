"""The Availability section of the web app: the host's schedules, the weekly editor, date
overrides on a month calendar, and the troubleshooter of one day.

- ``GET /app/availability``: the schedules (the default marked) and a "New schedule" form
  (``POST /app/availability``: Monday–Friday 09:00–17:00, as the API creates it);
- ``GET|POST /app/availability/{id}``: the weekly editor (several ranges per day, "add a range",
  "copy this day's times to …"), the name and the time zone;
- ``POST /app/availability/{id}/default`` and ``/delete``;
- ``POST /app/availability/{id}/overrides`` (add or replace a date's override) and
  ``/overrides/remove``; the month calendar marks override days (``?month=YYYY-MM``);
- ``GET /app/availability/troubleshoot?date=YYYY-MM-DD[&eventTypeId=]`` (module
  :mod:`slotwise.webapp.troubleshoot`).

Every write builds the API's ``UpdateScheduleInput`` / ``CreateScheduleInput`` (2024-06-11
shapes) and calls :mod:`slotwise.schedules.service`, as ``/v2/schedules`` does; validation and
service messages are shown beside the fields or at the top.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from slotwise.kit import clock
from slotwise.kit.errors import NotFound
from slotwise.kit.session import DbSession
from slotwise.models import Schedule
from slotwise.pages.i18n import N_, Formatter
from slotwise.pages.zones import zone_options
from slotwise.schedules import service
from slotwise.schedules.schemas import (
    WEEK_ORDER,
    CreateScheduleInput,
    ScheduleAvailabilityInput,
    ScheduleOverrideInput,
    UpdateScheduleInput,
)
from slotwise.webapp.context import (
    FLASH,
    AppSession,
    AppUser,
    app_context,
    render_app,
)
from slotwise.webapp.forms import (
    FormErrors,
    as_dict,
    attempt,
    checkbox,
    checked_form,
    text,
)
from slotwise.webapp.troubleshoot import router as troubleshoot_router

router = APIRouter(include_in_schema=False)
router.include_router(troubleshoot_router)  # first: before /app/availability/{id}

BASE = "/app/availability"
SECTION = "availability"
MAX_RANGES = 24
"""Ranges a day (or an override) may have in the editor."""

DAY_NAMES = {
    "Monday": N_("Monday"),
    "Tuesday": N_("Tuesday"),
    "Wednesday": N_("Wednesday"),
    "Thursday": N_("Thursday"),
    "Friday": N_("Friday"),
    "Saturday": N_("Saturday"),
    "Sunday": N_("Sunday"),
}
NEEDS_RANGE = N_("Add a time range, or mark the day unavailable")
FLASH.update(
    {
        "default-set": N_("This is now your default schedule"),
        "override-saved": N_("Date override saved"),
        "override-removed": N_("Date override removed"),
        "copied": N_("Times copied and saved"),
    }
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SECONDS = re.compile(r"^(\d{2}:\d{2}):00$")


@dataclass
class DayRows:
    """One weekday of the editor: ``available`` and its ``ranges`` (start, end) as typed."""

    day: str
    available: bool
    ranges: list[tuple[str, str]] = field(default_factory=list)


def _hhmm(value: str) -> str:
    """A time field's value; ``HH:MM:00`` (a browser with seconds) read as ``HH:MM``."""
    match = _SECONDS.match(value)
    return match.group(1) if match else value


def days_of(schedule: Schedule) -> list[DayRows]:
    """The editor's rows of ``schedule``'s weekly hours (a day without hours offers one
    09:00–17:00 row, unticked)."""
    out = []
    for day in WEEK_ORDER:
        ranges = sorted(
            (str(r["startTime"]), str(r["endTime"]))
            for r in schedule.availability or []
            if day in r.get("days", [])
        )
        out.append(DayRows(day, bool(ranges), ranges or [("09:00", "17:00")]))
    return out


def _ranges(form: FormData, start: str, end: str) -> list[tuple[str, str]]:
    """The (start, end) pairs of fields ``{start}{i}`` / ``{end}{i}``, i = 0, 1, … while
    present."""
    out = []
    for i in range(MAX_RANGES):
        if f"{start}{i}" not in form and f"{end}{i}" not in form:
            break
        out.append((_hhmm(text(form, f"{start}{i}")), _hhmm(text(form, f"{end}{i}"))))
    return out


def days_from(form: FormData) -> list[DayRows]:
    """The editor's rows as submitted."""
    return [
        DayRows(
            day, checkbox(form, f"available.{day}"), _ranges(form, f"start.{day}.", f"end.{day}.")
        )
        for day in WEEK_ORDER
    ]


def _row_errors(exc: ValidationError, errors: FormErrors, names: dict[str, str]) -> None:
    """A one-row model's errors beside its fields: ``names`` maps the model's field (its error
    location) to the form field; errors of the whole row go beside ``names["*"]``."""
    for error in exc.errors():
        loc = [str(x) for x in error.get("loc", ())]
        target = names.get(loc[0], names["*"]) if loc else names["*"]
        errors.add(target, str(error.get("msg", "Invalid value")).removeprefix("Value error, "))


def weekly_availability(days: list[DayRows], errors: FormErrors) -> list[dict[str, Any]]:
    """The API's ``availability`` rows of the ticked days (empty rows skipped), ranges with the
    same times grouped over their days; each range is checked with the API's row model first so
    its message lands beside its field."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for row in days:
        if not row.available:
            continue
        for i, (start, end) in enumerate(row.ranges):
            if not start and not end:
                continue
            try:
                ScheduleAvailabilityInput.model_validate(
                    {"days": [row.day], "startTime": start, "endTime": end}
                )
            except ValidationError as exc:
                names = {"startTime": f"start.{row.day}.{i}", "*": f"end.{row.day}.{i}"}
                _row_errors(exc, errors, names)
                continue
            grouped.setdefault((start, end), []).append(row.day)
    rows = [{"days": d, "startTime": s, "endTime": e} for (s, e), d in grouped.items()]
    return sorted(rows, key=lambda r: (WEEK_ORDER.index(r["days"][0]), r["startTime"]))


def _schedule_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _not_found(request: Request, app_user: AppUser) -> Response:
    ctx = app_context(request, app_user, section=SECTION)
    return render_app(request, ctx, "app/not_found.html", status_code=404)


async def _owned(session: DbSession, app_user: AppUser, raw: str) -> Schedule | None:
    """The user's schedule ``raw`` through the service (None: missing or someone else's)."""
    schedule_id = _schedule_id(raw)
    if schedule_id is None:
        return None
    try:
        return await service.get_schedule(session, app_user.user, schedule_id)
    except NotFound:
        return None


def summary(schedule: Schedule, gettext: Any) -> list[str]:
    """Lines describing ``schedule``'s weekly hours (``Monday, Tuesday: 09:00–17:00``)."""
    lines = []
    for row in schedule.availability or []:
        names = ", ".join(gettext(DAY_NAMES[d]) for d in row.get("days", []) if d in DAY_NAMES)
        lines.append(f"{names}: {row['startTime']}–{row['endTime']}")
    return lines


def _zones(app_user: AppUser, current: str) -> list[tuple[str, str]]:
    hour12 = app_user.user.time_format == 12
    return [(z.name, z.label) for z in zone_options(current, clock.now(), hour12)]


# ---- the list ----------------------------------------------------------------------------


async def _render_list(
    request: Request,
    session: DbSession,
    app_user: AppUser,
    *,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    ctx = app_context(request, app_user, section=SECTION)
    schedules = await service.list_schedules(session, app_user.user)
    values = values or {"timeZone": app_user.user.time_zone}
    return render_app(
        request,
        ctx,
        "app/availability/list.html",
        status_code=status_code,
        schedules=schedules,
        default_id=app_user.user.default_schedule_id,
        summaries={s.id: summary(s, ctx.page.gettext) for s in schedules},
        zones=_zones(app_user, values.get("timeZone") or app_user.user.time_zone),
        errors=errors,
        values=values,
    )


@router.get(BASE)
async def schedules_page(request: Request, session: DbSession, app_user: AppSession) -> Response:
    """The user's schedules, the default marked, and the "New schedule" form."""
    return await _render_list(request, session, app_user)


@router.post(BASE)
async def create_schedule(request: Request, session: DbSession, app_user: AppSession) -> Response:
    """Create a schedule (Monday–Friday 09:00–17:00, as the API does) and open its editor."""
    form = await checked_form(request, app_user.csrf)

    async def create() -> Schedule:
        body = CreateScheduleInput.model_validate(
            {"name": text(form, "name"), "timeZone": text(form, "timeZone"), "isDefault": False}
        )
        return await service.create_schedule(session, app_user.user, body)

    made, errors = await attempt(session, create)
    if made is None:
        return await _render_list(
            request, session, app_user, errors=errors, values=as_dict(form), status_code=400
        )
    return RedirectResponse(f"{BASE}/{made.id}?flash=created", status_code=303)


# ---- the editor --------------------------------------------------------------------------


@dataclass
class OverrideForm:
    """The "add a date override" form: ``date``, ``unavailable`` (all day) or ``ranges``."""

    date: str = ""
    unavailable: bool = False
    ranges: list[tuple[str, str]] = field(default_factory=lambda: [("09:00", "17:00")])
    errors: FormErrors | None = None


def _month(request: Request, schedule: Schedule, override_date: str) -> date:
    raw = request.query_params.get("month", "")
    match = _MONTH.match(raw)
    if match and 1 <= int(match.group(2)) <= 12 and 1900 <= int(match.group(1)) <= 2999:
        return date(int(match.group(1)), int(match.group(2)), 1)
    try:
        return date.fromisoformat(override_date).replace(day=1)
    except ValueError:
        pass
    return clock.now().astimezone(ZoneInfo(schedule.time_zone)).date().replace(day=1)


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def month_grid(
    month: date, overrides: dict[str, list[dict[str, Any]]], week_start: str
) -> list[list[dict[str, Any]]]:
    """The weeks of ``month`` (whole weeks from ``week_start``): each cell a day with its
    ``override`` kind (``off`` for a closed day, ``hours`` for other hours, None)."""
    first = WEEK_ORDER.index(week_start) if week_start in WEEK_ORDER else 6
    weeks = []
    for week in calendar.Calendar(firstweekday=first).monthdatescalendar(month.year, month.month):
        cells = []
        for day in week:
            rows = overrides.get(day.isoformat())
            kind = None
            if rows:
                kind = "off" if all(r["startTime"] == r["endTime"] for r in rows) else "hours"
            cells.append({"date": day, "in_month": day.month == month.month, "override": kind})
        weeks.append(cells)
    return weeks


async def _render_editor(
    request: Request,
    app_user: AppUser,
    schedule: Schedule,
    *,
    days: list[DayRows] | None = None,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
    override: OverrideForm | None = None,
    status_code: int = 200,
) -> Response:
    ctx = app_context(request, app_user, section=SECTION)
    if override is None:
        prefill = request.query_params.get("override_date", "")
        override = OverrideForm(date=prefill if len(prefill) == 10 else "")
    by_date: dict[str, list[dict[str, Any]]] = {}
    for row in schedule.overrides or []:
        by_date.setdefault(str(row["date"]), []).append(row)
    month = _month(request, schedule, override.date)
    values = values or {"name": schedule.name, "timeZone": schedule.time_zone}
    week_order = list(WEEK_ORDER)
    fmt = Formatter(ctx.page.language, app_user.user.time_format == 12)
    weeks = month_grid(month, by_date, app_user.user.week_start)
    return render_app(
        request,
        ctx,
        "app/availability/editor.html",
        status_code=status_code,
        schedule=schedule,
        is_default=schedule.id == app_user.user.default_schedule_id,
        days=days or days_of(schedule),
        day_names=DAY_NAMES,
        week_order=week_order,
        errors=errors,
        values=values,
        zones=_zones(app_user, values.get("timeZone") or schedule.time_zone),
        overrides=sorted(by_date.items()),
        day_dates={d: date.fromisoformat(d) for d in by_date},
        override=override,
        month=month,
        weeks=weeks,
        weekday_heads=[
            (fmt.weekday_long(c["date"]), fmt.weekday_short(c["date"])) for c in weeks[0]
        ],
        fmt=fmt,
        prev_month=_shift(month, -1).strftime("%Y-%m"),
        next_month=_shift(month, 1).strftime("%Y-%m"),
        url=f"{BASE}/{schedule.id}",
    )


@router.get(BASE + "/{schedule_id}")
async def editor_page(
    request: Request, session: DbSession, app_user: AppSession, schedule_id: str
) -> Response:
    """The weekly editor of one of the user's schedules (404 for anyone else's)."""
    schedule = await _owned(session, app_user, schedule_id)
    if schedule is None:
        return _not_found(request, app_user)
    return await _render_editor(request, app_user, schedule)


def _copy(form: FormData, days: list[DayRows], source: str) -> list[DayRows]:
    """``days`` with ``source``'s ranges (and availability) copied to the days ticked in its
    "copy to" list."""
    by_day = {d.day: d for d in days}
    origin = by_day.get(source)
    if origin is None:
        return days
    for target in WEEK_ORDER:
        if target != source and checkbox(form, f"copy.{source}.{target}"):
            by_day[target] = DayRows(target, origin.available, list(origin.ranges))
    return [by_day[d] for d in WEEK_ORDER]


@router.post(BASE + "/{schedule_id}")
async def save_schedule(
    request: Request, session: DbSession, app_user: AppSession, schedule_id: str
) -> Response:
    """Save the weekly editor (name, time zone, hours), or, for its "add a range" and
    "remove" buttons, show it again with one row more or less (nothing saved)."""
    form = await checked_form(request, app_user.csrf)
    schedule = await _owned(session, app_user, schedule_id)
    if schedule is None:
        return _not_found(request, app_user)
    days = days_from(form)
    values = as_dict(form)
    by_day = {d.day: d for d in days}
    adding, removing = text(form, "add_range"), text(form, "remove_range")
    if adding in by_day:
        row = by_day[adding]
        if len(row.ranges) < MAX_RANGES:
            row.ranges.append(("", ""))
        row.available = True
        return await _render_editor(request, app_user, schedule, days=days, values=values)
    if removing:
        day, _, index = removing.partition(".")
        if day in by_day and index.isdigit() and int(index) < len(by_day[day].ranges):
            del by_day[day].ranges[int(index)]
        return await _render_editor(request, app_user, schedule, days=days, values=values)
    source = text(form, "copy_from")
    if source:
        days = _copy(form, days, source)
    errors = FormErrors()
    availability = weekly_availability(days, errors)
    if not errors:

        async def update() -> Schedule:
            body = UpdateScheduleInput.model_validate(
                {
                    "name": text(form, "name"),
                    "timeZone": text(form, "timeZone"),
                    "availability": availability,
                }
            )
            return await service.update_schedule(session, app_user.user, schedule.id, body)

        saved, errors = await attempt(session, update)
    if errors:
        return await _render_editor(
            request, app_user, schedule, days=days, errors=errors, values=values, status_code=400
        )
    flash = "copied" if source else "saved"
    return RedirectResponse(f"{BASE}/{schedule.id}?flash={flash}", status_code=303)


@router.post(BASE + "/{schedule_id}/default")
async def make_default(
    request: Request, session: DbSession, app_user: AppSession, schedule_id: str
) -> Response:
    """Make the schedule the user's default (``isDefault: true``, as the API)."""
    await checked_form(request, app_user.csrf)
    schedule = await _owned(session, app_user, schedule_id)
    if schedule is None:
        return _not_found(request, app_user)
    body = UpdateScheduleInput(isDefault=True)
    _, errors = await attempt(
        session, lambda: service.update_schedule(session, app_user.user, schedule.id, body)
    )
    if errors:
        return await _render_editor(request, app_user, schedule, errors=errors, status_code=400)
    return RedirectResponse(f"{BASE}/{schedule.id}?flash=default-set", status_code=303)


@router.post(BASE + "/{schedule_id}/delete")
async def delete_schedule(
    request: Request, session: DbSession, app_user: AppSession, schedule_id: str
) -> Response:
    """Delete the schedule (the service's rule: the default passes to the oldest other one)."""
    await checked_form(request, app_user.csrf)
    schedule = await _owned(session, app_user, schedule_id)
    if schedule is None:
        return _not_found(request, app_user)
    _, errors = await attempt(
        session, lambda: service.delete_schedule(session, app_user.user, schedule.id)
    )
    if errors:
        return await _render_editor(request, app_user, schedule, errors=errors, status_code=400)
    return RedirectResponse(f"{BASE}?flash=deleted", status_code=303)


# ---- date overrides ----------------------------------------------------------------------


def _override_form(form: FormData) -> OverrideForm:
    return OverrideForm(
        date=text(form, "override_date"),
        unavailable=checkbox(form, "override_unavailable"),
        ranges=_ranges(form, "ostart.", "oend."),
    )


def override_rows(
    entry: OverrideForm, errors: FormErrors, gettext: Any = str
) -> list[dict[str, Any]]:
    """The API's ``overrides`` rows of the form: ``00:00``–``00:00`` for a day off, else its
    non-empty ranges, each checked with the API's row model (messages beside the fields)."""
    wanted = [("00:00", "00:00")] if entry.unavailable else entry.ranges
    rows = []
    for i, (start, end) in enumerate(wanted):
        if not start and not end:
            continue
        row = {"date": entry.date, "startTime": start, "endTime": end}
        try:
            ScheduleOverrideInput.model_validate(row)
        except ValidationError as exc:
            names = {"date": "override_date", "startTime": f"ostart.{i}", "*": f"oend.{i}"}
            if entry.unavailable:
                names.update({"startTime": "override_date", "*": "override_date"})
            _row_errors(exc, errors, names)
            continue
        rows.append(row)
    if not rows and not errors:
        errors.add("ostart.0", gettext(NEEDS_RANGE))
    return rows


@router.post(BASE + "/{schedule_id}/overrides")
async def add_override(
    request: Request, session: DbSession, app_user: AppSession, schedule_id: str
) -> Response:
    """Add a date override (a day off, or one or several ranges), replacing that date's
    earlier one; "add a range" shows the form again with one row more."""
    form = await checked_form(request, app_user.csrf)
    schedule = await _owned(session, app_user, schedule_id)
    if schedule is None:
        return _not_found(request, app_user)
    entry = _override_form(form)
    if text(form, "add_override_range"):
        if len(entry.ranges) < MAX_RANGES:
            entry.ranges.append(("", ""))
        return await _render_editor(request, app_user, schedule, override=entry)
    errors = FormErrors()
    rows = override_rows(entry, errors, app_context(request, app_user).page.gettext)
    if not errors:
        kept = [dict(r) for r in schedule.overrides or [] if r["date"] != entry.date]

        async def update() -> Schedule:
            body = UpdateScheduleInput.model_validate({"overrides": kept + rows})
            return await service.update_schedule(session, app_user.user, schedule.id, body)

        _, errors = await attempt(session, update)
    if errors:
        entry.errors = errors
        return await _render_editor(request, app_user, schedule, override=entry, status_code=400)
    month = entry.date[:7]
    return RedirectResponse(
        f"{BASE}/{schedule.id}?flash=override-saved&month={month}#overrides", status_code=303
    )


@router.post(BASE + "/{schedule_id}/overrides/remove")
async def remove_override(
    request: Request, session: DbSession, app_user: AppSession, schedule_id: str
) -> Response:
    """Remove every override of one date."""
    form = await checked_form(request, app_user.csrf)
    schedule = await _owned(session, app_user, schedule_id)
    if schedule is None:
        return _not_found(request, app_user)
    day = text(form, "date")
    kept = [dict(r) for r in schedule.overrides or [] if r["date"] != day]

    async def update() -> Schedule:
        body = UpdateScheduleInput.model_validate({"overrides": kept})
        return await service.update_schedule(session, app_user.user, schedule.id, body)

    _, errors = await attempt(session, update)
    if errors:
        return await _render_editor(request, app_user, schedule, errors=errors, status_code=400)
    return RedirectResponse(
        f"{BASE}/{schedule.id}?flash=override-removed#overrides", status_code=303
    )
