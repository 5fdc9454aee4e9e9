"""Google Calendar contract tests: the OAuth connect URL and callback, token refresh (before
expiry and on 401), freeBusy, calendarList and event writes, 429 with Retry-After, 5xx retries
and revoked consent, all against Google's documented bodies (tests/google_payloads.py) through
httpx2.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from pydantic import SecretStr

from slotwise.calendars import busy, google
from slotwise.calendars.base import CalendarEvent
from slotwise.config import Settings
from tests import google_payloads as G
from tests.conftest import Host

Handler = Callable[[httpx2.Request], httpx2.Response]


class FakeGoogle:
    """Google's endpoints as a MockTransport: ``queue`` answers per "METHOD path" (first
    in, first out; the last one repeats), every request recorded."""

    def __init__(self) -> None:
        self.queue: dict[str, list[httpx2.Response]] = {}
        self.requests: list[httpx2.Request] = []

    def answer(self, key: str, *responses: httpx2.Response) -> None:
        self.queue.setdefault(key, []).extend(responses)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        key = f"{request.method} {request.url.host}{request.url.path}"
        answers = self.queue.get(key)
        if not answers:
            return httpx2.Response(599, json={"unexpected": key})
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def sent(self, key: str) -> list[httpx2.Request]:
        return [r for r in self.requests if f"{r.method} {r.url.host}{r.url.path}" == key]


TOKEN = "POST oauth2.googleapis.com/token"
LIST = "GET www.googleapis.com/calendar/v3/users/me/calendarList"
FREEBUSY = "POST www.googleapis.com/calendar/v3/freeBusy"


def ok(body: dict[str, Any], status: int = 200, **headers: str) -> httpx2.Response:
    return httpx2.Response(status, json=body, headers=headers)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    fake = FakeGoogle()
    monkeypatch.setattr(google, "TRANSPORT", httpx2.MockTransport(fake))
    google.TOKENS.clear()
    busy.clear_cache()
    yield fake
    google.TOKENS.clear()
    busy.clear_cache()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "google_client_id": "123.apps.googleusercontent.com",
            "google_client_secret": SecretStr("google-secret"),
        }
    )


async def _connect(client: httpx2.AsyncClient, host: Host, fake: FakeGoogle) -> int:
    r = await client.get(
        "/v2/calendars/google/connect",
        params={"redir": "https://app.example.com/done"},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    url = urlparse(r.json()["data"]["authUrl"])
    query = parse_qs(url.query)
    assert url.netloc == "accounts.google.com"
    assert query["client_id"] == ["123.apps.googleusercontent.com"]
    assert query["redirect_uri"] == ["http://slotwise.test/v2/calendars/google/save"]
    assert query["access_type"] == ["offline"] and "calendar.events" in query["scope"][0]
    fake.answer(TOKEN, ok(G.TOKEN_EXCHANGE))
    fake.answer(LIST, ok(G.CALENDAR_LIST))
    r = await client.get(
        "/v2/calendars/google/save", params={"state": query["state"][0], "code": "4/0AX4Xf"}
    )
    assert r.status_code == 301, r.text
    assert r.headers["location"] == "https://app.example.com/done"
    [exchange] = fake.sent(TOKEN)
    form = parse_qs(exchange.content.decode())
    assert form["grant_type"] == ["authorization_code"] and form["code"] == ["4/0AX4Xf"]
    assert form["client_secret"] == ["google-secret"]
    listed = (await client.get("/v2/calendars", headers=host.headers)).json()["data"]
    [connection] = listed["connectedCalendars"]
    assert connection["integration"]["type"] == "google_calendar"
    calendars = {c["externalId"]: c for c in connection["calendars"]}
    assert calendars["alice@example.com"]["isSelected"] is True  # primary selected on connect
    assert calendars["en.italian#holiday@group.v.calendar.google.com"]["readOnly"] is True
    assert "ya29" not in json.dumps(listed) and "refresh-token" not in json.dumps(listed)
    credential_id: int = connection["credentialId"]
    return credential_id


async def _busy(client: httpx2.AsyncClient, host: Host, credential_id: int) -> httpx2.Response:
    return await client.get(
        "/v2/calendars/busy-times",
        params={
            "credentialId": str(credential_id),
            "externalId": "alice@example.com",
            "dateFrom": "2050-09-05",
            "dateTo": "2050-09-07",
        },
        headers=host.headers,
    )


async def test_connect_without_settings_names_them(
    client: httpx2.AsyncClient, host: Host, app: Any
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"google_client_id": None, "google_client_secret": None}
    )
    r = await client.get("/v2/calendars/google/connect", headers=host.headers)
    assert r.status_code == 400 and "SLOTWISE_GOOGLE_CLIENT_ID" in r.json()["error"]["message"]
    r = await client.get("/v2/calendars/office365/connect", headers=host.headers)
    assert r.status_code == 400
    assert "SLOTWISE_MICROSOFT_CLIENT_ID" in r.json()["error"]["message"]
    r = await client.get("/v2/calendars/apple/connect", headers=host.headers)
    assert r.status_code == 400 and "Invalid calendar type" in r.json()["error"]["message"]


async def test_connect_save_list_and_free_busy(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    credential_id = await _connect(client, host, fake)
    fake.answer(FREEBUSY, ok(G.FREE_BUSY))
    r = await _busy(client, host, credential_id)
    assert r.status_code == 200, r.text
    assert [(s["start"], s["end"]) for s in r.json()["data"]] == [
        ("2050-09-06T10:00:00.000Z", "2050-09-06T11:00:00.000Z"),
        ("2050-09-07T06:00:00.000Z", "2050-09-07T07:00:00.000Z"),
    ]
    [query] = fake.sent(FREEBUSY)
    assert query.headers["Authorization"] == "Bearer ya29.first-access-token"
    body = json.loads(query.content)
    assert body["items"] == [{"id": "alice@example.com"}]
    assert body["timeMin"] == "2050-09-05T00:00:00Z" and body["timeMax"] == "2050-09-08T00:00:00Z"


async def test_bad_state_and_refused_grant(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    r = await client.get("/v2/calendars/google/save", params={"state": "x.y", "code": "c"})
    assert r.status_code == 400 and "Invalid OAuth state" in r.json()["error"]["message"]
    r = await client.get("/v2/calendars/google/connect", headers=host.headers)
    state = parse_qs(urlparse(r.json()["data"]["authUrl"]).query)["state"][0]
    r = await client.get(
        "/v2/calendars/google/save", params={"state": state, "error": "access_denied"}
    )
    assert r.status_code == 400 and "access_denied" in r.json()["error"]["message"]
    fake.answer(TOKEN, ok(G.INVALID_GRANT, 400))
    r = await client.get("/v2/calendars/google/save", params={"state": state, "code": "c"})
    assert r.status_code == 400 and "refused the grant" in r.json()["error"]["message"]
    listed = (await client.get("/v2/calendars", headers=host.headers)).json()["data"]
    assert listed["connectedCalendars"] == []


async def test_401_refreshes_then_retries_and_429_and_5xx_are_retried(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    credential_id = await _connect(client, host, fake)
    fake.answer(
        FREEBUSY,
        ok({"error": {"code": 401, "message": "Invalid Credentials"}}, 401),
        ok(G.RATE_LIMITED, 429, **{"Retry-After": "0"}),
        ok(G.BACKEND_ERROR, 500),
        ok(G.FREE_BUSY),
    )
    fake.queue[TOKEN] = [ok(G.TOKEN_REFRESH)]
    r = await _busy(client, host, credential_id)
    assert len(r.json()["data"]) == 2
    sent = fake.sent(FREEBUSY)
    assert [q.headers["Authorization"] for q in sent] == [
        "Bearer ya29.first-access-token",
        *["Bearer ya29.refreshed-access-token"] * 3,
    ]
    refresh = parse_qs(fake.sent(TOKEN)[-1].content.decode())
    assert refresh["grant_type"] == ["refresh_token"]
    assert refresh["refresh_token"] == ["1//refresh-token-xEoDL4iW3cxlI7yDbSRFYNG01kVKM2C"]


async def test_revoked_consent_adds_no_busy_time_and_shows(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    credential_id = await _connect(client, host, fake)
    fake.queue[FREEBUSY] = [ok({"error": {"code": 401, "message": "Invalid Credentials"}}, 401)]
    fake.queue[LIST] = [ok({"error": {"code": 401, "message": "Invalid Credentials"}}, 401)]
    fake.queue[TOKEN] = [ok(G.INVALID_GRANT, 400)]
    r = await _busy(client, host, credential_id)
    assert r.status_code == 200 and r.json()["data"] == []
    [connection] = (await client.get("/v2/calendars", headers=host.headers)).json()["data"][
        "connectedCalendars"
    ]
    assert "consent revoked" in connection["error"]["message"]
    r = await client.get("/v2/calendars/google/check", headers=host.headers)
    assert r.status_code == 401 and "consent revoked" in r.json()["error"]["message"]


async def test_event_insert_update_delete_contract(fake: FakeGoogle) -> None:
    from datetime import UTC, datetime

    provider = google.GoogleProvider(
        {"access_token": "ya29.a", "refresh_token": "r", "expiry_date": 4_000_000_000_000},
        credential_id=999,
        client_id="id",
        client_secret="secret",
        timeout=5,
    )
    event = CalendarEvent(
        uid="uid@slotwise",
        title="Intro",
        start=datetime(2050, 9, 7, 9, tzinfo=UTC),
        end=datetime(2050, 9, 7, 9, 30, tzinfo=UTC),
        organizer_name="Alice",
        organizer_email="alice@example.com",
        attendees=(("Bob", "bob@example.com"),),
        sequence=2,
    )
    path = "www.googleapis.com/calendar/v3/calendars/alice@example.com/events"
    event_path = f"{path}/{google.event_id('uid@slotwise')}"
    fake.answer(f"PUT {event_path}", ok(G.NOT_FOUND, 404), ok({**G.EVENT, "id": "x"}))
    fake.answer(f"POST {path}", ok({**G.EVENT, "id": google.event_id("uid@slotwise")}))
    written = await provider.create_event("alice@example.com", event)
    assert written.url == G.EVENT["htmlLink"]
    [insert] = fake.sent(f"POST {path}")
    body = json.loads(insert.content)
    assert body["iCalUID"] == "uid@slotwise" and body["sequence"] == 2
    assert body["attendees"] == [{"email": "bob@example.com", "displayName": "Bob"}]
    await provider.update_event("alice@example.com", event)  # now PUT succeeds
    assert len(fake.sent(f"PUT {event_path}")) == 2
    fake.answer(f"DELETE {event_path}", httpx2.Response(410))
    await provider.delete_event("alice@example.com", "uid@slotwise")  # already gone: fine


async def test_get_and_patch_an_event(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    await _connect(client, host, fake)
    path = "www.googleapis.com/calendar/v3/calendars/primary/events/evt123"
    fake.answer(f"GET {path}", ok(G.EVENT_FULL))
    r = await client.get("/v2/calendars/google/event/evt123", headers=host.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["id"] == "evt123" and data["title"] == "Intro call" and data["source"] == "google"
    assert data["start"] == {"time": "2050-09-07T09:00:00+02:00", "timeZone": "Europe/Rome"}
    assert data["attendees"][0]["email"] == "bob@example.com"
    assert data["locations"] == [
        {
            "type": "video",
            "url": "https://meet.google.com/abc-defg-hij",
            "label": "meet.google.com/abc-defg-hij",
        }
    ]
    fake.answer(f"PATCH {path}", ok({**G.EVENT_FULL, "summary": "Renamed"}))
    r = await client.patch(
        "/v2/calendars/google/events/evt123",
        json={"title": "Renamed", "start": {"time": "2050-09-07T10:00:00Z", "timeZone": "UTC"}},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["title"] == "Renamed"
    [sent] = fake.sent(f"PATCH {path}")
    assert json.loads(sent.content) == {
        "summary": "Renamed",
        "start": {"dateTime": "2050-09-07T10:00:00Z", "timeZone": "UTC"},
    }
    fake.queue[f"GET {path}"] = [ok(G.NOT_FOUND, 404)]
    r = await client.get("/v2/calendars/google/event/evt123", headers=host.headers)
    assert r.status_code == 404


async def test_event_without_a_google_connection_is_404(
    client: httpx2.AsyncClient, host: Host, fake: FakeGoogle
) -> None:
    r = await client.get("/v2/calendars/google/event/evt123", headers=host.headers)
    assert r.status_code == 404 and "No Google calendar" in r.json()["error"]["message"]
