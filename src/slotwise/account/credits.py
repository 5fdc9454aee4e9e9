"""Credits (docs' agents guide): GET /v2/credits/available and POST /v2/credits/charge.

Balances are set by the operator (``slotwise credits grant``): a monthly allowance that resets
at the start of each UTC month, and ``additional`` credits that never reset. A charge spends
monthly credits first, then additional ones. A charge larger than the balance is refused with
400 and charges nothing. A charge with an ``externalRef`` already charged for this user is not
charged again: it answers ``charged: true`` with the current balance. Charges lock the user's
balance row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises
writers), so concurrent charges never overdraw and a retried ``externalRef`` is seen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit import clock
from slotwise.kit.envelope import ok
from slotwise.kit.errors import BadRequest
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import StrictInput, Whole
from slotwise.kit.session import DbSession
from slotwise.models import CreditAccount, CreditCharge, User
from slotwise.policy.credits import credit_owner_id, own_charges

router = APIRouter(tags=["Credits"])


def period_of(now: datetime) -> str:
    """The UTC month of ``now`` as ``"YYYY-MM"``."""
    return f"{now.year:04d}-{now.month:02d}"


def balance(account: CreditAccount | None, now: datetime) -> dict[str, int]:
    """``{monthlyRemaining, additional}`` at ``now`` (a new UTC month restores the allowance)."""
    if account is None:
        return {"monthlyRemaining": 0, "additional": 0}
    monthly = account.monthly_remaining
    if account.period != period_of(now):
        monthly = account.monthly_allowance
    return {"monthlyRemaining": monthly, "additional": account.additional}


async def grant(
    session: AsyncSession, user: User, *, monthly: int, additional: int | None, now: datetime
) -> dict[str, int]:
    """Set ``user``'s monthly allowance to ``monthly`` (this month's remaining restarts at it)
    and, when given, their additional credits to ``additional``; returns the new balance.
    Raises ValueError for negative numbers."""
    if monthly < 0 or (additional is not None and additional < 0):
        raise ValueError("credits must be zero or more")
    account = await session.get(CreditAccount, user.id, with_for_update=True)
    if account is None:
        account = CreditAccount(user_id=user.id, additional=0)
        session.add(account)
    account.monthly_allowance = monthly
    account.monthly_remaining = monthly
    account.period = period_of(now)
    if additional is not None:
        account.additional = additional
    await session.flush()
    return balance(account, now)


class ChargeInput(StrictInput):
    """POST /v2/credits/charge body: ``credits`` (≥ 1), ``creditFor`` (usage type, e.g.
    ``AI_AGENT``), optional ``externalRef`` for idempotency."""

    credits: Annotated[int, Whole(1, 1_000_000_000)]
    creditFor: str = Field(min_length=1, max_length=32, pattern=r"^[A-Z][A-Z0-9_]*$")
    externalRef: str | None = Field(default=None, min_length=1, max_length=255)


async def charge(
    session: AsyncSession, user: User, body: ChargeInput, now: datetime
) -> dict[str, Any]:
    """Charge ``body.credits`` (see the module docstring); returns ``{charged,
    remainingBalance}``. Raises BadRequest when the balance is too small."""
    account = await session.get(CreditAccount, credit_owner_id(user), with_for_update=True)
    if body.externalRef is not None:
        seen = await session.scalar(
            select(CreditCharge.id).where(
                own_charges(user), CreditCharge.external_ref == body.externalRef
            )
        )
        if seen is not None:
            return {"charged": True, "remainingBalance": balance(account, now)}
    current = balance(account, now)
    total = current["monthlyRemaining"] + current["additional"]
    if account is None or body.credits > total:
        raise BadRequest(f"Insufficient credits: {body.credits} requested, {total} available.")
    from_monthly = min(body.credits, current["monthlyRemaining"])
    account.period = period_of(now)
    account.monthly_remaining = current["monthlyRemaining"] - from_monthly
    account.additional = current["additional"] - (body.credits - from_monthly)
    session.add(
        CreditCharge(
            user_id=user.id,
            credits=body.credits,
            from_monthly=from_monthly,
            from_additional=body.credits - from_monthly,
            credit_for=body.creditFor,
            external_ref=body.externalRef,
        )
    )
    await session.flush()
    return {"charged": True, "remainingBalance": balance(account, now)}


@router.get("/v2/credits/available", summary="Check available credits")
async def available(user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """``{hasCredits, balance: {monthlyRemaining, additional}}`` of the caller."""
    account = await session.get(CreditAccount, credit_owner_id(user))
    current = balance(account, clock.now())
    has = current["monthlyRemaining"] + current["additional"] > 0
    return ok({"hasCredits": has, "balance": current})


@router.post("/v2/credits/charge", summary="Charge credits")
async def charge_credits(
    body: ChargeInput, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Charge the caller's credits; 400 when the balance is too small (nothing charged)."""
    return ok(await charge(session, user, body, clock.now()))
