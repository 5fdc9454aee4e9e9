"""Booking-count and booked-duration limits per day, week, month and year (cal-semantics §3).

Periods are calendar periods in the event's time zone (local midnights, so DST days last 23 or
25 hours); weeks start on ``week_start`` (Python weekday, default 6 = Sunday, Cal.com's default).
A booking belongs to every period it overlaps (half-open). For a new booking of ``length``
minutes a period is *full* when ``count >= limit`` (count limits) or
``booked_minutes + length > limit`` (duration limits), where ``booked_minutes`` sums the whole
length of every counted booking overlapping the period, as Cal.com does. A full period becomes
one busy interval. Deliberate difference from Cal.com: its booking-time duration check ignores
the new booking's length and its booking-time count check only sees bookings lying wholly inside
the period; we use the listing rule in both places. Limits are counted per host (for collective
events every host holds the booking anyway).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from slotwise.scheduling.availability import local_instant
from slotwise.scheduling.intervals import MINUTE_US, Interval, Span, from_micros, to_micros

Unit = Literal["day", "week", "month", "year"]
UNITS: tuple[Unit, ...] = ("day", "week", "month", "year")


@dataclass(frozen=True, slots=True)
class BookingLimits:
    """Limits per calendar period; ``None`` means no limit for that period.

    The same shape serves count limits (``bookingLimitsCount``: number of bookings) and
    duration limits (``bookingLimitsDuration``: booked minutes).
    """

    day: int | None = None
    week: int | None = None
    month: int | None = None
    year: int | None = None

    def items(self) -> list[tuple[Unit, int]]:
        """The set limits as ``(unit, value)`` pairs, shortest period first."""
        return [(u, v) for u in UNITS if (v := getattr(self, u)) is not None]


def period_start_date(day: date, unit: Unit, week_start: int = 6) -> date:
    """The first local date of the ``unit`` period containing local date ``day``."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=(day.weekday() - week_start) % 7)
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period_date(start: date, unit: Unit) -> date:
    """The first local date of the period after the one starting on ``start``."""
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def period_of(instant: datetime, unit: Unit, tz: str, week_start: int = 6) -> Interval:
    """The ``unit`` period of zone ``tz`` that contains ``instant``, as UTC bounds
    ``[local midnight of its first day, local midnight after its last day)``.

    Raises ZoneInfoNotFoundError for an unknown zone.
    """
    lo, hi = _period_span(to_micros(instant), unit, ZoneInfo(tz), week_start)
    return Interval(from_micros(lo), from_micros(hi))


def periods_between(
    start: datetime, end: datetime, unit: Unit, tz: str, week_start: int = 6
) -> list[Interval]:
    """Every ``unit`` period of ``tz`` overlapping ``[start, end)`` (at least the one holding
    ``start``), in order, as UTC intervals (Cal.com's ``getPeriodStartDatesBetween``)."""
    spans = period_spans(to_micros(start), to_micros(end), unit, ZoneInfo(tz), week_start)
    return [Interval(from_micros(lo), from_micros(hi)) for lo, hi in spans]


def _midnight(day: date, tz: ZoneInfo) -> int:
    return to_micros(local_instant(day, 0, tz))


def _period_span(instant_us: int, unit: Unit, tz: ZoneInfo, week_start: int) -> Span:
    first = period_start_date(from_micros(instant_us).astimezone(tz).date(), unit, week_start)
    return _midnight(first, tz), _midnight(next_period_date(first, unit), tz)


def period_spans(lo_us: int, hi_us: int, unit: Unit, tz: ZoneInfo, week_start: int) -> list[Span]:
    """The ``unit`` periods overlapping ``[lo_us, hi_us)`` (at least the one holding ``lo_us``)."""
    out = [_period_span(lo_us, unit, tz, week_start)]
    day = from_micros(out[0][0]).astimezone(tz).date()
    while out[-1][1] < hi_us:
        day = next_period_date(period_start_date(day, unit, week_start), unit)
        out.append((out[-1][1], _midnight(next_period_date(day, unit), tz)))
    return out


class LimitUsage:
    """One host's bookings that count for the event type's limits, sorted for fast period
    queries (binary search on starts, bounded by the longest booking)."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlapping(self, period: Span) -> list[Span]:
        """The counted bookings overlapping ``period`` (half-open: touching does not count)."""
        lo = bisect.bisect_left(self.starts, period[0] - self.longest)
        hi = bisect.bisect_left(self.starts, period[1])
        return [b for b in self.spans[lo:hi] if b[1] > period[0] and b[0] < period[1]]

    def is_full(self, period: Span, limit: int, *, is_count: bool, length: int) -> bool:
        """Whether a new ``length``-minute booking may not use ``period``."""
        inside = self.overlapping(period)
        if is_count:
            return len(inside) >= limit
        booked = sum(e - s for s, e in inside)
        return booked + length * MINUTE_US > limit * MINUTE_US


def full_periods(
    usage: LimitUsage,
    *,
    count_limits: BookingLimits | None,
    duration_limits: BookingLimits | None,
    length: int,
    lo_us: int,
    hi_us: int,
    tz: ZoneInfo,
    week_start: int = 6,
) -> list[Span]:
    """The periods overlapping ``[lo_us, hi_us)`` that a new ``length``-minute booking may not
    use; each becomes one busy span covering the whole period (Cal.com §3.1)."""
    out: list[Span] = []
    for limits, is_count in ((count_limits, True), (duration_limits, False)):
        if limits is None:
            continue
        for unit, limit in limits.items():
            for period in period_spans(lo_us, hi_us, unit, tz, week_start):
                if usage.is_full(period, limit, is_count=is_count, length=length):
                    out.append(period)
    return out


def exceeds(
    usages: Sequence[LimitUsage],
    limits: BookingLimits | None,
    *,
    is_count: bool,
    start_us: int,
    end_us: int,
    length: int,
    tz: ZoneInfo,
    week_start: int = 6,
) -> bool:
    """Whether a booking ``[start_us, end_us)`` of ``length`` minutes would exceed ``limits``
    for any host: some period it overlaps is already full."""
    if limits is None:
        return False
    for unit, limit in limits.items():
        periods = period_spans(start_us, max(end_us, start_us + 1), unit, tz, week_start)
        for usage in usages:
            if any(usage.is_full(p, limit, is_count=is_count, length=length) for p in periods):
                return True
    return False
