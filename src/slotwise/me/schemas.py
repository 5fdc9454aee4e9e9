"""Bodies of /v2/me: the profile (``UpdateManagedUserInput``) and the booking limits."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, EmailStr, Field, field_validator

from slotwise.kit.schemas import Id, Metadata, NonNull, StrictInput, Whole, whole_number
from slotwise.kit.timezones import check_time_zone

WeekDay = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
LimitCount = Annotated[int, Whole(1, 10_000)]


class UpdateMeInput(StrictInput):
    """Cal.com ``UpdateManagedUserInput`` (the body of PATCH /v2/me).

    ``null`` is refused (400 naming the field) for ``email``, ``timeFormat``,
    ``defaultScheduleId``, ``weekStart``, ``timeZone`` and ``metadata``; it leaves ``name``,
    ``locale``, ``avatarUrl`` and ``bio`` unchanged. ``metadata`` follows Cal.com's rules (at
    most 50 keys, keys up to 40 characters, string values up to 500).
    """

    email: NonNull[EmailStr] = None
    name: str | None = Field(default=None, max_length=200)
    timeFormat: NonNull[Annotated[Literal[12, 24], BeforeValidator(whole_number)]] = None
    defaultScheduleId: NonNull[Id] = None
    weekStart: NonNull[WeekDay] = None
    timeZone: NonNull[str] = None
    locale: str | None = Field(default=None, max_length=10)
    avatarUrl: str | None = Field(default=None, max_length=1000)
    bio: str | None = None
    metadata: NonNull[Metadata] = None

    @field_validator("timeZone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)


class BookingLimitsInput(StrictInput):
    """PATCH /v2/me/booking-limits body: each interval a count from 1 to 10000, or null to clear
    it; omitted intervals stay as they are."""

    perDay: LimitCount | None = None
    perWeek: LimitCount | None = None
    perMonth: LimitCount | None = None
    perYear: LimitCount | None = None
