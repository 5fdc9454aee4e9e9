"""Cal.com's success envelope and time formatting."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


def ok(data: Any, **extra: Any) -> dict[str, Any]:
    """``{"status": "success", "data": data, **extra}`` (extra: e.g. ``pagination``)."""
    return {"status": "success", "data": data, **extra}


def iso_utc(value: datetime) -> str:
    """A UTC instant as ISO 8601 with milliseconds and ``Z`` (``2050-09-05T07:00:00.000Z``)."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_in_zone(value: datetime, tz: str) -> str:
    """An instant in the zone ``tz`` with its offset (``2050-09-05T09:00:00.000+02:00``)."""
    return value.astimezone(ZoneInfo(tz)).isoformat(timespec="milliseconds")


class InstantFormatter:
    """Formats many UTC instants in one zone quickly (slot lists have thousands).

    Works on integer epoch seconds: the zone's offset is cached per 6-hour UTC bucket (checked
    at both ends of the bucket, so a transition inside one falls back to exact conversion), and
    date and ``HH:MM`` strings are cached. ``tz`` None, ``UTC`` or ``GMT`` prints ``…Z`` as
    Cal.com does; other zones print their offset (``2050-09-05T09:00:00.000+02:00``).
    """

    _BUCKET = 6 * 3600

    def __init__(self, tz: str | None) -> None:
        self.utc = tz is None or tz.upper() in ("UTC", "GMT", "ETC/UTC")
        self.zone = ZoneInfo("UTC" if tz is None or self.utc else tz)
        self._offsets: dict[int, int | None] = {}
        self._days: dict[int, str] = {}
        self._suffixes: dict[int, str] = {}

    def _bucket_offset(self, key: int) -> int | None:
        """The offset in seconds over the whole 6-hour bucket ``key``, or None when the zone
        changes its offset inside it."""
        if key in self._offsets:
            return self._offsets[key]
        start = datetime.fromtimestamp(key * self._BUCKET, UTC)
        first = start.astimezone(self.zone).utcoffset() or _ZERO
        last = (start + timedelta(seconds=self._BUCKET - 1)).astimezone(self.zone).utcoffset()
        offset = int(first.total_seconds()) if first == last else None
        self._offsets[key] = offset
        return offset

    def _offset_seconds(self, ts: int) -> int:
        """The zone's UTC offset in seconds at the epoch second ``ts``."""
        if self.utc:
            return 0
        offset = self._bucket_offset(ts // self._BUCKET)
        if offset is None:
            exact = datetime.fromtimestamp(ts, self.zone).utcoffset() or _ZERO
            return int(exact.total_seconds())
        return offset

    def _day(self, local_ts: int) -> str:
        day = local_ts // 86400
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (_EPOCH + timedelta(days=day)).isoformat()
        return text

    def _suffix(self, offset: int) -> str:
        text = self._suffixes.get(offset)
        if text is None:
            if self.utc:
                text = "Z"
            else:
                minutes = offset // 60
                sign = "+" if minutes >= 0 else "-"
                hours, mins = divmod(abs(minutes), 60)
                text = f"{sign}{hours:02d}:{mins:02d}"
            self._suffixes[offset] = text
        return text

    def offset(self, value: datetime) -> timedelta:
        """The zone's UTC offset at the instant ``value``."""
        return timedelta(seconds=self._offset_seconds(math.floor(value.timestamp())))

    def local_date(self, value: datetime) -> str:
        """``YYYY-MM-DD`` of ``value`` in the zone."""
        ts = math.floor(value.timestamp())
        return self._day(ts + self._offset_seconds(ts))

    def iso(self, value: datetime) -> str:
        """``value`` as ISO 8601 with milliseconds in the zone (``Z`` for UTC)."""
        return self.date_and_iso(math.floor(value.timestamp()), value.microsecond // 1000)[1]

    def date_and_iso(self, ts: int, millis: int = 0) -> tuple[str, str]:
        """The epoch second ``ts`` (plus ``millis``) as (``YYYY-MM-DD`` in the zone, ISO 8601
        with milliseconds in the zone): the date key and the text of a slot in one step."""
        offset = self._offset_seconds(ts)
        local = ts + offset
        secs = local % 86400
        day = self._day(local)
        return day, f"{day}T{_HHMM[secs // 60]}:{_SS[secs % 60]}.{millis:03d}{self._suffix(offset)}"

    def dates_and_isos(self, seconds: Iterable[int]) -> list[tuple[str, str]]:
        """:meth:`date_and_iso` for many epoch seconds (whole milliseconds ``.000``), in order.

        The hot loop of GET /v2/slots: the offset is looked up once per 6-hour bucket and the
        date text once per local day.
        """
        out: list[tuple[str, str]] = []
        last_key = last_day = None
        offset: int | None = 0
        suffix = self._suffix(0)
        day = ""
        for ts in seconds:
            key = ts // self._BUCKET
            if key != last_key:
                last_key = key
                offset = 0 if self.utc else self._bucket_offset(key)
                if offset is not None:
                    suffix = self._suffix(offset)
            if offset is None:  # a transition inside this bucket: exact, instant by instant
                exact = self._offset_seconds(ts)
                local, tail = ts + exact, self._suffix(exact)
            else:
                local, tail = ts + offset, suffix
            day_number = local // 86400
            if day_number != last_day:
                last_day = day_number
                day = self._day(local)
            secs = local - day_number * 86400
            out.append((day, f"{day}T{_HHMM[secs // 60]}:{_SS[secs % 60]}.000{tail}"))
        return out


_ZERO = timedelta(0)
_EPOCH = date(1970, 1, 1)
_HHMM = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]
_SS = [f"{s:02d}" for s in range(60)]
