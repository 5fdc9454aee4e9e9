"""Cross-cutting behaviour: health, version routing, rate limits (memory and Redis), CORS,
time zones, OpenAPI."""

from __future__ import annotations

import os
from typing import Any

import httpx2
import pytest
import redis

from slotwise.app import create_app
from slotwise.config import Settings
from tests.conftest import IN_CI, Host
from tests.subprocesses import free_port

REDIS_URL = os.environ.get("SLOTWISE_TEST_REDIS", "redis://127.0.0.1:6379/0")


async def test_health(client: httpx2.AsyncClient) -> None:
    r = await client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


async def test_versioned_path_without_header_names_the_version(
    client: httpx2.AsyncClient, host: Host
) -> None:
    r = await client.get("/v2/schedules", headers=host.headers)
    assert r.status_code == 404
    body = r.json()
    assert body["error"]["code"] == "NotFoundException"
    assert "cal-api-version: 2024-06-11" in body["error"]["message"]
    r = await client.get("/v2/bookings", headers=host.headers)
    assert "2024-08-13" in r.json()["error"]["message"]


async def test_unknown_path_is_404_envelope(client: httpx2.AsyncClient) -> None:
    r = await client.get("/v2/nothing-here")
    assert r.status_code == 404
    assert r.json()["status"] == "error"
    assert r.json()["path"] == "/v2/nothing-here"


async def test_timezones(client: httpx2.AsyncClient) -> None:
    r = await client.get("/v2/timezones")
    assert r.status_code == 200
    zones = r.json()["data"]
    assert "Europe/Rome" in zones
    assert "Asia/Kathmandu" in zones


async def test_openapi_lists_served_operations(client: httpx2.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    for path, method in [
        ("/v2/me", "get"),
        ("/v2/me", "patch"),
        ("/v2/schedules", "post"),
        ("/v2/event-types", "get"),
        ("/v2/slots", "get"),
        ("/v2/slots/reservations", "post"),
        ("/v2/bookings", "post"),
        ("/v2/bookings/{bookingUid}/cancel", "post"),
    ]:
        assert method in paths.get(path, {}), (method, path)


async def test_cors_preflight_on_public_endpoint(client: httpx2.AsyncClient) -> None:
    r = await client.options(
        "/v2/slots",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] in ("*", "https://example.org")


def _limited_app(settings: Settings, per_minute: int, redis_url: str | None = None) -> Any:
    return create_app(
        settings.model_copy(update={"rate_limit_per_minute": per_minute, "redis_url": redis_url})
    )


async def test_rate_limit_per_key_with_headers(settings: Settings, host: Host) -> None:
    app = _limited_app(settings, 3)
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        codes = []
        for _ in range(4):
            r = await c.get("/v2/me", headers=host.headers)
            codes.append(r.status_code)
        assert codes == [200, 200, 200, 429]
        assert r.headers["x-ratelimit-limit"] == "3"
        assert r.headers["x-ratelimit-remaining"] == "0"
        assert int(r.headers["retry-after"]) >= 1
        assert r.json()["error"]["code"] == "TooManyRequestsException"
        # anonymous callers are counted separately (per client IP)
        anon = await c.get("/v2/timezones")
        assert anon.status_code == 200
        assert anon.headers["x-ratelimit-remaining"] == "2"
    await app.state.db.dispose()


async def test_rate_limit_shared_through_redis(settings: Settings, host: Host) -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis not reachable under CI=true: {exc}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    # a fresh valid key per run: its own bucket, not shared with earlier runs in Redis
    first = _limited_app(settings, 2, REDIS_URL)
    second = _limited_app(settings, 2, REDIS_URL)
    hdr = host.headers
    codes = []
    for app in (first, second, first):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
            codes.append((await c.get("/v2/timezones", headers=hdr)).status_code)
    assert codes == [200, 200, 429]
    for app in (first, second):
        await app.state.db.dispose()


async def test_rate_limit_fails_open_when_redis_is_down(
    settings: Settings, host: Host, caplog: pytest.LogCaptureFixture
) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app = _limited_app(settings, 1, dead)
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        with caplog.at_level("WARNING", logger="slotwise.ratelimit"):
            answers = [await c.get("/v2/me", headers=host.headers) for _ in range(3)]
    # Over the limit of 1, yet every request is served (and carries no rate-limit headers).
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert all("x-ratelimit-limit" not in r.headers for r in answers)
    warnings = [r for r in caplog.records if "rate limiting is off" in r.getMessage()]
    assert len(warnings) == 1  # once, not per request
    await app.state.db.dispose()


async def test_out_of_range_values_are_400_not_500(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.patch("/v2/me", json={"name": "nul\u0000byte"}, headers=host.headers)
    assert r.status_code in (200, 400)  # SQLite stores NUL; PostgreSQL refuses it with a 400
    assert r.json()["status"] == ("success" if r.status_code == 200 else "error")
    r = await client.get(
        "/v2/schedules/99999999999",
        headers={**host.headers, "cal-api-version": "2024-06-11"},
    )
    assert r.status_code in (400, 404)
