"""The booking window (Cal.com ``bookingWindow`` / ``periodType``, cal-semantics §2.9.5).

Deliberate differences from Cal.com: day boundaries use the zones' real rules on each date
(Cal.com applies today's UTC offset to every future date), and the rolling window is enforced at
booking time too (Cal.com skips it, issue #29729).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from slotwise.scheduling.availability import local_instant

ROLLING_MAX_DAYS = 61
"""Cal.com's ROLLING_WINDOW_PERIOD_MAX_DAYS_TO_CHECK: a rolling walk looks at most this far."""

DatesWithSlots = Callable[[date, date], Collection[date]]
"""``(first, last) -> dates`` (inclusive, booker zone) that have at least one slot."""


@dataclass(frozen=True, slots=True)
class BookingWindow:
    """How far ahead an event type can be booked.

    ``kind``: "businessDays" or "calendarDays" with ``days`` (>= 0) and ``rolling``, or "range"
    with inclusive local dates ``start_date``/``end_date`` of the event's zone.

    - Not rolling: bookable until the end of the day, in the booker's zone, of today + ``days``
      calendar days, or + ``days`` business days (Mon–Fri whatever the working hours; from a
      weekend day, the first business day counts as one), as Cal.com.
    - Rolling: until the end of the ``days``-th date, from today on, that has slots (business
      days: Saturdays and Sundays are not counted), looking at most 61 days ahead; if fewer are
      found, until the end of the 61st day (today + 60). ``days`` = 0 means today only.
    - Range: from the start of ``start_date`` to the end of ``end_date`` in the event's zone.

    Raises ValueError when ``days`` is missing or negative for the day kinds, or a date is
    missing or the dates are reversed for "range".
    """

    kind: Literal["businessDays", "calendarDays", "range"]
    days: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    rolling: bool = False

    def __post_init__(self) -> None:
        if self.kind == "range":
            if self.start_date is None or self.end_date is None:
                raise ValueError("a range booking window needs start_date and end_date")
            if self.end_date < self.start_date:
                raise ValueError("a range booking window must not end before it starts")
        elif self.kind in ("businessDays", "calendarDays"):
            if self.days is None or self.days < 0:
                raise ValueError(f"a {self.kind} booking window needs days >= 0")
        else:
            raise ValueError(f"unknown booking window kind {self.kind!r}")


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant of local midnight starting ``day`` in ``tz`` (real DST rules)."""
    return local_instant(day, 0, tz)


def add_business_days(day: date, count: int) -> date:
    """``day`` plus ``count`` Monday-to-Friday days (dayjs-business-days, as Cal.com)."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _rolling_last_day(
    today: date, days: int, business: bool, dates_with_slots: DatesWithSlots
) -> date:
    """The last bookable date of a rolling window (Cal.com's ROLLING_WINDOW walk).

    Dates with slots are asked for in two chunks: first the days that probably suffice, then
    the rest of the 61, so the usual case computes slots over a short horizon only.
    """
    if days <= 0:
        return today
    likely = days if not business else days + 2 * (days // 5) + 3
    first_chunk = min(ROLLING_MAX_DAYS, likely)
    found = 0
    for lo, hi in ((0, first_chunk), (first_chunk, ROLLING_MAX_DAYS)):
        if lo >= hi:
            continue
        have = dates_with_slots(today + timedelta(days=lo), today + timedelta(days=hi - 1))
        for offset in range(lo, hi):
            day = today + timedelta(days=offset)
            if business and day.weekday() >= 5:
                continue
            if day in have:
                found += 1
                if found >= days:
                    return day
    return today + timedelta(days=ROLLING_MAX_DAYS - 1)


def window_bounds(
    window: BookingWindow,
    *,
    now: datetime,
    booker_tz: str,
    event_tz: str,
    dates_with_slots: DatesWithSlots | None = None,
) -> tuple[datetime | None, datetime | None]:
    """The bookable starts as ``[earliest, end)`` UTC instants; None means unbounded.

    ``end`` is the local midnight after the last bookable date (Cal.com's 23:59:59.999, but
    exclusive). Day kinds count from today in ``booker_tz``; "range" uses ``event_tz``.
    ``dates_with_slots``: required for rolling windows (raises ValueError without it); it must
    report the dates, in ``booker_tz``, that have at least one slot ignoring the window.
    """
    if window.kind == "range":
        first, last = window.start_date, window.end_date
        if first is None or last is None:  # excluded by __post_init__; narrows the types
            raise ValueError("a range booking window needs start_date and end_date")
        etz = ZoneInfo(event_tz)
        return start_of_day(first, etz), start_of_day(last + timedelta(days=1), etz)
    btz = ZoneInfo(booker_tz)
    today = now.astimezone(btz).date()
    days = window.days or 0
    business = window.kind == "businessDays"
    if window.rolling:
        if dates_with_slots is None:
            raise ValueError("a rolling booking window needs dates_with_slots")
        last = _rolling_last_day(today, days, business, dates_with_slots)
    elif business:
        last = add_business_days(today, days)
    else:
        last = today + timedelta(days=days)
    return None, start_of_day(last + timedelta(days=1), btz)
