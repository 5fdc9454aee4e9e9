"""Request ids, cheap error handling, body limits, rate-limit buckets and trusted proxies.

The error-handling tests assert the mechanism, not a time: an unhandled error is answered with
Cal.com's 500 envelope, logged in one line naming the request id with no traceback at error
level, and the keep-alive connection it came on keeps working (through a real uvicorn server).
/health latency under a burst of 500s is measured by bench/error_burst.py.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import Request
from pydantic import SecretStr
from sqlalchemy import text

from slotwise.app import create_app
from slotwise.config import Settings
from tests.conftest import Host
from tests.thread_server import serve_in_thread

FAIL_PATH = "/v2/test-only/fail"
PEER_PATH = "/v2/test-only/peer"


def _add_test_routes(app: Any) -> None:
    """Routes that exist in these tests only: one fails on purpose, one names the TCP peer."""

    async def fail() -> dict[str, Any]:
        raise RuntimeError("failing on purpose\n" + "x" * 5000)

    async def peer(request: Request) -> dict[str, Any]:
        client = request.client
        return {"host": client.host if client else None, "port": client.port if client else None}

    app.add_api_route(FAIL_PATH, fail, methods=["GET", "POST"])
    app.add_api_route(PEER_PATH, peer, methods=["GET"])
    # before the catch-all booking pages
    app.router.routes.insert(0, app.router.routes.pop())
    app.router.routes.insert(0, app.router.routes.pop())


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    """A real uvicorn server (own thread and loop) on an app with the test-only routes."""
    served = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'unused.db'}",
            worker_in_process=False,
            secret_key=SecretStr("test-secret-key"),
            outbox_dir=tmp_path / "outbox",
        )
    )
    _add_test_routes(served)
    with serve_in_thread(served, log_config=None, log_level="info", access_log=False) as url:
        yield url


def test_unhandled_error_is_one_line_and_the_connection_stays_usable(
    live_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    limits = httpx2.Limits(max_connections=1, max_keepalive_connections=1)
    with httpx2.Client(base_url=live_url, limits=limits, timeout=10) as c:
        before = c.get(PEER_PATH)
        assert before.status_code == 200
        failed = c.get(FAIL_PATH, headers={"X-Request-Id": "trace-abc.123"})
        after = c.get(PEER_PATH)
        posted = c.post(FAIL_PATH, json={"x": 1})
        health = c.get("/health")

    assert failed.status_code == 500
    body = failed.json()
    assert body["status"] == "error"
    assert body["error"]["code"] == "InternalServerErrorException"
    assert "trace-abc.123" in body["error"]["message"]
    assert "failing on purpose" not in failed.text  # no internals in the answer
    assert failed.headers["x-request-id"] == "trace-abc.123"
    # the same keep-alive connection served the requests after the error
    assert after.status_code == 200 and after.json() == before.json()
    assert posted.status_code == 500 and health.status_code == 200

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the error must be logged"
    assert all(r.exc_info is None for r in errors), "no traceback at error level"
    assert all("Traceback" not in r.getMessage() for r in errors)
    mine = [r for r in errors if "trace-abc.123" in r.getMessage()]
    assert len(mine) == 1
    assert "RuntimeError" in mine[0].getMessage()
    assert len(mine[0].getMessage()) < 400


def test_traceback_is_kept_at_debug_level(live_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="slotwise.errors")
    with httpx2.Client(base_url=live_url, timeout=10) as c:
        assert c.get(FAIL_PATH, headers={"X-Request-Id": "dbg-1"}).status_code == 500
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG and r.exc_info]
    assert len(debug) == 1 and "dbg-1" in debug[0].getMessage()


async def test_every_response_carries_a_request_id(client: httpx2.AsyncClient, host: Host) -> None:
    answers = [
        await client.get("/health"),
        await client.get("/v2/me", headers=host.headers),  # 200
        await client.get("/v2/me"),  # 401
        await client.get("/v2/nothing-here"),  # 404
        await client.post("/v2/schedules", json={}, headers=host.headers),  # 400
        await client.get("/openapi.json"),
    ]
    ids = [r.headers.get("x-request-id") for r in answers]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)  # fresh ids when none is sent
    echoed = await client.get("/v2/me", headers={**host.headers, "X-Request-Id": "abc-123_x.y:z"})
    assert echoed.headers["x-request-id"] == "abc-123_x.y:z"
    for bad in ("a b", "x" * 129, "semi;colon", ""):
        r = await client.get("/health", headers={"X-Request-Id": bad})
        assert r.headers["x-request-id"] != bad
        assert len(r.headers["x-request-id"]) == 32


@pytest.fixture
async def small_limit_client(settings: Settings) -> AsyncIterator[httpx2.AsyncClient]:
    app = create_app(settings.model_copy(update={"max_body_bytes": 2048}))
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c
    await app.state.db.dispose()


async def test_bodies_over_the_limit_are_413(
    small_limit_client: httpx2.AsyncClient, host: Host
) -> None:
    c = small_limit_client
    big = {"name": "x" * 4000, "timeZone": "UTC", "isDefault": True, "availability": []}
    for headers in ({}, host.headers):  # anonymous and with a key
        r = await c.post("/v2/schedules", json=big, headers=headers)
        assert r.status_code == 413, r.text
        assert r.json()["error"]["code"] == "PayloadTooLargeException"
        assert "2048 bytes" in r.json()["error"]["message"]
        assert r.headers["x-request-id"]

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"name": "'
        for _ in range(10):
            yield b"y" * 500
        yield b'"}'

    r = await c.post(
        "/v2/schedules",
        content=chunks(),
        headers={
            **host.headers,
            "Content-Type": "application/json",
            "cal-api-version": "2024-06-11",
        },
    )
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "PayloadTooLargeException"
    listed = await c.get("/v2/schedules", headers={**host.headers, "cal-api-version": "2024-06-11"})
    assert listed.json()["data"] == []  # nothing stored
    small = await c.post(
        "/v2/schedules",
        json={"name": "ok", "timeZone": "UTC", "isDefault": True},
        headers={**host.headers, "cal-api-version": "2024-06-11"},
    )
    assert small.status_code == 201, small.text


def _limited(settings: Settings, per_minute: int, **extra: Any) -> Any:
    return create_app(settings.model_copy(update={"rate_limit_per_minute": per_minute, **extra}))


async def test_junk_tokens_count_in_the_ip_bucket(settings: Settings, host: Host) -> None:
    app = _limited(settings, 3)
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        codes = []
        for n in range(6):
            junk = {"Authorization": f"Bearer cal_live_junk{n}"}
            codes.append((await c.get("/v2/timezones", headers=junk)).status_code)
        codes.append((await c.get("/v2/timezones")).status_code)
        codes.append(
            (await c.get("/v2/timezones", headers={"Authorization": "Basic eDp5"})).status_code
        )
        assert codes == [200, 200, 200, 429, 429, 429, 429, 429]
        # a real key still has its own bucket
        mine = await c.get("/v2/me", headers=host.headers)
        assert mine.status_code == 200
        assert mine.headers["x-ratelimit-remaining"] == "2"
    await app.state.db.dispose()


async def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings: Settings) -> None:
    untrusted = _limited(settings, 2)
    transport = httpx2.ASGITransport(app=untrusted, client=("127.0.0.1", 40000))
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        codes = [
            (await c.get("/v2/timezones", headers={"X-Forwarded-For": f"203.0.113.{n}"}))
            for n in range(3)
        ]
        assert [r.status_code for r in codes] == [200, 200, 429]
    await untrusted.state.db.dispose()

    trusted = _limited(settings, 2, forwarded_allow_ips="127.0.0.0/8")
    transport = httpx2.ASGITransport(app=trusted, client=("127.0.0.1", 40000))
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        spoofed = [
            (await c.get("/v2/timezones", headers={"X-Forwarded-For": f"203.0.113.{n}"}))
            for n in range(3)
        ]
        assert [r.status_code for r in spoofed] == [200, 200, 200]  # one bucket per client
    await trusted.state.db.dispose()


def test_forwarded_allow_ips_must_be_addresses_or_networks() -> None:
    with pytest.raises(ValueError, match="not-an-ip"):
        Settings(forwarded_allow_ips="10.0.0.1, not-an-ip")
    assert Settings(forwarded_allow_ips="*").forwarded_allow_ips == "*"


async def test_sql_errors_do_not_carry_bound_parameters(app: Any) -> None:
    secret = "ada.private@example.com"
    async with app.state.db.read_sessions() as session:
        with pytest.raises(Exception) as caught:
            await session.execute(
                text("SELECT * FROM no_such_table WHERE email = :email"), {"email": secret}
            )
    assert secret not in str(caught.value)


async def test_a_nul_character_in_any_path_is_400_on_every_database(
    client: httpx2.AsyncClient, host: Host
) -> None:
    for path in (
        "/booking/abc%00def",
        "/d/link%00/30min",
        "/booking/x%00/confirm",
        "/alice%00/30min",
        "/v2/bookings/uid%00",
    ):
        r = await client.get(path, headers=host.headers)
        assert r.status_code == 400, (path, r.text)
        assert r.json()["error"]["code"] == "BadRequestException"
        assert "NUL" in r.json()["error"]["message"]
        assert r.headers["x-request-id"]
