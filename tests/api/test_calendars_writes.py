"""Bookings written into the destination calendar (a real Radicale server) by the
``calendars.sync`` jobs: a host with a busy Tuesday 10:00–11:00 sees no slots there; booking
Wednesday 09:00 puts a VEVENT (UID, SEQUENCE, attendees) in the destination calendar and a
booking reference; rescheduling moves it; cancelling removes it; running a job again changes
nothing; a pending booking is written once confirmed, a declined one never."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import icalendar
import pytest

from slotwise.calendars import busy
from slotwise.config import Settings
from tests.api.booking_fixtures import (
    TUESDAY,
    V,
    at,
    booked,
    give_schedule,
    hv,
    make_event_type,
)
from tests.api.slot_fixtures import slot_data, starts
from tests.api.team_sched_fixtures import Member, make_team_event_type, team_of
from tests.api.webhook_fixtures import run_jobs
from tests.calendar_fixtures import Radicale, vcalendar, vevent
from tests.conftest import Host

WEDNESDAY = "2050-09-07"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    busy.clear_cache()
    yield
    busy.clear_cache()


def _events(calendar: Any) -> list[Any]:
    """The VEVENTs of ``calendar`` as another CalDAV client reads them."""
    found = []
    for obj in calendar.events():
        parsed = icalendar.Calendar.from_ical(obj.data)
        found.extend(c for c in parsed.walk("VEVENT"))
    return found


async def _setup(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale, **config: Any
) -> tuple[int, Any, Any]:
    et = await make_event_type(app, host, length=30, **config)
    user = radicale.add_user()
    personal = radicale.make_calendar(user, "Personal")
    personal.save_event(
        vcalendar(vevent("dentist", "20500906T100000Z", "20500906T110000Z")).decode()
    )
    work = radicale.make_calendar(user, "Work")
    r = await client.post(
        "/v2/calendars/caldav/credentials",
        json={"url": radicale.url, "username": user, "password": radicale.users[user]},
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    r = await client.put(
        "/v2/destination-calendars",
        json={"integration": "caldav_calendar", "externalId": str(work.url)},
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    return et, personal, work


async def test_booking_written_moved_and_removed(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale, settings: Settings
) -> None:
    et, personal, work = await _setup(client, app, host, radicale)
    data = await slot_data(client, eventTypeId=et, start=TUESDAY, end=TUESDAY, timeZone="UTC")
    assert "10:00" not in starts(data, TUESDAY) and "10:30" not in starts(data, TUESDAY)

    booking = await booked(client, et, at(WEDNESDAY, "09:00"))
    await run_jobs(app, settings)
    [event] = _events(work)
    assert event["DTSTART"].dt.isoformat() == "2050-09-07T09:00:00+00:00"
    assert "bob@example.com" in str(event.get("ATTENDEE"))
    assert len(_events(personal)) == 1  # only the dentist: the destination is "Work"
    r = await client.get(f"/v2/bookings/{booking['uid']}/references", headers=hv(host))
    assert r.status_code == 200, r.text
    [reference] = r.json()["data"]
    assert reference["type"] == "caldav_calendar"
    assert reference["destinationCalendarId"] == str(work.url)
    assert reference["eventUid"] == str(event["UID"])
    r = await client.get(
        f"/v2/bookings/{booking['uid']}/references",
        params={"type": "google_calendar"},
        headers=hv(host),
    )
    assert r.json()["data"] == []
    # the written event now makes the host busy through the calendar too (cache dropped)
    await run_jobs(app, settings)  # nothing left to do: idempotent
    assert len(_events(work)) == 1

    r = await client.post(
        f"/v2/bookings/{booking['uid']}/reschedule",
        json={"start": at(WEDNESDAY, "13:00")},
        headers=V,
    )
    assert r.status_code == 201, r.text
    new_uid = r.json()["data"]["uid"]
    await run_jobs(app, settings)
    [moved] = _events(work)
    assert str(moved["UID"]) == reference["eventUid"]  # the same event, moved
    assert moved["DTSTART"].dt.isoformat() == "2050-09-07T13:00:00+00:00"
    assert int(moved["SEQUENCE"]) >= 1
    r = await client.get(f"/v2/bookings/{new_uid}/references", headers=hv(host))
    assert [x["eventUid"] for x in r.json()["data"]] == [reference["eventUid"]]

    r = await client.post(
        f"/v2/bookings/{new_uid}/cancel", json={"cancellationReason": "Sick"}, headers=hv(host)
    )
    assert r.status_code == 200, r.text
    await run_jobs(app, settings)
    assert _events(work) == []
    r = await client.get(f"/v2/bookings/{new_uid}/references", headers=hv(host))
    assert r.json()["data"] == []


async def test_pending_written_on_confirm_declined_never(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale, settings: Settings
) -> None:
    et, _personal, work = await _setup(
        client,
        app,
        host,
        radicale,
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False},
    )
    first = await booked(client, et, at(WEDNESDAY, "09:00"))
    second = await booked(client, et, at(WEDNESDAY, "11:00"))
    await run_jobs(app, settings)
    assert _events(work) == []  # pending: not written (Cal.com writes on confirm)
    r = await client.post(f"/v2/bookings/{first['uid']}/confirm", headers=hv(host))
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/v2/bookings/{second['uid']}/decline", json={"reason": "Busy"}, headers=hv(host)
    )
    assert r.status_code == 200, r.text
    await run_jobs(app, settings)
    [event] = _events(work)
    assert event["DTSTART"].dt.isoformat() == "2050-09-07T09:00:00+00:00"


async def test_event_type_destination_calendar_wins(
    client: httpx2.AsyncClient, app: Any, host: Host, radicale: Radicale, settings: Settings
) -> None:
    et, personal, work = await _setup(client, app, host, radicale)
    r = await client.patch(
        f"/v2/event-types/{et}",
        json={
            "destinationCalendar": {
                "integration": "caldav_calendar",
                "externalId": str(personal.url),
            }
        },
        headers={**host.headers, "cal-api-version": "2024-06-14"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["destinationCalendar"]["externalId"] == str(personal.url)
    booking = await booked(client, et, at(WEDNESDAY, "09:00"))
    await run_jobs(app, settings)
    assert _events(work) == []
    assert len(_events(personal)) == 2  # the dentist and the booking
    r = await client.get(f"/v2/bookings/{booking['uid']}/references", headers=hv(host))
    assert r.json()["data"][0]["destinationCalendarId"] == str(personal.url)


async def test_collective_booking_written_to_each_hosts_calendar(
    client: httpx2.AsyncClient,
    app: Any,
    host: Host,
    other_host: Host,
    radicale: Radicale,
    settings: Settings,
) -> None:
    calendars = []
    for member in (host, other_host):
        await give_schedule(app, member)
        user = radicale.add_user()
        calendar = radicale.make_calendar(user, "Work")
        r = await client.post(
            "/v2/calendars/caldav/credentials",
            json={"url": radicale.url, "username": user, "password": radicale.users[user]},
            headers=member.headers,
        )
        assert r.status_code == 201, r.text
        calendars.append(calendar)
    team = await team_of(app, "writers", host, other_host)
    et = await make_team_event_type(
        app, team, "collective", [Member(host, mandatory=True), Member(other_host, mandatory=True)]
    )
    booking = await booked(client, et, at(WEDNESDAY, "09:00"))
    await run_jobs(app, settings)
    assert [len(_events(c)) for c in calendars] == [1, 1]
    r = await client.get(f"/v2/bookings/{booking['uid']}/references", headers=hv(host))
    assert len(r.json()["data"]) == 2
    r = await client.post(
        f"/v2/bookings/{booking['uid']}/cancel", json={"cancellationReason": "Off"}, headers=V
    )
    assert r.status_code == 200, r.text
    await run_jobs(app, settings)
    assert [len(_events(c)) for c in calendars] == [0, 0]
