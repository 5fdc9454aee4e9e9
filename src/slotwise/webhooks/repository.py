"""Webhook queries: subscriptions, their delivery log, and the rows a delivery job reads."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import Booking, Job, Webhook, WebhookDelivery


async def url_taken(
    session: AsyncSession, scope: ColumnElement[bool], url: str, exclude: int | None
) -> bool:
    """Whether a webhook selected by ``scope`` (other than ``exclude``) has subscriber ``url``."""
    stmt = select(Webhook.id).where(Webhook.subscriber_url == url, scope)
    if exclude is not None:
        stmt = stmt.where(Webhook.id != exclude)
    return (await session.execute(stmt.limit(1))).first() is not None


async def webhooks_where(
    session: AsyncSession, scope: ColumnElement[bool], *, skip: int, take: int
) -> list[Webhook]:
    """The webhooks selected by ``scope``, by id, ``skip``/``take`` paged."""
    stmt = select(Webhook).where(scope).order_by(Webhook.id).offset(skip).limit(take)
    return list((await session.execute(stmt)).scalars())


async def subscribed_webhooks(
    session: AsyncSession, user_id: int, event_type_id: int | None
) -> list[Webhook]:
    """Active webhooks that fire for bookings of ``user_id`` on ``event_type_id``."""
    scope: ColumnElement[bool] = (Webhook.user_id == user_id) & Webhook.event_type_id.is_(None)
    if event_type_id is not None:
        scope = or_(scope, Webhook.event_type_id == event_type_id)
    rows = await session.execute(
        select(Webhook).where(Webhook.active.is_(True), scope).order_by(Webhook.id)
    )
    return list(rows.scalars())


async def webhook_by_id(session: AsyncSession, webhook_id: int) -> Webhook | None:
    """The webhook ``webhook_id`` (any owner), or None; for delivery jobs."""
    return await session.get(Webhook, webhook_id)


async def event_type_webhook_ids(session: AsyncSession, event_type_id: int) -> list[int]:
    """The ids of ``event_type_id``'s webhooks."""
    rows = await session.execute(select(Webhook.id).where(Webhook.event_type_id == event_type_id))
    return list(rows.scalars())


async def delete_webhooks(session: AsyncSession, ids: Sequence[int]) -> None:
    """Delete the webhooks ``ids`` and their delivery logs."""
    await session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id.in_(ids)))
    await session.execute(delete(Webhook).where(Webhook.id.in_(ids)))


async def delete_deliveries(session: AsyncSession, webhook_id: int) -> None:
    """Delete the delivery log of ``webhook_id``."""
    await session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id))


async def deliveries(
    session: AsyncSession, webhook_id: int, *, skip: int, take: int
) -> tuple[list[WebhookDelivery], int]:
    """The delivery log of ``webhook_id``, newest first, ``skip``/``take`` paged, and its total
    size."""
    rows = (
        await session.execute(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id.desc())
            .offset(skip)
            .limit(take)
        )
    ).scalars()
    total = await session.scalar(
        select(func.count())
        .select_from(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
    )
    return list(rows), int(total or 0)


async def delivery_by_id(session: AsyncSession, delivery_id: int) -> WebhookDelivery | None:
    """The logged delivery ``delivery_id``, or None."""
    return await session.get(WebhookDelivery, delivery_id)


async def job_by_id(session: AsyncSession, job_id: int) -> Job | None:
    """The job row ``job_id`` (a delivery's event), or None."""
    return await session.get(Job, job_id)


async def booking_by_uid(session: AsyncSession, uid: str) -> Booking | None:
    """The booking ``uid``, or None."""
    return (await session.execute(select(Booking).where(Booking.uid == uid))).scalar_one_or_none()
