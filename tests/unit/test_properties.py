"""Property tests (hypothesis) for the scheduling engine.

1. No slot overlaps an existing booking widened by the symmetric buffers, nor a busy interval.
2. Every slot lies inside one availability range of every host.
3. For whole-hour-offset booker zones the slot instants do not depend on the booker zone.
4. check_booking accepts every slot compute_slots lists (same now and booker zone), with
   notice, limits and every kind of booking window in play.
Plus the interval operations against a brute-force minute set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from slotwise.scheduling import (
    BookingLimits,
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
    intersect,
    merge,
    subtract,
)

# Mondays whose next ten days cross DST changes: EU spring (03-31), US spring (03-10), EU and US
# autumn (10-27 and 11-03), and a quiet week.
BASES = [
    datetime(2030, 3, 25, tzinfo=UTC),
    datetime(2030, 3, 4, tzinfo=UTC),
    datetime(2030, 10, 21, tzinfo=UTC),
    datetime(2030, 6, 10, tzinfo=UTC),
]
DAYS = 10
ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
]
WHOLE_HOUR_ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
FAST = settings(max_examples=100, deadline=None)


@st.composite
def schedules(draw: st.DrawFn, base: datetime) -> Schedule:
    weekly = []
    for _ in range(draw(st.integers(1, 2))):
        start = draw(st.integers(0, 46)) * 30
        end = draw(st.sampled_from([1439, 1440, min(1440, start + draw(st.integers(1, 20)) * 30)]))
        weekly.append(
            WeeklyHours(frozenset(draw(st.sets(st.integers(0, 6), min_size=1))), start, end)
        )
    overrides = []
    for _ in range(draw(st.integers(0, 3))):
        day = base.date() + timedelta(days=draw(st.integers(-1, DAYS)))
        start = draw(st.integers(0, 95)) * 15
        end = draw(st.sampled_from([start, 1439, min(1440, start + draw(st.integers(1, 32)) * 15)]))
        overrides.append(DateOverride(day, start, end))
    return Schedule(draw(st.sampled_from(ZONES)), tuple(weekly), tuple(overrides))


@st.composite
def hosts(draw: st.DrawFn, base: datetime) -> HostInput:
    bookings = []
    for _ in range(draw(st.integers(0, 12))):
        start = base + timedelta(minutes=draw(st.integers(-24 * 12, DAYS * 24 * 12)) * 5)
        length = draw(st.sampled_from([15, 20, 30, 45, 60, 90, 600]))
        bookings.append(
            ExistingBooking(
                start,
                start + timedelta(minutes=length),
                draw(st.sampled_from([0, 5, 10, 30])),
                draw(st.sampled_from([0, 5, 15, 60])),
                draw(st.booleans()),
            )
        )
    busy = []
    for _ in range(draw(st.integers(0, 3))):
        start = base + timedelta(minutes=draw(st.integers(0, DAYS * 24 * 4)) * 15)
        busy.append(Interval(start, start + timedelta(minutes=draw(st.integers(1, 16)) * 15)))
    return HostInput(draw(schedules(base)), tuple(bookings), tuple(busy))


def limits(draw: st.DrawFn, scale: int) -> BookingLimits | None:
    if draw(st.integers(0, 2)):
        return None
    pick = st.one_of(st.none(), st.integers(1, 4).map(lambda n: n * scale))
    return BookingLimits(day=draw(pick), week=draw(pick), month=draw(pick), year=draw(pick))


@st.composite
def windows(draw: st.DrawFn, base: datetime) -> BookingWindow | None:
    kind = draw(st.sampled_from([None, "businessDays", "calendarDays", "range"]))
    if kind is None:
        return None
    if kind == "range":
        first = base.date() + timedelta(days=draw(st.integers(-2, DAYS)))
        return BookingWindow(
            "range", start_date=first, end_date=first + timedelta(draw(st.integers(0, 4)))
        )
    return BookingWindow(kind, days=draw(st.integers(0, 6)), rolling=draw(st.booleans()))


@st.composite
def scenarios(
    draw: st.DrawFn, *, booker_zones: list[str] = ZONES, presentation_free: bool = False
) -> tuple[list[HostInput], EventRules, datetime, str, int | None]:
    """(hosts, rules, now, booker zone, duration). ``presentation_free``: no rule whose result
    depends on booker dates (day-based windows, first slot per day)."""
    base = draw(st.sampled_from(BASES))
    group = [draw(hosts(base)) for _ in range(draw(st.integers(1, 2)))]
    window = draw(windows(base))
    if presentation_free and window is not None and window.kind != "range":
        window = None
    rules = EventRules(
        length=draw(st.sampled_from([15, 20, 25, 30, 45, 60, 90])),
        slot_interval=draw(st.sampled_from([None, None, 10, 15, 30, 8])),
        offset_start=draw(st.sampled_from([0, 0, 5])),
        minimum_booking_notice=draw(st.sampled_from([0, 30, 120])),
        before_buffer=draw(st.sampled_from([0, 5, 10, 30])),
        after_buffer=draw(st.sampled_from([0, 10, 20])),
        show_optimized_slots=draw(st.booleans()),
        only_show_first_available_slot=not presentation_free and draw(st.booleans()),
        booking_window=window,
        count_limits=limits(draw, 1),
        duration_limits=limits(draw, 60),
        week_start=draw(st.sampled_from([6, 0])),
        time_zone=draw(st.sampled_from([None, "Asia/Tokyo"])),
    )
    now = base + timedelta(seconds=draw(st.integers(-86_400, 3 * 86_400)))
    duration = draw(st.sampled_from([None, None, 30, 60]))
    return group, rules, now, draw(st.sampled_from(booker_zones)), duration


def run(
    group: list[HostInput], rules: EventRules, now: datetime, tz: str, duration: int | None
) -> list[datetime]:
    base = now.replace(hour=0, minute=0, second=0)
    return compute_slots(
        group,
        rules,
        window_start=base - timedelta(hours=6),
        window_end=base + timedelta(days=DAYS),
        booker_tz=tz,
        now=now,
        duration=duration,
    )


Scenario = tuple[list[HostInput], EventRules, datetime, str, int | None]


@FAST
@given(scenarios())
def test_slots_never_overlap_buffered_bookings_or_busy(case: Scenario) -> None:
    group, rules, now, tz, duration = case
    length = timedelta(minutes=duration or rules.length)
    for s in run(*case):
        slot = Interval(s, s + length)
        for h in group:
            for b in h.bookings:
                widened = Interval(
                    b.start - timedelta(minutes=b.before_buffer + rules.after_buffer),
                    b.end + timedelta(minutes=b.after_buffer + rules.before_buffer),
                )
                assert not slot.overlaps(widened), (s, b)
            for busy in h.busy:
                assert not slot.overlaps(busy), (s, busy)


@FAST
@given(scenarios())
def test_slots_lie_inside_every_hosts_availability(case: Scenario) -> None:
    group, rules, now, tz, duration = case
    length = timedelta(minutes=duration or rules.length)
    wide = [
        availability_ranges(h.schedule, now - timedelta(days=3), now + timedelta(days=80))
        for h in group
    ]
    for s in run(*case):
        for ranges in wide:
            assert any(r.contains(s, s + length) for r in ranges), s


@FAST
@given(
    scenarios(booker_zones=WHOLE_HOUR_ZONES, presentation_free=True),
    st.sampled_from(WHOLE_HOUR_ZONES),
)
def test_whole_hour_booker_zones_only_change_presentation(case: Scenario, other: str) -> None:
    group, rules, now, tz, duration = case
    assert run(group, rules, now, tz, duration) == run(group, rules, now, other, duration)


@FAST
@given(scenarios())
def test_every_listed_slot_is_bookable(case: Scenario) -> None:
    group, rules, now, tz, duration = case
    starts = run(*case)
    length = timedelta(minutes=duration or rules.length)
    for s in starts[:: max(1, len(starts) // 25)]:
        check_booking(group, rules, start=s, end=s + length, now=now, booker_tz=tz)


# --- interval operations against a minute set ---------------------------------------------------

T0 = datetime(2030, 1, 1, tzinfo=UTC)
intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 60)).map(
        lambda p: Interval(T0 + timedelta(minutes=p[0]), T0 + timedelta(minutes=p[0] + p[1]))
    ),
    max_size=12,
)


def minutes(items: list[Interval]) -> set[int]:
    out: set[int] = set()
    for i in items:
        out.update(
            range(
                int((i.start - T0).total_seconds()) // 60, int((i.end - T0).total_seconds()) // 60
            )
        )
    return out


def disjoint_sorted(items: list[Interval]) -> bool:
    return all(a.end < b.start for a, b in zip(items, items[1:], strict=False)) and all(
        i.start < i.end for i in items
    )


@FAST
@given(intervals, intervals)
def test_interval_operations_match_sets(a: list[Interval], b: list[Interval]) -> None:
    merged = merge(a)
    assert minutes(merged) == minutes(a) and disjoint_sorted(merged)
    both = intersect(a, b)
    assert minutes(both) == minutes(a) & minutes(b)
    assert all(x.start < x.end for x in both)
    rest = subtract(merged, b)
    assert minutes(rest) == minutes(a) - minutes(b)
    assert all(x.start < x.end for x in rest) and rest == sorted(rest)
