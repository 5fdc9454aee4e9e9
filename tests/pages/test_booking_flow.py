"""Booking, cancelling and rescheduling through the pages over HTTP (both databases)."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.api.booking_fixtures import V, booked
from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, SLOT, booker_url, intro, slot_values, submit

FORM = {"name": "Ann Lee", "email": "ann@example.com", "notes": "About the plan", "location": "0"}


def booking_uid(response: httpx2.Response) -> str:
    """The uid in a 303 to the booking page."""
    assert response.status_code == 303, response.text
    match = re.match(r"^/booking/([^?]+)\?", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


async def api_booking(client: httpx2.AsyncClient, uid: str) -> dict[str, Any]:
    r = await client.get(f"/v2/bookings/{uid}", headers=V)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def test_book_from_the_form_then_see_the_confirmation(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await intro(app, host)
    r = await submit(
        client, {**FORM, "guests": "g1@example.com, g2@example.com"}, timeZone="Europe/Rome"
    )
    uid = booking_uid(r)
    assert "isSuccessBookingPage=true" in r.headers["location"]
    assert "timeZone=Europe%2FRome" in r.headers["location"]
    data = await api_booking(client, uid)
    assert data["start"] == SLOT and data["status"] == "accepted"
    assert data["eventTypeId"] == event_type_id
    assert data["attendees"][0]["name"] == "Ann Lee"
    assert data["attendees"][0]["timeZone"] == "Europe/Rome"
    assert data["guests"] == ["g1@example.com", "g2@example.com"]
    assert data["description"] == "About the plan"
    assert data["location"] == "integrations:daily"
    page = await client.get(r.headers["location"])
    assert page.status_code == 200
    assert "This meeting is scheduled" in page.text
    # when: in the booker's zone (10:00 UTC is 12:00 in Rome in September)
    assert "Monday, September 5, 2050, 12:00 PM – 12:30 PM" in page.text
    assert "Europe/Rome".replace("_", " ") in page.text
    assert "Cal Video" in page.text and "Ann Lee" in page.text
    assert f'href="/booking/{uid}?' in page.text and "cancel=true" in page.text
    assert f"rescheduleUid={uid}" in page.text
    assert "bookingSuccessfulV2" in page.text
    assert (
        "https://calendar.google.com/calendar/r/eventedit?dates=20500905T100000Z%2F20500905T103000Z"
        in page.text
    )
    assert f'href="/booking/{uid}/ics"' in page.text
    ics = await client.get(f"/booking/{uid}/ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert 'filename="invite.ics"' in ics.headers["content-disposition"]
    assert "METHOD:PUBLISH" in ics.text and f"UID:{uid}@slotwise" in ics.text
    # a second visitor no longer sees the time
    again = await client.get(booker_url(date=MONDAY))
    assert SLOT not in slot_values(again.text)


async def test_missing_required_field_is_reported_next_to_it(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await submit(client, {"name": "", "email": "not-an-email", "location": "0"})
    assert r.status_code == 400
    html = r.text
    assert '<p class="error" id="f-name-error">This field is required</p>' in html
    assert '<p class="error" id="f-email-error">Enter a valid email address</p>' in html
    assert 'aria-invalid="true" aria-describedby="f-name-error"' in html
    assert 'value="not-an-email"' in html  # what was typed is kept
    assert 'role="alert"' in html
    r = await client.get("/v2/bookings", headers={**host.headers, **V})
    assert r.json()["data"] == []


async def test_custom_fields_are_rendered_and_checked(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    fields = [
        {"type": "select", "slug": "topic", "label": "Topic", "required": True,
         "options": ["Sales", "Support"]},
        {"type": "number", "slug": "seats", "label": "Seats", "required": False},
        {"type": "boolean", "slug": "consent", "label": "I agree", "required": True},
        {"type": "multiselect", "slug": "langs", "label": "Languages", "options": ["en", "de"]},
    ]  # fmt: skip
    from slotwise.event_types.booking_fields import default_booking_fields

    stored = default_booking_fields()
    stored[3:3] = [{**f, "isDefault": False, "hidden": False} for f in fields]
    await intro(app, host, bookingFields=stored)
    page = await client.get(booker_url(date=MONDAY, slot=SLOT, topic="Support"))
    assert '<select id="f-topic" name="topic" required' in page.text
    assert '<option value="Support" selected>' in page.text
    assert 'type="number" id="f-seats"' in page.text
    assert '<input id="f-consent" type="checkbox" name="consent" value="true" required' in page.text
    assert "<legend>Languages</legend>" in page.text
    bad = await submit(client, {**FORM, "topic": "Other", "seats": "many"})
    assert bad.status_code == 400
    assert 'id="f-topic-error">Choose from the options given<' in bad.text
    assert 'id="f-seats-error">Enter a number<' in bad.text
    assert 'id="f-consent-error">This field is required<' in bad.text
    ok = await submit(
        client, {**FORM, "topic": "Sales", "seats": "3", "consent": "true", "langs": ["en", "de"]}
    )
    data = await api_booking(client, booking_uid(ok))
    responses = data["bookingFieldsResponses"]
    assert responses["topic"] == "Sales" and responses["seats"] == 3
    assert responses["consent"] is True and responses["langs"] == ["en", "de"]


async def test_taken_time_shows_a_message_and_fresh_slots(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await intro(app, host)
    await booked(client, event_type_id, SLOT)  # someone else was faster
    r = await submit(client, FORM)
    assert r.status_code in (400, 409)
    assert 'role="alert"' in r.text
    assert SLOT not in slot_values(r.text)
    assert "2050-09-05T10:30:00.000Z" in slot_values(r.text)


async def test_reservation_by_someone_else_is_a_conflict(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await intro(app, host)
    held = await client.post(
        "/v2/slots/reservations",
        json={"eventTypeId": event_type_id, "slotStart": SLOT},
        headers={"cal-api-version": "2024-09-04"},
    )
    assert held.status_code == 201
    r = await submit(client, FORM)
    assert r.status_code == 409
    assert "Someone else is booking this time" in r.text
    # with the reservation's uid (what the page's script sends) the booking goes through
    uid = held.json()["data"]["reservationUid"]
    ok = await submit(client, {**FORM, "reservationUid": uid})
    assert (await api_booking(client, booking_uid(ok)))["start"] == SLOT


async def test_cancel_from_the_booking_page(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    uid = booking_uid(await submit(client, FORM))
    form_page = await client.get(f"/booking/{uid}?cancel=true")
    assert '<label for="cancellationReason">' in form_page.text
    assert f'action="/booking/{uid}/cancel' in form_page.text
    r = await client.post(f"/booking/{uid}/cancel", data={"cancellationReason": "Ill"})
    assert r.status_code == 303 and r.headers["location"] == f"/booking/{uid}?cancelled=true"
    data = await api_booking(client, uid)
    assert data["status"] == "cancelled" and data["cancellationReason"] == "Ill"
    page = await client.get(r.headers["location"])
    assert "This event is cancelled" in page.text and "Ill" in page.text
    assert "bookingCancelled" in page.text
    assert "rescheduleUid" not in page.text  # nothing left to change
    assert "Add to calendar" not in page.text
    assert "METHOD:CANCEL" in (await client.get(f"/booking/{uid}/ics")).text
    assert (await client.get("/booking/nope/ics")).status_code == 404
    again = await client.post(f"/booking/{uid}/cancel", data={})
    assert again.status_code == 400 and "already been cancelled" in again.text
    # the time is free again
    assert SLOT in slot_values((await client.get(booker_url(date=MONDAY))).text)


async def test_reschedule_from_the_booking_page(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    uid = booking_uid(await submit(client, FORM))
    later = "2050-09-06T14:00:00.000Z"
    page = await client.get(booker_url(date="2050-09-06", slot=later, rescheduleUid=uid))
    assert '<label for="f-rescheduleReason">Reason for reschedule</label>' in page.text
    assert 'id="f-name"' not in page.text
    r = await submit(client, {"rescheduleReason": "Clash"}, slot=later, rescheduleUid=uid)
    new_uid = booking_uid(r)
    assert "rescheduled=true" in r.headers["location"]
    assert new_uid != uid
    new = await api_booking(client, new_uid)
    assert new["start"] == later and new["rescheduledFromUid"] == uid
    assert new["attendees"][0]["email"] == "ann@example.com"
    old = await api_booking(client, uid)
    assert old["status"] == "cancelled" and old["rescheduledToUid"] == new_uid
    # a uid of no booking of this event type is refused without touching anything
    r = await submit(client, {"rescheduleReason": "x"}, slot=later, rescheduleUid="nope")
    assert r.status_code == 404 and "booking to reschedule was not found" in r.text
    old_page = await client.get(f"/booking/{uid}")
    assert (
        "This booking was rescheduled" in old_page.text and f"/booking/{new_uid}" in old_page.text
    )


async def test_pending_booking_says_it_awaits_confirmation(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, confirmationPolicy={"type": "always"})
    uid = booking_uid(await submit(client, FORM))
    assert (await api_booking(client, uid))["status"] == "pending"
    page = await client.get(f"/booking/{uid}")
    assert "Your booking awaits the host&#39;s confirmation" in page.text
    assert "The host has to confirm this booking" in page.text


async def test_form_too_large_and_unknown_booking(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await submit(client, {"notes": "x" * 70_000})
    assert r.status_code == 413
    r = await client.post("/booking/nope/cancel", data={})
    assert r.status_code == 404 and "Page not found" in r.text


async def test_success_redirect_url_gets_the_booking_details(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, successRedirectUrl="https://example.com/thanks?from=cal")
    r = await submit(client, FORM)
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith("https://example.com/thanks?from=cal&title=Intro+call")
    assert "startTime=2050-09-05T10%3A00%3A00.000Z" in location
    assert "attendeeName=Ann+Lee" in location and "hostName=Alice+Host" in location
    # embedded, the confirmation page is shown (it fires bookingSuccessfulV2 to the parent)
    embedded = await submit(client, FORM, slot="2050-09-05T11:00:00.000Z", embed="true")
    assert embedded.headers["location"].startswith("/booking/")
