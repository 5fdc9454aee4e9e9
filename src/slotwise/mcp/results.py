"""How tool results read to a model: the API's ``data`` as JSON, every instant shown in the user's
time zone beside UTC, and API failures as MCP tool errors carrying the server's message."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mcp.types import CallToolResult, TextContent

from slotwise.client import SlotwiseAPIError, SlotwiseError

#: Keys whose string values are instants in Cal.com answers (bookings, slots, OOO, schedules).
INSTANT_SUFFIXES = ("start", "end", "At", "Time")


def zone_or_utc(name: str | None) -> ZoneInfo:
    """``ZoneInfo(name)``, or UTC when ``name`` is empty or not an IANA zone."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_instant(value: Any) -> datetime | None:
    """An ISO 8601 date-time with ``Z`` or an offset as an aware datetime; None otherwise (dates,
    wall times such as ``09:00`` and naive values are not instants)."""
    if not isinstance(value, str) or "T" not in value or len(value) < 16:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def describe_instant(instant: datetime, zone: ZoneInfo) -> dict[str, str]:
    """``{"utc": "2050-09-05T07:00:00Z",
    "local": "Mon 2050-09-05 09:00 (Europe/Rome, UTC+02:00)"}``."""
    utc = instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    here = instant.astimezone(zone)
    offset = here.strftime("%z")
    sign = offset[:1] or "+"
    pretty = f"UTC{sign}{offset[1:3]}:{offset[3:5]}" if offset else "UTC"
    return {"utc": utc, "local": f"{here:%a %Y-%m-%d %H:%M} ({zone.key}, {pretty})"}


def annotate(data: Any, zone: ZoneInfo) -> Any:
    """A copy of ``data`` where each instant-valued key ``k`` (``start``, ``end``, ``createdAt``,
    ``startTime``…) gains ``kUtc`` and ``kLocal`` siblings: the instant in UTC and in ``zone``
    with weekday and offset. Other values are unchanged; nothing is removed."""
    if isinstance(data, list):
        return [annotate(item, zone) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = annotate(value, zone)
        if isinstance(value, str) and key.endswith(INSTANT_SUFFIXES):
            instant = parse_instant(value)
            if instant is not None:
                shown = describe_instant(instant, zone)
                out.setdefault(f"{key}Utc", shown["utc"])
                out.setdefault(f"{key}Local", shown["local"])
    return out


def success(data: Any, zone: ZoneInfo, note: str | None = None) -> CallToolResult:
    """A successful tool result: optional one-line ``note``, then JSON ``{"timeZone", "data"}``
    with instants annotated (:func:`annotate`). ``structured_content`` holds the same object."""
    payload = {"timeZone": zone.key, "data": annotate(data, zone)}
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    content = [TextContent(type="text", text=f"{note}\n{text}" if note else text)]
    return CallToolResult(content=content, structured_content=payload)


def failure(message: str) -> CallToolResult:
    """An MCP tool error (``is_error=True``) whose text is ``message``."""
    return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)


def api_failure(exc: SlotwiseError) -> CallToolResult:
    """The tool error for an SDK exception: ``Error 404 (NotFoundException): Booking … not
    found`` for API errors (the server's own message), the connection problem otherwise."""
    if isinstance(exc, SlotwiseAPIError):
        code = f" ({exc.code})" if exc.code else ""
        text = f"Error {exc.status}{code}: {exc.message}"
        if exc.details:
            text += f"\nDetails: {json.dumps(exc.details, ensure_ascii=False, default=str)}"
        return failure(text)
    return failure(f"Error: the Cal.com API could not be reached: {exc}")
