"""Inputs of /v2/slots: the time-range rules of both slot handlers and the reservation body.

Times in queries and bodies are read in UTC: a date (``2050-09-05``) or an ISO 8601 datetime
(``2050-09-05T09:00:00Z``, ``…+02:00``; without an offset it is UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import Field

from slotwise.kit.errors import BadRequest
from slotwise.kit.schemas import Id, MeetingMinutes, StrictInput, Whole, instant_in_range

INVALID_RANGE = "Invalid time range given - check the 'start' and 'end' query parameters."
LEGACY_INVALID_RANGE = "Invalid time range given."
# How far past the effective start (the later of ``start`` and now) a query may reach; Cal.com
# clamps ``end`` to one year from today. Bounds the work of one request.
MAX_WINDOW = timedelta(days=366)
MAX_RESERVATION_MINUTES = 525_600  # one year
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# An unencoded "+" in a query string arrives as a space: "…T09:00:00 02:00".
_SPACED_OFFSET = re.compile(r"(T[\d:.]+) (\d{2}(:?\d{2})?)$")


@dataclass(frozen=True, slots=True)
class SlotTime:
    """A parsed slot query or reservation time (``start``/``end``, ``startTime``/``endTime``,
    ``slotStart``): the UTC instant and whether only a date was given. Not
    :data:`slotwise.kit.schemas.Instant` (a validated body field)."""

    value: datetime
    date_only: bool


def parse_slot_time(text: str) -> SlotTime | None:
    """Parse a date or ISO 8601 datetime into a UTC instant; None when it is not one.

    A date means 00:00 UTC of that day; a datetime without an offset is UTC. Years outside
    1900–9000 (local or UTC, :func:`slotwise.kit.schemas.instant_in_range`) are refused (None).
    """
    raw = _SPACED_OFFSET.sub(r"\1+\2", text.strip())
    if _DATE_ONLY.match(raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return None
        parsed, date_only = datetime(day.year, day.month, day.day, tzinfo=UTC), True
    else:
        if "T" not in raw.upper() or len(raw) < 16:
            return None
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        date_only = False
    try:
        return SlotTime(instant_in_range(parsed), date_only)
    except ValueError:
        return None


def _end_of_day(value: datetime) -> datetime:
    return value.replace(hour=23, minute=59, second=59, microsecond=999_000)


def _clamp(start: datetime, end: datetime, now: datetime) -> datetime:
    return min(end, max(start, now) + MAX_WINDOW)


def slots_window(start: str, end: str, *, now: datetime) -> tuple[datetime, datetime]:
    """The UTC window of GET /v2/slots (2024-09-04) for the ``start``/``end`` query values.

    As Cal.com: both are read in UTC; an ``end`` at exactly 00:00:00 (a date, or a datetime at
    midnight) covers that whole UTC day (until 23:59:59.999). Raises 400 BadRequestException
    "Invalid time range given - …" for a value that is not a date/datetime or an ``end`` before
    ``start``. ``end`` is clamped to one year after the later of ``start`` and ``now``.
    """
    first, last = parse_slot_time(start), parse_slot_time(end)
    if first is None or last is None:
        name = "start" if first is None else "end"
        raise BadRequest(
            f"{INVALID_RANGE} '{name}' must be a date (2050-09-05) or an ISO 8601 datetime "
            "(2050-09-05T09:00:00Z)."
        )
    lo, hi = first.value, last.value
    if hi.hour == 0 and hi.minute == 0 and hi.second == 0 and hi.microsecond == 0:
        hi = _end_of_day(hi)
    if hi < lo:
        raise BadRequest(f"{INVALID_RANGE} 'end' must not be before 'start'.")
    return lo, _clamp(lo, hi, now)


def legacy_window(start_time: str, end_time: str, *, now: datetime) -> tuple[datetime, datetime]:
    """The UTC window of the legacy handler for ``startTime``/``endTime``.

    Datetimes are used as given; a date-only ``endTime`` covers that whole UTC day. Raises 400
    "Invalid time range given." for unreadable values and "endTime must be after startTime"
    when it is not. ``endTime`` is clamped as in :func:`slots_window`.
    """
    first, last = parse_slot_time(start_time), parse_slot_time(end_time)
    if first is None or last is None:
        name = "startTime" if first is None else "endTime"
        raise BadRequest(
            f"{LEGACY_INVALID_RANGE} '{name}' must be a date or an ISO 8601 datetime "
            "(2050-09-05T09:00:00Z)."
        )
    lo, hi = first.value, last.value
    if last.date_only:
        hi = _end_of_day(hi)
    if hi <= lo:
        raise BadRequest("endTime must be after startTime")
    return lo, _clamp(lo, hi, now)


class ReserveSlotInput(StrictInput):
    """``ReserveSlotInput_2024_09_04``: the body of POST and PATCH /v2/slots/reservations.

    ``slotStart``: a UTC ISO 8601 datetime; ``slotDuration`` (minutes, variable-length event
    types only) defaults to the event type's length; ``reservationDuration`` (minutes, default
    5) only for the event type's owner.
    """

    eventTypeId: Id = Field(description="The event type whose slot is reserved")
    slotStart: str = Field(
        min_length=1, max_length=64, description="UTC ISO 8601 start of the slot"
    )
    slotDuration: MeetingMinutes | None = Field(
        default=None, description="Minutes; for variable-length event types"
    )
    reservationDuration: Annotated[int, Whole(1, MAX_RESERVATION_MINUTES)] | None = Field(
        default=None,
        description="Minutes the slot stays reserved (authenticated owner only; default 5)",
    )
