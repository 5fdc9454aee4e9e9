"""The event types section of the web app (``/app/event-types``, the app's home).

- ``GET /app/event-types``: the user's event types (copy link, hide toggle, duplicate,
  delete) and the "New event type" form (``POST /app/event-types``);
- ``GET|POST /app/event-types/{id}?tab=…``: the editor, one form per tab (Cal.com's grouping);
- ``POST /app/event-types/{id}/{hidden,duplicate,delete}``, private links and webhooks of the
  event type under ``/app/event-types/{id}/…``.

Every write builds the API's own input model (``CreateEventTypeInput`` /
``UpdateEventTypeInput`` of 2024-06-14, ``CreatePrivateLinkInput``, ``CreateWebhookInput``)
from the form and calls the same service as the endpoint, so the rules and messages are the
API's. The editor's fields are declared in :data:`TABS` (dotted form names are paths in the
PATCH body: ``bookingLimitsCount.day``); a tab sends only the fields whose value changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from slotwise.event_types import private_links, repository, service
from slotwise.event_types.booking_fields import CUSTOM_TYPES, WITHOUT_PLACEHOLDER
from slotwise.event_types.output import event_type_output
from slotwise.event_types.private_links import CreatePrivateLinkInput, link_output
from slotwise.event_types.schemas import (
    LANGUAGES,
    CreateEventTypeInput,
    UpdateEventTypeInput,
)
from slotwise.event_types.team_service import list_team_event_types
from slotwise.kit.errors import SlotwiseError
from slotwise.kit.schemas import INT32_MAX
from slotwise.kit.session import DbSession, get_settings
from slotwise.models import EventType, Team
from slotwise.pages.i18n import N_
from slotwise.policy.private_links import links_event_type
from slotwise.schedules.service import list_schedules
from slotwise.webapp.context import FLASH, AppSession, AppUser, app_context, render_app
from slotwise.webapp.forms import FormErrors, as_dict, attempt, checkbox, checked_form, text
from slotwise.webhooks import service as webhooks
from slotwise.webhooks.schemas import TRIGGERS, CreateWebhookInput, webhook_output

router = APIRouter(include_in_schema=False)

SECTION = "event-types"
LIST_URL = "/app/event-types"
FLASH.setdefault("duplicated", N_("Event type duplicated"))
FLASH.setdefault("hidden", N_("Event type hidden from your public page"))
FLASH.setdefault("shown", N_("Event type shown on your public page"))


# --- the editor's fields -------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input of the editor: ``name`` is its dotted path in the PATCH body.

    ``widget``: ``text``, ``textarea``, ``int``, ``ints`` (comma-separated numbers),
    ``checkbox``, ``select`` (``options``), ``multi`` (checkboxes of ``options``), ``url``,
    ``color``, ``json`` (a rare structure as JSON), ``schedule`` (the user's schedules),
    ``locations`` (rows of type + value).
    """

    name: str
    label: str
    widget: str = "text"
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Group:
    """A nested object of the body (``seats``, ``bookingWindow``, …) as a fieldset.

    ``toggle``: ``"disabled"`` — an on/off switch, off sends ``{"disabled": true}`` (Cal.com's
    ``X | Disabled``); ``"null"`` — off sends null (back to the default); ``""`` — always on.
    ``fix`` adjusts the built object (fields that only belong with some ``type``).
    """

    name: str
    label: str
    fields: tuple[Field, ...]
    toggle: str = "disabled"
    hint: str | None = None
    fix: Callable[[dict[str, Any]], dict[str, Any]] | None = None


Item = Field | Group


def _fix_window(value: dict[str, Any]) -> dict[str, Any]:
    raw = value.get("value")
    if value.get("type") == "range":
        value.pop("rolling", None)
        if isinstance(raw, str):
            value["value"] = [part.strip() for part in raw.split(",")] if raw else None
    elif isinstance(raw, str) and re.fullmatch(r"\d{1,9}", raw.strip()):
        value["value"] = int(raw)
    return {k: v for k, v in value.items() if v is not None}


def _fix_confirmation(value: dict[str, Any]) -> dict[str, Any]:
    threshold = value.get("noticeThreshold") or {}
    if value.get("type") != "time" or threshold.get("count") is None:
        value.pop("noticeThreshold", None)
    return value


def _fix_layouts(value: dict[str, Any]) -> dict[str, Any]:
    value.setdefault("enabledLayouts", [])
    return value


def _n(key: str, minutes: bool = False) -> Field:
    labels = {"day": N_("Per day"), "week": N_("Per week"), "month": N_("Per month")}
    labels["year"] = N_("Per year")
    return Field(key, labels[key], "int", N_("Minutes") if minutes else None)


LANGUAGE_OPTIONS = tuple((code, code or N_("The booker's language")) for code in LANGUAGES)
LAYOUTS = (("month", N_("Month")), ("week", N_("Weekly")), ("column", N_("Column")))
LOCATION_TYPES = (
    ("", N_("(none)")),
    ("integration", N_("Video app (Cal Video)")),
    ("address", N_("In person (address)")),
    ("link", N_("Link meeting")),
    ("phone", N_("Organizer phone number")),
    ("attendeeAddress", N_("In person (attendee address)")),
    ("attendeePhone", N_("Attendee phone number")),
    ("attendeeDefined", N_("Custom attendee location")),
)
LOCATION_VALUE = {"address": "address", "link": "link", "phone": "phone"}

TABS: dict[str, tuple[str, tuple[Item, ...]]] = {
    "details": (
        N_("Details"),
        (
            Field("title", N_("Title")),
            Field("slug", N_("URL slug"), hint=N_("Letters, digits and dashes")),
            Field("description", N_("Description"), "textarea"),
            Field("lengthInMinutes", N_("Duration (minutes)"), "int"),
            Field(
                "lengthInMinutesOptions",
                N_("Durations the booker can choose"),
                "ints",
                N_("Minutes, separated by commas (must include the duration); empty for one"),
            ),
            Field("locations", N_("Locations"), "locations", options=LOCATION_TYPES),
            Field("hidden", N_("Hidden from your public page"), "checkbox"),
        ),
    ),
    "availability": (
        N_("Availability"),
        (
            Field(
                "scheduleId",
                N_("Schedule"),
                "schedule",
                N_("Which of your schedules sets the times this event can be booked"),
            ),
        ),
    ),
    "limits": (
        N_("Limits"),
        (
            Field("beforeEventBuffer", N_("Buffer before the event (minutes)"), "int"),
            Field("afterEventBuffer", N_("Buffer after the event (minutes)"), "int"),
            Field(
                "minimumBookingNotice",
                N_("Minimum notice (minutes)"),
                "int",
                N_("Empty for the default (120 minutes)"),
            ),
            Field(
                "slotInterval",
                N_("Time-slot interval (minutes)"),
                "int",
                N_("Empty: the event's duration"),
            ),
            Field("offsetStart", N_("Offset start times (minutes)"), "int"),
            Field(
                "onlyShowFirstAvailableSlot", N_("Only show the first slot of each day"), "checkbox"
            ),
            Field("showOptimizedSlots", N_("Show optimized slots"), "checkbox"),
            Group(
                "bookingLimitsCount",
                N_("Limit booking frequency"),
                (_n("day"), _n("week"), _n("month"), _n("year")),
            ),
            Group(
                "bookingLimitsDuration",
                N_("Limit total booking duration"),
                (_n("day", True), _n("week", True), _n("month", True), _n("year", True)),
                hint=N_("Minutes, multiples of 15"),
            ),
            Group(
                "bookingWindow",
                N_("Limit future bookings"),
                (
                    Field(
                        "type",
                        N_("Window"),
                        "select",
                        options=(
                            ("businessDays", N_("Business days into the future")),
                            ("calendarDays", N_("Calendar days into the future")),
                            ("range", N_("Within a date range")),
                        ),
                    ),
                    Field(
                        "value",
                        N_("Days, or a date range"),
                        hint=N_("A number of days, or two dates: 2025-01-01, 2025-03-31"),
                    ),
                    Field(
                        "rolling", N_("Rolling window (always that many bookable days)"), "checkbox"
                    ),
                ),
                fix=_fix_window,
            ),
            Group(
                "bookerActiveBookingsLimit",
                N_("Limit the number of upcoming bookings per booker"),
                (
                    Field("maximumActiveBookings", N_("Maximum upcoming bookings"), "int"),
                    Field(
                        "offerReschedule", N_("Offer to reschedule the last booking"), "checkbox"
                    ),
                ),
            ),
        ),
    ),
    "advanced": (
        N_("Advanced"),
        (
            Group(
                "confirmationPolicy",
                N_("Requires confirmation"),
                (
                    Field(
                        "type",
                        N_("When"),
                        "select",
                        options=(
                            ("always", N_("Always")),
                            ("time", N_("When booked with less notice than")),
                        ),
                    ),
                    Field("noticeThreshold.count", N_("Notice"), "int"),
                    Field(
                        "noticeThreshold.unit",
                        N_("Unit"),
                        "select",
                        options=(("minutes", N_("Minutes")), ("hours", N_("Hours"))),
                    ),
                    Field(
                        "blockUnconfirmedBookingsInBooker",
                        N_("Unconfirmed bookings block the time"),
                        "checkbox",
                    ),
                ),
                fix=_fix_confirmation,
            ),
            Field(
                "requiresBookerEmailVerification",
                N_("Requires booker email verification"),
                "checkbox",
            ),
            Field(
                "bookingRequiresAuthentication", N_("Booking requires authentication"), "checkbox"
            ),
            Field("disableGuests", N_("Disable guests"), "checkbox"),
            Field("hideCalendarNotes", N_("Hide notes in calendar"), "checkbox"),
            Field("hideCalendarEventDetails", N_("Hide calendar event details"), "checkbox"),
            Field("hideOrganizerEmail", N_("Hide organizer's email"), "checkbox"),
            Field(
                "lockTimeZoneToggleOnBookingPage", N_("Lock time zone on booking page"), "checkbox"
            ),
            Field(
                "customName",
                N_("Event name in calendar"),
                hint=N_("Variables such as {Event type title}, {Scheduler}, {Organiser}"),
            ),
            Field(
                "successRedirectUrl",
                N_("Redirect on booking"),
                "url",
                N_("An http(s) address the booker goes to after booking"),
            ),
            Group(
                "disableCancelling",
                N_("Cancelling"),
                (Field("disabled", N_("Disable cancelling"), "checkbox"),),
                toggle="",
            ),
            Group(
                "disableRescheduling",
                N_("Rescheduling"),
                (
                    Field("disabled", N_("Disable rescheduling"), "checkbox"),
                    Field(
                        "minutesBefore",
                        N_("Or: not within this many minutes of the start"),
                        "int",
                    ),
                ),
                toggle="",
            ),
            Field(
                "allowReschedulingPastBookings", N_("Allow rescheduling past bookings"), "checkbox"
            ),
            Field(
                "allowReschedulingCancelledBookings",
                N_("Allow rescheduling cancelled bookings"),
                "checkbox",
            ),
            Field(
                "interfaceLanguage", N_("Booking page language"), "select", options=LANGUAGE_OPTIONS
            ),
            Group(
                "color",
                N_("Event type colour"),
                (
                    Field("lightThemeHex", N_("Light theme"), hint="#292929"),
                    Field("darkThemeHex", N_("Dark theme"), hint="#fafafa"),
                ),
                toggle="null",
            ),
            Group(
                "bookerLayouts",
                N_("Booker layouts"),
                (
                    Field("enabledLayouts", N_("Enabled layouts"), "multi", options=LAYOUTS),
                    Field("defaultLayout", N_("Default layout"), "select", options=LAYOUTS),
                ),
                toggle="null",
                fix=_fix_layouts,
            ),
            Group(
                "destinationCalendar",
                N_("Add bookings to this calendar"),
                (
                    Field("integration", N_("Calendar integration")),
                    Field("externalId", N_("Calendar id")),
                ),
                toggle="null",
            ),
            Field(
                "useDestinationCalendarEmail",
                N_("Use that calendar's email as organizer"),
                "checkbox",
            ),
            Field(
                "calVideoSettings",
                N_("Cal Video settings (JSON)"),
                "json",
                N_('For example {"disableRecordingForGuests": true}; empty for none'),
            ),
        ),
    ),
    "recurring": (
        N_("Recurring"),
        (
            Group(
                "recurrence",
                N_("Recurring event"),
                (
                    Field(
                        "frequency",
                        N_("Repeats"),
                        "select",
                        options=(
                            ("weekly", N_("Weekly")),
                            ("monthly", N_("Monthly")),
                            ("yearly", N_("Yearly")),
                        ),
                    ),
                    Field("interval", N_("Every (interval)"), "int"),
                    Field("occurrences", N_("Occurrences (at most 32)"), "int"),
                ),
                hint=N_("People can book a series of meetings in one booking"),
            ),
        ),
    ),
    "seats": (
        N_("Seats"),
        (
            Group(
                "seats",
                N_("Offer seats"),
                (
                    Field("seatsPerTimeSlot", N_("Seats per time slot"), "int"),
                    Field(
                        "showAttendeeInfo",
                        N_("Share attendee information between guests"),
                        "checkbox",
                    ),
                    Field(
                        "showAvailabilityCount",
                        N_("Show the number of available seats"),
                        "checkbox",
                    ),
                ),
                hint=N_("Several people book the same time slot"),
            ),
        ),
    ),
    "questions": (N_("Booking questions"), ()),
    "private-links": (N_("Private links"), ()),
    "webhooks": (N_("Webhooks"), ()),
}
"""The editor's tabs: key → (label, items). The last three have their own pages."""

FIELD_TABS = ("details", "availability", "limits", "advanced", "recurring", "seats")

SERVICE_FIELDS = (
    ("User already has an event type with this slug", "slug"),
    ("must contain letters or digits", "slug"),
    ("lengthInMinutesOptions", "lengthInMinutesOptions"),
    ("Seats Validation failed", "seats"),
    ("Recurrence and bookerActiveBookingsLimit", "recurrence"),
    ("Invalid event name variables", "customName"),
    ("not connected", "locations"),
    ("does not own schedule", "scheduleId"),
    ("Email booking field", "bookingFields"),
    ("expiresAt", "expiresAt"),
    ("subscriber url", "subscriberUrl"),
)
"""A service's refusal (its message contains the text) → the form field it is about."""


# --- values: API output → form, form → PATCH body --------------------------------------------


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else key, out)
    else:
        out[prefix] = value


def form_values(api: dict[str, Any]) -> dict[str, Any]:
    """The editor's field values (dotted names, form strings) from the API's output."""
    out: dict[str, Any] = {}
    for tab in FIELD_TABS:
        for item in TABS[tab][1]:
            if isinstance(item, Group):
                current = api.get(item.name)
                on = isinstance(current, dict) and not current.get("disabled")
                if item.toggle:
                    out[f"{item.name}.enabled"] = on
                if isinstance(current, dict):
                    flat: dict[str, Any] = {}
                    _flatten(current, item.name, flat)
                    out.update(flat)
                window = api.get("bookingWindow") or {}
                if item.name == "bookingWindow" and isinstance(window.get("value"), list):
                    out["bookingWindow.value"] = ", ".join(window["value"])
                continue
            current = api.get(item.name)
            if item.widget == "locations":
                for i, location in enumerate(current or []):
                    out[f"locations.{i}.type"] = location.get("type", "")
                    key = LOCATION_VALUE.get(location.get("type", ""), "integration")
                    out[f"locations.{i}.value"] = location.get(key, "")
                    out[f"locations.{i}.public"] = bool(location.get("public"))
            elif item.widget == "ints":
                out[item.name] = ", ".join(str(v) for v in current or [])
            elif item.widget == "json":
                out[item.name] = json.dumps(current) if current else ""
            else:
                out[item.name] = current
    return out


def _form_int(raw: str) -> Any:
    raw = raw.strip()
    if not raw:
        return None
    if re.fullmatch(r"-?\d{1,12}", raw):
        return int(raw)
    try:
        return float(raw)
    except ValueError:
        return raw


def _read(item: Field, values: Any, prefix: str, errors: FormErrors) -> Any:
    """The body value of field ``item`` from ``values`` (a form or :func:`form_values`)."""
    name = f"{prefix}{item.name}"
    raw = values.get(name)
    if item.widget == "checkbox":
        return raw is True or (isinstance(raw, str) and raw.lower() in ("true", "on", "1"))
    if item.widget == "multi":
        if isinstance(values, FormData):
            return [v for v in values.getlist(name) if isinstance(v, str)]
        return list(raw or [])
    if item.widget == "locations":
        return _read_locations(values)
    raw = "" if raw is None else str(raw).strip()
    if item.widget in ("int", "schedule"):
        return _form_int(raw)
    if item.widget == "ints":
        return [_form_int(part) for part in raw.split(",") if part.strip()] or None
    if item.widget == "json":
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            errors.add(name, N_("This is not valid JSON"))
            return None
    return raw or None


def _read_locations(values: Any) -> list[dict[str, Any]] | None:
    rows: list[dict[str, Any]] = []
    for i in range(50):
        kind = values.get(f"locations.{i}.type")
        if kind is None:
            break
        kind = str(kind)
        if not kind:
            continue
        value = str(values.get(f"locations.{i}.value") or "").strip()
        row: dict[str, Any] = {"type": kind}
        if kind == "integration":
            row["integration"] = value or "cal-video"
        elif kind in LOCATION_VALUE:
            row[LOCATION_VALUE[kind]] = value
            public = values.get(f"locations.{i}.public")
            row["public"] = public is True or public == "true"
        rows.append(row)
    return rows or None


def _set(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def tab_body(tab: str, values: Any, errors: FormErrors) -> dict[str, Any]:
    """The PATCH body of every field of ``tab`` read from ``values``."""
    body: dict[str, Any] = {}
    for item in TABS[tab][1]:
        if isinstance(item, Field):
            body[item.name] = _read(item, values, "", errors)
            continue
        on = _read(Field(f"{item.name}.enabled", "", "checkbox"), values, "", errors)
        if item.toggle and not on:
            body[item.name] = {"disabled": True} if item.toggle == "disabled" else None
            continue
        nested: dict[str, Any] = {}
        for sub in item.fields:
            value = _read(sub, values, f"{item.name}.", errors)
            if value is not None:
                _set(nested, sub.name, value)
        body[item.name] = item.fix(nested) if item.fix else nested
    return body


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``after`` that differ from ``before`` (a tab sends only those)."""
    return {k: v for k, v in after.items() if before.get(k) != v}


def _error_name(loc: tuple[Any, ...], known: set[str]) -> str | None:
    parts = [str(p) for p in loc]
    if len(parts) >= 2 and parts[0] == "locations":
        return f"locations.{parts[1]}"
    while parts:
        name = ".".join(parts)
        if name in known:
            return name
        parts.pop()
    return None


def place_errors(errors: FormErrors, known: set[str]) -> FormErrors:
    """``errors`` with every message under a field the page shows (a longer path under its
    nearest shown parent; a service's refusal under the field it names), else at the top."""
    placed = FormErrors()
    for name, message in errors.fields.items():
        loc = tuple(name.split("."))
        placed.add(_error_name(loc, known), message)
    for message in errors.general:
        target = next((f for text_, f in SERVICE_FIELDS if text_ in message), None)
        placed.add(target if target in known else None, message)
    return placed


def known_names(tab: str) -> set[str]:
    """The names an error can be shown beside on ``tab``."""
    names: set[str] = set()
    for item in TABS[tab][1]:
        names.add(item.name)
        if isinstance(item, Group):
            names.update(f"{item.name}.{sub.name}" for sub in item.fields)
        elif item.widget == "locations":
            names.update(f"locations.{i}" for i in range(50))
    return names


# --- helpers ---------------------------------------------------------------------------------


def not_found(request: Request, app_user: AppUser) -> Response:
    """The app's 404 page (a missing or someone else's event type)."""
    ctx = app_context(request, app_user, section=SECTION)
    return render_app(request, ctx, "app/not_found.html", status_code=404)


def public_url(request: Request, app_user: AppUser, slug: str) -> str:
    """The public booking page of the user's event type ``slug``."""
    return f"{get_settings(request).base_url}/{app_user.user.username}/{slug}"


async def _api_view(request: Request, event_type: EventType, app_user: AppUser) -> dict[str, Any]:
    return event_type_output(event_type, [app_user.user], get_settings(request).base_url)


async def _owned(session: AsyncSession, app_user: AppUser, event_type_id: int) -> EventType | None:
    try:
        return await service.get_event_type(session, app_user.user, event_type_id)
    except SlotwiseError:
        return None


async def _render_list(
    request: Request,
    session: AsyncSession,
    app_user: AppUser,
    status_code: int = 200,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    listing = await service.list_event_types(session, app_user.user)
    rows = [
        {
            "id": et.id,
            "title": et.title,
            "slug": et.slug,
            "length": et.length,
            "hidden": bool(et.hidden),
            "url": public_url(request, app_user, et.slug),
        }
        for et in listing.event_types
    ]
    ctx = app_context(request, app_user, section=SECTION)
    return render_app(
        request,
        ctx,
        "app/event_types/list.html",
        status_code=status_code,
        rows=rows,
        teams=await _team_groups(request, session, app_user),
        errors=errors,
        values=values or {},
        open_new=bool(errors) or request.query_params.get("new") == "1",
    )


async def _team_groups(
    request: Request, session: AsyncSession, app_user: AppUser
) -> list[dict[str, Any]]:
    """The event types of the user's teams (read-only here: the teams section edits them),
    as the team event types service lists them to a member."""
    base_url = get_settings(request).base_url
    groups = []
    for membership in app_user.principal.memberships:
        team = await session.get(Team, membership.team_id)
        if team is None:
            continue
        found = await list_team_event_types(session, app_user.principal, team.id)
        if not found:
            continue
        rows = [
            {
                "title": et.title,
                "slug": et.slug,
                "length": et.length,
                "hidden": bool(et.hidden),
                "kind": et.scheduling_type or "",
                "url": f"{base_url}/team/{team.slug}/{et.slug}" if team.slug else None,
            }
            for et in found
        ]
        groups.append({"name": team.name, "rows": rows})
    return groups


# --- list, create, hide, duplicate, delete ---------------------------------------------------


@router.get("/app/event-types")
async def list_page(request: Request, session: DbSession, app_user: AppSession) -> Response:
    """The user's event types and the "New event type" form."""
    return await _render_list(request, session, app_user)


@router.post("/app/event-types")
async def create(request: Request, session: DbSession, app_user: AppSession) -> Response:
    """Create an event type (as POST /v2/event-types), then open its editor."""
    form = await checked_form(request, app_user.csrf)
    title = text(form, "title")
    slug = text(form, "slug") or service.slugify(title) or title
    body = {
        "title": title,
        "slug": slug,
        "lengthInMinutes": _form_int(text(form, "lengthInMinutes")),
    }
    if text(form, "description"):
        body["description"] = text(form, "description")

    async def run() -> EventType:
        return await service.create_event_type(
            session, app_user.user, CreateEventTypeInput.model_validate(body)
        )

    created, errors = await attempt(session, run)
    if created is None:
        errors = place_errors(errors, {"title", "slug", "lengthInMinutes", "description"})
        return await _render_list(request, session, app_user, 400, errors, as_dict(form))
    return RedirectResponse(f"{LIST_URL}/{created.id}?flash=created", status_code=303)


@router.post("/app/event-types/{event_type_id:int}/hidden")
async def toggle_hidden(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """Hide the event type from the public page, or show it (``hidden`` = true/false)."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    form = await checked_form(request, app_user.csrf)
    hidden = checkbox(form, "hidden")
    body = UpdateEventTypeInput(hidden=hidden)
    result, errors = await attempt(
        session, lambda: service.update_event_type(session, app_user.user, event_type_id, body)
    )
    if result is None:
        return not_found(request, app_user)
    return RedirectResponse(f"{LIST_URL}?flash={'hidden' if hidden else 'shown'}", status_code=303)


INPUT_FIELDS = frozenset(UpdateEventTypeInput.model_fields)


def input_booking_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The API's booking fields (output shape) as the input shape of a create or update."""
    out: list[dict[str, Any]] = []
    for f in fields:
        slug, kind = f.get("slug"), f.get("type")
        common: dict[str, Any] = {k: f[k] for k in ("label", "placeholder") if f.get(k) is not None}
        flags: dict[str, Any] = {
            k: f[k] for k in ("required", "hidden", "disableOnPrefill") if k in f
        }
        if not f.get("isDefault"):
            item: dict[str, Any] = {"type": kind, "slug": slug, **common, **flags}
            if f.get("options") is not None:
                item["options"] = f["options"]
            if kind in WITHOUT_PLACEHOLDER:
                item.pop("placeholder", None)
            out.append(item)
        elif slug == "name":
            flags.pop("required", None)
            flags.pop("hidden", None)
            out.append({"type": "name", **common, **flags})
        elif slug == "email":
            out.append({"type": "email", **common, **flags})
        elif slug == "location":
            out.append({"slug": "location", "label": f.get("label")})
        elif slug == "attendeePhoneNumber":
            out.append({"type": "phone", "slug": slug, **common, **flags})
        else:
            out.append({"slug": slug, **common, **flags})
    return out


async def _free_slug(session: AsyncSession, app_user: AppUser, base: str) -> str:
    for n in range(1, 100):
        candidate = f"{base}-copy" if n == 1 else f"{base}-copy-{n}"
        if not await repository.slug_taken(session, app_user.user.id, candidate, excluding_id=None):
            return candidate
    return f"{base}-copy-{datetime.now().timestamp():.0f}"


@router.post("/app/event-types/{event_type_id:int}/duplicate")
async def duplicate(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """A copy titled "… (copy)" with a free slug and the same settings (the create service)."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    await checked_form(request, app_user.csrf)
    source = await _owned(session, app_user, event_type_id)
    if source is None:
        return not_found(request, app_user)
    api = await _api_view(request, source, app_user)
    body = {k: v for k, v in api.items() if k in INPUT_FIELDS and v is not None}
    body["bookingFields"] = input_booking_fields(api["bookingFields"])
    body["title"] = f"{source.title} (copy)"[:500]
    body["slug"] = await _free_slug(session, app_user, source.slug)

    async def run() -> EventType:
        return await service.create_event_type(
            session, app_user.user, CreateEventTypeInput.model_validate(body)
        )

    created, errors = await attempt(session, run)
    if created is None:
        return await _render_list(request, session, app_user, 400, errors)
    return RedirectResponse(f"{LIST_URL}/{created.id}?flash=duplicated", status_code=303)


@router.post("/app/event-types/{event_type_id:int}/delete")
async def delete(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """Delete the event type (as DELETE /v2/event-types/{id})."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    await checked_form(request, app_user.csrf)
    result, _ = await attempt(
        session, lambda: service.delete_event_type(session, app_user.user, event_type_id)
    )
    if result is None:
        return not_found(request, app_user)
    return RedirectResponse(f"{LIST_URL}?flash=deleted", status_code=303)


# --- the editor ------------------------------------------------------------------------------


async def _render_editor(
    request: Request,
    session: AsyncSession,
    app_user: AppUser,
    event_type: EventType,
    tab: str,
    status_code: int = 200,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    api = await _api_view(request, event_type, app_user)
    extra: dict[str, Any] = {}
    if tab in FIELD_TABS:
        extra["items"] = TABS[tab][1]
        shown = form_values(api)
        if values is not None:
            shown = values
        extra["values"] = shown
        extra["location_rows"] = _location_rows(shown)
    if tab == "availability":
        schedules = await list_schedules(session, app_user.user)
        extra["schedules"] = [(str(s.id), s.name) for s in schedules]
    if tab == "questions":
        extra["fields"] = api["bookingFields"]
        extra["values"] = values or {}
        extra["type_options"] = [(kind, kind) for kind in CUSTOM_TYPES]
    if tab == "private-links":
        links = await private_links.event_type_links(session, event_type)
        base_url = get_settings(request).base_url
        extra["links"] = [link_output(link, event_type, base_url) for link in links]
        extra["values"] = values or {}
    if tab == "webhooks":
        hooks = await webhooks.list_webhooks(
            session, app_user.user, event_type_id=event_type.id, skip=0, take=250
        )
        extra["webhooks"] = [webhook_output(w) for w in hooks]
        extra["triggers"] = TRIGGERS
        extra["values"] = values or {}
    ctx = app_context(request, app_user, section=SECTION)

    def tr(options: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
        return [(value, ctx._(label) if label else label) for value, label in options]

    return render_app(
        request,
        ctx,
        "app/event_types/editor.html",
        tr=tr,
        status_code=status_code,
        event_type=api,
        tab=tab,
        tabs=[(key, label) for key, (label, _) in TABS.items()],
        public=public_url(request, app_user, event_type.slug),
        errors=errors,
        **extra,
    )


def _location_rows(values: dict[str, Any]) -> int:
    """How many location rows to show: the existing ones and an empty one."""
    count = 0
    while f"locations.{count}.type" in values:
        count += 1
    return min(count + 1, 50)


def _tab(request: Request) -> str:
    tab = request.query_params.get("tab", "details")
    return tab if tab in TABS else "details"


def _editor_url(event_type_id: int, tab: str, flash: str = "saved") -> str:
    return f"{LIST_URL}/{event_type_id}?tab={tab}&flash={flash}"


def _submitted(form: FormData, tab: str) -> dict[str, Any]:
    """The submitted form as values to render again (repeated fields as lists)."""
    values: dict[str, Any] = as_dict(form)
    for item in TABS[tab][1]:
        subs = item.fields if isinstance(item, Group) else (item,)
        prefix = f"{item.name}." if isinstance(item, Group) else ""
        for sub in subs:
            if sub.widget == "multi":
                values[prefix + sub.name] = [v for v in form.getlist(prefix + sub.name)]
    return values


@router.get("/app/event-types/{event_type_id:int}")
async def editor(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """The editor of one event type, on the tab ``?tab=`` (details by default)."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    event_type = await _owned(session, app_user, event_type_id)
    if event_type is None:
        return not_found(request, app_user)
    return await _render_editor(request, session, app_user, event_type, _tab(request))


async def _update(
    session: AsyncSession, app_user: AppUser, event_type_id: int, body: dict[str, Any]
) -> tuple[EventType | None, FormErrors]:
    async def run() -> EventType:
        update = UpdateEventTypeInput.model_validate(body)
        return await service.update_event_type(session, app_user.user, event_type_id, update)

    return await attempt(session, run)


@router.post("/app/event-types/{event_type_id:int}")
async def save_tab(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """Save the fields of one tab (``?tab=``) as PATCH /v2/event-types/{id} does."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    form = await checked_form(request, app_user.csrf)
    tab = _tab(request)
    event_type = await _owned(session, app_user, event_type_id)
    if event_type is None or tab not in FIELD_TABS:
        return not_found(request, app_user)
    api = await _api_view(request, event_type, app_user)
    errors = FormErrors()
    before = tab_body(tab, form_values(api), FormErrors())
    after = tab_body(tab, form, errors)
    if not errors:
        _, errors = await _update(session, app_user, event_type_id, changed(before, after))
    if errors:
        errors = place_errors(errors, known_names(tab))
        event_type = await service.get_event_type(session, app_user.user, event_type_id)
        values = _submitted(form, tab)
        return await _render_editor(
            request, session, app_user, event_type, tab, 400, errors, values
        )
    return RedirectResponse(_editor_url(event_type_id, tab), status_code=303)


# --- booking questions -----------------------------------------------------------------------


QUESTION_ATTRS = ("options", "placeholder", "slug", "label")


def _new_question(form: FormData) -> dict[str, Any]:
    kind = text(form, "new.type")
    question: dict[str, Any] = {
        "type": kind,
        "slug": text(form, "new.slug") or service.slugify(text(form, "new.label")),
        "label": text(form, "new.label"),
        "required": checkbox(form, "new.required"),
    }
    if text(form, "new.placeholder"):
        question["placeholder"] = text(form, "new.placeholder")
    options = [line.strip() for line in text(form, "new.options").splitlines() if line.strip()]
    if options:
        question["options"] = options
    return question


@router.post("/app/event-types/{event_type_id:int}/questions")
async def save_questions(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """Edit (label, required, hidden), add (``op=add``) or remove (``remove=<slug>``) booking
    questions: the whole list is sent as ``bookingFields``."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    form = await checked_form(request, app_user.csrf)
    event_type = await _owned(session, app_user, event_type_id)
    if event_type is None:
        return not_found(request, app_user)
    api = await _api_view(request, event_type, app_user)
    current = input_booking_fields(api["bookingFields"])
    adding = text(form, "op") == "add"
    if not adding:
        for i, item in enumerate(current):
            if text(form, f"bf.{i}.slug") != (item.get("slug") or item.get("type")):
                continue
            if f"bf.{i}.label" in form:
                item["label"] = text(form, f"bf.{i}.label")
            if f"bf.{i}.placeholder" in form:
                item["placeholder"] = text(form, f"bf.{i}.placeholder")
            if f"bf.{i}.options" in form:
                options = text(form, f"bf.{i}.options").splitlines()
                item["options"] = [line.strip() for line in options if line.strip()]
            for flag in ("required", "hidden"):
                if f"bf.{i}.{flag}.shown" in form:
                    item[flag] = checkbox(form, f"bf.{i}.{flag}")
        remove = text(form, "remove")
        current = [f for f in current if not (remove and f.get("slug") == remove)]
    else:
        current.append(_new_question(form))
    _, errors = await _update(session, app_user, event_type_id, {"bookingFields": current})
    if errors:
        known = {f"bf.{i}.{a}" for i in range(len(current)) for a in QUESTION_ATTRS}
        known |= {f"new.{k}" for k in QUESTION_ATTRS}
        placed = FormErrors()
        for name, message in errors.fields.items():
            parts = name.split(".")
            if parts[0] == "bookingFields" and len(parts) > 1 and parts[1].isdigit():
                index = int(parts[1])
                attr = next((a for a in QUESTION_ATTRS if a == parts[-1] or a in message), "label")
                target = f"new.{attr}" if adding and index == len(current) - 1 else ""
                if not target:
                    target = f"bf.{index}.{attr}"
                    target = target if target in known else f"bf.{index}.label"
                placed.add(target if target in known else None, message)
            else:
                placed.add(None, message)
        placed.general.extend(errors.general)
        event_type = await service.get_event_type(session, app_user.user, event_type_id)
        return await _render_editor(
            request, session, app_user, event_type, "questions", 400, placed, as_dict(form)
        )
    return RedirectResponse(_editor_url(event_type_id, "questions"), status_code=303)


# --- private links ---------------------------------------------------------------------------


def _expiry(raw: str, time_zone: str) -> Any:
    """A ``datetime-local`` value in the user's time zone as an aware datetime (else as is)."""
    try:
        local = datetime.fromisoformat(raw)
    except ValueError:
        return raw or None
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(time_zone or "UTC"))
    return local.isoformat()


@router.post("/app/event-types/{event_type_id:int}/private-links")
async def create_private_link(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """A new private link (as POST /v2/event-types/{id}/private-links): usage-based
    (``maxUsageCount``) or time-based (``expiresAt``)."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    form = await checked_form(request, app_user.csrf)
    try:
        event_type = await links_event_type(session, app_user.user, event_type_id)
    except SlotwiseError:
        return not_found(request, app_user)
    body: dict[str, Any] = {}
    if text(form, "kind") == "time":
        body["expiresAt"] = _expiry(text(form, "expiresAt"), app_user.user.time_zone)
    else:
        body["maxUsageCount"] = _form_int(text(form, "maxUsageCount")) or 1

    async def run() -> Any:
        link_input = CreatePrivateLinkInput.model_validate(body)
        return await private_links.create_link(session, event_type, link_input)

    _, errors = await attempt(session, run)
    if errors:
        errors = place_errors(errors, {"expiresAt", "maxUsageCount"})
        return await _render_editor(
            request, session, app_user, event_type, "private-links", 400, errors, as_dict(form)
        )
    return RedirectResponse(_editor_url(event_type_id, "private-links", "created"), 303)


@router.post("/app/event-types/{event_type_id:int}/private-links/{link_id}/delete")
async def delete_private_link(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int, link_id: str
) -> Response:
    """Delete one private link of the event type."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    await checked_form(request, app_user.csrf)

    async def run() -> None:
        event_type = await links_event_type(session, app_user.user, event_type_id)
        await private_links.delete_link(session, event_type, link_id)

    _, errors = await attempt(session, run)
    if errors:
        return not_found(request, app_user)
    return RedirectResponse(_editor_url(event_type_id, "private-links", "deleted"), 303)


# --- webhooks --------------------------------------------------------------------------------


@router.post("/app/event-types/{event_type_id:int}/webhooks")
async def create_webhook(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int
) -> Response:
    """A webhook for this event type's bookings (as POST /v2/event-types/{id}/webhooks)."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    form = await checked_form(request, app_user.csrf)
    event_type = await _owned(session, app_user, event_type_id)
    if event_type is None:
        return not_found(request, app_user)
    body = {
        "subscriberUrl": text(form, "subscriberUrl"),
        "triggers": [t for t in form.getlist("triggers") if isinstance(t, str)],
        "active": checkbox(form, "active"),
        "secret": text(form, "secret") or None,
    }
    block = get_settings(request).block_private_networks

    async def run() -> Any:
        webhook_input = CreateWebhookInput.model_validate(body)
        return await webhooks.create_webhook(
            session, app_user.user, webhook_input, event_type_id=event_type_id, block_private=block
        )

    _, errors = await attempt(session, run)
    if errors:
        known = {"subscriberUrl", "triggers", "secret"}
        placed = place_errors(errors, known)
        for message in list(placed.general):
            if "url" in message.lower():
                placed.general.remove(message)
                placed.add("subscriberUrl", message)
        values = as_dict(form)
        values["triggers"] = body["triggers"]
        return await _render_editor(
            request, session, app_user, event_type, "webhooks", 400, placed, values
        )
    return RedirectResponse(_editor_url(event_type_id, "webhooks", "created"), 303)


@router.post("/app/event-types/{event_type_id:int}/webhooks/{webhook_id}/delete")
async def delete_webhook(
    request: Request, session: DbSession, app_user: AppSession, event_type_id: int, webhook_id: str
) -> Response:
    """Delete one webhook of the event type."""
    if not 1 <= event_type_id <= INT32_MAX:
        return not_found(request, app_user)
    await checked_form(request, app_user.csrf)

    async def run() -> None:
        webhook = await webhooks.get_webhook(
            session, app_user.user, webhook_id, event_type_id=event_type_id
        )
        await webhooks.delete_webhook(session, webhook)

    _, errors = await attempt(session, run)
    if errors:
        return not_found(request, app_user)
    return RedirectResponse(_editor_url(event_type_id, "webhooks", "deleted"), 303)
