"""``EventType.config`` parsed once into a frozen, typed ``EventTypeSettings``.

``config`` holds every event-type field that is not a column, in Cal.com's 2024-06-14 names, as
the create/update bodies gave it (``event_types/service.py`` writes it). Readers used to call
``config.get(...)`` each with its own default; ``settings_of(event_type)`` parses the stored dict
once, tolerant of every shape those readers accepted, with exactly their defaults:

- durations are minutes; ``minimumBookingNotice`` absent → 120 (Cal.com's default), a stored 0
  stays 0; buffers and ``offsetStart`` absent → 0; ``slotInterval`` absent or 0 → None (the
  event length);
- an ``X | Disabled`` object (``seats``, ``confirmationPolicy``, ``recurrence``, booking limits,
  ``bookingWindow``, ``bookerActiveBookingsLimit``) is *enabled* when stored as a non-empty dict
  without a truthy ``disabled``;
- a ``disableX`` switch (``disableCancelling``, ``disableRescheduling``) is *on* for
  ``{"disabled": true}`` and also for a bare ``true`` (a legacy shape the booking rules accept).

Where two readers disagreed about a default, both answers are kept as separately named
attributes (see ``Seats``) so that no caller's answer changes.

``raw`` keeps the stored values for the response shapes that return them as given.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from slotwise.models import EventType

DEFAULT_MINIMUM_BOOKING_NOTICE = 120
"""Minutes of notice when ``minimumBookingNotice`` is absent (Cal.com's default)."""

UNIT_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400}
"""``confirmationPolicy.noticeThreshold.unit`` in seconds; an unknown unit counts as minutes."""


def is_enabled(value: Any) -> bool:
    """True for a stored ``X | Disabled`` object that is set and not ``{"disabled": true}``."""
    return isinstance(value, dict) and bool(value) and not value.get("disabled")


def is_switched_on(value: Any, *, accept_true: bool = True) -> bool:
    """True for a ``disableX`` switch stored as ``{"disabled": true}`` (or a bare ``true`` when
    ``accept_true``; the event-type output accepted only the object)."""
    if accept_true and value is True:
        return True
    return isinstance(value, dict) and value.get("disabled") is True


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Lengths:
    """Durations offered and slot spacing (minutes).

    ``options``: ``lengthInMinutesOptions`` as ints, None when absent or empty (one fixed length).
    ``slot_interval``: ``slotInterval``, None when absent or 0 (slots step by the length).
    ``slot_interval_stored``: the stored value as given (the response returns it unchanged).
    ``offset_start``: ``offsetStart``, 0 when absent.
    """

    options: tuple[int, ...] | None
    slot_interval: int | None
    slot_interval_stored: Any
    offset_start: int


@dataclass(frozen=True, slots=True)
class Buffers:
    """``beforeEventBuffer`` / ``afterEventBuffer`` in minutes, 0 when absent."""

    before: int
    after: int


@dataclass(frozen=True, slots=True)
class Seats:
    """``seats``: ``{seatsPerTimeSlot, showAttendeeInfo, showAvailabilityCount} | Disabled``.

    ``enabled``: set and not disabled (the cross-field rules, create, bookings output).
    ``per_time_slot``: ``seatsPerTimeSlot`` when enabled and a positive int, else None (the
    capacity used by slots, reservations and seats).
    ``stored_per_time_slot``: ``seatsPerTimeSlot`` as stored (None when absent).
    ``show_attendee_info`` / ``show_availability_count``: absent → False (event-type and booking
    outputs). ``webhook_show_attendee_info`` / ``webhook_show_availability_count``: absent →
    True: the webhook payload has always defaulted them to True (a known disagreement, kept).
    ``attendee_info_is_true``: stored exactly ``true`` (who may see the other seats);
    ``availability_count_is_true``: stored exactly ``true`` (the Booker shows seats left).
    """

    enabled: bool
    per_time_slot: int | None
    stored_per_time_slot: Any
    show_attendee_info: bool
    show_availability_count: bool
    webhook_show_attendee_info: bool
    webhook_show_availability_count: bool
    attendee_info_is_true: bool
    availability_count_is_true: bool


@dataclass(frozen=True, slots=True)
class ConfirmationPolicy:
    """``confirmationPolicy``: ``{type: always|time, noticeThreshold: {unit, count},
    blockUnconfirmedBookingsInBooker} | Disabled``.

    ``enabled``: set and not disabled. ``is_set``: stored truthy (the webhook's
    ``requiresConfirmation`` is ``is_set and not switched_on``). ``switched_on``: stored
    ``{"disabled": true}`` or ``true``. ``kind``: ``type``. ``threshold_seconds``/
    ``threshold_count``: the notice threshold (unit in seconds, unknown unit → minutes), None when
    no threshold object is stored. ``blocks_unconfirmed``: pending bookings block their time.
    """

    enabled: bool
    is_set: bool
    switched_on: bool
    kind: str | None
    threshold_seconds: int | None
    threshold_count: int
    blocks_unconfirmed: bool


@dataclass(frozen=True, slots=True)
class Recurrence:
    """``recurrence``: ``{frequency: yearly|monthly|weekly, interval, occurrences}`` (a disabled
    recurrence is never stored). ``interval``/``occurrences`` absent or 0 → 1; ``frequency`` as
    stored (None when absent): what the booking service uses.

    The booking pages read it more leniently (a disagreement kept, equal for every shape the
    API accepts): ``page_frequency`` is ``frequency`` or "weekly" when absent or empty;
    ``page_interval``/``page_occurrences`` are the stored values when positive ints, else 1.
    """

    enabled: bool
    frequency: str | None
    interval: int
    occurrences: int
    page_frequency: str
    page_interval: int
    page_occurrences: int


@dataclass(frozen=True, slots=True)
class BookingLimits:
    """``bookingLimitsCount`` or ``bookingLimitsDuration`` (minutes): ``{day, week, month,
    year} | Disabled``. ``active``: enabled with at least one non-zero period (the engine ignores
    the others); the periods are None when absent."""

    active: bool
    day: int | None
    week: int | None
    month: int | None
    year: int | None


@dataclass(frozen=True, slots=True)
class BookingWindow:
    """``bookingWindow``: ``{type: businessDays|calendarDays|range, value, rolling} | Disabled``.

    ``active``: enabled with a ``type``. ``kind``: the type. ``days``: the day count of
    ``businessDays``/``calendarDays``; ``start_date``/``end_date``: the ISO dates of ``range``.
    ``rolling``: absent → False.
    """

    active: bool
    kind: str | None
    days: int | None
    start_date: str | None
    end_date: str | None
    rolling: bool


@dataclass(frozen=True, slots=True)
class BookerActiveBookingsLimit:
    """``bookerActiveBookingsLimit``: ``{maximumActiveBookings >= 1, offerReschedule} |
    Disabled``. ``maximum`` is None when disabled, absent, not an int or below 1 (no limit)."""

    enabled: bool
    maximum: int | None
    offer_reschedule: bool


@dataclass(frozen=True, slots=True)
class Rescheduling:
    """``disableRescheduling`` (``{disabled, minutesBefore}``) and the ``allowRescheduling*``
    flags. ``disabled``: the switch is on (object or bare ``true``). ``disabled_object_only``:
    the switch as the event-type output reads it (only ``{"disabled": true}``).
    ``minutes_before``: the stored ``minutesBefore`` when set and non-zero, else None.
    ``allow_past`` / ``allow_cancelled``: the flags stored exactly ``true``; ``past_flag`` /
    ``cancelled_flag``: their truthiness (the response)."""

    disabled: bool
    disabled_object_only: bool
    minutes_before: int | None
    allow_past: bool
    allow_cancelled: bool
    past_flag: bool
    cancelled_flag: bool


@dataclass(frozen=True, slots=True)
class BookerLayouts:
    """``bookerLayouts``: ``{defaultLayout, enabledLayouts[]}``; None attributes when absent or
    not an object (the Booker then offers month only)."""

    stored: bool
    enabled_layouts: tuple[Any, ...] | None
    default_layout: Any


@dataclass(frozen=True, slots=True)
class PageFlags:
    """Booking-page and calendar-event flags (absent → False / None / "")."""

    lock_time_zone_toggle: bool
    success_redirect_url: Any
    description: str
    custom_name: Any
    hide_calendar_notes: bool
    hide_calendar_event_details: bool
    hide_organizer_email: bool
    booking_requires_authentication: bool
    disable_guests: bool
    show_optimized_slots: bool
    only_show_first_available_slot: bool
    interface_language: Any


@dataclass(frozen=True, slots=True)
class EventTypeSettings:
    """Every setting of ``EventType.config``, parsed once (see the module docstring).

    ``raw``: the stored dict (read it only to return stored objects as given).
    ``minimum_booking_notice``: minutes, absent → 120, stored 0 → 0.
    ``minimum_booking_notice_stored``: the value the response returns (absent → 120).
    ``locations``: the stored location objects (empty when none); ``locations_set``: a non-empty
    list is stored (else ``bookings.location.event_locations`` falls back to Cal Video).
    ``booking_fields``: the stored merged list, None when absent or empty (the
    defaults then apply, see ``event_types.booking_fields.effective_booking_fields``).
    """

    raw: Mapping[str, Any]
    lengths: Lengths
    buffers: Buffers
    minimum_booking_notice: int
    minimum_booking_notice_stored: Any
    seats: Seats
    confirmation: ConfirmationPolicy
    recurrence: Recurrence
    limits_count: BookingLimits
    limits_duration: BookingLimits
    booking_window: BookingWindow
    booker_limit: BookerActiveBookingsLimit
    cancelling_disabled: bool
    cancelling_disabled_object_only: bool
    rescheduling: Rescheduling
    layouts: BookerLayouts
    page: PageFlags
    locations: tuple[dict[str, Any], ...]
    locations_set: bool
    booking_fields: tuple[dict[str, Any], ...] | None

    def booking_fields_copy(self) -> list[dict[str, Any]] | None:
        """A deep copy of the stored booking fields (callers may change it), or None."""
        return copy.deepcopy(list(self.booking_fields)) if self.booking_fields else None


def _lengths(c: Mapping[str, Any]) -> Lengths:
    options = c.get("lengthInMinutesOptions")
    return Lengths(
        options=tuple(int(o) for o in options) if isinstance(options, list) and options else None,
        slot_interval=c.get("slotInterval") or None,
        slot_interval_stored=c.get("slotInterval"),
        offset_start=int(c.get("offsetStart") or 0),
    )


def _seats(value: Any) -> Seats:
    seats = _dict(value)
    per = seats.get("seatsPerTimeSlot")
    capacity = int(per) if not seats.get("disabled") and isinstance(per, int) and per > 0 else None
    return Seats(
        enabled=is_enabled(value),
        per_time_slot=capacity if isinstance(value, dict) else None,
        stored_per_time_slot=per,
        show_attendee_info=bool(seats.get("showAttendeeInfo")),
        show_availability_count=bool(seats.get("showAvailabilityCount")),
        webhook_show_attendee_info=bool(seats.get("showAttendeeInfo", True)),
        webhook_show_availability_count=bool(seats.get("showAvailabilityCount", True)),
        attendee_info_is_true=seats.get("showAttendeeInfo") is True,
        availability_count_is_true=seats.get("showAvailabilityCount") is True,
    )


def _confirmation(value: Any) -> ConfirmationPolicy:
    policy = _dict(value)
    threshold = policy.get("noticeThreshold")
    return ConfirmationPolicy(
        enabled=is_enabled(value),
        is_set=bool(value),
        switched_on=is_switched_on(value),
        kind=policy.get("type"),
        threshold_seconds=(
            UNIT_SECONDS.get(str(threshold.get("unit")), 60)
            if isinstance(threshold, dict)
            else None
        ),
        threshold_count=int(threshold.get("count") or 0) if isinstance(threshold, dict) else 0,
        blocks_unconfirmed=bool(
            isinstance(value, dict)
            and not policy.get("disabled")
            and policy.get("blockUnconfirmedBookingsInBooker")
        ),
    )


def _recurrence(value: Any) -> Recurrence:
    rec = _dict(value)
    frequency = rec.get("frequency")
    interval = rec.get("interval")
    occurrences = rec.get("occurrences")
    return Recurrence(
        enabled=is_enabled(value),
        frequency=str(frequency) if frequency is not None else None,
        interval=int(interval or 1),
        occurrences=int(occurrences or 1),
        page_frequency=str(frequency or "weekly"),
        page_interval=interval if isinstance(interval, int) and interval > 0 else 1,
        page_occurrences=occurrences if isinstance(occurrences, int) and occurrences > 0 else 1,
    )


def _limits(value: Any) -> BookingLimits:
    limits = _dict(value)
    keys = ("day", "week", "month", "year")
    active = bool(limits) and not limits.get("disabled") and any(limits.get(k) for k in keys)
    return BookingLimits(active, *(limits.get(k) for k in keys))


def _window(value: Any) -> BookingWindow:
    window = _dict(value)
    active = bool(window) and not window.get("disabled") and "type" in window
    kind = window.get("type")
    days = start = end = None
    try:  # a malformed value parses as missing; the engine's BookingWindow then refuses it
        if active and kind == "range":
            start, end = window["value"]
        elif active:
            days = int(window["value"])
    except (TypeError, ValueError, KeyError):
        days = start = end = None
    return BookingWindow(active, kind, days, start, end, bool(window.get("rolling", False)))


def _booker_limit(value: Any) -> BookerActiveBookingsLimit:
    limit = _dict(value)
    on = is_enabled(value)
    maximum = limit.get("maximumActiveBookings")
    valid = on and isinstance(maximum, int) and maximum >= 1
    return BookerActiveBookingsLimit(
        enabled=on,
        maximum=maximum if valid else None,
        offer_reschedule=bool(limit.get("offerReschedule")),
    )


def _rescheduling(c: Mapping[str, Any]) -> Rescheduling:
    setting = c.get("disableRescheduling")
    minutes = setting.get("minutesBefore") if isinstance(setting, dict) else None
    return Rescheduling(
        disabled=is_switched_on(setting),
        disabled_object_only=is_switched_on(setting, accept_true=False),
        minutes_before=int(minutes) if minutes else None,
        allow_past=c.get("allowReschedulingPastBookings") is True,
        allow_cancelled=c.get("allowReschedulingCancelledBookings") is True,
        past_flag=bool(c.get("allowReschedulingPastBookings", False)),
        cancelled_flag=bool(c.get("allowReschedulingCancelledBookings", False)),
    )


def _layouts(value: Any) -> BookerLayouts:
    if not isinstance(value, dict):
        return BookerLayouts(False, None, None)
    given = value.get("enabledLayouts")
    return BookerLayouts(
        True, tuple(given) if isinstance(given, list) else None, value.get("defaultLayout")
    )


def _page(c: Mapping[str, Any]) -> PageFlags:
    return PageFlags(
        lock_time_zone_toggle=bool(c.get("lockTimeZoneToggleOnBookingPage")),
        success_redirect_url=c.get("successRedirectUrl"),
        description=c.get("description") or "",
        custom_name=c.get("customName"),
        hide_calendar_notes=bool(c.get("hideCalendarNotes")),
        hide_calendar_event_details=bool(c.get("hideCalendarEventDetails")),
        hide_organizer_email=bool(c.get("hideOrganizerEmail")),
        booking_requires_authentication=bool(c.get("bookingRequiresAuthentication")),
        disable_guests=bool(c.get("disableGuests", False)),
        show_optimized_slots=bool(c.get("showOptimizedSlots", False)),
        only_show_first_available_slot=bool(c.get("onlyShowFirstAvailableSlot", False)),
        interface_language=c.get("interfaceLanguage"),
    )


def parse_settings(config: Mapping[str, Any] | None) -> EventTypeSettings:
    """``EventTypeSettings`` of a stored ``config`` dict (None or a non-dict → all defaults)."""
    c: Mapping[str, Any] = config if isinstance(config, Mapping) else {}
    locations = c.get("locations")
    fields = c.get("bookingFields")
    return EventTypeSettings(
        raw=c,
        lengths=_lengths(c),
        buffers=Buffers(
            before=int(c.get("beforeEventBuffer") or 0),
            after=int(c.get("afterEventBuffer") or 0),
        ),
        minimum_booking_notice=int(
            c.get("minimumBookingNotice", DEFAULT_MINIMUM_BOOKING_NOTICE) or 0
        ),
        minimum_booking_notice_stored=c.get("minimumBookingNotice", DEFAULT_MINIMUM_BOOKING_NOTICE),
        seats=_seats(c.get("seats")),
        confirmation=_confirmation(c.get("confirmationPolicy")),
        recurrence=_recurrence(c.get("recurrence")),
        limits_count=_limits(c.get("bookingLimitsCount")),
        limits_duration=_limits(c.get("bookingLimitsDuration")),
        booking_window=_window(c.get("bookingWindow")),
        booker_limit=_booker_limit(c.get("bookerActiveBookingsLimit")),
        cancelling_disabled=is_switched_on(c.get("disableCancelling")),
        cancelling_disabled_object_only=is_switched_on(
            c.get("disableCancelling"), accept_true=False
        ),
        rescheduling=_rescheduling(c),
        layouts=_layouts(c.get("bookerLayouts")),
        page=_page(c),
        locations=tuple(x for x in locations if isinstance(x, dict))
        if isinstance(locations, list)
        else (),
        locations_set=isinstance(locations, list) and bool(locations),
        booking_fields=tuple(fields) if isinstance(fields, list) and fields else None,
    )


_CACHE: WeakKeyDictionary[Any, tuple[Any, Any, EventTypeSettings]] = WeakKeyDictionary()


def settings_of(event_type: EventType | None) -> EventTypeSettings:
    """The parsed settings of ``event_type`` (all defaults for None).

    Cached per instance, per identity of its ``config`` dict and while that dict still equals
    the snapshot taken when it was parsed: assigning a new dict (what the service does, and what
    SQLAlchemy needs to see a change of a JSON column) or changing it in place parses again.
    """
    if event_type is None:
        return parse_settings(None)
    config = event_type.config
    try:
        hit = _CACHE.get(event_type)
    except TypeError:  # pragma: no cover - an object that cannot be weakly referenced
        return parse_settings(config)
    if hit is not None and hit[0] is config and hit[1] == config:
        return hit[2]
    settings = parse_settings(config)
    _CACHE[event_type] = (config, copy.deepcopy(config), settings)
    return settings
