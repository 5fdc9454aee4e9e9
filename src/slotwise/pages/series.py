"""Recurring event types on the booking pages (``recurrence``: frequency, interval,
occurrences; cal-semantics §5.12).

The Booker's form says how the series repeats ("Every week, 4 times") and asks how many
occurrences to book (``recurrenceCount``: 1 to the event type's ``occurrences``, default the
maximum, as Cal.com's Booker); the booking service creates the whole series in one transaction
and the booking page lists every occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass

from slotwise.event_types.settings import settings_of
from slotwise.models import EventType
from slotwise.pages.forms import FormData, Gettext, first
from slotwise.pages.render import PageContext


@dataclass(frozen=True)
class Series:
    """A recurring event type's rule: ``frequency`` (weekly, monthly, yearly), ``interval``
    (every N of them) and ``occurrences`` (the most one booking may create)."""

    frequency: str
    interval: int
    occurrences: int


def series_of(event_type: EventType) -> Series | None:
    """The event type's recurrence, or None when it is not recurring."""
    recurrence = settings_of(event_type).recurrence
    if not recurrence.enabled:
        return None
    return Series(recurrence.page_frequency, recurrence.page_interval, recurrence.page_occurrences)


def describe(series: Series, count: int, ctx: PageContext) -> str:
    """How the series repeats, in the page's language: "Every week, 4 times"."""
    n = series.interval
    if series.frequency == "yearly":
        every = ctx.ngettext("Every year", "Every %(num)d years", n)
    elif series.frequency == "monthly":
        every = ctx.ngettext("Every month", "Every %(num)d months", n)
    else:
        every = ctx.ngettext("Every week", "Every %(num)d weeks", n)
    times = ctx.ngettext("%(num)d time", "%(num)d times", count)
    return f"{every % {'num': n}}, {times % {'num': count}}"


def read_count(data: FormData | None, series: Series, _: Gettext) -> tuple[int, str | None]:
    """The submitted ``recurrenceCount`` (the maximum when absent) and an error message when
    it is not a whole number from 1 to ``series.occurrences``."""
    raw = first(data, "recurrenceCount") if data is not None else None
    if raw is None:
        return series.occurrences, None
    if not raw.isdigit() or not 1 <= int(raw) <= series.occurrences:
        message = _("Enter a number from 1 to %(max)d.") % {"max": series.occurrences}
        return series.occurrences, message
    return int(raw), None
