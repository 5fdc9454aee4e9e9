"""The Availability section of the web app: schedules list, weekly editor, date overrides,
default and delete, CSRF refusals, another user's schedule, and the troubleshooter."""

from __future__ import annotations

import re
from typing import Any

import httpx2
import pytest

from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post

V = {"cal-api-version": "2024-06-11"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


async def api_schedule(client: httpx2.AsyncClient, host: Host, schedule_id: int) -> dict[str, Any]:
    """GET /v2/schedules/{id} with the host's key."""
    answer = await client.get(f"/v2/schedules/{schedule_id}", headers={**host.headers, **V})
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


async def new_schedule(
    client: httpx2.AsyncClient, host: Host, name: str = "Work", default: bool = True
) -> int:
    """A schedule made through the API (Mon–Fri 09:00–17:00 UTC)."""
    answer = await client.post(
        "/v2/schedules",
        json={"name": name, "timeZone": "UTC", "isDefault": default},
        headers={**host.headers, **V},
    )
    assert answer.status_code == 201, answer.text
    schedule_id: int = answer.json()["data"]["id"]
    return schedule_id


def editor_form(
    days: dict[str, list[tuple[str, str]]], name: str = "Work", zone: str = "UTC"
) -> dict[str, Any]:
    """The weekly editor's fields for ``days`` (day → ranges; other days unticked)."""
    data: dict[str, Any] = {"name": name, "timeZone": zone}
    for day, ranges in days.items():
        data[f"available.{day}"] = "true"
        for i, (start, end) in enumerate(ranges):
            data[f"start.{day}.{i}"] = start
            data[f"end.{day}.{i}"] = end
    return data


async def test_list_marks_the_default_and_creates_a_schedule(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    first = await new_schedule(client, host, "Office hours")
    await new_schedule(client, host, "Evenings", default=False)
    page = await app_get(app_client, "/app/availability")
    assert "Office hours" in page.text and "Evenings" in page.text
    item = re.search(r"Office hours</a>\s*<span class=\"badge\">Default</span>", page.text)
    assert item, "the default schedule is marked"
    assert page.text.count('class="badge">Default<') == 1
    made = await app_post(
        app_client,
        "/app/availability",
        "/app/availability",
        {"name": "Weekends", "timeZone": "Europe/Berlin"},
    )
    assert made.status_code == 303
    new_id = int(made.headers["location"].split("/")[-1].split("?")[0])
    data = await api_schedule(client, host, new_id)
    assert data["name"] == "Weekends" and data["timeZone"] == "Europe/Berlin"
    assert data["availability"] == [{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}]
    assert data["isDefault"] is False
    assert (await api_schedule(client, host, first))["isDefault"] is True
    editor = await app_get(app_client, made.headers["location"])
    assert "Weekends" in editor.text and "Created" in editor.text


async def test_create_refuses_a_bad_time_zone_beside_the_field(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    answer = await app_post(
        app_client, "/app/availability", "/app/availability", {"name": "X", "timeZone": "Mars/Base"}
    )
    assert answer.status_code == 400
    assert 'id="f-timeZone-error"' in answer.text
    listed = await client.get("/v2/schedules", headers={**host.headers, **V})
    assert listed.json()["data"] == []


async def test_editor_saves_two_ranges_on_a_day(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    sid = await new_schedule(client, host)
    url = f"/app/availability/{sid}"
    form = editor_form(
        {
            "Monday": [("09:00", "12:00"), ("13:00", "17:00")],
            "Tuesday": [("09:00", "17:00")],
        },
        name="Split days",
        zone="Europe/Madrid",
    )
    saved = await app_post(app_client, url, url, form)
    assert saved.status_code == 303, saved.text
    data = await api_schedule(client, host, sid)
    assert data["name"] == "Split days" and data["timeZone"] == "Europe/Madrid"
    assert data["availability"] == [
        {"days": ["Monday"], "startTime": "09:00", "endTime": "12:00"},
        {"days": ["Monday"], "startTime": "13:00", "endTime": "17:00"},
        {"days": ["Tuesday"], "startTime": "09:00", "endTime": "17:00"},
    ]
    page = await app_get(app_client, url)
    assert 'name="start.Monday.1" type="time" value="13:00"' in page.text


async def test_editor_shows_an_invalid_range_beside_the_field_and_saves_nothing(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    sid = await new_schedule(client, host)
    url = f"/app/availability/{sid}"
    before = await api_schedule(client, host, sid)
    form = editor_form({"Monday": [("09:00", "12:00")], "Wednesday": [("17:00", "09:00")]})
    answer = await app_post(app_client, url, url, {**form, "name": "Changed"})
    assert answer.status_code == 400
    error = re.search(r'id="f-end-Wednesday-0-error">([^<]+)<', answer.text)
    assert error and "startTime 17:00 must be before endTime 09:00" in error.group(1)
    assert 'value="17:00"' in answer.text  # what the user typed is kept
    assert await api_schedule(client, host, sid) == before


async def test_add_a_range_shows_one_more_row_and_copy_day_saves(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    sid = await new_schedule(client, host)
    url = f"/app/availability/{sid}"
    form = editor_form({"Monday": [("08:00", "10:00")]})
    form.update({"start.Saturday.0": "09:00", "end.Saturday.0": "17:00"})  # shown, unticked
    more = await app_post(app_client, url, url, {**form, "add_range": "Saturday"})
    assert more.status_code == 200
    assert 'name="start.Saturday.1"' in more.text and 'name="start.Monday.1"' not in more.text
    assert (await api_schedule(client, host, sid))["availability"][0]["startTime"] == "09:00"
    copy = {
        **editor_form({"Monday": [("08:00", "10:00"), ("15:00", "18:00")]}),
        "copy_from": "Monday",
        "copy.Monday.Wednesday": "true",
        "copy.Monday.Friday": "true",
    }
    copied = await app_post(app_client, url, url, copy)
    assert copied.status_code == 303
    data = await api_schedule(client, host, sid)
    assert data["availability"] == [
        {"days": ["Monday", "Wednesday", "Friday"], "startTime": "08:00", "endTime": "10:00"},
        {"days": ["Monday", "Wednesday", "Friday"], "startTime": "15:00", "endTime": "18:00"},
    ]


async def test_date_overrides_add_show_and_remove(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    sid = await new_schedule(client, host)
    url = f"/app/availability/{sid}"
    off = await app_post(
        app_client,
        url,
        url + "/overrides",
        {"override_date": "2050-09-06", "override_unavailable": "true"},
    )
    assert off.status_code == 303, off.text
    hours = await app_post(
        app_client,
        url,
        url + "/overrides",
        {
            "override_date": "2050-09-08",
            "ostart.0": "10:00",
            "oend.0": "11:00",
            "ostart.1": "14:00",
            "oend.1": "15:30",
        },
    )
    assert hours.status_code == 303
    data = await api_schedule(client, host, sid)
    assert data["overrides"] == [
        {"date": "2050-09-06", "startTime": "00:00", "endTime": "00:00"},
        {"date": "2050-09-08", "startTime": "10:00", "endTime": "11:00"},
        {"date": "2050-09-08", "startTime": "14:00", "endTime": "15:30"},
    ]
    page = await app_get(app_client, url + "?month=2050-09")
    assert "September 2050" in page.text
    assert 'override_date=2050-09-06#add-override">' in page.text
    assert re.search(r'class="day override-off"[^>]*2050-09-06', page.text)
    assert re.search(r'class="day override-hours"[^>]*2050-09-08', page.text)
    assert "Unavailable all day" in page.text and "14:00–15:30" in page.text
    bad = await app_post(
        app_client,
        url,
        url + "/overrides",
        {"override_date": "2050-09-09", "ostart.0": "12:00", "oend.0": "11:00"},
    )
    assert bad.status_code == 400
    assert re.search(r'id="f-oend-0-error">startTime 12:00 must be before endTime 11:00', bad.text)
    removed = await app_post(app_client, url, url + "/overrides/remove", {"date": "2050-09-06"})
    assert removed.status_code == 303
    left = (await api_schedule(client, host, sid))["overrides"]
    assert [o["date"] for o in left] == ["2050-09-08", "2050-09-08"]


async def test_make_default_and_delete(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    first = await new_schedule(client, host, "First")
    second = await new_schedule(client, host, "Second", default=False)
    url = f"/app/availability/{second}"
    made = await app_post(app_client, url, url + "/default", {})
    assert made.status_code == 303
    assert (await api_schedule(client, host, second))["isDefault"] is True
    assert (await api_schedule(client, host, first))["isDefault"] is False
    gone = await app_post(app_client, url, url + "/delete", {})
    assert gone.status_code == 303 and gone.headers["location"] == "/app/availability?flash=deleted"
    missing = await client.get(f"/v2/schedules/{second}", headers={**host.headers, **V})
    assert missing.status_code == 404
    # the service's rule: the default passed to the oldest remaining schedule
    assert (await api_schedule(client, host, first))["isDefault"] is True


async def test_writes_without_the_csrf_token_are_refused(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    sid = await new_schedule(client, host)
    url = f"/app/availability/{sid}"
    before = await api_schedule(client, host, sid)
    attempts = [
        (url, editor_form({"Monday": [("10:00", "11:00")]}, name="Hacked")),
        (url + "/overrides", {"override_date": "2050-09-06", "override_unavailable": "true"}),
        (url + "/delete", {}),
        ("/app/availability", {"name": "Sneaky", "timeZone": "UTC"}),
    ]
    for action, data in attempts:
        answer = await app_client.post(action, data={**data, "csrf_token": "wrong"})
        assert answer.status_code == 403, action
    assert await api_schedule(client, host, sid) == before
    listed = await client.get("/v2/schedules", headers={**host.headers, **V})
    assert len(listed.json()["data"]) == 1


async def test_another_users_schedule_is_not_found(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    theirs = await new_schedule(client, other_host, "Bob's")
    mine = await new_schedule(client, host)
    page = await app_client.get(f"/app/availability/{theirs}")
    assert page.status_code == 404 and "Bob&#39;s" not in page.text
    token_page = await app_get(app_client, f"/app/availability/{mine}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', token_page.text)
    assert token
    for action in ("", "/default", "/delete", "/overrides"):
        answer = await app_client.post(
            f"/app/availability/{theirs}{action}",
            data={**editor_form({"Monday": [("10:00", "11:00")]}), "csrf_token": token.group(1)},
        )
        assert answer.status_code == 404, action
    assert (await api_schedule(client, other_host, theirs))["name"] == "Bob's"
    assert (await app_client.get("/app/availability/nonsense")).status_code == 404


@pytest.mark.parametrize("path", ["/app/availability", "/app/availability/1"])
async def test_logged_out_goes_to_the_login_page(
    browser_client: httpx2.AsyncClient, path: str
) -> None:
    answer = await browser_client.get(path)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/app/login")


async def slot_times(client: httpx2.AsyncClient, event_type_id: int, day: str) -> list[str]:
    """GET /v2/slots of ``day`` (UTC): the starts as ``HH:MM``."""
    answer = await client.get(
        "/v2/slots",
        params={"eventTypeId": event_type_id, "start": day, "end": day},
        headers={"cal-api-version": "2024-09-04"},
    )
    assert answer.status_code == 200, answer.text
    return [s["start"][11:16] for s in answer.json()["data"].get(day, [])]


async def test_troubleshooter_shows_bookings_overrides_and_the_slots_that_follow_the_hours(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    sid = await new_schedule(client, host)
    made = await client.post(
        "/v2/event-types",
        json={"title": "Intro call", "slug": "intro", "lengthInMinutes": 60},
        headers={**host.headers, "cal-api-version": "2024-06-14"},
    )
    assert made.status_code == 201, made.text
    et = made.json()["data"]["id"]
    booked = await client.post(
        "/v2/bookings",
        json={
            "start": "2050-09-05T10:00:00.000Z",
            "eventTypeId": et,
            "attendee": {"name": "Pat Guest", "email": "pat@example.com", "timeZone": "UTC"},
        },
        headers={"cal-api-version": "2024-08-13"},
    )
    assert booked.status_code == 201, booked.text
    uid = booked.json()["data"]["uid"]
    url = f"/app/availability/{sid}"
    override = await app_post(
        app_client,
        url,
        url + "/overrides",
        {"override_date": "2050-09-05", "ostart.0": "09:00", "oend.0": "13:00"},
    )
    assert override.status_code == 303
    page = await app_get(
        app_client, f"/app/availability/troubleshoot?date=2050-09-05&eventTypeId={et}"
    )
    assert uid in page.text and "Intro call between" in page.text
    assert "<li>09:00–13:00</li>" in page.text  # the override (in the schedule's zone)
    # alice's clock is 12-hour (the default)
    assert row(page.text, "1:00 PM–12:00 AM", "Not free", "Date override")
    assert row(
        page.text,
        "10:00 AM–11:00 AM",
        "Not free",
        f"Booking: Intro call between alice and Pat Guest ({uid})",
    )
    assert row(page.text, "9:00 AM–10:00 AM", "Free", "Working hours, nothing booked")
    api = await slot_times(client, et, "2050-09-05")
    assert api == ["09:00", "11:00", "12:00"]
    assert shown_slots(page.text) == [twelve(t) for t in api]

    tuesday = await slot_times(client, et, "2050-09-06")
    assert tuesday == [f"{h:02d}:00" for h in range(9, 17)]
    days = {d: [("09:00", "17:00")] for d in WEEKDAYS}
    days["Tuesday"] = [("13:00", "15:00")]
    saved = await app_post(app_client, url, url, editor_form(days))
    assert saved.status_code == 303
    assert await slot_times(client, et, "2050-09-06") == ["13:00", "14:00"]
    page = await app_get(
        app_client, f"/app/availability/troubleshoot?date=2050-09-06&eventTypeId={et}"
    )
    assert row(page.text, "12:00 AM–1:00 PM", "Not free", "Outside working hours")
    assert shown_slots(page.text) == ["1:00 PM", "2:00 PM"]


def twelve(hhmm: str) -> str:
    """``"13:00"`` → ``"1:00 PM"`` (the page's 12-hour clock)."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    return f"{hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def row(html: str, time: str, status: str, why: str) -> bool:
    """Whether the troubleshooter's timeline has the row (time, status, why)."""
    pattern = rf"<td>{re.escape(time)}</td>\s*<td>{status}</td>\s*<td[^>]*>{re.escape(why)}</td>"
    return re.search(pattern, html) is not None


def shown_slots(html: str) -> list[str]:
    """The troubleshooter's free slots."""
    section = html.split('id="ts-slots"')[1].split("</section>")[0]
    return re.findall(r"<li>([^<]+)</li>", section)


async def test_troubleshooter_refuses_a_bad_date_and_another_users_event_type(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    theirs = await client.post(
        "/v2/event-types",
        json={"title": "Bob's call", "slug": "call", "lengthInMinutes": 30},
        headers={**other_host.headers, "cal-api-version": "2024-06-14"},
    )
    assert theirs.status_code == 201
    bad = await app_client.get("/app/availability/troubleshoot?date=2050-13-40")
    assert bad.status_code == 400 and 'id="f-date-error"' in bad.text
    foreign = await app_client.get(
        f"/app/availability/troubleshoot?date=2050-09-05&eventTypeId={theirs.json()['data']['id']}"
    )
    assert foreign.status_code == 400 and "Bob&#39;s call" not in foreign.text
    plain = await app_get(app_client, "/app/availability/troubleshoot")
    assert "Create an event type to see its free slots." in plain.text
