"""The troubleshooter's explanation of busy time (slotwise.availability.explain), pure part:
each reason, on the engine's own inputs, and the timeline cut from them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from slotwise.availability.explain import BusyReason, explain_busy, timeline
from slotwise.availability.loader import (
    BOOKING,
    EXTERNAL_CALENDAR,
    OUT_OF_OFFICE,
    RESERVATION,
    BusyRow,
)
from slotwise.scheduling import (
    BookingLimits,
    DateOverride,
    EventRules,
    ExistingBooking,
    HostInput,
    Schedule,
    WeeklyHours,
)

MONDAY = date(2050, 9, 5)
NOW = datetime(2050, 9, 1, tzinfo=UTC)


def at(hhmm: str, day: int = 5) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(2050, 9, day, int(hours), int(minutes), tzinfo=UTC)


def nine_to_five(*overrides: DateOverride) -> Schedule:
    return Schedule("UTC", (WeeklyHours(frozenset(range(5)), 540, 1020),), overrides)


def labels(reasons: list[BusyReason]) -> list[tuple[str, str, str]]:
    return [(r.start.strftime("%H:%M"), r.end.strftime("%H:%M"), r.reason) for r in reasons]


def test_hours_bookings_buffers_and_other_busy_rows_are_labelled() -> None:
    rows = [
        BusyRow(BOOKING, 1, at("10:00"), at("10:30"), 10, 0, 7, 42),
        BusyRow(BOOKING, 1, at("10:00"), at("10:30"), 10, 0, 7, 42),  # attends it as well
        BusyRow(BOOKING, 2, at("11:00"), at("12:00"), 0, 0, 7, 43),  # another host's
        BusyRow(RESERVATION, 1, at("13:00"), at("13:30"), 0, 0, 7),
        BusyRow(EXTERNAL_CALENDAR, 1, at("15:00"), at("16:00"), 0, 0, None),
    ]
    host = HostInput(
        nine_to_five(),
        bookings=(ExistingBooking(at("10:00"), at("10:30"), 10, 0),),
    )
    rules = EventRules(length=30, minimum_booking_notice=0, after_buffer=5)
    found = explain_busy(
        host, rows, rules, user_id=1, start=at("00:00"), end=at("00:00", 6), now=NOW
    )
    assert labels(found) == [
        ("00:00", "09:00", "outside_hours"),
        ("09:45", "10:00", "buffer"),  # its 10 minutes before + the event type's 5 after
        ("10:00", "10:30", "booking"),
        ("13:00", "13:30", "reservation"),
        ("15:00", "16:00", "calendar"),
        ("17:00", "00:00", "outside_hours"),
    ]
    assert {r.booking_id for r in found if r.reason in ("booking", "buffer")} == {42}


def test_override_out_of_office_notice_and_past() -> None:
    schedule = nine_to_five(DateOverride(MONDAY, 600, 720))
    rows = [BusyRow(OUT_OF_OFFICE, 1, at("00:00", 6), at("12:00", 6), 0, 0, None)]
    rules = EventRules(length=30, minimum_booking_notice=60)
    now = at("10:15")
    found = explain_busy(
        HostInput(schedule), rows, rules, user_id=1, start=at("00:00"), end=at("00:00", 7), now=now
    )
    assert [(r.start, r.end, r.reason) for r in found] == [
        (at("00:00"), at("10:15"), "past"),  # the same start: in REASONS order
        (at("00:00"), at("10:00"), "override"),
        (at("10:15"), at("11:15"), "minimum_notice"),
        (at("12:00"), at("00:00", 6), "override"),
        (at("00:00", 6), at("09:00", 6), "outside_hours"),
        (at("00:00", 6), at("00:00", 7), "out_of_office"),  # whole UTC days
        (at("17:00", 6), at("00:00", 7), "outside_hours"),
    ]


def test_a_full_booking_limit_period_is_named() -> None:
    booking = ExistingBooking(at("09:00"), at("09:30"), counts_for_limits=True)
    host = HostInput(nine_to_five(), bookings=(booking,))
    rows = [BusyRow(BOOKING, 1, at("09:00"), at("09:30"), 0, 0, 7, 1)]
    rules = EventRules(length=30, minimum_booking_notice=0, count_limits=BookingLimits(day=1))
    found = explain_busy(
        host, rows, rules, user_id=1, start=at("00:00"), end=at("00:00", 6), now=NOW
    )
    assert ("09:30", "17:00", "booking_limit") in labels(found)
    assert ("09:00", "09:30", "booking") in labels(found)


def test_timeline_cuts_the_day_and_merges_neighbours() -> None:
    reasons = [
        BusyReason(at("00:00"), at("09:00"), "outside_hours"),
        BusyReason(at("10:00"), at("11:00"), "booking", 1),
        BusyReason(at("10:30"), at("11:30"), "calendar"),
        BusyReason(at("17:00"), at("00:00", 6), "outside_hours"),
    ]
    pieces = timeline(reasons, at("00:00"), at("00:00", 6))
    assert [
        (p.start.strftime("%H:%M"), p.end.strftime("%H:%M"), [r.reason for r in p.reasons])
        for p in pieces
    ] == [
        ("00:00", "09:00", ["outside_hours"]),
        ("09:00", "10:00", []),
        ("10:00", "10:30", ["booking"]),
        ("10:30", "11:00", ["booking", "calendar"]),
        ("11:00", "11:30", ["calendar"]),
        ("11:30", "17:00", []),
        ("17:00", "00:00", ["outside_hours"]),
    ]
