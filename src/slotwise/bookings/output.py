"""The ``BookingOutput_2024_08_13`` shape, built from rows already loaded (no queries here).

As Cal.com: ``status`` lower-case; ``start``/``end``/``createdAt``/``updatedAt`` UTC ISO with
milliseconds; ``duration`` in minutes; ``cancellationReason``/``cancelledByEmail`` are ``""``
when unset; ``meetingUrl`` repeats ``location``; ``bookingFieldsResponses`` holds the stored
responses (name, email, guests and the custom fields). Optional properties without a value
(``rescheduledFromUid``, ``rescheduledToUid``, ``reschedulingReason``, ``rescheduledByEmail``,
``rating``) are left out rather than sent as null, so every value matches the reference schema.

Seated bookings use ``GetSeatedBookingOutput_2024_08_13`` (and ``CreateSeatedBookingOutput``
with the caller's ``seatUid``): attendees are ``SeatedAttendee`` objects with their own
``seatUid``, ``bookingFieldsResponses`` (without the email, as Cal.com) and ``metadata``; there
are no booking-level ``guests``/``bookingFieldsResponses``. :func:`render` picks the shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slotwise.event_types.settings import settings_of
from slotwise.kit.envelope import iso_utc
from slotwise.models import Attendee, Booking, EventType, User
from slotwise.policy.bookings import is_organizer


def organizer_output(user: User) -> dict[str, Any]:
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
    organizer: User,
    event_type_slug: str | None,
    attendees: Sequence[Attendee],
) -> dict[str, Any]:
    """``BookingOutput_2024_08_13`` of ``booking`` organised by ``organizer``.

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
        "hosts": [organizer_output(organizer)],
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


def seated_attendee_output(attendee: Attendee) -> dict[str, Any]:
    """``SeatedAttendee``: a ``BookingAttendee`` plus its ``seatUid``, the seat's
    ``bookingFieldsResponses`` (email left out, as Cal.com) and ``metadata``."""
    data = attendee.seat_data or {}
    responses = {k: v for k, v in dict(data.get("responses") or {}).items() if k != "email"}
    out = attendee_output(attendee)
    out.update(
        {
            "seatUid": attendee.seat_uid or "",
            "bookingFieldsResponses": responses,
            "metadata": dict(data.get("metadata") or {}),
        }
    )
    return out


def seated_output(
    booking: Booking,
    organizer: User,
    event_type_slug: str | None,
    attendees: Sequence[Attendee],
    *,
    seat_uid: str | None = None,
) -> dict[str, Any]:
    """``GetSeatedBookingOutput_2024_08_13`` of a seated booking listing ``attendees`` (already
    filtered for the viewer); with ``seat_uid`` also ``seatUid`` (the create/reschedule shape
    ``CreateSeatedBookingOutput_2024_08_13``)."""
    out = booking_output(booking, organizer, event_type_slug, [])
    del out["guests"], out["bookingFieldsResponses"]
    out["attendees"] = [seated_attendee_output(a) for a in sorted(attendees, key=lambda a: a.id)]
    if seat_uid is not None:
        out["seatUid"] = seat_uid
    return out


def moved_seated_output(
    booking: Booking,
    organizer: User,
    event_type_slug: str | None,
    attendees: Sequence[Attendee],
) -> dict[str, Any]:
    """The answer to the organizer moving a whole seated booking (POST
    /v2/bookings/{uid}/reschedule without ``seatUid``, an extension): the reference's
    ``BookingOutput_2024_08_13`` (no single seat moved, so not ``CreateSeatedBookingOutput``),
    each attendee also carrying its seat as in ``SeatedAttendee`` (``seatUid``, the seat's
    ``bookingFieldsResponses`` and ``metadata``); the booking's own ``bookingFieldsResponses``
    are empty (they live on the seats)."""
    out = booking_output(booking, organizer, event_type_slug, [])
    out["attendees"] = [seated_attendee_output(a) for a in sorted(attendees, key=lambda a: a.id)]
    return out


def is_seated(event_type: EventType | None, attendees: Sequence[Attendee]) -> bool:
    """True for a booking of a seated event type, or one whose attendees hold seats."""
    if event_type is not None and settings_of(event_type).seats.enabled:
        return True
    return any(a.seat_uid for a in attendees)


def shows_attendees(event_type: EventType | None) -> bool:
    """The event type's ``seats.showAttendeeInfo``: may every seat see the others?"""
    return settings_of(event_type).seats.attendee_info_is_true


def visible_seats(
    booking: Booking,
    event_type: EventType | None,
    attendees: Sequence[Attendee],
    *,
    viewer: User | None,
    seat_uid: str | None,
) -> list[Attendee]:
    """The attendees of a seated booking a viewer may see: all for the organizer or when the event
    type sets ``showAttendeeInfo``; otherwise only the seat ``seat_uid`` (when the viewer came
    with it) or the viewer's own seat (by email); nobody for an anonymous viewer."""
    if is_organizer(viewer, booking) or shows_attendees(event_type):
        return list(attendees)
    if seat_uid is not None:
        return [a for a in attendees if a.seat_uid == seat_uid]
    if viewer is not None:
        return [a for a in attendees if a.email.lower() == viewer.email.lower()]
    return []


def render(
    booking: Booking,
    organizer: User,
    event_type: EventType | None,
    attendees: Sequence[Attendee],
    *,
    viewer: User | None = None,
    seat_uid: str | None = None,
    echo_seat: bool = False,
) -> dict[str, Any]:
    """The output of any booking: seated (attendees filtered by :func:`visible_seats`; with
    ``echo_seat`` also the top-level ``seatUid`` of the create/reschedule shape) or
    ``BookingOutput_2024_08_13`` (recurring occurrences carry ``recurringBookingUid``:
    ``RecurringBookingOutput_2024_08_13``)."""
    slug = event_type.slug if event_type is not None else None
    if not is_seated(event_type, attendees):
        return booking_output(booking, organizer, slug, attendees)
    shown = visible_seats(booking, event_type, attendees, viewer=viewer, seat_uid=seat_uid)
    return seated_output(booking, organizer, slug, shown, seat_uid=seat_uid if echo_seat else None)
