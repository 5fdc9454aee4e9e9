"""Webhooks: manageable by the user who created them (user webhooks, and webhooks of their event
types); someone else's webhook, or one reached through the wrong path, is missing (404)."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import NotFound
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import Webhook


def manages_webhook(actor: Actor | None, webhook: Webhook) -> bool:
    """True when ``actor`` may read and manage ``webhook``."""
    principal = principal_of(actor)
    return principal is not None and principal.is_user(webhook.user_id)


def manageable_user_webhooks(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause selecting ``actor``'s user webhooks (not those of event types)."""
    principal = principal_of(actor)
    assert principal is not None
    return (Webhook.user_id == principal.user_id) & Webhook.event_type_id.is_(None)


async def manageable_webhook(
    session: AsyncSession,
    actor: Actor,
    webhook_id: int,
    not_found: str,
    *,
    event_type_id: int | None | bool = True,
) -> Webhook:
    """The webhook ``webhook_id`` when ``actor`` may manage it, else 404 ``not_found``.

    ``event_type_id``: True (default) accepts any of the actor's webhooks; None only a user
    webhook; an id only a webhook of that event type (whose manageability the caller checks
    through ``policy.event_types``)."""
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None or not manages_webhook(actor, webhook):
        raise NotFound(not_found)
    if event_type_id is not True and webhook.event_type_id != event_type_id:
        raise NotFound(not_found)
    return webhook
