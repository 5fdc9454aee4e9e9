"""Out-of-office entries: readable and manageable by their user only (404 otherwise). Forwarding
bookings to another user is refused until teams exist (:func:`may_forward_to`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import NotFound
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import OutOfOffice


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
    office.

    Cal.com allows forwarding only to a member of a team the caller belongs to. Slotwise has no
    teams yet, so nobody qualifies: this answers False for every id, existing or not, so that
    the answer (one 400 with ``ooo.service.FORWARD_REFUSED``) tells a caller nothing about which
    user ids exist. The teams work replaces the body with the co-membership check (the
    principal's ``memberships``).
    """
    del session, actor, to_user_id  # no teams yet: nobody is a co-member
    return False
