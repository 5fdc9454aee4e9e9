"""The calendar provider interface: what Slotwise asks of every connected calendar.

A provider (one module each: :mod:`.icsfeed`, :mod:`.caldav_provider`) is built from one
connection (:class:`~slotwise.models.CalendarCredential`) and answers:

- :meth:`CalendarProvider.list_calendars` — the calendars of the connection;
- :meth:`CalendarProvider.busy_times` — busy spans (UTC) of some of them over a UTC range;
- :meth:`CalendarProvider.create_event` / ``update_event`` / ``delete_event`` — write a
  booking as an event (idempotent by the booking's uid), returning its external uid and URL.

Providers raise :class:`CalendarError` (the provider failed or cannot do it; the message is
shown to the calendar's owner and never holds a secret) or :class:`CalendarAuthError` (the
provider refused the credentials: the connection is marked invalid). Times are aware UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

APPLE = "apple_calendar"
"""Cal.com's integration type of Apple iCloud calendars (CalDAV)."""
CALDAV = "caldav_calendar"
"""Cal.com's integration type of generic CalDAV calendars (our ``caldav`` extension path)."""
ICS_FEED = "ics-feed_calendar"
"""Cal.com's integration type of read-only ICS feeds."""
GOOGLE = "google_calendar"
"""Cal.com's integration type of Google calendars."""
OFFICE365 = "office365_calendar"
"""Cal.com's integration type of Outlook / Office 365 calendars."""

APP_IDS = {
    APPLE: "apple-calendar",
    CALDAV: "caldav-calendar",
    ICS_FEED: "ics-feed",
    GOOGLE: "google-calendar",
    OFFICE365: "office365-calendar",
}
"""Cal.com's app slug (``appId``) of each integration type."""
PATH_NAMES = {"apple": APPLE, "caldav": CALDAV, "ics-feed": ICS_FEED}
"""The ``{calendar}`` path segment of each integration type."""


class CalendarError(Exception):
    """A provider call failed (unreachable, timed out, bad answer, read-only calendar…). The
    message says what went wrong, for the calendar's owner; it never contains a secret."""


class CalendarAuthError(CalendarError):
    """The provider refused the connection's credentials (wrong or revoked password, token)."""


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    """One calendar of a connection: ``external_id`` (the provider's id, e.g. a CalDAV
    collection URL or an ICS feed URL), display ``name``, whether it is the ``primary`` one,
    ``read_only``, the account ``email`` when known and its ``time_zone`` (IANA) when the
    provider says (all-day events are read in it)."""

    external_id: str
    name: str
    primary: bool = False
    read_only: bool = False
    email: str | None = None
    time_zone: str | None = None


@dataclass(frozen=True, slots=True)
class BusySpan:
    """A busy time read from a calendar: UTC ``start`` < ``end`` and the ``source`` calendar
    (its external id)."""

    start: datetime
    end: datetime
    source: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """A booking as an event to write: ``uid`` (the booking's uid, also the event's UID, so
    writes are idempotent), ``sequence`` (bumped on every change), UTC ``start``/``end``,
    ``title``, ``description``, ``location``, the organizer and ``attendees`` as
    ``(name, email)`` pairs."""

    uid: str
    title: str
    start: datetime
    end: datetime
    organizer_name: str
    organizer_email: str
    attendees: Sequence[tuple[str, str]] = field(default_factory=tuple)
    description: str | None = None
    location: str | None = None
    sequence: int = 0


@dataclass(frozen=True, slots=True)
class WrittenEvent:
    """An event as the provider stored it: its ``uid`` there, its ``url`` (None when the
    provider has none) and the ``calendar`` (external id) it is in."""

    uid: str
    url: str | None
    calendar: str


class CalendarProvider(Protocol):
    """What every provider module implements (see the module docstring)."""

    async def list_calendars(self) -> list[CalendarInfo]:
        """The connection's calendars. Raises CalendarError / CalendarAuthError."""
        ...

    async def busy_times(
        self, calendars: Sequence[str] | None, start: datetime, end: datetime
    ) -> list[BusySpan]:
        """Busy spans of the calendars ``calendars`` (external ids; None: every calendar of
        the connection) overlapping the UTC range
        ``[start, end)``, recurrences expanded. Raises CalendarError / CalendarAuthError."""
        ...

    async def create_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """Write ``event`` into ``calendar``; writing the same uid again replaces it."""
        ...

    async def update_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """Replace the event with ``event.uid`` in ``calendar`` (created when missing)."""
        ...

    async def delete_event(self, calendar: str, uid: str) -> None:
        """Remove the event ``uid`` from ``calendar``; a missing event is not an error."""
        ...
