"""The availability package's pure seams: the limit window written once (event-type and user
limits), user booking limits as an engine input with their own rejection reason, and the
engine's overlap rule used by reservations and confirmations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest

from slotwise.availability.checks import reservations_meeting
from slotwise.availability.inputs import limit_window, user_limits
from slotwise.availability.loader import BOOKING, RESERVATION, BusyRow
from slotwise.models import User
from slotwise.scheduling import (
    REJECTION_REASONS,
    BookingLimits,
    BookingRejected,
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
    Schedule,
    UserLimits,
    WeeklyHours,
    check_booking,
    free_ranges,
    overlaps_busy,
)

START = datetime(2050, 9, 5, 10, tzinfo=UTC)  # a Monday
END = START + timedelta(hours=1)
NOW = datetime(2050, 9, 1, tzinfo=UTC)
EVERY_DAY = Schedule("UTC", (WeeklyHours(frozenset(range(7)), 9 * 60, 17 * 60),))
RULES = EventRules(length=30, minimum_booking_notice=0)


def user(limits: dict[str, int] | None, zone: str = "UTC", week_start: str = "Monday") -> User:
    return cast(User, SimpleNamespace(booking_limits=limits, time_zone=zone, week_start=week_start))


@pytest.mark.parametrize(
    ("limits", "days"),
    [
        ([BookingLimits(day=1)], 2),
        ([BookingLimits(week=3)], 8),
        ([BookingLimits(day=1), BookingLimits(month=9)], 32),
        ([None, BookingLimits(week=2, year=40)], 370),
    ],
)
def test_limit_window_is_the_longest_period_plus_a_day(
    limits: list[BookingLimits | None], days: int
) -> None:
    span = timedelta(days=days)
    assert limit_window(limits, START, END) == (START - span, END + span)


def test_limit_window_none_without_limits() -> None:
    assert limit_window([], START, END) is None
    assert limit_window([None, None], START, END) is None


def test_user_limits_parse_stored_fields_zone_and_week_start() -> None:
    assert user_limits(user(None)) is None
    assert user_limits(user({})) is None
    parsed = user_limits(user({"perDay": 2, "perYear": 100}, "Asia/Tokyo", "Wednesday"))
    assert parsed == UserLimits(BookingLimits(day=2, year=100), "Asia/Tokyo", 2)
    assert user_limits(user({"perWeek": 1}, week_start="Someday")) == UserLimits(
        BookingLimits(week=1), "UTC", 6
    )


def limited(*counted: tuple[int, int], day: int = 1) -> HostInput:
    """A host working 09–17 UTC daily with a per-day user limit and ``counted`` bookings
    (start, end hours on START's day) counting for it."""
    return HostInput(
        EVERY_DAY,
        user_limits=UserLimits(BookingLimits(day=day), "UTC"),
        user_limit_bookings=tuple(
            Interval(START.replace(hour=a), START.replace(hour=b)) for a, b in counted
        ),
    )


def reason(hosts: list[HostInput], rules: EventRules = RULES) -> str | None:
    try:
        check_booking(hosts, rules, start=START, end=END, now=NOW)
    except BookingRejected as exc:
        return exc.reason
    return None


def test_user_booking_limit_is_its_own_reason() -> None:
    assert "user_booking_limit" in REJECTION_REASONS
    assert reason([limited()]) is None
    # The counted booking blocks nothing by itself (it is not in ``bookings``): the day is full.
    assert reason([limited((15, 16))]) == "user_booking_limit"
    assert reason([limited((15, 16), day=2)]) is None


def test_reason_order_event_limits_then_user_limits_then_unavailable() -> None:
    # The user's day is full AND an event-type count limit is reached: the event limit wins.
    counted = ExistingBooking(START.replace(hour=15), START.replace(hour=16), 0, 0, True)
    host = limited((15, 16))
    both = HostInput(host.schedule, (counted,), (), host.user_limits, host.user_limit_bookings)
    assert reason([both], EventRules(30, 0, 0, 0, count_limits=BookingLimits(day=1))) == (
        "booking_limit"
    )
    # The user's day is full AND the host is busy at that time: the user limit wins.
    busy = HostInput(
        EVERY_DAY,
        (ExistingBooking(START, END),),
        (),
        host.user_limits,
        host.user_limit_bookings,
    )
    assert reason([busy]) == "user_booking_limit"
    assert reason([HostInput(EVERY_DAY, (ExistingBooking(START, END),))]) == "unavailable"


def test_full_user_period_is_busy_in_listings() -> None:
    window: dict[str, Any] = {
        "window_start": START.replace(hour=0),
        "window_end": START.replace(hour=23),
        "length": 30,
    }
    free = free_ranges([limited()], RULES, **window)
    assert free == [Interval(START.replace(hour=9), START.replace(hour=17))]
    assert free_ranges([limited((15, 16))], RULES, **window) == []


def test_user_limit_periods_follow_the_users_zone() -> None:
    # 2050-09-05 10:00 UTC is 19:00 in Tokyo; a booking at 16:00 UTC is already 6 September
    # there, so it does not fill the Tokyo day of the new booking.
    host = HostInput(
        EVERY_DAY,
        user_limits=UserLimits(BookingLimits(day=1), "Asia/Tokyo"),
        user_limit_bookings=(Interval(START.replace(hour=16), START.replace(hour=17)),),
    )
    assert reason([host]) is None


def test_overlaps_busy_raw_and_with_symmetric_buffers() -> None:
    plain = ExistingBooking(START - timedelta(minutes=30), START)
    assert not overlaps_busy([plain], [], start=START, end=END)  # touching is not overlapping
    assert overlaps_busy([plain], [], start=START - timedelta(minutes=1), end=END)
    buffered = ExistingBooking(START - timedelta(minutes=30), START, 0, 10)
    assert overlaps_busy([buffered], [], start=START + timedelta(minutes=9), end=END)
    assert not overlaps_busy([buffered], [], start=START + timedelta(minutes=10), end=END)
    # The new meeting's own before buffer (5) adds to the booking's after buffer (10).
    later = START + timedelta(minutes=14)
    assert overlaps_busy([buffered], [], start=later, end=END, before_buffer=5)
    assert not overlaps_busy([buffered], [], start=later, end=END)
    held = Interval(END, END + timedelta(minutes=30))
    assert not overlaps_busy([], [held], start=START, end=END)
    assert overlaps_busy([], [held], start=START, end=END + timedelta(minutes=1))
    with pytest.raises(ValueError, match="aware"):
        overlaps_busy([], [], start=START.replace(tzinfo=None), end=END)


def test_reservations_meeting_picks_overlapping_reservation_rows() -> None:
    def row(kind: int, minutes: int) -> BusyRow:
        begin = START + timedelta(minutes=minutes)
        return BusyRow(kind, 1, begin, begin + timedelta(minutes=30), 0, 0, 7)

    rows = [row(RESERVATION, -30), row(RESERVATION, 45), row(BOOKING, 0), row(RESERVATION, 60)]
    assert reservations_meeting(rows, START, END) == [rows[1]]
