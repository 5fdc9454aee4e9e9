"""Credit rules (docs' agents guide): balances, grants and charges.

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
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.credits import repository
from slotwise.credits.schemas import ChargeInput
from slotwise.kit.errors import BadRequest
from slotwise.models import CreditAccount, CreditCharge, User
from slotwise.policy.credits import credit_owner_id, own_charges


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


async def available(session: AsyncSession, user: User, now: datetime) -> dict[str, Any]:
    """``{hasCredits, balance: {monthlyRemaining, additional}}`` of ``user`` at ``now``."""
    current = balance(await repository.credit_account(session, credit_owner_id(user)), now)
    has = current["monthlyRemaining"] + current["additional"] > 0
    return {"hasCredits": has, "balance": current}


async def grant(
    session: AsyncSession, user: User, *, monthly: int, additional: int | None, now: datetime
) -> dict[str, int]:
    """Set ``user``'s monthly allowance to ``monthly`` (this month's remaining restarts at it)
    and, when given, their additional credits to ``additional``; returns the new balance.
    Raises ValueError for negative numbers."""
    if monthly < 0 or (additional is not None and additional < 0):
        raise ValueError("credits must be zero or more")
    account = await repository.credit_account(session, user.id, for_update=True)
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


async def charge(
    session: AsyncSession, user: User, body: ChargeInput, now: datetime
) -> dict[str, Any]:
    """Charge ``body.credits`` (see the module docstring); returns ``{charged,
    remainingBalance}``. Raises BadRequest when the balance is too small."""
    account = await repository.credit_account(session, credit_owner_id(user), for_update=True)
    if body.externalRef is not None and await repository.charged_ref(
        session, own_charges(user), body.externalRef
    ):
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
