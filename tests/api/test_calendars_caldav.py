"""Apple (POST /v2/calendars/apple/credentials against SLOTWISE_APPLE_CALDAV_URL) and generic
CalDAV (our ``caldav`` extension) against a real Radicale server: connect, a wrong password,
list, selected and destination calendars, busy times from events another CalDAV client put
there (recurring with exceptions, all-day), check, a password that stops working, disconnect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from slotwise.calendars import busy
from slotwise.config import Settings
from tests.calendar_fixtures import Radicale, vcalendar, vevent
from tests.conftest import Host


@pytest.fixture
def settings(settings: Settings, radicale: Radicale) -> Settings:
    """The test settings with Radicale standing in for Apple's CalDAV server."""
    return settings.model_copy(update={"apple_caldav_url": radicale.url})


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    busy.clear_cache()
    yield
    busy.clear_cache()


RECURRING = vcalendar(
    vevent(
        "standup",
        "TZID=Europe/Berlin:20261207T090000",
        "TZID=Europe/Berlin:20261207T093000",
        "RRULE:FREQ=DAILY;COUNT=5",
        "EXDATE;TZID=Europe/Berlin:20261208T090000",
    ),
    vevent(
        "standup",
        "TZID=Europe/Berlin:20261209T150000",
        "TZID=Europe/Berlin:20261209T153000",
        "RECURRENCE-ID;TZID=Europe/Berlin:20261209T090000",
    ),
).decode()
ALL_DAY = vcalendar(vevent("offsite", "VALUE=DATE:20261214", "VALUE=DATE:20261215")).decode()
FREE = vcalendar(
    vevent("lunch", "20261207T120000Z", "20261207T130000Z", "TRANSP:TRANSPARENT")
).decode()


async def _connect(
    client: httpx2.AsyncClient, host: Host, radicale: Radicale, user: str, **extra: Any
) -> httpx2.Response:
    body = {"url": radicale.url, "username": user, "password": radicale.users[user], **extra}
    return await client.post("/v2/calendars/caldav/credentials", json=body, headers=host.headers)


async def _calendars(client: httpx2.AsyncClient, host: Host) -> dict[str, Any]:
    r = await client.get("/v2/calendars", headers=host.headers)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def test_wrong_password_is_400_and_nothing_is_stored(
    client: httpx2.AsyncClient, host: Host, radicale: Radicale
) -> None:
    user = radicale.add_user()
    radicale.make_calendar(user, "Work")
    r = await _connect(client, host, radicale, user, password="not-the-password")
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert "refused the username or password" in message and "not-the-password" not in message
    r = await client.post(
        "/v2/calendars/apple/credentials",
        json={"username": user, "password": "wrong-one"},
        headers=host.headers,
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("Could not add this apple calendar account")
    assert (await _calendars(client, host))["connectedCalendars"] == []
    r = await client.post(
        "/v2/calendars/caldav/credentials",
        json={"username": user, "password": "whatever"},
        headers=host.headers,
    )
    assert r.status_code == 400 and "url is required" in r.json()["error"]["message"]
    r = await client.post(
        "/v2/calendars/nope/credentials",
        json={"username": user, "password": "whatever"},
        headers=host.headers,
    )
    assert r.status_code == 400 and "Invalid calendar type" in r.json()["error"]["message"]


async def test_apple_connect_list_select_destination_busy_check(
    client: httpx2.AsyncClient, host: Host, radicale: Radicale
) -> None:
    user = radicale.add_user()
    work = radicale.make_calendar(user, "Work")
    home = radicale.make_calendar(user, "Home")
    work.save_event(RECURRING)
    work.save_event(FREE)
    home.save_event(ALL_DAY)
    r = await client.post(
        "/v2/calendars/apple/credentials",
        json={"username": user, "password": radicale.users[user]},
        headers=host.headers,
    )
    assert r.status_code == 201 and r.json() == {"status": "success"}
    data = await _calendars(client, host)
    [connection] = data["connectedCalendars"]
    assert connection["integration"]["type"] == "apple_calendar"
    credential_id = connection["credentialId"]
    names = {c["name"]: c for c in connection["calendars"]}
    assert set(names) == {"Work", "Home"}
    assert all(c["readOnly"] is False and c["isSelected"] is False for c in names.values())
    assert radicale.users[user] not in str(data)
    # Cal.com's default destination: the primary calendar
    assert data["destinationCalendar"]["credentialId"] == credential_id

    r = await client.get("/v2/calendars/apple/check", headers=host.headers)
    assert r.status_code == 200 and r.json() == {"status": "success"}

    work_id = names["Work"]["externalId"]
    params = {
        "credentialId": str(credential_id),
        "externalId": work_id,
        "dateFrom": "2026-12-07",
        "dateTo": "2026-12-13",
        "timeZone": "Europe/Berlin",
    }
    r = await client.get("/v2/calendars/busy-times", params=params, headers=host.headers)
    assert r.status_code == 200, r.text
    assert [(s["start"], s["end"]) for s in r.json()["data"]] == [
        ("2026-12-07T08:00:00.000Z", "2026-12-07T08:30:00.000Z"),
        # the 8th is excluded (EXDATE); the 9th moved to 15:00 (RECURRENCE-ID)
        ("2026-12-09T14:00:00.000Z", "2026-12-09T14:30:00.000Z"),
        ("2026-12-10T08:00:00.000Z", "2026-12-10T08:30:00.000Z"),
        ("2026-12-11T08:00:00.000Z", "2026-12-11T08:30:00.000Z"),
    ]

    # The form Cal.com's documentation uses: calendarsToLoad[i][…], several at once.
    home_id = names["Home"]["externalId"]
    deep = {
        "calendarsToLoad[0][credentialId]": str(credential_id),
        "calendarsToLoad[0][externalId]": work_id,
        "calendarsToLoad[1][credentialId]": str(credential_id),
        "calendarsToLoad[1][externalId]": home_id,
        "dateFrom": "2026-12-07",
        "dateTo": "2026-12-13",
        "timeZone": "Europe/Berlin",
    }
    r = await client.get("/v2/calendars/busy-times", params=deep, headers=host.headers)
    assert r.status_code == 200, r.text
    both = [(s["start"], s["end"]) for s in r.json()["data"]]
    assert set(both) >= {("2026-12-07T08:00:00.000Z", "2026-12-07T08:30:00.000Z")}
    assert both == sorted(both)
    r = await client.get(
        "/v2/calendars/busy-times",
        params={"calendarsToLoad[0][credentialId]": "x", "calendarsToLoad[0][externalId]": "y"},
        headers=host.headers,
    )
    assert r.status_code == 400
    r = await client.get("/v2/calendars/busy-times", headers=host.headers)
    assert r.status_code == 400
    assert "calendarsToLoad[0][credentialId]" in r.json()["error"]["message"]

    body = {"integration": "apple_calendar", "externalId": home_id, "credentialId": credential_id}
    r = await client.post("/v2/selected-calendars", json=body, headers=host.headers)
    assert r.status_code == 201, r.text
    assert r.json()["data"] == {
        "userId": host.id,
        "integration": "apple_calendar",
        "externalId": home_id,
        "credentialId": credential_id,
    }
    data = await _calendars(client, host)
    selected = {c["name"]: c["isSelected"] for c in data["connectedCalendars"][0]["calendars"]}
    assert selected == {"Work": False, "Home": True}

    r = await client.put(
        "/v2/destination-calendars",
        json={"integration": "apple_calendar", "externalId": home_id},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["externalId"] == home_id
    data = await _calendars(client, host)
    assert data["destinationCalendar"]["externalId"] == home_id
    assert data["destinationCalendar"]["name"] == "Home"
    r = await client.put(
        "/v2/destination-calendars",
        json={"integration": "apple_calendar", "externalId": "https://elsewhere.example/"},
        headers=host.headers,
    )
    assert r.status_code == 404

    r = await client.delete(
        "/v2/selected-calendars",
        params={
            "integration": "apple_calendar",
            "externalId": home_id,
            "credentialId": str(credential_id),
        },
        headers=host.headers,
    )
    assert r.status_code == 200 and r.json()["data"]["externalId"] == home_id
    r = await client.delete(
        "/v2/selected-calendars",
        params={
            "integration": "apple_calendar",
            "externalId": home_id,
            "credentialId": str(credential_id),
        },
        headers=host.headers,
    )
    assert r.status_code == 404


async def test_password_that_stops_working_shows_on_check_and_list(
    client: httpx2.AsyncClient, host: Host, radicale: Radicale
) -> None:
    user = radicale.add_user()
    radicale.make_calendar(user, "Work")
    r = await _connect(client, host, radicale, user)
    assert r.status_code == 201, r.text
    r = await client.get("/v2/calendars/caldav/check", headers=host.headers)
    assert r.status_code == 200
    data = await _calendars(client, host)
    [connection] = data["connectedCalendars"]
    assert connection["integration"]["type"] == "caldav_calendar"
    credential_id = connection["credentialId"]

    radicale.set_password(user, "changed-elsewhere")
    r = await client.get("/v2/calendars/caldav/check", headers=host.headers)
    assert r.status_code == 401
    assert "refused the username or password" in r.json()["error"]["message"]
    [connection] = (await _calendars(client, host))["connectedCalendars"]
    assert "refused the username or password" in connection["error"]["message"]
    assert "calendars" not in connection

    r = await client.post(
        "/v2/calendars/caldav/disconnect", json={"id": credential_id}, headers=host.headers
    )
    assert r.status_code == 200
    assert r.json()["data"] == {
        "id": credential_id,
        "type": "caldav_calendar",
        "userId": host.id,
        "teamId": None,
        "appId": "caldav-calendar",
        "invalid": False,
    }
    r = await client.get("/v2/calendars/caldav/check", headers=host.headers)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Credentials for caldav calendar not found."
