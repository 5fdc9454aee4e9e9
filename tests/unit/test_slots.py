"""Slot generation and booking validation, hand-checked (cal-semantics §2.1, §2.8, §2.11, §5.3,
§7). Times in comments are local to the zone named; "Z" is UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slotwise.scheduling import (
    REJECTION_REASONS,
    BookingRejected,
    BookingWindow,
    DateOverride,
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
    Schedule,
    WeeklyHours,
    check_booking,
    compute_slots,
    free_ranges,
    group_by_date,
)
from slotwise.scheduling.slots import _generate, _Plan

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
PAST = datetime(2020, 1, 1, tzinfo=UTC)
TUESDAY = date(2024, 5, 21)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)  # type: ignore[misc]


def hhmm(starts: list[datetime], tz: str = "UTC") -> list[str]:
    return [s.astimezone(ZoneInfo(tz)).strftime("%H:%M") for s in starts]


def sched(
    tz: str,
    start: int,
    end: int,
    days: frozenset[int] = EVERY_DAY,
    overrides: tuple[DateOverride, ...] = (),
) -> Schedule:
    return Schedule(tz, (WeeklyHours(days, start, end),), overrides)


def host(
    schedule: Schedule, *bookings: ExistingBooking, busy: tuple[Interval, ...] = ()
) -> HostInput:
    return HostInput(schedule, bookings, busy)


def day_slots(
    hosts: HostInput | list[HostInput],
    rules: EventRules,
    day: date = TUESDAY,
    booker_tz: str = "UTC",
    now: datetime = PAST,
    duration: int | None = None,
) -> list[datetime]:
    """Slots of one booker-zone day: window [00:00, 23:59:59] local."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(booker_tz))
    end = datetime.combine(day, datetime.max.time(), tzinfo=ZoneInfo(booker_tz))
    return compute_slots(
        hosts if isinstance(hosts, list) else [hosts],
        rules,
        window_start=start.astimezone(UTC),
        window_end=end.replace(microsecond=0).astimezone(UTC),
        booker_tz=booker_tz,
        now=now,
        duration=duration,
    )


def rules(length: int, **kw: object) -> EventRules:
    return EventRules(length=length, minimum_booking_notice=kw.pop("notice", 0), **kw)  # type: ignore[arg-type]


def hours(first: int, last: int, minute: int = 0) -> list[str]:
    return [f"{h:02d}:{minute:02d}" for h in range(first, last + 1)]


# --- cal-semantics §2.11 worked examples --------------------------------------------------


def test_example_a_buffered_booking_new_york_booker() -> None:
    # Berlin 09-17; 30-min event with 10/10 buffers; booking 11:00-11:30 Berlin of the same
    # event type (10/10). Symmetric busy = [11:00 - 10 - 10, 11:30 + 10 + 10] = [10:40, 11:50]
    # (same as Cal.com because before == after). 09:00 Berlin = 03:00 NY (on the grid) →
    # 09:00, 09:30, 10:00; 11:50 Berlin = 05:50 NY → 06:00 NY = 12:00 Berlin → 12:00 … 16:30.
    # (§2.11 says "12 slots"; its own list has 3 + 10 = 13.)
    booking = ExistingBooking(
        local("Europe/Berlin", 2024, 5, 21, 11), local("Europe/Berlin", 2024, 5, 21, 11, 30), 10, 10
    )
    h = host(sched("Europe/Berlin", 540, 1020, WEEKDAYS), booking)
    r = rules(30, before_buffer=10, after_buffer=10)
    starts = day_slots(h, r, TUESDAY, "America/New_York")
    expected = ["09:00", "09:30", "10:00"] + [
        f"{x}:{m}" for x in range(12, 17) for m in ("00", "30")
    ]
    assert hhmm(starts, "Europe/Berlin") == [e.zfill(5) for e in expected]
    assert len(starts) == 13
    assert list(group_by_date(starts, "America/New_York")) == ["2024-05-21"]


def test_example_b_grid_follows_booker_zone_kolkata() -> None:
    h = host(sched("Europe/Berlin", 540, 1020, WEEKDAYS))
    window = {"window_start": utc(2024, 5, 21), "window_end": utc(2024, 5, 21, 23), "now": PAST}
    in_utc = compute_slots([h], rules(60), booker_tz="UTC", **window)  # type: ignore[arg-type]
    assert hhmm(in_utc, "Europe/Berlin") == hours(9, 16)
    # 09:00 Berlin = 12:30 IST, off the grid → 13:00 IST = 09:30 Berlin
    kolkata = compute_slots([h], rules(60), booker_tz="Asia/Kolkata", **window)  # type: ignore[arg-type]
    assert hhmm(kolkata, "Europe/Berlin") == hours(9, 15, 30)


def test_example_c_overlapping_ranges_snap_to_emitted_slots() -> None:
    # RR-style unmerged ranges 11:00-13:00 and 11:15-13:00, 45 min (grid 15): the second range
    # starts inside the 11:00 slot's step, which began before it → jumps to 11:45 (emitted).
    plan = _Plan(rules(45), 45, 45, ZoneInfo("UTC"), ZoneInfo("UTC"))
    m = 60_000_000
    base = int(utc(2024, 5, 21, 11).timestamp()) * 1_000_000
    free = [(base, base + 120 * m), (base + 15 * m, base + 120 * m)]
    got = _generate(free, plan, earliest_us=0, last_start_us=base + 10 * 24 * 60 * m)
    assert [datetime.fromtimestamp(x * 60, UTC) for x in got] == [
        utc(2024, 5, 21, 11),
        utc(2024, 5, 21, 11, 45),
    ]


def test_example_e_notice_with_non_rolling_calendar_window() -> None:
    # now Monday 10:00 London, 5 calendar days → last bookable date Saturday (London);
    # 5 business days → the following Monday
    now = local("Europe/London", 2024, 5, 20, 10)
    h = host(sched("Europe/London", 540, 1020))
    window = {"window_start": now, "window_end": now + timedelta(days=14), "now": now}
    cal = rules(60, booking_window=BookingWindow("calendarDays", days=5))
    last = max(compute_slots([h], cal, booker_tz="Europe/London", **window))  # type: ignore[arg-type]
    assert last == local("Europe/London", 2024, 5, 25, 16)
    biz = rules(60, booking_window=BookingWindow("businessDays", days=5))
    last = max(compute_slots([h], biz, booker_tz="Europe/London", **window))  # type: ignore[arg-type]
    assert last == local("Europe/London", 2024, 5, 27, 16)


# --- slots.test.ts examples (§2.8) --------------------------------------------------------


def test_range_off_grid_is_realigned_not_anchored() -> None:
    h = host(sched("UTC", 12 * 60 + 30, 17 * 60 + 30))
    assert hhmm(day_slots(h, rules(60))) == ["13:00", "14:00", "15:00", "16:00"]
    optimized = rules(60, show_optimized_slots=True)
    assert hhmm(day_slots(h, optimized)) == hours(12, 16, 30)


def test_busy_time_splits_a_range_and_each_part_realigns() -> None:
    h = host(
        sched("UTC", 8 * 60, 12 * 60 + 30),
        ExistingBooking(utc(2024, 5, 21, 10), utc(2024, 5, 21, 10, 10)),
    )
    assert hhmm(day_slots(h, rules(60))) == ["08:00", "09:00", "11:00"]
    twenty = hhmm(day_slots(h, rules(20)))
    assert twenty[:6] == ["08:00", "08:20", "08:40", "09:00", "09:20", "09:40"]
    assert twenty[6:] == ["10:20", "10:40", "11:00", "11:20", "11:40", "12:00"]
    optimized = hhmm(day_slots(h, rules(20, show_optimized_slots=True)))
    assert len(optimized) == 13
    assert optimized[6:] == ["10:10", "10:30", "10:50", "11:10", "11:30", "11:50", "12:10"]


@pytest.mark.parametrize(
    ("start", "end", "length", "plain", "optimized"),
    [
        # spare = 155 % 30 = 5 → not +20, but +5 to the quarter hour
        (
            610,
            765,
            30,
            ["10:30", "11:00", "11:30", "12:00"],
            ["10:15", "10:45", "11:15", "11:45", "12:15"],
        ),
        # spare = 480 % 60 = 0 → kept at 09:30: 8 slots instead of 7
        (570, 1050, 60, hours(10, 16), hours(9, 16, 30)),
        # spare = 230 % 60 = 50 → +10 to 09:15
        (545, 775, 60, ["10:00", "11:00"], ["09:15", "10:15", "11:15"]),
    ],
)
def test_show_optimized_slots(
    start: int, end: int, length: int, plain: list[str], optimized: list[str]
) -> None:
    h = host(sched("UTC", start, end))
    assert hhmm(day_slots(h, rules(length))) == plain
    assert hhmm(day_slots(h, rules(length, show_optimized_slots=True))) == optimized


def test_frequency_not_divisible_by_five_has_no_grid() -> None:
    h = host(sched("UTC", 7 * 60 + 22, 8 * 60))
    assert hhmm(day_slots(h, rules(8))) == ["07:22", "07:30", "07:38", "07:46"]


def test_same_day_minimum_notice() -> None:
    h = host(sched("UTC", 0, 1440))
    now = utc(2024, 5, 21, 9, 22, 36)  # + 120 min notice = 11:22:36 → 11:22 → next hour
    assert hhmm(day_slots(h, rules(60, notice=120), now=now))[:2] == ["12:00", "13:00"]
    optimized = day_slots(h, rules(15, notice=120, show_optimized_slots=True), now=now)
    assert hhmm(optimized)[:3] == ["11:25", "11:40", "11:55"]


def test_long_notice_and_zero_notice() -> None:
    h = host(sched("UTC", 0, 1440))
    # notice 1500 min from 2024-05-20 11:59:59 → 05-21 12:59:59: 13:00 … 23:00
    starts = day_slots(h, rules(60, notice=1500), now=utc(2024, 5, 20, 11, 59, 59))
    assert hhmm(starts) == hours(13, 23)
    # notice 0 at 11:59:59 still means at least one minute ahead (12:00:59): 12:00 is too soon
    # (Cal.com's truncation lets 12:00 through and lists 12 slots)
    starts = day_slots(h, rules(60, notice=0), now=utc(2024, 5, 21, 11, 59, 59))
    assert hhmm(starts) == hours(13, 23)
    starts = day_slots(h, rules(60, notice=0), now=utc(2024, 5, 21, 11, 58, 59))
    assert hhmm(starts) == hours(12, 23)


def test_fit_rule_tolerates_one_second_brussels() -> None:
    # free until 20:59:59Z: a 15-min slot at 20:45Z ends one second later and still fits
    h = host(
        sched("UTC", 0, 1440), busy=(Interval(utc(2024, 5, 21, 20, 59, 59), utc(2024, 5, 22)),)
    )
    starts = day_slots(h, rules(15), TUESDAY, "Europe/Brussels")
    assert hhmm(starts, "Europe/Brussels")[-1] == "22:45"
    check_booking(
        [h], rules(15), start=utc(2024, 5, 21, 20, 45), end=utc(2024, 5, 21, 21), now=PAST
    )


def test_slot_interval_offset_start_and_duration() -> None:
    h = host(sched("UTC", 540, 720))
    assert hhmm(day_slots(h, rules(60, slot_interval=30))) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
    ]
    # offset 5: first start 09:05, step 30 + 5
    assert hhmm(day_slots(h, rules(30, offset_start=5))) == [
        "09:05",
        "09:40",
        "10:15",
        "10:50",
        "11:25",
    ]
    # duration overrides the length and (without slotInterval) the frequency
    assert hhmm(day_slots(h, rules(30), duration=60)) == ["09:00", "10:00", "11:00"]
    # slotInterval wins over the chosen duration
    assert hhmm(day_slots(h, rules(30, slot_interval=30), duration=60)) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
    ]


# --- time zones and DST ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day"),
    [
        ("America/New_York", date(2024, 3, 10)),
        ("America/New_York", date(2024, 11, 3)),
        ("Europe/Berlin", date(2024, 3, 31)),
        ("Europe/Berlin", date(2024, 10, 27)),
    ],
)
def test_dst_days_first_slot_is_nine_local(tz: str, day: date) -> None:
    h = host(sched(tz, 540, 1020))
    for d in (day - timedelta(days=1), day, day + timedelta(days=1)):
        assert hhmm(day_slots(h, rules(60), d, tz), tz) == hours(9, 16)
    # a UTC booker sees the same instants
    assert hhmm(day_slots(h, rules(60), day, "UTC"), tz) == hours(9, 16)


def test_kathmandu_booker_quarter_hour_offset() -> None:
    # 09:00Z is 14:45 in Kathmandu (+05:45): the grid starts at 15:00 local = 09:15Z
    h = host(sched("UTC", 540, 720))
    starts = compute_slots(
        [h],
        rules(30),
        window_start=utc(2024, 5, 21),
        window_end=utc(2024, 5, 21, 23),
        booker_tz="Asia/Kathmandu",
        now=PAST,
    )
    assert hhmm(starts) == ["09:15", "09:45", "10:15", "10:45", "11:15"]
    assert hhmm(starts, "Asia/Kathmandu")[0] == "15:00"


def test_overrides_close_extend_and_split_days() -> None:
    overrides = (
        DateOverride(date(2024, 5, 21), 0, 0),  # Tuesday closed
        DateOverride(date(2024, 5, 22), 600, 660),  # Wednesday 10-11 and 14-15
        DateOverride(date(2024, 5, 22), 840, 900),
        DateOverride(date(2024, 5, 23), 420, 1200),  # Thursday extended to 07-20
        DateOverride(date(2024, 5, 25), 600, 720),  # Saturday opened 10-12
    )
    h = host(sched("Asia/Tokyo", 540, 1020, WEEKDAYS, overrides))
    tokyo = "Asia/Tokyo"
    assert day_slots(h, rules(60), date(2024, 5, 21), tokyo) == []
    assert hhmm(day_slots(h, rules(60), date(2024, 5, 22), tokyo), tokyo) == ["10:00", "14:00"]
    assert hhmm(day_slots(h, rules(60), date(2024, 5, 23), tokyo), tokyo) == hours(7, 19)
    assert hhmm(day_slots(h, rules(60), date(2024, 5, 24), tokyo), tokyo) == hours(9, 16)
    assert hhmm(day_slots(h, rules(60), date(2024, 5, 25), tokyo), tokyo) == ["10:00", "11:00"]


def test_2359_end_means_midnight() -> None:
    h = host(sched("UTC", 22 * 60, 23 * 60 + 59))
    assert hhmm(day_slots(h, rules(60))) == ["22:00", "23:00"]
    assert hhmm(day_slots(h, rules(30))) == ["22:00", "22:30", "23:00", "23:30"]


# --- buffers, busy time, hosts ---------------------------------------------------------------


def test_symmetric_buffers_differ_from_cal_com_direction() -> None:
    # new event: after-buffer 30, before-buffer 0; existing 11:00-11:30 without buffers.
    # ours: busy [11:00 - 30, 11:30] (the new meeting + its after-buffer must end by 11:00);
    # Cal.com would block [11:00, 12:00] instead.
    h = host(
        sched("UTC", 540, 1020), ExistingBooking(utc(2024, 5, 21, 11), utc(2024, 5, 21, 11, 30))
    )
    got = hhmm(day_slots(h, rules(30, after_buffer=30)))
    assert "10:00" in got and "10:30" not in got and "11:30" in got


def test_buffers_of_both_sides_add_up() -> None:
    # existing 10:00-11:00 with its own after-buffer 30; the new event has a 15-min before
    # buffer: the next meeting starts at 11:00 + 30 + 15 = 11:45 at the earliest
    h = host(
        sched("UTC", 540, 1020), ExistingBooking(utc(2024, 5, 21, 10), utc(2024, 5, 21, 11), 0, 30)
    )
    r = rules(15, before_buffer=15)
    got = hhmm(day_slots(h, r))
    assert "09:45" in got and "10:00" not in got and "11:30" not in got and "11:45" in got
    with pytest.raises(BookingRejected) as exc:
        check_booking(
            [h], r, start=utc(2024, 5, 21, 11, 40), end=utc(2024, 5, 21, 11, 55), now=PAST
        )
    assert exc.value.reason == "unavailable"
    check_booking([h], r, start=utc(2024, 5, 21, 11, 45), end=utc(2024, 5, 21, 12), now=PAST)


def test_buffer_of_booking_before_the_window_reaches_in() -> None:
    # cal.com#29532: a booking ending at the window start still blocks its after-buffer
    h = host(
        sched("UTC", 0, 1440), ExistingBooking(utc(2024, 5, 21, 8), utc(2024, 5, 21, 9), 0, 30)
    )
    starts = compute_slots(
        [h],
        rules(30),
        window_start=utc(2024, 5, 21, 9),
        window_end=utc(2024, 5, 21, 12),
        booker_tz="UTC",
        now=PAST,
    )
    assert hhmm(starts)[0] == "09:30"


def test_busy_intervals_are_used_as_given() -> None:
    h = host(sched("UTC", 540, 1020), busy=(Interval(utc(2024, 5, 21, 10), utc(2024, 5, 21, 11)),))
    got = hhmm(day_slots(h, rules(30, before_buffer=15, after_buffer=15)))
    assert got == ["09:00", "09:30", "11:00", "11:30"] + [
        f"{x:02d}:{m}" for x in range(12, 17) for m in ("00", "30")
    ]


def test_collective_hosts_must_all_be_free() -> None:
    a = host(sched("UTC", 540, 720))
    b = host(sched("Europe/Berlin", 660, 1020))  # 09:00-15:00Z in May
    assert hhmm(day_slots([a, b], rules(60))) == ["09:00", "10:00", "11:00"]
    b_busy = host(b.schedule, ExistingBooking(utc(2024, 5, 21, 10), utc(2024, 5, 21, 10, 30)))
    assert hhmm(day_slots([a, b_busy], rules(60))) == ["09:00", "11:00"]
    assert day_slots([], rules(60)) == []


def test_free_ranges_applies_buffers() -> None:
    h = host(sched("UTC", 540, 1020), ExistingBooking(utc(2024, 5, 21, 12), utc(2024, 5, 21, 13)))
    got = free_ranges(
        [h],
        rules(30, before_buffer=10, after_buffer=5),
        window_start=utc(2024, 5, 21),
        window_end=utc(2024, 5, 22),
        length=30,
    )
    assert got == [
        Interval(utc(2024, 5, 21, 9), utc(2024, 5, 21, 11, 55)),
        Interval(utc(2024, 5, 21, 13, 10), utc(2024, 5, 21, 17)),
    ]


# --- window edges, first slot per day, grouping -----------------------------------------------


def test_window_start_restarts_alignment_and_whole_slots_fit_the_window() -> None:
    h = host(sched("UTC", 0, 1440))

    def between(start: datetime, end: datetime, length: int = 60) -> list[str]:
        got = compute_slots(
            [h], rules(length), window_start=start, window_end=end, booker_tz="UTC", now=PAST
        )
        return hhmm(got)

    # first 11:00 (aligned from 10:07); 22:00 would end at 23:00, after the window (Cal.com)
    assert between(utc(2024, 5, 21, 10, 7), utc(2024, 5, 21, 22, 30)) == hours(11, 21)
    assert between(utc(2024, 5, 21, 10), utc(2024, 5, 21, 12), 30) == [
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]
    # an API v2 date-only end (23:59:59) still admits the slot ending at midnight
    assert between(utc(2024, 5, 21), utc(2024, 5, 21, 23, 59, 59))[-1] == "23:00"
    assert between(utc(2024, 5, 21, 9), utc(2024, 5, 21, 9)) == []


def test_only_first_available_slot_per_booker_date() -> None:
    h = host(sched("UTC", 540, 1020))
    r = rules(60, only_show_first_available_slot=True)
    starts = compute_slots(
        [h],
        r,
        window_start=utc(2024, 5, 21),
        window_end=utc(2024, 5, 22, 23, 59),
        booker_tz="Asia/Tokyo",
        now=PAST,
    )
    # 09:00-16:00Z is 18:00-01:00 in Tokyo: each UTC day feeds two Tokyo dates
    assert starts == [utc(2024, 5, 21, 9), utc(2024, 5, 21, 15), utc(2024, 5, 22, 15)]


def test_group_by_date_in_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    groups = group_by_date(
        [utc(2024, 5, 21, 23), utc(2024, 5, 21, 1), datetime(2024, 5, 21, 12, tzinfo=tokyo)],
        "Asia/Tokyo",
    )
    assert groups == {
        "2024-05-21": [utc(2024, 5, 21, 1), utc(2024, 5, 21, 3)],
        "2024-05-22": [utc(2024, 5, 21, 23)],
    }
    assert all(s.tzinfo is UTC for v in groups.values() for s in v)


def test_naive_datetimes_are_rejected() -> None:
    h = host(sched("UTC", 540, 1020))
    with pytest.raises(ValueError):
        compute_slots(
            [h],
            rules(30),
            window_start=datetime(2024, 5, 21),
            window_end=utc(2024, 5, 22),
            booker_tz="UTC",
            now=PAST,
        )
    with pytest.raises(ValueError):
        check_booking(
            [h],
            rules(30),
            start=utc(2024, 5, 21, 9),
            end=utc(2024, 5, 21, 9, 30),
            now=datetime(2024, 1, 1),
        )


# --- check_booking ---------------------------------------------------------------------------


def test_check_booking_reasons_and_off_grid_start() -> None:
    h = host(sched("UTC", 540, 1020), ExistingBooking(utc(2024, 5, 21, 12), utc(2024, 5, 21, 13)))
    r = rules(30, notice=60)
    now = utc(2024, 5, 21, 8)
    check_booking([h], r, start=utc(2024, 5, 21, 9, 7), end=utc(2024, 5, 21, 9, 37), now=now)
    check_booking([h], r, start=utc(2024, 5, 21, 11, 30), end=utc(2024, 5, 21, 12), now=now)
    cases = [
        (utc(2024, 5, 21, 7), "past"),
        (utc(2024, 5, 21, 8, 30), "out_of_bounds"),  # inside the 60-min notice
        (utc(2024, 5, 21, 12, 15), "unavailable"),  # overlaps the booking
        (utc(2024, 5, 21, 11, 45), "unavailable"),  # ends inside the booking
        (utc(2024, 5, 21, 16, 45), "unavailable"),  # ends after working hours
        (utc(2024, 5, 22, 3), "unavailable"),  # outside working hours
    ]
    for start, reason in cases:
        with pytest.raises(BookingRejected) as exc:
            check_booking([h], r, start=start, end=start + timedelta(minutes=30), now=now)
        assert exc.value.reason == reason, start
        assert reason in REJECTION_REASONS


def test_check_booking_busy_interval_and_every_host() -> None:
    busy = (Interval(utc(2024, 5, 21, 14), utc(2024, 5, 21, 15)),)
    a = host(sched("UTC", 540, 1020), busy=busy)
    b = host(sched("UTC", 600, 1020))
    start = utc(2024, 5, 21, 14, 30)
    for hosts in ([a], [a, b]):
        with pytest.raises(BookingRejected) as exc:
            check_booking(
                hosts, rules(30), start=start, end=start + timedelta(minutes=30), now=PAST
            )
        assert exc.value.reason == "unavailable"
    early = utc(2024, 5, 21, 9, 30)  # a works, b starts at 10:00
    check_booking([a], rules(30), start=early, end=early + timedelta(minutes=30), now=PAST)
    with pytest.raises(BookingRejected) as exc:
        check_booking([a, b], rules(30), start=early, end=early + timedelta(minutes=30), now=PAST)
    assert exc.value.reason == "unavailable"
    with pytest.raises(BookingRejected) as exc:
        check_booking([], rules(30), start=early, end=early + timedelta(minutes=30), now=PAST)
    assert exc.value.reason == "unavailable"
    with pytest.raises(ValueError):
        check_booking([a], rules(30), start=early, end=early, now=PAST)


def test_check_booking_spanning_midnight_inside_joined_ranges() -> None:
    h = host(
        Schedule("UTC", (WeeklyHours(EVERY_DAY, 22 * 60, 1439), WeeklyHours(EVERY_DAY, 0, 120)))
    )
    start = utc(2024, 5, 21, 23, 30)
    check_booking([h], rules(60), start=start, end=start + timedelta(hours=1), now=PAST)


def test_check_booking_order_past_before_everything() -> None:
    h = host(sched("UTC", 540, 1020))
    start = utc(2024, 5, 21, 3)  # outside hours and in the past
    with pytest.raises(BookingRejected) as exc:
        check_booking(
            [h], rules(30), start=start, end=start + timedelta(minutes=30), now=utc(2024, 5, 21, 4)
        )
    assert exc.value.reason == "past"
    with pytest.raises(BookingRejected) as exc:  # outside hours and inside the notice
        check_booking(
            [h],
            rules(30, notice=120),
            start=start,
            end=start + timedelta(minutes=30),
            now=utc(2024, 5, 21, 2),
        )
    assert exc.value.reason == "out_of_bounds"
