"""iCalendar (RFC 5545 / iTIP RFC 5546) documents for one booking, built with ``icalendar``.

Used for email attachments (``METHOD:REQUEST`` for a new, confirmed or moved booking,
``METHOD:CANCEL`` for a cancelled or declined one) and reusable wherever a booking is offered
as an ``.ics`` file. As in Cal.com, a booking keeps one ``UID`` (``booking.ical_uid``) across
reschedules and its ``SEQUENCE`` (``booking.ical_sequence``) grows with every change, so a
calendar client replaces the event it already has instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from slotwise import __version__
from slotwise.bookings.location import location_display
from slotwise.models import Attendee, Booking, User, utcnow

IcsMethod = Literal["REQUEST", "CANCEL", "PUBLISH"]

PRODID = "-//Slotwise//Slotwise Scheduling " + __version__ + "//EN"

_STATUS = {"accepted": "CONFIRMED", "pending": "TENTATIVE"}
_PARTSTAT = {"accepted": "ACCEPTED", "pending": "NEEDS-ACTION", "rejected": "DECLINED"}
LINK_PENDING = "the host will send you the meeting link."
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "GMT", "Etc/GMT"})


def zone_or_utc(name: str | None) -> tzinfo:
    """``ZoneInfo(name)``, or UTC when ``name`` is empty or not a known IANA zone."""
    if not name or name in _UTC_NAMES:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@lru_cache(maxsize=512)
def _vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``name`` covering 1 January ``first_year`` to 1 January ``last_year``.

    Cached: building one walks the zone's transitions. The component is only ever serialised,
    never mutated, so sharing it between calendars is safe.
    """
    return Timezone.from_tzinfo(
        ZoneInfo(name),
        tzid=name,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year, 1, 1),
    )


def _local_or_utc(instant: datetime, zone: tzinfo) -> datetime:
    """``instant`` as a wall time in ``zone``, or in UTC when that wall time is ambiguous (the
    repeated hour when clocks go back): RFC 5545 reads an ambiguous local time as its first
    occurrence, which would move an event in the second one by the DST difference."""
    local = instant.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def _address(email: str, name: str | None, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText((name or "").strip() or email)
    for key, value in params.items():
        address.params[key.upper()] = value
    return address


def booking_ics(
    booking: Booking,
    attendees: Sequence[Attendee],
    organizer: User,
    *,
    method: IcsMethod,
    public_url: str,
) -> bytes:
    """The iCalendar document (UTF-8 bytes, CRLF lines) of ``booking``.

    ``attendees``: the booking's attendees, booker first. ``organizer``: the booking's user (its
    ``time_zone`` is the zone DTSTART/DTEND are written in, with a VTIMEZONE covering the year
    before to the year after the booking; UTC and unknown zones are written as UTC ``Z`` times,
    which need no VTIMEZONE; so is a local time that occurs twice when clocks go back).
    ``public_url``: the server's public base URL (``settings.base_url``),
    used for the event's ``URL`` (``{public_url}/booking/{uid}``).

    Content: ``METHOD`` = ``method``; one VEVENT with ``UID`` = ``booking.ical_uid``,
    ``SEQUENCE`` = ``booking.ical_sequence``, ``DTSTAMP`` (now, UTC), ``DTSTART``/``DTEND``
    (``booking.start_time``/``end_time``, UTC instants, shown in the organizer's zone),
    ``SUMMARY`` (title), ``DESCRIPTION`` (the booking's description, if any, then for a
    conferencing app without a link, such as Cal Video while no video provider is configured,
    ``Cal Video: the host will send you the meeting link.``, or for a link ``Zoom: <link>``),
    ``LOCATION`` (if any: the link, or the location's human name, never ``integrations:…``;
    see :func:`slotwise.bookings.location.location_display`),
    ``ORGANIZER`` and one ``ATTENDEE`` per attendee with ``CN`` (the name, or the email
    when empty) and ``PARTSTAT`` (ACCEPTED for an accepted or cancelled booking, NEEDS-ACTION
    while pending, DECLINED when rejected), and ``STATUS``: CONFIRMED (accepted), TENTATIVE
    (pending), CANCELLED (cancelled or rejected, and always with ``METHOD:CANCEL``).
    Never raises for a well-formed booking.
    """
    zone = zone_or_utc(organizer.time_zone)
    start = _local_or_utc(booking.start_time, zone)
    end = _local_or_utc(booking.end_time, zone)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if isinstance(zone, ZoneInfo) and zone in (start.tzinfo, end.tzinfo):
        cal.add_component(_vtimezone(zone.key, start.year - 1, end.year + 2))

    event = Event()
    event.add("uid", booking.ical_uid)
    event.add("sequence", int(booking.ical_sequence or 0))
    event.add("dtstamp", utcnow().replace(microsecond=0))
    event.add("created", booking.created_at.astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", booking.title)
    place = location_display(booking.location)
    lines = [booking.description] if booking.description else []
    if place is not None and place.link_pending:
        lines.append(f"{place.name}: {LINK_PENDING}")
    elif place is not None and place.link and place.kind == "link":
        lines.append(f"{place.name}: {place.link}")
    if lines:
        event.add("description", "\n\n".join(lines))
    if place is not None:
        event.add("location", place.link if place.kind == "link" else place.name)
    base = public_url.rstrip("/")
    event.add("url", f"{base}/booking/{booking.uid}")
    event.add("organizer", _address(organizer.email, organizer.name))
    partstat = _PARTSTAT.get(booking.status, "ACCEPTED")
    for person in attendees:
        event.add(
            "attendee",
            _address(
                person.email,
                person.name,
                partstat=partstat,
                role="REQ-PARTICIPANT",
                cutype="INDIVIDUAL",
            ),
        )
    status = "CANCELLED" if method == "CANCEL" else _STATUS.get(booking.status, "CANCELLED")
    event.add("status", status)
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    cal.add_component(event)
    return bytes(cal.to_ical())


def booking_ics_filename(method: IcsMethod) -> str:
    """The attachment file name for ``method``: ``invite.ics`` or ``cancel.ics``."""
    return "cancel.ics" if method == "CANCEL" else "invite.ics"
