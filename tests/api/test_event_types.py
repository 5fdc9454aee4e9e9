"""/v2/event-types (cal-api-version 2024-06-14): create, list, get, update, delete, validation,
ownership, and the stored config the slot engine reads."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import select

from slotwise.availability.inputs import event_rules
from slotwise.kit.db import Database
from slotwise.models import EventType
from tests.conftest import Host, make_host

V = {"cal-api-version": "2024-06-14"}
SV = {"cal-api-version": "2024-06-11"}
OUTPUT_REQUIRED = (
    "id", "lengthInMinutes", "title", "slug", "description", "locations", "bookingFields",
    "disableGuests", "recurrence", "metadata", "price", "currency",
    "lockTimeZoneToggleOnBookingPage", "forwardParamsSuccessRedirect", "successRedirectUrl",
    "isInstantEvent", "scheduleId", "hidden", "bookingRequiresAuthentication", "ownerId",
    "users", "bookingUrl",
)  # fmt: skip
DEFAULT_SLUGS = ["name", "email", "location", "title", "notes", "guests", "rescheduleReason"]


def h(host: Host) -> dict[str, str]:
    return {**host.headers, **V}


async def create(client: httpx2.AsyncClient, host: Host, **body: Any) -> dict[str, Any]:
    payload = {"title": "Intro call", "slug": "intro", "lengthInMinutes": 30, **body}
    r = await client.post("/v2/event-types", json=payload, headers=h(host))
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def patch(
    client: httpx2.AsyncClient, host: Host, event_type_id: int, body: dict[str, Any]
) -> httpx2.Response:
    return await client.patch(f"/v2/event-types/{event_type_id}", json=body, headers=h(host))


async def error(
    client: httpx2.AsyncClient, host: Host, body: dict[str, Any], status: int = 400
) -> str:
    payload = {"title": "Intro call", "slug": "intro", "lengthInMinutes": 30, **body}
    r = await client.post("/v2/event-types", json=payload, headers=h(host))
    assert r.status_code == status, r.text
    message: str = r.json()["error"]["message"]
    return message


async def test_create_minimal_returns_cal_defaults(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post(
        "/v2/event-types",
        json={"title": "Intro call", "slug": "Intro Call", "lengthInMinutes": 30},
        headers=h(host),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "success"
    data = body["data"]
    for key in OUTPUT_REQUIRED:
        assert key in data, key
    assert data["slug"] == "intro-call"
    assert data["ownerId"] == host.id
    assert data["lengthInMinutes"] == 30
    assert data["description"] == ""
    assert data["locations"] == [{"type": "integration", "integration": "cal-video"}]
    assert [f["slug"] for f in data["bookingFields"]] == DEFAULT_SLUGS
    name, email = data["bookingFields"][0], data["bookingFields"][1]
    assert name["isDefault"] is True and name["type"] == "name" and name["required"] is True
    assert email["type"] == "email" and email["required"] is True and email["hidden"] is False
    title = data["bookingFields"][3]
    assert title["type"] == "text" and title["hidden"] is True and title["required"] is True
    assert data["bookingFields"][5]["type"] == "multiemail"
    assert data["minimumBookingNotice"] == 120
    assert data["slotInterval"] is None
    assert data["beforeEventBuffer"] == 0 and data["afterEventBuffer"] == 0
    assert data["recurrence"] is None
    assert data["confirmationPolicy"] == {"disabled": True}
    assert data["seats"] == {"disabled": True}
    assert data["bookingWindow"] == {"disabled": True}
    assert data["bookerActiveBookingsLimit"] == {"disabled": True}
    assert data["disableCancelling"] == {"disabled": False}
    assert data["disableRescheduling"] == {"disabled": False}
    assert data["hidden"] is False
    assert data["scheduleId"] is None
    assert data["metadata"] == {}
    assert data["price"] == 0 and data["currency"] == "usd"
    assert data["bookingRequiresAuthentication"] is False
    assert data["bookingUrl"] == "http://slotwise.test/alice/intro-call"
    assert data["users"][0]["id"] == host.id
    assert data["users"][0]["username"] == "alice"
    assert "bookingLimitsCount" not in data and "color" not in data


FULL_BODY: dict[str, Any] = {
    "title": "Coding class",
    "slug": "coding-class",
    "description": "Let's learn how to code like a pro.",
    "lengthInMinutes": 60,
    "lengthInMinutesOptions": [30, 60, 90],
    "locations": [
        {"type": "integration", "integration": "cal-video"},
        {"type": "attendeePhone"},
        {"type": "address", "address": "1 Main St", "public": True},
        {"type": "link", "link": "https://meet.example.com/x", "public": False},
        {"type": "phone", "phone": "+37120993151", "public": True},
        {"type": "attendeeDefined"},
    ],
    "bookingFields": [
        {"type": "name", "label": "Your name sir / madam", "placeholder": "john doe"},
        {
            "type": "select",
            "label": "Which language?",
            "slug": "select-language",
            "required": True,
            "placeholder": "select language",
            "options": ["javascript", "python", "cobol"],
            "disableOnPrefill": True,
            "hidden": False,
        },
        {"type": "boolean", "label": "Agree?", "slug": "agree", "required": True, "hidden": False},
        {"slug": "notes", "label": "Notes please", "required": True},
    ],
    "disableGuests": True,
    "slotInterval": 15,
    "minimumBookingNotice": 60,
    "beforeEventBuffer": 10,
    "afterEventBuffer": 5,
    "bookingLimitsCount": {"day": 2, "week": 5},
    "onlyShowFirstAvailableSlot": True,
    "bookingLimitsDuration": {"day": 60, "week": 120},
    "bookingWindow": {"type": "calendarDays", "value": 30, "rolling": True},
    "offsetStart": 5,
    "bookerLayouts": {"enabledLayouts": ["column", "month"], "defaultLayout": "month"},
    "confirmationPolicy": {
        "type": "time",
        "noticeThreshold": {"count": 60, "unit": "minutes"},
        "blockUnconfirmedBookingsInBooker": True,
    },
    "recurrence": {"frequency": "weekly", "interval": 2, "occurrences": 10, "disabled": False},
    "requiresBookerEmailVerification": False,
    "hideCalendarNotes": True,
    "lockTimeZoneToggleOnBookingPage": True,
    "color": {"darkThemeHex": "#292929", "lightThemeHex": "#fafafa"},
    "customName": "{Event type title} between {Organiser} and {Scheduler} ({select-language})",
    "destinationCalendar": {"integration": "google_calendar", "externalId": "a@example.com"},
    "useDestinationCalendarEmail": True,
    "hideCalendarEventDetails": True,
    "successRedirectUrl": "https://example.com/thanks",
    "hideOrganizerEmail": True,
    "calVideoSettings": {"disableRecordingForGuests": True, "sendTranscriptionEmails": False},
    "bookingRequiresAuthentication": True,
    "disableCancelling": {"disabled": True},
    "disableRescheduling": {"disabled": False, "minutesBefore": 60},
    "interfaceLanguage": "it",
    "allowReschedulingPastBookings": True,
    "allowReschedulingCancelledBookings": True,
    "showOptimizedSlots": True,
}


async def test_create_with_every_field_returns_them(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post("/v2/event-types", json=FULL_BODY, headers=h(host))
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    for key, value in FULL_BODY.items():
        if key in ("bookingFields", "disableGuests"):
            continue
        assert data[key] == value, key
    assert data["disableGuests"] is True
    fields = {f["slug"]: f for f in data["bookingFields"]}
    assert [f["slug"] for f in data["bookingFields"]] == [
        "name", "email", "location", "select-language", "agree", "title", "notes", "guests",
        "rescheduleReason",
    ]  # fmt: skip
    assert fields["name"]["label"] == "Your name sir / madam"
    assert fields["name"]["placeholder"] == "john doe"
    assert fields["select-language"] == {
        "isDefault": False,
        "type": "select",
        "slug": "select-language",
        "label": "Which language?",
        "required": True,
        "placeholder": "select language",
        "options": ["javascript", "python", "cobol"],
        "disableOnPrefill": True,
        "hidden": False,
    }
    assert "placeholder" not in fields["agree"]
    assert fields["notes"]["required"] is True and fields["notes"]["label"] == "Notes please"
    assert fields["notes"]["type"] == "textarea" and fields["notes"]["isDefault"] is True
    assert fields["guests"]["hidden"] is True  # disableGuests
    assert data["seats"] == {"disabled": True}
    got = await client.get(f"/v2/event-types/{data['id']}", headers=h(host))
    assert got.status_code == 200
    assert got.json()["data"] == data


async def test_stored_config_is_what_the_slot_engine_reads(
    client: httpx2.AsyncClient, host: Host, app: Any
) -> None:
    body = {
        **{k: FULL_BODY[k] for k in ("slotInterval", "minimumBookingNotice", "offsetStart")},
        "beforeEventBuffer": 10,
        "afterEventBuffer": 20,
        "onlyShowFirstAvailableSlot": True,
        "showOptimizedSlots": True,
        "bookingWindow": {"type": "range", "value": ["2050-09-05", "2050-09-09"]},
        "bookingLimitsCount": {"day": 2, "week": 5},
        "bookingLimitsDuration": {"day": 60},
        "confirmationPolicy": {"type": "always", "blockUnconfirmedBookingsInBooker": True},
    }
    data = await create(client, host, **body)
    db: Database = app.state.db
    async with db.read_sessions() as session:
        row = await session.scalar(select(EventType).where(EventType.id == data["id"]))
    assert row is not None
    assert row.config["minimumBookingNotice"] == 60
    assert row.config["locations"] == [{"type": "integration", "integration": "cal-video"}]
    rules = event_rules(row, "Europe/Rome")
    assert rules.length == 30
    assert rules.slot_interval == 15
    assert rules.minimum_booking_notice == 60
    assert rules.offset_start == 5
    assert (rules.before_buffer, rules.after_buffer) == (10, 20)
    assert rules.only_show_first_available_slot and rules.show_optimized_slots
    assert rules.booking_window is not None
    assert rules.count_limits is not None and rules.count_limits.day == 2
    assert rules.duration_limits is not None and rules.duration_limits.day == 60
    assert row.config["confirmationPolicy"]["blockUnconfirmedBookingsInBooker"] is True


BF = "bookingFields"
EMAIL_RULE = "checkIsEmailUserAccessible - Email booking field must be required and visible"
INVALID: list[tuple[dict[str, Any], tuple[str, ...]]] = [
    ({"favourite": 1}, ("property favourite should not exist",)),
    ({"lengthInMinutes": 0}, ("lengthInMinutes",)),
    ({"lengthInMinutes": "30"}, ("lengthInMinutes",)),
    ({"lengthInMinutesOptions": [15, 60]}, ("must include lengthInMinutes (30)",)),
    ({"lengthInMinutesOptions": ["15", "30"]}, ("lengthInMinutesOptions.0",)),
    ({"lengthInMinutesOptions": []}, ("lengthInMinutesOptions",)),
    ({"bookingLimitsDuration": {"day": 50}}, ("bookingLimitsDuration.day", "multiple of 15")),
    ({"bookingLimitsCount": {"day": 5, "week": 2}}, ("bookingLimitsCount", "day (5) cannot")),
    ({"bookingWindow": {"type": "range", "value": ["2050-01-01"]}}, ("bookingWindow", "YYYY")),
    ({"bookingWindow": {"type": "range", "value": ["2050-02-01", "2050-01-01"]}}, ("start",)),
    ({"bookingWindow": {"type": "calendarDays", "value": [3]}}, ("number of days",)),
    ({"bookingWindow": {"type": "weeks", "value": 3}}, ("bookingWindow.type",)),
    ({"confirmationPolicy": {"type": "time"}}, ("confirmationPolicy",)),
    ({"seats": {"seatsPerTimeSlot": 3}}, ("seats", "showAttendeeInfo")),
    ({"recurrence": {"frequency": "daily", "interval": 1, "occurrences": 2}}, ("recurrence.",)),
    ({"beforeEventBuffer": 121}, ("beforeEventBuffer",)),
    ({"minimumBookingNotice": -1}, ("minimumBookingNotice",)),
    ({"color": {"darkThemeHex": "black", "lightThemeHex": "#fff"}}, ("color.darkThemeHex",)),
    ({"successRedirectUrl": "nope"}, ("successRedirectUrl",)),
    ({"interfaceLanguage": "xx"}, ("interfaceLanguage",)),
    ({"bookerLayouts": {"defaultLayout": "week", "enabledLayouts": ["month"]}}, ("defaultLay",)),
    ({"locations": [{"type": "carrier-pigeon"}]}, ("locations.0",)),
    ({"locations": [{"type": "link", "link": "ftp://x"}]}, ("locations.0", "link")),
    ({"locations": [{"type": "phone", "phone": "12"}]}, ("locations.0", "phone")),
    ({"locations": [{"type": "integration", "integration": "zoom"}]}, ("zoom not connected",)),
    ({"customName": "{Event type title} with {Nobody}"}, ("variables: {Nobody}",)),
    ({"slug": "!!!"}, ("slug",)),
    ({BF: [{"type": "email", "label": "E", "hidden": True, "required": False}]}, (EMAIL_RULE,)),
    ({BF: [{"type": "select", "slug": "s", "label": "S"}]}, ("bookingFields.0", "options")),
    ({BF: [{"type": "text", "slug": "notes", "label": "N"}]}, ("bookingFields.0", "default")),
    ({BF: [{"type": "text", "slug": "a", "label": "A"}] * 2}, ("given more than once",)),
    ({BF: [{"label": "no type"}]}, ("bookingFields.0", "needs a type")),
    ({BF: [{"type": "boolean", "slug": "b", "label": "B", "placeholder": "x"}]}, ("placeh",)),
    ({BF: [{"type": "text", "slug": "a b", "label": "A"}]}, ("bookingFields.0", "slug")),
]


async def test_validation_errors_name_the_field(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post("/v2/event-types", json={"slug": "x"}, headers=h(host))
    assert r.status_code == 400
    msg = r.json()["error"]["message"]
    assert "lengthInMinutes is required" in msg and "title is required" in msg
    for body, expected in INVALID:
        msg = await error(client, host, body)
        for part in expected:
            assert part in msg, (body, msg)
    r = await client.get("/v2/event-types", headers=h(host))
    assert r.json()["data"] == []  # nothing was created


async def test_cross_field_rules(client: httpx2.AsyncClient, host: Host) -> None:
    seats = {"seatsPerTimeSlot": 4, "showAttendeeInfo": True, "showAvailabilityCount": True}
    two_locations = [
        {"type": "integration", "integration": "cal-video"},
        {"type": "phone", "phone": "+37120993151", "public": True},
    ]
    msg = await error(client, host, {"seats": seats, "locations": two_locations})
    assert "more than one location" in msg
    policy = {"type": "always", "blockUnconfirmedBookingsInBooker": False}
    msg = await error(client, host, {"seats": seats, "confirmationPolicy": policy})
    assert "requiresConfirmation" in msg
    recurrence = {"frequency": "weekly", "interval": 1, "occurrences": 4}
    limit = {"maximumActiveBookings": 2}
    msg = await error(client, host, {"recurrence": recurrence, "bookerActiveBookingsLimit": limit})
    assert "bookerActiveBookingsLimit" in msg

    # the same rules hold when the conflict is introduced by an update
    seated = await create(client, host, slug="seated", seats=seats)
    assert seated["seats"] == seats
    assert seated["seatsPerTimeSlot"] == 4
    r = await patch(client, host, seated["id"], {"locations": two_locations})
    assert r.status_code == 400
    assert "more than one location" in r.json()["error"]["message"]
    r = await patch(client, host, seated["id"], {"confirmationPolicy": policy})
    assert r.status_code == 400
    r = await patch(
        client, host, seated["id"], {"seats": {"disabled": True}, "confirmationPolicy": policy}
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["seats"] == {"disabled": True}
    assert r.json()["data"]["seatsPerTimeSlot"] is None


async def test_slug_unique_per_user(
    client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    first = await create(client, host, slug="intro")
    msg = await error(client, host, {"slug": "Intro"})
    assert msg == "User already has an event type with this slug."
    await create(client, other_host, slug="intro")  # another user may use it
    second = await create(client, host, slug="second")
    r = await patch(client, host, second["id"], {"slug": "intro"})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "User already has an event type with this slug."
    r = await patch(client, host, first["id"], {"slug": "intro", "title": "Same"})
    assert r.status_code == 200


async def test_schedule_must_be_the_users(
    client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    r = await client.post(
        "/v2/schedules",
        json={"name": "Bob's", "timeZone": "UTC", "isDefault": True},
        headers={**other_host.headers, **SV},
    )
    bobs = r.json()["data"]["id"]
    r = await client.post(
        "/v2/schedules",
        json={"name": "Mine", "timeZone": "Europe/Rome", "isDefault": False},
        headers={**host.headers, **SV},
    )
    mine = r.json()["data"]["id"]
    msg = await error(client, host, {"scheduleId": bobs}, status=404)
    assert msg == f"User with ID={host.id} does not own schedule with ID={bobs}"
    data = await create(client, host, scheduleId=mine)
    assert data["scheduleId"] == mine
    r = await patch(client, host, data["id"], {"scheduleId": None})
    assert r.status_code == 200
    assert r.json()["data"]["scheduleId"] is None
    r = await patch(client, host, data["id"], {"scheduleId": bobs})
    assert r.status_code == 404


async def test_update_partial_null_resets_and_booking_fields(
    client: httpx2.AsyncClient, host: Host
) -> None:
    data = await create(
        client,
        host,
        lengthInMinutesOptions=[30, 60],
        slotInterval=10,
        recurrence={"frequency": "monthly", "interval": 1, "occurrences": 3},
        bookingFields=[{"type": "text", "slug": "company", "label": "Company"}],
    )
    eid = data["id"]
    r = await patch(client, host, eid, {"title": "Renamed", "lengthInMinutes": 60})
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert out["title"] == "Renamed" and out["lengthInMinutes"] == 60
    assert out["slotInterval"] == 10 and out["slug"] == data["slug"]
    assert [f["slug"] for f in out["bookingFields"]][3] == "company"

    r = await patch(client, host, eid, {"lengthInMinutes": 45})
    assert r.status_code == 400
    assert "must include lengthInMinutes (45)" in r.json()["error"]["message"]

    reset = {"slotInterval": None, "recurrence": {"disabled": True}, "disableGuests": True}
    r = await patch(client, host, eid, reset)
    out = r.json()["data"]
    assert out["slotInterval"] is None
    assert out["recurrence"] is None
    assert out["disableGuests"] is True
    guests = next(f for f in out["bookingFields"] if f["slug"] == "guests")
    assert guests["hidden"] is True
    assert "company" in [f["slug"] for f in out["bookingFields"]]

    r = await patch(client, host, eid, {"bookingFields": None, "disableGuests": False})
    out = r.json()["data"]
    assert [f["slug"] for f in out["bookingFields"]] == DEFAULT_SLUGS
    assert next(f for f in out["bookingFields"] if f["slug"] == "guests")["hidden"] is False

    for bad in ({"title": None}, {"lengthInMinutes": None}, {"slug": None}, {"id": 3}):
        r = await patch(client, host, eid, bad)
        assert r.status_code == 400, bad
    r = await patch(client, host, eid, {"hidden": True})
    assert r.json()["data"]["hidden"] is True


async def test_listing(client: httpx2.AsyncClient, host: Host, other_host: Host) -> None:
    first = await create(client, host, slug="first")
    hidden = await create(client, host, slug="secret", hidden=True)
    third = await create(client, host, slug="third")
    await create(client, other_host, slug="bobs")

    async def ids(params: dict[str, str], headers: dict[str, str]) -> list[int]:
        r = await client.get("/v2/event-types", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return [e["id"] for e in r.json()["data"]]

    own = [first["id"], hidden["id"], third["id"]]
    assert await ids({}, h(host)) == own
    assert await ids({"sortCreatedAt": "desc"}, h(host)) == own[::-1]
    assert await ids({"username": "alice"}, h(host)) == own
    assert await ids({"username": "alice"}, V) == [first["id"], third["id"]]
    assert await ids({"username": "ALICE"}, h(other_host)) == [first["id"], third["id"]]
    assert await ids({"username": "alice", "eventSlug": "secret"}, V) == []
    assert await ids({"username": "alice", "eventSlug": "secret"}, h(other_host)) == []
    assert await ids({"username": "alice", "eventSlug": "secret"}, h(host)) == [hidden["id"]]
    assert await ids({"username": "alice", "eventSlug": "third"}, V) == [third["id"]]
    assert await ids({"username": "nobody"}, V) == []
    assert await ids({}, V) == []

    r = await client.get("/v2/event-types", params={"username": "alice"}, headers=V)
    listed = r.json()["data"][0]
    assert "title" not in [f["slug"] for f in listed["bookingFields"]]  # hidden fields left out
    assert listed["bookingUrl"] == "http://slotwise.test/alice/first"

    r = await client.get("/v2/event-types", params={"eventSlug": "first"}, headers=V)
    assert r.status_code == 400
    assert "username" in r.json()["error"]["message"]
    r = await client.get("/v2/event-types", params={"sortCreatedAt": "up"}, headers=h(host))
    assert r.status_code == 400
    assert "sortCreatedAt" in r.json()["error"]["message"]


async def test_dynamic_group_event(
    client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    r = await client.get("/v2/event-types", params={"usernames": "alice,bob,ghost"}, headers=V)
    assert r.status_code == 200
    (dynamic,) = r.json()["data"]
    assert dynamic["slug"] == "dynamic"
    assert dynamic["lengthInMinutes"] == 30
    assert dynamic["lengthInMinutesOptions"] == [15, 30, 45, 60, 90]
    assert [u["username"] for u in dynamic["users"]] == ["alice", "bob"]
    assert dynamic["bookingUrl"] == "http://slotwise.test/alice+bob"


async def test_someone_elses_event_type_is_404(
    client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    data = await create(client, host)
    url = f"/v2/event-types/{data['id']}"
    for method, kwargs in (("GET", {}), ("PATCH", {"json": {"title": "Mine"}}), ("DELETE", {})):
        r = await client.request(method, url, headers=h(other_host), **kwargs)
        assert r.status_code == 404, (method, r.text)
        assert r.json()["error"]["code"] == "NotFoundException"
    r = await client.get(url, headers=h(host))
    assert r.json()["data"]["title"] == "Intro call"


async def test_delete(client: httpx2.AsyncClient, host: Host) -> None:
    data = await create(client, host, lengthInMinutes=45, slug="gone")
    url = f"/v2/event-types/{data['id']}"
    r = await client.delete(url, headers=h(host))
    assert r.status_code == 200
    assert r.json() == {
        "status": "success",
        "data": {"id": data["id"], "lengthInMinutes": 45, "title": "Intro call", "slug": "gone"},
    }
    assert (await client.get(url, headers=h(host))).status_code == 404
    r = await client.delete(url, headers=h(host))
    assert r.status_code == 404
    assert r.json()["error"]["message"] == f"Event type with ID={data['id']} does not exist."
    await create(client, host, slug="gone")  # the slug is free again


async def test_version_header_and_auth(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post(
        "/v2/event-types",
        json={"title": "x", "slug": "x", "lengthInMinutes": 30},
        headers=host.headers,
    )
    assert r.status_code == 404
    assert "cal-api-version: 2024-06-14" in r.json()["error"]["message"]
    r = await client.get("/v2/event-types/1", headers={**host.headers, **SV})
    assert r.status_code == 404
    assert "2024-06-14" in r.json()["error"]["message"]
    r = await client.post(
        "/v2/event-types", json={"title": "x", "slug": "x", "lengthInMinutes": 30}, headers=V
    )
    assert r.status_code == 401
    r = await client.get("/v2/event-types/1", headers=V)
    assert r.status_code == 401
    r = await client.get("/v2/event-types", headers={**V, "Authorization": "Bearer cal_live_x"})
    assert r.status_code == 401


async def test_booking_url_uses_public_url_and_username(
    client: httpx2.AsyncClient, app: Any
) -> None:
    carol = await make_host(app, "carol", "Asia/Tokyo")
    data = await create(client, carol, slug="Café Chat")
    assert data["slug"] == "cafe-chat"
    assert data["bookingUrl"] == "http://slotwise.test/carol/cafe-chat"
