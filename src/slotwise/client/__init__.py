"""Python SDK for the Cal.com API v2 — Slotwise and any server that conforms.

>>> from slotwise.client import Client
>>> cal = Client("http://127.0.0.1:8000", api_key="cal_live_...")  # doctest: +SKIP
>>> cal.me.get()["username"]  # doctest: +SKIP

:class:`Client` (sync) and :class:`AsyncClient` (asyncio) share one implementation; see
docs/sdk.md. Request and response types live in :mod:`slotwise.client.models_generated`.
"""

from slotwise.client._async import AsyncClient
from slotwise.client._common import DEFAULT_BASE_URL, ApiResponse, RetryPolicy
from slotwise.client._sync import Client
from slotwise.client.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    SlotwiseAPIError,
    SlotwiseConnectionError,
    SlotwiseError,
    SlotwiseTimeout,
    Unauthorized,
    UnprocessableEntity,
)
from slotwise.client.models_generated import OPERATIONS, Operation

__all__ = [
    "DEFAULT_BASE_URL",
    "OPERATIONS",
    "ApiResponse",
    "AsyncClient",
    "BadRequest",
    "Client",
    "Conflict",
    "Forbidden",
    "NotFound",
    "Operation",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "SlotwiseAPIError",
    "SlotwiseConnectionError",
    "SlotwiseError",
    "SlotwiseTimeout",
    "Unauthorized",
    "UnprocessableEntity",
]
