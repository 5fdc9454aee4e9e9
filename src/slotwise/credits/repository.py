"""Credit queries: a user's balance row and their charges."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import CreditAccount, CreditCharge


async def credit_account(
    session: AsyncSession, user_id: int, *, for_update: bool = False
) -> CreditAccount | None:
    """The balance row of ``user_id``, or None; ``for_update`` locks it (``SELECT … FOR
    UPDATE`` on PostgreSQL) until the transaction ends."""
    if for_update:
        return await session.get(CreditAccount, user_id, with_for_update=True)
    return await session.get(CreditAccount, user_id)


async def charged_ref(session: AsyncSession, scope: ColumnElement[bool], external_ref: str) -> bool:
    """Whether a charge selected by ``scope`` already carries ``external_ref``."""
    seen = await session.scalar(
        select(CreditCharge.id).where(scope, CreditCharge.external_ref == external_ref)
    )
    return seen is not None
