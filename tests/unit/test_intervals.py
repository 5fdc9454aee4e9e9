"""Interval set operations: merge, subtract, intersect (half-open, cal-semantics §2.6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from slotwise.scheduling import Interval, intersect, merge, subtract
from slotwise.scheduling.intervals import from_micros, to_micros

BASE = datetime(2024, 5, 21, tzinfo=UTC)


def iv(start_h: float, end_h: float) -> Interval:
    """An interval between two hour offsets of BASE (fractions allowed)."""
    return Interval(BASE + timedelta(hours=start_h), BASE + timedelta(hours=end_h))


def test_overlaps_is_half_open_and_contains_is_closed() -> None:
    assert iv(9, 10).overlaps(iv(9.5, 11))
    assert not iv(9, 10).overlaps(iv(10, 11))  # touching is fine
    assert not iv(10, 11).overlaps(iv(9, 10))
    assert iv(9, 17).contains(iv(9, 17).start, iv(9, 17).end)
    assert not iv(9, 17).contains(iv(8, 9).start, iv(9, 10).end)


def test_merge_sorts_joins_touching_and_drops_empty() -> None:
    got = merge([iv(13, 14), iv(9, 10), iv(10, 11), iv(9.5, 10.5), iv(12, 12), iv(15, 14)])
    assert got == [iv(9, 11), iv(13, 14)]
    assert merge([]) == []
    assert merge([iv(9, 17), iv(10, 11)]) == [iv(9, 17)]  # nested


def test_merge_compares_instants_across_zones() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 11:00-12:00 Berlin (summer) is 09:00-10:00 UTC: touches 08:00-09:00 UTC
    local = Interval(
        datetime(2024, 5, 21, 11, tzinfo=berlin), datetime(2024, 5, 21, 12, tzinfo=berlin)
    )
    got = merge([iv(8, 9), local])
    assert len(got) == 1 and got[0].start == iv(8, 9).start and got[0].end == iv(10, 10).end


def test_subtract_splits_and_keeps_positive_remainders() -> None:
    assert subtract([iv(9, 17)], [iv(10, 11), iv(12, 13)]) == [iv(9, 10), iv(11, 12), iv(13, 17)]
    # busy touching the edges removes nothing; busy covering everything leaves nothing
    assert subtract([iv(9, 17)], [iv(8, 9), iv(17, 18)]) == [iv(9, 17)]
    assert subtract([iv(9, 17)], [iv(8, 18)]) == []
    # overlapping and unsorted busy intervals, busy reaching over the range edges
    assert subtract([iv(9, 17)], [iv(16, 18), iv(10, 12), iv(11, 13), iv(7, 9.5)]) == [
        iv(9.5, 10),
        iv(13, 16),
    ]
    assert subtract([iv(9, 17)], []) == [iv(9, 17)]
    assert subtract([], [iv(9, 17)]) == []


def test_subtract_over_several_ranges_and_busy_spanning_them() -> None:
    ranges = [iv(14, 16), iv(9, 12), iv(20, 22)]
    busy = [iv(11, 15), iv(21, 21.5)]
    assert subtract(ranges, busy) == [iv(9, 11), iv(15, 16), iv(20, 21), iv(21.5, 22)]


def test_subtract_does_not_merge_overlapping_ranges() -> None:
    # round-robin style unions stay separate ranges (cal-semantics §4.1)
    assert subtract([iv(11, 13), iv(11.25, 13)], [iv(12, 12.5)]) == [
        iv(11, 12),
        iv(11.25, 12),
        iv(12.5, 13),
        iv(12.5, 13),
    ]


def test_intersect() -> None:
    a = [iv(9, 10), iv(11, 17)]
    b = [iv(12, 20), iv(9.5, 11)]
    assert intersect(a, b) == [iv(9.5, 10), iv(12, 17)]
    assert intersect([iv(9, 10)], [iv(10, 11)]) == []  # touching gives nothing
    assert intersect([iv(9, 17)], []) == []
    assert intersect([iv(9, 12), iv(11, 17)], [iv(8, 18)]) == [iv(9, 17)]  # merged first


def test_micros_round_trip_is_exact() -> None:
    instant = datetime(2024, 3, 10, 2, 30, 15, 999_999, tzinfo=UTC)
    assert from_micros(to_micros(instant)) == instant
    tokyo = datetime(2024, 1, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert from_micros(to_micros(tokyo)) == datetime(2024, 1, 1, tzinfo=UTC)


def test_subtract_many_interleaved_unsorted_busy_intervals() -> None:
    # 20 000 ranges against 20 000 interleaved busy intervals given in reverse order
    ranges = [iv(2 * i, 2 * i + 1.5) for i in range(20_000)]
    busy = [iv(2 * i + 1, 2 * i + 1.75) for i in reversed(range(20_000))]
    got = subtract(ranges, busy)
    assert got == [iv(2 * i, 2 * i + 1) for i in range(20_000)]
