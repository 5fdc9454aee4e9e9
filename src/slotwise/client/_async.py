"""The asynchronous client. ``_sync.py`` is generated from this file by
``scripts/gen_sync_client.py``: edit here, then run the script."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any

import httpx2

from slotwise.client._async_bookings import AsyncBookings
from slotwise.client._async_resources import (
    AsyncApiKeys,
    AsyncEventTypes,
    AsyncEventTypeWebhooks,
    AsyncMe,
    AsyncOoo,
    AsyncPrivateLinks,
    AsyncSchedules,
    AsyncSlots,
    AsyncTimezones,
    AsyncWebhooks,
)
from slotwise.client._async_team_event_types import (
    AsyncTeamEventTypes,
    AsyncTeamEventTypeWebhooks,
)
from slotwise.client._async_teams import AsyncTeamMemberships, AsyncTeamOoo, AsyncTeams
from slotwise.client._common import (
    DEFAULT_BASE_URL,
    ApiResponse,
    RetryPolicy,
    build_headers,
    encode_params,
    operation,
    render_path,
    to_api_response,
    to_error,
)
from slotwise.client.errors import SlotwiseConnectionError, SlotwiseTimeout


class AsyncClient:
    """A client for any Cal.com API v2 server (Slotwise first).

    ``base_url`` is the server root without ``/v2`` (default ``http://127.0.0.1:8000``; a
    trailing ``/v2`` is tolerated and dropped). ``api_key`` is sent as ``Authorization: Bearer``;
    public operations (slots, creating a booking) work without one. Each operation sends the
    ``cal-api-version`` the reference gives it. Results are the response's ``data`` (JSON as
    sent, typed by :mod:`slotwise.client.models_generated`); errors raise
    :class:`~slotwise.client.errors.SlotwiseAPIError` subclasses. Retries follow ``retry``
    (:class:`~slotwise.client.RetryPolicy`). ``transport`` replaces the network (tests pass an
    ``httpx2.MockTransport`` or ``httpx2.ASGITransport``); ``sleep`` replaces the wait between
    retries. Use as a context manager, or call ``aclose()``.

    Resource groups: ``me``, ``event_types``, ``schedules``, ``slots``, ``bookings``,
    ``webhooks``, ``event_type_webhooks``, ``private_links``, ``ooo``, ``api_keys``,
    ``timezones``, ``teams``, ``team_memberships``, ``team_ooo``, ``team_event_types``,
    ``team_event_type_webhooks``.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        root = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.base_url = root[: -len("/v2")] if root.endswith("/v2") else root
        self.api_key = api_key
        self.retry = retry or RetryPolicy()
        self._sleep = sleep or asyncio.sleep
        self._http = httpx2.AsyncClient(
            base_url=self.base_url,
            headers=build_headers(api_key, headers),
            timeout=timeout,
            transport=transport,
        )
        self.me = AsyncMe(self)
        self.event_types = AsyncEventTypes(self)
        self.schedules = AsyncSchedules(self)
        self.slots = AsyncSlots(self)
        self.bookings = AsyncBookings(self)
        self.webhooks = AsyncWebhooks(self)
        self.event_type_webhooks = AsyncEventTypeWebhooks(self)
        self.private_links = AsyncPrivateLinks(self)
        self.ooo = AsyncOoo(self)
        self.api_keys = AsyncApiKeys(self)
        self.timezones = AsyncTimezones(self)
        self.teams = AsyncTeams(self)
        self.team_memberships = AsyncTeamMemberships(self)
        self.team_ooo = AsyncTeamOoo(self)
        self.team_event_types = AsyncTeamEventTypes(self)
        self.team_event_type_webhooks = AsyncTeamEventTypeWebhooks(self)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        api_version: str | None = None,
    ) -> ApiResponse:
        """Perform ``method path`` (``path`` starts with ``/v2/``) with the retry rules and
        return the unwrapped answer; raises SlotwiseAPIError subclasses for error statuses,
        SlotwiseTimeout / SlotwiseConnectionError when no answer came."""
        method = method.upper()
        headers = {"cal-api-version": api_version} if api_version else {}
        query = encode_params(params)
        attempt = 0
        while True:
            delay: float | None
            try:
                response = await self._http.request(
                    method, path, params=query, json=json, headers=headers
                )
            except httpx2.TimeoutException as exc:
                delay = self.retry.transport_delay(method, attempt)
                if delay is None:
                    raise SlotwiseTimeout(f"{method} {self.base_url}{path} timed out") from exc
            except httpx2.TransportError as exc:
                delay = self.retry.transport_delay(method, attempt)
                if delay is None:
                    raise SlotwiseConnectionError(
                        f"{method} {self.base_url}{path} failed: {exc or type(exc).__name__}"
                    ) from exc
            else:
                if response.is_success:
                    return to_api_response(response)
                delay = self.retry.status_delay(method, response, attempt)
                if delay is None:
                    raise to_error(response)
            await self._sleep(delay)
            attempt += 1

    async def request(
        self,
        name: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        api_version: str | None = None,
    ) -> ApiResponse:
        """Perform the SDK operation ``name`` (a key of ``OPERATIONS``, e.g. ``"bookings.get"``)
        with its method, path and ``cal-api-version`` (``api_version`` overrides it)."""
        op = operation(name)
        return await self.send(
            op.method,
            render_path(op.path, path_params),
            params=params,
            json=json,
            api_version=api_version or op.api_version,
        )

    async def call(
        self,
        name: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """:meth:`request`, returning only ``data``."""
        page = await self.request(name, path_params=path_params, params=params, json=json)
        return page.data

    async def paginate(
        self,
        name: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Any]:
        """Every item of a take/skip list operation, fetching ``page_size`` items per request
        from ``params["skip"]`` (default 0) on, until ``pagination.hasNextPage`` is false (or,
        without pagination metadata, a short page)."""
        base = dict(params or {})
        skip = int(base.pop("skip", None) or 0)
        base.pop("take", None)
        while True:
            page = await self.request(
                name, path_params=path_params, params={**base, "take": page_size, "skip": skip}
            )
            items = page.data if isinstance(page.data, list) else []
            for item in items:
                yield item
            skip += len(items)
            meta = page.pagination or {}
            if not items or meta.get("hasNextPage") is False:
                return
            if "hasNextPage" not in meta and len(items) < page_size:
                return

    async def paginate_cursor(
        self,
        name: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        api_version: str | None = None,
    ) -> AsyncIterator[Any]:
        """Every item of a cursor-paginated list operation: sends ``cursor`` =
        ``pagination.nextCursor`` of the previous page until ``pagination.hasMore`` is false
        or ``nextCursor`` is null (Cal.com's cursor pagination)."""
        base = dict(params or {})
        cursor = base.pop("cursor", None)
        while True:
            query = {**base, "cursor": cursor} if cursor else base
            page = await self.request(
                name, path_params=path_params, params=query, api_version=api_version
            )
            items = page.data if isinstance(page.data, list) else []
            for item in items:
                yield item
            meta = page.pagination or {}
            cursor = meta.get("nextCursor")
            if not items or not cursor or meta.get("hasMore") is False:
                return
