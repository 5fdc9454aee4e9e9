"""Request bodies and outputs of the webhook endpoints (Cal.com's ``CreateWebhookInputDto``,
``UpdateWebhookInputDto``, ``UserWebhookOutputDto``, ``EventTypeWebhookOutputDto``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field

from slotwise.kit.envelope import iso_utc
from slotwise.kit.schemas import NonNull, StrictInput
from slotwise.models import Webhook, WebhookDelivery
from slotwise.webhooks.urls import redact_userinfo

#: Every trigger of the reference enum, plus INSTANT_MEETING_ACCEPTED from the docs.
TRIGGERS: tuple[str, ...] = (
    "BOOKING_CREATED",
    "BOOKING_PAYMENT_INITIATED",
    "BOOKING_PAID",
    "BOOKING_RESCHEDULED",
    "BOOKING_REQUESTED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
    "FORM_SUBMITTED",
    "MEETING_ENDED",
    "MEETING_STARTED",
    "RECORDING_READY",
    "INSTANT_MEETING",
    "RECORDING_TRANSCRIPTION_GENERATED",
    "OOO_CREATED",
    "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
    "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
    "FORM_SUBMITTED_NO_EVENT",
    "ROUTING_FORM_FALLBACK_HIT",
    "DELEGATION_CREDENTIAL_ERROR",
    "WRONG_ASSIGNMENT_REPORT",
    "INSTANT_MEETING_ACCEPTED",
)
Trigger = Literal[
    "BOOKING_CREATED",
    "BOOKING_PAYMENT_INITIATED",
    "BOOKING_PAID",
    "BOOKING_RESCHEDULED",
    "BOOKING_REQUESTED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
    "FORM_SUBMITTED",
    "MEETING_ENDED",
    "MEETING_STARTED",
    "RECORDING_READY",
    "INSTANT_MEETING",
    "RECORDING_TRANSCRIPTION_GENERATED",
    "OOO_CREATED",
    "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
    "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
    "FORM_SUBMITTED_NO_EVENT",
    "ROUTING_FORM_FALLBACK_HIT",
    "DELEGATION_CREDENTIAL_ERROR",
    "WRONG_ASSIGNMENT_REPORT",
    "INSTANT_MEETING_ACCEPTED",
]
WEBHOOK_VERSION = "2021-10-20"
MAX_TEMPLATE = 65_536
"""Characters of a custom payload template (64 Ki)."""
_TRIGGERS_ALIAS = AliasChoices("triggers", "eventTriggers")


class CreateWebhookInput(StrictInput):
    """``CreateWebhookInputDto``; ``eventTriggers`` is accepted for ``triggers`` (the docs'
    agents guide and API v1 use it)."""

    payloadTemplate: str | None = Field(
        None,
        max_length=MAX_TEMPLATE,
        description="Custom payload: JSON (or text) with {{variable}} placeholders",
    )
    active: bool = Field(description="Whether the webhook fires")
    subscriberUrl: str = Field(min_length=1, max_length=2000, description="http(s) URL")
    triggers: list[Trigger] = Field(validation_alias=_TRIGGERS_ALIAS, max_length=50)
    secret: str | None = Field(None, max_length=500, description="Signs each delivery")
    version: Literal["2021-10-20"] | None = Field(None, description="Payload version")


class UpdateWebhookInput(StrictInput):
    """``UpdateWebhookInputDto``: every field optional; ``null`` clears ``payloadTemplate`` and
    ``secret`` and is refused (400) for ``active``, ``subscriberUrl`` and ``triggers``."""

    payloadTemplate: str | None = Field(None, max_length=MAX_TEMPLATE)
    active: NonNull[bool] = None
    subscriberUrl: NonNull[Annotated[str, Field(min_length=1, max_length=2000)]] = None
    triggers: NonNull[list[Trigger]] = Field(None, validation_alias=_TRIGGERS_ALIAS, max_length=50)
    secret: str | None = Field(None, max_length=500)
    version: Literal["2021-10-20"] | None = None


def webhook_output(webhook: Webhook) -> dict[str, Any]:
    """``UserWebhookOutputDto`` (user webhooks: ``userId``) or ``EventTypeWebhookOutputDto``
    (``eventTypeId``). ``secret`` is included when set: only those who manage the webhook reach
    these outputs. ``payloadTemplate`` is null when unset, as Cal.com answers."""
    out: dict[str, Any] = {
        "id": webhook.id,
        "payloadTemplate": webhook.payload_template,
        "triggers": list(webhook.triggers or []),
        "subscriberUrl": redact_userinfo(webhook.subscriber_url),
        "active": bool(webhook.active),
    }
    if webhook.event_type_id is not None:
        out["eventTypeId"] = webhook.event_type_id
    else:
        out["userId"] = webhook.user_id
    if webhook.secret:
        out["secret"] = webhook.secret
    return out


def delivery_output(delivery: WebhookDelivery) -> dict[str, Any]:
    """One entry of the delivery log (our extension, docs/extensions.md)."""
    return {
        "id": delivery.id,
        "webhookId": delivery.webhook_id,
        "trigger": delivery.trigger,
        "success": bool(delivery.success),
        "statusCode": delivery.status_code,
        "durationMs": delivery.duration_ms,
        "attempt": delivery.attempt,
        "error": delivery.error,
        "jobId": delivery.job_id,
        "createdAt": iso_utc(delivery.created_at),
    }
