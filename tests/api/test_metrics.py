"""``/metrics`` (``SLOTWISE_METRICS=true``): Prometheus series by route template, bookings by
outcome, slots timing, webhook deliveries and lag, the job queue and the pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from slotwise.app import create_app
from slotwise.config import Settings
from tests.api.booking_fixtures import MONDAY, V, at, booked, make_event_type
from tests.api.webhook_fixtures import receiver, run_jobs, subscribe
from tests.conftest import Host
from tests.webhook_receiver import Receiver

__all__ = ["receiver"]


@pytest.fixture
async def metered(settings: Settings, app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    """A client of an app with metrics on (same database as ``app``)."""
    metered_app = create_app(settings.model_copy(update={"metrics": True}))
    transport = httpx2.ASGITransport(app=metered_app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client
    await metered_app.state.db.dispose()


async def scrape(client: httpx2.AsyncClient) -> dict[tuple[str, frozenset[Any]], float]:
    r = await client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    values = {}
    for family in text_string_to_metric_families(r.text):
        for sample in family.samples:
            values[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return values


def value(samples: dict[tuple[str, frozenset[Any]], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_are_off_by_default(client: httpx2.AsyncClient) -> None:
    r = await client.get("/metrics")
    assert r.status_code == 404
    assert r.json()["status"] == "error"


async def test_requests_by_route_template_and_bookings_by_outcome(
    metered: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await make_event_type(app, host)
    before = await scrape(metered)
    await booked(metered, et, at(MONDAY, "10:00"))
    again = await metered.post(
        "/v2/bookings",
        headers=V,
        json={
            "eventTypeId": et,
            "start": at(MONDAY, "10:00"),
            "attendee": {"name": "Bo", "email": "bo@example.com", "timeZone": "UTC"},
        },
    )
    assert again.status_code == 400  # the host is booked then
    for uid in ("nope-1", "nope-2"):
        assert (await metered.get(f"/v2/bookings/{uid}", headers=V)).status_code == 404
    slots = await metered.get(
        "/v2/slots",
        params={"eventTypeId": et, "start": MONDAY, "end": MONDAY},
        headers={"cal-api-version": "2024-09-04"},
    )
    assert slots.status_code == 200
    after = await scrape(metered)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("slotwise_bookings_total", outcome="created") == 1
    assert delta("slotwise_bookings_total", outcome="rejected") == 1
    templ = {"route": "/v2/bookings/{bookingUid}", "method": "GET", "status": "404"}
    assert delta("http_requests_total", **templ) == 2  # one series for both uids
    assert delta("http_request_duration_seconds_count", **templ) == 2
    assert delta("http_requests_total", route="/v2/slots", method="GET", status="200") == 1
    assert delta("slotwise_slots_compute_seconds_count") == 1
    assert value(after, "slotwise_db_pool_size") >= 0


async def test_webhook_deliveries_lag_and_queue(
    metered: httpx2.AsyncClient,
    client: httpx2.AsyncClient,
    app: Any,
    settings: Settings,
    host: Host,
    receiver: Receiver,
) -> None:
    et = await make_event_type(app, host)
    await subscribe(client, host, receiver.url, ["BOOKING_CREATED"])
    before = await scrape(metered)
    await booked(client, et, at(MONDAY, "11:00"))
    queued = await scrape(metered)
    assert value(queued, "slotwise_jobs_queued", kind="webhooks.deliver") == 1
    assert value(queued, "slotwise_jobs_oldest_age_seconds", kind="webhooks.deliver") >= 0
    await run_jobs(app, settings)
    after = await scrape(metered)
    assert len(receiver.requests) == 1
    success = ("slotwise_webhook_deliveries_total", "success")
    assert (
        value(after, success[0], outcome=success[1]) - value(before, success[0], outcome=success[1])
        == 1
    )
    lag = "slotwise_webhook_delivery_lag_seconds_count"
    assert value(after, lag) - value(before, lag) == 1
    assert value(after, "slotwise_jobs_queued", kind="webhooks.deliver") == 0
