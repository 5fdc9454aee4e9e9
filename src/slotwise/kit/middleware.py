"""ASGI middleware every request passes through: request ids, cheap error handling, body limits.

* :class:`RequestContextMiddleware` (outermost): gives each request an id (a valid incoming
  ``X-Request-Id`` is kept, otherwise a fresh one), echoes it on every response, binds it to a
  context variable that log records carry (:class:`RequestIdLogFilter`), and turns an unhandled
  exception into Cal.com's 500 envelope *without* re-raising it. One concise ERROR line names
  the request id; the traceback is logged at DEBUG only, so nothing is formatted on the event
  loop unless debug logging is on, and the keep-alive connection stays usable (Starlette's own
  ServerErrorMiddleware re-raises to the server, which logs a full traceback and closes the
  connection).
* :class:`BodyLimitMiddleware`: refuses request bodies over a byte limit with 413
  ``PayloadTooLargeException``, from ``Content-Length`` before anything is read, or as soon as
  the bytes received pass the limit (chunked uploads).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slotwise.kit.errors import error_body

log = logging.getLogger("slotwise.errors")

REQUEST_ID_HEADER = "X-Request-Id"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id_var: ContextVar[str | None] = ContextVar("slotwise_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served in this context, or None outside a request."""
    return request_id_var.get()


class RequestIdLogFilter(logging.Filter):
    """Adds ``record.request_id`` (``"-"`` outside a request) so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the current request id; never drops a record."""
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get() or "-"
        return True


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            return text if _VALID_ID.fullmatch(text) else None
    return None


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: list[Any]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class RequestContextMiddleware:
    """Request id on every HTTP request and response; unhandled errors become a logged 500;
    a path containing the NUL character is a 400 before any route sees it.

    A valid incoming ``X-Request-Id`` (1–128 characters of ``A-Z a-z 0-9 . _ : -``) is echoed;
    anything else is replaced by a fresh uuid4 hex. The id is also stored in
    ``scope["state"]["request_id"]``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        id_header = (b"x-request-id", request_id.encode())
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), id_header]
            await send(message)

        if "\x00" in scope.get("path", ""):
            # No route takes a NUL character; refused here so that no page or API route passes it
            # to a database (SQLite stores it, PostgreSQL refuses it): one answer everywhere.
            path = scope["path"].replace("\x00", "%00")
            body = error_body(path, 400, "The path must not contain the NUL character (%00)")
            await _send_json(send, 400, body, [id_header])
            request_id_var.reset(token)
            return
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # the last line of defence: every other error is rendered
            log.error(
                "500 %s %s request_id=%s %s: %s",
                scope.get("method"),
                scope.get("path"),
                request_id,
                type(exc).__name__,
                str(exc)[:200].replace("\n", " "),
            )
            if log.isEnabledFor(logging.DEBUG):
                log.debug("traceback of request %s", request_id, exc_info=exc)
            if not started:
                body = error_body(
                    scope.get("path", ""), 500, f"Internal server error (request id {request_id})"
                )
                await _send_json(send, 500, body, [id_header])
        finally:
            request_id_var.reset(token)


class PayloadTooLarge(StarletteHTTPException):
    """413 raised from ``receive`` once a request body passes the limit.

    An HTTPException, so that FastAPI re-raises it from its body parsing (it turns any other
    error there into a 400) and the app's handler renders Cal.com's envelope.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


def _too_large(limit: int) -> str:
    return f"Request body too large: the limit is {limit} bytes (SLOTWISE_MAX_BODY_BYTES)"


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``max_bytes`` with 413 and Cal.com's error envelope.

    ``Content-Length`` over the limit is refused before the app runs; otherwise the bytes are
    counted as they arrive and the request is refused as soon as they pass the limit (the
    endpoint never sees a truncated body). ``overrides`` maps path prefixes to their own limit,
    for routes that take larger uploads. (Starlette's RequestBodyLimitMiddleware answers a
    plain-text 413 and only once the app reads the body; Cal.com clients expect the envelope.)
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, overrides: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}

    def _limit(self, path: str) -> int:
        for prefix, limit in self.overrides.items():
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope.get("path", ""))
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                body = error_body(scope.get("path", ""), 413, _too_large(limit))
                await _send_json(send, 413, body, [(b"connection", b"close")])
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except PayloadTooLarge as exc:  # from a mounted app without FastAPI's handlers
            if started:
                raise
            body = error_body(scope.get("path", ""), 413, str(exc.detail))
            await _send_json(send, 413, body, [(b"connection", b"close")])


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``,
    ``message``, ``request_id`` (None outside a request or a job a request enqueued) and
    ``exception`` (the formatted traceback, when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        request_id = getattr(record, "request_id", None)
        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None if request_id in (None, "-") else request_id,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802  # logging.Formatter's name
        """``record.created`` as an ISO 8601 UTC instant with milliseconds."""
        from datetime import UTC, datetime

        instant = datetime.fromtimestamp(record.created, UTC)
        return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")


_handler: logging.Handler | None = None


def configure_logging(level: int | str = logging.INFO, log_format: str = "text") -> None:
    """Send logs to stderr, one line each, naming the request id (``-`` outside a request).

    Idempotent. ``level`` is a logging level or its name (``SLOTWISE_LOG_LEVEL``); at
    ``DEBUG`` the tracebacks of unexpected errors are logged too. ``log_format``
    (``SLOTWISE_LOG_FORMAT``): ``"text"`` (:data:`LOG_FORMAT`) or ``"json"``
    (:class:`JsonLogFormatter`).
    """
    global _handler
    root = logging.getLogger()
    if _handler is None:
        _handler = logging.StreamHandler()
        _handler.addFilter(RequestIdLogFilter())
        root.addHandler(_handler)
    formatter = JsonLogFormatter() if log_format == "json" else logging.Formatter(LOG_FORMAT)
    _handler.setFormatter(formatter)
    root.setLevel(level.upper() if isinstance(level, str) else level)
