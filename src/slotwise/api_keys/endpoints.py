"""HTTP endpoint of API keys: POST /v2/api-keys/refresh (the rules are in :mod:`.service`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from slotwise.api_keys import service
from slotwise.api_keys.schemas import RefreshApiKeyInput
from slotwise.kit.auth import bearer_token
from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.session import DbSession

router = APIRouter(tags=["Api Keys"])


@router.post("/v2/api-keys/refresh", summary="Refresh API Key")
async def refresh_api_key(
    request: Request, user: CurrentUser, session: DbSession, body: RefreshApiKeyInput | None = None
) -> dict[str, Any]:
    """Delete the key this request was made with and return a new one (``{"apiKey"}``); the
    old key stops working when the request commits. The response is 200 (Cal.com's)."""
    token = bearer_token(request)
    assert token is not None  # CurrentUser authenticated with it
    plain = await service.refresh_api_key(session, user, token, body or RefreshApiKeyInput())
    return ok({"apiKey": plain})
