"""Prometheus metrics at ``/metrics`` when ``SLOTWISE_METRICS=true`` (prometheus-client).

Series (``route`` is the route's template, e.g. ``/v2/bookings/{bookingUid}``, never the raw
path; requests no route matched count as ``<unmatched>``):

- ``http_requests_total{route,method,status}`` and
  ``http_request_duration_seconds{route,method,status}`` (histogram);
- ``slotwise_slots_compute_seconds`` (histogram): computing one slots answer (GET /v2/slots);
- ``slotwise_bookings_total{outcome}``: POST /v2/bookings answered ``created`` (2xx),
  ``rejected`` (4xx) or ``error`` (5xx);
- ``slotwise_webhook_deliveries_total{outcome}`` (``success`` | ``failure``) and
  ``slotwise_webhook_delivery_lag_seconds`` (histogram): from the event (the job's creation) to
  its successful delivery;
- read at each scrape: ``slotwise_jobs_queued{kind}`` (pending jobs),
  ``slotwise_jobs_oldest_age_seconds{kind}`` (age of the oldest due pending job),
  ``slotwise_db_pool_checked_out`` and ``slotwise_db_pool_size`` (this process's pool).

Under ``serve --workers N`` the processes share ``PROMETHEUS_MULTIPROC_DIR`` (set by ``serve``),
so one scrape of any process sums them all (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slotwise.kit.db import Database
from slotwise.models import Job, utcnow

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests answered", ["route", "method", "status"]
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, in seconds",
    ["route", "method", "status"],
)
SLOTS_COMPUTE = Histogram(
    "slotwise_slots_compute_seconds", "Time to compute one slots answer, in seconds"
)
BOOKINGS = Counter("slotwise_bookings", "Booking creations by outcome", ["outcome"])
WEBHOOK_DELIVERIES = Counter(
    "slotwise_webhook_deliveries", "Webhook delivery attempts by outcome", ["outcome"]
)
WEBHOOK_LAG = Histogram(
    "slotwise_webhook_delivery_lag_seconds",
    "From the event to its successful delivery, in seconds",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600, 86400),
)
UNMATCHED = "<unmatched>"


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class MetricsMiddleware:
    """Counts and times every HTTP request by route template, method and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/metrics":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route, method = _route_template(scope), scope["method"]
            labels = (route, method, str(status))
            HTTP_REQUESTS.labels(*labels).inc()
            HTTP_DURATION.labels(*labels).observe(time.perf_counter() - started)
            if route == "/v2/bookings" and method == "POST":
                BOOKINGS.labels(booking_outcome(status)).inc()


def booking_outcome(status: int) -> str:
    """``created`` (2xx), ``rejected`` (4xx) or ``error`` (anything else)."""
    if 200 <= status < 300:
        return "created"
    return "rejected" if 400 <= status < 500 else "error"


@contextmanager
def timed_slots() -> Iterator[None]:
    """Observe the duration of the block in ``slotwise_slots_compute_seconds``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        SLOTS_COMPUTE.observe(time.perf_counter() - started)


def webhook_delivered(success: bool, created_at: datetime | None) -> None:
    """Count one delivery attempt; on success also its lag from ``created_at`` (UTC)."""
    WEBHOOK_DELIVERIES.labels("success" if success else "failure").inc()
    if success and created_at is not None:
        WEBHOOK_LAG.observe(max(0.0, (utcnow() - created_at).total_seconds()))


async def _scrape_time_metrics(db: Database) -> list[Any]:
    """The gauges read at each scrape: the job queue and this process's pool."""
    now = utcnow()
    async with db.read_sessions() as session:
        rows = (
            await session.execute(
                select(Job.kind, func.count(), func.min(Job.run_at))
                .where(Job.status == "pending")
                .group_by(Job.kind)
            )
        ).all()
    queued = GaugeMetricFamily("slotwise_jobs_queued", "Pending jobs", labels=["kind"])
    age = GaugeMetricFamily(
        "slotwise_jobs_oldest_age_seconds",
        "Age of the oldest due pending job, in seconds (0: none due)",
        labels=["kind"],
    )
    for kind, count, oldest in rows:
        queued.add_metric([kind], count)
        due_for = (now - oldest).total_seconds() if oldest is not None else 0.0
        age.add_metric([kind], max(0.0, due_for))
    pool = db.write_engine.pool
    checked_out = GaugeMetricFamily(
        "slotwise_db_pool_checked_out", "Database connections in use in this process"
    )
    checked_out.add_metric([], float(getattr(pool, "checkedout", lambda: 0)()))
    size = GaugeMetricFamily(
        "slotwise_db_pool_size", "Database connections this process keeps open"
    )
    size.add_metric([], float(getattr(pool, "size", lambda: 0)()))
    return [queued, age, checked_out, size]


class _Fixed:
    """A collector answering the given metric families (for one scrape)."""

    def __init__(self, families: list[Any]) -> None:
        self.families = families

    def collect(self) -> list[Any]:
        return self.families


async def render(db: Database) -> tuple[bytes, str]:
    """The exposition text of every series (summed over processes in multiprocess mode) and
    its content type."""
    registry: Any
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # untyped in prometheus-client
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    extra = CollectorRegistry()
    extra.register(_Fixed(await _scrape_time_metrics(db)))
    return body + generate_latest(extra), CONTENT_TYPE_LATEST
