"""Out-of-office entries: readable and manageable by their user only (404 otherwise); team
admins manage their members' entries through /v2/teams/{teamId}/users/{userId}/ooo. Bookings may
be forwarded to an accepted co-member of a team the user belongs to (:func:`may_forward_to`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from slotwise.kit.errors import NotFound
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import Membership, OutOfOffice


def manageable_ooo(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause selecting the out-of-office entries ``actor`` may read and manage."""
    principal = principal_of(actor)
    assert principal is not None
    return OutOfOffice.user_id == principal.user_id


async def manageable_ooo_entry(session: AsyncSession, actor: Actor, ooo_id: int) -> OutOfOffice:
    """The entry ``ooo_id`` when ``actor`` may manage it; 404 otherwise."""
    principal = principal_of(actor)
    entry = await session.get(OutOfOffice, ooo_id)
    if entry is None or principal is None or not principal.is_user(entry.user_id):
        raise NotFound(f"Out of office entry with id {ooo_id} not found")
    return entry


async def may_forward_to(session: AsyncSession, actor: Actor, to_user_id: int) -> bool:
    """Whether ``actor`` may forward their bookings to the user ``to_user_id`` while out of
    office: as Cal.com, only to an accepted member of a team ``actor`` is an accepted member of
    (one query). The refusal (``ooo.service.FORWARD_REFUSED``, 400) is the same for a user who
    exists and one who does not, so it tells nothing about which user ids exist."""
    principal = principal_of(actor)
    if principal is None:
        return False
    mine, theirs = aliased(Membership), aliased(Membership)
    query = (
        select(func.count())
        .select_from(mine)
        .join(theirs, theirs.team_id == mine.team_id)
        .where(
            mine.user_id == principal.user_id,
            mine.accepted.is_(True),
            theirs.user_id == to_user_id,
            theirs.accepted.is_(True),
        )
    )
    return bool(await session.scalar(query))
