"""Event types: manageable (read, change, delete, add webhooks and private links) by their owner;
hidden ones are listed for their owner only; public ones are readable by anyone (pages, slots,
booking)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import Forbidden, NotFound, Unauthorized
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import EventType


def manages_event_type(actor: Actor | None, event_type: EventType) -> bool:
    """True when ``actor`` may manage ``event_type`` (its owner)."""
    principal = principal_of(actor)
    return principal is not None and principal.is_user(event_type.user_id)


def manageable_event_types(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause selecting the event types ``actor`` may manage."""
    principal = principal_of(actor)
    assert principal is not None
    return EventType.user_id == principal.user_id


def sees_hidden_event_types_of(actor: Actor | None, owner_id: int | None) -> bool:
    """True when ``actor`` may see the hidden event types of user ``owner_id`` (the owner)."""
    principal = principal_of(actor)
    return principal is not None and principal.is_user(owner_id)


def listable_event_types(actor: Actor | None, owner_id: int) -> ColumnElement[bool]:
    """WHERE clause selecting the event types of user ``owner_id`` that ``actor`` (None:
    anonymous) may see listed: all of them for the owner, the visible ones for anyone else."""
    owned = EventType.user_id == owner_id
    if sees_hidden_event_types_of(actor, owner_id):
        return owned
    return and_(owned, EventType.hidden.is_(False))


def listed_for(actor: Actor | None, event_type: EventType) -> bool:
    """True when ``event_type`` may be listed for ``actor`` (see :func:`listable_event_types`)."""
    return not event_type.hidden or sees_hidden_event_types_of(actor, event_type.user_id)


async def find_manageable_event_type(
    session: AsyncSession, actor: Actor, event_type_id: int
) -> EventType | None:
    """The event type ``event_type_id`` when ``actor`` may manage it, else None."""
    return await session.scalar(
        select(EventType).where(EventType.id == event_type_id, manageable_event_types(actor))
    )


async def manageable_event_type(
    session: AsyncSession, actor: Actor, event_type_id: int, *, not_found: str | None = None
) -> EventType:
    """The event type ``event_type_id`` when ``actor`` may manage it; otherwise 404 with
    ``not_found`` (default "Event type with id N not found")."""
    event_type = await find_manageable_event_type(session, actor, event_type_id)
    if event_type is None:
        raise NotFound(not_found or f"Event type with id {event_type_id} not found")
    return event_type


def check_may_book_restricted(event_type: EventType, actor: Actor | None, message: str) -> None:
    """For an event type with ``bookingRequiresAuthentication``: 401 ``message`` without a key,
    403 ``message`` for anyone but a manager of the event type."""
    if actor is None:
        raise Unauthorized(message)
    if not manages_event_type(actor, event_type):
        raise Forbidden(message)
