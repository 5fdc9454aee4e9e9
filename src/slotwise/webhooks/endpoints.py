"""HTTP endpoints of /v2/webhooks and /v2/event-types/{eventTypeId}/webhooks (any
``cal-api-version``; Cal.com serves them for every version), plus our delivery log
(docs/extensions.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from slotwise.kit.envelope import iso_utc, ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import IdParam, ParamText, Whole
from slotwise.kit.session import AppSettings, DbSession
from slotwise.webhooks import service
from slotwise.webhooks.schemas import (
    CreateWebhookInput,
    UpdateWebhookInput,
    delivery_output,
    webhook_output,
)

router = APIRouter(tags=["Webhooks"])

Take = Annotated[int, Whole(1, 250, text=True), Query(description="How many to return (1–250)")]
Skip = Annotated[int, Whole(0, 1_000_000, text=True), Query(description="How many to skip")]
EventTypeId = Annotated[IdParam, Path(description="The event type's id")]


@router.post("/v2/webhooks", status_code=201, summary="Create a webhook")
async def create_webhook(
    body: CreateWebhookInput, user: CurrentUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """A webhook for every booking the caller hosts."""
    webhook = await service.create_webhook(
        session, user, body, event_type_id=None,
        block_private=settings.block_private_networks,
    )  # fmt: skip
    return ok(webhook_output(webhook))


@router.get("/v2/webhooks", summary="Get all webhooks")
async def get_webhooks(
    user: CurrentUser, session: DbSession, take: Take = 250, skip: Skip = 0
) -> dict[str, Any]:
    """The caller's user webhooks, oldest first."""
    hooks = await service.list_webhooks(session, user, event_type_id=None, skip=skip, take=take)
    return ok([webhook_output(w) for w in hooks])


@router.get("/v2/webhooks/{webhookId}", summary="Get a webhook")
async def get_webhook(
    webhookId: ParamText, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """One of the caller's user webhooks."""
    return ok(webhook_output(await service.get_webhook(session, user, webhookId)))


@router.patch("/v2/webhooks/{webhookId}", summary="Update a webhook")
async def update_webhook(
    webhookId: ParamText,
    body: UpdateWebhookInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
) -> dict[str, Any]:
    """Update the fields given."""
    webhook = await service.get_webhook(session, user, webhookId)
    webhook = await service.update_webhook(
        session, user, webhook, body, block_private=settings.block_private_networks
    )
    return ok(webhook_output(webhook))


@router.delete("/v2/webhooks/{webhookId}", summary="Delete a webhook")
async def delete_webhook(
    webhookId: ParamText, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Delete one of the caller's user webhooks; answers the deleted webhook."""
    webhook = await service.get_webhook(session, user, webhookId)
    out = webhook_output(webhook)
    await service.delete_webhook(session, webhook)
    return ok(out)


@router.post("/v2/event-types/{eventTypeId}/webhooks", status_code=201, summary="Create a webhook")
async def create_event_type_webhook(
    body: CreateWebhookInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """A webhook for the bookings of one of the caller's event types."""
    webhook = await service.create_webhook(
        session, user, body, event_type_id=eventTypeId,
        block_private=settings.block_private_networks,
    )  # fmt: skip
    return ok(webhook_output(webhook))


@router.get("/v2/event-types/{eventTypeId}/webhooks", summary="Get all webhooks")
async def get_event_type_webhooks(
    user: CurrentUser,
    session: DbSession,
    eventTypeId: EventTypeId,
    take: Take = 250,
    skip: Skip = 0,
) -> dict[str, Any]:
    """The webhooks of one of the caller's event types."""
    hooks = await service.list_webhooks(
        session, user, event_type_id=eventTypeId, skip=skip, take=take
    )
    return ok([webhook_output(w) for w in hooks])


@router.delete("/v2/event-types/{eventTypeId}/webhooks", summary="Delete all webhooks")
async def delete_event_type_webhooks(
    user: CurrentUser, session: DbSession, eventTypeId: EventTypeId
) -> dict[str, Any]:
    """Delete every webhook of the event type; answers ``"N webhooks deleted"``."""
    count = await service.delete_event_type_webhooks(session, user, eventTypeId)
    return ok(f"{count} webhooks deleted")


@router.get("/v2/event-types/{eventTypeId}/webhooks/{webhookId}", summary="Get a webhook")
async def get_event_type_webhook(
    webhookId: ParamText, user: CurrentUser, session: DbSession, eventTypeId: EventTypeId
) -> dict[str, Any]:
    """One webhook of the caller's event type."""
    webhook = await service.get_webhook(session, user, webhookId, event_type_id=eventTypeId)
    return ok(webhook_output(webhook))


@router.patch("/v2/event-types/{eventTypeId}/webhooks/{webhookId}", summary="Update a webhook")
async def update_event_type_webhook(
    webhookId: ParamText,
    body: UpdateWebhookInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """Update the fields given."""
    webhook = await service.get_webhook(session, user, webhookId, event_type_id=eventTypeId)
    webhook = await service.update_webhook(
        session, user, webhook, body, block_private=settings.block_private_networks
    )
    return ok(webhook_output(webhook))


@router.delete("/v2/event-types/{eventTypeId}/webhooks/{webhookId}", summary="Delete a webhook")
async def delete_event_type_webhook(
    webhookId: ParamText, user: CurrentUser, session: DbSession, eventTypeId: EventTypeId
) -> dict[str, Any]:
    """Delete one webhook of the caller's event type; answers the deleted webhook."""
    webhook = await service.get_webhook(session, user, webhookId, event_type_id=eventTypeId)
    out = webhook_output(webhook)
    await service.delete_webhook(session, webhook)
    return ok(out)


@router.get(
    "/v2/webhooks/{webhookId}/deliveries",
    summary="List a webhook's deliveries (Slotwise extension)",
    tags=["Webhooks (Slotwise extensions)"],
)
async def get_deliveries(
    webhookId: ParamText, user: CurrentUser, session: DbSession, take: Take = 250, skip: Skip = 0
) -> dict[str, Any]:
    """Every delivery attempt of one of the caller's webhooks (user or event type), newest
    first: trigger, success, status code, duration (ms), attempt, error."""
    webhook = await service.owned_webhook(session, user, webhookId)
    rows, total = await service.list_deliveries(session, webhook, skip=skip, take=take)
    return ok(
        [delivery_output(d) for d in rows],
        pagination={"totalItems": total, "skip": skip, "take": take},
    )


@router.post(
    "/v2/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver",
    status_code=202,
    summary="Deliver a logged event again (Slotwise extension)",
    tags=["Webhooks (Slotwise extensions)"],
)
async def redeliver(
    webhookId: ParamText, deliveryId: ParamText, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Queue the event of one delivery again, for now; answers the new delivery job."""
    webhook = await service.owned_webhook(session, user, webhookId)
    job = await service.redeliver(session, webhook, deliveryId)
    return ok({"jobId": job.id, "status": job.status, "runAt": iso_utc(job.run_at)})
