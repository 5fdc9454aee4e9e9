"""HTTP calls shared by the OAuth calendar providers (Google Calendar, Microsoft Graph): the
token endpoint, and an API request that refreshes its access token and retries the way both
providers document (refresh once on 401, wait once for a 429's ``Retry-After`` when it fits the
timeout, retry a 5xx twice after 0.2 s and 0.4 s).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2

from slotwise.calendars.base import CalendarAuthError, CalendarError


def token_expiry(answer: dict[str, Any]) -> int:
    """When the access token of a token-endpoint ``answer`` expires, in Unix milliseconds
    (``expires_in`` seconds from now; one hour when absent)."""
    return int((time.time() + float(answer.get("expires_in", 3600))) * 1000)


def token_stale(tokens: dict[str, Any]) -> bool:
    """True when the access token of ``tokens`` expires within a minute (or has no expiry)."""
    return int(tokens.get("expiry_date") or 0) < (time.time() + 60) * 1000


async def token_call(
    client: httpx2.AsyncClient, url: str, form: dict[str, str], owner: str
) -> dict[str, Any]:
    """POST ``form`` to the token endpoint ``url`` of ``owner`` (``"Google"``,
    ``"Microsoft"``) and return its JSON answer.

    Raises CalendarAuthError for ``invalid_grant`` (consent revoked or expired: reconnect),
    CalendarError when the endpoint cannot be reached or answers without an access token.
    """
    try:
        r = await client.post(url, data=form)
    except httpx2.HTTPError as exc:
        raise CalendarError(
            f"{owner}'s token endpoint cannot be reached: {type(exc).__name__}"
        ) from None
    body: dict[str, Any] = r.json() if "json" in r.headers.get("content-type", "") else {}
    if r.status_code == 400 and body.get("error") == "invalid_grant":
        raise CalendarAuthError(
            f"{owner} refused the grant (consent revoked or expired): reconnect the calendar"
        )
    if r.status_code != 200 or "access_token" not in body:
        raise CalendarError(f"{owner}'s token endpoint answered HTTP {r.status_code}")
    return body


async def authorized_request(
    client: httpx2.AsyncClient,
    method: str,
    url: str,
    *,
    tokens: dict[str, Any],
    refresh: Callable[[httpx2.AsyncClient], Awaitable[None]],
    timeout: float,
    service: str,
    owner: str,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> httpx2.Response:
    """``method url`` with the bearer token of ``tokens`` (refreshed first when stale, through
    ``refresh``, which updates ``tokens`` in place), retried as the module docstring says.

    ``service`` names the API in errors (``"Google Calendar"``), ``owner`` the company
    (``"Google"``). Returns the last answer (any status but a second 401); raises CalendarError
    on a timeout or a network error, CalendarAuthError when the token is refused after a
    refresh.
    """
    if token_stale(tokens):
        await refresh(client)
    refreshed = limited = server_retries = 0
    while True:
        sent = {**(headers or {}), "Authorization": f"Bearer {tokens.get('access_token')}"}
        try:
            r = await client.request(method, url, headers=sent, **kwargs)
        except httpx2.TimeoutException:
            raise CalendarError(f"{service} did not answer in time") from None
        except httpx2.HTTPError as exc:
            raise CalendarError(f"{service} cannot be reached: {type(exc).__name__}") from None
        if r.status_code == 401 and not refreshed:
            refreshed = 1
            await refresh(client)
            continue
        if r.status_code == 429 and not limited:
            limited = 1
            wait = float(r.headers.get("Retry-After", "1") or 1)
            if wait <= timeout:
                await asyncio.sleep(wait)
                continue
        if r.status_code >= 500 and server_retries < 2:
            server_retries += 1
            await asyncio.sleep(0.2 * server_retries)
            continue
        if r.status_code == 401:
            raise CalendarAuthError(f"{owner} refused the access token: reconnect")
        return r


def ok_json(r: httpx2.Response, service: str, what: str) -> dict[str, Any]:
    """The JSON body of a successful answer (``{}`` when empty); CalendarError naming
    ``what`` was refused for a 4xx/5xx."""
    if r.status_code >= 400:
        raise CalendarError(f"{service} refused {what}: HTTP {r.status_code}")
    body: dict[str, Any] = r.json() if r.content else {}
    return body
