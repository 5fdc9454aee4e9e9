"""Booking-count and booked-duration limits per day, week, month and year.

Periods are calendar periods in the event's time zone (weeks start on ``week_start``). A booking
belongs to every period it overlaps. A period is *full* for a new booking of ``length`` minutes
when ``count >= limit`` (count limits) or ``minutes + length > limit`` (duration limits: the new
booking's own length counts, a deliberate difference from Cal.com's booking-time check).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from slotwise.scheduling.availability import local_instant
from slotwise.scheduling.intervals import Interval

Unit = Literal["day", "week", "month", "year"]
UNITS: tuple[Unit, ...] = ("day", "week", "month", "year")


@dataclass(frozen=True, slots=True)
class BookingLimits:
    """Limits per period; ``None`` means no limit. Counts for bookingLimitsCount, minutes for
    bookingLimitsDuration."""

    day: int | None = None
    week: int | None = None
    month: int | None = None
    year: int | None = None

    def items(self) -> list[tuple[Unit, int]]:
        """The set limits as ``(unit, value)`` pairs, shortest period first."""
        return [(u, v) for u in UNITS if (v := getattr(self, u)) is not None]


def _period_start_date(day: date, unit: Unit, week_start: int) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=(day.weekday() - week_start) % 7)
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next_period_date(start: date, unit: Unit) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def period_of(instant: datetime, unit: Unit, tz: str, week_start: int = 6) -> Interval:
    """The calendar period (UTC bounds) of ``unit`` in ``tz`` that contains ``instant``."""
    zone = ZoneInfo(tz)
    start_day = _period_start_date(instant.astimezone(zone).date(), unit, week_start)
    end_day = _next_period_date(start_day, unit)
    return Interval(local_instant(start_day, 0, zone), local_instant(end_day, 0, zone))


def periods_between(
    start: datetime, end: datetime, unit: Unit, tz: str, week_start: int = 6
) -> list[Interval]:
    """Every period of ``unit`` from the one containing ``start`` to the one containing ``end``."""
    out = [period_of(start, unit, tz, week_start)]
    while out[-1].end <= end:
        out.append(period_of(out[-1].end, unit, tz, week_start))
    return out


class _Counter:
    """Bookings sorted by start, for counting those overlapping a period."""

    def __init__(self, bookings: Sequence[Interval]) -> None:
        self.items = sorted(bookings)
        self.starts = [b.start for b in self.items]
        self.max_len = max((b.end - b.start for b in self.items), default=timedelta(0))

    def overlapping(self, period: Interval) -> list[Interval]:
        lo = bisect.bisect_left(self.starts, period.start - self.max_len)
        hi = bisect.bisect_left(self.starts, period.end)
        return [b for b in self.items[lo:hi] if b.overlaps(period)]


def _minutes(bookings: Sequence[Interval]) -> float:
    return sum((b.end - b.start).total_seconds() for b in bookings) / 60


def full_periods(
    bookings: Sequence[Interval],
    *,
    count_limits: BookingLimits | None,
    duration_limits: BookingLimits | None,
    length: int,
    window_start: datetime,
    window_end: datetime,
    tz: str,
    week_start: int = 6,
) -> list[Interval]:
    """The periods touching the window that a new ``length``-minute booking may not use."""
    counter = _Counter(bookings)
    out: list[Interval] = []
    for limits, is_count in ((count_limits, True), (duration_limits, False)):
        if limits is None:
            continue
        for unit, limit in limits.items():
            for period in periods_between(window_start, window_end, unit, tz, week_start):
                inside = counter.overlapping(period)
                full = len(inside) >= limit if is_count else _minutes(inside) + length > limit
                if full:
                    out.append(period)
    return out


def limit_reached(
    bookings: Sequence[Interval],
    *,
    start: datetime,
    length: int,
    limits: BookingLimits | None,
    is_count: bool,
    tz: str,
    week_start: int = 6,
) -> bool:
    """True when a booking starting at ``start`` would exceed a limit of its periods."""
    if limits is None:
        return False
    counter = _Counter(bookings)
    for unit, limit in limits.items():
        inside = counter.overlapping(period_of(start, unit, tz, week_start))
        if (len(inside) >= limit) if is_count else (_minutes(inside) + length > limit):
            return True
    return False


__all__ = ["UTC", "BookingLimits", "full_periods", "limit_reached", "period_of", "periods_between"]
