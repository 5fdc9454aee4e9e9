"""Booking-count and booked-duration limits (cal-semantics §3, decisions: periods in the event
zone, weeks from Sunday by default, overlap counting, the new booking's length counts)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slotwise.scheduling import (
    BookingLimits,
    BookingRejected,
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
    Schedule,
    WeeklyHours,
    check_booking,
    compute_slots,
    period_of,
)
from slotwise.scheduling.limits import periods_between

EVERY_DAY = frozenset(range(7))
PAST = datetime(2020, 1, 1, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)  # type: ignore[misc]


def always(tz: str = "UTC") -> Schedule:
    return Schedule(tz, (WeeklyHours(EVERY_DAY, 0, 1440),))


def nine_to_five(tz: str = "UTC") -> Schedule:
    return Schedule(tz, (WeeklyHours(EVERY_DAY, 540, 1020),))


def counted(start: datetime, minutes: int = 60) -> ExistingBooking:
    return ExistingBooking(start, start + timedelta(minutes=minutes), counts_for_limits=True)


def slots(
    h: HostInput | list[HostInput],
    r: EventRules,
    start: datetime,
    end: datetime,
    duration: int | None = None,
    booker_tz: str = "UTC",
) -> list[datetime]:
    return compute_slots(
        h if isinstance(h, list) else [h],
        r,
        window_start=start,
        window_end=end,
        booker_tz=booker_tz,
        now=PAST,
        duration=duration,
    )


def reason(h: HostInput | list[HostInput], r: EventRules, start: datetime, minutes: int) -> str:
    try:
        check_booking(
            h if isinstance(h, list) else [h],
            r,
            start=start,
            end=start + timedelta(minutes=minutes),
            now=PAST,
        )
    except BookingRejected as exc:
        return exc.reason
    return "ok"


def dates(starts: list[datetime], tz: str = "UTC") -> set[date]:
    return {s.astimezone(ZoneInfo(tz)).date() for s in starts}


def count_rules(length: int = 60, **limits: int) -> EventRules:
    return EventRules(length=length, minimum_booking_notice=0, count_limits=BookingLimits(**limits))


def duration_rules(length: int = 60, **limits: int) -> EventRules:
    return EventRules(
        length=length, minimum_booking_notice=0, duration_limits=BookingLimits(**limits)
    )


# --- count limits ----------------------------------------------------------------------------


def test_example_d_daily_count_limit_in_event_zone() -> None:
    # PER_DAY 2, event zone Berlin, two bookings on Berlin's 2024-05-21 → that whole Berlin day
    # is busy; the 22nd stays open; a booking request on the 21st → booking_limit
    r = EventRules(length=30, minimum_booking_notice=0, count_limits=BookingLimits(day=2))
    two = HostInput(
        nine_to_five("Europe/Berlin"),
        (counted(berlin(2024, 5, 21, 9), 30), counted(berlin(2024, 5, 21, 10), 30)),
    )
    got = slots(two, r, berlin(2024, 5, 21), berlin(2024, 5, 22, 23, 59), booker_tz="Europe/Berlin")
    assert dates(got, "Europe/Berlin") == {date(2024, 5, 22)}
    assert len(got) == 16
    assert reason(two, r, berlin(2024, 5, 21, 14), 30) == "booking_limit"
    assert reason(two, r, berlin(2024, 5, 22, 14), 30) == "ok"
    one = HostInput(two.schedule, two.bookings[:1])
    got = slots(one, r, berlin(2024, 5, 21), berlin(2024, 5, 21, 23, 59), booker_tz="Europe/Berlin")
    assert len(got) == 15  # 09:00 is taken by the booking itself
    assert reason(one, r, berlin(2024, 5, 21, 14), 30) == "ok"


def test_day_periods_follow_the_event_zone_not_utc() -> None:
    # booking 2024-05-22 02:00Z is 05-21 22:00 in New York: NY's 21st (04:00Z → 04:00Z) closes
    r = EventRules(
        length=60,
        minimum_booking_notice=0,
        count_limits=BookingLimits(day=1),
        time_zone="America/New_York",
    )
    h = HostInput(always(), (counted(utc(2024, 5, 22, 2), 30),))
    got = slots(h, r, utc(2024, 5, 21), utc(2024, 5, 22, 23))
    assert not [s for s in got if utc(2024, 5, 21, 4) <= s < utc(2024, 5, 22, 4)]
    assert got[0] == utc(2024, 5, 21) and got[3] == utc(2024, 5, 21, 3)
    assert got[4] == utc(2024, 5, 22, 4)
    assert reason(h, r, utc(2024, 5, 21, 12), 60) == "booking_limit"
    assert reason(h, r, utc(2024, 5, 21, 2), 60) == "ok"


def test_booking_across_midnight_counts_in_both_days() -> None:
    h = HostInput(always(), (counted(utc(2024, 5, 21, 23, 30)),))
    got = slots(h, count_rules(day=1), utc(2024, 5, 20), utc(2024, 5, 23, 23))
    assert dates(got) == {date(2024, 5, 20), date(2024, 5, 23)}
    # at booking time too (Cal.com's booking check only counts bookings wholly inside the day)
    assert reason(h, count_rules(day=1), utc(2024, 5, 21, 9), 60) == "booking_limit"
    assert reason(h, count_rules(day=1), utc(2024, 5, 22, 9), 60) == "booking_limit"


def test_new_booking_across_midnight_needs_both_days_open() -> None:
    h = HostInput(always(), (counted(utc(2024, 5, 22, 9)),))
    r = EventRules(
        length=60, slot_interval=30, minimum_booking_notice=0, count_limits=BookingLimits(day=1)
    )
    got = slots(h, r, utc(2024, 5, 21, 20), utc(2024, 5, 22, 23, 59))
    assert got[-1] == utc(2024, 5, 21, 23)  # ends at midnight; 23:30 would reach the 22nd
    assert reason(h, r, utc(2024, 5, 21, 23), 60) == "ok"
    assert reason(h, r, utc(2024, 5, 21, 23, 30), 60) == "booking_limit"


def test_weekly_count_limit_weeks_start_sunday_by_default() -> None:
    # 2024-05-19 is a Sunday. Bookings Mon 20 and Wed 22 fill the week Sun 19 - Sat 25.
    h = HostInput(nine_to_five(), (counted(utc(2024, 5, 20, 9)), counted(utc(2024, 5, 22, 9))))
    got = slots(h, count_rules(week=2), utc(2024, 5, 19), utc(2024, 6, 2))
    assert min(got) == utc(2024, 5, 26, 9)
    # weeks from Monday: Mon 20 - Sun 26 is full, Sun 19 belongs to the previous (empty) week
    monday = EventRules(
        length=60, minimum_booking_notice=0, count_limits=BookingLimits(week=2), week_start=0
    )
    got = slots(h, monday, utc(2024, 5, 19), utc(2024, 6, 2))
    assert dates(got) & {date(2024, 5, d) for d in range(19, 28)} == {
        date(2024, 5, 19),
        date(2024, 5, 27),
    }
    assert reason(h, monday, utc(2024, 5, 26, 9), 60) == "booking_limit"
    assert reason(h, count_rules(week=2), utc(2024, 5, 26, 9), 60) == "ok"


def test_monthly_count_limit() -> None:
    h = HostInput(nine_to_five(), (counted(utc(2024, 5, 2, 9)),))
    got = slots(h, count_rules(month=1), utc(2024, 5, 19), utc(2024, 6, 2))
    assert min(got) == utc(2024, 6, 1, 9)
    assert reason(h, count_rules(month=1), utc(2024, 5, 31, 9), 60) == "booking_limit"
    assert reason(h, count_rules(month=2), utc(2024, 5, 31, 9), 60) == "ok"


def test_yearly_count_limit_in_event_zone() -> None:
    r = EventRules(
        length=60,
        minimum_booking_notice=0,
        count_limits=BookingLimits(year=1),
        time_zone="Europe/Berlin",
    )
    h = HostInput(always(), (counted(utc(2024, 5, 2, 9)),))
    assert slots(h, r, utc(2024, 5, 19), utc(2024, 6, 2)) == []
    # Berlin's 2025 starts at 2024-12-31 23:00Z
    got = slots(h, r, utc(2024, 12, 31), utc(2025, 1, 1, 3))
    assert got[0] == utc(2024, 12, 31, 23)
    assert reason(h, r, utc(2024, 12, 31, 21), 60) == "booking_limit"


def test_only_counted_bookings_count_and_limits_are_per_host() -> None:
    other = ExistingBooking(utc(2024, 5, 21, 9), utc(2024, 5, 21, 10))  # another event type
    h = HostInput(nine_to_five(), (other,))
    assert len(slots(h, count_rules(day=1), utc(2024, 5, 21), utc(2024, 5, 21, 23))) == 7
    a = HostInput(nine_to_five())
    b = HostInput(nine_to_five(), (counted(utc(2024, 5, 21, 9)),))
    assert slots([a, b], count_rules(day=1), utc(2024, 5, 21), utc(2024, 5, 21, 23)) == []
    assert reason([a, b], count_rules(day=1), utc(2024, 5, 21, 12), 60) == "booking_limit"


# --- duration limits -------------------------------------------------------------------------


def test_daily_duration_limit_counts_the_new_booking() -> None:
    h = HostInput(nine_to_five(), (counted(utc(2024, 5, 21, 9)),))  # 60 min booked
    day = (utc(2024, 5, 21), utc(2024, 5, 21, 23))
    assert len(slots(h, duration_rules(day=120), *day)) == 7  # 60 + 60 <= 120
    assert slots(h, duration_rules(day=90), *day) == []  # 60 + 60 > 90
    assert reason(h, duration_rules(day=90), utc(2024, 5, 21, 14), 60) == "duration_limit"
    # a 30-minute duration still fits: 60 + 30 <= 90, in listing and at booking
    assert len(slots(h, duration_rules(day=90), *day, duration=30)) == 14
    assert reason(h, duration_rules(day=90), utc(2024, 5, 21, 14), 30) == "ok"
    # an event longer than the limit never fits, even on an empty day
    assert slots(HostInput(nine_to_five()), duration_rules(day=30), *day) == []


def test_weekly_duration_limit() -> None:
    h = HostInput(nine_to_five(), (counted(utc(2024, 5, 20, 9)),))  # Monday, 60 min
    got = slots(h, duration_rules(week=60), utc(2024, 5, 19), utc(2024, 5, 27, 23))
    assert dates(got) == {date(2024, 5, 26), date(2024, 5, 27)}
    assert reason(h, duration_rules(week=60), utc(2024, 5, 25, 9), 60) == "duration_limit"
    assert reason(h, duration_rules(week=120), utc(2024, 5, 25, 9), 60) == "ok"


def test_monthly_duration_limit() -> None:
    h = HostInput(nine_to_five(), (counted(utc(2024, 5, 2, 9)), counted(utc(2024, 5, 3, 9))))
    got = slots(h, duration_rules(month=150), utc(2024, 5, 30), utc(2024, 6, 1, 23))
    assert dates(got) == {date(2024, 6, 1)}  # 120 + 60 > 150 in May
    assert (
        len(slots(h, duration_rules(month=150), utc(2024, 5, 30), utc(2024, 5, 30, 23), 30)) == 16
    )


def test_yearly_duration_limit() -> None:
    h = HostInput(nine_to_five(), (counted(utc(2024, 1, 10, 9), 30),))
    window = (utc(2024, 5, 21), utc(2024, 5, 21, 23))
    assert slots(h, duration_rules(year=60), *window) == []  # 30 + 60 > 60
    assert len(slots(h, duration_rules(year=60), *window, duration=30)) == 16  # 30 + 30 <= 60
    assert reason(h, duration_rules(year=60), utc(2024, 5, 21, 9), 60) == "duration_limit"
    assert reason(h, duration_rules(year=60), utc(2024, 5, 21, 9), 30) == "ok"


def test_limit_reasons_come_in_order() -> None:
    h = HostInput(
        nine_to_five(),
        (counted(utc(2024, 5, 21, 9)), ExistingBooking(utc(2024, 5, 21, 14), utc(2024, 5, 21, 15))),
    )
    both = EventRules(
        length=60,
        minimum_booking_notice=0,
        count_limits=BookingLimits(day=1),
        duration_limits=BookingLimits(day=60),
    )
    assert reason(h, both, utc(2024, 5, 21, 14), 60) == "booking_limit"  # busy too
    assert reason(h, duration_rules(day=60), utc(2024, 5, 21, 14), 60) == "duration_limit"
    assert reason(h, duration_rules(day=180), utc(2024, 5, 21, 14), 60) == "unavailable"


# --- periods ---------------------------------------------------------------------------------


def test_period_of_uses_local_midnights() -> None:
    # 2024-03-31 in Berlin lasts 23 hours (CET → CEST)
    assert period_of(utc(2024, 3, 31, 12), "day", "Europe/Berlin") == Interval(
        utc(2024, 3, 30, 23), utc(2024, 3, 31, 22)
    )
    assert period_of(utc(2024, 5, 22, 12), "week", "UTC") == Interval(
        utc(2024, 5, 19), utc(2024, 5, 26)
    )
    assert period_of(utc(2024, 5, 22, 12), "week", "UTC", week_start=0) == Interval(
        utc(2024, 5, 20), utc(2024, 5, 27)
    )
    assert period_of(utc(2024, 12, 15), "month", "UTC") == Interval(
        utc(2024, 12, 1), utc(2025, 1, 1)
    )
    assert period_of(utc(2024, 12, 31, 23, 30), "year", "Europe/Berlin") == Interval(
        utc(2024, 12, 31, 23), utc(2025, 12, 31, 23)
    )


def test_periods_between() -> None:
    got = periods_between(utc(2024, 5, 30, 12), utc(2024, 6, 2), "day", "UTC")
    assert [p.start.day for p in got] == [30, 31, 1]  # half-open: 06-02 00:00 is not inside
    assert periods_between(utc(2024, 5, 30), utc(2024, 5, 30, 1), "month", "UTC") == [
        Interval(utc(2024, 5, 1), utc(2024, 6, 1))
    ]


@pytest.mark.parametrize("unit", ["day", "week", "month", "year"])
def test_period_contains_its_instant(unit: str) -> None:
    instant = utc(2024, 11, 3, 6, 30)  # New York's fall-back day
    p = period_of(instant, unit, "America/New_York")  # type: ignore[arg-type]
    assert p.start <= instant < p.end
