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
    """True for a stored ``{"disabled": true}`` (Cal.com's ``disableCancelling`` switch)."""
    return isinstance(value, dict) and value.get("disabled") is True


def enabled(value: Any) -> bool:
    """True for a stored ``X | Disabled`` object that is set and not ``{"disabled": true}``."""
    return isinstance(value, dict) and bool(value) and not value.get("disabled")


def disable_rescheduling_output(value: Any) -> dict[str, Any]:
    """``disableRescheduling`` as Cal.com answers it: ``{"disabled": true}``, or
    ``{"disabled": false[, "minutesBefore": N]}`` (never a null ``disabled``)."""
    if not isinstance(value, dict):
        return {"disabled": False}
    if value.get("disabled") is True:
        return {"disabled": True}
    minutes = value.get("minutesBefore")
    return {"disabled": False, "minutesBefore": minutes} if minutes else {"disabled": False}


def seats_output(seats: Any) -> dict[str, Any]:
    """``seats`` as Cal.com answers it: all three settings of a seated event type (booleans
    never missing), else ``{"disabled": true}``."""
    if not enabled(seats) or seats.get("seatsPerTimeSlot") is None:
        return {"disabled": True}
    return {
        "seatsPerTimeSlot": seats["seatsPerTimeSlot"],
        "showAttendeeInfo": bool(seats.get("showAttendeeInfo")),
        "showAvailabilityCount": bool(seats.get("showAvailabilityCount")),
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
    c: dict[str, Any] = dict(event_type.config or {})
    seats: dict[str, Any] = c.get("seats") or {}
    seated = enabled(seats)
    recurrence = c.get("recurrence")
    fields = effective_booking_fields(c)
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
        "description": c.get("description") or "",
        "locations": list(c.get("locations") or []),
        "bookingFields": fields,
        "disableGuests": bool(c.get("disableGuests", False)),
        "slotInterval": c.get("slotInterval"),
        "minimumBookingNotice": c.get("minimumBookingNotice", 120),
        "beforeEventBuffer": c.get("beforeEventBuffer", 0),
        "afterEventBuffer": c.get("afterEventBuffer", 0),
        "recurrence": recurrence if enabled(recurrence) else None,
        "metadata": {},
        "price": 0,
        "currency": "usd",
        "seatsPerTimeSlot": seats["seatsPerTimeSlot"] if seated else None,
        "seatsShowAvailabilityCount": bool(seats.get("showAvailabilityCount")) if seated else None,
        "forwardParamsSuccessRedirect": True,
        "successRedirectUrl": c.get("successRedirectUrl"),
        "isInstantEvent": False,
        "scheduleId": event_type.schedule_id,
        "bookerActiveBookingsLimit": c.get("bookerActiveBookingsLimit") or {"disabled": True},
        "bookingWindow": c.get("bookingWindow") or {"disabled": True},
        "confirmationPolicy": c.get("confirmationPolicy") or {"disabled": True},
        "seats": seats_output(seats),
        "offsetStart": c.get("offsetStart", 0),
        "hidden": bool(event_type.hidden),
        "disableCancelling": {"disabled": switched_on(c.get("disableCancelling"))},
        "disableRescheduling": disable_rescheduling_output(c.get("disableRescheduling")),
        "interfaceLanguage": c.get("interfaceLanguage"),
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
