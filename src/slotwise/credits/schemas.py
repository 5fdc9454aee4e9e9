"""Body of POST /v2/credits/charge."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from slotwise.kit.schemas import StrictInput, Whole


class ChargeInput(StrictInput):
    """POST /v2/credits/charge body: ``credits`` (≥ 1), ``creditFor`` (usage type, e.g.
    ``AI_AGENT``), optional ``externalRef`` for idempotency."""

    credits: Annotated[int, Whole(1, 1_000_000_000)]
    creditFor: str = Field(min_length=1, max_length=32, pattern=r"^[A-Z][A-Z0-9_]*$")
    externalRef: str | None = Field(default=None, min_length=1, max_length=255)
