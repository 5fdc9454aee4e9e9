"""A test ping of a webhook: one signed POST with the trigger ``PING``, sent at once (not
queued, not retried), its outcome returned and written to the delivery log.

The request is the deliveries' (:mod:`slotwise.webhooks.delivery`): the same URL checks at
connection time (:class:`~slotwise.webhooks.urls.PinnedTransport`, private networks refused
when ``block_private_networks``), no redirects followed, ``X-Cal-Signature-256`` over the exact
body, ``X-Cal-Webhook-Version``, and ``X-Slotwise-Delivery-Id`` ``ping-<uuid>``. The body is
always JSON (a custom payload template is not applied: a ping has no booking to fill it)::

    {"triggerEvent": "PING", "createdAt": "...", "payload": {"type": "Test", ...}}

Sending holds no database transaction: callers read the webhook into a :class:`PingTarget`,
finish their transaction, :func:`send_ping`, then :func:`log_ping` in a new one.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

import httpx2
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.config import Settings
from slotwise.kit import clock
from slotwise.kit.envelope import iso_utc
from slotwise.models import Webhook, WebhookDelivery
from slotwise.webhooks.delivery import USER_AGENT, signature
from slotwise.webhooks.schemas import WEBHOOK_VERSION
from slotwise.webhooks.urls import PinnedTransport, UnsafeUrl

PING = "PING"
EXCERPT = 500
"""Characters of the receiver's answer kept for display."""


@dataclass(frozen=True)
class PingTarget:
    """What a ping needs of a webhook, read before the transaction ends."""

    webhook_id: int
    url: str
    secret: str | None
    version: str

    @classmethod
    def of(cls, webhook: Webhook) -> PingTarget:
        return cls(
            webhook.id, webhook.subscriber_url, webhook.secret, webhook.version or WEBHOOK_VERSION
        )


@dataclass(frozen=True)
class PingResult:
    """The outcome of a ping: ``success`` for a 2xx answer; ``status_code`` None when no
    answer arrived (``error`` says why); ``response`` the start of the answer's body."""

    success: bool
    status_code: int | None
    duration_ms: int | None
    error: str | None
    response: str = ""


def ping_body(webhook_id: int) -> dict[str, object]:
    """The JSON body of a ping."""
    now = iso_utc(clock.now())
    return {
        "triggerEvent": PING,
        "createdAt": now,
        "payload": {"type": "Test", "title": "Slotwise test ping", "webhookId": webhook_id},
    }


async def send_ping(target: PingTarget, settings: Settings) -> PingResult:
    """POST a ping to ``target`` and say how it went (never raises for the receiver's
    failures)."""
    body = json.dumps(ping_body(target.webhook_id), separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Cal-Signature-256": signature(target.secret, body),
        "X-Cal-Webhook-Version": target.version,
        "X-Slotwise-Delivery-Id": f"ping-{uuid.uuid4()}",
        "User-Agent": USER_AGENT,
    }
    timeout = settings.webhook_timeout_seconds
    started = time.perf_counter()
    async with httpx2.AsyncClient(
        transport=PinnedTransport(block_private=settings.block_private_networks, trust_env=False),
        timeout=httpx2.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=False,
        trust_env=False,
    ) as client:
        try:
            response = await client.post(target.url, content=body, headers=headers)
        except UnsafeUrl as exc:
            return PingResult(False, None, None, str(exc))
        except httpx2.HTTPError as exc:
            elapsed = round((time.perf_counter() - started) * 1000)
            return PingResult(False, None, elapsed, f"{type(exc).__name__}: {exc}")
    elapsed = round((time.perf_counter() - started) * 1000)
    ok = 200 <= response.status_code < 300
    error = None if ok else f"receiver answered HTTP {response.status_code}"
    excerpt = response.text[:EXCERPT] if response.content else ""
    return PingResult(ok, response.status_code, elapsed, error, excerpt)


async def log_ping(session: AsyncSession, target: PingTarget, result: PingResult) -> None:
    """Write ``result`` to the webhook's delivery log (nothing when the webhook is gone)."""
    if await session.get(Webhook, target.webhook_id) is None:
        return
    session.add(
        WebhookDelivery(
            webhook_id=target.webhook_id,
            job_id=None,
            trigger=PING,
            attempt=1,
            success=result.success,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            error=result.error,
            created_at=clock.now(),
        )
    )
    await session.flush()
