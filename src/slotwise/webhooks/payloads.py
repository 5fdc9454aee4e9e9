"""Webhook payloads in the shapes of Cal.com's "Webhook payload reference".

BOOKING_* events: ``{"triggerEvent", "createdAt", "payload": {...}}`` where the payload
describes the booking (``title``, ``startTime``/``endTime`` UTC ISO with milliseconds, ``type``
= event type slug, ``organizer``, ``attendees`` with ``utcOffset`` in minutes at the start,
``responses`` as ``{field: {label, value, isHidden}}``, ``uid``, ``bookingId``, ``status`` in
capitals …). ``bookerUrl`` is added at delivery (it is the server's public URL).
MEETING_STARTED/ENDED are flat: the booking's fields next to ``triggerEvent``.
BOOKING_NO_SHOW_UPDATED: ``{message, attendees: [{email, noShow}], bookingUid, bookingId}``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types.booking_fields import effective_booking_fields
from slotwise.event_types.settings import settings_of
from slotwise.kit.envelope import iso_utc
from slotwise.models import Attendee, Booking, EventType, User

_SYSTEM_FIELDS = frozenset(
    {"name", "email", "location", "title", "notes", "guests", "rescheduleReason",
     "attendeePhoneNumber"}
)  # fmt: skip


@dataclass
class BookingContext:
    """A booking with what its payloads need, loaded once."""

    booking: Booking
    organizer: User
    event_type: EventType | None
    attendees: list[Attendee]


async def load_context(session: AsyncSession, booking: Booking) -> BookingContext:
    """Load the organizer, event type and attendees (booker first) of ``booking``."""
    organizer = await session.get(User, booking.user_id)
    if organizer is None:
        raise LookupError(f"booking {booking.uid} has no host")
    event_type = (
        await session.get(EventType, booking.event_type_id) if booking.event_type_id else None
    )
    attendees = list(
        (
            await session.execute(
                select(Attendee).where(Attendee.booking_id == booking.id).order_by(Attendee.id)
            )
        ).scalars()
    )
    return BookingContext(booking, organizer, event_type, attendees)


def utc_offset(tz: str, at: datetime) -> int:
    """Minutes ahead of UTC of zone ``tz`` at ``at`` (0 for an unknown zone)."""
    try:
        offset = at.astimezone(ZoneInfo(tz)).utcoffset()
    except (KeyError, ValueError):
        return 0
    return int(offset.total_seconds() // 60) if offset else 0


def _organizer(organizer: User, start: datetime) -> dict[str, Any]:
    return {
        "id": organizer.id,
        "name": organizer.name or organizer.username,
        "email": organizer.email,
        "username": organizer.username,
        "timeZone": organizer.time_zone,
        "language": {"locale": organizer.locale or "en"},
        "timeFormat": "HH:mm" if organizer.time_format == 24 else "h:mma",
        "utcOffset": utc_offset(organizer.time_zone, start),
    }


def _attendee(a: Attendee, start: datetime) -> dict[str, Any]:
    first, _, last = (a.name or "").partition(" ")
    return {
        "email": a.email,
        "name": a.name,
        "firstName": first,
        "lastName": last,
        "timeZone": a.time_zone,
        "phoneNumber": a.phone_number,
        "language": {"locale": a.language or "en"},
        "utcOffset": utc_offset(a.time_zone, start),
    }


def responses_output(booking: Booking, event_type: EventType | None) -> dict[str, Any]:
    """Stored responses as ``{slug: {"label", "value", "isHidden"}}`` (fields of the event
    type without a response carry no ``value``)."""
    stored = dict(booking.responses or {})
    fields = effective_booking_fields(settings_of(event_type))
    out: dict[str, Any] = {}
    for field in fields:
        slug = str(field.get("slug"))
        entry: dict[str, Any] = {"label": field.get("label") or slug}
        if slug in stored:
            entry["value"] = stored[slug]
        entry["isHidden"] = bool(field.get("hidden"))
        out[slug] = entry
    for slug, value in stored.items():
        out.setdefault(slug, {"label": slug, "value": value, "isHidden": False})
    return out


def booking_payload(
    ctx: BookingContext, attendees: Sequence[Attendee] | None = None
) -> dict[str, Any]:
    """The ``payload`` object of a BOOKING_* webhook for the booking's current state.

    ``attendees``: the people to list (a seat's own attendee for seated events); default all.
    """
    b, et = ctx.booking, ctx.event_type
    settings = settings_of(et)
    people = list(attendees if attendees is not None else ctx.attendees)
    responses = dict(b.responses or {})
    notes = responses.get("notes") if isinstance(responses.get("notes"), str) else ""
    custom = {k: v for k, v in responses.items() if k not in _SYSTEM_FIELDS}
    seats = settings.seats
    payload: dict[str, Any] = {
        "title": b.title,
        "startTime": iso_utc(b.start_time),
        "endTime": iso_utc(b.end_time),
        "additionalNotes": notes or "",
        "type": et.slug if et else None,
        "description": b.description or notes or "",
        "eventTypeId": b.event_type_id,
        "hideCalendarNotes": settings.page.hide_calendar_notes,
        "hideCalendarEventDetails": settings.page.hide_calendar_event_details,
        "hideOrganizerEmail": settings.page.hide_organizer_email,
        "schedulingType": None,
        "seatsPerTimeSlot": seats.stored_per_time_slot,
        "seatsShowAttendees": seats.webhook_show_attendee_info,
        "seatsShowAvailabilityCount": seats.webhook_show_availability_count,
        "customReplyToEmail": None,
        "disableRescheduling": settings.rescheduling.disabled,
        "disableCancelling": settings.cancelling_disabled,
        "organizer": _organizer(ctx.organizer, b.start_time),
        "attendees": [_attendee(a, b.start_time) for a in people],
        "customInputs": {},
        "responses": responses_output(b, et),
        "userFieldsResponses": custom,
        "location": b.location or "",
        "destinationCalendar": None,
        "iCalUID": b.ical_uid,
        "iCalSequence": b.ical_sequence,
        "requiresConfirmation": settings.confirmation.is_set
        and not settings.confirmation.switched_on,
        "oneTimePassword": None,
        "organizationId": None,
        "hashedLink": None,
        "uid": b.uid,
        "eventTitle": et.title if et else b.title,
        "eventDescription": settings.page.description,
        "price": 0,
        "currency": "usd",
        "length": round((b.end_time - b.start_time).total_seconds() / 60),
        "bookingId": b.id,
        "metadata": dict(b.metadata_ or {}),
        "status": b.status.upper(),
    }
    if b.status == "cancelled":
        payload["cancellationReason"] = b.cancellation_reason
        payload["cancelledBy"] = b.cancelled_by
        payload["requestReschedule"] = False
    if b.status == "rejected":
        payload["rejectionReason"] = b.rejection_reason
    return payload


def rescheduled_payload(
    ctx: BookingContext, old: Booking, attendees: Sequence[Attendee] | None = None
) -> dict[str, Any]:
    """BOOKING_RESCHEDULED: the new booking plus where it moved from (``attendees``: as in
    :func:`booking_payload`)."""
    payload = booking_payload(ctx, attendees)
    payload.update(
        {
            "rescheduleId": old.id,
            "rescheduleUid": old.uid,
            "rescheduleStartTime": iso_utc(old.start_time),
            "rescheduleEndTime": iso_utc(old.end_time),
            "rescheduledBy": old.rescheduled_by,
        }
    )
    return payload


def no_show_payload(ctx: BookingContext, changes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """BOOKING_NO_SHOW_UPDATED: ``changes`` are ``{"email", "noShow"}`` entries."""
    marked = [c["email"] for c in changes if c.get("noShow")]
    unmarked = [c["email"] for c in changes if not c.get("noShow")]
    parts = []
    if marked:
        parts.append(f"{', '.join(marked)} marked as no-show")
    if unmarked:
        parts.append(f"{', '.join(unmarked)} unmarked as no-show")
    return {
        "message": "; ".join(parts),
        "attendees": [{"email": c["email"], "noShow": bool(c.get("noShow"))} for c in changes],
        "bookingUid": ctx.booking.uid,
        "bookingId": ctx.booking.id,
    }


def meeting_body(ctx: BookingContext, trigger: str) -> dict[str, Any]:
    """The flat MEETING_STARTED / MEETING_ENDED body (booking fields beside ``triggerEvent``)."""
    b, organizer = ctx.booking, ctx.organizer
    return {
        "triggerEvent": trigger,
        "id": b.id,
        "uid": b.uid,
        "idempotencyKey": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{b.uid}:{trigger}")),
        "userId": organizer.id,
        "userPrimaryEmail": organizer.email,
        "eventTypeId": b.event_type_id,
        "title": b.title,
        "description": b.description or "",
        "customInputs": {},
        "responses": responses_output(b, ctx.event_type),
        "startTime": iso_utc(b.start_time),
        "endTime": iso_utc(b.end_time),
        "location": b.location or "",
        "createdAt": iso_utc(b.created_at),
        "updatedAt": iso_utc(b.updated_at),
        "status": b.status.upper(),
        "paid": False,
        "destinationCalendarId": None,
        "cancellationReason": b.cancellation_reason,
        "rejectionReason": b.rejection_reason,
        "reassignReason": None,
        "reassignById": None,
        "dynamicEventSlugRef": None,
        "dynamicGroupSlugRef": None,
        "rescheduled": None,
        "fromReschedule": b.rescheduled_from_uid,
        "recurringEventId": b.recurring_booking_uid,
        "smsReminderNumber": None,
        "scheduledJobs": [],
        "metadata": dict(b.metadata_ or {}),
        "isRecorded": False,
        "iCalUID": b.ical_uid,
        "iCalSequence": b.ical_sequence,
        "rating": None,
        "ratingFeedback": None,
        "noShowHost": bool(b.absent_host),
        "oneTimePassword": None,
        "cancelledBy": b.cancelled_by,
        "rescheduledBy": b.rescheduled_by,
        "creationSource": "API_V2",
        "user": {
            "email": organizer.email,
            "name": organizer.name or organizer.username,
            "timeZone": organizer.time_zone,
            "username": organizer.username,
        },
        "attendees": [
            {
                "id": a.id,
                "email": a.email,
                "name": a.name,
                "timeZone": a.time_zone,
                "phoneNumber": a.phone_number,
                "locale": a.language or "en",
                "bookingId": b.id,
                "noShow": bool(a.absent),
            }
            for a in ctx.attendees
        ],
        "payment": [],
        "references": [],
    }
