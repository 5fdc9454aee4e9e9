"""One error hierarchy rendered into Cal.com API v2's error envelope.

``{"status": "error", "timestamp": ISO, "path": "/v2/...", "error": {"code", "message",
"details"?}}`` where ``code`` is the NestJS exception name Cal.com answers with.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from slotwise.kit.versioning import HEADER, version_hint

log = logging.getLogger("slotwise.errors")

_CODES = {
    400: "BadRequestException",
    401: "UnauthorizedException",
    403: "ForbiddenException",
    404: "NotFoundException",
    405: "MethodNotAllowedException",
    409: "ConflictException",
    413: "PayloadTooLargeException",
    415: "UnsupportedMediaTypeException",
    422: "UnprocessableEntityException",
    429: "TooManyRequestsException",
    500: "InternalServerErrorException",
    501: "NotImplementedException",
    503: "ServiceUnavailableException",
}

# PostgreSQL SQLSTATEs meaning "the server is going away or not accepting connections yet":
# admin_shutdown, crash_shutdown, cannot_connect_now (class 08, connection exceptions, too).
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03"})


class SlotwiseError(Exception):
    """An error with an HTTP status, a Cal.com exception name, a message and optional details."""

    status_code = 500
    code = "InternalServerErrorException"

    def __init__(
        self,
        message: str,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers


class BadRequest(SlotwiseError):
    """400 BadRequestException: malformed input or a time that cannot be booked."""

    status_code = 400
    code = "BadRequestException"


class Unauthorized(SlotwiseError):
    """401 UnauthorizedException: missing or invalid credentials."""

    status_code = 401
    code = "UnauthorizedException"


class Forbidden(SlotwiseError):
    """403 ForbiddenException: authenticated, but Cal.com forbids the action."""

    status_code = 403
    code = "ForbiddenException"


class NotFound(SlotwiseError):
    """404 NotFoundException: missing, or belonging to someone else."""

    status_code = 404
    code = "NotFoundException"


class Conflict(SlotwiseError):
    """409 ConflictException: reserved by someone else, duplicate, or a state conflict."""

    status_code = 409
    code = "ConflictException"


class Unprocessable(SlotwiseError):
    """422 UnprocessableEntityException (Cal.com uses it for some reservation errors)."""

    status_code = 422
    code = "UnprocessableEntityException"


class TooManyRequests(SlotwiseError):
    """429 TooManyRequestsException; carries Retry-After."""

    status_code = 429
    code = "TooManyRequestsException"


class NotImplementedFeature(SlotwiseError):
    """501 NotImplementedException: an operation of the reference that needs a provider
    Slotwise does not have (docs/compatibility.md lists them)."""

    status_code = 501
    code = "NotImplementedException"


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database cannot be reached right now (a restart, a failover,
    a dropped connection, a full pool) rather than that the statement is wrong: the pool gave
    up waiting (``sqlalchemy.exc.TimeoutError``), the connection was found dead (SQLAlchemy
    invalidated it), or the driver's error has no SQLSTATE (it never reached a server) or one
    of class 08 or 57P01–57P03."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if exc.connection_invalidated:
        return True
    state = getattr(exc.orig, "sqlstate", "") if exc.orig is not None else ""
    if getattr(type(exc.orig), "__module__", "").startswith("psycopg"):
        return state is None or state.startswith("08") or state in _UNAVAILABLE_STATES
    return False


def now_iso() -> str:
    """The current UTC instant as ISO 8601 with milliseconds and ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error_body(path: str, status: int, message: str, details: Any = None) -> dict[str, Any]:
    """The Cal.com error envelope for ``status``."""
    error: dict[str, Any] = {"code": _CODES.get(status, "HttpException"), "message": message}
    if details is not None:
        error["details"] = details
    return {"status": "error", "timestamp": now_iso(), "path": path, "error": error}


def error_response(
    request: Request,
    status: int,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
    code: str | None = None,
) -> JSONResponse:
    """A JSONResponse carrying the error envelope."""
    body = error_body(request.url.path, status, message, details)
    if code:
        body["error"]["code"] = code
    return JSONResponse(body, status_code=status, headers=headers)


def _loc_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_message(errors: list[dict[str, Any]]) -> str:
    """A readable summary of pydantic errors, naming each offending property.

    Unknown properties read ``property X should not exist`` as in Cal.com (NestJS whitelist).
    """
    parts: list[str] = []
    for err in errors:
        name = _loc_name(tuple(err.get("loc", ())))
        if err.get("type") == "extra_forbidden":
            parts.append(f"property {name} should not exist")
        elif err.get("type") == "missing":
            parts.append(f"{name} is required")
        else:
            msg = str(err.get("msg", "is invalid"))
            msg = msg.removeprefix("Value error, ")
            parts.append(f"{name}: {msg}")
    return "; ".join(parts) or "Invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Render every expected error as Cal.com's envelope.

    Unexpected exceptions are not handled here: they reach
    :class:`slotwise.kit.middleware.RequestContextMiddleware`, which answers the 500 envelope,
    logs one line with the request id and keeps the connection usable.
    """

    @app.exception_handler(SlotwiseError)
    async def _slotwise(request: Request, exc: SlotwiseError) -> JSONResponse:
        return error_response(
            request, exc.status_code, exc.message, exc.details, exc.headers, code=exc.code
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "type": e.get("type"),
                "msg": e.get("msg"),
            }
            for e in exc.errors()
        ]
        return error_response(request, 400, validation_message(errors), {"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "Error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"Cannot {request.method} {request.url.path}"
            wanted = version_hint(request.scope)
            if wanted is not None:
                message += (
                    f": this endpoint needs the header '{HEADER}: {wanted}'"
                    " (see https://cal.com/docs/api-reference/v2/introduction)"
                )
        return error_response(
            request, exc.status_code, message, headers=dict(exc.headers or {}) or None
        )

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        if not database_unavailable(exc):
            raise exc  # a real fault: the request middleware answers 500 and logs it
        log.warning(
            "database unavailable, answered 503: %s",
            str(getattr(exc, "orig", None) or exc).splitlines()[0][:200],
        )
        return error_response(
            request, 503, "The database is not reachable right now; retry shortly",
            headers={"Retry-After": "1"},
        )  # fmt: skip

    for unavailable in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(unavailable, _unavailable)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value (an integer out of range, a NUL byte in a string):
        # bad input, not a server fault.
        log.info("database refused a value: %s", type(exc.orig).__name__)
        return error_response(
            request, 400, "A value in the request is out of range or contains invalid characters"
        )
