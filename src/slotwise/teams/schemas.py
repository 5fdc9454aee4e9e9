"""Bodies of the team operations: ``CreateTeamInput`` (POST /v2/teams), ``UpdateOrgTeamDto``
(PATCH /v2/teams/{teamId}), ``CreateTeamMembershipInput`` and ``UpdateTeamMembershipInput``.

Presentation fields (logoUrl, bio, theme, brandColor, …) are kept as given in ``Team.profile``.
``rrResetInterval`` and ``rrTimestampBasis`` are Slotwise extensions (docs/extensions.md).
``bookingLimits`` is a string in the reference (Cal.com stores JSON): Slotwise takes a JSON object
(or its text) with keys ``PER_DAY``, ``PER_WEEK``, ``PER_MONTH``, ``PER_YEAR`` and counts from 1
to 10000; ``null`` or ``{}`` removes the limits.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from slotwise.kit.schemas import Id, Metadata, NonNull, StrictInput, whole_number
from slotwise.kit.timezones import check_time_zone

Role = Literal["MEMBER", "OWNER", "ADMIN"]
WeekDay = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ResetInterval = Literal["MONTH", "DAY"]
TimestampBasis = Literal["CREATED_AT", "START_TIME"]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Slug = Annotated[str, Field(min_length=1, max_length=200)]
Url = Annotated[str, Field(max_length=1000)]
ShortText = Annotated[str, Field(max_length=200)]
TimeFormat = Annotated[Literal[12, 24], BeforeValidator(whole_number)]

LIMIT_KEYS = ("PER_DAY", "PER_WEEK", "PER_MONTH", "PER_YEAR")
MAX_LIMIT = 10_000

PROFILE_FIELDS = (
    "logoUrl",
    "calVideoLogo",
    "appLogo",
    "appIconLogo",
    "bio",
    "hideBranding",
    "isPrivate",
    "hideBookATeamMember",
    "metadata",
    "theme",
    "brandColor",
    "darkBrandColor",
    "bannerUrl",
    "timeFormat",
    "timeZone",
    "weekStart",
)
"""The team fields kept in ``Team.profile`` under their Cal.com names."""


def parse_booking_limits(value: Any) -> dict[str, int] | None:
    """``bookingLimits`` as stored: ``{"PER_DAY": n, ...}`` (None for null or ``{}``).

    Accepts the object or its JSON text; ValueError (400) for anything else, unknown keys or
    counts outside 1..10000."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValueError('must be a JSON object such as {"PER_DAY": 2}') from exc
    if not isinstance(value, dict):
        raise ValueError('must be an object such as {"PER_DAY": 2}')
    limits: dict[str, int] = {}
    for key, count in value.items():
        if key not in LIMIT_KEYS:
            raise ValueError(f"unknown key {key!r}: use {', '.join(LIMIT_KEYS)}")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_LIMIT:
            raise ValueError(f"{key} must be a whole number from 1 to {MAX_LIMIT}")
        limits[key] = count
    return {k: limits[k] for k in LIMIT_KEYS if k in limits} or None


class _TeamFields(StrictInput):
    logoUrl: NonNull[Url] = None
    calVideoLogo: NonNull[Url] = None
    appLogo: NonNull[Url] = None
    appIconLogo: NonNull[Url] = None
    bio: NonNull[Annotated[str, Field(max_length=2000)]] = None
    hideBranding: NonNull[bool] = None
    isPrivate: NonNull[bool] = None
    hideBookATeamMember: NonNull[bool] = None
    metadata: NonNull[Metadata] = None
    theme: NonNull[ShortText] = None
    brandColor: NonNull[ShortText] = None
    darkBrandColor: NonNull[ShortText] = None
    bannerUrl: NonNull[Url] = None
    timeFormat: NonNull[TimeFormat] = None
    timeZone: NonNull[str] = None
    weekStart: NonNull[WeekDay] = None
    rrResetInterval: NonNull[ResetInterval] = None
    rrTimestampBasis: NonNull[TimestampBasis] = None

    @field_validator("timeZone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)


class CreateTeamInput(_TeamFields):
    """Cal.com ``CreateTeamInput``: ``name`` required; ``slug`` (slugified) defaults to the
    slugified name; ``autoAcceptCreator`` (default true) accepts the creator's OWNER
    membership. Extensions: ``rrResetInterval`` (MONTH), ``rrTimestampBasis`` (CREATED_AT)."""

    name: Name
    slug: NonNull[Slug] = None
    autoAcceptCreator: NonNull[bool] = None


class UpdateTeamInput(_TeamFields):
    """Cal.com ``UpdateOrgTeamDto``: every field optional, plus ``bookingLimits`` and
    ``includeManagedEventsInLimits`` (cal-semantics.md §3.4)."""

    name: NonNull[Name] = None
    slug: NonNull[Slug] = None
    bookingLimits: Annotated[dict[str, int] | None, BeforeValidator(parse_booking_limits)] = None
    includeManagedEventsInLimits: NonNull[bool] = None


class CreateMembershipInput(StrictInput):
    """Cal.com ``CreateTeamMembershipInput``: ``userId`` required; ``accepted`` false,
    ``role`` MEMBER and ``disableImpersonation`` false by default."""

    userId: Id
    accepted: NonNull[bool] = None
    role: NonNull[Role] = None
    disableImpersonation: NonNull[bool] = None


class UpdateMembershipInput(StrictInput):
    """Cal.com ``UpdateTeamMembershipInput``: the fields given change."""

    accepted: NonNull[bool] = None
    role: NonNull[Role] = None
    disableImpersonation: NonNull[bool] = None
