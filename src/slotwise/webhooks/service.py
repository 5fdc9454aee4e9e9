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

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.jobs import enqueue
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest, Conflict, NotFound
from slotwise.models import Job, User, Webhook, WebhookDelivery
from slotwise.policy.event_types import manageable_event_type
from slotwise.policy.webhooks import manageable_user_webhooks, manageable_webhook
from slotwise.webhooks import repository
from slotwise.webhooks.delivery import delivery_id
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
    scope: ColumnElement[bool]
    if event_type_id is None:
        scope = manageable_user_webhooks(user)
        owner = "user"
    else:
        scope = Webhook.event_type_id == event_type_id
        owner = "event type"
    if await repository.url_taken(session, scope, url, exclude):
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
    return await insert_webhook(
        session, user, body, event_type_id=event_type_id, block_private=block_private
    )


async def insert_webhook(
    session: AsyncSession,
    user: User,
    body: CreateWebhookInput,
    *,
    event_type_id: int | None,
    block_private: bool,
) -> Webhook:
    """Store a webhook created by ``user`` (user webhook, or one of ``event_type_id``, whose
    access the caller checked): URL safety (400) and one webhook per URL (409) checked."""
    url = await _check_url(body.subscriberUrl, block_private)
    await _check_unique(session, user, event_type_id, url, None)
    now = clock.now()
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
    scope: ColumnElement[bool]
    if event_type_id is None:
        scope = manageable_user_webhooks(user)
    else:
        await manageable_event_type(session, user, event_type_id)
        scope = Webhook.event_type_id == event_type_id
    return await repository.webhooks_where(session, scope, skip=skip, take=take)


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
    webhook.updated_at = clock.now()
    await session.flush()
    return webhook


async def delete_webhook(session: AsyncSession, webhook: Webhook) -> None:
    """Delete a webhook and its delivery log; its pending deliveries find it gone and stop."""
    await repository.delete_deliveries(session, webhook.id)
    await session.delete(webhook)
    await session.flush()


async def delete_event_type_webhooks(session: AsyncSession, user: User, event_type_id: int) -> int:
    """Delete every webhook of the caller's event type; returns how many."""
    await manageable_event_type(session, user, event_type_id)
    ids = await repository.event_type_webhook_ids(session, event_type_id)
    if ids:
        await repository.delete_webhooks(session, ids)
    return len(ids)


async def list_deliveries(
    session: AsyncSession, webhook: Webhook, *, skip: int, take: int
) -> tuple[list[WebhookDelivery], int]:
    """The webhook's delivery log, newest first, and its total size."""
    return await repository.deliveries(session, webhook.id, skip=skip, take=take)


async def owned_webhook(session: AsyncSession, user: User, raw_id: str) -> Webhook:
    """Any webhook of the caller (user or event-type webhook); 404 otherwise."""
    return await manageable_webhook(
        session, user, parse_id(raw_id), f"Webhook ({raw_id}) not found"
    )


async def redeliver(session: AsyncSession, webhook: Webhook, raw_delivery_id: str) -> Job:
    """Enqueue the event of one logged delivery again (same body, new signature, now)."""
    delivery = await repository.delivery_by_id(session, parse_id(raw_delivery_id, "Delivery"))
    if delivery is None or delivery.webhook_id != webhook.id:
        raise NotFound(f"Delivery ({raw_delivery_id}) not found")
    job = None
    if delivery.job_id is not None:
        job = await repository.job_by_id(session, delivery.job_id)
    if job is None or job.kind != DELIVER:
        raise Conflict("The event of this delivery is no longer stored; it cannot be redelivered")
    # The same X-Slotwise-Delivery-Id as the original, so receivers that processed it skip it.
    payload = {
        **job.payload,
        "redeliveryOf": delivery.id,
        "deliveryId": delivery_id(job.payload, job.id),
    }
    return await enqueue(session, DELIVER, payload)
