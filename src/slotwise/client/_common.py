"""Pieces shared by the sync and async clients: retry rules, envelopes, URLs, parameters."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx2

from slotwise import __version__
from slotwise.client.errors import RateLimited, SlotwiseAPIError, error_class
from slotwise.client.models_generated import OPERATIONS, Operation

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
USER_AGENT = f"slotwise-python/{__version__}"

#: Methods whose repetition is harmless, so 5xx answers and timeouts may be retried.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    - 429 is retried for every method (the request was refused, not performed), waiting the
      server's ``Retry-After`` (seconds or an HTTP date) when it sends one;
    - 5xx answers and timeouts/connection errors are retried only for GET, HEAD, OPTIONS, PUT and
      DELETE; never for POST or PATCH, which may have taken effect;
    - waits grow exponentially: ``backoff_base * 2**attempt`` seconds (attempt 0, 1, …), capped at
      ``backoff_max``, with full jitter (a uniform fraction of it) unless ``jitter`` is False;
    - a ``Retry-After`` longer than ``max_retry_after`` seconds is not waited for: the
      :class:`~slotwise.client.errors.RateLimited` error is raised at once;
    - ``retry_transport_errors=False`` raises timeouts and connection errors (a server that is
      down) at once, for interactive callers such as the CLI.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 60.0
    jitter: bool = True
    retry_transport_errors: bool = True

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt + 1`` when the server gave no hint."""
        delay: float = min(self.backoff_max, self.backoff_base * (2**attempt))
        return random.uniform(0, delay) if self.jitter else delay

    def status_delay(self, method: str, response: httpx2.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying after ``response``, or None not to retry."""
        if attempt >= self.max_retries:
            return None
        if response.status_code == 429:
            hinted = parse_retry_after(response.headers.get("retry-after"))
            if hinted is None:
                return self.backoff(attempt)
            return hinted if hinted <= self.max_retry_after else None
        if response.status_code in RETRYABLE_STATUSES and method in IDEMPOTENT_METHODS:
            return self.backoff(attempt)
        return None

    def transport_delay(self, method: str, attempt: int) -> float | None:
        """Seconds to wait before retrying after a timeout or connection error, or None."""
        if not self.retry_transport_errors:
            return None
        if attempt >= self.max_retries or method not in IDEMPOTENT_METHODS:
            return None
        return self.backoff(attempt)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


@dataclass
class ApiResponse:
    """A successful answer: ``data`` (the envelope's ``data``, or the whole body when the server
    answered without an envelope; None when it sent none), ``pagination`` (the envelope's
    ``pagination`` object, if any), ``body`` (the decoded JSON), ``status_code``, ``headers``."""

    data: Any
    pagination: dict[str, Any] | None
    body: Any
    status_code: int
    headers: dict[str, str]


def _json_or_none(response: httpx2.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def to_api_response(response: httpx2.Response) -> ApiResponse:
    """Unwrap a 2xx answer from ``{"status": "success", "data": …}``."""
    body = _json_or_none(response)
    headers = dict(response.headers)
    if isinstance(body, dict) and body.get("status") == "success":
        pagination = body.get("pagination")
        return ApiResponse(
            body.get("data"),
            pagination if isinstance(pagination, dict) else None,
            body,
            response.status_code,
            headers,
        )
    return ApiResponse(body, None, body, response.status_code, headers)


def to_error(response: httpx2.Response) -> SlotwiseAPIError:
    """The typed exception for an error answer (Cal.com's envelope, FastAPI's ``detail`` or
    plain text)."""
    body = _json_or_none(response)
    code: str | None = None
    details: Any = None
    message = response.text.strip() or response.reason_phrase or f"HTTP {response.status_code}"
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            code = err.get("code") if isinstance(err.get("code"), str) else None
            message = str(err.get("message") or code or message)
            details = err.get("details")
        elif isinstance(body.get("message"), str | list):
            message = _text(body["message"])
        elif "detail" in body:
            message = _text(body["detail"])
    cls = error_class(response.status_code)
    kwargs: dict[str, Any] = {
        "code": code,
        "details": details,
        "body": body,
        "headers": dict(response.headers),
    }
    if cls is RateLimited:
        kwargs["retry_after"] = parse_retry_after(response.headers.get("retry-after"))
    return cls(response.status_code, message, **kwargs)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v.get("msg", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def operation(name: str) -> Operation:
    """The :data:`OPERATIONS` entry ``name`` (e.g. ``"bookings.get"``); KeyError if unknown."""
    return OPERATIONS[name]


def render_path(template: str, path_params: Mapping[str, Any] | None) -> str:
    """Fill ``{name}`` placeholders, each value URL-escaped (``/`` included)."""
    path = template
    for key, value in (path_params or {}).items():
        path = path.replace("{" + key + "}", quote(str(value), safe=""))
    if "{" in path:
        raise ValueError(f"missing path parameter in {path}")
    return path


def encode_params(params: Mapping[str, Any] | None) -> dict[str, str]:
    """Query parameters as Cal.com reads them: None dropped, booleans ``true``/``false``,
    sequences comma-joined (``status=upcoming,past``), dates and datetimes in ISO 8601."""
    out: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            out[key] = ",".join(_scalar(v) for v in value)
        else:
            out[key] = _scalar(value)
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware instant")
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def build_headers(api_key: str | None, extra: Mapping[str, str] | None) -> dict[str, str]:
    """Default headers: user agent, JSON accept, ``Authorization: Bearer <key>`` if a key."""
    headers = {"user-agent": USER_AGENT, "accept": "application/json"}
    if api_key:
        headers["authorization"] = f"Bearer {api_key}"
    headers.update(extra or {})
    return headers
