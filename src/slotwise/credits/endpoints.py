"""HTTP endpoints of credits: GET /v2/credits/available and POST /v2/credits/charge (the rules
are in :mod:`.service`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from slotwise.credits import service
from slotwise.credits.schemas import ChargeInput
from slotwise.kit import clock
from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.session import DbSession

router = APIRouter(tags=["Credits"])


@router.get("/v2/credits/available", summary="Check available credits")
async def available(user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """``{hasCredits, balance: {monthlyRemaining, additional}}`` of the caller."""
    return ok(await service.available(session, user, clock.now()))


@router.post("/v2/credits/charge", summary="Charge credits")
async def charge_credits(
    body: ChargeInput, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Charge the caller's credits; 400 when the balance is too small (nothing charged)."""
    return ok(await service.charge(session, user, body, clock.now()))
