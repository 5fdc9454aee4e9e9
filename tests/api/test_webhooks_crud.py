"""Webhook CRUD through HTTP, on SQLite and PostgreSQL: /v2/webhooks and
/v2/event-types/{id}/webhooks in Cal.com's shapes, ownership, URL safety."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.webhooks.schemas import TRIGGERS
from tests.api.booking_fixtures import make_event_type
from tests.conftest import Host

URL = "https://hooks.example.com/cal"


def body(**extra: Any) -> dict[str, Any]:
    return {"subscriberUrl": URL, "triggers": ["BOOKING_CREATED"], "active": True, **extra}


async def test_user_webhook_lifecycle(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post(
        "/v2/webhooks",
        json=body(secret="s3cret", payloadTemplate='{"t":"{{title}}"}'),
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    created = r.json()["data"]
    assert created == {
        "id": created["id"],
        "payloadTemplate": '{"t":"{{title}}"}',
        "triggers": ["BOOKING_CREATED"],
        "subscriberUrl": URL,
        "active": True,
        "userId": host.id,
        "secret": "s3cret",
    }
    wid = created["id"]
    r = await client.get(f"/v2/webhooks/{wid}", headers=host.headers)
    assert r.status_code == 200 and r.json()["data"] == created
    r = await client.patch(
        f"/v2/webhooks/{wid}",
        json={"active": False, "triggers": ["BOOKING_CANCELLED"], "payloadTemplate": None},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    updated = r.json()["data"]
    assert (updated["active"], updated["triggers"], updated["payloadTemplate"]) == (
        False,
        ["BOOKING_CANCELLED"],
        None,
    )
    assert updated["secret"] == "s3cret" and updated["subscriberUrl"] == URL
    r = await client.get("/v2/webhooks", headers=host.headers)
    assert r.status_code == 200 and [w["id"] for w in r.json()["data"]] == [wid]
    r = await client.delete(f"/v2/webhooks/{wid}", headers=host.headers)
    assert r.status_code == 200 and r.json()["data"]["id"] == wid
    r = await client.get(f"/v2/webhooks/{wid}", headers=host.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "NotFoundException"


async def test_inputs(client: httpx2.AsyncClient, host: Host) -> None:
    # eventTriggers is an alias of triggers; every trigger of the enum is accepted; any
    # cal-api-version header is fine.
    r = await client.post(
        "/v2/webhooks",
        json={"subscriberUrl": URL, "eventTriggers": list(TRIGGERS), "active": True},
        headers={**host.headers, "cal-api-version": "2024-08-13"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["triggers"] == list(TRIGGERS)
    assert "secret" not in r.json()["data"]
    # payloadTemplate null (the docs' migration example) is fine
    r = await client.post(
        "/v2/webhooks",
        json=body(subscriberUrl=URL + "/2", payloadTemplate=None),
        headers=host.headers,
    )
    assert r.status_code == 201 and r.json()["data"]["payloadTemplate"] is None
    # same URL twice → 409
    r = await client.post("/v2/webhooks", json=body(), headers=host.headers)
    assert r.status_code == 409
    assert r.json()["error"]["message"] == (
        "Webhook with this subscriber url already exists for this user"
    )
    bad = [
        {"subscriberUrl": URL, "triggers": ["BOOKING_COMPLETED"], "active": True},
        {"subscriberUrl": URL, "triggers": ["BOOKING_CREATED"]},
        {"triggers": ["BOOKING_CREATED"], "active": True},
        body(color="red"),
        body(version="2099-01-01"),
        body(active="yes please"),
    ]
    for payload in bad:
        r = await client.post("/v2/webhooks", json=payload, headers=host.headers)
        assert r.status_code == 400, (payload, r.text)
        assert r.json()["error"]["code"] == "BadRequestException"
    r = await client.patch("/v2/webhooks/1", json={"active": None}, headers=host.headers)
    assert r.status_code in (400, 404)
    r = await client.get("/v2/webhooks", headers={})
    assert r.status_code == 401
    r = await client.get("/v2/webhooks/not-a-number", headers=host.headers)
    assert r.status_code == 404
    r = await client.get("/v2/webhooks?take=0", headers=host.headers)
    assert r.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://100.100.100.200/",
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http:///nohost",
    ],
)
async def test_always_refused_urls(client: httpx2.AsyncClient, host: Host, url: str) -> None:
    r = await client.post("/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers)
    assert r.status_code == 400, r.text


async def test_private_networks_allowed_by_default(client: httpx2.AsyncClient, host: Host) -> None:
    for url in ("http://127.0.0.1:9/hook", "http://10.0.0.5/hook", "http://localhost:8080/x"):
        r = await client.post("/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers)
        assert r.status_code == 201, r.text


@pytest.fixture
async def strict_client(settings: Settings, app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    strict = create_app(settings.model_copy(update={"webhook_block_private_networks": True}))
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=strict), base_url="http://slotwise.test"
    ) as c:
        yield c
    await strict.state.db.dispose()


async def test_private_networks_refused_when_blocked(
    strict_client: httpx2.AsyncClient, host: Host
) -> None:
    for url in (
        "http://127.0.0.1:9/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://169.254.1.1/",
        "http://localhost:8080/x",
        "http://[64:ff9b::7f00:1]/",
    ):
        r = await strict_client.post(
            "/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers
        )
        assert r.status_code == 400, (url, r.text)
    r = await strict_client.post("/v2/webhooks", json=body(), headers=host.headers)
    assert r.status_code == 201
    r = await strict_client.patch(
        f"/v2/webhooks/{r.json()['data']['id']}",
        json={"subscriberUrl": "http://127.0.0.1/"},
        headers=host.headers,
    )
    assert r.status_code == 400


async def test_someone_elses_webhooks_are_not_found(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    r = await client.post("/v2/webhooks", json=body(), headers=host.headers)
    wid = r.json()["data"]["id"]
    for method in ("GET", "DELETE"):
        r = await client.request(method, f"/v2/webhooks/{wid}", headers=other_host.headers)
        assert r.status_code == 404
    r = await client.patch(
        f"/v2/webhooks/{wid}", json={"active": False}, headers=other_host.headers
    )
    assert r.status_code == 404
    r = await client.get("/v2/webhooks", headers=other_host.headers)
    assert r.json()["data"] == []
    # the same URL may be used by another user
    r = await client.post("/v2/webhooks", json=body(), headers=other_host.headers)
    assert r.status_code == 201


async def test_event_type_webhooks(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    et = await make_event_type(app, host)
    other_et = await make_event_type(app, other_host, slug="other", with_schedule=False)
    base = f"/v2/event-types/{et}/webhooks"
    r = await client.post(base, json=body(secret="x"), headers=host.headers)
    assert r.status_code == 201, r.text
    first = r.json()["data"]
    assert first["eventTypeId"] == et and "userId" not in first and first["secret"] == "x"
    r = await client.post(base, json=body(), headers=host.headers)
    assert r.status_code == 409
    assert "for this event type" in r.json()["error"]["message"]
    r = await client.post(base, json=body(subscriberUrl=URL + "/2"), headers=host.headers)
    second = r.json()["data"]
    # a user webhook with the same URL is another scope
    r = await client.post("/v2/webhooks", json=body(), headers=host.headers)
    assert r.status_code == 201
    user_hook = r.json()["data"]["id"]
    r = await client.get(base, headers=host.headers)
    assert [w["id"] for w in r.json()["data"]] == [first["id"], second["id"]]
    r = await client.get(f"{base}?take=1&skip=1", headers=host.headers)
    assert [w["id"] for w in r.json()["data"]] == [second["id"]]
    r = await client.get(f"{base}/{first['id']}", headers=host.headers)
    assert r.json()["data"] == first
    r = await client.patch(
        f"{base}/{first['id']}", json={"eventTriggers": ["MEETING_ENDED"]}, headers=host.headers
    )
    assert r.status_code == 200 and r.json()["data"]["triggers"] == ["MEETING_ENDED"]
    # a user webhook is not reachable through the event type, nor the reverse
    r = await client.get(f"{base}/{user_hook}", headers=host.headers)
    assert r.status_code == 404
    r = await client.get(f"/v2/webhooks/{first['id']}", headers=host.headers)
    assert r.status_code == 404
    # someone else's event type
    for method in ("GET", "DELETE"):
        r = await client.request(
            method, f"/v2/event-types/{other_et}/webhooks", headers=host.headers
        )
        assert r.status_code == 404
    r = await client.post(f"/v2/event-types/{other_et}/webhooks", json=body(), headers=host.headers)
    assert r.status_code == 404
    r = await client.delete(f"{base}/{second['id']}", headers=host.headers)
    assert r.status_code == 200 and r.json()["data"]["id"] == second["id"]
    r = await client.post(base, json=body(subscriberUrl=URL + "/3"), headers=host.headers)
    r = await client.delete(base, headers=host.headers)
    assert r.status_code == 200
    assert r.json() == {"status": "success", "data": "2 webhooks deleted"}
    r = await client.get(base, headers=host.headers)
    assert r.json()["data"] == []
    r = await client.get(f"/v2/webhooks/{user_hook}", headers=host.headers)
    assert r.status_code == 200
