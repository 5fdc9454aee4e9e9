"""The Booker page over HTTP: profile, calendar, slots, deep links, time zones, clock format,
routing next to the API (both databases)."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import update

from slotwise.models import EventType
from tests.api.booking_fixtures import booked, make_event_type
from tests.conftest import Host, make_host
from tests.pages.page_fixtures import (
    MONDAY,
    available_days,
    booker_url,
    intro,
    slot_texts,
    slot_values,
)


async def test_profile_lists_visible_event_types(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, description="A first talk")
    await make_event_type(app, host, slug="secret", title="Secret", with_schedule=False)
    async with app.state.db.write_sessions() as session, session.begin():
        await session.execute(
            update(EventType).where(EventType.slug == "secret").values(hidden=True)
        )
    r = await client.get("/alice")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Alice Host" in r.text
    assert 'href="/alice/intro"' in r.text and "Intro call" in r.text and "30 minutes" in r.text
    assert "A first talk" in r.text
    assert "Secret" not in r.text
    # a hidden event type is still bookable through its own link
    assert (await client.get("/alice/secret")).status_code == 200


async def test_unknown_user_event_type_and_booking_are_html_404(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    for path in ("/nobody", "/nobody/intro", "/alice/nothing", "/booking/not-a-uid"):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html"), path
        assert "Page not found" in r.text


async def test_api_paths_are_never_pages(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    await intro(app, host)
    assert (await client.get("/health")).json() == {"status": "ok"}
    r = await client.get("/v2/me")
    assert r.status_code == 401 and r.json()["status"] == "error"
    r = await client.get("/v2/unknown")
    assert r.status_code == 404 and r.json()["status"] == "error"
    assert (await client.get("/openapi.json")).json()["openapi"]
    # a reserved first segment is no username even when the second segment exists
    r = await client.get("/api/intro")
    assert r.headers["content-type"].startswith("application/json")
    openapi = (await client.get("/openapi.json")).json()
    assert not any(p.startswith("/{username") for p in openapi["paths"])


async def test_calendar_marks_bookable_days_of_the_month(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await client.get(booker_url())
    assert r.status_code == 200
    days = available_days(r.text)
    # every weekday of September 2050 (Mon–Fri), no weekend
    assert days[0] == "2050-09-01" and "2050-09-03" not in days and MONDAY in days
    assert len(days) == 22
    assert "September 2050" in r.text
    assert 'aria-label="Monday, September 5, 2050, available"' in r.text
    # no day chosen yet: no slot buttons
    assert slot_values(r.text) == []


async def test_day_lists_slot_buttons_with_times(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await client.get(booker_url(date=MONDAY))
    values = slot_values(r.text)
    assert values[0] == "2050-09-05T09:00:00.000Z" and values[-1] == "2050-09-05T16:30:00.000Z"
    assert len(values) == 16
    assert slot_texts(r.text)[:2] == ["9:00 AM", "9:30 AM"]
    assert 'aria-label="9:00 AM, Monday, September 5, 2050"' in r.text
    assert 'aria-current="date"' in r.text
    r24 = await client.get(booker_url(date=MONDAY, clock="24h"))
    assert slot_texts(r24.text)[:2] == ["09:00", "09:30"]


async def test_time_zone_moves_the_times(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    await intro(app, host)
    r = await client.get(booker_url(date=MONDAY, timeZone="Asia/Tokyo", clock="24h"))
    # 09:00 UTC is 18:00 in Tokyo; the UTC instants stay the same
    assert slot_texts(r.text)[0] == "18:00"
    assert slot_values(r.text)[0] == "2050-09-05T09:00:00.000Z"
    assert '<option value="Asia/Tokyo" selected>' in r.text
    # an invalid zone falls back to the host's
    r = await client.get(booker_url(date=MONDAY, timeZone="Mars/Base", clock="24h"))
    assert r.status_code == 200 and slot_texts(r.text)[0] == "09:00"


async def test_booked_time_is_gone_and_rescheduling_offers_it_again(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await intro(app, host)
    booking = await booked(client, event_type_id, "2050-09-05T10:00:00.000Z")
    r = await client.get(booker_url(date=MONDAY))
    assert "2050-09-05T10:00:00.000Z" not in slot_values(r.text)
    r = await client.get(booker_url(date=MONDAY, rescheduleUid=booking["uid"]))
    assert "2050-09-05T10:00:00.000Z" in slot_values(r.text)
    assert "Rescheduling your booking" in r.text


async def test_deep_link_opens_form_with_prefill(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await client.get(
        booker_url(date=MONDAY, slot="2050-09-05T10:00:00.000Z", name="Ann%20Lee", email="ann@x.io")
    )
    assert r.status_code == 200
    html = r.text
    assert '<label for="f-name">Your name<span class="req" aria-hidden="true"> *</span>' in html
    assert 'id="f-name" name="name" required' in html and 'value="Ann Lee"' in html
    assert 'type="email" id="f-email" name="email" required' in html and 'value="ann@x.io"' in html
    assert '<label for="f-notes">Additional notes</label>' in html
    assert '<label for="f-guests">Add guests</label>' in html
    assert "<legend>Location" in html and "Cal Video" in html
    assert "Monday, September 5, 2050, 10:00 AM" in html
    # a slot that is not offered (weekend) shows the times again with a message
    r = await client.get(booker_url(date="2050-09-03", slot="2050-09-03T10:00:00.000Z"))
    assert "not available any more" in r.text and 'id="f-name"' not in r.text


async def test_month_from_date_and_duration_choice(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, lengthInMinutesOptions=[30, 60], lengthInMinutes=30)
    r = await client.get("/alice/intro?date=2050-09-05&timeZone=UTC&duration=60")
    assert "September 2050" in r.text
    values = slot_values(r.text)
    assert values[-1] == "2050-09-05T16:00:00.000Z"  # 60-minute slots end by 17:00
    assert 'aria-current="true">60 minutes' in r.text
    # a length the event type does not offer falls back to the default
    r = await client.get("/alice/intro?date=2050-09-05&timeZone=UTC&duration=45")
    assert slot_values(r.text)[-1] == "2050-09-05T16:30:00.000Z"


async def test_locked_time_zone_ignores_the_url_and_disables_the_selector(
    app: Any, client: httpx2.AsyncClient
) -> None:
    tokyo = await make_host(app, "alice", time_zone="Asia/Tokyo")
    await intro(app, tokyo, lockTimeZoneToggleOnBookingPage=True)
    r = await client.get(booker_url(date=MONDAY, timeZone="Europe/Rome", clock="24h"))
    assert slot_texts(r.text)[0] == "18:00"  # the host's zone, not Rome
    assert '<select id="tz" name="timeZone" data-tz-select disabled>' in r.text
    assert 'data-tz-from-url="1"' in r.text  # the script keeps it too
