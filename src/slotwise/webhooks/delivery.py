"""The webhook job handlers: deliver one event to one webhook, and fan out MEETING_* events.

A delivery POSTs the body (or the webhook's custom template rendered with it) with headers
``Content-Type``, ``X-Cal-Signature-256`` (hex HMAC-SHA256 of the exact body bytes with the
webhook's secret, or ``no-secret-provided``), ``X-Cal-Webhook-Version`` and the extension
``X-Slotwise-Delivery-Id`` (the same for every attempt of one event to one webhook, and for its
manual redeliveries, so that receivers can deduplicate: the job's id, or the ``deliveryId`` its
payload carries). Any 2xx is
success; anything else (3xx included: redirects are not followed), a timeout or a connection
error is a failed attempt, retried per ``SLOTWISE_WEBHOOK_RETRY_SCHEDULE``. A URL that is
refused at delivery (:mod:`slotwise.webhooks.urls`: a forbidden address, also embedded or
spelled as a number, or user info, which is never sent as Basic auth) fails at once, before any
connection is attempted. Every attempt is written to the delivery log (``webhook_deliveries``)
in the transaction that records the job's outcome.
The webhook is read at delivery: a deleted or deactivated webhook gets nothing; a changed URL,
secret or template applies to pending retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

import httpx2
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.jobs import JobContext, PermanentJobError, job_handler
from slotwise.jobs.registry import webhook_backoff, webhook_max_attempts
from slotwise.kit.db import transaction
from slotwise.kit.envelope import iso_utc
from slotwise.kit.metrics import webhook_delivered
from slotwise.kit.tracing import httpx2_event_hooks
from slotwise.models import Webhook, WebhookDelivery, utcnow
from slotwise.webhooks import payloads
from slotwise.webhooks.events import DELIVER, MEETING, enqueue_deliveries
from slotwise.webhooks.repository import booking_by_uid, subscribed_webhooks, webhook_by_id
from slotwise.webhooks.schemas import WEBHOOK_VERSION
from slotwise.webhooks.templates import render
from slotwise.webhooks.urls import PinnedTransport, UnsafeUrl

log = logging.getLogger("slotwise.webhooks")
_CLIENT = "webhooks.http"
NO_SECRET = "no-secret-provided"
USER_AGENT = "Slotwise-Webhooks/1"


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx, or could not be reached."""


def signature(secret: str | None, body: bytes) -> str:
    """``X-Cal-Signature-256``: hex HMAC-SHA256 of ``body`` with ``secret``."""
    if not secret:
        return NO_SECRET
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def request_body(
    webhook: Webhook, trigger: str, body: dict[str, Any], base_url: str
) -> tuple[str, bytes]:
    """``(content_type, bytes)`` to send for ``body``: the custom template rendered with the
    event's variables, or the JSON body itself (always for MEETING_*). ``bookerUrl`` is set in
    booking payloads."""
    inner = body.get("payload")
    if isinstance(inner, dict) and "uid" in inner and "bookerUrl" not in inner:
        body = {**body, "payload": {"bookerUrl": base_url, **inner}}
    flat = trigger in ("MEETING_STARTED", "MEETING_ENDED")
    if webhook.payload_template and not flat and isinstance(body.get("payload"), dict):
        variables = {
            **body["payload"],
            "triggerEvent": body.get("triggerEvent"),
            "createdAt": body.get("createdAt"),
        }
        content_type, text = render(webhook.payload_template, variables)
        return content_type, text.encode()
    return "application/json", json.dumps(body, separators=(",", ":")).encode()


def _client(ctx: JobContext) -> httpx2.AsyncClient:
    client = ctx.resources.get(_CLIENT)
    if not isinstance(client, httpx2.AsyncClient):
        timeout = ctx.settings.webhook_timeout_seconds
        client = httpx2.AsyncClient(
            transport=PinnedTransport(
                block_private=ctx.settings.block_private_networks, trust_env=False
            ),
            timeout=httpx2.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
            trust_env=False,
            event_hooks=httpx2_event_hooks(),  # spans + traceparent when tracing is on
        )
        ctx.resources[_CLIENT] = client
    return client


def delivery_id(payload: dict[str, Any], job_id: int) -> str:
    """The ``X-Slotwise-Delivery-Id`` of a delivery job: its payload's ``deliveryId`` (set on
    redeliveries, the original's id) or the job's own id, as a string."""
    return str(payload.get("deliveryId") or job_id)


def _log_attempt(ctx: JobContext, webhook_id: int, trigger: str, **fields: Any) -> None:
    """Add this attempt to the delivery log, committed with the job's outcome."""
    row = WebhookDelivery(
        webhook_id=webhook_id,
        job_id=ctx.job_id,
        trigger=trigger,
        attempt=ctx.attempt,
        created_at=utcnow(),
        **fields,
    )

    async def write(session: AsyncSession) -> None:
        session.add(row)

    ctx.write_with_outcome(write)


@job_handler(DELIVER, backoff=webhook_backoff, max_attempts=webhook_max_attempts)
async def deliver(payload: dict[str, Any], ctx: JobContext) -> None:
    """Send one event to one webhook. Payload: ``{"webhookId", "trigger", "body"}``."""
    webhook_id, trigger = int(payload["webhookId"]), str(payload["trigger"])
    async with transaction(ctx.db, write=False) as session:
        webhook = await webhook_by_id(session, webhook_id)
    if webhook is None or not webhook.active:
        log.info("job %s: webhook %s is gone or inactive, nothing sent", ctx.job_id, webhook_id)
        return
    content_type, body = request_body(
        webhook, trigger, dict(payload["body"]), ctx.settings.base_url
    )
    headers = {
        "Content-Type": content_type,
        "X-Cal-Signature-256": signature(webhook.secret, body),
        "X-Cal-Webhook-Version": webhook.version or WEBHOOK_VERSION,
        "X-Slotwise-Delivery-Id": delivery_id(payload, ctx.job_id),
        "User-Agent": USER_AGENT,
    }
    started = time.perf_counter()
    try:
        response = await _client(ctx).post(webhook.subscriber_url, content=body, headers=headers)
    except UnsafeUrl as exc:
        _log_attempt(ctx, webhook_id, trigger, success=False, error=str(exc))
        webhook_delivered(False, None)
        raise PermanentJobError(str(exc)) from exc
    except httpx2.HTTPError as exc:
        elapsed = round((time.perf_counter() - started) * 1000)
        error = f"{type(exc).__name__}: {exc}"
        _log_attempt(ctx, webhook_id, trigger, success=False, duration_ms=elapsed, error=error)
        webhook_delivered(False, None)
        raise DeliveryFailed(error) from exc
    elapsed = round((time.perf_counter() - started) * 1000)
    ok = 200 <= response.status_code < 300
    failure = f"receiver answered HTTP {response.status_code}"
    _log_attempt(
        ctx, webhook_id, trigger, success=ok, status_code=response.status_code,
        duration_ms=elapsed, error=None if ok else failure,
    )  # fmt: skip
    webhook_delivered(ok, ctx.created_at)
    if not ok:
        raise DeliveryFailed(failure)


@job_handler(MEETING)
async def meeting(payload: dict[str, Any], ctx: JobContext) -> None:
    """At a booking's start (end): send MEETING_STARTED (MEETING_ENDED) to the webhooks
    subscribed now, if the booking is still accepted at that time. Payload: ``{"bookingUid",
    "trigger", "at"}`` (``at``: the start or end the job was scheduled for)."""
    uid, trigger = str(payload["bookingUid"]), str(payload["trigger"])
    async with transaction(ctx.db, write=True) as session:
        booking = await booking_by_uid(session, uid)
        if booking is None or booking.status != "accepted":
            return
        at = booking.start_time if trigger == "MEETING_STARTED" else booking.end_time
        if iso_utc(at) != payload.get("at"):
            return  # moved since: the reschedule scheduled a new job
        hooks = await subscribed_webhooks(session, booking.user_id, booking.event_type_id)
        ctx_b = await payloads.load_context(session, booking)
        body = payloads.meeting_body(ctx_b, trigger)
        dedupe = f"meeting:{uid}:{trigger.removeprefix('MEETING_').lower()}:deliver"
        await enqueue_deliveries(session, hooks, trigger, body, dedupe=dedupe)
