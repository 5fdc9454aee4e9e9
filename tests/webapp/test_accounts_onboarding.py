"""The onboarding after sign-up: username, time zone, a first schedule (Mon–Fri 09:00–17:00
prefilled) and event type made through the services, read back through the API; errors
beside the fields; CSRF refusal."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post

V_SCHEDULES = {"cal-api-version": "2024-06-11"}
V_EVENT_TYPES = {"cal-api-version": "2024-06-14"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


async def test_onboarding_creates_the_schedule_and_event_type(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    first = await app_get(app_client, "/app/onboarding")
    assert "Step 1 of 5" in first.text and 'value="alice"' in first.text
    taken = await app_post(
        app_client, "/app/onboarding", "/app/onboarding", {"step": "username", "username": "bob"}
    )
    assert taken.status_code == 400 and 'id="f-username-error"' in taken.text
    renamed = await app_post(
        app_client,
        "/app/onboarding",
        "/app/onboarding",
        {"step": "username", "username": "alice-smith"},
    )
    assert renamed.status_code == 303
    assert renamed.headers["location"] == "/app/onboarding?step=time-zone"

    zone_page = await app_get(app_client, "/app/onboarding?step=time-zone")
    assert '<option value="Europe/Paris"' in zone_page.text
    bad_zone = await app_post(
        app_client,
        "/app/onboarding?step=time-zone",
        "/app/onboarding",
        {"step": "time-zone", "timeZone": "Mars/Base"},
    )
    assert bad_zone.status_code == 400 and 'id="f-timeZone-error"' in bad_zone.text
    zoned = await app_post(
        app_client,
        "/app/onboarding?step=time-zone",
        "/app/onboarding",
        {"step": "time-zone", "timeZone": "Europe/Paris"},
    )
    assert zoned.headers["location"] == "/app/onboarding?step=schedule"

    schedule_page = await app_get(app_client, "/app/onboarding?step=schedule")
    assert 'name="day-Monday" value="true" checked' in schedule_page.text
    assert 'name="day-Saturday" value="true">' in schedule_page.text
    assert 'value="09:00"' in schedule_page.text and 'value="17:00"' in schedule_page.text
    days = {f"day-{day}": "true" for day in WEEKDAYS}
    backwards = await app_post(
        app_client,
        "/app/onboarding?step=schedule",
        "/app/onboarding",
        {"step": "schedule", **days, "startTime": "17:00", "endTime": "09:00"},
    )
    assert backwards.status_code == 400 and 'id="f-startTime-error"' in backwards.text
    scheduled = await app_post(
        app_client,
        "/app/onboarding?step=schedule",
        "/app/onboarding",
        {"step": "schedule", **days, "startTime": "09:00", "endTime": "17:00"},
    )
    assert scheduled.headers["location"] == "/app/onboarding?step=event-type"

    zero = await app_post(
        app_client,
        "/app/onboarding?step=event-type",
        "/app/onboarding",
        {"step": "event-type", "title": "Intro", "slug": "intro", "lengthInMinutes": "0"},
    )
    assert zero.status_code == 400 and 'id="f-lengthInMinutes-error"' in zero.text
    made = await app_post(
        app_client,
        "/app/onboarding?step=event-type",
        "/app/onboarding",
        {"step": "event-type", "title": "Intro call", "slug": "intro", "lengthInMinutes": "20"},
    )
    assert made.headers["location"] == "/app/onboarding?step=done"
    done = await app_get(app_client, "/app/onboarding?step=done")
    assert 'href="/alice-smith"' in done.text
    assert "http://slotwise.test/alice-smith</a>" in done.text

    schedules = await client.get("/v2/schedules", headers={**host.headers, **V_SCHEDULES})
    [schedule] = schedules.json()["data"]
    assert schedule["isDefault"] and schedule["timeZone"] == "Europe/Paris"
    assert schedule["availability"] == [
        {"days": list(WEEKDAYS), "startTime": "09:00", "endTime": "17:00"}
    ]
    event_types = await client.get("/v2/event-types", headers={**host.headers, **V_EVENT_TYPES})
    [event_type] = event_types.json()["data"]
    assert (event_type["slug"], event_type["lengthInMinutes"]) == ("intro", 20)
    me = await client.get("/v2/me", headers=host.headers)
    assert me.json()["data"]["username"] == "alice-smith"
    assert (await client.get("/alice-smith")).status_code == 200


async def test_onboarding_without_csrf_token_changes_nothing(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    await app_get(app_client, "/app/onboarding")
    refused = await app_client.post(
        "/app/onboarding", data={"step": "username", "username": "mallory"}
    )
    assert refused.status_code == 403
    me = await client.get("/v2/me", headers=host.headers)
    assert me.json()["data"]["username"] == "alice"


async def test_onboarding_needs_a_login(app: Any, browser_client: httpx2.AsyncClient) -> None:
    answer = await browser_client.get("/app/onboarding?step=schedule")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/app/login?next=/app/onboarding")
