"""Webhooks of team event types (``/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks``),
with the rules of :mod:`slotwise.webhooks.service` (URL safety → 400, one webhook per URL and
event type → 409) and Cal.com's guards, in their order:

1. ``RolesGuard``: reading needs TEAM_MEMBER, creating, changing and deleting TEAM_ADMIN (403
   with its messages, :mod:`slotwise.policy.teams`);
2. ``IsTeamEventTypeWebhookGuard``: every operation needs an admin or owner → 403
   "IsTeamEventTypeWebhookGuard - User (U) is not an admin/owner of team (T)" (so a MEMBER may
   not even read); an event type the team does not have → 404 "IsTeamEventTypeWebhookGuard -
   Event type (N) not found for team (T)"; a webhook that is not this event type's → 404
   "Webhook (id) not found" (Cal.com: 400 for a user webhook, 403 for another event type's;
   docs/compatibility.md).

A team event type's webhook fires for every booking of the event type, whoever hosts it
(:func:`slotwise.webhooks.repository.subscribed_webhooks`). It records the admin who created it
(``Webhook.user_id``, required by the table) but belongs to the event type: any admin of the
team manages it.

Services take ``(session, actor, team_id, event_type_id, …)`` and never read the URL, so the
organization routes can call them. They flush, never commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import Forbidden, NotFound
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import EventType, Webhook
from slotwise.policy.teams import TeamRole, require_team_role, role_at_least
from slotwise.webhooks import repository
from slotwise.webhooks.schemas import CreateWebhookInput, UpdateWebhookInput
from slotwise.webhooks.service import (
    delete_webhook,
    insert_webhook,
    parse_id,
    update_webhook,
)


async def _guard(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int, minimum: TeamRole
) -> None:
    """Cal.com's ``RolesGuard`` (``minimum``) then ``IsTeamEventTypeWebhookGuard`` (admins and
    owners only; the event type must be the team's)."""
    membership = await require_team_role(session, actor, team_id, minimum)
    if not role_at_least(membership.role, "TEAM_ADMIN"):
        raise Forbidden(
            f"IsTeamEventTypeWebhookGuard - User ({membership.user_id}) is not an admin/owner of "
            f"team ({team_id})"
        )
    event_type = await session.scalar(
        select(EventType.id).where(EventType.id == event_type_id, EventType.team_id == team_id)
    )
    if event_type is None:
        raise NotFound(
            f"IsTeamEventTypeWebhookGuard - Event type ({event_type_id}) not found for team "
            f"({team_id})"
        )


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
    await _guard(session, actor, team_id, event_type_id, "TEAM_ADMIN")
    principal = principal_of(actor)
    assert principal is not None
    return await insert_webhook(
        session, principal.user, body, event_type_id=event_type_id, block_private=block_private
    )


async def list_team_event_type_webhooks(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int, *, skip: int, take: int
) -> list[Webhook]:
    """The event type's webhooks, by id (admins and owners, see the module docstring)."""
    await _guard(session, actor, team_id, event_type_id, "TEAM_MEMBER")
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
    """One webhook of the event type (``minimum``: RolesGuard's TEAM_MEMBER to read, TEAM_ADMIN
    to change; admins and owners only either way); 404 "Webhook (id) not found" for another
    event type's or a missing one."""
    await _guard(session, actor, team_id, event_type_id, minimum)
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
    await _guard(session, actor, team_id, event_type_id, "TEAM_ADMIN")
    ids = await repository.event_type_webhook_ids(session, event_type_id)
    if ids:
        await repository.delete_webhooks(session, ids)
    return len(ids)
