"""Settings › Webhooks of the web app: create, edit, delete, test ping, delivery log and
redelivery."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from slotwise.jobs import enqueue
from slotwise.kit.db import Database
from slotwise.models import Job, WebhookDelivery
from slotwise.webhooks.service import DELIVER
from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post
from tests.webhook_receiver import Receiver

BASE = "/app/settings/webhooks"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = await Receiver().start()
    yield r
    await r.stop()


async def api_hooks(client: httpx2.AsyncClient, host: Host) -> list[dict[str, Any]]:
    answer = await client.get("/v2/webhooks", headers=host.headers)
    assert answer.status_code == 200
    return list(answer.json()["data"])


async def make_hook(client: httpx2.AsyncClient, url: str, **extra: Any) -> str:
    data = {
        "subscriberUrl": url,
        "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
        "active": "true",
        "secret": "s3cret",
        **extra,
    }
    answer = await app_post(client, f"{BASE}/new", BASE, data)
    assert answer.status_code == 303, answer.text[:3000]
    location = answer.headers["location"]
    match = re.match(rf"{BASE}/(\d+)\?flash=created", location)
    assert match, location
    return match.group(1)


async def test_create_edit_delete(app_client: httpx2.AsyncClient, host: Host) -> None:
    hook_id = await make_hook(app_client, "https://example.com/hook")
    [hook] = await api_hooks(app_client, host)
    assert hook["subscriberUrl"] == "https://example.com/hook"
    assert hook["triggers"] == ["BOOKING_CREATED", "BOOKING_CANCELLED"]
    assert (hook["active"], hook["secret"]) == (True, "s3cret")
    listing = await app_get(app_client, BASE)
    assert "https://example.com/hook" in listing.text
    page = f"{BASE}/{hook_id}"
    edited = await app_post(
        app_client,
        page,
        page,
        {
            "subscriberUrl": "https://example.com/other",
            "triggers": ["MEETING_ENDED"],
            "payloadTemplate": '{"t": "{{triggerEvent}}"}',
            "secret": "",
        },
    )
    assert edited.status_code == 303
    [hook] = await api_hooks(app_client, host)
    assert hook["subscriberUrl"] == "https://example.com/other"
    assert (hook["triggers"], hook["active"]) == (["MEETING_ENDED"], False)
    assert hook["payloadTemplate"] == '{"t": "{{triggerEvent}}"}'
    assert hook["secret"] == "s3cret"  # an empty secret field keeps it
    cleared = await app_post(
        app_client, page, page,
        {"subscriberUrl": "https://example.com/other", "triggers": ["MEETING_ENDED"],
         "clearSecret": "true", "active": "true"},
    )  # fmt: skip
    assert cleared.status_code == 303
    [hook] = await api_hooks(app_client, host)
    assert "secret" not in hook and hook["active"] is True
    deleted = await app_post(app_client, page, f"{page}/delete", {})
    assert deleted.status_code == 303
    assert await api_hooks(app_client, host) == []


async def test_refusals_are_shown(app_client: httpx2.AsyncClient, host: Host) -> None:
    bad = await app_post(
        app_client, f"{BASE}/new", BASE,
        {"subscriberUrl": "https://example.com/h", "triggers": ["NOT_A_TRIGGER"]},
    )  # fmt: skip
    assert bad.status_code == 400 and 'id="f-triggers-error"' in bad.text
    scheme = await app_post(
        app_client, f"{BASE}/new", BASE, {"subscriberUrl": "ftp://x", "triggers": []}
    )
    assert scheme.status_code == 400 and 'class="alert alert-error"' in scheme.text
    await make_hook(app_client, "https://example.com/dup")
    duplicate = await app_post(
        app_client, f"{BASE}/new", BASE,
        {"subscriberUrl": "https://example.com/dup", "triggers": ["BOOKING_CREATED"]},
    )  # fmt: skip
    assert duplicate.status_code == 400 and "already exists" in duplicate.text
    forged = await app_client.post(
        BASE,
        data={"subscriberUrl": "https://example.com/x", "triggers": "BOOKING_CREATED",
              "csrf_token": "forged"},
    )  # fmt: skip
    assert forged.status_code == 403
    assert len(await api_hooks(app_client, host)) == 1


async def test_another_users_webhook_is_not_found(
    app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    made = await app_client.post(
        "/v2/webhooks",
        json={"subscriberUrl": "https://example.com/bob", "triggers": ["BOOKING_CREATED"],
              "active": True},
        headers=other_host.headers,
    )  # fmt: skip
    assert made.status_code == 201
    theirs = f"{BASE}/{made.json()['data']['id']}"
    assert (await app_client.get(theirs)).status_code == 404
    for action in (
        theirs,
        f"{theirs}/delete",
        f"{theirs}/ping",
        f"{theirs}/deliveries/1/redeliver",
    ):
        answer = await app_post(
            app_client, BASE, action, {"subscriberUrl": "https://evil.example/", "triggers": []}
        )
        assert answer.status_code == 404, action
    [hook] = await api_hooks(app_client, other_host)
    assert hook["subscriberUrl"] == "https://example.com/bob"


async def test_ping_shows_the_result_and_is_logged(
    app: Any, app_client: httpx2.AsyncClient, host: Host, receiver: Receiver
) -> None:
    hook_id = await make_hook(app_client, receiver.url)
    page = f"{BASE}/{hook_id}"
    answer = await app_post(app_client, page, f"{page}/ping", {})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert 'id="ping-result"' in answer.text and "Ping succeeded" in answer.text
    assert "HTTP 200" in answer.text
    [request] = await receiver.wait_for(1)
    assert request.json()["triggerEvent"] == "PING"
    expected = hmac.new(b"s3cret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-cal-signature-256"] == expected
    log = await app_client.get(f"/v2/webhooks/{hook_id}/deliveries", headers=host.headers)
    [entry] = log.json()["data"]
    assert (entry["trigger"], entry["success"], entry["statusCode"]) == ("PING", True, 200)
    shown = await app_get(app_client, page)
    assert "PING" in shown.text
    receiver.status = 500
    failed = await app_post(app_client, page, f"{page}/ping", {})
    assert "Ping failed" in failed.text and "HTTP 500" in failed.text


async def test_redeliver_enqueues_the_event_again(
    app: Any, app_client: httpx2.AsyncClient, host: Host
) -> None:
    hook_id = int(await make_hook(app_client, "https://example.com/hook"))
    db: Database = app.state.db
    body = {"triggerEvent": "BOOKING_CREATED", "payload": {"uid": "x"}}
    async with db.write_sessions() as session, session.begin():
        job = await enqueue(
            session, DELIVER, {"webhookId": hook_id, "trigger": "BOOKING_CREATED", "body": body}
        )
        delivery = WebhookDelivery(
            webhook_id=hook_id, job_id=job.id, trigger="BOOKING_CREATED", attempt=3,
            success=False, status_code=502, duration_ms=12, error="receiver answered HTTP 502",
        )  # fmt: skip
        session.add(delivery)
        await session.flush()
        job_id, delivery_id = job.id, delivery.id
    page = f"{BASE}/{hook_id}"
    shown = await app_get(app_client, page)
    assert "HTTP 502" in shown.text and "BOOKING_CREATED" in shown.text
    action = f"{page}/deliveries/{delivery_id}/redeliver"
    assert f'action="{action}"' in shown.text
    answer = await app_post(app_client, page, action, {})
    assert answer.status_code == 303 and answer.headers["location"].endswith("flash=redelivered")
    async with db.read_sessions() as session:
        jobs = (await session.scalars(select(Job).where(Job.kind == DELIVER))).all()
    again = [j for j in jobs if j.id != job_id]
    assert len(again) == 1 and again[0].payload["redeliveryOf"] == delivery_id
    assert again[0].payload["body"] == body
    forged = await app_client.post(action, data={"csrf_token": "forged"})
    assert forged.status_code == 403
    missing = await app_post(app_client, page, f"{page}/deliveries/999999/redeliver", {})
    assert missing.status_code == 404
