"""Body of POST /v2/api-keys/refresh."""

from __future__ import annotations

from typing import Annotated

from pydantic import StrictBool

from slotwise.kit.schemas import StrictInput, Whole


class RefreshApiKeyInput(StrictInput):
    """``RefreshApiKeyInput``: the new key expires after ``apiKeyDaysValid`` days (default 30)
    unless ``apiKeyNeverExpires``."""

    apiKeyDaysValid: Annotated[int, Whole(1, 36_500)] = 30
    apiKeyNeverExpires: StrictBool | None = None
