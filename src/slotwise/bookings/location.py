"""A booking's location: the one stored when it is created (from the event type's locations and
the booker's choice) and PATCH /v2/bookings/{uid}/location (the reference's
BookingLocationController), which replaces it.

The PATCH loads the organizer's booking under the host lock (another user's booking is a 404),
checks the status, changes the rows and records ``location_changed`` with
:func:`slotwise.bookings.history.record` in the request's transaction. Flushes; the request's
session commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings.access import check_status, organized
from slotwise.bookings.history import record
from slotwise.bookings.location_schemas import (
    AddressUpdate,
    AttendeeAddressLocationInput,
    AttendeeAddressUpdate,
    AttendeeDefinedLocationInput,
    AttendeeDefinedUpdate,
    AttendeePhoneLocationInput,
    AttendeePhoneUpdate,
    BookingLocationInput,
    IntegrationLocationInput,
    LinkUpdate,
    PhoneUpdate,
    UpdateLocationInput,
)
from slotwise.bookings.reading import output_for
from slotwise.event_types.settings import settings_of
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest
from slotwise.models import EventType, User

_INTEGRATION_VALUES = {
    "cal-video": "integrations:daily",
    "google-meet": "integrations:google:meet",
    "zoom": "integrations:zoom",
    "office365-video": "integrations:office365_video",
}
CAL_VIDEO = {"type": "integration", "integration": "cal-video"}
APP_NAMES = {
    "cal-video": "Cal Video",
    "google-meet": "Google Meet",
    "zoom": "Zoom",
    "office365-video": "Microsoft Teams",
}
_NAMES_BY_VALUE = {value: APP_NAMES[app] for app, value in _INTEGRATION_VALUES.items()}
_LINK_HOSTS = {
    "zoom.us": "Zoom",
    "meet.google.com": "Google Meet",
    "teams.microsoft.com": "Microsoft Teams",
    "teams.live.com": "Microsoft Teams",
    "daily.co": "Cal Video",
    "cal.video": "Cal Video",
    "whereby.com": "Whereby",
    "meet.jit.si": "Jitsi Meet",
}
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,30}")


@dataclass(frozen=True)
class LocationDisplay:
    """How a stored booking location is shown to people (pages, emails, .ics files).

    ``name``: the human name (``Cal Video``, ``Zoom``, an address, a phone number, the link's
    host); ``link``: the join link (or ``tel:`` link) when there is one; ``link_pending``: a
    conferencing app without a link yet (no video provider is configured, as for Cal Video
    today), so the host sends the link themselves; ``kind``: ``app``, ``link``, ``phone`` or
    ``place``."""

    name: str
    link: str | None
    link_pending: bool
    kind: str


def location_display(location: str | None) -> LocationDisplay | None:
    """The display of stored location ``location`` (None when there is none).

    ``integrations:daily`` (Cal.com's default, kept by the API) is ``Cal Video`` with no link
    and ``link_pending``, since Slotwise configures no video provider: nothing ever shows the
    raw ``integrations:…`` value. A URL is named by its provider when known (``zoom.us`` →
    Zoom), else by its host; a phone number links with ``tel:``; anything else is a place."""
    value = (location or "").strip()
    if not value:
        return None
    if value.startswith("integrations:"):
        app = value.removeprefix("integrations:")
        name = _NAMES_BY_VALUE.get(value) or app.replace(":", " ").replace("_", " ").title()
        return LocationDisplay(name, None, True, "app")
    if value.startswith(("https://", "http://")):
        host = (urlsplit(value).hostname or "").removeprefix("www.")
        name = next(
            (
                label
                for domain, label in _LINK_HOSTS.items()
                if host == domain or host.endswith("." + domain)
            ),
            host or value,
        )
        return LocationDisplay(name, value, False, "link")
    if _PHONE.fullmatch(value):
        return LocationDisplay(value, "tel:" + re.sub(r"[^0-9+]", "", value), False, "phone")
    return LocationDisplay(value, None, False, "place")


def event_locations(event_type: EventType) -> list[dict[str, Any]]:
    """The event type's locations; Cal Video when none are set (Cal.com's default)."""
    settings = settings_of(event_type)
    if settings.locations_set:
        return list(settings.locations)
    return [dict(CAL_VIDEO)]


def integration_value(name: str) -> str:
    """The stored location of a conferencing app (``cal-video`` → ``integrations:daily``)."""
    return _INTEGRATION_VALUES.get(name, f"integrations:{name.replace('-', '_')}")


def _event_location_value(loc: dict[str, Any]) -> str | None:
    kind = loc.get("type")
    if kind == "address":
        return str(loc.get("address") or "") or None
    if kind == "link":
        return str(loc.get("link") or "") or None
    if kind == "phone":
        return str(loc.get("phone") or "") or None
    if kind == "integration":
        return integration_value(str(loc.get("integration") or "cal-video"))
    if kind == "organizersDefaultApp":
        return integration_value("cal-video")
    return None  # attendee-provided kinds have no value until the attendee gives one


def resolve_location(
    event_type: EventType, given: BookingLocationInput | str | None, meeting_url: str | None
) -> str | None:
    """The location stored on a new booking.

    A location object must be one of the event type's location types, else 400 with Cal.com's
    message. Attendee kinds store what the attendee typed; ``address``/``link``/``phone`` the
    event type's value; integrations their app (``integrations:daily`` for Cal Video). A plain
    string is stored as given (Cal.com's backwards compatibility), as is the deprecated
    ``meetingUrl``. Nothing given → the event type's first location.
    """
    offered = event_locations(event_type)
    if given is None:
        if meeting_url:
            return meeting_url
        return _event_location_value(offered[0]) if offered else None
    if isinstance(given, str):
        return given
    kinds = [str(loc.get("type")) for loc in offered]
    if given.type not in kinds:
        raise BadRequest(
            f"Booking location with type {given.type} not valid for event type with "
            f"id={event_type.id}. The event type has following location types: "
            + ", ".join(dict.fromkeys(kinds))
        )
    if isinstance(given, AttendeeAddressLocationInput):
        return given.address
    if isinstance(given, AttendeePhoneLocationInput):
        return given.phone
    if isinstance(given, AttendeeDefinedLocationInput):
        return given.location
    if isinstance(given, IntegrationLocationInput):
        return integration_value(given.integration)
    chosen = next(loc for loc in offered if loc.get("type") == given.type)
    return _event_location_value(chosen)


def _location_value(location: Any) -> str:
    if isinstance(location, AddressUpdate | AttendeeAddressUpdate):
        return location.address
    if isinstance(location, AttendeeDefinedUpdate):
        return location.location
    if isinstance(location, AttendeePhoneUpdate | PhoneUpdate):
        return location.phone
    if isinstance(location, LinkUpdate):
        return location.link
    raise BadRequest("Unsupported location type")  # unreachable: the schema is discriminated


async def update_location(
    session: AsyncSession, uid: str, body: UpdateLocationInput, user: User
) -> dict[str, Any]:
    """Replace the location of ``user``'s booking ``uid``; returns the booking.

    Any of the six location kinds of the reference, each carrying its value (the organizer's
    ``address``/``link``/``phone`` or the attendee's). Accepted or pending bookings only (400).
    The event's ``SEQUENCE`` grows (calendar copies are updates); records ``location_changed``.
    """
    loaded = await organized(session, uid, user, lock=True)
    booking = loaded.booking
    check_status(booking, ("accepted", "pending"), "changing the location")
    previous = booking.location
    value = _location_value(body.location)
    booking.location = value
    responses = dict(booking.responses or {})
    responses["location"] = value
    booking.responses = responses
    booking.ical_sequence = (booking.ical_sequence or 0) + 1
    booking.updated_at = clock.now()
    await session.flush()
    await record(
        session,
        booking,
        "location_changed",
        actor=user.email,
        data={"from": previous, "to": value, "type": body.location.type},
    )
    return await output_for(session, loaded)
