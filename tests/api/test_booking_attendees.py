"""Attendees, guests, references and calendar links of a booking, through HTTP."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx2
import pytest
from icalendar import Calendar
from sqlalchemy import select

from slotwise.kit.db import Database
from slotwise.models import BookingEvent, User
from tests.api.booking_fixtures import MONDAY, V, at, booked, give_schedule, hv, make_event_type
from tests.conftest import Host, make_host
from tests.reference_schemas import required_props


def message(r: httpx2.Response) -> str:
    return str(r.json()["error"]["message"])


@pytest.fixture
async def outsider(app: Any) -> Host:
    """A user who is neither host nor attendee of the test bookings."""
    return await make_host(app, "mallory")


async def actions(app: Any) -> list[tuple[str, dict[str, Any]]]:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        rows = (await session.scalars(select(BookingEvent).order_by(BookingEvent.id))).all()
    return [(r.action, r.data) for r in rows]


async def test_list_get_and_add_attendees(
    client: httpx2.AsyncClient, app: Any, host: Host, outsider: Host
) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"), guests=["carol@example.com"])
    uid = data["uid"]
    base = f"/v2/bookings/{uid}/attendees"

    r = await client.get(base, headers=hv(host))
    assert r.status_code == 200, r.text
    people = r.json()["data"]
    assert [p["email"] for p in people] == ["bob@example.com", "carol@example.com"]
    for prop in required_props("BookingAttendeeWithId_2024_08_13"):
        assert prop in people[0], prop
    first = people[0]
    r = await client.get(f"{base}/{first['id']}", headers=hv(host))
    assert r.status_code == 200
    assert r.json()["data"] == first

    # not the caller's booking, unknown booking, attendee of another booking, no key
    assert (await client.get(base, headers=hv(outsider))).status_code == 404
    assert (await client.get("/v2/bookings/nope/attendees", headers=hv(host))).status_code == 404
    second = await booked(client, et, at(MONDAY, "11:00"))
    r = await client.get(f"/v2/bookings/{second['uid']}/attendees", headers=hv(host))
    foreign = r.json()["data"][0]["id"]
    r = await client.get(f"{base}/{foreign}", headers=hv(host))
    assert r.status_code == 404
    assert (await client.get(f"{base}/abc", headers=hv(host))).status_code == 400
    assert (await client.get(base, headers=V)).status_code == 401

    new = {
        "name": "Dan Extra",
        "email": "dan@example.com",
        "timeZone": "America/New_York",
        "phoneNumber": "+14155552671",
        "language": "de",
    }
    r = await client.post(base, json=new, headers=hv(host))
    assert r.status_code == 201, r.text
    added = r.json()["data"]
    for prop in required_props("BookingAttendeeOutput_2024_08_13"):
        assert prop in added, prop
    assert added["bookingId"] == data["id"]
    assert (added["name"], added["timeZone"], added["language"]) == (
        "Dan Extra",
        "America/New_York",
        "de",
    )
    assert added["absent"] is False and added["phoneNumber"] == "+14155552671"
    r = await client.post(base, json={**new, "email": "DAN@example.com"}, headers=hv(host))
    assert r.status_code == 409
    for bad in (
        {**new, "timeZone": "Mars/Base"},
        {**new, "email": "nope"},
        {**new, "phoneNumber": "123"},
        {"name": "x", "email": "x@example.com"},
        {**new, "color": "red"},
    ):
        assert (await client.post(base, json=bad, headers=hv(host))).status_code == 400, bad
    assert (await client.post(base, json=new, headers=hv(outsider))).status_code == 404

    # an attendee with an account may read and add too
    carol = await make_host(app, "carol")
    assert (await client.get(base, headers=hv(carol))).status_code == 200
    r = await client.post(
        base,
        json={"name": "Eve", "email": "eve@example.com", "timeZone": "UTC"},
        headers=hv(carol),
    )
    assert r.status_code == 201
    booking = (await client.get(f"/v2/bookings/{uid}", headers=V)).json()["data"]
    assert [a["email"] for a in booking["attendees"]] == [
        "bob@example.com",
        "carol@example.com",
        "dan@example.com",
        "eve@example.com",
    ]
    added_rows = [(a, d) for a, d in await actions(app) if a == "attendee_added"]
    assert added_rows[0][1] == {
        "attendeeId": added["id"],
        "email": "dan@example.com",
        "name": "Dan Extra",
    }
    assert len(added_rows) == 2

    await client.post(f"/v2/bookings/{uid}/cancel", json={"cancellationReason": "x"}, headers=V)
    r = await client.post(base, json={**new, "email": "late@example.com"}, headers=hv(host))
    assert r.status_code == 400


async def test_add_guests(client: httpx2.AsyncClient, app: Any, host: Host, outsider: Host) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"), guests=["carol@example.com"])
    url = f"/v2/bookings/{data['uid']}/guests"
    body = {
        "guests": [
            {"email": "dan@example.com", "name": "Dan", "timeZone": "Asia/Tokyo"},
            {"email": "eve@example.com"},
            {"email": "CAROL@example.com"},  # already there: skipped
            {"email": "eve@example.com"},  # repeated: once
        ]
    }
    r = await client.post(url, json=body, headers=hv(host))
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert [(a["email"], a["timeZone"]) for a in out["attendees"]] == [
        ("bob@example.com", "Europe/Rome"),
        ("carol@example.com", "Europe/Rome"),
        ("dan@example.com", "Asia/Tokyo"),
        ("eve@example.com", "Europe/Rome"),
    ]
    assert out["guests"] == ["carol@example.com", "dan@example.com", "eve@example.com"]
    rows = [d for a, d in await actions(app) if a == "guests_added"]
    assert [g["email"] for g in rows[0]["guests"]] == ["dan@example.com", "eve@example.com"]

    r = await client.post(url, json={"guests": [{"email": "dan@example.com"}]}, headers=hv(host))
    assert r.status_code == 400
    assert message(r).startswith("emails_must_be_unique_valid")
    eleven = {"guests": [{"email": f"g{i}@example.com"} for i in range(11)]}
    r = await client.post(url, json=eleven, headers=hv(host))
    assert r.status_code == 400
    assert "guests" in message(r)
    assert (await client.post(url, json={"guests": []}, headers=hv(host))).status_code == 400
    # 3 guests now; 27 more reach the limit of 30, the 31st is refused
    for batch in range(3):
        more = {"guests": [{"email": f"b{batch}-{i}@example.com"} for i in range(9)]}
        assert (await client.post(url, json=more, headers=hv(host))).status_code == 200
    r = await client.post(url, json={"guests": [{"email": "last@example.com"}]}, headers=hv(host))
    assert r.status_code == 400
    assert "at most 30 guests" in message(r)

    assert (await client.post(url, json=body, headers=hv(outsider))).status_code == 404
    r = await client.post("/v2/bookings/nope/guests", json=body, headers=hv(host))
    assert r.status_code == 404
    second = await booked(client, et, at(MONDAY, "12:00"))
    await client.post(
        f"/v2/bookings/{second['uid']}/cancel", json={"cancellationReason": "x"}, headers=V
    )
    r = await client.post(
        f"/v2/bookings/{second['uid']}/guests", json={"guests": [{"email": "z@example.com"}]},
        headers=hv(host),
    )  # fmt: skip
    assert r.status_code == 400


async def test_references(client: httpx2.AsyncClient, app: Any, host: Host, outsider: Host) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    url = f"/v2/bookings/{data['uid']}/references"
    r = await client.get(url, headers=hv(host))
    assert r.status_code == 200
    assert r.json() == {"status": "success", "data": []}
    assert (await client.get(f"{url}?type=google_calendar", headers=hv(host))).status_code == 200
    assert (await client.get(f"{url}?type=carrier_pigeon", headers=hv(host))).status_code == 400
    assert (await client.get(url, headers=hv(outsider))).status_code == 404
    assert (await client.get(url, headers=V)).status_code == 401


async def test_calendar_links(
    client: httpx2.AsyncClient, app: Any, host: Host, outsider: Host
) -> None:
    et = await make_event_type(app, host, with_schedule=False)
    await give_schedule(app, host, name="Alice Host")
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        user = await session.get(User, host.id)
        assert user is not None
        user.time_zone = "Europe/Berlin"
    data = await booked(
        client, et, at(MONDAY, "10:00"), bookingFieldsResponses={"notes": "Bring the plan & specs"}
    )
    url = f"/v2/bookings/{data['uid']}/calendar-links"
    r = await client.get(url, headers=hv(host))
    assert r.status_code == 200, r.text
    links = r.json()["data"]
    assert [link["label"] for link in links] == [
        "Google Calendar",
        "Microsoft Office",
        "Microsoft Outlook",
        "Apple Calendar",
    ]
    google = urlsplit(links[0]["link"])
    assert (google.netloc, google.path) == ("calendar.google.com", "/calendar/r/eventedit")
    q = parse_qs(google.query)
    assert q["dates"] == ["20500905T100000Z/20500905T103000Z"]
    assert q["text"] == [data["title"]]
    assert q["details"] == ["Bring the plan & specs"]
    assert q["location"] == ["Cal Video"]
    office = urlsplit(links[1]["link"])
    assert office.netloc == "outlook.office.com"
    q = parse_qs(office.query)
    assert q["startdt"] == ["2050-09-05T10:00:00.000Z"]
    assert q["enddt"] == ["2050-09-05T10:30:00.000Z"]
    assert q["subject"] == [data["title"]]
    assert q["rru"] == ["addevent"]
    assert urlsplit(links[2]["link"]).netloc == "outlook.live.com"

    prefix = "data:text/calendar,"
    assert links[3]["link"].startswith(prefix)
    cal = Calendar.from_ical(unquote(links[3]["link"][len(prefix) :]))
    assert cal["METHOD"] == "PUBLISH"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == data["icsUid"]
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == f"mailto:{host.email}"
    assert str(event["ATTENDEE"]) == "mailto:bob@example.com"
    assert event.decoded("DTSTART").isoformat() == "2050-09-05T12:00:00+02:00"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]

    assert (await client.get(url, headers=hv(outsider))).status_code == 404
    r = await client.get("/v2/bookings/nope/calendar-links", headers=hv(host))
    assert r.status_code == 404
    assert (await client.get(url, headers=V)).status_code == 401


async def test_concurrent_additions_respect_limits(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    """Under the host lock, concurrent requests never exceed 30 guests nor add one email twice."""
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    url = f"/v2/bookings/{data['uid']}/guests"
    batches = [
        {"guests": [{"email": f"r{n}-{i}@example.com"} for i in range(10)]} for n in range(6)
    ]
    responses = await asyncio.gather(
        *(client.post(url, json=body, headers=hv(host)) for body in batches)
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 200, 400, 400, 400], [r.text for r in responses]
    people = (await client.get(f"/v2/bookings/{data['uid']}", headers=V)).json()["data"]
    assert len(people["attendees"]) == 31

    other = await booked(client, et, at(MONDAY, "11:00"))
    same = {"name": "Dup", "email": "dup@example.com", "timeZone": "UTC"}
    responses = await asyncio.gather(
        *(
            client.post(f"/v2/bookings/{other['uid']}/attendees", json=same, headers=hv(host))
            for _ in range(6)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409, 409]
