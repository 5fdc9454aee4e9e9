"""Connected calendars in scheduling: a host's CalDAV (Radicale) busy time removes slots and
refuses bookings, with the event type's buffers; which calendars count (selection); a calendar
that cannot be read adds no busy time (Cal.com's behaviour) and shows its error to its owner;
the busy-time cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from slotwise.calendars import busy
from slotwise.calendars.connections import credential_key, dump_key
from slotwise.kit.db import Database
from slotwise.models import CalendarCredential
from tests.api.booking_fixtures import TUESDAY, at, book, make_event_type
from tests.api.slot_fixtures import slot_data, starts
from tests.calendar_fixtures import Radicale, vcalendar, vevent
from tests.conftest import Host


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    busy.clear_cache()
    yield
    busy.clear_cache()


DENTIST = vcalendar(vevent("dentist", "20500906T100000Z", "20500906T110000Z")).decode()
GYM = vcalendar(vevent("gym", "20500906T140000Z", "20500906T150000Z")).decode()


async def _connect(client: httpx2.AsyncClient, host: Host, radicale: Radicale, user: str) -> int:
    r = await client.post(
        "/v2/calendars/caldav/credentials",
        json={"url": radicale.url, "username": user, "password": radicale.users[user]},
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    listed = (await client.get("/v2/calendars", headers=host.headers)).json()["data"]
    credential_id: int = listed["connectedCalendars"][0]["credentialId"]
    return credential_id


async def _tuesday(client: httpx2.AsyncClient, et: int) -> list[str]:
    data = await slot_data(client, eventTypeId=et, start=TUESDAY, end=TUESDAY, timeZone="UTC")
    return starts(data, TUESDAY)


async def test_calendar_busy_time_removes_slots_and_refuses_bookings(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale
) -> None:
    et = await make_event_type(app, host, length=30)
    buffered = await make_event_type(
        app, host, slug="buffered", length=30, with_schedule=False, afterEventBuffer=30
    )
    before = await _tuesday(client, et)
    assert {"10:00", "10:30"} <= set(before)

    user = radicale.add_user()
    radicale.make_calendar(user, "Personal").save_event(DENTIST)
    await _connect(client, host, radicale, user)

    after = await _tuesday(client, et)
    assert "10:00" not in after and "10:30" not in after
    assert {"09:30", "11:00"} <= set(after)
    # the event type's buffers apply to calendar busy time as to bookings
    with_buffer = await _tuesday(client, buffered)
    assert "09:30" not in with_buffer and "10:00" not in with_buffer and "11:30" in with_buffer

    r = await book(client, et, at(TUESDAY, "10:30"))
    assert r.status_code == 400, r.text
    r = await book(client, et, at(TUESDAY, "11:00"))
    assert r.status_code == 201, r.text


async def test_only_selected_calendars_count_once_some_are_selected(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale
) -> None:
    et = await make_event_type(app, host, length=60)
    user = radicale.add_user()
    personal = radicale.make_calendar(user, "Personal")
    personal.save_event(DENTIST)
    sport = radicale.make_calendar(user, "Sport")
    sport.save_event(GYM)
    credential_id = await _connect(client, host, radicale, user)
    # nothing selected: every calendar counts (Cal.com)
    slots = await _tuesday(client, et)
    assert "10:00" not in slots and "14:00" not in slots
    r = await client.post(
        "/v2/selected-calendars",
        json={
            "integration": "caldav_calendar",
            "externalId": str(sport.url),
            "credentialId": credential_id,
        },
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    slots = await _tuesday(client, et)  # selecting dropped the cached busy times
    assert "10:00" in slots and "14:00" not in slots


async def test_a_calendar_that_cannot_be_read_adds_no_busy_time_and_says_so(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale
) -> None:
    et = await make_event_type(app, host, length=30)
    user = radicale.add_user()
    radicale.make_calendar(user, "Personal").save_event(DENTIST)
    credential_id = await _connect(client, host, radicale, user)
    assert "10:00" not in await _tuesday(client, et)

    # the CalDAV server goes away (a closed port): the query still answers, as Cal.com's
    # getBusyCalendarTimes does, without that calendar's busy times
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        credential = await session.get(CalendarCredential, credential_id)
        assert credential is not None
        key = credential_key(credential)
        credential.key = dump_key({**key, "url": "http://127.0.0.1:9/"})
    busy.clear_cache()
    assert "10:00" in await _tuesday(client, et)
    listed = (await client.get("/v2/calendars", headers=host.headers)).json()["data"]
    assert "cannot be reached" in listed["connectedCalendars"][0]["error"]["message"]
    r = await client.get("/v2/calendars/caldav/check", headers=host.headers)
    assert r.status_code == 401 and "cannot be reached" in r.json()["error"]["message"]


async def test_busy_times_are_cached_until_the_ttl(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale
) -> None:
    et = await make_event_type(app, host, length=30)
    user = radicale.add_user()
    calendar = radicale.make_calendar(user, "Personal")
    await _connect(client, host, radicale, user)
    assert "10:00" in await _tuesday(client, et)
    calendar.save_event(DENTIST)  # another client adds an event
    assert "10:00" in await _tuesday(client, et)  # served from the cache (60 s)
    busy.clear_cache()
    assert "10:00" not in await _tuesday(client, et)
