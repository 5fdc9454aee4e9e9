"""The booking window (Cal.com ``bookingWindow``): how far into the future an event is bookable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from slotwise.scheduling.availability import local_instant

ROLLING_MAX_DAYS = 61


@dataclass(frozen=True, slots=True)
class BookingWindow:
    """``kind``: "businessDays" or "calendarDays" with ``days`` (and ``rolling``), or "range"
    with inclusive ``start_date``/``end_date``.

    Not rolling: bookable until the end of today + ``days`` (business days skip Saturday and
    Sunday, whatever the working hours, as Cal.com). Rolling: until the end of the ``days``-th
    future date that has slots (looking at most 61 days ahead). Range: from the start of
    ``start_date`` to the end of ``end_date`` in the event's zone.
    """

    kind: Literal["businessDays", "calendarDays", "range"]
    days: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    rolling: bool = False


def _end_of_day(day: date, tz: ZoneInfo) -> datetime:
    return local_instant(day + timedelta(days=1), 0, tz) - timedelta(milliseconds=1)


def _add_business_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def window_bounds(
    window: BookingWindow,
    *,
    now: datetime,
    booker_tz: str,
    event_tz: str,
    slot_dates: Iterable[date] = (),
) -> tuple[datetime | None, datetime | None]:
    """``(earliest, latest)`` bookable instants (None = unbounded).

    ``slot_dates``: the booker-zone dates that currently have slots (only rolling windows use
    them).
    """
    if window.kind == "range":
        etz = ZoneInfo(event_tz)
        lo = local_instant(window.start_date, 0, etz) if window.start_date else None
        hi = _end_of_day(window.end_date, etz) if window.end_date else None
        return lo, hi
    btz = ZoneInfo(booker_tz)
    today = now.astimezone(btz).date()
    days = max(0, window.days or 0)
    business = window.kind == "businessDays"
    if not window.rolling:
        last = _add_business_days(today, days) if business else today + timedelta(days=days)
        return None, _end_of_day(last, btz)
    have = set(slot_dates)
    found = 0
    day = today
    last = today
    for _ in range(ROLLING_MAX_DAYS):
        if not (business and day.weekday() >= 5) and day in have:
            found += 1
            last = day
            if found >= days:
                break
        day += timedelta(days=1)
    else:
        last = day
    return None, _end_of_day(last, btz)
