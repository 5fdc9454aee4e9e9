"""``bookerActiveBookingsLimit`` on the Booker page (both databases): the refusal is explained,
and with ``offerReschedule`` the page links to moving the existing booking to the chosen time.
2050-09-05 is a Monday."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx2

from tests.api.booking_fixtures import at, booked
from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, SLOT, intro, submit
from tests.pages.test_booking_flow import api_booking, booking_uid

FORM = {"name": "Bob Booker", "email": "bob@example.com", "location": "0"}
LIMIT_TEXT = "You have reached the maximum number of upcoming bookings for this event type."


async def test_limit_reached_is_explained(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    et = await intro(app, host, bookerActiveBookingsLimit={"maximumActiveBookings": 1})
    await booked(client, et, at(MONDAY, "09:00"))
    r = await submit(client, FORM)
    assert r.status_code == 400
    assert LIMIT_TEXT in r.text
    assert "booker_limit_exceeded_error" not in r.text
    assert "rescheduleUid" not in r.text  # no offer without offerReschedule
    # someone else may still book the time
    assert (await submit(client, {**FORM, "email": "carol@example.com"})).status_code == 303


async def test_offer_to_move_the_existing_booking(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    limit = {"maximumActiveBookings": 1, "offerReschedule": True}
    et = await intro(app, host, bookerActiveBookingsLimit=limit)
    existing = await booked(client, et, at(MONDAY, "09:00"))
    r = await submit(client, FORM)
    assert r.status_code == 400 and LIMIT_TEXT in r.text
    match = re.search(r'<p class="offer"><a href="([^"]+)">', r.text)
    assert match, r.text
    offer = html.unescape(match.group(1))
    assert offer.startswith("/alice/intro?")
    assert f"rescheduleUid={existing['uid']}" in offer and "slot=2050-09-05T10%3A00" in offer
    page = await client.get(offer)
    assert page.status_code == 200
    assert "Rescheduling your booking" in page.text
    moved = await client.post(offer, data={"rescheduleReason": "Later suits me"})
    new_uid = booking_uid(moved)
    new = await api_booking(client, new_uid)
    assert new["start"] == SLOT and new["rescheduledFromUid"] == existing["uid"]
    assert (await api_booking(client, existing["uid"]))["status"] == "cancelled"
