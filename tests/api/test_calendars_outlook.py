"""Outlook / Office 365 contract tests through httpx2.MockTransport, replaying Microsoft's
documented bodies: OAuth connect and callback, /me/calendars, calendarView busy times (free and
cancelled events ignored), 401 → refresh → retry, revoked consent, event create / update /
delete by the booking's transactionId."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from pydantic import SecretStr

from slotwise.calendars import busy, outlook
from slotwise.calendars.base import CalendarEvent
from slotwise.config import Settings
from tests.api.test_calendars_google import FakeGoogle, ok
from tests.conftest import Host

TOKEN = "POST login.microsoftonline.com/common/oauth2/v2.0/token"
CALENDARS = "GET graph.microsoft.com/v1.0/me/calendars"
VIEW = "GET graph.microsoft.com/v1.0/me/calendars/AAMkAD-default/calendarView"

# https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
# ("Successful response" of the token request; the refresh answer has the same shape)
TOKENS = {
    "access_token": "eyJ0eXAiOi-first",
    "token_type": "Bearer",
    "expires_in": 3599,
    "scope": "https://graph.microsoft.com/Calendars.ReadWrite",
    "refresh_token": "AwABAAAAvPM1KaPl-refresh",
}
REFRESHED = {**TOKENS, "access_token": "eyJ0eXAiOi-refreshed"}
# same page, "Error response" (a revoked grant)
INVALID_GRANT = {"error": "invalid_grant", "error_description": "AADSTS50173: revoked"}
# https://learn.microsoft.com/en-us/graph/api/user-list-calendars (response)
CALENDAR_LIST = {
    "value": [
        {
            "id": "AAMkAD-default",
            "name": "Calendar",
            "canEdit": True,
            "isDefaultCalendar": True,
            "owner": {"name": "Alice", "address": "alice@contoso.com"},
        },
        {"id": "AAMkAD-holidays", "name": "Holidays", "canEdit": False},
    ]
}
# https://learn.microsoft.com/en-us/graph/api/calendar-list-calendarview (response, with
# Prefer: outlook.timezone="UTC")
CALENDAR_VIEW = {
    "value": [
        {
            "showAs": "busy",
            "isCancelled": False,
            "start": {"dateTime": "2050-09-06T10:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": "2050-09-06T11:00:00.0000000", "timeZone": "UTC"},
        },
        {
            "showAs": "free",
            "isCancelled": False,
            "start": {"dateTime": "2050-09-06T12:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": "2050-09-06T13:00:00.0000000", "timeZone": "UTC"},
        },
        {
            "showAs": "busy",
            "isCancelled": True,
            "start": {"dateTime": "2050-09-06T14:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": "2050-09-06T15:00:00.0000000", "timeZone": "UTC"},
        },
    ]
}
# https://learn.microsoft.com/en-us/graph/api/calendar-post-events (response: an event)
EVENT = {"id": "AAMkAGI1-event", "webLink": "https://outlook.office365.com/owa/?itemid=x"}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    fake = FakeGoogle()
    monkeypatch.setattr(outlook, "TRANSPORT", httpx2.MockTransport(fake))
    outlook.TOKENS.clear()
    busy.clear_cache()
    yield fake
    outlook.TOKENS.clear()
    busy.clear_cache()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "microsoft_client_id": "11111111-app",
            "microsoft_client_secret": SecretStr("ms-secret"),
        }
    )


async def _connect(client: httpx2.AsyncClient, host: Host, fake: FakeGoogle) -> int:
    r = await client.get("/v2/calendars/office365/connect", headers=host.headers)
    assert r.status_code == 200, r.text
    url = urlparse(r.json()["data"]["authUrl"])
    query = parse_qs(url.query)
    assert url.netloc == "login.microsoftonline.com"
    assert query["redirect_uri"] == ["http://slotwise.test/v2/calendars/office365/save"]
    assert "offline_access" in query["scope"][0]
    fake.answer(TOKEN, ok(TOKENS))
    fake.answer(CALENDARS, ok(CALENDAR_LIST))
    r = await client.get(
        "/v2/calendars/office365/save", params={"state": query["state"][0], "code": "M.R3_BAY"}
    )
    assert r.status_code == 200 and r.json() == {"status": "success"}, r.text
    [connection] = (await client.get("/v2/calendars", headers=host.headers)).json()["data"][
        "connectedCalendars"
    ]
    assert connection["integration"]["type"] == "office365_calendar"
    selected = {c["externalId"]: c["isSelected"] for c in connection["calendars"]}
    assert selected == {"AAMkAD-default": True, "AAMkAD-holidays": False}
    credential_id: int = connection["credentialId"]
    return credential_id


async def test_connect_and_busy_times_with_refresh(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    credential_id = await _connect(client, host, fake)
    fake.answer(VIEW, ok({"error": {"code": "InvalidAuthenticationToken"}}, 401), ok(CALENDAR_VIEW))
    fake.queue[TOKEN] = [ok(REFRESHED)]
    r = await client.get(
        "/v2/calendars/busy-times",
        params={"credentialId": str(credential_id), "externalId": "AAMkAD-default",
                "dateFrom": "2050-09-06", "dateTo": "2050-09-06"},
        headers=host.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert [(s["start"], s["end"]) for s in r.json()["data"]] == [
        ("2050-09-06T10:00:00.000Z", "2050-09-06T11:00:00.000Z")
    ]
    sent = fake.sent(VIEW)
    assert [q.headers["Authorization"] for q in sent] == [
        "Bearer eyJ0eXAiOi-first",
        "Bearer eyJ0eXAiOi-refreshed",
    ]
    assert sent[-1].headers["Prefer"] == 'outlook.timezone="UTC"'


async def test_revoked_consent_shows_on_check(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    await _connect(client, host, fake)
    fake.queue[CALENDARS] = [ok({"error": {"code": "InvalidAuthenticationToken"}}, 401)]
    fake.queue[TOKEN] = [ok(INVALID_GRANT, 400)]
    r = await client.get("/v2/calendars/office365/check", headers=host.headers)
    assert r.status_code == 401 and "consent revoked" in r.json()["error"]["message"]


async def test_event_create_update_delete_contract(fake: FakeGoogle) -> None:
    provider = outlook.OutlookProvider(
        {"access_token": "a", "refresh_token": "r", "expiry_date": 4_000_000_000_000},
        credential_id=998,
        client_id="id",
        client_secret="s",
        timeout=5,
    )
    event = CalendarEvent(
        uid="uid@slotwise",
        title="Intro",
        start=datetime(2050, 9, 7, 9, tzinfo=UTC),
        end=datetime(2050, 9, 7, 9, 30, tzinfo=UTC),
        organizer_name="Alice",
        organizer_email="alice@contoso.com",
        attendees=(("Bob", "bob@example.com"),),
    )
    events = "graph.microsoft.com/v1.0/me/calendars/AAMkAD-default/events"
    fake.answer(f"GET {events}", ok({"value": []}), ok({"value": [{"id": "AAMkAGI1-event"}]}))
    fake.answer(f"POST {events}", ok(EVENT, 201))
    written = await provider.create_event("AAMkAD-default", event)
    assert written.uid == "AAMkAGI1-event" and written.url == EVENT["webLink"]
    body = json.loads(fake.sent(f"POST {events}")[0].content)
    assert body["transactionId"] == "uid@slotwise"
    assert body["start"] == {"dateTime": "2050-09-07T09:00:00", "timeZone": "UTC"}
    assert body["attendees"][0]["emailAddress"]["address"] == "bob@example.com"
    one = "graph.microsoft.com/v1.0/me/events/AAMkAGI1-event"
    fake.answer(f"PATCH {one}", ok(EVENT))
    await provider.update_event("AAMkAD-default", event)
    assert len(fake.sent(f"PATCH {one}")) == 1
    fake.answer(f"DELETE {one}", httpx2.Response(204))
    await provider.delete_event("AAMkAD-default", "uid@slotwise")
    assert len(fake.sent(f"DELETE {one}")) == 1
