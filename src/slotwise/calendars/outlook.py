"""Outlook / Office 365 calendars through Microsoft Graph with ``httpx2``.

- OAuth 2.0 authorization code flow of the Microsoft identity platform (``common`` tenant):
  :func:`authorization_url`, the code exchange and refreshes at :data:`TOKEN_URL`, scopes
  ``offline_access Calendars.ReadWrite User.Read``.
- Tokens as Google's (``access_token``, ``refresh_token``, ``expiry_date`` in epoch ms),
  refreshed a minute before expiry and once on a 401; ``invalid_grant`` is refused credentials.
- ``GET /me/calendars`` (calendars; ``canEdit`` false is read-only), ``POST
  /me/calendar/getSchedule`` is per *user*, so busy times come from ``calendarView`` of each
  calendar (``showAs`` free and cancelled events ignored), and ``events`` create / PATCH /
  DELETE by the id Graph gave (kept in the booking reference; the event's ``iCalUId`` is the
  booking's). A 429 honours ``Retry-After`` once, a 5xx is retried twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx2

from slotwise.calendars.base import (
    BusySpan,
    CalendarAuthError,
    CalendarEvent,
    CalendarInfo,
    WrittenEvent,
)
from slotwise.calendars.oauth_http import (
    authorized_request,
    ok_json,
    token_call,
    token_expiry,
)

AUTH_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
TOKEN_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/token"
API = "https://graph.microsoft.com/v1.0"
SCOPES = ("offline_access", "Calendars.ReadWrite", "User.Read")
TRANSPORT: httpx2.AsyncBaseTransport | None = None
"""The HTTP transport of every Graph call when set (contract tests)."""
TOKENS: dict[int, dict[str, Any]] = {}
"""Access tokens refreshed in this process, by credential id."""


def authorization_url(client_id: str, redirect_uri: str, state: str) -> str:
    """Microsoft's consent page for ``client_id``."""
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "response_mode": "query",
        "scope": " ".join(SCOPES),
        "state": state,
    }
    return f"{AUTH_URL}?{urlencode(query)}"


async def exchange_code(
    code: str, *, client_id: str, client_secret: str, redirect_uri: str, timeout: float = 10.0
) -> dict[str, Any]:
    """Exchange an authorization ``code`` for tokens (see the module docstring)."""
    async with httpx2.AsyncClient(transport=TRANSPORT, timeout=timeout, trust_env=False) as c:
        answer = await token_call(
            c,
            TOKEN_URL,
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
                "grant_type": "authorization_code",
                "scope": " ".join(SCOPES),
            },
            "Microsoft",
        )
    return {
        "access_token": answer["access_token"],
        "refresh_token": answer.get("refresh_token"),
        "expiry_date": token_expiry(answer),
    }


def _graph_time(value: dict[str, Any]) -> datetime:
    """A Graph ``dateTimeTimeZone`` asked for in UTC (``Prefer: outlook.timezone="UTC"``)."""
    text = str(value.get("dateTime", "")).rstrip("Z")
    if "." in text:
        head, frac = text.split(".", 1)
        text = f"{head}.{frac[:6]}"
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class OutlookProvider:
    """The provider of one Microsoft connection (``key``: the stored tokens)."""

    def __init__(
        self,
        key: dict[str, Any],
        *,
        credential_id: int,
        client_id: str,
        client_secret: str,
        timeout: float,
    ) -> None:
        self.tokens = {**key, **TOKENS.get(credential_id, {})}
        self.credential_id = credential_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout

    async def _refresh(self, client: httpx2.AsyncClient) -> None:
        refresh = self.tokens.get("refresh_token")
        if not refresh:
            raise CalendarAuthError("No Microsoft refresh token: reconnect the calendar")
        answer = await token_call(
            client,
            TOKEN_URL,
            {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": str(refresh),
                "grant_type": "refresh_token",
                "scope": " ".join(SCOPES),
            },
            "Microsoft",
        )
        fresh = {"access_token": answer["access_token"], "expiry_date": token_expiry(answer)}
        if answer.get("refresh_token"):
            fresh["refresh_token"] = answer["refresh_token"]
        self.tokens.update(fresh)
        TOKENS[self.credential_id] = fresh

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx2.Response:
        async with httpx2.AsyncClient(
            transport=TRANSPORT, timeout=self.timeout, trust_env=False
        ) as client:
            return await authorized_request(
                client,
                method,
                API + path,
                tokens=self.tokens,
                refresh=self._refresh,
                timeout=self.timeout,
                service="Microsoft Graph",
                owner="Microsoft",
                headers={"Prefer": 'outlook.timezone="UTC"'},
                **kwargs,
            )

    @staticmethod
    def _ok(r: httpx2.Response, what: str) -> dict[str, Any]:
        return ok_json(r, "Microsoft Graph", what)

    async def list_calendars(self) -> list[CalendarInfo]:
        """``GET /me/calendars``."""
        body = self._ok(await self._request("GET", "/me/calendars"), "the list")
        return [
            CalendarInfo(
                str(item["id"]),
                str(item.get("name") or item["id"]),
                primary=bool(item.get("isDefaultCalendar")),
                read_only=not item.get("canEdit", True),
                email=(item.get("owner") or {}).get("address"),
            )
            for item in body.get("value", [])
        ]

    async def busy_times(
        self, calendars: Sequence[str] | None, start: datetime, end: datetime
    ) -> list[BusySpan]:
        """``calendarView`` of each calendar (None: all), free and cancelled events ignored."""
        ids = (
            list(calendars)
            if calendars is not None
            else [c.external_id for c in await self.list_calendars()]
        )
        params = {
            "startDateTime": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "endDateTime": end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "$select": "start,end,showAs,isCancelled",
            "$top": "500",
        }
        spans: list[BusySpan] = []
        for calendar_id in ids:
            path = f"/me/calendars/{quote(calendar_id, safe='')}/calendarView"
            body = self._ok(await self._request("GET", path, params=params), "the busy times")
            for item in body.get("value", []):
                if item.get("isCancelled") or item.get("showAs") == "free":
                    continue
                spans.append(
                    BusySpan(_graph_time(item["start"]), _graph_time(item["end"]), calendar_id)
                )
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    def _body(self, event: CalendarEvent) -> dict[str, Any]:
        return {
            "subject": event.title,
            "body": {"contentType": "text", "content": event.description or ""},
            "start": {
                "dateTime": event.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "timeZone": "UTC",
            },
            "end": {
                "dateTime": event.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "timeZone": "UTC",
            },
            "location": {"displayName": event.location or ""},
            "attendees": [
                {"emailAddress": {"address": e, "name": n}, "type": "required"}
                for n, e in event.attendees
            ],
            "transactionId": event.uid,
        }

    async def _find(self, calendar: str, uid: str) -> str | None:
        path = f"/me/calendars/{quote(calendar, safe='')}/events"
        body = self._ok(
            await self._request(
                "GET", path, params={"$filter": f"transactionId eq '{uid}'", "$select": "id"}
            ),
            "the search",
        )
        found = body.get("value") or []
        return str(found[0]["id"]) if found else None

    async def create_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """PATCH the event this booking made (found by ``transactionId``), else POST it."""
        existing = await self._find(calendar, event.uid)
        if existing is not None:
            r = await self._request(
                "PATCH", f"/me/events/{quote(existing, safe='')}", json=self._body(event)
            )
        else:
            path = f"/me/calendars/{quote(calendar, safe='')}/events"
            r = await self._request("POST", path, json=self._body(event))
        body = self._ok(r, "the event")
        return WrittenEvent(str(body.get("id", existing or "")), body.get("webLink"), calendar)

    async def update_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """Same as :meth:`create_event`."""
        return await self.create_event(calendar, event)

    async def delete_event(self, calendar: str, uid: str) -> None:
        """DELETE the booking's event (nothing when it is gone)."""
        existing = await self._find(calendar, uid)
        if existing is None:
            return
        r = await self._request("DELETE", f"/me/events/{quote(existing, safe='')}")
        if r.status_code != 404:
            self._ok(r, "the deletion")
