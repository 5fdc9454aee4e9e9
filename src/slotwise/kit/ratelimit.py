"""Rate limiting: N requests per minute per API key, per client IP otherwise.

A pure ASGI middleware over the ``limits`` library (moving window). Counters live in memory,
or in Redis when ``SLOTWISE_REDIS_URL`` is set so several processes share them. Answers carry
``X-RateLimit-Limit/Remaining/Reset``; a refused request gets 429 with ``Retry-After``.

Only a bearer token that ``key_validator`` accepts gets a bucket of its own: requests without
one, with another scheme or with an invalid token all count in the client IP's bucket, so junk
tokens cannot buy fresh buckets. The client IP is the TCP peer, or what a trusted proxy says
(``SLOTWISE_FORWARDED_ALLOW_IPS``, applied by uvicorn's ProxyHeadersMiddleware before this one).

When the counters cannot be reached (Redis down), requests are let through without rate-limit
headers (fail open) and a warning is logged at most once every :data:`WARN_EVERY_SECONDS`:
an outage of Redis never takes the API down with it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slotwise.kit.errors import error_body

_EXEMPT = ("/health", "/docs", "/openapi.json", "/static/")
WARN_EVERY_SECONDS = 60.0
"""Least interval between two "rate limiting is off" warnings while the storage is down."""
logger = logging.getLogger("slotwise.ratelimit")


def limits_storage(redis_url: str | None) -> Storage:
    """The counters' storage: Redis at ``redis_url`` (shared by every process), else memory."""
    if redis_url:
        url = redis_url.replace("redis://", "async+redis://", 1)
        url = url.replace("rediss://", "async+rediss://", 1)
        shared = storage_from_string(url)
        if not isinstance(shared, Storage):
            raise ValueError(f"not an async storage URL: {url}")
        return shared
    return MemoryStorage()


class AttemptLimiter:
    """At most ``amount`` failed attempts per ``minutes`` for each key (moving window), e.g.
    logins per client IP and per login name. :meth:`allowed` asks before an attempt,
    :meth:`failed` counts a failed one. Fails open like the middleware: when the counters
    cannot be reached, attempts are allowed (and a warning logged)."""

    def __init__(self, amount: int, minutes: int, redis_url: str | None = None) -> None:
        self.item = RateLimitItemPerMinute(amount, minutes)
        self.minutes = minutes
        self.limiter = MovingWindowRateLimiter(limits_storage(redis_url))

    async def allowed(self, *keys: str) -> bool:
        """Whether another attempt may be made for every one of ``keys``."""
        try:
            for key in keys:
                if not await self.limiter.test(self.item, "slotwise-attempts", key):
                    return False
        except Exception as exc:  # storage down: fail open
            logger.warning("attempt limits are off: %s: %s", type(exc).__name__, exc)
        return True

    async def failed(self, *keys: str) -> None:
        """Count one failed attempt for each of ``keys``."""
        try:
            for key in keys:
                await self.limiter.hit(self.item, "slotwise-attempts", key)
        except Exception as exc:  # storage down: fail open
            logger.warning("attempt limits are off: %s: %s", type(exc).__name__, exc)


class RateLimitMiddleware:
    """Limit each principal to ``per_minute`` requests in any 60-second window."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_minute: int,
        redis_url: str | None = None,
        key_validator: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        self.app = app
        self.key_validator = key_validator
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(limits_storage(redis_url))
        self._warned_at = -WARN_EVERY_SECONDS

    def _storage_down(self, exc: Exception) -> None:
        """Log (at most once every WARN_EVERY_SECONDS) that requests go unlimited."""
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning(
                "rate limiting is off: its counters cannot be reached (%s: %s); requests are "
                "let through until they can",
                type(exc).__name__,
                exc,
            )

    async def _key(self, scope: Scope) -> str:
        """``key:<sha256 of the token>`` for a token the validator accepts, else ``ip:<client>``."""
        if self.key_validator is not None:
            for name, value in scope.get("headers", ()):
                if name == b"authorization":
                    scheme, _, token = value.decode("latin-1").partition(" ")
                    token = token.strip()
                    if scheme.lower() == "bearer" and token and await self.key_validator(token):
                        return "key:" + hashlib.sha256(token.encode()).hexdigest()
                    break
        client = scope.get("client")
        return "ip:" + (client[0] if client else "unknown")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_EXEMPT):
            await self.app(scope, receive, send)
            return
        key = await self._key(scope)
        try:
            allowed = await self.limiter.hit(self.item, "slotwise", key)
            stats = await self.limiter.get_window_stats(self.item, "slotwise", key)
        except Exception as exc:  # the shared storage is down: fail open (module docstring)
            self._storage_down(exc)
            await self.app(scope, receive, send)
            return
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        headers = [
            (b"x-ratelimit-limit", str(self.item.amount).encode()),
            (b"x-ratelimit-remaining", str(max(0, stats.remaining)).encode()),
            (b"x-ratelimit-reset", str(reset).encode()),
        ]
        if not allowed:
            body = json.dumps(
                error_body(
                    scope["path"],
                    429,
                    f"Too many requests: the limit is {self.item.amount} per minute. "
                    f"Retry in {max(1, reset)} seconds.",
                )
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 429,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"retry-after", str(max(1, reset)).encode()),
                        *headers,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
