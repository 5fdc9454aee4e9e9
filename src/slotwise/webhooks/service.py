"""Webhook rules: create, read, list, update, delete (user and event-type webhooks), the
delivery log and redelivery.

As Cal.com: a user (or event type) has at most one webhook per subscriber URL → 409
ConflictException; someone else's webhook or event type is not found (404; Cal.com answers 403
for some of these, see docs/compatibility.md). Subscriber URLs are checked by
:func:`slotwise.webhooks.urls.check_subscriber_url` → 400 (URLs with a user name or password
included). Secrets are encrypted at rest by the column type (``Webhook.secret`` is
:class:`slotwise.kit.crypto.EncryptedText`): services read and write plaintext. Services flush,
never commit.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.jobs import enqueue
from slotwise.kit.errors import BadRequest, Conflict, NotFound
from slotwise.models import Job, User, Webhook, WebhookDelivery, utcnow
from slotwise.policy.event_types import manageable_event_type
from slotwise.policy.webhooks import manageable_user_webhooks, manageable_webhook
from slotwise.webhooks.schemas import (
    WEBHOOK_VERSION,
    CreateWebhookInput,
    UpdateWebhookInput,
)
from slotwise.webhooks.urls import UnsafeUrl, check_subscriber_url

DELIVER = "webhooks.deliver"


def parse_id(raw: str, what: str = "Webhook") -> int:
    """A path id as an integer; 404 when it is not one (ids are integers here)."""
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(f"{what} ({raw}) not found")
    return int(raw)


async def _check_url(url: str, block_private: bool) -> str:
    try:
        await check_subscriber_url(url, block_private=block_private)
    except UnsafeUrl as exc:
        raise BadRequest(str(exc)) from exc
    return url.strip()


async def _check_unique(
    session: AsyncSession, user: User, event_type_id: int | None, url: str, exclude: int | None
) -> None:
    stmt = select(Webhook.id).where(Webhook.subscriber_url == url)
    if event_type_id is None:
        stmt = stmt.where(manageable_user_webhooks(user))
        owner = "user"
    else:
        stmt = stmt.where(Webhook.event_type_id == event_type_id)
        owner = "event type"
    if exclude is not None:
        stmt = stmt.where(Webhook.id != exclude)
    if (await session.execute(stmt.limit(1))).first() is not None:
        raise Conflict(f"Webhook with this subscriber url already exists for this {owner}")


async def create_webhook(
    session: AsyncSession,
    user: User,
    body: CreateWebhookInput,
    *,
    event_type_id: int | None,
    block_private: bool,
) -> Webhook:
    """Create a user webhook (``event_type_id`` None) or one for the caller's event type."""
    if event_type_id is not None:
        await manageable_event_type(session, user, event_type_id)
    url = await _check_url(body.subscriberUrl, block_private)
    await _check_unique(session, user, event_type_id, url, None)
    now = utcnow()
    webhook = Webhook(
        user_id=user.id,
        event_type_id=event_type_id,
        subscriber_url=url,
        active=body.active,
        triggers=list(dict.fromkeys(body.triggers)),
        secret=body.secret or None,
        payload_template=body.payloadTemplate,
        version=body.version or WEBHOOK_VERSION,
        created_at=now,
        updated_at=now,
    )
    session.add(webhook)
    await session.flush()
    return webhook


async def get_webhook(
    session: AsyncSession, user: User, raw_id: str, *, event_type_id: int | None = None
) -> Webhook:
    """One of the caller's webhooks. With ``event_type_id``: only a webhook of that event type
    (which must be the caller's); without: only a user webhook. 404 otherwise."""
    webhook_id = parse_id(raw_id)
    if event_type_id is not None:
        await manageable_event_type(session, user, event_type_id)
    return await manageable_webhook(
        session, user, webhook_id, f"Webhook ({raw_id}) not found", event_type_id=event_type_id
    )


async def list_webhooks(
    session: AsyncSession, user: User, *, event_type_id: int | None, skip: int, take: int
) -> list[Webhook]:
    """The caller's user webhooks, or the webhooks of one of the caller's event types."""
    stmt = select(Webhook).order_by(Webhook.id).offset(skip).limit(take)
    if event_type_id is None:
        stmt = stmt.where(manageable_user_webhooks(user))
    else:
        await manageable_event_type(session, user, event_type_id)
        stmt = stmt.where(Webhook.event_type_id == event_type_id)
    return list((await session.execute(stmt)).scalars())


async def update_webhook(
    session: AsyncSession, user: User, webhook: Webhook, body: UpdateWebhookInput, *,
    block_private: bool,
) -> Webhook:  # fmt: skip
    """Apply the fields given; ``null`` clears ``payloadTemplate``/``secret``; null for a
    required field (``active``, ``subscriberUrl``, ``triggers``) is a 400."""
    given = body.model_fields_set
    for name in ("active", "subscriberUrl", "triggers"):
        if name in given and getattr(body, name) is None:
            raise BadRequest(f"{name} must not be null")
    if body.subscriberUrl is not None:
        url = await _check_url(body.subscriberUrl, block_private)
        await _check_unique(session, user, webhook.event_type_id, url, webhook.id)
        webhook.subscriber_url = url
    if body.active is not None:
        webhook.active = body.active
    if body.triggers is not None:
        webhook.triggers = list(dict.fromkeys(body.triggers))
    if "payloadTemplate" in given:
        webhook.payload_template = body.payloadTemplate
    if "secret" in given:
        webhook.secret = body.secret or None
    if body.version is not None:
        webhook.version = body.version
    webhook.updated_at = utcnow()
    await session.flush()
    return webhook


async def delete_webhook(session: AsyncSession, webhook: Webhook) -> None:
    """Delete a webhook and its delivery log; its pending deliveries find it gone and stop."""
    await session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id))
    await session.delete(webhook)
    await session.flush()


async def delete_event_type_webhooks(session: AsyncSession, user: User, event_type_id: int) -> int:
    """Delete every webhook of the caller's event type; returns how many."""
    await manageable_event_type(session, user, event_type_id)
    ids = list(
        (
            await session.execute(select(Webhook.id).where(Webhook.event_type_id == event_type_id))
        ).scalars()
    )
    if ids:
        await session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id.in_(ids)))
        await session.execute(delete(Webhook).where(Webhook.id.in_(ids)))
    return len(ids)


async def list_deliveries(
    session: AsyncSession, webhook: Webhook, *, skip: int, take: int
) -> tuple[list[WebhookDelivery], int]:
    """The webhook's delivery log, newest first, and its total size."""
    rows = (
        await session.execute(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook.id)
            .order_by(WebhookDelivery.id.desc())
            .offset(skip)
            .limit(take)
        )
    ).scalars()
    total = await session.scalar(
        select(func.count())
        .select_from(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id)
    )
    return list(rows), int(total or 0)


async def owned_webhook(session: AsyncSession, user: User, raw_id: str) -> Webhook:
    """Any webhook of the caller (user or event-type webhook); 404 otherwise."""
    return await manageable_webhook(
        session, user, parse_id(raw_id), f"Webhook ({raw_id}) not found"
    )


async def redeliver(session: AsyncSession, webhook: Webhook, raw_delivery_id: str) -> Job:
    """Enqueue the event of one logged delivery again (same body, new signature, now)."""
    delivery = await session.get(WebhookDelivery, parse_id(raw_delivery_id, "Delivery"))
    if delivery is None or delivery.webhook_id != webhook.id:
        raise NotFound(f"Delivery ({raw_delivery_id}) not found")
    job = await session.get(Job, delivery.job_id) if delivery.job_id is not None else None
    if job is None or job.kind != DELIVER:
        raise Conflict("The event of this delivery is no longer stored; it cannot be redelivered")
    payload = {**job.payload, "redeliveryOf": delivery.id}
    return await enqueue(session, DELIVER, payload)
