"""GET /v2/timezones: every IANA zone the server knows (unversioned, as Cal.com)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from slotwise.kit.envelope import ok
from slotwise.kit.timezones import all_time_zones

router = APIRouter(tags=["Timezones"])


@router.get("/v2/timezones", summary="Get all timezones")
async def get_time_zones() -> dict[str, Any]:
    """``data``: the sorted list of IANA zone names."""
    return ok(sorted(all_time_zones()))
