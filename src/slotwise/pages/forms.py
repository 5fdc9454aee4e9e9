"""The booking form: its inputs, built from the event type's ``bookingFields``, and the checks
of a submitted form before it goes to :func:`slotwise.bookings.create.create_booking`.

Inputs follow Cal.com's booking form: the visible (not hidden) fields in the event type's order,
a required marker on required ones, the default fields' labels translated, ``guests`` as a
list of emails, ``location`` as a choice among the event type's locations (with a text input
for the kinds the attendee fills in). Each problem is reported next to its field, in the page's
language; the service's own checks (the booking API's rules) run afterwards and their per-field
``details`` are shown next to the fields too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request

from slotwise.bookings.location import event_locations
from slotwise.bookings.phones import is_e164, is_email
from slotwise.event_types.booking_fields import DEFAULT_FIELDS, effective_booking_fields
from slotwise.event_types.settings import settings_of
from slotwise.models import EventType
from slotwise.pages.i18n import N_

MAX_FORM_BYTES = 64 * 1024
Gettext = Callable[[str], str]
FormData = dict[str, list[str]]

# The default fields' labels, marked for translation (``N_``, extracted by pybabel).
DEFAULT_LABELS = frozenset(
    {
        N_("Your name"),
        N_("Email address"),
        N_("Location"),
        N_("What is this meeting about?"),
        N_("Additional notes"),
        N_("Add guests"),
        N_("Reason for reschedule"),
        N_("Phone number"),
    }
)
INPUT_TYPES = {
    "name": "text",
    "email": "email",
    "text": "text",
    "address": "text",
    "phone": "tel",
    "url": "url",
    "number": "number",
}
AUTOCOMPLETE = {"name": "name", "email": "email", "attendeePhoneNumber": "tel"}
ATTENDEE_KINDS = {"attendeePhone", "attendeeAddress", "attendeeDefined"}
_SPLIT = re.compile(r"[\s,;]+")


@dataclass
class LocationChoice:
    """One of the event type's locations as a radio option (``index`` into its list)."""

    index: int
    label: str
    needs_input: bool
    input_type: str


@dataclass
class FieldView:
    """One input of the form. ``control``: text-like input type (``text``, ``email``, ``tel``,
    ``url``, ``number``) or ``textarea``, ``select``, ``radio``, ``checkboxes``, ``boolean``,
    ``location``. ``value``/``values``: what to show (prefill or the submitted form)."""

    slug: str
    control: str
    label: str
    required: bool
    placeholder: str = ""
    options: list[str] = field(default_factory=list)
    value: str = ""
    values: list[str] = field(default_factory=list)
    error: str | None = None
    autocomplete: str | None = None
    hint: str | None = None
    locations: list[LocationChoice] = field(default_factory=list)
    location_value: str = ""


def _label(f: dict[str, Any], _: Gettext) -> str:
    label = str(f.get("label") or f.get("slug") or "")
    default = DEFAULT_FIELDS.get(str(f.get("slug")), {}).get("label")
    if f.get("isDefault") and label == default and label in DEFAULT_LABELS:
        return _(label)
    return label


def _location_label(loc: dict[str, Any], _: Gettext) -> str:
    kind = str(loc.get("type"))
    if kind == "integration":
        names = {
            "cal-video": "Cal Video",
            "google-meet": "Google Meet",
            "zoom": "Zoom",
            "office365-video": "Microsoft Teams",
        }
        app = str(loc.get("integration") or "cal-video")
        return names.get(app, app.replace("-", " ").title())
    labels = {
        "address": _("In person: %(place)s") % {"place": loc.get("address") or ""},
        "link": _("Online meeting (link)"),
        "phone": _("Phone call from the organizer"),
        "attendeePhone": _("Phone call: the organizer calls you"),
        "attendeeAddress": _("In person at your address"),
        "attendeeDefined": _("A place you choose"),
        "organizersDefaultApp": _("The organizer's video app"),
    }
    return labels.get(kind, kind)


def location_choices(event_type: EventType, _: Gettext) -> list[LocationChoice]:
    """The event type's locations as radio options."""
    out: list[LocationChoice] = []
    for index, loc in enumerate(event_locations(event_type)):
        kind = str(loc.get("type"))
        input_type = "tel" if kind == "attendeePhone" else "text"
        out.append(
            LocationChoice(index, _location_label(loc, _), kind in ATTENDEE_KINDS, input_type)
        )
    return out


def _control(f: dict[str, Any]) -> str:
    slug, kind = str(f.get("slug")), str(f.get("type"))
    if slug == "location":
        return "location"
    if slug == "guests" or kind == "multiemail":
        return "textarea" if slug != "guests" else "text"
    if kind == "textarea":
        return "textarea"
    if kind in ("select", "radio"):
        return kind
    if kind in ("multiselect", "checkbox"):
        return "checkboxes"
    if kind == "boolean":
        return "boolean"
    return INPUT_TYPES.get(kind, "text")


def visible_fields(event_type: EventType, *, reschedule: bool) -> list[dict[str, Any]]:
    """The fields the form shows: not hidden; ``rescheduleReason`` only when rescheduling;
    when rescheduling only that one (the booking keeps its answers, as the API does)."""
    fields = effective_booking_fields(settings_of(event_type))
    if reschedule:
        return [f for f in fields if f.get("slug") == "rescheduleReason"]
    return [f for f in fields if not f.get("hidden") and f.get("slug") != "rescheduleReason"]


def build_fields(
    event_type: EventType,
    data: FormData,
    errors: dict[str, str],
    _: Gettext,
    *,
    reschedule: bool,
) -> list[FieldView]:
    """The inputs to render, filled from ``data`` (prefill or submitted values) with the
    ``errors`` by slug."""
    views: list[FieldView] = []
    for f in visible_fields(event_type, reschedule=reschedule):
        slug = str(f.get("slug"))
        control = _control(f)
        values = data.get(slug, [])
        view = FieldView(
            slug=slug,
            control=control,
            label=_label(f, _),
            required=bool(f.get("required")),
            placeholder=str(f.get("placeholder") or ""),
            options=[str(o) for o in f.get("options") or []],
            value=values[-1] if values else "",
            values=values,
            error=errors.get(slug),
            autocomplete=AUTOCOMPLETE.get(slug),
        )
        if slug == "guests" or f.get("type") == "multiemail":
            view.hint = _("Email addresses, separated by commas")
        if control == "tel":
            view.hint = _("International format, e.g. +14155552671")
        if control == "location":
            view.locations = location_choices(event_type, _)
            view.location_value = (data.get("locationValue") or [""])[-1]
            if not view.value and view.locations:
                view.value = "0"
        views.append(view)
    return views


@dataclass
class Submission:
    """A checked form: what the booking service needs. ``location``: a location input object
    (``{"type": ...}``) or None; ``responses``: ``bookingFieldsResponses``."""

    name: str = ""
    email: str = ""
    phone: str | None = None
    guests: list[str] = field(default_factory=list)
    location: dict[str, Any] | None = None
    responses: dict[str, Any] = field(default_factory=dict)
    reschedule_reason: str | None = None


def _one(data: FormData, key: str) -> str:
    values = data.get(key) or [""]
    return values[-1].strip()


def _location_input(
    event_type: EventType, data: FormData, _: Gettext, errors: dict[str, str]
) -> dict[str, Any] | None:
    offered = event_locations(event_type)
    raw = _one(data, "location")
    if not offered:
        return None
    index = int(raw) if raw.isdigit() and int(raw) < len(offered) else 0
    loc = offered[index]
    kind = str(loc.get("type"))
    value = _one(data, "locationValue")
    if kind in ATTENDEE_KINDS and not value:
        errors["location"] = _("Enter the location for this option")
        return None
    if kind == "attendeePhone":
        if not is_e164(value):
            errors["location"] = _("Enter the number in international format, e.g. +14155552671")
            return None
        return {"type": kind, "phone": value}
    if kind == "attendeeAddress":
        return {"type": kind, "address": value}
    if kind == "attendeeDefined":
        return {"type": kind, "location": value}
    if kind == "integration":
        return {"type": kind, "integration": str(loc.get("integration") or "cal-video")}
    return {"type": kind}


def _check_custom(f: dict[str, Any], data: FormData, _: Gettext) -> tuple[Any, str | None]:
    """(response value or None when empty, problem or None) of a custom field."""
    slug, kind = str(f.get("slug")), str(f.get("type"))
    options = [str(o) for o in f.get("options") or []]
    if kind in ("multiselect", "checkbox"):
        chosen = [v for v in data.get(slug, []) if v]
        if any(v not in options for v in chosen):
            return None, _("Choose from the options given")
        return (chosen or None), None
    if kind == "boolean":
        return (True if _one(data, slug) else None), None
    text = _one(data, slug)
    if not text:
        return None, None
    if kind in ("select", "radio") and text not in options:
        return None, _("Choose from the options given")
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return None, _("Enter a number")
        return (int(number) if number.is_integer() else number), None
    if kind == "multiemail":
        items = [x for x in _SPLIT.split(text) if x]
        if any(not is_email(x) for x in items):
            return None, _("Enter valid email addresses, separated by commas")
        return items, None
    if kind == "phone" and not is_e164(text):
        return None, _("Enter the number in international format, e.g. +14155552671")
    if kind == "url" and not re.match(r"^https?://[^\s/]+", text):
        return None, _("Enter a full web address starting with https://")
    return text, None


def check_form(
    event_type: EventType, data: FormData, _: Gettext, *, reschedule: bool
) -> tuple[Submission, dict[str, str]]:
    """Read and check a submitted form: the :class:`Submission` and the problems by field slug
    (empty when the form can be sent to the booking service)."""
    errors: dict[str, str] = {}
    sub = Submission()
    required_text = _("This field is required")
    for f in visible_fields(event_type, reschedule=reschedule):
        slug = str(f.get("slug"))
        required = bool(f.get("required"))
        if slug == "name":
            sub.name = _one(data, slug)[:200]
            value: Any = sub.name
        elif slug == "email":
            sub.email = _one(data, slug)
            value = sub.email
            if value and not is_email(value):
                errors[slug] = _("Enter a valid email address")
        elif slug == "attendeePhoneNumber":
            value = _one(data, slug) or None
            if value and not is_e164(value):
                errors[slug] = _("Enter the number in international format, e.g. +14155552671")
            sub.phone = value
        elif slug == "guests":
            items = [x for x in _SPLIT.split(_one(data, slug)) if x]
            if any(not is_email(x) for x in items):
                errors[slug] = _("Enter valid email addresses, separated by commas")
            sub.guests = items
            value = items
        elif slug == "location":
            sub.location = _location_input(event_type, data, _, errors)
            continue
        elif slug in ("notes", "title", "rescheduleReason"):
            value = _one(data, slug)[:10_000] or None
            if slug == "rescheduleReason":
                sub.reschedule_reason = value
            elif value:
                sub.responses[slug] = value
        else:
            value, problem = _check_custom(f, data, _)
            if problem:
                errors[slug] = problem
            elif value is not None:
                sub.responses[slug] = value
        if required and not value and slug not in errors:
            errors[slug] = required_text
    return sub, errors


def booking_body(
    sub: Submission,
    event_type: EventType,
    *,
    start: str,
    time_zone: str,
    language: str,
    duration: int | None,
    reservation_uid: str | None,
) -> dict[str, Any]:
    """The POST /v2/bookings body (``CreateBookingInput_2024_08_13``) of a checked form."""
    attendee: dict[str, Any] = {"name": sub.name, "email": sub.email, "timeZone": time_zone}
    if sub.phone:
        attendee["phoneNumber"] = sub.phone
    if language in ("de", "en"):
        attendee["language"] = language
    body: dict[str, Any] = {
        "start": start,
        "eventTypeId": event_type.id,
        "attendee": attendee,
        "bookingFieldsResponses": sub.responses,
    }
    if sub.guests:
        body["guests"] = sub.guests
    if sub.location is not None:
        body["location"] = sub.location
    if duration is not None:
        body["lengthInMinutes"] = duration
    if reservation_uid:
        body["reservationUid"] = reservation_uid
    return body


API_FIELDS = {
    "attendee.name": "name",
    "attendee.email": "email",
    "attendee.phoneNumber": "attendeePhoneNumber",
    "guests": "guests",
    "location": "location",
}


def field_of(location: str) -> str | None:
    """The form field an API error location (``attendee.email``, ``bookingFieldsResponses.x``)
    belongs to, or None."""
    if location.startswith("bookingFieldsResponses."):
        return location.split(".", 1)[1].split(".", 1)[0]
    for prefix, slug in API_FIELDS.items():
        if location == prefix or location.startswith(prefix + "."):
            return slug
    return None


def first(data: FormData, key: str) -> str | None:
    """The last submitted value of ``key``, stripped, or None when empty."""
    return _one(data, key) or None


async def read_form(request: Request) -> FormData | None:
    """The url-encoded body of ``request`` (None when larger than :data:`MAX_FORM_BYTES`)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
