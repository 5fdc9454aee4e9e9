"""Optional OpenTelemetry tracing, switched on by the standard ``OTEL_*`` environment variables.

Tracing is on when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``)
is set or ``OTEL_TRACES_EXPORTER=otlp``, unless ``OTEL_SDK_DISABLED=true`` or
``OTEL_TRACES_EXPORTER=none``. It needs the ``otel`` extra (``pip install 'slotwise[otel]'``:
the OpenTelemetry SDK, its OTLP/HTTP exporter and the SQLAlchemy instrumentation). Then:

- FastAPI's built-in telemetry makes a span per request (and its dependencies, endpoint and
  serialization), exported over OTLP/HTTP as configured by the ``OTEL_*`` variables
  (``OTEL_SERVICE_NAME``, ``OTEL_EXPORTER_OTLP_HEADERS``, …); /health and /metrics are left out;
- the SQLAlchemy instrumentation adds a span per SQL statement;
- outgoing HTTP made with httpx2 (webhook deliveries) gets a client span from
  :func:`httpx2_event_hooks` and a ``traceparent`` header, so receivers can join the trace.
  The span names the method and the server's host and port, never the path or query (webhook
  URLs often carry tokens).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx2
from fastapi.telemetry import TelemetryConfig
from opentelemetry import propagate, trace

log = logging.getLogger(__name__)
_SPAN_KEY = "slotwise.otel_span"
_UNTRACED = ("/health", "/metrics")


def tracing_enabled() -> bool:
    """True when the ``OTEL_*`` environment asks for traces (module docstring)."""
    env = os.environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none":
        return False
    endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    )
    return bool(endpoint) or exporter == "otlp"


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return str(scope.get("path", "")).startswith(_UNTRACED)


def fastapi_telemetry() -> TelemetryConfig:
    """The ``telemetry=`` argument of ``FastAPI()``: request spans and OTLP export from the
    environment when :func:`tracing_enabled`, nothing otherwise. FastAPI's OpenTelemetry
    metrics and logs stay off (metrics are Prometheus's: :mod:`slotwise.kit.metrics`)."""
    enabled = tracing_enabled()
    return {
        "tracing": enabled,
        "operation_spans": enabled,
        "metrics": False,
        "logs": False,
        "auto_configure": enabled,
        "exclude": _untraced,
    }


def instrument_engines(*engines: Any) -> None:
    """Add SQL statement spans to these SQLAlchemy engines (async or sync) when tracing is on;
    logs a warning when the ``otel`` extra is missing."""
    if not tracing_enabled():
        return
    try:
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    except ImportError:
        log.warning(
            "OTEL_* asks for traces but the otel extra is not installed: "
            "pip install 'slotwise[otel]' (no SQL spans)"
        )
        return
    unique: dict[int, Any] = {}
    for engine in engines:
        sync_engine = getattr(engine, "sync_engine", engine)
        unique.setdefault(id(sync_engine), sync_engine)
    # One call for all of them: the instrumentor is a per-process singleton.
    # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses unchanged.
    SQLAlchemyInstrumentor().instrument(engines=list(unique.values()), skip_dep_check=True)


Hook = Callable[[Any], Awaitable[None]]


def httpx2_event_hooks() -> dict[str, list[Hook]]:
    """``event_hooks`` for an ``httpx2.AsyncClient``: a CLIENT span per request, ended with its
    response's status (a request that fails before any response leaves its span unexported),
    and the current trace context in the request's headers. Empty when tracing is off."""
    if not tracing_enabled():
        return {}
    tracer = trace.get_tracer("slotwise.httpx2")

    async def on_request(request: httpx2.Request) -> None:
        url = request.url
        span = tracer.start_span(
            f"{request.method} {url.host}",
            kind=trace.SpanKind.CLIENT,
            attributes={
                "http.request.method": request.method,
                "server.address": url.host,
                "server.port": url.port or (443 if url.scheme == "https" else 80),
            },
        )
        request.extensions[_SPAN_KEY] = span
        propagate.inject(request.headers, context=trace.set_span_in_context(span))

    async def on_response(response: httpx2.Response) -> None:
        span = response.request.extensions.pop(_SPAN_KEY, None)
        if span is None:
            return
        span.set_attribute("http.response.status_code", response.status_code)
        if response.status_code >= 500:
            span.set_status(trace.StatusCode.ERROR)
        span.end()

    return {"request": [on_request], "response": [on_response]}
