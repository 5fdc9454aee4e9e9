"""POST /v2/bookings against custom booking fields, attendee phone and language, customName."""

from __future__ import annotations

import json
from typing import Any

import httpx2

from tests.api.booking_fixtures import MONDAY, V, at, book, booked, booking_body, give_schedule
from tests.conftest import Host

ET_V = {"cal-api-version": "2024-06-14"}

FIELDS: list[dict[str, Any]] = [
    {"type": "text", "slug": "company", "label": "Company", "required": True},
    {"type": "textarea", "slug": "agenda", "label": "Agenda"},
    {"type": "number", "slug": "seats", "label": "Seats", "required": True},
    {"type": "select", "slug": "plan", "label": "Plan", "options": ["Free", "Pro"]},
    {"type": "multiselect", "slug": "topics", "label": "Topics", "options": ["API", "UI"]},
    {"type": "checkbox", "slug": "days", "label": "Days", "options": ["Mon", "Tue"]},
    {"type": "radio", "slug": "size", "label": "Size", "options": ["S", "M"]},
    {"type": "boolean", "slug": "agree", "label": "I agree", "required": True},
    {"type": "phone", "slug": "mobile", "label": "Mobile"},
    {"type": "address", "slug": "office", "label": "Office"},
    {"type": "url", "slug": "site", "label": "Website"},
    {"type": "multiemail", "slug": "cc", "label": "CC"},
    {"type": "text", "slug": "secret", "label": "Hidden", "required": True, "hidden": True},
    {"type": "text", "slug": "prefilled", "label": "Ref", "disableOnPrefill": True},
]
GOOD: dict[str, Any] = {
    "company": "ACME",
    "agenda": "Line 1\nLine 2",
    "seats": 3,
    "plan": "Pro",
    "topics": ["API"],
    "days": ["Mon", "Tue"],
    "size": "M",
    "agree": True,
    "mobile": "+14155552671",
    "office": "1 Main St",
    "site": "https://acme.example",
    "cc": ["cc@example.com"],
    "prefilled": "R-1",
}


async def event_type(client: httpx2.AsyncClient, app: Any, host: Host, **body: Any) -> int:
    """Create an event type through the API (with a Mon–Fri 09–17 UTC schedule)."""
    await give_schedule(app, host, name="Alice Host")
    payload = {"title": "Intro", "slug": "intro", "lengthInMinutes": 30, **body}
    payload.setdefault("minimumBookingNotice", 0)
    r = await client.post("/v2/event-types", json=payload, headers={**host.headers, **ET_V})
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


def error(r: httpx2.Response) -> dict[str, Any]:
    assert r.status_code == 400, r.text
    err: dict[str, Any] = r.json()["error"]
    return err


async def test_every_field_type_accepted_and_stored(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await event_type(client, app, host, bookingFields=FIELDS)
    data = await booked(client, et, at(MONDAY, "10:00"), bookingFieldsResponses=GOOD)
    responses = data["bookingFieldsResponses"]
    for key, value in GOOD.items():
        assert responses[key] == value
    assert responses["name"] == "Bob Booker"
    assert responses["email"] == "bob@example.com"
    # a select given as a number matching an option is accepted (Cal.com accepts numbers)
    numeric = FIELDS + [{"type": "select", "slug": "tier", "label": "Tier", "options": ["1", "2"]}]
    et2 = await event_type(client, app, host, slug="numeric", bookingFields=numeric)
    body = {**GOOD, "tier": 2}
    assert (await book(client, et2, at(MONDAY, "11:00"), bookingFieldsResponses=body)).is_success


async def test_missing_and_wrong_fields_are_each_named(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await event_type(client, app, host, bookingFields=FIELDS)
    r = await book(client, et, at(MONDAY, "10:00"))
    err = error(r)
    assert [d["field"] for d in err["details"]] == ["company", "seats", "agree"]
    assert err["message"].startswith(
        "Missing required booking field response: company - it is required by the event type "
        "booking fields, but missing in the bookingFieldsResponses. You can fetch the event type "
        f"with ID {et} to see the required fields."
    )
    bad = {
        **GOOD,
        "company": 5,
        "seats": "3",
        "plan": "Gold",
        "topics": "API",
        "days": ["Sun"],
        "size": ["S"],
        "agree": "yes",
        "mobile": "12345",
        "site": "not a url",
        "cc": ["nope"],
    }
    err = error(await book(client, et, at(MONDAY, "10:00"), bookingFieldsResponses=bad))
    named = [d["field"] for d in err["details"]]
    assert named == [
        "company", "seats", "plan", "topics", "days", "size", "agree", "mobile", "site", "cc",
    ]  # fmt: skip
    messages = {d["field"]: d["message"] for d in err["details"]}
    assert messages["company"] == (
        "Invalid type for booking field 'company'. Expected type string (compatible with field "
        "type 'text'), but received number."
    )
    assert messages["plan"] == (
        "Invalid option 'Gold' for booking field 'plan'. Allowed options are: Free, Pro."
    )
    assert messages["days"] == (
        "One or more invalid options for booking field 'days'. Allowed options are: Mon, Tue."
    )
    assert "received string" in messages["agree"]
    # non-finite numbers (JSON extensions) are refused, never stored
    raw = json.dumps(booking_body(et, at(MONDAY, "10:00"), bookingFieldsResponses={"seats": 0}))
    raw = raw.replace('"seats": 0', '"company": "A", "agree": true, "seats": NaN')
    r = await client.post(
        "/v2/bookings", content=raw, headers={**V, "content-type": "application/json"}
    )
    assert [d["field"] for d in error(r)["details"]] == ["seats"]
    # false for a required boolean (a consent box) is missing; the hidden required field is not
    err = error(
        await book(client, et, at(MONDAY, "10:00"), bookingFieldsResponses={**GOOD, "agree": False})
    )
    assert [d["field"] for d in err["details"]] == ["agree"]
    # nothing was written
    r = await client.get("/v2/bookings", headers={**host.headers, **V})
    assert r.json()["data"] == []


async def test_system_fields(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    fields = [
        {"slug": "title", "required": True, "hidden": False},
        {"slug": "notes", "required": True},
        {"slug": "guests", "required": True},
        {"slug": "rescheduleReason", "required": True},
        {"type": "phone", "slug": "attendeePhoneNumber", "label": "Phone", "required": True},
    ]
    et = await event_type(client, app, host, bookingFields=fields)
    err = error(await book(client, et, at(MONDAY, "10:00")))
    assert [d["field"] for d in err["details"]] == [
        "attendeePhoneNumber",
        "title",
        "notes",
        "guests",
    ]  # fmt: skip  (rescheduleReason is only required when rescheduling)
    assert err["details"][0]["message"] == (
        "Missing attendee phone number - it is required by the event type. Pass it as "
        '"attendee.phoneNumber" string in the request.'
    )
    body = {
        "start": at(MONDAY, "10:00"),
        "eventTypeId": et,
        "attendee": {
            "name": "Bob Booker",
            "email": "bob@example.com",
            "timeZone": "Europe/Rome",
            "phoneNumber": "+393471234567",
            "language": "it",
        },
        "bookingFieldsResponses": {"title": "Roadmap", "notes": "Bring slides"},
        "guests": ["carol@example.com"],
    }
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["description"] == "Bring slides"
    assert data["attendees"][0]["phoneNumber"] == "+393471234567"
    assert data["attendees"][0]["language"] == "it"
    assert data["guests"] == ["carol@example.com"]
    assert data["bookingFieldsResponses"]["attendeePhoneNumber"] == "+393471234567"


async def test_guests_from_booking_fields_and_hidden_guests(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await event_type(client, app, host)
    data = await booked(
        client, et, at(MONDAY, "10:00"), bookingFieldsResponses={"guests": ["dan@example.com"]}
    )
    assert [a["email"] for a in data["attendees"]] == ["bob@example.com", "dan@example.com"]
    r = await book(
        client, et, at(MONDAY, "11:00"), bookingFieldsResponses={"guests": ["bad-email"]}
    )
    assert "guests" in error(r)["message"]
    no_guests = await event_type(
        client, app, host, slug="solo", bookingFields=[{"slug": "guests", "hidden": True}]
    )
    r = await book(client, no_guests, at(MONDAY, "12:00"), guests=["dan@example.com"])
    assert "does not allow guests" in error(r)["message"]


async def test_attendee_phone_and_language(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    et = await event_type(client, app, host)
    for phone in ("12345", "+1 555", "+99912345678", "phone"):
        body = {
            "start": at(MONDAY, "10:00"),
            "eventTypeId": et,
            "attendee": {
                "name": "Bob",
                "email": "bob@example.com",
                "timeZone": "UTC",
                "phoneNumber": phone,
            },
        }
        err = error(await client.post("/v2/bookings", json=body, headers=V))
        assert "attendee.phoneNumber" in err["message"] and "E.164" in err["message"]
    body["attendee"] = {
        "name": "Bob", "email": "bob@example.com", "timeZone": "UTC", "language": "xx",
    }  # fmt: skip
    err = error(await client.post("/v2/bookings", json=body, headers=V))
    assert "attendee.language" in err["message"]
    body["attendee"] = {
        "name": "Bob", "email": "bob@example.com", "timeZone": "UTC",
        "phoneNumber": " +14155552671 ", "language": "pt-BR",
    }  # fmt: skip
    r = await client.post("/v2/bookings", json=body, headers=V)
    assert r.status_code == 201, r.text
    assert r.json()["data"]["attendees"][0]["phoneNumber"] == "+14155552671"
    assert r.json()["data"]["attendees"][0]["language"] == "pt-BR"


async def test_custom_name_templates(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    fields = [
        {"type": "text", "slug": "company", "label": "Company"},
        {"type": "text", "slug": "agenda", "label": "Agenda"},
    ]
    template = (
        "{Event type title}: {Scheduler} ({Scheduler first name}/{Scheduler last name}) with "
        "{Organiser} [{Organiser first name}] {Event duration} at {Location} for {company}"
        "[{agenda}] on {Event date} {Event time}"
    )
    et = await event_type(
        client, app, host, title="Demo", bookingFields=fields, customName=template
    )
    data = await booked(client, et, at(MONDAY, "10:00"), bookingFieldsResponses={"company": "ACME"})
    assert data["title"] == (
        "Demo: Bob Booker (Bob/Booker) with Alice Host [Alice] 30 mins at Cal Video for ACME[]"
        " on Monday, September 5, 2050 10:00"
    )
    plain = await event_type(client, app, host, slug="plain", title="Chat")
    data = await booked(client, plain, at(MONDAY, "11:00"))
    assert data["title"] == "Chat between Alice Host and Bob Booker"
    legacy = await event_type(
        client, app, host, slug="legacy", customName="{HOST} & {ATTENDEE} / {HOST/ATTENDEE}"
    )
    data = await booked(client, legacy, at(MONDAY, "12:00"))
    assert data["title"] == "Alice Host & Bob Booker / Bob Booker"


async def test_required_reschedule_reason(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    et = await event_type(
        client, app, host, bookingFields=[{"slug": "rescheduleReason", "required": True}]
    )
    data = await booked(client, et, at(MONDAY, "10:00"))  # not needed to book
    url = f"/v2/bookings/{data['uid']}/reschedule"
    err = error(await client.post(url, json={"start": at(MONDAY, "11:00")}, headers=V))
    assert err["message"].startswith("Missing required booking field response: rescheduleReason")
    r = await client.post(
        url, json={"start": at(MONDAY, "11:00"), "reschedulingReason": "Clash"}, headers=V
    )
    assert r.status_code == 201, r.text
    moved = r.json()["data"]
    # the host's own key needs no reason
    r = await client.post(
        f"/v2/bookings/{moved['uid']}/reschedule",
        json={"start": at(MONDAY, "12:00")},
        headers={**host.headers, **V},
    )
    assert r.status_code == 201, r.text
