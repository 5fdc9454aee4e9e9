"""Private links of an event type: the rules behind /v2/event-types/{eventTypeId}/private-links
(:mod:`.private_link_endpoints`) and their use when booking.

A link is time-based (``expiresAt``) or usage-based (``maxUsageCount``, default 1: one use).
Its ``bookingUrl`` is ``{SLOTWISE_PUBLIC_URL}/d/{linkId}/{slug}``. A booking made with
``privateLinkId`` (POST /v2/bookings, Slotwise extension) counts one use with one conditional
``UPDATE`` in the booking's transaction (:func:`use_private_link`), so concurrent bookings never
use a link more often than allowed and a refused booking uses nothing. An expired, used-up,
unknown or other event type's link refuses the booking with 400 ``private_link_expired``
(Cal.com's ErrorCode → HTTP table maps ``private_link_expired`` to 400).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit import clock
from slotwise.kit.envelope import iso_utc
from slotwise.kit.errors import BadRequest
from slotwise.kit.schemas import Instant, StrictInput, Whole
from slotwise.models import EventType, PrivateLink
from slotwise.policy.private_links import manageable_private_link

EXPIRED = "private_link_expired"
MAX_USES = 1_000_000
UsageCount = Annotated[int, Whole(1, MAX_USES)]


class CreatePrivateLinkInput(StrictInput):
    """``CreatePrivateLinkInput``: ``expiresAt`` (time-based, in the future) or ``maxUsageCount``
    (usage-based, 1..1000000, default 1); not both."""

    expiresAt: Instant | None = None
    maxUsageCount: UsageCount | None = None


class UpdatePrivateLinkInput(StrictInput):
    """``UpdatePrivateLinkBody``: a new ``expiresAt`` (in the future) or ``maxUsageCount``
    (switches the kind)."""

    expiresAt: Instant | None = None
    maxUsageCount: UsageCount | None = None


def is_expired(link: PrivateLink, now: datetime) -> bool:
    """Expired by time (``expires_at <= now``) or used up (``usage_count >= max_usage_count``)."""
    if link.expires_at is not None:
        return link.expires_at <= now
    return link.max_usage_count is not None and link.usage_count >= link.max_usage_count


def link_output(link: PrivateLink, event_type: EventType, base_url: str) -> dict[str, Any]:
    """``TimeBasedPrivateLinkOutput`` or ``UsageBasedPrivateLinkOutput`` of ``link``."""
    out: dict[str, Any] = {
        "linkId": link.link_id,
        "eventTypeId": event_type.id,
        "isExpired": is_expired(link, clock.now()),
        "bookingUrl": f"{base_url}/d/{link.link_id}/{event_type.slug}",
    }
    if link.expires_at is not None:
        out["expiresAt"] = iso_utc(link.expires_at)
    else:
        out["maxUsageCount"] = link.max_usage_count
        out["usageCount"] = link.usage_count
    return out


def _both(expires: datetime | None, count: int | None) -> None:
    if expires is not None and count is not None:
        raise BadRequest("Provide either expiresAt or maxUsageCount, not both.")
    if expires is not None and expires <= clock.now():
        raise BadRequest("expiresAt must be in the future: this link would be expired already.")


async def create_link(
    session: AsyncSession, event_type: EventType, body: CreatePrivateLinkInput
) -> PrivateLink:
    """A new link of ``event_type`` (from :func:`slotwise.policy.private_links.
    links_event_type`); 400 for both kinds or a past expiry."""
    _both(body.expiresAt, body.maxUsageCount)
    link = PrivateLink(
        link_id=secrets.token_hex(16),
        event_type_id=event_type.id,
        expires_at=body.expiresAt,
        max_usage_count=None if body.expiresAt else (body.maxUsageCount or 1),
        usage_count=0,
    )
    session.add(link)
    await session.flush()
    return link


async def event_type_links(session: AsyncSession, event_type: EventType) -> Sequence[PrivateLink]:
    """The links of ``event_type``, oldest first (expired ones included)."""
    return (
        await session.scalars(
            select(PrivateLink)
            .where(PrivateLink.event_type_id == event_type.id)
            .order_by(PrivateLink.id)
        )
    ).all()


async def update_link(
    session: AsyncSession, event_type: EventType, link_id: str, body: UpdatePrivateLinkInput
) -> PrivateLink:
    """Set a new expiry (the link becomes time-based) or use count (usage-based; uses so far
    are kept); 400 for neither or both, 404 for an unknown link."""
    link = await manageable_private_link(session, event_type, link_id)
    _both(body.expiresAt, body.maxUsageCount)
    if body.expiresAt is not None:
        link.expires_at, link.max_usage_count = body.expiresAt, None
    elif body.maxUsageCount is not None:
        link.expires_at, link.max_usage_count = None, body.maxUsageCount
    else:
        raise BadRequest("Provide expiresAt or maxUsageCount.")
    await session.flush()
    return link


async def delete_link(session: AsyncSession, event_type: EventType, link_id: str) -> None:
    """Delete the link ``link_id`` of ``event_type``; 404 for an unknown link."""
    link = await manageable_private_link(session, event_type, link_id)
    await session.delete(link)
    await session.flush()


async def link_by_id(session: AsyncSession, link_id: str) -> PrivateLink | None:
    """The private link ``link_id`` (any state), or None; for the ``/d/{linkId}/{slug}`` page."""
    if not link_id or len(link_id) > 64:
        return None
    found: PrivateLink | None = await session.scalar(
        select(PrivateLink).where(PrivateLink.link_id == link_id)
    )
    return found


async def use_private_link(
    session: AsyncSession, link_id: str, event_type_id: int, now: datetime
) -> None:
    """Count one use of ``link_id`` for a booking of ``event_type_id`` in the caller's
    transaction, atomically (one conditional UPDATE: unexpired, uses left).

    Raises 400 ``private_link_expired`` when the link is unknown, of another event type,
    expired or used up; nothing is counted then.
    """
    result = await session.execute(
        update(PrivateLink)
        .where(
            PrivateLink.link_id == link_id,
            PrivateLink.event_type_id == event_type_id,
            or_(PrivateLink.expires_at.is_(None), PrivateLink.expires_at > now),
            or_(
                PrivateLink.max_usage_count.is_(None),
                PrivateLink.usage_count < PrivateLink.max_usage_count,
            ),
        )
        .values(usage_count=PrivateLink.usage_count + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise BadRequest(EXPIRED)
