"""Private links: managed through their event type (``policy.event_types``), so only the event
type's manager may list, create, change or delete them; a link of another event type is missing.
Using a link (the booking page and ``POST /v2/bookings``) needs no key: the link is the secret."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import NotFound
from slotwise.kit.principal import Actor
from slotwise.models import EventType, PrivateLink
from slotwise.policy.event_types import manageable_event_type


async def links_event_type(session: AsyncSession, actor: Actor, event_type_id: int) -> EventType:
    """The event type whose private links ``actor`` manages; 404 otherwise."""
    return await manageable_event_type(session, actor, event_type_id)


async def manageable_private_link(
    session: AsyncSession, event_type: EventType, link_id: str
) -> PrivateLink:
    """The link ``link_id`` of ``event_type`` (obtained from :func:`links_event_type`); 404
    otherwise."""
    link = await session.scalar(
        select(PrivateLink).where(
            PrivateLink.link_id == link_id, PrivateLink.event_type_id == event_type.id
        )
    )
    if link is None:
        raise NotFound(f"Private link with id {link_id} not found")
    return link
