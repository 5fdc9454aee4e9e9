"""The iCalendar attachment of each booking email: :func:`email_ics` builds on
:func:`slotwise.calendars.ics.booking_ics` (``METHOD`` per :func:`ics_method`) and adds what a
recurring series needs (an ``RRULE``, or one cancelled instance per occurrence)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from icalendar import Calendar

from slotwise.calendars.ics import IcsMethod, booking_ics
from slotwise.models import Attendee, Booking, User

EmailKind = Literal[
    "created",
    "requested",
    "confirmed",
    "rescheduled",
    "cancelled",
    "declined",
    "reschedule_requested",
    "seat_cancelled",
]
Role = Literal["attendee", "host"]

_CANCELLING = frozenset({"cancelled", "declined", "reschedule_requested"})


def ics_method(kind: EmailKind, role: Role = "attendee") -> IcsMethod:
    """``CANCEL`` for cancelled, declined and reschedule-requested bookings and for the holder
    of a cancelled seat; ``REQUEST`` otherwise (the organizer of a cancelled seat gets the event
    updated with the remaining attendees)."""
    if kind in _CANCELLING or (kind == "seat_cancelled" and role == "attendee"):
        return "CANCEL"
    return "REQUEST"


def email_ics(
    kind: EmailKind,
    role: Role,
    booking: Booking,
    attendees: Sequence[Attendee],
    organizer: User,
    *,
    public_url: str,
    extras: dict[str, Any] | None = None,
) -> bytes:
    """The iCalendar attachment of a ``kind`` email to a ``role``: :func:`booking_ics` with
    :func:`ics_method`; for a recurring series (``extras``, see
    :func:`slotwise.email.messages.render_booking_email`) an ``RRULE`` on the first
    occurrence's event, or, when occurrences are cancelled, one cancelled instance per
    occurrence (``UID`` of the series, ``RECURRENCE-ID`` its start in UTC)."""
    extras = extras or {}
    raw = booking_ics(
        booking, attendees, organizer, method=ics_method(kind, role), public_url=public_url
    )
    recurrence: dict[str, Any] = extras.get("recurrence") or {}
    series: dict[str, Any] = extras.get("series") or {}
    if not recurrence and not series:
        return raw
    cal = Calendar.from_ical(raw)
    [event] = cal.walk("VEVENT")
    if recurrence:
        event.add(
            "RRULE",
            {
                "FREQ": str(recurrence["frequency"]).upper(),
                "INTERVAL": int(recurrence.get("interval") or 1),
                "COUNT": int(recurrence["count"]),
            },
        )
        return cal.to_ical()  # type: ignore[no-any-return]
    length = booking.end_time - booking.start_time
    cal.subcomponents = [c for c in cal.subcomponents if c.name != "VEVENT"]
    for iso in series["cancelled"]:
        start = datetime.fromisoformat(iso).astimezone(UTC)
        instance = copy.deepcopy(event)
        for name in ("UID", "DTSTART", "DTEND"):
            del instance[name]
        instance.add("UID", series["icalUid"])
        instance.add("RECURRENCE-ID", start)
        instance.add("DTSTART", start)
        instance.add("DTEND", start + length)
        cal.add_component(instance)
    return cal.to_ical()  # type: ignore[no-any-return]
