"""Booking-field responses of POST /v2/bookings, checked against the event type's fields.

The fields are :func:`slotwise.event_types.booking_fields.effective_booking_fields` (stored list
or Cal.com's defaults). Cal.com API v2 rules (cal-semantics §5.1, §5.8), with every problem named
in one 400 rather than only the first:

- hidden fields are never required; a visible required field without a value (absent, ``null``,
  ``""`` or ``[]``) → "Missing required booking field response: <slug> - …";
- value types: text, textarea, phone, address, url → string; number → number; boolean →
  boolean; multiemail, multiselect, checkbox → array; select, radio → a string or number that is
  one of the options; multiselect and checkbox items must be options; multiemail items valid
  emails; phone values E.164 (``phonenumbers``); url values absolute http(s) URLs;
- system fields come from the request's own properties: ``name``/``email`` from ``attendee``,
  ``attendeePhoneNumber`` from ``attendee.phoneNumber`` (Cal.com's own message when required and
  missing), ``guests`` from ``guests`` (or ``bookingFieldsResponses.guests``), ``location`` from
  ``location``; ``title``, ``notes`` and ``rescheduleReason`` are plain responses
  (``rescheduleReason`` is never required when booking);
- responses for slugs the event type does not define are kept as given (Cal.com stores them).

``disableOnPrefill`` only locks a prefilled input in the booking page; the API ignores it, as
Cal.com does.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from slotwise.bookings.phones import is_e164, is_email
from slotwise.event_types.booking_fields import effective_booking_fields
from slotwise.event_types.settings import settings_of
from slotwise.kit.errors import BadRequest
from slotwise.models import EventType

STRING_TYPES = frozenset({"text", "textarea", "phone", "address", "url"})
ARRAY_TYPES = frozenset({"multiemail", "multiselect", "checkbox"})
FROM_REQUEST = frozenset({"name", "email", "location", "guests", "attendeePhoneNumber"})
PHONE_MISSING = (
    "Missing attendee phone number - it is required by the event type. Pass it as "
    '"attendee.phoneNumber" string in the request.'
)
MAX_RESPONSE_LENGTH = 10_000


def _is_url(value: str) -> bool:
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _js_type(value: Any) -> str:
    """The JavaScript type name Cal.com's messages use for a received value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _empty(value: Any) -> bool:
    """Absent for ``required``: None, ``""``, ``[]`` or ``false`` (a required boolean is a
    consent box that must be ticked, as in Cal.com's booking form)."""
    return value is None or value is False or (isinstance(value, str | list) and not value)


def _type_error(slug: str, expected: str, field_type: str, value: Any) -> str:
    return (
        f"Invalid type for booking field '{slug}'. Expected type {expected} (compatible with "
        f"field type '{field_type}'), but received {_js_type(value)}."
    )


def _check_value(field: dict[str, Any], value: Any) -> str | None:
    """The problem with ``value`` for ``field``, or None when it is acceptable."""
    slug, kind = str(field.get("slug")), str(field.get("type"))
    options = [str(o) for o in field.get("options") or []]
    allowed = ", ".join(options)
    if kind in STRING_TYPES:
        if not isinstance(value, str):
            return _type_error(slug, "string", kind, value)
        if len(value) > MAX_RESPONSE_LENGTH:
            return f"Booking field '{slug}' is longer than {MAX_RESPONSE_LENGTH} characters."
        if kind == "phone" and value.strip() and not is_e164(value):
            return (
                f"Invalid phone number for booking field '{slug}': use the international "
                "format, e.g. +14155552671."
            )
        if kind == "url" and value.strip() and not _is_url(value):
            return f"Invalid URL for booking field '{slug}': use an absolute http(s) URL."
        return None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _type_error(slug, "number", kind, value)
        if not math.isfinite(value):
            return f"Booking field '{slug}' must be a finite number."
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) else _type_error(slug, "boolean", kind, value)
    if kind in ARRAY_TYPES:
        if not isinstance(value, list):
            return _type_error(slug, "array", kind, value)
        if kind == "multiemail":
            bad = [str(v) for v in value if not is_email(v)]
            if bad:
                return f"Invalid email(s) for booking field '{slug}': {', '.join(bad)}."
            return None
        if any(not isinstance(v, str) or v not in options for v in value):
            return (
                f"One or more invalid options for booking field '{slug}'. Allowed options "
                f"are: {allowed}."
            )
        return None
    if kind in ("select", "radio"):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return _type_error(slug, "string|number", kind, value)
        if str(value) not in options:
            return (
                f"Invalid option '{value}' for booking field '{slug}'. Allowed options are: "
                f"{allowed}."
            )
        return None
    return None


def _missing(slug: str, event_type_id: int) -> str:
    return (
        f"Missing required booking field response: {slug} - it is required by the event type "
        "booking fields, but missing in the bookingFieldsResponses. You can fetch the event type "
        f"with ID {event_type_id} to see the required fields."
    )


def check_responses(
    event_type: EventType,
    responses: dict[str, Any],
    *,
    phone_number: str | None,
    guests: list[str],
    view: str = "booking",
) -> None:
    """Validate ``responses`` (``bookingFieldsResponses``) against ``event_type``'s fields.

    ``phone_number``: ``attendee.phoneNumber``; ``guests``: the request's guests (already valid
    emails). ``view``: ``"booking"`` (``rescheduleReason`` never required) or ``"reschedule"``.
    Raises BadRequest whose message joins one sentence per bad field and whose ``details`` lists
    ``{"field", "message"}`` for each.
    """
    problems: list[tuple[str, str]] = []
    for field in effective_booking_fields(settings_of(event_type)):
        slug = str(field.get("slug") or "")
        hidden = bool(field.get("hidden"))
        required = bool(field.get("required")) and not hidden
        if slug == "attendeePhoneNumber":
            if required and not (phone_number or responses.get(slug)):
                problems.append((slug, PHONE_MISSING))
            continue
        if slug == "guests":
            if required and not guests:
                problems.append((slug, _missing(slug, event_type.id)))
            continue
        if slug in FROM_REQUEST:
            continue
        if slug == "rescheduleReason" and view != "reschedule":
            required = False
        value = responses.get(slug)
        if _empty(value):
            if required:
                problems.append((slug, _missing(slug, event_type.id)))
            continue
        problem = _check_value(field, value)
        if problem:
            problems.append((slug, problem))
    if problems:
        raise BadRequest(
            " ".join(message for _, message in problems),
            details=[{"field": slug, "message": message} for slug, message in problems],
        )


def guests_from(responses: dict[str, Any], given: list[str] | None) -> list[str] | None:
    """The guests of a create request: ``guests`` when given, else a ``guests`` booking-field
    response (a list of emails, or one email). Raises BadRequest for invalid emails there."""
    if given is not None:
        return given
    value = responses.get("guests")
    if value is None or value == "" or value == []:
        return None
    items = value if isinstance(value, list) else [value]
    bad = [str(v) for v in items if not is_email(v)]
    if bad:
        raise BadRequest(f"Invalid email(s) for booking field 'guests': {', '.join(bad)}.")
    return [str(v) for v in items]


def check_reschedule_reason(event_type: EventType, reason: str | None) -> None:
    """The reschedule view of the booking fields: when the event type's ``rescheduleReason``
    field is visible and required, a reschedule without ``reschedulingReason`` is a 400."""
    for field in effective_booking_fields(settings_of(event_type)):
        if field.get("slug") != "rescheduleReason":
            continue
        if field.get("required") and not field.get("hidden") and not reason:
            raise BadRequest(
                "Missing required booking field response: rescheduleReason - the event type "
                'requires a reason to reschedule: pass it as "reschedulingReason".',
                details=[{"field": "rescheduleReason", "message": "required"}],
            )
        return
