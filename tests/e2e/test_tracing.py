"""OpenTelemetry tracing switched on by OTEL_* variables: a served booking exports request,
SQL and outgoing-HTTP spans over OTLP/HTTP, and the webhook delivery carries ``traceparent``.
Runs ``serve --demo`` as a process (the tracer provider is global to a process)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx2

from tests.subprocesses import free_port, start
from tests.webhook_receiver import Receiver


async def test_spans_are_exported_and_deliveries_carry_traceparent(tmp_path: Path) -> None:
    collector, hooks = Receiver(), Receiver()
    await collector.start()
    await hooks.start()
    port = free_port()
    env = {
        **os.environ,
        "SLOTWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'traced.db'}",
        "SLOTWISE_DATA_DIR": str(tmp_path / "data"),
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{collector.port}",
        "OTEL_SERVICE_NAME": "slotwise-e2e",
        "OTEL_BSP_SCHEDULE_DELAY": "100",
    }
    child = start(["serve", "--demo", "--port", str(port)], env)
    base = f"http://127.0.0.1:{port}"
    try:
        await child.until(asyncio.to_thread(child.wait_http, f"{base}/health"))
        key = child.wait_output(r"API key:[ \t]*(\S+)\r?\n").group(1)
        async with httpx2.AsyncClient(base_url=base, timeout=30) as client:
            auth = {"Authorization": f"Bearer {key}"}
            hook = await client.post(
                "/v2/webhooks",
                json={"subscriberUrl": hooks.url, "triggers": ["BOOKING_CREATED"], "active": True},
                headers=auth,
            )
            assert hook.status_code == 201, hook.text
            booked = await client.post(
                "/v2/bookings",
                headers={"cal-api-version": "2024-08-13"},
                json={
                    "username": "demo",
                    "eventTypeSlug": "30min",
                    "start": "2050-09-05T09:00:00Z",
                    "attendee": {"name": "Ada", "email": "ada@example.com", "timeZone": "UTC"},
                },
            )
            assert booked.status_code == 201, booked.text
        [delivery] = await hooks.wait_for(1, timeout=30)
        version, trace_id, span_id, flags = delivery.headers["traceparent"].split("-")
        assert version == "00" and len(trace_id) == 32 and len(span_id) == 16
        exported = b""
        for _ in range(100):  # batches arrive every ~100 ms
            exported = b"".join(r.body for r in collector.requests if r.path == "/v1/traces")
            if b"slotwise.httpx2" in exported and b"POST /v2/bookings" in exported:
                break
            await asyncio.sleep(0.1)
        assert b"slotwise-e2e" in exported  # the service name (resource)
        assert b"POST /v2/bookings" in exported  # FastAPI's request span
        assert b"opentelemetry.instrumentation.sqlalchemy" in exported  # SQL spans
        assert b"slotwise.httpx2" in exported  # the webhook delivery's client span
        assert bytes.fromhex(trace_id) in exported  # the delivery's trace was exported
        assert not any(b"/health" in r.body for r in collector.requests)
    finally:
        child.stop()
        await collector.stop()
        await hooks.stop()
