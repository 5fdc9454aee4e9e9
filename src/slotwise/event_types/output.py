"""The ``EventTypeOutput_2024_06_14`` shape built from an ``EventType`` row.

Stored settings are returned as given; absent ones get Cal.com's defaults (for example
``minimumBookingNotice`` 120, ``confirmationPolicy``/``seats``/``bookingWindow``
``{"disabled": true}``, ``recurrence`` null). ``seats``, ``disableCancelling`` and
``disableRescheduling`` are rebuilt the way Cal.com's server rebuilds them from its columns
(booleans, never null). Optional objects that were never set
(``bookingLimitsCount``, ``color``, ``bookerLayouts``, …) are left out, as Cal.com does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slotwise.event_types.booking_fields import effective_booking_fields, visible_fields
from slotwise.event_types.settings import (
    EventTypeSettings,
    Seats,
    is_enabled,
    is_switched_on,
    settings_of,
)
from slotwise.models import EventType, User

DYNAMIC_SLUG = "dynamic"
DYNAMIC_LENGTHS = [15, 30, 45, 60, 90]
CAL_VIDEO = {"type": "integration", "integration": "cal-video"}

_FLAGS = (
    "lockTimeZoneToggleOnBookingPage",
    "onlyShowFirstAvailableSlot",
    "requiresBookerEmailVerification",
    "hideCalendarNotes",
    "useDestinationCalendarEmail",
    "hideCalendarEventDetails",
    "hideOrganizerEmail",
    "bookingRequiresAuthentication",
    "allowReschedulingPastBookings",
    "allowReschedulingCancelledBookings",
    "showOptimizedSlots",
)
_OPTIONAL_OBJECTS = (
    "lengthInMinutesOptions",
    "bookingLimitsCount",
    "bookingLimitsDuration",
    "bookerLayouts",
    "color",
    "customName",
    "destinationCalendar",
    "calVideoSettings",
)


def switched_on(value: Any) -> bool:
    """True for a stored ``{"disabled": true}`` (Cal.com's ``disableCancelling`` switch; the
    legacy bare ``true`` does not count here, see ``EventTypeSettings.cancelling_disabled``)."""
    return is_switched_on(value, accept_true=False)


def enabled(value: Any) -> bool:
    """True for a stored ``X | Disabled`` object that is set and not ``{"disabled": true}``."""
    return is_enabled(value)


def disable_rescheduling_output(settings: EventTypeSettings) -> dict[str, Any]:
    """``disableRescheduling`` as Cal.com answers it: ``{"disabled": true}``, or
    ``{"disabled": false[, "minutesBefore": N]}`` (never a null ``disabled``)."""
    rescheduling = settings.rescheduling
    if rescheduling.disabled_object_only:
        return {"disabled": True}
    if not isinstance(settings.raw.get("disableRescheduling"), dict):
        return {"disabled": False}
    minutes = settings.raw["disableRescheduling"].get("minutesBefore")
    return {"disabled": False, "minutesBefore": minutes} if minutes else {"disabled": False}


def seats_output(seats: Seats) -> dict[str, Any]:
    """``seats`` as Cal.com answers it: all three settings of a seated event type (booleans
    never missing), else ``{"disabled": true}``."""
    if not seats.enabled or seats.stored_per_time_slot is None:
        return {"disabled": True}
    return {
        "seatsPerTimeSlot": seats.stored_per_time_slot,
        "showAttendeeInfo": seats.show_attendee_info,
        "showAvailabilityCount": seats.show_availability_count,
    }


def user_output(user: User) -> dict[str, Any]:
    """A host as Cal.com lists it in ``EventTypeOutput.users``."""
    return {
        "id": user.id,
        "name": user.name,
        "username": user.username,
        "avatarUrl": user.avatar_url,
        "brandColor": None,
        "darkBrandColor": None,
        "weekStart": user.week_start,
        "metadata": user.metadata_ or {},
    }


def event_type_output(
    event_type: EventType,
    users: Sequence[User],
    base_url: str,
    *,
    hide_hidden_fields: bool = False,
    booking_url: str | None = None,
) -> dict[str, Any]:
    """``EventTypeOutput_2024_06_14`` of ``event_type`` hosted by ``users`` (the owner first).

    ``bookingUrl`` is ``{base_url}/{username}/{slug}``. ``hide_hidden_fields`` leaves hidden
    booking fields out (Cal.com does so when listing event types).
    """
    settings = settings_of(event_type)
    c = settings.raw
    seats = settings.seats
    fields = effective_booking_fields(settings)
    if hide_hidden_fields:
        fields = visible_fields(fields)
    if booking_url is None:
        booking_url = f"{base_url}/{users[0].username}/{event_type.slug}" if users else ""
    out: dict[str, Any] = {
        "id": event_type.id,
        "ownerId": event_type.user_id,
        "lengthInMinutes": event_type.length,
        "title": event_type.title,
        "slug": event_type.slug,
        "description": settings.page.description,
        "locations": list(c.get("locations") or []),
        "bookingFields": fields,
        "disableGuests": settings.page.disable_guests,
        "slotInterval": settings.lengths.slot_interval_stored,
        "minimumBookingNotice": settings.minimum_booking_notice_stored,
        "beforeEventBuffer": settings.buffers.before,
        "afterEventBuffer": settings.buffers.after,
        "recurrence": c["recurrence"] if settings.recurrence.enabled else None,
        "metadata": {},
        "price": 0,
        "currency": "usd",
        "seatsPerTimeSlot": seats.stored_per_time_slot if seats.enabled else None,
        "seatsShowAvailabilityCount": seats.show_availability_count if seats.enabled else None,
        "forwardParamsSuccessRedirect": True,
        "successRedirectUrl": settings.page.success_redirect_url,
        "isInstantEvent": False,
        "scheduleId": event_type.schedule_id,
        "bookerActiveBookingsLimit": c.get("bookerActiveBookingsLimit") or {"disabled": True},
        "bookingWindow": c.get("bookingWindow") or {"disabled": True},
        "confirmationPolicy": c.get("confirmationPolicy") or {"disabled": True},
        "seats": seats_output(seats),
        "offsetStart": settings.lengths.offset_start,
        "hidden": bool(event_type.hidden),
        "disableCancelling": {"disabled": settings.cancelling_disabled_object_only},
        "disableRescheduling": disable_rescheduling_output(settings),
        "interfaceLanguage": settings.page.interface_language,
        "users": [user_output(u) for u in users],
        "bookingUrl": booking_url,
    }
    for flag in _FLAGS:
        out[flag] = bool(c.get(flag, False))
    for key in _OPTIONAL_OBJECTS:
        if c.get(key) is not None:
            out[key] = c[key]
    return out


def dynamic_event_type_output(users: Sequence[User], base_url: str) -> dict[str, Any]:
    """Cal.com's synthetic dynamic group event for ``usernames=a,b``: id 0, slug ``dynamic``,
    30 minutes (15/30/45/60/90 allowed), every user a host; booking URL ``{base}/a+b``."""
    event_type = EventType(
        id=0,
        user_id=0,
        slug=DYNAMIC_SLUG,
        title="Group Meeting",
        length=30,
        hidden=False,
        schedule_id=None,
        config={
            "lengthInMinutesOptions": list(DYNAMIC_LENGTHS),
            "locations": [dict(CAL_VIDEO)],
            "customName": "Group Meeting",
        },
    )
    url = f"{base_url}/{'+'.join(u.username for u in users)}" if users else ""
    return event_type_output(event_type, users, base_url, booking_url=url)
