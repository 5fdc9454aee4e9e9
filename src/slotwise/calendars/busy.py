"""Busy times of the hosts' connected calendars, for the availability path.

- Which calendars count (Cal.com's rule in its calendar services): the user's selected
  calendars of each connection; a user who selected no calendar at all has every calendar of
  every connection counted; a connection none of whose calendars is selected while others are
  counts for nothing.
- Each connection is asked once per call (its calendars together), all connections at once,
  each within ``SLOTWISE_CALENDAR_TIMEOUT_SECONDS``.
- **A failing provider** (unreachable, timed out, refusing the credentials, malformed data)
  adds no busy time and does not fail the query: Cal.com's ``getBusyCalendarTimes`` catches
  the error, logs a warning and goes on with what it has. The failure is logged (never with
  secrets), kept in :data:`FAILURES` for its owner, and shown by GET /v2/calendars and the
  check operations, which ask the provider again.
- Answers are cached in this process per connection, calendar set and UTC range for
  ``SLOTWISE_CALENDAR_CACHE_SECONDS``; :func:`invalidate` (called when Slotwise writes to a
  connection) drops a connection's entries at once. Failures are not cached.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.calendars.base import BusySpan, CalendarError
from slotwise.calendars.connections import provider_for
from slotwise.config import Settings
from slotwise.models import CalendarCredential, SelectedCalendar

log = logging.getLogger("slotwise.calendars")

_CacheKey = tuple[int, tuple[str, ...] | None, datetime, datetime]
_CACHE: dict[_CacheKey, tuple[float, list[BusySpan]]] = {}
_CACHE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Failure:
    """The last failure of a connection in this process: its ``message`` and when (epoch
    seconds)."""

    message: str
    at: float


FAILURES: dict[int, Failure] = {}
"""The last busy-time failure of each connection (by credential id) in this process, cleared
by its next success."""


_configured: Settings | None = None


def configure(settings: Settings | None) -> None:
    """Use ``settings`` (limits, timeouts, cache time) for busy-time reads of sessions that do
    not carry their own (``create_app`` calls it; None: back to the environment's)."""
    global _configured
    _configured = settings


def settings_for(session: AsyncSession) -> Settings:
    """The settings a busy-time read in ``session`` uses: the request's
    (``session.info["settings"]``, set by the request session dependency), else the ones
    :func:`configure` was given, else the environment's."""
    given = session.info.get("settings")
    if isinstance(given, Settings):
        return given
    if _configured is not None:
        return _configured
    return Settings(database_url="sqlite://")


def invalidate(credential_id: int) -> None:
    """Forget the cached busy times of connection ``credential_id`` (Slotwise wrote to it)."""
    for key in [k for k in _CACHE if k[0] == credential_id]:
        _CACHE.pop(key, None)


def clear_cache() -> None:
    """Forget every cached busy time and failure (tests, settings changes)."""
    _CACHE.clear()
    FAILURES.clear()


async def busy_for_credential(
    credential: CalendarCredential,
    calendars: tuple[str, ...] | None,
    start: datetime,
    end: datetime,
    settings: Settings,
) -> list[BusySpan]:
    """Busy spans of ``calendars`` (None: all) of one connection in ``[start, end)``, from
    the cache or the provider (within the time budget); a failure gives none and is recorded
    in :data:`FAILURES`."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    key: _CacheKey = (credential.id, calendars, start, end)
    ttl = settings.calendar_cache_seconds
    cached = _CACHE.get(key)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    try:
        provider = provider_for(credential, settings)
        async with asyncio.timeout(settings.calendar_timeout_seconds):
            spans = await provider.busy_times(calendars, start, end)
    except TimeoutError:
        return _failed(credential, "The calendar did not answer in time")
    except CalendarError as exc:
        return _failed(credential, str(exc))
    FAILURES.pop(credential.id, None)
    if ttl > 0:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = (now + ttl, spans)
    return spans


def _failed(credential: CalendarCredential, message: str) -> list[BusySpan]:
    FAILURES[credential.id] = Failure(message, time.time())
    log.warning(
        "calendar busy times unavailable; counting none",
        extra={"credential_id": credential.id, "calendar_type": credential.type, "error": message},
    )
    return []


async def calendar_busy(
    session: AsyncSession,
    user_ids: Sequence[int],
    start: datetime,
    end: datetime,
    settings: Settings,
) -> dict[int, list[BusySpan]]:
    """The busy spans (UTC) of the connected calendars of each of ``user_ids`` overlapping
    ``[start, end)``, by user id (users without connections are left out). One query for the
    connections and their selected calendars, then the providers (cached, concurrently)."""
    if not user_ids:
        return {}
    rows = (
        await session.execute(
            select(CalendarCredential, SelectedCalendar.external_id)
            .outerjoin(SelectedCalendar, SelectedCalendar.credential_id == CalendarCredential.id)
            .where(CalendarCredential.user_id.in_(user_ids))
            .order_by(CalendarCredential.id)
        )
    ).all()
    if not rows:
        return {}
    credentials: dict[int, CalendarCredential] = {}
    by_credential: dict[int, list[str]] = {}
    users_selecting: set[int] = set()
    for credential, external_id in rows:
        credentials[credential.id] = credential
        if external_id is not None:
            by_credential.setdefault(credential.id, []).append(external_id)
            users_selecting.add(credential.user_id)
    jobs: list[tuple[int, asyncio.Task[list[BusySpan]]]] = []
    async with asyncio.TaskGroup() as group:
        for credential in credentials.values():
            chosen: tuple[str, ...] | None
            if credential.user_id not in users_selecting:
                chosen = None  # nothing selected at all: every calendar counts
            elif credential.id in by_credential:
                chosen = tuple(sorted(by_credential[credential.id]))
            else:
                continue
            task = group.create_task(busy_for_credential(credential, chosen, start, end, settings))
            jobs.append((credential.user_id, task))
    out: dict[int, list[BusySpan]] = {}
    for user_id, task in jobs:
        out.setdefault(user_id, []).extend(task.result())
    return out
