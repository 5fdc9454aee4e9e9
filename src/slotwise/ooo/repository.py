"""Out-of-office queries, scoped by a WHERE clause from :mod:`slotwise.policy.ooo`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, UnaryExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import OutOfOffice

Direction = Literal["asc", "desc"]


async def overlaps(
    session: AsyncSession,
    scope: ColumnElement[bool],
    start: datetime,
    end: datetime,
    exclude_id: int | None = None,
) -> bool:
    """Whether an entry selected by ``scope`` (other than ``exclude_id``) overlaps
    ``[start, end]``."""
    overlap = (
        select(func.count())
        .select_from(OutOfOffice)
        .where(scope, OutOfOffice.start < end, OutOfOffice.end > start)
    )
    if exclude_id is not None:
        overlap = overlap.where(OutOfOffice.id != exclude_id)
    return bool(await session.scalar(overlap))


async def entries_where(
    session: AsyncSession,
    scope: ColumnElement[bool],
    *,
    sort_start: Direction | None,
    sort_end: Direction | None,
    skip: int,
    take: int,
) -> Sequence[OutOfOffice]:
    """The entries selected by ``scope``, ``skip``/``take`` paged, by start and/or end when
    asked, then by id."""
    order: list[UnaryExpression[Any]] = []
    if sort_start:
        order.append(OutOfOffice.start.asc() if sort_start == "asc" else OutOfOffice.start.desc())
    if sort_end:
        order.append(OutOfOffice.end.asc() if sort_end == "asc" else OutOfOffice.end.desc())
    order.append(OutOfOffice.id.asc())
    query = select(OutOfOffice).where(scope).order_by(*order).offset(skip).limit(take)
    return (await session.scalars(query)).all()
