"""Bodies of /v2/me/ooo: ``CreateOutOfOfficeEntryDto`` and ``UpdateOutOfOfficeEntryDto``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slotwise.kit.schemas import Id, Instant, StrictInput

Reason = Literal["unspecified", "vacation", "travel", "sick", "public_holiday"]


class CreateOooInput(StrictInput):
    """``CreateOutOfOfficeEntryDto``: UTC instants ``start`` < ``end``."""

    start: Instant
    end: Instant
    notes: str | None = Field(default=None, max_length=2000)
    toUserId: Id | None = None
    reason: Reason = "unspecified"


class UpdateOooInput(StrictInput):
    """``UpdateOutOfOfficeEntryDto``: every field optional."""

    start: Instant | None = None
    end: Instant | None = None
    notes: str | None = Field(default=None, max_length=2000)
    toUserId: Id | None = None
    reason: Reason | None = None
