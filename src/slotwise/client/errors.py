"""Typed exceptions of the SDK, built from Cal.com API v2's error envelope.

A failed call raises a :class:`SlotwiseAPIError` subclass picked by HTTP status, carrying what the
server said: ``{"status": "error", "error": {"code", "message", "details"}}`` becomes ``status``
(the HTTP status), ``code`` (e.g. ``"NotFoundException"``), ``message`` and ``details``. A request
that never got an answer (connection refused, timeout after the allowed retries) raises
:class:`SlotwiseConnectionError` / :class:`SlotwiseTimeout`.
"""

from __future__ import annotations

from typing import Any


class SlotwiseError(Exception):
    """Base of every exception the SDK raises."""


class SlotwiseConnectionError(SlotwiseError):
    """The server could not be reached (after the retries the method allows)."""


class SlotwiseTimeout(SlotwiseConnectionError):
    """The server did not answer in time (after the retries the method allows)."""


class SlotwiseAPIError(SlotwiseError):
    """The server answered with an error status.

    Attributes: ``status`` (HTTP status code), ``code`` (Cal.com's exception name, e.g.
    ``"BadRequestException"``; ``None`` when the body was not Cal.com's envelope), ``message``
    (the server's message, or the response text), ``details`` (validation details, when sent),
    ``body`` (the decoded JSON body, or None), ``headers`` (the response headers).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.body = body
        self.headers = headers or {}

    def __str__(self) -> str:
        return f"{self.status} {self.code or 'Error'}: {self.message}"


class BadRequest(SlotwiseAPIError):
    """400: the request was malformed or cannot be served (e.g. a time that is not free)."""


class Unauthorized(SlotwiseAPIError):
    """401: missing or invalid API key."""


class Forbidden(SlotwiseAPIError):
    """403: authenticated, but not allowed."""


class NotFound(SlotwiseAPIError):
    """404: no such object (or not visible to the caller), or an operation the server lacks."""


class Conflict(SlotwiseAPIError):
    """409: the change conflicts with the current state (e.g. a slot taken meanwhile)."""


class UnprocessableEntity(SlotwiseAPIError):
    """422: well-formed but semantically invalid."""


class RateLimited(SlotwiseAPIError):
    """429: too many requests; ``retry_after`` is the server's Retry-After in seconds, if any."""

    def __init__(self, status: int, message: str, **kwargs: Any) -> None:
        retry_after = kwargs.pop("retry_after", None)
        super().__init__(status, message, **kwargs)
        self.retry_after: float | None = retry_after


class ServerError(SlotwiseAPIError):
    """5xx: the server failed."""


_BY_STATUS: dict[int, type[SlotwiseAPIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: UnprocessableEntity,
    429: RateLimited,
}


def error_class(status: int) -> type[SlotwiseAPIError]:
    """The exception class for an HTTP error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, SlotwiseAPIError)
