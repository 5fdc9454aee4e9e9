"""Weekly hours and date overrides (local wall-clock times) → UTC availability intervals.

Follows Cal.com's ``buildDateRanges`` (cal-semantics §1.2, §2.4): hours are wall-clock times in
the schedule's zone on every date, DST days included; "23:59" means midnight; an override date
replaces all weekly hours of that local date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slotwise.scheduling.intervals import Interval, Span, from_micros, merge_pairs, to_micros

MINUTES_PER_DAY = 1440


def _check_minutes(start: int, end: int) -> None:
    for value in (start, end):
        if not 0 <= value <= MINUTES_PER_DAY:
            raise ValueError(f"minutes from midnight must be within 0..1440, got {value}")


def effective_end(minute: int) -> int:
    """An end minute as used: 1439 (Cal.com's "23:59") and later mean 1440, the next midnight."""
    return MINUTES_PER_DAY if minute >= MINUTES_PER_DAY - 1 else minute


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Working hours on some weekdays, as local wall-clock times of the schedule's zone.

    ``days``: Python weekday numbers (0 = Monday … 6 = Sunday; Cal.com stores 0 = Sunday, the
    caller converts). ``start_minute``/``end_minute``: minutes from local midnight, 0..1440
    (1440 = the next midnight; 1439, Cal.com's "23:59", is read as 1440). A row whose end is
    not after its start is ignored, as Cal.com drops it (overnight hours need two rows).
    Raises ValueError for a weekday outside 0..6 or minutes outside 0..1440.
    """

    days: frozenset[int]
    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if any(not 0 <= d <= 6 for d in self.days):
            raise ValueError(f"weekdays must be within 0..6, got {sorted(self.days)}")
        _check_minutes(self.start_minute, self.end_minute)


@dataclass(frozen=True, slots=True)
class DateOverride:
    """Availability on one local calendar ``date`` of the schedule's zone.

    The overrides of a date replace ALL weekly hours of that local date (Cal.com: the override
    group wins wholesale). Several overrides may share a date (e.g. 09–12 and 14–17); one whose
    end is not after its start, such as 00:00–00:00, contributes no time, so a date with only
    such an override is closed. Minutes as in :class:`WeeklyHours`; raises ValueError likewise.
    """

    date: date
    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        _check_minutes(self.start_minute, self.end_minute)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Weekly hours and date overrides in the IANA zone ``time_zone`` (e.g. "Europe/Berlin").

    An unknown zone raises ``zoneinfo.ZoneInfoNotFoundError`` when the schedule is used.
    """

    time_zone: str
    weekly: tuple[WeeklyHours, ...]
    overrides: tuple[DateOverride, ...] = ()


def local_instant(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The UTC instant whose wall-clock reading in ``tz`` is ``minute`` minutes after the
    midnight starting local ``day`` (``minute`` may be 1440 or more: following days).

    Wall-clock based, so 09:00 is 09:00 on DST days too. A reading inside a spring-forward gap
    resolves to the instant after the shift (zoneinfo's fold=0, e.g. 02:30 → 03:30 EDT), as
    Cal.com's arithmetic effectively does; an ambiguous fall-back reading takes the first one.
    """
    if minute >= MINUTES_PER_DAY:
        day = day + timedelta(days=minute // MINUTES_PER_DAY)
        minute %= MINUTES_PER_DAY
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
    return local.astimezone(UTC)


def _day_rows(schedule: Schedule, first: date, last: date) -> list[tuple[date, int, int]]:
    """``(local date, start minute, end minute)`` of every working block from ``first`` to
    ``last`` (inclusive), overrides replacing weekly hours date by date."""
    overridden: dict[date, list[tuple[int, int]]] = {}
    for o in schedule.overrides:
        if first <= o.date <= last:
            overridden.setdefault(o.date, []).append((o.start_minute, effective_end(o.end_minute)))
    by_weekday: dict[int, list[tuple[int, int]]] = {}
    for w in schedule.weekly:
        for d in w.days:
            by_weekday.setdefault(d, []).append((w.start_minute, effective_end(w.end_minute)))
    rows: list[tuple[date, int, int]] = []
    day = first
    while day <= last:
        blocks = overridden.get(day)
        if blocks is None:
            blocks = by_weekday.get(day.weekday(), [])
        rows.extend((day, s, e) for s, e in blocks if e > s)
        day += timedelta(days=1)
    return rows


def availability_spans(schedule: Schedule, start_us: int, end_us: int) -> list[Span]:
    """:func:`availability_ranges` on microsecond spans (the engine's fast path)."""
    if end_us <= start_us:
        return []
    tz = ZoneInfo(schedule.time_zone)
    first = _local_date(start_us, tz) - timedelta(days=1)
    last = _local_date(end_us, tz) + timedelta(days=1)
    pieces: list[Span] = []
    for day, start_minute, end_minute in _day_rows(schedule, first, last):
        start = max(to_micros(local_instant(day, start_minute, tz)), start_us)
        end = min(to_micros(local_instant(day, end_minute, tz)), end_us)
        if end > start:
            pieces.append((start, end))
    return merge_pairs(pieces)


def _local_date(micros: int, tz: ZoneInfo) -> date:
    return from_micros(micros).astimezone(tz).date()


def availability_ranges(
    schedule: Schedule, window_start: datetime, window_end: datetime
) -> list[Interval]:
    """UTC intervals of working time clipped to ``[window_start, window_end]``, merged (touching
    blocks join, e.g. 22:00–24:00 and 00:00–02:00) and sorted. Empty if the window is empty.

    Every local date of the schedule's zone touching the window, with one day of slack on each
    side, is built from its weekly hours, unless the date has overrides, which replace all of
    that local date's weekly hours (Cal.com §2.4; its ±1 day override slack, without the
    spill-over, because we clip to the window). Raises ZoneInfoNotFoundError for an unknown zone.
    """
    spans = availability_spans(schedule, to_micros(window_start), to_micros(window_end))
    return [Interval(from_micros(s), from_micros(e)) for s, e in spans]
