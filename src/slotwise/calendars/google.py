"""Google Calendar through its REST API with ``httpx2`` (no Google client library: the official
one is synchronous and large; four endpoints are enough).

- OAuth 2.0 web flow (Google's "Using OAuth 2.0 for Web Server Applications"): the
  authorization URL (:func:`authorization_url`, offline access, consent prompt, so a refresh
  token is issued), the code exchange and refreshes at :data:`TOKEN_URL`.
- Tokens: the credential's key holds ``access_token``, ``refresh_token`` and ``expiry_date``
  (epoch milliseconds, Cal.com's field). The access token is refreshed a minute before it
  expires and once on a 401; a refreshed token is kept in this process (:data:`TOKENS`), the
  refresh token stays the stored one. ``invalid_grant`` (consent revoked, token expired) is a
  :class:`CalendarAuthError`.
- Calls: ``calendarList`` (calendars), ``freeBusy`` (busy times), ``events`` insert / update /
  delete (writes; the event id is the SHA-1 hex of the booking's iCalendar UID, which Google
  accepts as an id, and ``iCalUID`` is set too). A 429 is retried once after ``Retry-After``
  (when it fits the time budget), a 5xx twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx2

from slotwise.calendars.base import (
    BusySpan,
    CalendarAuthError,
    CalendarError,
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

AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
API = "https://www.googleapis.com/calendar/v3"
SCOPES = (
    "https://www.googleapis.com/auth/calendar.readonly",
    "https://www.googleapis.com/auth/calendar.events",
)
TRANSPORT: httpx2.AsyncBaseTransport | None = None
"""The HTTP transport of every Google call when set (contract tests put a MockTransport here)."""
TOKENS: dict[int, dict[str, Any]] = {}
"""Access tokens refreshed in this process, by credential id."""


def authorization_url(client_id: str, redirect_uri: str, state: str) -> str:
    """Google's consent page for ``client_id``, coming back to ``redirect_uri`` with ``state``."""
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": " ".join(SCOPES),
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
        "state": state,
    }
    return f"{AUTH_URL}?{urlencode(query)}"


async def exchange_code(
    code: str,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    transport: httpx2.AsyncBaseTransport | None = None,
    timeout: float = 10.0,
) -> dict[str, Any]:
    """Exchange an authorization ``code`` for tokens: ``{access_token, refresh_token,
    expiry_date, scope, token_type}``. Raises CalendarAuthError / CalendarError."""
    async with httpx2.AsyncClient(
        transport=transport or TRANSPORT, timeout=timeout, trust_env=False
    ) as c:
        answer = await token_call(
            c,
            TOKEN_URL,
            {
                "code": code,
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uri": redirect_uri,
                "grant_type": "authorization_code",
            },
            "Google",
        )
    return {
        "access_token": answer["access_token"],
        "refresh_token": answer.get("refresh_token"),
        "expiry_date": token_expiry(answer),
        "scope": answer.get("scope", ""),
        "token_type": answer.get("token_type", "Bearer"),
    }


def event_id(uid: str) -> str:
    """Google's event id for the booking's iCalendar ``uid`` (lowercase hex: base32hex-safe)."""
    return hashlib.sha1(uid.encode("utf-8")).hexdigest()


class GoogleProvider:
    """The provider of one Google connection (``key``: the stored tokens; ``credential_id``
    names the in-process token cache)."""

    def __init__(
        self,
        key: dict[str, Any],
        *,
        credential_id: int,
        client_id: str,
        client_secret: str,
        timeout: float,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.tokens = {**key, **TOKENS.get(credential_id, {})}
        self.credential_id = credential_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self.transport = transport

    def _client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            transport=self.transport or TRANSPORT, timeout=self.timeout, trust_env=False
        )

    async def _refresh(self, client: httpx2.AsyncClient) -> None:
        refresh = self.tokens.get("refresh_token")
        if not refresh:
            raise CalendarAuthError("No Google refresh token: reconnect the calendar")
        answer = await token_call(
            client,
            TOKEN_URL,
            {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": str(refresh),
                "grant_type": "refresh_token",
            },
            "Google",
        )
        fresh = {"access_token": answer["access_token"], "expiry_date": token_expiry(answer)}
        self.tokens.update(fresh)
        TOKENS[self.credential_id] = fresh

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx2.Response:
        async with self._client() as client:
            return await authorized_request(
                client,
                method,
                API + path,
                tokens=self.tokens,
                refresh=self._refresh,
                timeout=self.timeout,
                service="Google Calendar",
                owner="Google",
                **kwargs,
            )

    @staticmethod
    def _ok(r: httpx2.Response, what: str) -> dict[str, Any]:
        return ok_json(r, "Google Calendar", what)

    async def list_calendars(self) -> list[CalendarInfo]:
        """``calendarList``: id, summary, primary; reader / freeBusyReader are read-only."""
        body = self._ok(await self._request("GET", "/users/me/calendarList"), "the list")
        return [
            CalendarInfo(
                str(item["id"]),
                str(item.get("summaryOverride") or item.get("summary") or item["id"]),
                primary=bool(item.get("primary")),
                read_only=item.get("accessRole") in ("reader", "freeBusyReader"),
                email=str(item["id"]) if item.get("primary") else None,
                time_zone=item.get("timeZone"),
            )
            for item in body.get("items", [])
        ]

    async def busy_times(
        self, calendars: Sequence[str] | None, start: datetime, end: datetime
    ) -> list[BusySpan]:
        """``freeBusy`` for ``calendars`` (None: every listed calendar)."""
        ids = (
            list(calendars)
            if calendars is not None
            else [c.external_id for c in await self.list_calendars()]
        )
        if not ids:
            return []
        body = self._ok(
            await self._request(
                "POST",
                "/freeBusy",
                json={
                    "timeMin": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                    "timeMax": end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                    "items": [{"id": i} for i in ids],
                },
            ),
            "the busy times",
        )
        spans: list[BusySpan] = []
        for calendar_id, found in (body.get("calendars") or {}).items():
            if found.get("errors"):
                raise CalendarError(
                    f"Google Calendar cannot read {calendar_id}: "
                    f"{found['errors'][0].get('reason', 'error')}"
                )
            for busy in found.get("busy", []):
                spans.append(
                    BusySpan(
                        datetime.fromisoformat(busy["start"].replace("Z", "+00:00")),
                        datetime.fromisoformat(busy["end"].replace("Z", "+00:00")),
                        calendar_id,
                    )
                )
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    def _body(self, event: CalendarEvent) -> dict[str, Any]:
        return {
            "id": event_id(event.uid),
            "iCalUID": event.uid,
            "summary": event.title,
            "description": event.description or "",
            "location": event.location or "",
            "start": {"dateTime": event.start.astimezone(UTC).isoformat()},
            "end": {"dateTime": event.end.astimezone(UTC).isoformat()},
            "sequence": event.sequence,
            "attendees": [{"email": e, "displayName": n} for n, e in event.attendees],
        }

    def _path(self, calendar: str, uid: str | None = None) -> str:
        path = f"/calendars/{quote(calendar, safe='')}/events"
        return path if uid is None else f"{path}/{event_id(uid)}"

    async def create_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """``events.update`` of the booking's event id, ``events.insert`` when it is new."""
        r = await self._request("PUT", self._path(calendar, event.uid), json=self._body(event))
        if r.status_code == 404:
            r = await self._request("POST", self._path(calendar), json=self._body(event))
        body = self._ok(r, "the event")
        return WrittenEvent(
            str(body.get("id", event_id(event.uid))), body.get("htmlLink"), calendar
        )

    async def update_event(self, calendar: str, event: CalendarEvent) -> WrittenEvent:
        """Same as :meth:`create_event`."""
        return await self.create_event(calendar, event)

    async def delete_event(self, calendar: str, uid: str) -> None:
        """``events.delete``; 404 / 410 (already gone) are fine."""
        r = await self._request("DELETE", self._path(calendar, uid))
        if r.status_code not in (404, 410):
            self._ok(r, "the deletion")


_STATUS_OUT = {"confirmed": "accepted", "tentative": "pending", "cancelled": "cancelled"}
_STATUS_IN = {"accepted": "confirmed", "pending": "tentative", "cancelled": "cancelled"}


def unified_event(item: dict[str, Any]) -> dict[str, Any]:
    """A Google event as Cal.com's ``UnifiedCalendarEventOutput``."""

    def when(value: dict[str, Any]) -> dict[str, Any]:
        time_ = value.get("dateTime") or (value.get("date", "") + "T00:00:00Z")
        return {"time": time_, "timeZone": value.get("timeZone") or "UTC"}

    attendees = [
        {
            "email": a.get("email", ""),
            "name": a.get("displayName") or a.get("email", ""),
            "responseStatus": a.get("responseStatus"),
            "self": a.get("self"),
            "optional": a.get("optional"),
            "host": a.get("organizer"),
        }
        for a in item.get("attendees", [])
    ]
    locations = []
    for entry in (item.get("conferenceData") or {}).get("entryPoints", []):
        kind = entry.get("entryPointType")
        if kind in ("video", "phone", "sip", "more") and entry.get("uri"):
            locations.append({"type": kind, "url": entry["uri"], "label": entry.get("label")})
    organizer = item.get("organizer") or {}
    return {
        "id": item.get("id", ""),
        "title": item.get("summary", ""),
        "description": item.get("description"),
        "start": when(item.get("start") or {}),
        "end": when(item.get("end") or {}),
        "locations": locations,
        "attendees": attendees,
        "status": _STATUS_OUT.get(str(item.get("status")), "accepted"),
        "hosts": [{"email": organizer.get("email", ""), "name": organizer.get("displayName")}]
        if organizer
        else [],
        "calendarEventOwner": {
            "email": organizer.get("email", ""),
            "name": organizer.get("displayName"),
        },
        "source": "google",
    }


def google_patch(body: dict[str, Any]) -> dict[str, Any]:
    """Cal.com's ``UpdateUnifiedCalendarEventInput`` (fields given) as a Google events.patch
    body."""
    out: dict[str, Any] = {}
    if "title" in body:
        out["summary"] = body["title"]
    if "description" in body:
        out["description"] = body["description"]
    for side in ("start", "end"):
        if body.get(side):
            value = {"dateTime": body[side]["time"]}
            if body[side].get("timeZone"):
                value["timeZone"] = body[side]["timeZone"]
            out[side] = value
    if body.get("status"):
        out["status"] = _STATUS_IN[body["status"]]
    if "attendees" in body and body["attendees"] is not None:
        out["attendees"] = [
            {
                k: v
                for k, v in {
                    "email": a.get("email"),
                    "displayName": a.get("name"),
                    "responseStatus": a.get("responseStatus"),
                    "optional": a.get("optional"),
                }.items()
                if v is not None
            }
            for a in body["attendees"]
        ]
    return out


async def get_event(provider: GoogleProvider, event_uid: str) -> dict[str, Any] | None:
    """``events.get`` on the primary calendar; None when Google has no such event."""
    r = await provider._request("GET", f"/calendars/primary/events/{quote(event_uid, safe='')}")
    if r.status_code in (404, 410):
        return None
    return unified_event(provider._ok(r, "the event"))


async def patch_event(
    provider: GoogleProvider, event_uid: str, body: dict[str, Any]
) -> dict[str, Any] | None:
    """``events.patch`` on the primary calendar; None when Google has no such event."""
    r = await provider._request(
        "PATCH",
        f"/calendars/primary/events/{quote(event_uid, safe='')}",
        json=google_patch(body),
    )
    if r.status_code in (404, 410):
        return None
    return unified_event(provider._ok(r, "the update"))
