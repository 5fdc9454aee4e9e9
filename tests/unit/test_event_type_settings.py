"""EventTypeSettings: parsing of every ``EventType.config`` key, defaults, legacy shapes,
frozenness, caching and the round trip from the create/update bodies."""

from __future__ import annotations

import dataclasses

import pytest

from slotwise.event_types.schemas import CreateEventTypeInput, UpdateEventTypeInput, given_fields
from slotwise.event_types.settings import parse_settings, settings_of
from slotwise.models import EventType


def test_defaults_of_an_empty_config() -> None:
    s = parse_settings({})
    assert s.lengths.options is None
    assert s.lengths.slot_interval is None
    assert s.lengths.slot_interval_stored is None
    assert s.lengths.offset_start == 0
    assert (s.buffers.before, s.buffers.after) == (0, 0)
    assert s.minimum_booking_notice == 120
    assert s.minimum_booking_notice_stored == 120
    assert not s.seats.enabled and s.seats.per_time_slot is None
    assert not s.seats.show_attendee_info and not s.seats.show_availability_count
    assert s.seats.webhook_show_attendee_info and s.seats.webhook_show_availability_count
    assert not s.confirmation.enabled and not s.confirmation.is_set
    assert not s.recurrence.enabled
    assert (s.recurrence.interval, s.recurrence.occurrences) == (1, 1)
    assert not s.limits_count.active and not s.limits_duration.active
    assert not s.booking_window.active
    assert s.booker_limit.maximum is None
    assert not s.cancelling_disabled
    assert not s.rescheduling.disabled and s.rescheduling.minutes_before is None
    assert not s.rescheduling.allow_past and not s.rescheduling.allow_cancelled
    assert not s.layouts.stored
    assert s.page.description == ""
    assert s.page.success_redirect_url is None
    assert not s.page.lock_time_zone_toggle and not s.page.disable_guests
    assert s.locations == ()
    assert s.booking_fields is None
    assert parse_settings(None) == s


def test_notice_zero_stays_zero_and_slot_interval_zero_is_none() -> None:
    s = parse_settings({"minimumBookingNotice": 0, "slotInterval": 0, "offsetStart": 5})
    assert s.minimum_booking_notice == 0
    assert s.minimum_booking_notice_stored == 0
    assert s.lengths.slot_interval is None
    assert s.lengths.slot_interval_stored == 0
    assert s.lengths.offset_start == 5


def test_lengths_and_buffers() -> None:
    s = parse_settings(
        {
            "lengthInMinutesOptions": [15, 30],
            "slotInterval": 10,
            "beforeEventBuffer": 5,
            "afterEventBuffer": 7,
        }
    )
    assert s.lengths.options == (15, 30)
    assert s.lengths.slot_interval == 10
    assert (s.buffers.before, s.buffers.after) == (5, 7)
    assert parse_settings({"lengthInMinutesOptions": []}).lengths.options is None


def test_seats() -> None:
    s = parse_settings(
        {"seats": {"seatsPerTimeSlot": 4, "showAttendeeInfo": True, "showAvailabilityCount": False}}
    )
    assert s.seats.enabled and s.seats.per_time_slot == 4
    assert s.seats.show_attendee_info and s.seats.attendee_info_is_true
    assert not s.seats.show_availability_count
    assert not s.seats.webhook_show_availability_count
    disabled = parse_settings({"seats": {"disabled": True, "seatsPerTimeSlot": 4}}).seats
    assert not disabled.enabled and disabled.per_time_slot is None
    assert disabled.stored_per_time_slot == 4
    assert parse_settings({"seats": {"seatsPerTimeSlot": 0}}).seats.per_time_slot is None
    assert parse_settings({"seats": {"showAttendeeInfo": 1}}).seats.attendee_info_is_true is False


def test_confirmation_policy() -> None:
    always = parse_settings({"confirmationPolicy": {"type": "always"}}).confirmation
    assert always.enabled and always.kind == "always" and always.threshold_seconds is None
    timed = parse_settings(
        {
            "confirmationPolicy": {
                "type": "time",
                "noticeThreshold": {"unit": "hours", "count": 2},
                "blockUnconfirmedBookingsInBooker": True,
            }
        }
    ).confirmation
    assert (timed.threshold_seconds, timed.threshold_count) == (3600, 2)
    assert timed.blocks_unconfirmed
    odd = parse_settings(
        {"confirmationPolicy": {"type": "time", "noticeThreshold": {"unit": "weeks"}}}
    ).confirmation
    assert (odd.threshold_seconds, odd.threshold_count) == (60, 0)
    off = parse_settings({"confirmationPolicy": {"disabled": True}}).confirmation
    assert not off.enabled and off.is_set and off.switched_on and not off.blocks_unconfirmed


def test_recurrence() -> None:
    r = parse_settings(
        {"recurrence": {"frequency": "monthly", "interval": 2, "occurrences": 6}}
    ).recurrence
    assert (r.enabled, r.frequency, r.interval, r.occurrences) == (True, "monthly", 2, 6)


def test_limits_and_window() -> None:
    s = parse_settings(
        {
            "bookingLimitsCount": {"day": 2},
            "bookingLimitsDuration": {"day": 0},
            "bookingWindow": {"type": "businessDays", "value": 5, "rolling": True},
        }
    )
    assert s.limits_count.active and s.limits_count.day == 2 and s.limits_count.week is None
    assert not s.limits_duration.active
    assert s.booking_window.active and s.booking_window.days == 5 and s.booking_window.rolling
    rng = parse_settings(
        {"bookingWindow": {"type": "range", "value": ["2030-01-01", "2030-01-31"]}}
    ).booking_window
    assert (rng.kind, rng.start_date, rng.end_date) == ("range", "2030-01-01", "2030-01-31")
    assert not parse_settings({"bookingWindow": {"disabled": True}}).booking_window.active


def test_booker_limit() -> None:
    on = parse_settings(
        {"bookerActiveBookingsLimit": {"maximumActiveBookings": 2, "offerReschedule": True}}
    ).booker_limit
    assert (on.enabled, on.maximum, on.offer_reschedule) == (True, 2, True)
    bad = parse_settings({"bookerActiveBookingsLimit": {"maximumActiveBookings": 0}})
    assert bad.booker_limit.maximum is None


def test_switches_accept_the_legacy_true() -> None:
    s = parse_settings({"disableCancelling": True, "disableRescheduling": True})
    assert s.cancelling_disabled and not s.cancelling_disabled_object_only
    assert s.rescheduling.disabled and not s.rescheduling.disabled_object_only
    t = parse_settings(
        {
            "disableCancelling": {"disabled": True},
            "disableRescheduling": {"disabled": False, "minutesBefore": 30},
            "allowReschedulingPastBookings": True,
            "allowReschedulingCancelledBookings": 1,
        }
    )
    assert t.cancelling_disabled and t.cancelling_disabled_object_only
    assert not t.rescheduling.disabled and t.rescheduling.minutes_before == 30
    assert t.rescheduling.allow_past and t.rescheduling.past_flag
    assert not t.rescheduling.allow_cancelled and t.rescheduling.cancelled_flag


def test_page_flags_layouts_locations_fields() -> None:
    s = parse_settings(
        {
            "lockTimeZoneToggleOnBookingPage": True,
            "bookerLayouts": {"defaultLayout": "week", "enabledLayouts": ["week", "month"]},
            "successRedirectUrl": "https://example.com",
            "description": "d",
            "customName": "{Event type title}",
            "hideCalendarNotes": True,
            "hideOrganizerEmail": True,
            "disableGuests": True,
            "locations": [{"type": "address", "address": "x"}, "junk"],
            "bookingFields": [{"slug": "name"}],
            "interfaceLanguage": "de",
        }
    )
    assert s.page.lock_time_zone_toggle
    assert s.layouts.enabled_layouts == ("week", "month") and s.layouts.default_layout == "week"
    assert s.page.success_redirect_url == "https://example.com"
    assert s.page.custom_name == "{Event type title}"
    assert s.page.hide_calendar_notes and s.page.hide_organizer_email
    assert not s.page.hide_calendar_event_details
    assert s.page.disable_guests and s.page.interface_language == "de"
    assert s.locations == ({"type": "address", "address": "x"},)
    copied = s.booking_fields_copy()
    assert copied == [{"slug": "name"}] and copied[0] is not s.booking_fields[0]
    assert not parse_settings({"bookerLayouts": "month"}).layouts.stored


def test_frozen() -> None:
    s = parse_settings({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.minimum_booking_notice = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.seats.enabled = True


def test_settings_of_caches_and_sees_changes() -> None:
    event_type = EventType(config={"beforeEventBuffer": 5})
    first = settings_of(event_type)
    assert settings_of(event_type) is first
    event_type.config = {"beforeEventBuffer": 9}
    assert settings_of(event_type).buffers.before == 9
    event_type.config["beforeEventBuffer"] = 11
    assert settings_of(event_type).buffers.before == 11
    assert settings_of(None) == parse_settings({})


def test_round_trip_from_the_create_and_update_bodies() -> None:
    body = CreateEventTypeInput.model_validate(
        {
            "lengthInMinutes": 30,
            "title": "T",
            "slug": "t",
            "lengthInMinutesOptions": [30, 60],
            "minimumBookingNotice": 0,
            "beforeEventBuffer": 10,
            "slotInterval": 15,
            "seats": {
                "seatsPerTimeSlot": 3,
                "showAttendeeInfo": True,
                "showAvailabilityCount": True,
            },
            "bookingWindow": {"type": "calendarDays", "value": 14, "rolling": False},
            "bookingLimitsCount": {"day": 3},
            "disableRescheduling": {"disabled": False, "minutesBefore": 60},
            "successRedirectUrl": "https://example.com/done",
        }
    )
    s = parse_settings(given_fields(body))
    assert s.lengths.options == (30, 60) and s.lengths.slot_interval == 15
    assert s.minimum_booking_notice == 0 and s.buffers.before == 10
    assert s.seats.per_time_slot == 3 and s.seats.show_availability_count
    assert s.booking_window.days == 14 and s.limits_count.day == 3
    assert s.rescheduling.minutes_before == 60
    assert s.page.success_redirect_url == "https://example.com/done"
    update = UpdateEventTypeInput.model_validate(
        {
            "confirmationPolicy": {"type": "always", "blockUnconfirmedBookingsInBooker": False},
            "disableCancelling": {"disabled": True},
        }
    )
    u = parse_settings(given_fields(update))
    assert u.confirmation.enabled and u.cancelling_disabled


def test_recurrence_as_the_booking_pages_read_it() -> None:
    lenient = parse_settings({"recurrence": {"frequency": "", "interval": -2, "occurrences": "3"}})
    r = lenient.recurrence
    assert (r.page_frequency, r.page_interval, r.page_occurrences) == ("weekly", 1, 1)
    assert (r.frequency, r.interval, r.occurrences) == ("", -2, 3)


def test_locations_set_and_seats_left_flag() -> None:
    junk = parse_settings({"locations": ["junk"]})
    assert junk.locations_set and junk.locations == ()
    assert not parse_settings({"locations": []}).locations_set
    seats = parse_settings({"seats": {"seatsPerTimeSlot": 2, "showAvailabilityCount": True}})
    assert seats.seats.availability_count_is_true


def test_malformed_booking_window_parses_as_missing_values() -> None:
    window = parse_settings({"bookingWindow": {"type": "range", "value": "x"}}).booking_window
    assert window.active and window.start_date is None and window.end_date is None
