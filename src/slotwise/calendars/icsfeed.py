"""ICS feeds (Cal.com's ``ics-feed`` app): read-only calendars published as iCalendar URLs.

- One connection per user holds one or more feed URLs; each URL is one calendar
  (``externalId`` = the URL, name from ``X-WR-CALNAME``), always read-only.
- Feed URLs are given by users, so they follow the webhook URL-safety rules
  (:mod:`slotwise.webhooks.urls`): checked when saved, and every request — redirects included,
  at most 5 — goes through :class:`~slotwise.webhooks.urls.PinnedTransport`, which refuses a
  forbidden address before connecting.
- Fetches are conditional: the last answer's ``ETag`` / ``Last-Modified`` are sent back
  (``If-None-Match`` / ``If-Modified-Since``) and a ``304`` reuses the parsed feed kept in this
  process (:data:`FEEDS`, the last 256 feeds).
- Each fetch has the time budget ``SLOTWISE_CALENDAR_TIMEOUT_SECONDS`` and the size limit
  ``SLOTWISE_ICS_MAX_BYTES`` (read as it streams: a larger feed is refused without reading
  the rest).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx2
import icalendar

from slotwise.calendars.base import (
    BusySpan,
    CalendarError,
    CalendarEvent,
    CalendarInfo,
    WrittenEvent,
)
from slotwise.calendars.ical_busy import busy_spans, calendar_zone, parse_calendar
from slotwise.webhooks.urls import PinnedTransport, UnsafeUrl, check_subscriber_url

USER_AGENT = "Slotwise-Calendars/1"
MAX_REDIRECTS = 5
_FEEDS_KEPT = 256


def url_problem(exc: UnsafeUrl) -> str:
    """The URL-safety message of ``exc`` worded for a calendar URL."""
    return (
        str(exc)
        .replace("as webhook URLs", "as calendar URLs")
        .replace("Webhook URLs", "Calendar URLs")
        .replace("webhook URL", "calendar URL")
        .replace("Webhook URL", "Calendar URL")
        .replace(
            "; authenticate deliveries with the webhook secret (X-Cal-Signature-256) instead", ""
        )
    )


async def check_user_url(url: str, *, block_private: bool) -> None:
    """The save-time URL-safety check of a user-given calendar URL (the webhook rules).
    Raises CalendarError naming the problem."""
    try:
        await check_subscriber_url(url, block_private=block_private)
    except UnsafeUrl as exc:
        raise CalendarError(url_problem(exc)) from None


@dataclass
class Feed:
    """A feed as last fetched: validators and the parsed calendar."""

    etag: str | None
    last_modified: str | None
    calendar: icalendar.Calendar


FEEDS: OrderedDict[str, Feed] = OrderedDict()
"""The last fetched feeds of this process, by URL (least recently used first)."""


def _remember(url: str, feed: Feed) -> None:
    FEEDS[url] = feed
    FEEDS.move_to_end(url)
    while len(FEEDS) > _FEEDS_KEPT:
        FEEDS.popitem(last=False)


class IcsFeedProvider:
    """The provider of one ICS-feed connection (``urls``). ``max_bytes``, ``timeout``
    (seconds) and ``block_private`` come from the settings; ``transport`` replaces the pinned
    transport in tests that need to."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        max_bytes: int,
        timeout: float,
        block_private: bool,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.urls = list(urls)
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.block_private = block_private
        self.transport = transport

    def _client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            transport=self.transport
            or PinnedTransport(block_private=self.block_private, trust_env=False),
            timeout=httpx2.Timeout(self.timeout, connect=min(self.timeout, 5.0)),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=False,
            headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"},
        )

    async def fetch(self, url: str) -> icalendar.Calendar:
        """The parsed feed at ``url``, fetched conditionally (a 304 reuses the kept copy).
        Raises CalendarError: refused address, HTTP error, timeout, too large, not iCalendar."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._fetch(url)
        except TimeoutError:
            raise CalendarError(
                f"The ICS feed did not answer within {self.timeout:g} seconds"
            ) from None
        except UnsafeUrl as exc:
            raise CalendarError(url_problem(exc)) from None
        except httpx2.TooManyRedirects:
            raise CalendarError(f"The ICS feed redirects more than {MAX_REDIRECTS} times") from None
        except httpx2.TimeoutException:
            raise CalendarError(
                f"The ICS feed did not answer within {self.timeout:g} seconds"
            ) from None
        except httpx2.HTTPError as exc:
            raise CalendarError(f"The ICS feed cannot be reached: {type(exc).__name__}") from None

    async def _fetch(self, url: str) -> icalendar.Calendar:
        kept = FEEDS.get(url)
        headers: dict[str, str] = {}
        if kept is not None and kept.etag:
            headers["If-None-Match"] = kept.etag
        if kept is not None and kept.last_modified:
            headers["If-Modified-Since"] = kept.last_modified
        async with self._client() as client, client.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 304 and kept is not None:
                FEEDS.move_to_end(url)
                return kept.calendar
            if resp.status_code != 200:
                raise CalendarError(f"The ICS feed answered HTTP {resp.status_code}")
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large()
            body = bytearray()
            async for chunk in resp.aiter_bytes():
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise self._too_large()
            etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        calendar = await asyncio.to_thread(parse_calendar, bytes(body))
        _remember(url, Feed(etag, modified, calendar))
        return calendar

    def _too_large(self) -> CalendarError:
        return CalendarError(
            f"The ICS feed is larger than {self.max_bytes} bytes (SLOTWISE_ICS_MAX_BYTES)"
        )

    async def list_calendars(self) -> list[CalendarInfo]:
        """One read-only calendar per feed URL, named by its ``X-WR-CALNAME`` (else the URL);
        the first is primary. Fetches every feed."""
        out: list[CalendarInfo] = []
        for index, url in enumerate(self.urls):
            calendar = await self.fetch(url)
            name = str(calendar.get("X-WR-CALNAME") or url)
            zone = calendar.get("X-WR-TIMEZONE")
            out.append(
                CalendarInfo(
                    url,
                    name,
                    primary=index == 0,
                    read_only=True,
                    time_zone=str(zone) if zone else None,
                )
            )
        return out

    async def busy_times(
        self, calendars: Sequence[str] | None, start: datetime, end: datetime
    ) -> list[BusySpan]:
        """Busy spans of the feeds among ``calendars`` (URLs of this connection; None: all)
        in ``[start, end)``; see :mod:`slotwise.calendars.ical_busy` for what counts."""
        spans: list[BusySpan] = []
        for url in self.urls:
            if calendars is not None and url not in calendars:
                continue
            calendar = await self.fetch(url)
            zone = str(calendar_zone(calendar))
            found = await asyncio.to_thread(
                busy_spans, calendar, start, end, source=url, default_zone=zone
            )
            spans.extend(found)
        return spans

    async def create_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """ICS feeds are read-only: raises CalendarError."""
        raise CalendarError("ICS feeds are read-only; choose another destination calendar")

    async def update_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """ICS feeds are read-only: raises CalendarError."""
        raise CalendarError("ICS feeds are read-only; choose another destination calendar")

    async def delete_event(self, calendar: str, uid: str) -> None:
        """ICS feeds are read-only: raises CalendarError."""
        raise CalendarError("ICS feeds are read-only; choose another destination calendar")
