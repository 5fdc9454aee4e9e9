"""Hand-checked cases for the scheduling engine (cal-semantics.md §2.8, §2.11, §3, §7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slotwise.scheduling import (
    BookingLimits,
    BookingRejected,
    BookingWindow,
    DateOverride,
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
    Schedule,
    WeeklyHours,
    availability_ranges,
    check_booking,
    compute_slots,
    group_by_date,
    intersect,
    subtract,
)

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
PAST = datetime(2020, 1, 1, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def hhmm(starts: list[datetime], tz: str) -> list[str]:
    return [s.astimezone(ZoneInfo(tz)).strftime("%H:%M") for s in starts]


def day_slots(
    host: HostInput,
    rules: EventRules,
    day: date,
    booker_tz: str = "UTC",
    now: datetime = PAST,
    duration: int | None = None,
) -> list[datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(booker_tz))
    return compute_slots(
        [host],
        rules,
        window_start=start.astimezone(UTC),
        window_end=(start + timedelta(days=1)).astimezone(UTC) - timedelta(seconds=1),
        booker_tz=booker_tz,
        now=now,
        duration=duration,
    )


def sched(tz: str, start: int, end: int, days: frozenset[int] = WEEKDAYS, overrides=()) -> Schedule:  # type: ignore[no-untyped-def]  # test helper
    return Schedule(tz, (WeeklyHours(days, start, end),), tuple(overrides))


TUESDAY = date(2024, 5, 21)


def test_intervals_subtract_and_intersect() -> None:
    a = [Interval(utc(2024, 1, 1, 9), utc(2024, 1, 1, 17))]
    busy = [
        Interval(utc(2024, 1, 1, 10), utc(2024, 1, 1, 11)),
        Interval(utc(2024, 1, 1, 17), utc(2024, 1, 1, 18)),
    ]
    assert subtract(a, busy) == [
        Interval(utc(2024, 1, 1, 9), utc(2024, 1, 1, 10)),
        Interval(utc(2024, 1, 1, 11), utc(2024, 1, 1, 17)),
    ]
    b = [Interval(utc(2024, 1, 1, 12), utc(2024, 1, 1, 20))]
    assert intersect(a, b) == [Interval(utc(2024, 1, 1, 12), utc(2024, 1, 1, 17))]


def test_example_a_buffers_and_new_york_booker() -> None:
    host = HostInput(
        sched("Europe/Berlin", 540, 1020),
        (
            ExistingBooking(
                local("Europe/Berlin", 2024, 5, 21, 11),
                local("Europe/Berlin", 2024, 5, 21, 11, 30),
                10,
                10,
            ),
        ),
    )
    rules = EventRules(length=30, minimum_booking_notice=0, before_buffer=10, after_buffer=10)
    starts = day_slots(host, rules, TUESDAY, "Europe/Berlin")
    # busy 10:40-11:50: 09:00-10:00 before it, then re-aligned from 11:50 to 12:00
    assert hhmm(starts, "Europe/Berlin") == ["09:00", "09:30", "10:00"] + [
        f"{h:02d}:{m:02d}" for h in range(12, 17) for m in (0, 30)
    ]


def test_example_b_grid_follows_booker_zone() -> None:
    host = HostInput(sched("Europe/Berlin", 540, 1020))
    rules = EventRules(length=60, minimum_booking_notice=0)
    window = {"window_start": utc(2024, 5, 21), "window_end": utc(2024, 5, 21, 23, 59), "now": PAST}
    in_utc = compute_slots([host], rules, booker_tz="UTC", **window)  # type: ignore[arg-type]
    in_kolkata = compute_slots([host], rules, booker_tz="Asia/Kolkata", **window)  # type: ignore[arg-type]
    assert hhmm(in_utc, "Europe/Berlin") == [f"{h:02d}:00" for h in range(9, 17)]
    assert hhmm(in_kolkata, "Europe/Berlin") == [f"{h:02d}:30" for h in range(9, 16)]


def test_kathmandu_booker_quarter_hour_offset() -> None:
    host = HostInput(sched("UTC", 540, 720))
    rules = EventRules(length=30, minimum_booking_notice=0)
    starts = compute_slots(
        [host],
        rules,
        window_start=utc(2024, 5, 21),
        window_end=utc(2024, 5, 21, 23),
        booker_tz="Asia/Kathmandu",
        now=PAST,
    )
    # 09:00Z is 14:45 in Kathmandu (+05:45): the first grid point is 15:00 local = 09:15Z
    assert hhmm(starts, "UTC") == ["09:15", "09:45", "10:15", "10:45", "11:15"]


def test_range_not_on_grid_realigns_and_optimized_slots() -> None:
    host = HostInput(sched("UTC", 12 * 60 + 30, 17 * 60 + 30))
    rules = EventRules(length=60, minimum_booking_notice=0)
    assert hhmm(day_slots(host, rules, TUESDAY), "UTC") == ["13:00", "14:00", "15:00", "16:00"]
    optimized = EventRules(length=60, minimum_booking_notice=0, show_optimized_slots=True)
    assert hhmm(day_slots(host, optimized, TUESDAY), "UTC") == [
        "12:30",
        "13:30",
        "14:30",
        "15:30",
        "16:30",
    ]


def test_busy_time_splits_ranges_and_each_part_realigns() -> None:
    host = HostInput(
        sched("UTC", 8 * 60, 12 * 60 + 30),
        (ExistingBooking(utc(2024, 5, 21, 10), utc(2024, 5, 21, 10, 10)),),
    )
    rules = EventRules(length=60, minimum_booking_notice=0)
    assert hhmm(day_slots(host, rules, TUESDAY), "UTC") == ["08:00", "09:00", "11:00"]
    twenty = EventRules(length=20, minimum_booking_notice=0)
    got = hhmm(day_slots(host, twenty, TUESDAY), "UTC")
    assert got[:6] == ["08:00", "08:20", "08:40", "09:00", "09:20", "09:40"]
    assert got[6] == "10:20" and got[-1] == "12:00" and len(got) == 12


def test_frequency_not_divisible_by_five() -> None:
    host = HostInput(sched("UTC", 7 * 60 + 22, 8 * 60))
    rules = EventRules(length=8, minimum_booking_notice=0)
    assert hhmm(day_slots(host, rules, TUESDAY), "UTC") == ["07:22", "07:30", "07:38", "07:46"]


def test_slot_interval_and_offset_start() -> None:
    host = HostInput(sched("UTC", 540, 720))
    rules = EventRules(length=60, slot_interval=30, minimum_booking_notice=0)
    assert hhmm(day_slots(host, rules, TUESDAY), "UTC") == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
    ]
    offset = EventRules(length=30, offset_start=5, minimum_booking_notice=0)
    assert hhmm(day_slots(host, offset, TUESDAY), "UTC") == [
        "09:05",
        "09:40",
        "10:15",
        "10:50",
        "11:25",
    ]


def test_minimum_notice_same_day() -> None:
    host = HostInput(sched("UTC", 0, 1440, EVERY_DAY))
    rules = EventRules(length=60, minimum_booking_notice=0)
    now = utc(2024, 5, 21, 11, 22, 36)
    starts = day_slots(host, rules, TUESDAY, now=now)
    assert hhmm(starts, "UTC")[:2] == ["12:00", "13:00"]
    notice = EventRules(length=60, minimum_booking_notice=120)
    assert hhmm(day_slots(host, notice, TUESDAY, now=now), "UTC")[0] == "14:00"


@pytest.mark.parametrize(
    ("tz", "day"),
    [
        ("America/New_York", date(2024, 3, 10)),
        ("America/New_York", date(2024, 11, 3)),
        ("Europe/Berlin", date(2024, 3, 31)),
        ("Europe/Berlin", date(2024, 10, 27)),
    ],
)
def test_dst_days_keep_wall_clock_hours(tz: str, day: date) -> None:
    host = HostInput(sched(tz, 540, 1020, EVERY_DAY))
    rules = EventRules(length=60, minimum_booking_notice=0)
    starts = day_slots(host, rules, day, tz)
    assert hhmm(starts, tz) == [f"{h:02d}:00" for h in range(9, 17)]
    # and the next day too
    starts = day_slots(host, rules, day + timedelta(days=1), tz)
    assert hhmm(starts, tz)[0] == "09:00"


def test_overrides_close_replace_and_split_a_day() -> None:
    overrides = [
        DateOverride(date(2024, 5, 21), 0, 0),  # closed
        DateOverride(date(2024, 5, 22), 600, 660),  # 10-11 and 14-15 replace 09-17
        DateOverride(date(2024, 5, 22), 840, 900),
        DateOverride(date(2024, 5, 25), 600, 720),  # Saturday opened
    ]
    host = HostInput(sched("Asia/Tokyo", 540, 1020, WEEKDAYS, overrides))
    rules = EventRules(length=60, minimum_booking_notice=0)
    assert day_slots(host, rules, date(2024, 5, 21), "Asia/Tokyo") == []
    assert hhmm(day_slots(host, rules, date(2024, 5, 22), "Asia/Tokyo"), "Asia/Tokyo") == [
        "10:00",
        "14:00",
    ]
    assert hhmm(day_slots(host, rules, date(2024, 5, 25), "Asia/Tokyo"), "Asia/Tokyo") == [
        "10:00",
        "11:00",
    ]
    assert len(day_slots(host, rules, date(2024, 5, 23), "Asia/Tokyo")) == 8


def test_2359_means_midnight() -> None:
    host = HostInput(sched("UTC", 22 * 60, 23 * 60 + 59, EVERY_DAY))
    rules = EventRules(length=60, minimum_booking_notice=0)
    assert hhmm(day_slots(host, rules, TUESDAY), "UTC") == ["22:00", "23:00"]
    ranges = availability_ranges(host.schedule, utc(2024, 5, 21), utc(2024, 5, 22, 12))
    assert ranges[0] == Interval(utc(2024, 5, 21, 22), utc(2024, 5, 22))


def test_symmetric_buffers() -> None:
    # existing 10:00-11:00 with a 30-minute after-buffer; the new event has a 15-minute before
    # buffer: the new meeting may start at 11:45 at the earliest, and must end by 10:00 minus
    # its own after-buffer (0) minus the existing before-buffer (0).
    host = HostInput(
        sched("UTC", 540, 1020, EVERY_DAY),
        (ExistingBooking(utc(2024, 5, 21, 10), utc(2024, 5, 21, 11), 0, 30),),
    )
    rules = EventRules(length=15, minimum_booking_notice=0, before_buffer=15)
    got = hhmm(day_slots(host, rules, TUESDAY), "UTC")
    assert "09:45" in got and "10:00" not in got
    assert "11:30" not in got and "11:45" in got
    with pytest.raises(BookingRejected) as exc:
        check_booking(
            [host], rules, start=utc(2024, 5, 21, 11, 40), end=utc(2024, 5, 21, 11, 55), now=PAST
        )
    assert exc.value.reason == "unavailable"
    check_booking([host], rules, start=utc(2024, 5, 21, 11, 45), end=utc(2024, 5, 21, 12), now=PAST)


def test_only_first_available_slot_per_day() -> None:
    host = HostInput(sched("UTC", 540, 1020, EVERY_DAY))
    rules = EventRules(length=30, minimum_booking_notice=0, only_show_first_available_slot=True)
    starts = compute_slots(
        [host],
        rules,
        window_start=utc(2024, 5, 21),
        window_end=utc(2024, 5, 23, 23),
        booker_tz="UTC",
        now=PAST,
    )
    assert starts == [utc(2024, 5, 21, 9), utc(2024, 5, 22, 9), utc(2024, 5, 23, 9)]


def _counted(*days: int) -> tuple[ExistingBooking, ...]:
    return tuple(
        ExistingBooking(utc(2024, 5, d, 9), utc(2024, 5, d, 10), counts_for_limits=True)
        for d in days
    )


def test_count_limits_day_week_month_year() -> None:
    schedule = sched("UTC", 540, 1020, EVERY_DAY)
    window = {
        "window_start": utc(2024, 5, 19),
        "window_end": utc(2024, 6, 2),
        "booker_tz": "UTC",
        "now": PAST,
    }
    day = EventRules(length=60, minimum_booking_notice=0, count_limits=BookingLimits(day=1))
    starts = compute_slots([HostInput(schedule, _counted(21))], day, **window)  # type: ignore[arg-type]
    assert not [s for s in starts if s.date() == date(2024, 5, 21)]
    assert [s for s in starts if s.date() == date(2024, 5, 22)]
    # weeks start on Sunday: 2024-05-19 .. 05-25 is full, 05-26 onwards is free
    week = EventRules(length=60, minimum_booking_notice=0, count_limits=BookingLimits(week=2))
    starts = compute_slots([HostInput(schedule, _counted(20, 22))], week, **window)  # type: ignore[arg-type]
    assert min(starts) == utc(2024, 5, 26, 9)
    month = EventRules(length=60, minimum_booking_notice=0, count_limits=BookingLimits(month=1))
    starts = compute_slots([HostInput(schedule, _counted(2))], month, **window)  # type: ignore[arg-type]
    assert min(starts) == utc(2024, 6, 1, 9)
    year = EventRules(length=60, minimum_booking_notice=0, count_limits=BookingLimits(year=1))
    assert compute_slots([HostInput(schedule, _counted(2))], year, **window) == []  # type: ignore[arg-type]
    with pytest.raises(BookingRejected) as exc:
        check_booking(
            [HostInput(schedule, _counted(21))],
            day,
            start=utc(2024, 5, 21, 14),
            end=utc(2024, 5, 21, 15),
            now=PAST,
        )
    assert exc.value.reason == "booking_limit"


def test_duration_limit_counts_the_new_booking() -> None:
    schedule = sched("UTC", 540, 1020, EVERY_DAY)
    rules = EventRules(length=60, minimum_booking_notice=0, duration_limits=BookingLimits(day=120))
    host = HostInput(schedule, _counted(21))  # 60 minutes booked on the 21st
    assert len(day_slots(host, rules, TUESDAY)) == 7  # 60 + 60 <= 120: still open
    tight = EventRules(length=60, minimum_booking_notice=0, duration_limits=BookingLimits(day=90))
    assert day_slots(host, tight, TUESDAY) == []  # 60 + 60 > 90
    with pytest.raises(BookingRejected) as exc:
        check_booking([host], tight, start=utc(2024, 5, 21, 14), end=utc(2024, 5, 21, 15), now=PAST)
    assert exc.value.reason == "duration_limit"
    week = EventRules(length=60, minimum_booking_notice=0, duration_limits=BookingLimits(week=60))
    assert day_slots(HostInput(schedule, _counted(20)), week, TUESDAY) == []


def test_booking_windows() -> None:
    schedule = sched("UTC", 540, 1020, EVERY_DAY)
    now = utc(2024, 5, 20, 10)  # a Monday
    window = {
        "window_start": utc(2024, 5, 20),
        "window_end": utc(2024, 6, 30),
        "booker_tz": "UTC",
        "now": now,
    }
    cal = EventRules(
        length=60, minimum_booking_notice=0, booking_window=BookingWindow("calendarDays", days=5)
    )
    assert max(compute_slots([HostInput(schedule)], cal, **window)).date() == date(2024, 5, 25)  # type: ignore[arg-type]
    biz = EventRules(
        length=60, minimum_booking_notice=0, booking_window=BookingWindow("businessDays", days=5)
    )
    assert max(compute_slots([HostInput(schedule)], biz, **window)).date() == date(2024, 5, 27)  # type: ignore[arg-type]
    rng = EventRules(
        length=60,
        minimum_booking_notice=0,
        booking_window=BookingWindow(
            "range", start_date=date(2024, 6, 3), end_date=date(2024, 6, 4)
        ),
    )
    got = {s.date() for s in compute_slots([HostInput(schedule)], rng, **window)}  # type: ignore[arg-type]
    assert got == {date(2024, 6, 3), date(2024, 6, 4)}
    weekdays = sched("UTC", 540, 1020, WEEKDAYS)
    rolling = EventRules(
        length=60,
        minimum_booking_notice=0,
        booking_window=BookingWindow("calendarDays", days=3, rolling=True),
    )
    got = {s.date() for s in compute_slots([HostInput(weekdays)], rolling, **window)}  # type: ignore[arg-type]
    assert got == {date(2024, 5, 20), date(2024, 5, 21), date(2024, 5, 22)}
    with pytest.raises(BookingRejected) as exc:
        check_booking(
            [HostInput(weekdays)],
            rolling,
            start=utc(2024, 5, 23, 9),
            end=utc(2024, 5, 23, 10),
            now=now,
        )
    assert exc.value.reason == "out_of_bounds"
    with pytest.raises(BookingRejected) as exc:
        check_booking(
            [HostInput(schedule)], cal, start=utc(2024, 5, 26, 9), end=utc(2024, 5, 26, 10), now=now
        )
    assert exc.value.reason == "out_of_bounds"


def test_check_booking_reasons_and_off_grid_start() -> None:
    host = HostInput(
        sched("UTC", 540, 1020, EVERY_DAY),
        (ExistingBooking(utc(2024, 5, 21, 12), utc(2024, 5, 21, 13)),),
    )
    rules = EventRules(length=30, minimum_booking_notice=60)
    now = utc(2024, 5, 21, 8)
    check_booking([host], rules, start=utc(2024, 5, 21, 9, 7), end=utc(2024, 5, 21, 9, 37), now=now)
    cases = [
        (utc(2024, 5, 21, 7), "past"),
        (utc(2024, 5, 21, 8, 30), "out_of_bounds"),
        (utc(2024, 5, 21, 12, 15), "unavailable"),
        (utc(2024, 5, 21, 16, 45), "unavailable"),
    ]
    for start, reason in cases:
        with pytest.raises(BookingRejected) as exc:
            check_booking([host], rules, start=start, end=start + timedelta(minutes=30), now=now)
        assert exc.value.reason == reason


def test_collective_hosts_intersect() -> None:
    a = HostInput(sched("UTC", 540, 720, EVERY_DAY))
    b = HostInput(sched("Europe/Berlin", 660, 1020, EVERY_DAY))  # 09:00-15:00 UTC in May
    rules = EventRules(length=60, minimum_booking_notice=0)
    starts = compute_slots(
        [a, b],
        rules,
        window_start=utc(2024, 5, 21),
        window_end=utc(2024, 5, 21, 23),
        booker_tz="UTC",
        now=PAST,
    )
    assert hhmm(starts, "UTC") == ["09:00", "10:00", "11:00"]


def test_group_by_date_in_zone() -> None:
    groups = group_by_date([utc(2024, 5, 21, 23), utc(2024, 5, 21, 1)], "Asia/Tokyo")
    assert list(groups) == ["2024-05-21", "2024-05-22"]
