"""Logs as text or JSON (``SLOTWISE_LOG_FORMAT``), carrying the ``X-Request-Id`` of the request,
also into the jobs that request enqueued."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import httpx2
import pytest

from slotwise.config import Settings
from slotwise.jobs.queue import REQUEST_ID_KEY
from slotwise.kit.middleware import JsonLogFormatter, RequestIdLogFilter, request_id_var
from tests.api.booking_fixtures import MONDAY, at, make_event_type
from tests.api.webhook_fixtures import all_jobs, receiver, run_jobs, subscribe
from tests.conftest import Host
from tests.webhook_receiver import Receiver

__all__ = ["receiver"]


def _record(message: str, **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("slotwise.test", logging.WARNING, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_lines_name_the_request() -> None:
    line = JsonLogFormatter().format(_record("booked %s", request_id="abc123"))
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "slotwise.test"
    assert entry["message"] == "booked %s"
    assert entry["request_id"] == "abc123"
    assert entry["time"].endswith("Z") and "T" in entry["time"]
    outside = json.loads(JsonLogFormatter().format(_record("idle", request_id="-")))
    assert outside["request_id"] is None


def test_json_lines_carry_the_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "slotwise.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    entry = json.loads(JsonLogFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]
    assert "\n" not in JsonLogFormatter().format(record)  # one line per record


def test_log_format_setting_accepts_text_and_json_only() -> None:
    assert Settings(database_url="sqlite://", log_format="json").log_format == "json"
    with pytest.raises(ValueError):
        Settings(database_url="sqlite://", log_format="xml")  # type: ignore[arg-type]


async def test_jobs_log_under_the_request_that_enqueued_them(
    client: httpx2.AsyncClient,
    app: Any,
    settings: Settings,
    host: Host,
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver.status = 500  # the delivery fails once: the worker logs it
    et = await make_event_type(app, host)
    await subscribe(client, host, receiver.url, ["BOOKING_CREATED"])
    r = await client.post(
        "/v2/bookings",
        headers={"cal-api-version": "2024-08-13", "X-Request-Id": "req-for-the-job"},
        json={
            "eventTypeId": et,
            "start": at(MONDAY, "10:00"),
            "attendee": {"name": "Ada", "email": "ada@example.com", "timeZone": "UTC"},
        },
    )
    assert r.status_code == 201, r.text
    assert r.headers["x-request-id"] == "req-for-the-job"
    [job] = [j for j in await all_jobs(app) if j.kind == "webhooks.deliver"]
    assert job.payload[REQUEST_ID_KEY] == "req-for-the-job"
    caplog.handler.addFilter(RequestIdLogFilter())
    with caplog.at_level(logging.INFO, logger="slotwise"):
        await run_jobs(app, settings)
    failed = [rec for rec in caplog.records if "attempt 1 failed" in rec.getMessage()]
    assert failed and all(rec.request_id == "req-for-the-job" for rec in failed)
    assert request_id_var.get() is None  # nothing leaked into this context
