"""HTTP endpoints of /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks (any
``cal-api-version``, as Cal.com's ``TeamsEventTypesWebhooksController``), in Cal.com's webhook
shapes; rules in :mod:`slotwise.webhooks.team_service`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentPrincipal
from slotwise.kit.schemas import IdParam, ParamText
from slotwise.kit.session import AppSettings, DbSession
from slotwise.webhooks import team_service
from slotwise.webhooks.endpoints import Skip, Take
from slotwise.webhooks.schemas import CreateWebhookInput, UpdateWebhookInput, webhook_output

router = APIRouter(tags=["Teams / Event Types / Webhooks"])

TeamId = Annotated[IdParam, Path(description="The team's id")]
EventTypeId = Annotated[IdParam, Path(description="The team event type's id")]
BASE = "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks"


@router.post(BASE, status_code=201, summary="Create a webhook for a team event type")
async def create_team_event_type_webhook(
    body: CreateWebhookInput,
    principal: CurrentPrincipal,
    session: DbSession,
    settings: AppSettings,
    teamId: TeamId,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """A webhook for every booking of the team event type (TEAM_ADMIN)."""
    webhook = await team_service.create_team_event_type_webhook(
        session, principal, teamId, eventTypeId, body,
        block_private=settings.block_private_networks,
    )  # fmt: skip
    return ok(webhook_output(webhook))


@router.get(BASE, summary="Get all webhooks for a team event type")
async def get_team_event_type_webhooks(
    principal: CurrentPrincipal,
    session: DbSession,
    teamId: TeamId,
    eventTypeId: EventTypeId,
    take: Take = 250,
    skip: Skip = 0,
) -> dict[str, Any]:
    """The event type's webhooks (team admins and owners)."""
    hooks = await team_service.list_team_event_type_webhooks(
        session, principal, teamId, eventTypeId, skip=skip, take=take
    )
    return ok([webhook_output(w) for w in hooks])


@router.delete(BASE, summary="Delete all webhooks for a team event type")
async def delete_team_event_type_webhooks(
    principal: CurrentPrincipal, session: DbSession, teamId: TeamId, eventTypeId: EventTypeId
) -> dict[str, Any]:
    """Delete every webhook of the event type (TEAM_ADMIN); answers ``"N webhooks deleted"``."""
    count = await team_service.delete_team_event_type_webhooks(
        session, principal, teamId, eventTypeId
    )
    return ok(f"{count} webhooks deleted")


@router.get(BASE + "/{webhookId}", summary="Get a webhook for a team event type")
async def get_team_event_type_webhook(
    webhookId: ParamText,
    principal: CurrentPrincipal,
    session: DbSession,
    teamId: TeamId,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """One webhook of the event type (team admins and owners)."""
    webhook = await team_service.get_team_event_type_webhook(
        session, principal, teamId, eventTypeId, webhookId
    )
    return ok(webhook_output(webhook))


@router.patch(BASE + "/{webhookId}", summary="Update a webhook for a team event type")
async def update_team_event_type_webhook(
    webhookId: ParamText,
    body: UpdateWebhookInput,
    principal: CurrentPrincipal,
    session: DbSession,
    settings: AppSettings,
    teamId: TeamId,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """Update the fields given (TEAM_ADMIN)."""
    webhook = await team_service.update_team_event_type_webhook(
        session, principal, teamId, eventTypeId, webhookId, body,
        block_private=settings.block_private_networks,
    )  # fmt: skip
    return ok(webhook_output(webhook))


@router.delete(BASE + "/{webhookId}", summary="Delete a webhook for a team event type")
async def delete_team_event_type_webhook(
    webhookId: ParamText,
    principal: CurrentPrincipal,
    session: DbSession,
    teamId: TeamId,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """Delete one webhook of the event type (TEAM_ADMIN); answers the deleted webhook."""
    webhook = await team_service.delete_team_event_type_webhook(
        session, principal, teamId, eventTypeId, webhookId
    )
    return ok(webhook_output(webhook))
