"""The ``BookingOutput_2024_08_13`` shape, built from rows already loaded (no queries here).

As Cal.com: ``status`` lower-case; ``start``/``end``/``createdAt``/``updatedAt`` UTC ISO with
milliseconds; ``duration`` in minutes; ``cancellationReason``/``cancelledByEmail`` are ``""``
when unset; ``meetingUrl`` repeats ``location``; ``bookingFieldsResponses`` holds the stored
responses (name, email, guests and the custom fields). Optional properties without a value
(``rescheduledFromUid``, ``rescheduledToUid``, ``reschedulingReason``, ``rescheduledByEmail``,
``rating``) are left out rather than sent as null, so every value matches the reference schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slotwise.kit.envelope import iso_utc
from slotwise.models import Attendee, Booking, User


def host_output(user: User) -> dict[str, Any]:
    """``BookingHost``: the organizer."""
    return {
        "id": user.id,
        "name": user.name or user.username,
        "email": user.email,
        "displayEmail": user.email,
        "username": user.username,
        "timeZone": user.time_zone,
    }


def attendee_output(attendee: Attendee) -> dict[str, Any]:
    """``BookingAttendee``; ``language`` defaults to ``en`` as in Cal.com."""
    out: dict[str, Any] = {
        "name": attendee.name,
        "email": attendee.email,
        "displayEmail": attendee.email,
        "timeZone": attendee.time_zone,
        "language": attendee.language or "en",
        "absent": bool(attendee.absent),
    }
    if attendee.phone_number:
        out["phoneNumber"] = attendee.phone_number
    return out


def booking_output(
    booking: Booking,
    host: User,
    event_type_slug: str | None,
    attendees: Sequence[Attendee],
) -> dict[str, Any]:
    """``BookingOutput_2024_08_13`` of ``booking`` organised by ``host``.

    ``attendees``: the booking's attendee rows (booker first, by id). ``event_type_slug`` is
    None when the event type was deleted (``eventType`` is then ``{"id": null, "slug": null}``).
    """
    responses = dict(booking.responses or {})
    location = booking.location or ""
    duration = round((booking.end_time - booking.start_time).total_seconds() / 60)
    out: dict[str, Any] = {
        "id": booking.id,
        "uid": booking.uid,
        "title": booking.title,
        "description": booking.description or "",
        "hosts": [host_output(host)],
        "status": booking.status,
        "cancellationReason": booking.cancellation_reason or "",
        "cancelledByEmail": booking.cancelled_by or "",
        "start": iso_utc(booking.start_time),
        "end": iso_utc(booking.end_time),
        "duration": duration,
        "eventTypeId": booking.event_type_id,
        "eventType": {"id": booking.event_type_id, "slug": event_type_slug},
        "location": location,
        "meetingUrl": location,
        "absentHost": bool(booking.absent_host),
        "createdAt": iso_utc(booking.created_at),
        "updatedAt": iso_utc(booking.updated_at),
        "metadata": dict(booking.metadata_ or {}),
        "icsUid": booking.ical_uid,
        "attendees": [attendee_output(a) for a in sorted(attendees, key=lambda a: a.id)],
        "guests": list(responses.get("guests") or []),
        "bookingFieldsResponses": responses,
    }
    optional = {
        "reschedulingReason": booking.reschedule_reason,
        "rescheduledByEmail": booking.rescheduled_by,
        "rescheduledFromUid": booking.rescheduled_from_uid,
        "rescheduledToUid": booking.rescheduled_to_uid,
        "recurringBookingUid": booking.recurring_booking_uid,
    }
    out.update({k: v for k, v in optional.items() if v})
    return out
