"""Webhooks of team event types (``/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks``),
with the rules of :mod:`slotwise.webhooks.service` (URL safety → 400, one webhook per URL and
event type → 409) and Cal.com's guards: reading needs TEAM_MEMBER, creating, changing and
deleting TEAM_ADMIN (403 otherwise, :mod:`slotwise.policy.teams`); an event type of another
team, or a webhook of another event type, is 404.

A team event type's webhook fires for every booking of the event type, whoever hosts it
(:func:`slotwise.webhooks.repository.subscribed_webhooks`). It records the admin who created it
(``Webhook.user_id``, required by the table) but belongs to the event type: any admin of the
team manages it. Its ``secret`` is shown to admins only.

Services take ``(session, actor, team_id, event_type_id, …)`` and never read the URL, so the
organization routes can call them. They flush, never commit.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import NotFound
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import Webhook
from slotwise.policy.teams import TeamRole, role_at_least, team_event_type, team_membership
from slotwise.webhooks import repository
from slotwise.webhooks.schemas import CreateWebhookInput, UpdateWebhookInput
from slotwise.webhooks.service import (
    delete_webhook,
    insert_webhook,
    parse_id,
    update_webhook,
)


async def shows_secrets(session: AsyncSession, actor: Actor, team_id: int) -> bool:
    """True when ``actor`` is an admin or owner of the team (they see webhook secrets)."""
    membership = await team_membership(session, actor, team_id)
    return membership is not None and role_at_least(membership.role, "TEAM_ADMIN")


async def create_team_event_type_webhook(
    session: AsyncSession,
    actor: Actor,
    team_id: int,
    event_type_id: int,
    body: CreateWebhookInput,
    *,
    block_private: bool,
) -> Webhook:
    """A webhook for every booking of the team event type (TEAM_ADMIN)."""
    await team_event_type(session, actor, team_id, event_type_id, "TEAM_ADMIN")
    principal = principal_of(actor)
    assert principal is not None
    return await insert_webhook(
        session, principal.user, body, event_type_id=event_type_id, block_private=block_private
    )


async def list_team_event_type_webhooks(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int, *, skip: int, take: int
) -> list[Webhook]:
    """The event type's webhooks, by id (TEAM_MEMBER)."""
    await team_event_type(session, actor, team_id, event_type_id, "TEAM_MEMBER")
    return await repository.webhooks_where(
        session, Webhook.event_type_id == event_type_id, skip=skip, take=take
    )


async def get_team_event_type_webhook(
    session: AsyncSession,
    actor: Actor,
    team_id: int,
    event_type_id: int,
    raw_id: str,
    *,
    minimum: TeamRole = "TEAM_MEMBER",
) -> Webhook:
    """One webhook of the event type (``minimum``: TEAM_MEMBER to read, TEAM_ADMIN to change);
    404 "Webhook (id) not found" for another event type's or a missing one."""
    await team_event_type(session, actor, team_id, event_type_id, minimum)
    webhook = await repository.webhook_by_id(session, parse_id(raw_id))
    if webhook is None or webhook.event_type_id != event_type_id:
        raise NotFound(f"Webhook ({raw_id}) not found")
    return webhook


async def update_team_event_type_webhook(
    session: AsyncSession,
    actor: Actor,
    team_id: int,
    event_type_id: int,
    raw_id: str,
    body: UpdateWebhookInput,
    *,
    block_private: bool,
) -> Webhook:
    """Apply the fields given (TEAM_ADMIN), as PATCH /v2/event-types/{id}/webhooks/{id}."""
    webhook = await get_team_event_type_webhook(
        session, actor, team_id, event_type_id, raw_id, minimum="TEAM_ADMIN"
    )
    principal = principal_of(actor)
    assert principal is not None
    return await update_webhook(session, principal.user, webhook, body, block_private=block_private)


async def delete_team_event_type_webhook(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int, raw_id: str
) -> Webhook:
    """Delete one webhook of the event type (TEAM_ADMIN); returns it."""
    webhook = await get_team_event_type_webhook(
        session, actor, team_id, event_type_id, raw_id, minimum="TEAM_ADMIN"
    )
    await delete_webhook(session, webhook)
    return webhook


async def delete_team_event_type_webhooks(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int
) -> int:
    """Delete every webhook of the event type (TEAM_ADMIN); returns how many."""
    await team_event_type(session, actor, team_id, event_type_id, "TEAM_ADMIN")
    ids = await repository.event_type_webhook_ids(session, event_type_id)
    if ids:
        await repository.delete_webhooks(session, ids)
    return len(ids)
