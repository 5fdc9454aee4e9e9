"""Recurring event types on the booking pages over HTTP (both databases): the series on the
form, the occurrences count limited to ``occurrences``, the series booked and listed."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.api.booking_fixtures import V
from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, SLOT, booker_url, intro, submit
from tests.pages.test_booking_flow import FORM, booking_uid

WEEKLY = {"frequency": "weekly", "interval": 1, "occurrences": 4}


async def test_form_shows_the_series_and_books_the_chosen_count(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, recurrence=WEEKLY)
    form = await client.get(booker_url(date=MONDAY, slot=SLOT))
    assert "Every week, 4 times" in form.text
    assert '<label for="f-recurrenceCount">Number of occurrences</label>' in form.text
    assert re.search(
        r'name="recurrenceCount" type="number" min="1" max="4"[^>]*value="4"', form.text
    )

    too_many = await submit(client, {**FORM, "recurrenceCount": "5"})
    assert too_many.status_code == 400
    assert "Enter a number from 1 to 4." in too_many.text
    assert (
        'id="f-recurrenceCount-error"' in too_many.text and 'aria-invalid="true"' in too_many.text
    )
    listed = await client.get("/v2/bookings", headers={**V, **host.headers})
    assert listed.json()["data"] == []  # nothing booked

    r = await submit(client, {**FORM, "recurrenceCount": "3"})
    uid = booking_uid(r)
    first = (await client.get(f"/v2/bookings/{uid}", headers=V)).json()["data"]
    series = (await client.get(f"/v2/bookings/{first['recurringBookingUid']}", headers=V)).json()[
        "data"
    ]
    assert [b["start"] for b in series] == [
        "2050-09-05T10:00:00.000Z",
        "2050-09-12T10:00:00.000Z",
        "2050-09-19T10:00:00.000Z",
    ]
    page = await client.get(r.headers["location"])
    assert page.status_code == 200 and "3 occurrences" in page.text
    items = re.findall(r"<li[^>]*>([^<]+)</li>", page.text.split('class="occurrences"')[1])
    assert items == [
        "Monday, September 5, 2050, 10:00 AM",
        "Monday, September 12, 2050, 10:00 AM",
        "Monday, September 19, 2050, 10:00 AM",
    ]
    assert '"isRecurring": true' in page.text or "isRecurring&#34;: true" in page.text

    # the next Monday's 10:00 is gone from the Booker too
    r2 = await client.get(booker_url(date="2050-09-12"))
    assert "2050-09-12T10:00:00.000Z" not in r2.text and "2050-09-12T10:30:00.000Z" in r2.text


async def test_series_text_and_default_count(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, recurrence={"frequency": "monthly", "interval": 2, "occurrences": 2})
    form = await client.get(booker_url(date=MONDAY, slot=SLOT))
    assert "Every 2 months, 2 times" in form.text
    de = await client.get(booker_url(date=MONDAY, slot=SLOT, lng="de"))
    assert "Alle 2 Monate, 2-mal" in de.text and "Anzahl der Termine" in de.text
    # no count: the maximum; 2050-11-05 is a Saturday, so the whole series is refused
    r = await submit(client, FORM)
    assert r.status_code == 400
    assert "Occurrence 2 of 2 of the recurring booking" in r.text
    assert "No occurrence was booked." in r.text
    listed = await client.get("/v2/bookings", headers={**V, **host.headers})
    assert listed.json()["data"] == []
