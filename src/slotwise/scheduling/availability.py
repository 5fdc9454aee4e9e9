"""Weekly hours and date overrides (local wall-clock times) → UTC availability intervals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slotwise.scheduling.intervals import Interval, merge

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Working hours on some weekdays: ``days`` are Python weekday numbers (0 = Monday …
    6 = Sunday); ``start_minute``/``end_minute`` are local wall-clock minutes from midnight
    (1440 = the next midnight; 1439, Cal.com's "23:59", is read as 1440)."""

    days: frozenset[int]
    start_minute: int
    end_minute: int


@dataclass(frozen=True, slots=True)
class DateOverride:
    """Availability on one local calendar ``date`` that replaces that date's weekly hours.
    Several overrides may share a date; one with ``start_minute == end_minute`` (00:00–00:00)
    closes the day."""

    date: date
    start_minute: int
    end_minute: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """Weekly hours and date overrides in the IANA zone ``time_zone``."""

    time_zone: str
    weekly: tuple[WeeklyHours, ...]
    overrides: tuple[DateOverride, ...] = ()


def _end_minute(minute: int) -> int:
    return MINUTES_PER_DAY if minute >= MINUTES_PER_DAY - 1 else minute


def local_instant(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The UTC instant reading ``minute`` minutes past local midnight of ``day`` in ``tz``.

    Wall-clock based, so 09:00 is 09:00 on DST days too; a time inside a spring-forward gap
    resolves to the instant after the shift (zoneinfo's fold=0), as Cal.com's arithmetic does.
    """
    if minute >= MINUTES_PER_DAY:
        day = day + timedelta(days=minute // MINUTES_PER_DAY)
        minute %= MINUTES_PER_DAY
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
    return local.astimezone(UTC)


def availability_ranges(
    schedule: Schedule, window_start: datetime, window_end: datetime
) -> list[Interval]:
    """UTC intervals of working time in ``[window_start, window_end]``, merged and sorted.

    Every local date touching the window (±1 day) is built from its weekly hours, unless the
    date has overrides, which replace all weekly hours of that local date (Cal.com §2.4).
    """
    tz = ZoneInfo(schedule.time_zone)
    first = window_start.astimezone(tz).date() - timedelta(days=1)
    last = window_end.astimezone(tz).date() + timedelta(days=1)
    by_date: dict[date, list[DateOverride]] = {}
    for override in schedule.overrides:
        if first <= override.date <= last:
            by_date.setdefault(override.date, []).append(override)
    pieces: list[Interval] = []
    day = first
    while day <= last:
        rows: list[tuple[int, int]]
        if day in by_date:
            rows = [(o.start_minute, _end_minute(o.end_minute)) for o in by_date[day]]
        else:
            weekday = day.weekday()
            rows = [
                (w.start_minute, _end_minute(w.end_minute))
                for w in schedule.weekly
                if weekday in w.days
            ]
        for start_minute, end_minute in rows:
            if end_minute <= start_minute:
                continue
            start = max(local_instant(day, start_minute, tz), window_start)
            end = min(local_instant(day, end_minute, tz), window_end)
            if end > start:
                pieces.append(Interval(start, end))
        day += timedelta(days=1)
    return merge(pieces)
