"""Remembered answers of GET /v2/slots that are never stale.

An answer depends on three things: the rows in the database, the clock, and the request. It is
served again only when all three are unchanged in the way that matters:

- **the database**: :meth:`slotwise.kit.db.Database.data_version` is the same number as when
  the answer was computed, i.e. no connection of any process committed anything since (read
  before the computation's first statement, so a commit racing the computation makes the entry
  unreachable, never wrong). PostgreSQL has no such cheap number, so nothing is remembered
  there (docs/operations.md explains why a shared version row would serialise every writer);
- **the clock**: the same UTC minute, and neither instant exactly on a whole minute. Every
  clock comparison of the engine is between ``now`` (plus whole minutes of notice) and whole
  minutes (slot starts, local midnights of the booking window's days), so any two instants
  strictly inside one minute give the same answer (:mod:`slotwise.scheduling.slots` truncates
  and rounds ``now + notice`` to that minute);
- **the request**: the key holds every parameter the handler reads, after validation.

Answers that can change without a commit are never remembered (:attr:`SlotList.volatile
<slotwise.slots.service.SlotList>`): a host with a connected calendar (its busy times live
elsewhere), an unexpired slot reservation in the window (it frees the time when it expires,
at any second), dynamic group events.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

from slotwise.scheduling.intervals import to_micros

MINUTE_US = 60_000_000


def minute_of(now: datetime) -> int | None:
    """The UTC epoch minute ``now`` lies strictly inside, or None when ``now`` is exactly on a
    whole minute (the one instant of a minute whose answer can differ from the rest)."""
    minute, rest = divmod(to_micros(now), MINUTE_US)
    return None if rest == 0 else minute


@dataclass(frozen=True, slots=True)
class _Entry:
    version: int
    minute: int
    body: bytes


class SlotsCache:
    """At most ``entries`` answers (JSON bytes) of one process, least recently used dropped
    first. ``hits`` and ``misses`` count lookups (a disabled cache counts nothing)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[Hashable, _Entry] = OrderedDict()

    def lookup(self, key: Hashable, version: int | None, now: datetime) -> bytes | None:
        """The body remembered for ``key`` under database ``version`` in the minute of ``now``,
        else None (always None when ``version`` is None or the cache holds no entries)."""
        if version is None or not self.entries:
            return None
        entry = self._data.get(key)
        minute = minute_of(now)
        if entry is None or entry.version != version or entry.minute != minute:
            self.misses += 1
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return entry.body

    def store(self, key: Hashable, version: int | None, now: datetime, body: bytes) -> None:
        """Remember ``body`` for ``key``, computed from the database at ``version`` (read before
        the computation began) at ``now``; nothing when either cannot be trusted."""
        minute = minute_of(now)
        if version is None or minute is None or not self.entries:
            return
        self._data[key] = _Entry(version, minute, body)
        self._data.move_to_end(key)
        while len(self._data) > self.entries:
            self._data.popitem(last=False)
