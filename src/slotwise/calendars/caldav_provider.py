"""CalDAV calendars (Apple iCloud and generic servers: Nextcloud, Fastmail, Radicale…) through
the ``caldav`` library (1.x: built on ``requests``; 2.x+ pulls in ``urllib3-future``, which
replaces ``urllib3`` in the environment, so it is pinned below 2).

- Apple: the root ``SLOTWISE_APPLE_CALDAV_URL`` (operator-set, trusted) from which the user's
  principal and calendars are discovered, with the Apple ID and an app-specific password.
- Generic (our ``caldav`` extension): the URL the user gives (a server root, principal or
  calendar URL), checked by the webhook URL-safety rules when saved and before every use.
- Busy times: the server's time-range query for VEVENTs, each object's events expanded
  locally (:mod:`slotwise.calendars.ical_busy`: recurrences, exceptions, transparent and
  cancelled events ignored, all-day events in the calendar's zone).
- Events are written as ``<booking uid>.ics`` VEVENTs with the booking's UID, SEQUENCE,
  organizer and attendees; writing again replaces the object (idempotent), deleting a missing
  one is not an error.

The ``caldav`` library is synchronous: every call runs in a worker thread under the time
budget ``SLOTWISE_CALENDAR_TIMEOUT_SECONDS`` (also the library's socket timeout).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import caldav
from caldav.lib import error as caldav_error
from icalendar import Calendar, Event, vCalAddress, vText
from requests.auth import HTTPBasicAuth

from slotwise.calendars.base import (
    BusySpan,
    CalendarAuthError,
    CalendarError,
    CalendarEvent,
    CalendarInfo,
    WrittenEvent,
)
from slotwise.calendars.ical_busy import busy_spans, parse_calendar

T = TypeVar("T")
PRODID = "-//Slotwise//Connected calendars//EN"


def event_ics(event: CalendarEvent) -> str:
    """``event`` as a VCALENDAR holding one VEVENT (UTC times, the booking's UID and
    SEQUENCE, ORGANIZER and ATTENDEEs, STATUS:CONFIRMED)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", datetime.now(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", event.title)
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CONFIRMED")
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    organizer = vCalAddress(f"mailto:{event.organizer_email}")
    organizer.params["cn"] = vText(event.organizer_name)
    vevent.add("organizer", organizer)
    for name, email in event.attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        vevent.add("attendee", attendee, encode=False)
    cal.add_component(vevent)
    text: str = cal.to_ical().decode("utf-8")
    return text


def _problem(exc: Exception) -> CalendarError:
    """A CalDAV library or network failure as a CalendarError (auth refusals as
    CalendarAuthError), without URLs' credentials or response bodies."""
    if isinstance(exc, CalendarError):
        return exc
    if isinstance(exc, caldav_error.AuthorizationError):
        return CalendarAuthError(
            "The CalDAV server refused the username or password (HTTP 401/403)"
        )
    if isinstance(exc, caldav_error.NotFoundError):
        return CalendarError("The CalDAV server has no calendar at this address (HTTP 404)")
    if isinstance(exc, caldav_error.DAVError):
        reason = getattr(exc, "reason", "") or type(exc).__name__
        return CalendarError(f"The CalDAV server answered with an error: {reason}"[:300])
    if isinstance(exc, TimeoutError):
        return CalendarError("The CalDAV server did not answer in time")
    if isinstance(exc, OSError) or "Connection" in type(exc).__name__:
        return CalendarError(f"The CalDAV server cannot be reached: {type(exc).__name__}")
    return CalendarError(f"The CalDAV server cannot be read: {type(exc).__name__}")


class CalDavProvider:
    """The provider of one CalDAV connection: ``url`` (root, principal or calendar URL),
    ``username``, ``password``; ``timeout`` is the per-call budget in seconds. ``check_url``,
    when given, is awaited before every use (the URL-safety check of user-given URLs)."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        timeout: float,
        check_url: Callable[[str], Any] | None = None,
    ) -> None:
        self.url = url
        self.username = username
        self.password = password
        self.timeout = timeout
        self.check_url = check_url

    def _client(self) -> caldav.DAVClient:
        return caldav.DAVClient(
            url=self.url,
            # Basic credentials on every request, as Cal.com's CalDAV client: no 401 round trip
            auth=HTTPBasicAuth(self.username, self.password),
            timeout=max(1, int(self.timeout)),
        )

    async def _run(self, work: Callable[[caldav.DAVClient], T]) -> T:
        if self.check_url is not None:
            await self.check_url(self.url)

        def call() -> T:
            with self._client() as client:
                return work(client)

        try:
            async with asyncio.timeout(self.timeout):
                return await asyncio.to_thread(call)
        except Exception as exc:
            raise _problem(exc) from None

    @staticmethod
    def _calendars(client: caldav.DAVClient) -> list[Any]:
        principal = client.principal()  # type: ignore[no-untyped-call]  # caldav 1.x
        return list(principal.calendars())

    def _calendar(self, client: caldav.DAVClient, external_id: str) -> Any:
        for calendar in self._calendars(client):
            if str(calendar.url) == external_id:
                return calendar
        raise CalendarError("The calendar is no longer on the CalDAV server")

    async def list_calendars(self) -> list[CalendarInfo]:
        """The principal's calendars (external id = collection URL), the first primary."""

        def work(client: caldav.DAVClient) -> list[CalendarInfo]:
            found = []
            for index, calendar in enumerate(self._calendars(client)):
                name = calendar.get_display_name() or str(calendar.url).rstrip("/").rsplit("/")[-1]
                found.append(
                    CalendarInfo(
                        str(calendar.url),
                        str(name),
                        primary=index == 0,
                        read_only=False,
                        email=self.username if "@" in self.username else None,
                    )
                )
            return found

        return await self._run(work)

    async def busy_times(
        self, calendars: Sequence[str] | None, start: datetime, end: datetime
    ) -> list[BusySpan]:
        """Busy spans of the collections ``calendars`` (None: all) in ``[start, end)``."""
        wanted = set(calendars) if calendars is not None else None

        def work(client: caldav.DAVClient) -> list[tuple[str, bytes]]:
            out: list[tuple[str, bytes]] = []
            for calendar in self._calendars(client):
                if wanted is not None and str(calendar.url) not in wanted:
                    continue
                objects = calendar.search(start=start, end=end, event=True, expand=False)
                out.extend((str(calendar.url), _data(obj)) for obj in objects)
            return out

        raw = await self._run(work)
        spans: list[BusySpan] = []
        for source, data in raw:
            spans.extend(busy_spans(parse_calendar(data), start, end, source=source))
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    async def create_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """PUT ``<uid>.ics`` into the collection ``calendar`` (replacing any earlier copy)."""
        body = event_ics(event)

        def work(client: caldav.DAVClient) -> WrittenEvent:
            target = self._calendar(client, calendar)
            saved = target.save_event(body)
            return WrittenEvent(event.uid, str(saved.url), str(target.url))

        return await self._run(work)

    async def update_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """Same as :meth:`create_event`: the object is replaced by UID."""
        return await self.create_event(calendar, event)

    async def delete_event(self, calendar: str, uid: str) -> None:
        """DELETE the object holding ``uid`` (nothing when it is already gone)."""

        def work(client: caldav.DAVClient) -> None:
            target = self._calendar(client, calendar)
            try:
                found = target.event_by_uid(uid)
            except caldav_error.NotFoundError:
                return
            found.delete()

        await self._run(work)


def _data(obj: Any) -> bytes:
    data = obj.data
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)
