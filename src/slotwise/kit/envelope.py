"""Cal.com's success envelope and time formatting."""

from __future__ import annotations

from datetime import UTC, datetime
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
