"""Seated event types on the booking pages over HTTP (both databases): the seats left on the
slot buttons, taking a seat from the form and the seat on the confirmation page."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, SLOT, booker_url, intro, submit
from tests.pages.test_booking_flow import FORM, api_booking

SEATS = {"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True}


def button_of(html: str, slot: str) -> str:
    """The whole slot button whose value is ``slot``."""
    match = re.search(
        rf'<button type="submit" name="slot" value="{re.escape(slot)}".*?</button>', html
    )
    assert match, html
    return match.group(0)


async def test_seats_left_on_buttons_and_taking_seats(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, seats=SEATS)
    r = await client.get(booker_url(date=MONDAY))
    button = button_of(r.text, SLOT)
    assert 'aria-label="10:00 AM, Monday, September 5, 2050, 3 seats left"' in button
    assert '<span class="seats">3 seats left</span>' in button

    first = await submit(client, FORM)
    assert first.status_code == 303, first.text
    location = first.headers["location"]
    uid = re.match(r"^/booking/([^?]+)\?", location).group(1)  # type: ignore[union-attr]
    seat = re.search(r"seatReferenceUid=([0-9a-f-]+)", location)
    assert seat, location
    page = await client.get(location)
    assert page.status_code == 200
    assert "You have a seat at this event." in page.text and "3 seats in all" in page.text
    assert "Ann Lee" in page.text  # the booker's own seat is shown
    assert f'name="seatUid" value="{seat.group(1)}"' not in page.text  # no cancel form yet
    assert f"seatReferenceUid={seat.group(1)}" in page.text  # the cancel link keeps the seat

    r = await client.get(booker_url(date=MONDAY))
    assert "2 seats left" in button_of(r.text, SLOT)
    form = await client.get(booker_url(date=MONDAY, slot=SLOT))
    assert "2 seats left" in form.text

    second = await submit(client, {**FORM, "name": "Bo Chen", "email": "bo@example.com"})
    assert second.status_code == 303, second.text
    assert second.headers["location"].startswith(f"/booking/{uid}?")  # joins the same booking
    data = await api_booking(client, uid)
    assert data["start"] == SLOT
    r = await client.get(booker_url(date=MONDAY))
    button = button_of(r.text, SLOT)
    assert "1 seat left" in button and ", 1 seat left" in button

    # the same booker again: refused with the reason, nothing booked
    again = await submit(client, {**FORM, "name": "Bo Chen", "email": "bo@example.com"})
    assert again.status_code == 409, again.text

    # cancelling one seat from its page keeps the booking for the others
    bo_seat = re.search(r"seatReferenceUid=([0-9a-f-]+)", second.headers["location"])
    assert bo_seat
    cancel_form = await client.get(
        f"/booking/{uid}?cancel=true&seatReferenceUid={bo_seat.group(1)}"
    )
    assert f'name="seatUid" value="{bo_seat.group(1)}"' in cancel_form.text
    done = await client.post(f"/booking/{uid}/cancel", data={"seatUid": bo_seat.group(1)})
    assert done.status_code == 303, done.text
    r = await client.get(booker_url(date=MONDAY))
    assert "2 seats left" in button_of(r.text, SLOT)


async def test_seat_counts_hidden_without_show_availability_count(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, seats={**SEATS, "showAvailabilityCount": False})
    r = await client.get(booker_url(date=MONDAY))
    assert "seats left" not in r.text and "seat left" not in r.text
    assert 'aria-label="10:00 AM, Monday, September 5, 2050"' in button_of(r.text, SLOT)
