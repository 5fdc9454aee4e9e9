"""Half-open time intervals and the set operations the engine needs.

The public functions work on :class:`Interval` (timezone-aware datetimes). The engine itself runs
the same sweeps on plain ``(start, end)`` pairs of integer microseconds since the Unix epoch
(UTC), which is several times faster than datetime arithmetic; :func:`to_micros` and
:func:`from_micros` convert between the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
DAY_US = 1440 * MINUTE_US

Span = tuple[int, int]
"""``(start, end)`` in integer microseconds since the epoch (UTC): the engine's fast interval."""


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...


T = TypeVar("T", bound=_Ordered)


def to_micros(instant: datetime) -> int:
    """Microseconds since the Unix epoch of the timezone-aware ``instant`` (exact)."""
    return (instant - EPOCH) // ONE_MICROSECOND


def from_micros(micros: int) -> datetime:
    """The UTC datetime ``micros`` microseconds after the Unix epoch (exact)."""
    return EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """``[start, end)`` between two timezone-aware instants (any zone; compared as instants).

    Overlap tests are half-open: intervals that only touch do not overlap. An interval with
    ``end <= start`` is empty; the set operations drop empty intervals.
    """

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share a positive length of time (touching is fine)."""
        return self.start < other.end and other.start < self.end

    def contains(self, start: datetime, end: datetime) -> bool:
        """True when ``[start, end]`` lies entirely inside this interval (closed ends)."""
        return self.start <= start and end <= self.end


def merge_pairs(pairs: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """Sort ``(start, end)`` pairs and merge overlapping or touching ones; drop empty pairs."""
    out: list[tuple[T, T]] = []
    for start, end in sorted(p for p in pairs if p[0] < p[1]):
        if out and start <= out[-1][1]:
            if out[-1][1] < end:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract_pairs(ranges: Iterable[tuple[T, T]], busy: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """``ranges`` minus ``busy`` on ``(start, end)`` pairs: positive-length remainders, sorted.

    ``busy`` is sorted and merged once, then swept alongside the sorted ranges, so the cost is
    O((n + m) log(n + m)) plus the size of the output. Ranges are not merged with each other.
    """
    blocked = merge_pairs(busy)
    count = len(blocked)
    out: list[tuple[T, T]] = []
    j = 0
    for start, end in sorted(ranges):
        if not start < end:
            continue
        while j < count and blocked[j][1] <= start:
            j += 1
        cursor = start
        k = j
        while k < count and blocked[k][0] < end:
            b_start, b_end = blocked[k]
            if cursor < b_start:
                out.append((cursor, b_start))
            if cursor < b_end:
                cursor = b_end
            k += 1
        if cursor < end:
            out.append((cursor, end))
    out.sort()  # already sorted unless ranges overlap; timsort makes that check linear
    return out


def intersect_pairs(a: Iterable[tuple[T, T]], b: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """The time covered by both ``a`` and ``b`` (each merged first), sorted; linear sweep."""
    left, right = merge_pairs(a), merge_pairs(b)
    out: list[tuple[T, T]] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = left[i][0] if right[j][0] <= left[i][0] else right[j][0]
        end = left[i][1] if left[i][1] <= right[j][1] else right[j][1]
        if start < end:
            out.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def _pairs(intervals: Iterable[Interval]) -> list[tuple[datetime, datetime]]:
    return [(i.start, i.end) for i in intervals]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort intervals and merge the overlapping or touching ones; empty intervals are dropped.

    The datetimes are returned as given (not converted to UTC). Cal.com merges the same way
    (``next.start <= last.end``).
    """
    return [Interval(s, e) for s, e in merge_pairs(_pairs(intervals))]


def subtract(ranges: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """``ranges`` minus ``busy``: the positive-length remainders, sorted by start.

    Busy intervals are half-open, so a busy interval that only touches a range removes nothing
    (Cal.com's ``subtract``). Overlapping ``ranges`` are cut independently and are not merged.
    Cost: O((n + m) log(n + m)) plus the output size (one sort of each input, one sweep).
    """
    return [Interval(s, e) for s, e in subtract_pairs(_pairs(ranges), _pairs(busy))]


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The time covered by both ``a`` and ``b`` (each merged first), sorted; touching edges
    give nothing. Used for collective events (every host must be free)."""
    return [Interval(s, e) for s, e in intersect_pairs(_pairs(a), _pairs(b))]
