"""Webhook deliveries to a real HTTP receiver on loopback, on SQLite and PostgreSQL: payload
shapes, signatures, templates, one trigger per booking change, scoping, the delivery log."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx2
import pytest

from slotwise.app import create_app
from slotwise.config import Settings
from tests.api.booking_fixtures import MONDAY, TUESDAY, V, at, booked, hv, make_event_type
from tests.api.webhook_fixtures import all_jobs, fast, receiver, run_jobs, subscribe, verify
from tests.conftest import Host
from tests.webhook_receiver import Receiver

CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}
BOOKING_TRIGGERS = [
    "BOOKING_CREATED",
    "BOOKING_REQUESTED",
    "BOOKING_RESCHEDULED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
]
__all__ = ["receiver"]


async def test_booking_created_is_signed_and_shaped(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    hook = await subscribe(client, host, receiver.url, ["BOOKING_CREATED"], secret="whsec_1")
    booking = await booked(client, et, at(MONDAY, "10:00"), metadata={"crm": "42"})
    assert receiver.requests == []  # nothing is sent inside the request
    await run_jobs(app, settings)
    [req] = receiver.requests
    assert req.method == "POST" and req.path == "/hook"
    assert req.headers["content-type"] == "application/json"
    assert req.headers["x-cal-webhook-version"] == "2021-10-20"
    assert verify("whsec_1", req)
    assert not verify("another secret", req)
    sent = req.json()
    assert sent["triggerEvent"] == "BOOKING_CREATED"
    assert sent["createdAt"].endswith("Z")
    p = sent["payload"]
    assert p["bookerUrl"] == "http://slotwise.test"
    assert (p["uid"], p["bookingId"], p["status"]) == (booking["uid"], booking["id"], "ACCEPTED")
    assert (p["type"], p["eventTypeId"], p["length"]) == ("intro", et, 30)
    assert (p["startTime"], p["endTime"]) == (
        "2050-09-05T10:00:00.000Z",
        "2050-09-05T10:30:00.000Z",
    )
    assert p["organizer"]["email"] == host.email and p["organizer"]["utcOffset"] == 0
    assert p["organizer"]["language"] == {"locale": "en"}
    [attendee] = p["attendees"]
    assert (attendee["name"], attendee["email"]) == ("Bob Booker", "bob@example.com")
    assert (attendee["firstName"], attendee["lastName"]) == ("Bob", "Booker")
    assert attendee["timeZone"] == "Europe/Rome" and attendee["utcOffset"] == 120
    assert p["responses"]["name"]["value"] == "Bob Booker"
    assert p["responses"]["email"] == {
        "label": "Email address",
        "value": "bob@example.com",
        "isHidden": False,
    }
    assert p["metadata"] == {"crm": "42"}
    assert p["iCalUID"] == booking["icsUid"]
    # the delivery log
    r = await client.get(f"/v2/webhooks/{hook['id']}/deliveries", headers=host.headers)
    assert r.status_code == 200
    [entry] = r.json()["data"]
    assert entry["trigger"] == "BOOKING_CREATED" and entry["statusCode"] == 200
    assert entry["success"] is True and entry["attempt"] == 1 and entry["error"] is None
    assert isinstance(entry["durationMs"], int)
    assert r.json()["pagination"]["totalItems"] == 1


async def test_without_a_secret(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    await subscribe(client, host, receiver.url, ["BOOKING_CREATED"])
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app, settings)
    [req] = receiver.requests
    assert req.headers["x-cal-signature-256"] == "no-secret-provided"


async def test_custom_templates(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    template = json.dumps(
        {
            "content": "A new event has been scheduled",
            "type": "{{type}}",
            "name": "{{title}}",
            "organizer": "{{organizer.name}}",
            "booker": "{{attendees.0.name}}",
            "trigger": "{{triggerEvent}}",
            "line": "{{attendees.0.name}} <{{attendees.0.email}}> at {{startTime}}{{nothing.here}}",
            "people": "{{attendees}}",
        }
    )
    await subscribe(
        client, host, receiver.url, ["BOOKING_CREATED"], payloadTemplate=template, secret="k"
    )
    await subscribe(
        client,
        host,
        receiver.url + "?form=1",
        ["BOOKING_CREATED"],
        payloadTemplate="uid={{uid}}&who={{attendees.0.name}}",
    )
    booking = await booked(
        client, et, at(MONDAY, "10:00"), attendee={"name": 'Bo "Q" Bo', "email": "q@example.com",
                                                   "timeZone": "UTC"},
    )  # fmt: skip
    await run_jobs(app, settings)
    by_type = {r.headers["content-type"]: r for r in receiver.requests}
    sent = by_type["application/json"]
    assert verify("k", sent)
    assert sent.json() == {
        "content": "A new event has been scheduled",
        "type": "intro",
        "name": booking["title"],
        "organizer": "Alice Host",
        "booker": 'Bo "Q" Bo',
        "trigger": "BOOKING_CREATED",
        "line": 'Bo "Q" Bo <q@example.com> at 2050-09-05T10:00:00.000Z',
        "people": [sent.json()["people"][0]],
    }
    assert sent.json()["people"][0]["email"] == "q@example.com"
    form = by_type["application/x-www-form-urlencoded"]
    assert form.body.decode() == f'uid={booking["uid"]}&who=Bo "Q" Bo'


async def test_each_booking_change_fires_its_trigger(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    plain = await make_event_type(app, host)
    confirm = await make_event_type(app, host, slug="confirm", with_schedule=False,
                                    confirmationPolicy=CONFIRM)  # fmt: skip
    await subscribe(client, host, receiver.url, BOOKING_TRIGGERS)
    a = await booked(client, plain, at(MONDAY, "10:00"))
    r = await client.post(
        f"/v2/bookings/{a['uid']}/reschedule",
        json={"start": at(MONDAY, "11:00"), "reschedulingReason": "clash"},
        headers=V,
    )
    assert r.status_code == 201, r.text
    b = r.json()["data"]
    r = await client.post(
        f"/v2/bookings/{b['uid']}/cancel", json={"cancellationReason": "ill"}, headers=V
    )
    assert r.status_code == 200, r.text
    c = await booked(client, confirm, at(TUESDAY, "10:00"))
    r = await client.post(f"/v2/bookings/{c['uid']}/confirm", headers=hv(host))
    assert r.status_code == 200, r.text
    d = await booked(client, confirm, at(TUESDAY, "12:00"))
    r = await client.post(
        f"/v2/bookings/{d['uid']}/decline", json={"reason": "busy"}, headers=hv(host)
    )
    assert r.status_code == 200, r.text
    await run_jobs(app, settings)
    got = [(x.json()["triggerEvent"], x.json()["payload"]) for x in receiver.requests]
    assert sorted((t, p["uid"]) for t, p in got) == sorted(
        [
            ("BOOKING_CREATED", a["uid"]),
            ("BOOKING_RESCHEDULED", b["uid"]),
            ("BOOKING_CANCELLED", b["uid"]),
            ("BOOKING_REQUESTED", c["uid"]),
            ("BOOKING_CREATED", c["uid"]),
            ("BOOKING_REQUESTED", d["uid"]),
            ("BOOKING_REJECTED", d["uid"]),
        ]
    )
    payload = {(t, p["uid"]): p for t, p in got}
    moved = payload[("BOOKING_RESCHEDULED", b["uid"])]
    assert (moved["rescheduleUid"], moved["rescheduleId"]) == (a["uid"], a["id"])
    assert moved["rescheduleStartTime"] == "2050-09-05T10:00:00.000Z"
    assert moved["startTime"] == "2050-09-05T11:00:00.000Z"
    cancelled = payload[("BOOKING_CANCELLED", b["uid"])]
    assert (cancelled["status"], cancelled["cancellationReason"]) == ("CANCELLED", "ill")
    assert payload[("BOOKING_REQUESTED", c["uid"])]["status"] == "PENDING"
    assert payload[("BOOKING_REQUESTED", c["uid"])]["requiresConfirmation"] is True
    assert payload[("BOOKING_CREATED", c["uid"])]["status"] == "ACCEPTED"
    rejected = payload[("BOOKING_REJECTED", d["uid"])]
    assert (rejected["status"], rejected["rejectionReason"]) == ("REJECTED", "busy")


async def test_no_show_update(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    et = await make_event_type(app, host)
    await subscribe(client, host, receiver.url, ["BOOKING_NO_SHOW_UPDATED"])
    booking = await booked(client, et, at(MONDAY, "10:00"))
    from datetime import UTC, datetime

    from slotwise.kit import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2050, 9, 5, 11, tzinfo=UTC))
    r = await client.post(
        f"/v2/bookings/{booking['uid']}/mark-absent",
        json={"attendees": [{"email": "bob@example.com", "absent": True}]},
        headers=hv(host),
    )
    assert r.status_code in (200, 201), r.text
    await run_jobs(app, settings)
    [req] = receiver.requests
    assert req.json()["triggerEvent"] == "BOOKING_NO_SHOW_UPDATED"
    assert req.json()["payload"] == {
        "message": "bob@example.com marked as no-show",
        "attendees": [{"email": "bob@example.com", "noShow": True}],
        "bookingUid": booking["uid"],
        "bookingId": booking["id"],
    }


async def test_scopes_and_filters(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, other_host: Host,
    receiver: Receiver,
) -> None:  # fmt: skip
    et1 = await make_event_type(app, host)
    et2 = await make_event_type(app, host, slug="two", with_schedule=False)
    et_other = await make_event_type(app, other_host, slug="theirs")
    await subscribe(
        client, host, receiver.url + "?scope=et1", ["BOOKING_CREATED"], event_type_id=et1
    )
    await subscribe(client, host, receiver.url + "?scope=user", ["BOOKING_CREATED"])
    await subscribe(client, host, receiver.url + "?scope=cancel-only", ["BOOKING_CANCELLED"])
    off = await subscribe(client, host, receiver.url + "?scope=off", ["BOOKING_CREATED"])
    r = await client.patch(
        f"/v2/webhooks/{off['id']}", json={"active": False}, headers=host.headers
    )
    assert r.status_code == 200
    await booked(client, et1, at(MONDAY, "10:00"))
    await booked(client, et2, at(MONDAY, "11:00"))
    await booked(client, et_other, at(MONDAY, "12:00"))
    await run_jobs(app, settings)
    seen = sorted(
        (r.path.split("=")[1], r.json()["payload"]["eventTypeId"]) for r in receiver.requests
    )
    assert seen == sorted([("et1", et1), ("user", et1), ("user", et2)])


async def test_secret_is_never_logged(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.INFO)  # (aiosqlite's DEBUG log echoes SQL parameters)
    caplog.set_level(logging.DEBUG, logger="slotwise")
    down = Receiver()  # never started: every attempt fails and is logged
    et = await make_event_type(app, host)
    await subscribe(client, host, down.url, ["BOOKING_CREATED"], secret="never-log-me-123")
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app, settings)
    assert caplog.records  # the failed attempt was logged …
    assert "never-log-me-123" not in caplog.text  # … without the secret


async def test_serve_runs_the_worker_in_process(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    served = create_app(fast(settings, worker_in_process=True))
    et = await make_event_type(app, host)
    async with served.router.lifespan_context(served):
        transport = httpx2.ASGITransport(app=served)
        async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
            await subscribe(c, host, receiver.url, ["BOOKING_CREATED"])
            await booked(c, et, at(MONDAY, "10:00"))
            await receiver.wait_for(1, timeout=10)
    assert receiver.requests[0].json()["triggerEvent"] == "BOOKING_CREATED"


async def test_seated_changes_carry_only_that_seat(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    seats = {"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True}
    et = await make_event_type(app, host, length=60, seats=seats)
    await subscribe(
        client, host, receiver.url, ["BOOKING_CREATED", "BOOKING_CANCELLED", "MEETING_STARTED"]
    )
    people = [
        {"name": f"Seat Holder {n}", "email": f"p{n}@example.com", "timeZone": "UTC"}
        for n in (1, 2)
    ]
    first = await booked(client, et, at(MONDAY, "10:00"), attendee=people[0])
    second = await booked(client, et, at(MONDAY, "10:00"), attendee=people[1])
    assert first["uid"] == second["uid"]
    r = await client.post(
        f"/v2/bookings/{first['uid']}/cancel", json={"seatUid": second["seatUid"]}, headers=V
    )
    assert r.status_code == 200, r.text
    await run_jobs(app, settings)
    got = [
        (q.json()["triggerEvent"], [a["email"] for a in q.json()["payload"]["attendees"]])
        for q in receiver.requests
    ]
    assert sorted(got) == [
        ("BOOKING_CANCELLED", ["p2@example.com"]),
        ("BOOKING_CREATED", ["p1@example.com"]),
        ("BOOKING_CREATED", ["p2@example.com"]),
    ]
    cancelled = next(q.json()["payload"] for q in receiver.requests
                     if q.json()["triggerEvent"] == "BOOKING_CANCELLED")  # fmt: skip
    assert cancelled["status"] == "CANCELLED" and cancelled["uid"] == first["uid"]
    # the meeting goes on for the remaining seat: one MEETING_STARTED job, still pending
    meetings = [j for j in await all_jobs(app) if j.kind == "webhooks.meeting"]
    assert [(j.dedupe_key, j.status) for j in meetings] == [
        (f"meeting:{first['uid']}:started", "pending")
    ]
