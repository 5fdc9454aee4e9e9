"""Property tests for the scheduling engine (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from slotwise.scheduling import (
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
    Schedule,
    WeeklyHours,
    availability_ranges,
    check_booking,
    compute_slots,
)

BASE = datetime(2030, 3, 25, tzinfo=UTC)  # a Monday, across the EU DST change (2030-03-31)
NOW = datetime(2020, 1, 1, tzinfo=UTC)
HOST_ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu"]
WHOLE_HOUR_ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[HostInput, EventRules]:
    start = draw(st.integers(0, 20)) * 30
    end = draw(st.integers(start // 30 + 1, 48)) * 30
    days = frozenset(draw(st.sets(st.integers(0, 6), min_size=1)))
    schedule = Schedule(draw(st.sampled_from(HOST_ZONES)), (WeeklyHours(days, start, end),))
    bookings = []
    for _ in range(draw(st.integers(0, 12))):
        offset = draw(st.integers(0, 10 * 24 * 4)) * 15
        length = draw(st.sampled_from([15, 30, 45, 60, 90]))
        b_start = BASE + timedelta(minutes=offset)
        bookings.append(
            ExistingBooking(
                b_start,
                b_start + timedelta(minutes=length),
                draw(st.sampled_from([0, 5, 10, 30])),
                draw(st.sampled_from([0, 5, 15, 60])),
            )
        )
    rules = EventRules(
        length=draw(st.sampled_from([15, 20, 30, 45, 60])),
        slot_interval=draw(st.sampled_from([None, 10, 15, 30])),
        minimum_booking_notice=0,
        before_buffer=draw(st.sampled_from([0, 5, 10, 30])),
        after_buffer=draw(st.sampled_from([0, 10, 20])),
        offset_start=draw(st.sampled_from([0, 0, 5])),
        show_optimized_slots=draw(st.booleans()),
    )
    return HostInput(schedule, tuple(bookings)), rules


def _slots(host: HostInput, rules: EventRules, tz: str) -> list[datetime]:
    return compute_slots(
        [host],
        rules,
        window_start=BASE,
        window_end=BASE + timedelta(days=10),
        booker_tz=tz,
        now=NOW,
    )


@settings(max_examples=80, deadline=None)
@given(scenarios(), st.sampled_from(HOST_ZONES))
def test_slots_never_overlap_buffered_bookings(case: tuple[HostInput, EventRules], tz: str) -> None:
    host, rules = case
    length = timedelta(minutes=rules.length)
    for s in _slots(host, rules, tz):
        slot = Interval(s, s + length)
        for b in host.bookings:
            busy = Interval(
                b.start - timedelta(minutes=b.before_buffer + rules.after_buffer),
                b.end + timedelta(minutes=b.after_buffer + rules.before_buffer),
            )
            assert not slot.overlaps(busy), (s, b)


@settings(max_examples=80, deadline=None)
@given(scenarios(), st.sampled_from(HOST_ZONES))
def test_slots_lie_inside_availability(case: tuple[HostInput, EventRules], tz: str) -> None:
    host, rules = case
    ranges = availability_ranges(host.schedule, BASE - timedelta(days=1), BASE + timedelta(days=11))
    for s in _slots(host, rules, tz):
        end = s + timedelta(minutes=rules.length)
        assert any(r.contains(s, end) for r in ranges), s


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.sampled_from(WHOLE_HOUR_ZONES), st.sampled_from(WHOLE_HOUR_ZONES))
def test_whole_hour_zones_change_only_presentation(
    case: tuple[HostInput, EventRules], tz_a: str, tz_b: str
) -> None:
    host, rules = case
    assert _slots(host, rules, tz_a) == _slots(host, rules, tz_b)


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.sampled_from(HOST_ZONES))
def test_every_listed_slot_is_bookable(case: tuple[HostInput, EventRules], tz: str) -> None:
    host, rules = case
    for s in _slots(host, rules, tz)[:40]:
        check_booking([host], rules, start=s, end=s + timedelta(minutes=rules.length), now=NOW)
