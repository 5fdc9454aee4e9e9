"""Weekly hours and date overrides → UTC availability (cal-semantics §1.2, §2.4, §7.1–7.2,
§7.9, §7.11–7.12). Expected instants are worked out by hand from the zones' offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfoNotFoundError

import pytest

from slotwise.scheduling import DateOverride, Interval, Schedule, WeeklyHours, availability_ranges

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def sched(
    tz: str,
    start: int,
    end: int,
    days: frozenset[int] = WEEKDAYS,
    overrides: tuple[DateOverride, ...] = (),
) -> Schedule:
    return Schedule(tz, (WeeklyHours(days, start, end),), overrides)


def test_weekly_hours_are_local_wall_clock() -> None:
    # Tuesday 2024-05-21, Berlin is UTC+2: 09:00-17:00 local = 07:00-15:00Z
    got = availability_ranges(sched("Europe/Berlin", 540, 1020), utc(2024, 5, 21), utc(2024, 5, 22))
    assert got == [Interval(utc(2024, 5, 21, 7), utc(2024, 5, 21, 15))]


def test_window_clips_and_weekends_are_off() -> None:
    s = sched("UTC", 540, 1020)
    got = availability_ranges(s, utc(2024, 5, 24, 10, 30), utc(2024, 5, 27, 12))  # Fri → Mon
    assert got == [
        Interval(utc(2024, 5, 24, 10, 30), utc(2024, 5, 24, 17)),
        Interval(utc(2024, 5, 27, 9), utc(2024, 5, 27, 12)),
    ]
    assert availability_ranges(s, utc(2024, 5, 22), utc(2024, 5, 21)) == []


@pytest.mark.parametrize(
    ("tz", "day", "first_utc_hour", "day_before_utc_hour"),
    [
        ("America/New_York", date(2024, 3, 10), 13, 14),  # spring forward: EST → EDT
        ("America/New_York", date(2024, 11, 3), 14, 13),  # fall back: EDT → EST
        ("Europe/Berlin", date(2024, 3, 31), 7, 8),  # CET → CEST
        ("Europe/Berlin", date(2024, 10, 27), 8, 7),  # CEST → CET
    ],
)
def test_dst_days_keep_nine_to_five(
    tz: str, day: date, first_utc_hour: int, day_before_utc_hour: int
) -> None:
    s = sched(tz, 540, 1020, EVERY_DAY)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    got = availability_ranges(s, start, start.replace(hour=23))
    assert got == [
        Interval(start.replace(hour=first_utc_hour), start.replace(hour=first_utc_hour + 8))
    ]
    before = start.replace(day=day.day - 1)
    got = availability_ranges(s, before, before.replace(hour=23))
    assert got[0].start == before.replace(hour=day_before_utc_hour)


def test_whole_dst_days_last_23_and_25_hours() -> None:
    s = sched("America/New_York", 0, 1440, frozenset({6}))  # Sundays only
    spring = availability_ranges(s, utc(2024, 3, 9), utc(2024, 3, 12))
    assert spring == [Interval(utc(2024, 3, 10, 5), utc(2024, 3, 11, 4))]  # 23 hours
    autumn = availability_ranges(s, utc(2024, 11, 2), utc(2024, 11, 5))
    assert autumn == [Interval(utc(2024, 11, 3, 4), utc(2024, 11, 4, 5))]  # 25 hours


def test_wall_time_in_spring_forward_gap_moves_after_the_shift() -> None:
    # 02:30 does not exist on 2024-03-10 in New York: it resolves to 03:30 EDT = 07:30Z
    s = sched("America/New_York", 150, 240, EVERY_DAY)  # 02:30-04:00
    got = availability_ranges(s, utc(2024, 3, 10), utc(2024, 3, 11))
    assert got == [Interval(utc(2024, 3, 10, 7, 30), utc(2024, 3, 10, 8))]


def test_2359_means_midnight_and_overnight_blocks_join() -> None:
    s = Schedule(
        "UTC",
        (WeeklyHours(EVERY_DAY, 22 * 60, 23 * 60 + 59), WeeklyHours(EVERY_DAY, 0, 120)),
    )
    got = availability_ranges(s, utc(2024, 5, 21, 12), utc(2024, 5, 22, 12))
    assert got == [Interval(utc(2024, 5, 21, 22), utc(2024, 5, 22, 2))]
    with_1440 = sched("UTC", 22 * 60, 1440, EVERY_DAY)
    got = availability_ranges(with_1440, utc(2024, 5, 21), utc(2024, 5, 22))
    assert got == [Interval(utc(2024, 5, 21, 22), utc(2024, 5, 22))]


def test_overnight_row_is_dropped_like_cal_com() -> None:
    s = sched("UTC", 22 * 60, 2 * 60, EVERY_DAY)  # end before start: must be two rows
    assert availability_ranges(s, utc(2024, 5, 21), utc(2024, 5, 23)) == []


def test_overrides_close_extend_split_and_open_days() -> None:
    overrides = (
        DateOverride(date(2024, 5, 20), 0, 0),  # Monday closed
        DateOverride(date(2024, 5, 21), 480, 1200),  # Tuesday extended to 08:00-20:00
        DateOverride(date(2024, 5, 22), 540, 720),  # Wednesday 09-12 and 14-17
        DateOverride(date(2024, 5, 22), 840, 1020),
        DateOverride(date(2024, 5, 23), 600, 600),  # start == end closes too
        DateOverride(date(2024, 5, 25), 600, 720),  # Saturday opened 10-12
    )
    s = sched("UTC", 540, 1020, WEEKDAYS, overrides)
    got = availability_ranges(s, utc(2024, 5, 20), utc(2024, 5, 27))
    assert got == [
        Interval(utc(2024, 5, 21, 8), utc(2024, 5, 21, 20)),
        Interval(utc(2024, 5, 22, 9), utc(2024, 5, 22, 12)),
        Interval(utc(2024, 5, 22, 14), utc(2024, 5, 22, 17)),
        Interval(utc(2024, 5, 24, 9), utc(2024, 5, 24, 17)),
        Interval(utc(2024, 5, 25, 10), utc(2024, 5, 25, 12)),
    ]


def test_override_applies_to_its_local_date_not_its_utc_date() -> None:
    # Tokyo is UTC+9. Override Wed 2024-05-22 01:00-03:00 local = Tue 16:00-18:00Z. It replaces
    # Wednesday's weekly 09-17 local (= Wed 00:00-08:00Z), not Tuesday's (= Tue 00:00-08:00Z).
    overrides = (DateOverride(date(2024, 5, 22), 60, 180),)
    s = sched("Asia/Tokyo", 540, 1020, WEEKDAYS, overrides)
    got = availability_ranges(s, utc(2024, 5, 21), utc(2024, 5, 23, 12))
    assert got == [
        Interval(utc(2024, 5, 21), utc(2024, 5, 21, 8)),
        Interval(utc(2024, 5, 21, 16), utc(2024, 5, 21, 18)),
        Interval(utc(2024, 5, 23), utc(2024, 5, 23, 8)),  # Thursday 09-17 local
    ]


def test_override_just_outside_the_window_is_clipped() -> None:
    # the ±1 day slack reads the override, the clip keeps it out of a window it does not touch
    overrides = (DateOverride(date(2024, 5, 22), 0, 1440),)
    s = sched("Pacific/Auckland", 540, 1020, WEEKDAYS, overrides)  # UTC+12 in May
    got = availability_ranges(s, utc(2024, 5, 21, 0), utc(2024, 5, 21, 11))
    # Tue 21 09:00-17:00 NZST is Mon 20 21:00Z - Tue 21 05:00Z; Wed 22 starts 21 12:00Z
    assert got == [Interval(utc(2024, 5, 21), utc(2024, 5, 21, 5))]


@pytest.mark.parametrize(
    "make",
    [
        lambda: WeeklyHours(frozenset({7}), 540, 1020),
        lambda: WeeklyHours(frozenset({-1}), 540, 1020),
        lambda: WeeklyHours(WEEKDAYS, -5, 1020),
        lambda: WeeklyHours(WEEKDAYS, 540, 1441),
        lambda: DateOverride(date(2024, 5, 21), 0, 2000),
    ],
)
def test_invalid_rows_raise_value_error(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


def test_unknown_zone_raises() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        availability_ranges(sched("Mars/Olympus", 540, 1020), utc(2024, 5, 21), utc(2024, 5, 22))
