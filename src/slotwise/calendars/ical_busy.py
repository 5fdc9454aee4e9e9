"""Busy times from iCalendar data (ICS feeds and CalDAV calendars).

Parsed with ``icalendar``; recurrences (RRULE, RDATE, EXDATE, RECURRENCE-ID exceptions)
expanded with ``recurring-ical-events``. Rules (as Cal.com's ICS and CalDAV services, which
read event times the same way):

- only VEVENTs count; ``TRANSP:TRANSPARENT`` (free) and ``STATUS:CANCELLED`` ones are ignored;
- an all-day event (DTSTART a date) covers its days from midnight to midnight in the
  calendar's zone (``X-WR-TIMEZONE``, else the zone given by the caller, else UTC); a floating
  time (no zone) is read in that zone too;
- an event without DTEND lasts its DURATION, else one day (all-day) or nothing (a zero-length
  event makes no one busy).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

from slotwise.calendars.base import BusySpan, CalendarError


def parse_calendar(data: bytes | str) -> icalendar.Calendar:
    """The VCALENDAR in ``data``. Raises CalendarError for data that is not iCalendar."""
    try:
        parsed = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise CalendarError(f"The calendar data is not valid iCalendar: {exc}") from None
    if not isinstance(parsed, icalendar.Calendar) or parsed.name != "VCALENDAR":
        raise CalendarError("The calendar data is not valid iCalendar: no VCALENDAR")
    return parsed


def calendar_zone(calendar: icalendar.Calendar, default: str | None = None) -> ZoneInfo:
    """The zone all-day and floating times are read in: ``X-WR-TIMEZONE``, else ``default``,
    else UTC (an unknown name falls back the same way)."""
    for name in (calendar.get("X-WR-TIMEZONE"), default):
        if name:
            try:
                return ZoneInfo(str(name))
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=zone)
        return aware.astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)


def _span(event: Any, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return None
    start_value = start_prop.dt
    end_prop = event.get("DTEND")
    if end_prop is not None:
        end_value = end_prop.dt
    elif event.get("DURATION") is not None:
        end_value = start_value + event.get("DURATION").dt
    elif isinstance(start_value, datetime):
        end_value = start_value
    else:
        end_value = start_value + timedelta(days=1)
    start, end = _instant(start_value, zone), _instant(end_value, zone)
    return (start, end) if end > start else None


def busy_spans(
    calendar: icalendar.Calendar,
    start: datetime,
    end: datetime,
    *,
    source: str | None = None,
    default_zone: str | None = None,
) -> list[BusySpan]:
    """The busy spans (UTC, sorted) of ``calendar``'s events overlapping ``[start, end)``
    (aware datetimes), recurrences expanded, with the rules of the module docstring.
    Raises CalendarError when the recurrence data cannot be expanded."""
    zone = calendar_zone(calendar, default_zone)
    # Widen by a day each side: all-day and floating events are placed in ``zone`` only below.
    lo, hi = start - timedelta(days=1), end + timedelta(days=1)
    try:
        occurrences = recurring_ical_events.of(calendar).between(lo, hi)
    except Exception as exc:  # the library raises many kinds for bad RRULE data
        raise CalendarError(f"The calendar's recurring events cannot be read: {exc}") from None
    spans: list[BusySpan] = []
    for event in occurrences:
        if event.name != "VEVENT":
            continue
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        span = _span(event, zone)
        if span is None or span[1] <= start or span[0] >= end:
            continue
        spans.append(BusySpan(span[0], span[1], source))
    spans.sort(key=lambda s: (s.start, s.end))
    return spans
