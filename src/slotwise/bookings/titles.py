"""Booking titles: Cal.com's default title and ``customName`` templates (cal-semantics §5.7).

Template variables (names matched case-insensitively, as the event-type validation accepts
them):

- ``{Event type title}`` → the event type's title;
- ``{Scheduler}``, ``{ATTENDEE}``, ``{USER}``, ``{HOST/ATTENDEE}`` → the attendee's name;
- ``{Scheduler first name}`` → its first word; ``{Scheduler last name}`` → the rest (Cal.com
  fills it only for a ``{firstName, lastName}`` name object and leaves it otherwise);
- ``{Organiser}``, ``{HOST}`` → the organizer's name; ``{Organiser first name}``,
  ``{Organiser given name}`` → its first word;
- ``{Event duration}`` → ``"30 mins"``;
- ``{Location}``, ``{LOCATION}`` → the location's label (``Cal Video``…) or the raw value;
- ``{Event date}`` / ``{Event time}`` → the start in the organizer's zone, e.g.
  ``Monday, September 5, 2050`` / ``10:00`` (Slotwise; older Cal.com versions had them);
- any ``{slug}`` of a booking field → the attendee's response (lists joined with ", "); a
  variable without a response becomes ``""``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

_VARIABLE = re.compile(r"\{([^{}]+)\}")
LOCATION_LABELS = {
    "integrations:daily": "Cal Video",
    "integrations:google:meet": "Google Meet",
    "integrations:zoom": "Zoom",
    "integrations:office365_video": "MS Teams",
}


def _name_or_nameless(name: str | None) -> str:
    return (name or "").strip() or "Nameless"


def location_label(location: str | None) -> str:
    """A human label for a stored location: conferencing apps by name, anything else as is."""
    if not location:
        return ""
    return LOCATION_LABELS.get(location, location)


def _response_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        if "value" in value:
            return str(value.get("value") or "")
        if "firstName" in value:
            return f"{value.get('firstName', '')} {value.get('lastName', '')}".strip()
        return ""
    return str(value)


def booking_title(
    *,
    template: str | None,
    event_title: str,
    organizer_name: str | None,
    attendee_name: str,
    duration: int,
    location: str | None,
    responses: dict[str, Any],
    start: datetime,
    organizer_time_zone: str,
) -> str:
    """The title of a new booking.

    Without a template: ``"{event title} between {organizer} and {attendee}"`` (``Nameless`` for
    an empty name). With one: the variables above substituted. ``duration`` in minutes;
    ``start`` an aware UTC instant; ``host_time_zone`` an IANA name. Never raises for unknown
    variables (they become ``""``); the result is cut to 1000 characters (the column size).
    """
    organizer = _name_or_nameless(organizer_name)
    attendee = _name_or_nameless(attendee_name)
    if not template or not template.strip():
        return f"{event_title} between {organizer} and {attendee}"[:1000]
    words = attendee.split()
    local = start.astimezone(ZoneInfo(organizer_time_zone))
    label = location_label(location)
    known: dict[str, str] = {
        "event type title": event_title,
        "scheduler": attendee,
        "attendee": attendee,
        "user": attendee,
        "host/attendee": attendee,
        "scheduler first name": words[0] if words else attendee,
        "scheduler last name": " ".join(words[1:]),
        "organiser": organizer,
        "host": organizer,
        "organiser first name": organizer.split()[0],
        "organiser given name": organizer.split()[0],
        "event duration": f"{duration} mins",
        "location": label,
        "event date": f"{local:%A}, {local:%B} {local.day}, {local.year}",
        "event time": f"{local:%H:%M}",
    }

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.strip().lower() in known:
            return known[name.strip().lower()]
        return _response_text(responses.get(name))

    return _VARIABLE.sub(substitute, template)[:1000]
