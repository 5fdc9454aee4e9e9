"""HTTP endpoints of the account features: /v2/me/booking-limits and /v2/api-keys/refresh.

Out of office (:mod:`.ooo`), private links (:mod:`.private_links`) and credits
(:mod:`.credits`) have their own routers; :data:`routers` lists them all for the app.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import StrictBool
from sqlalchemy import delete

from slotwise.account.credits import router as credits_router
from slotwise.account.ooo import router as ooo_router
from slotwise.account.private_links import router as private_links_router
from slotwise.account.user_limits import FIELDS, limits_output
from slotwise.kit import clock
from slotwise.kit.auth import bearer_token, new_api_key
from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import StrictInput, Whole
from slotwise.kit.session import DbSession
from slotwise.models import ApiKey
from slotwise.policy.api_keys import own_key

router = APIRouter(tags=["Me"])
LimitCount = Annotated[int, Whole(1, 10_000)]
keys_router = APIRouter(tags=["Api Keys"])


class BookingLimitsInput(StrictInput):
    """PATCH /v2/me/booking-limits body: each interval a count from 1 to 10000, or null to clear
    it; omitted intervals stay as they are."""

    perDay: LimitCount | None = None
    perWeek: LimitCount | None = None
    perMonth: LimitCount | None = None
    perYear: LimitCount | None = None


@router.get("/v2/me/booking-limits", summary="Get my booking limits")
async def get_booking_limits(user: CurrentUser) -> dict[str, Any]:
    """``{perDay, perWeek, perMonth, perYear}``, null when unset."""
    return ok(limits_output(user))


@router.patch("/v2/me/booking-limits", summary="Update my booking limits")
async def update_booking_limits(
    body: BookingLimitsInput, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Merge: given intervals are set (null clears one), omitted ones are kept."""
    merged = dict(user.booking_limits or {})
    for name, value in body.model_dump(exclude_unset=True).items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    user.booking_limits = {k: merged[k] for k in FIELDS if k in merged} or None
    await session.flush()
    return ok(limits_output(user))


@router.delete("/v2/me/booking-limits", status_code=204, summary="Clear my booking limits")
async def clear_booking_limits(user: CurrentUser, session: DbSession) -> Response:
    """Remove every limit; 204 without a body."""
    user.booking_limits = None
    await session.flush()
    return Response(status_code=204)


class RefreshApiKeyInput(StrictInput):
    """``RefreshApiKeyInput``: the new key expires after ``apiKeyDaysValid`` days (default 30)
    unless ``apiKeyNeverExpires``."""

    apiKeyDaysValid: Annotated[int, Whole(1, 36_500)] = 30
    apiKeyNeverExpires: StrictBool | None = None


@keys_router.post("/v2/api-keys/refresh", summary="Refresh API Key")
async def refresh_api_key(
    request: Request, user: CurrentUser, session: DbSession, body: RefreshApiKeyInput | None = None
) -> dict[str, Any]:
    """Delete the key this request was made with and return a new one (``{"apiKey"}``); the
    old key stops working when the request commits. The response is 200 (Cal.com's)."""
    body = body or RefreshApiKeyInput()
    token = bearer_token(request)
    assert token is not None  # CurrentUser authenticated with it
    await session.execute(delete(ApiKey).where(own_key(user, token)))
    plain, hashed = new_api_key()
    expires = (
        None if body.apiKeyNeverExpires else clock.now() + timedelta(days=body.apiKeyDaysValid)
    )
    session.add(ApiKey(user_id=user.id, hashed_key=hashed, note="refreshed", expires_at=expires))
    await session.flush()
    return ok({"apiKey": plain})


routers = (router, ooo_router, private_links_router, credits_router, keys_router)
