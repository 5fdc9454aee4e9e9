"""Request bodies and the output shape of /v2/schedules (Cal.com ``*_2024_06_11``).

Times are local wall-clock ``"HH:MM"`` strings (00:00–23:59) in the schedule's IANA zone, as the
user typed them; 23:59 means "until midnight". Dates are ``YYYY-MM-DD`` calendar dates.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, StrictBool, field_validator, model_validator

from slotwise.kit.schemas import MAX_YEAR, MIN_YEAR, NonNull, StrictInput
from slotwise.kit.timezones import check_time_zone
from slotwise.models import Schedule

WeekDay = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEK_ORDER: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DEFAULT_AVAILABILITY: list[dict[str, Any]] = [
    {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "startTime": "09:00",
        "endTime": "17:00",
    }
]


def _check_time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError(f"'{value}' is not a valid time: use HH:MM between 00:00 and 23:59")
    return value


MAX_AVAILABILITY_ROWS = 100
MAX_OVERRIDES = 1_000
Time = Annotated[str, Field(examples=["09:00"])]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class ScheduleAvailabilityInput(StrictInput):
    """One weekly-hours row: on each of ``days``, available from ``startTime`` to ``endTime``
    (local wall clock). ``startTime`` must be before ``endTime``."""

    days: list[WeekDay] = Field(min_length=1)
    startTime: Time
    endTime: Time

    _times = field_validator("startTime", "endTime")(_check_time)

    @field_validator("days")
    @classmethod
    def _unique_days(cls, value: list[str]) -> list[str]:
        return sorted(set(value), key=WEEK_ORDER.index)

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleAvailabilityInput:
        if self.startTime >= self.endTime:
            raise ValueError(f"startTime {self.startTime} must be before endTime {self.endTime}")
        return self


class ScheduleOverrideInput(StrictInput):
    """A date override: on ``date`` the weekly hours are replaced by this range. Several ranges
    may share a date; ``00:00``–``00:00`` closes the whole day (Cal.com's convention)."""

    date: str
    startTime: Time
    endTime: Time

    _times = field_validator("startTime", "endTime")(_check_time)

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        try:
            if not _DATE.match(value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a valid date: use YYYY-MM-DD") from None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValueError(f"'{value}' must be between the years {MIN_YEAR} and {MAX_YEAR}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleOverrideInput:
        closes_day = self.startTime == self.endTime == "00:00"
        if not closes_day and self.startTime >= self.endTime:
            raise ValueError(
                f"startTime {self.startTime} must be before endTime {self.endTime} "
                "(use 00:00-00:00 to mark the whole day unavailable)"
            )
        return self


def _check_overrides(rows: list[ScheduleOverrideInput] | None) -> None:
    """Refuse a date that is both closed (00:00–00:00) and given open ranges."""
    if not rows:
        return
    closed = {r.date for r in rows if r.startTime == r.endTime}
    opened = {r.date for r in rows if r.startTime != r.endTime}
    both = sorted(closed & opened)
    if both:
        raise ValueError(
            f"date {both[0]} is closed with 00:00-00:00 and also has open ranges: "
            "send either the closing override or the ranges"
        )


def _tz(value: str | None) -> str | None:
    return None if value is None else check_time_zone(value)


class _ScheduleFields(StrictInput):
    availability: list[ScheduleAvailabilityInput] | None = Field(
        default=None,
        validation_alias=AliasChoices("availability", "schedule"),
        max_length=MAX_AVAILABILITY_ROWS,
    )
    overrides: list[ScheduleOverrideInput] | None = Field(default=None, max_length=MAX_OVERRIDES)

    @field_validator("overrides")
    @classmethod
    def _overrides_consistent(
        cls, value: list[ScheduleOverrideInput] | None
    ) -> list[ScheduleOverrideInput] | None:
        _check_overrides(value)
        return value


class CreateScheduleInput(_ScheduleFields):
    """Cal.com ``CreateScheduleInput_2024_06_11``.

    ``availability`` omitted → Monday–Friday 09:00–17:00; ``[]`` → no weekly hours (only
    overrides). ``schedule`` is accepted as an alias of ``availability`` (Cal.com's migration
    guide uses that name). ``timeZone`` must be an IANA name.
    """

    name: Name
    timeZone: str
    isDefault: StrictBool

    _zone = field_validator("timeZone")(_tz)


class UpdateScheduleInput(_ScheduleFields):
    """Cal.com ``UpdateScheduleInput_2024_06_11``: every field optional; ``availability`` and
    ``overrides``, when given, replace the stored lists entirely (``null`` leaves them);
    ``name``, ``timeZone`` and ``isDefault`` may not be ``null`` (400)."""

    name: NonNull[Name] = None
    timeZone: NonNull[str] = None
    isDefault: NonNull[StrictBool] = None

    _zone = field_validator("timeZone")(_tz)


def availability_rows(rows: list[ScheduleAvailabilityInput]) -> list[dict[str, Any]]:
    """Stored form of weekly-hours rows (the Cal.com input shape)."""
    return [{"days": list(r.days), "startTime": r.startTime, "endTime": r.endTime} for r in rows]


def override_rows(rows: list[ScheduleOverrideInput]) -> list[dict[str, Any]]:
    """Stored form of override rows, sorted by date then start time."""
    out = [{"date": r.date, "startTime": r.startTime, "endTime": r.endTime} for r in rows]
    return sorted(out, key=lambda r: (r["date"], r["startTime"], r["endTime"]))


def schedule_output(schedule: Schedule, default_schedule_id: int | None) -> dict[str, Any]:
    """Cal.com ``ScheduleOutput_2024_06_11`` of ``schedule``; ``isDefault`` is true when it is
    the owner's ``default_schedule_id``."""
    return {
        "id": schedule.id,
        "ownerId": schedule.user_id,
        "name": schedule.name,
        "timeZone": schedule.time_zone,
        "availability": [dict(r) for r in schedule.availability or []],
        "isDefault": schedule.id == default_schedule_id,
        "overrides": [dict(r) for r in schedule.overrides or []],
    }
