"""Half-open UTC time intervals and the set operations the engine needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """``[start, end)`` between two timezone-aware instants. Overlap tests are half-open:
    intervals that only touch do not overlap."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share some positive length of time."""
        return self.start < other.end and other.start < self.end

    def contains(self, start: datetime, end: datetime) -> bool:
        """True when ``[start, end]`` lies entirely inside this interval (closed ends)."""
        return self.start <= start and end <= self.end


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals; empty ones are dropped."""
    items = sorted(i for i in intervals if i.end > i.start)
    out: list[Interval] = []
    for item in items:
        if out and item.start <= out[-1].end:
            if item.end > out[-1].end:
                out[-1] = Interval(out[-1].start, item.end)
        else:
            out.append(item)
    return out


def subtract(ranges: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """``ranges`` minus ``busy``: the positive-length remainders, sorted.

    Runs in O((n + m) log(n + m)): busy is merged once and swept alongside the sorted ranges.
    Touching endpoints do not count as overlap (Cal.com's ``subtract``).
    """
    blocked = merge(busy)
    out: list[Interval] = []
    j = 0
    for rng in sorted(ranges):
        # skip busy intervals that end before this range starts
        while j < len(blocked) and blocked[j].end <= rng.start:
            j += 1
        cursor = rng.start
        k = j
        while k < len(blocked) and blocked[k].start < rng.end:
            b = blocked[k]
            if b.start > cursor:
                out.append(Interval(cursor, b.start))
            if b.end > cursor:
                cursor = b.end
            k += 1
        if cursor < rng.end:
            out.append(Interval(cursor, rng.end))
    return out


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The time covered by both ``a`` and ``b`` (each merged first), sorted."""
    left, right = merge(a), merge(b)
    out: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i].start, right[j].start)
        end = min(left[i].end, right[j].end)
        if start < end:
            out.append(Interval(start, end))
        if left[i].end < right[j].end:
            i += 1
        else:
            j += 1
    return out
