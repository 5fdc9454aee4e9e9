"""How tool results read to a model: the API's ``data`` as JSON, every instant shown in the user's
time zone beside UTC, and API failures as MCP tool errors carrying the server's message."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
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
    return failure(
        f"Error: the Cal.com API could not be reached ({exc}). Tell the user to start the server "
        "(`slotwise serve`) or to point `slotwise mcp` at the right one with SLOTWISE_API_URL."
    )


def _expected(error: Mapping[str, Any]) -> str:
    """``must be a string`` from pydantic's ``Input should be a valid string``."""
    message = str(error.get("msg", "is not valid"))
    if message.startswith("Value error, "):
        return f"is invalid ({message.removeprefix('Value error, ')})"
    if message.startswith("Input should be "):
        wanted = message.removeprefix("Input should be ").split(", ", 1)[0]
        wanted = re.sub(r"^a valid ([aeiou])", r"an \1", wanted).replace("a valid ", "a ", 1)
        return "must be " + wanted
    return f"is invalid ({message[:1].lower() + message[1:]})"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def argument_error(
    tool: str, errors: Sequence[Mapping[str, Any]], descriptions: Mapping[str, str] | None = None
) -> str:
    """One sentence naming each argument that does not fit ``tool``'s schema, from pydantic's
    ``errors()``: ``get_booking needs the argument "bookingUid" (the booking's uid).`` or
    ``get_bookings: the argument "take" must be an integer, not "lots".``"""
    missing: list[str] = []
    wrong: list[str] = []
    for error in errors:
        name = ".".join(str(part) for part in error.get("loc", ())) or "arguments"
        if error.get("type") == "missing":
            missing.append(name)
        else:
            wrong.append(
                f'the argument "{name}" {_expected(error)}, not {_shown(error.get("input"))}'
            )
    parts = []
    if len(missing) == 1:
        about = (descriptions or {}).get(missing[0])
        parts.append(f'{tool} needs the argument "{missing[0]}"' + (f": {about}" if about else ""))
    elif missing:
        parts.append(f"{tool} needs the arguments " + ", ".join(f'"{m}"' for m in missing))
    if wrong:
        parts.append(("" if parts else f"{tool}: ") + "; ".join(wrong))
    return "; ".join(part.rstrip(".") for part in parts) + "."
