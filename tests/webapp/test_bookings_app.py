"""The Bookings section of the web app: the tabs, pagination and filters over the list service,
the actions through the API's services (read back with GET /v2/bookings/{uid}), the detail page,
refusals (400, nothing changed), CSRF (403) and another user's booking (404)."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx2
import pytest

from slotwise.config import Settings
from slotwise.kit import clock
from slotwise.kit.db import Database
from slotwise.models import User
from tests.api.booking_fixtures import MONDAY, TUESDAY, at, booked, history, hv, make_event_type
from tests.api.test_email_flow import run_jobs
from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post, log_in

CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}


async def freeze(
    monkeypatch: pytest.MonkeyPatch, client: httpx2.AsyncClient, host: Host, when: str
) -> None:
    """Make the clock answer ``when`` (``YYYY-MM-DDTHH:MM``, UTC) and log ``client`` in again
    (a session started before has expired by then)."""
    frozen = datetime.fromisoformat(when).replace(tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: frozen)
    await log_in(client, host.username)


async def api_booking(client: httpx2.AsyncClient, host: Host, uid: str) -> dict[str, Any]:
    r = await client.get(f"/v2/bookings/{uid}", headers=hv(host))
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


def detail(uid: str) -> str:
    return f"/app/bookings/detail/{uid}"


def listed(html: str, *uids: str) -> list[str]:
    """Which of ``uids`` the page links to."""
    return [uid for uid in uids if f'href="/app/bookings/detail/{uid}"' in html]


def mails_to(settings: Settings, address: str, kind: str) -> list[EmailMessage]:
    assert settings.outbox_dir is not None
    out = []
    for path in sorted(Path(settings.outbox_dir).glob("*.eml")):
        message = email.message_from_bytes(
            path.read_bytes(), _class=EmailMessage, policy=email.policy.default
        )
        to = str(message["To"].addresses[0].addr_spec)
        if to == address and message["X-Slotwise-Email-Kind"] == kind:
            out.append(message)
    return out


async def test_tabs_list_the_right_bookings(
    app: Any,
    host: Host,
    client: httpx2.AsyncClient,
    app_client: httpx2.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    et = await make_event_type(app, host)
    pending_et = await make_event_type(
        app, host, slug="ask", title="Ask first", with_schedule=False, confirmationPolicy=CONFIRM
    )
    past = (await booked(client, et, at(MONDAY, "10:00")))["uid"]
    upcoming = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    cancelled = (await booked(client, et, at(TUESDAY, "11:00")))["uid"]
    r = await client.post(
        f"/v2/bookings/{cancelled}/cancel",
        json={"cancellationReason": "no time"},
        headers=hv(host),
    )
    assert r.status_code == 200, r.text
    unconfirmed = (await booked(client, pending_et, at(TUESDAY, "12:00")))["uid"]
    await freeze(monkeypatch, app_client, host, f"{MONDAY}T12:00")
    uids = (past, upcoming, cancelled, unconfirmed)

    page = await app_get(app_client, "/app/bookings/upcoming")
    assert listed(page.text, *uids) == [upcoming, unconfirmed]
    assert 'aria-current="page">Upcoming' in page.text
    assert "Times are shown in UTC." in page.text
    assert "Ask first" in page.text and "Bob Booker" in page.text
    assert "Tuesday, September 6, 2050" in page.text and "10:00 AM – 10:30 AM" in page.text
    page = await app_get(app_client, "/app/bookings/unconfirmed")
    assert listed(page.text, *uids) == [unconfirmed]
    assert 'action="/app/bookings/detail/' + unconfirmed + '/confirm"' in page.text
    page = await app_get(app_client, "/app/bookings/past")
    assert listed(page.text, *uids) == [past]
    page = await app_get(app_client, "/app/bookings/cancelled")
    assert listed(page.text, *uids) == [cancelled]
    assert "no time" in page.text
    page = await app_get(app_client, "/app/bookings/recurring")
    assert listed(page.text, *uids) == []
    assert (await app_client.get("/app/bookings")).headers["location"] == "/app/bookings/upcoming"
    assert (await app_client.get("/app/bookings/nonsense")).status_code == 404


async def test_pagination_and_filters(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    et = await make_event_type(app, host)
    other = await make_event_type(app, host, slug="other", title="Other", with_schedule=False)
    uids = [
        (await booked(client, et, at(TUESDAY, f"{9 + i // 2:02d}:{30 * (i % 2):02d}")))["uid"]
        for i in range(12)
    ]
    carol = {"name": "Carol", "email": "carol@example.com", "timeZone": "UTC"}
    carols = (await booked(client, other, at(MONDAY, "15:00"), attendee=carol))["uid"]

    first = await app_get(app_client, "/app/bookings/upcoming")
    assert listed(first.text, carols, *uids) == [carols, *uids[:9]]
    assert "Page 1 of 2" in first.text
    assert 'href="/app/bookings/upcoming?page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    second = await app_get(app_client, "/app/bookings/upcoming?page=2")
    assert listed(second.text, carols, *uids) == uids[9:]
    assert 'href="/app/bookings/upcoming" rel="prev"' in second.text
    every = await app_get(app_client, "/app/bookings/upcoming?take=25")
    assert listed(every.text, carols, *uids) == [carols, *uids]
    assert "Page 1 of" not in every.text

    by_email = await app_get(app_client, "/app/bookings/upcoming?attendeeEmail=CAROL@example.com")
    assert listed(by_email.text, carols, *uids) == [carols]
    by_name = await app_get(app_client, "/app/bookings/upcoming?attendeeName=carol")
    assert listed(by_name.text, carols, *uids) == [carols]
    by_type = await app_get(app_client, f"/app/bookings/upcoming?eventTypeId={et}&take=25")
    assert listed(by_type.text, carols, *uids) == uids
    assert f'<option value="{et}" selected>Intro</option>' in by_type.text
    by_dates = await app_get(app_client, f"/app/bookings/upcoming?from={MONDAY}&to={MONDAY}")
    assert listed(by_dates.text, carols, *uids) == [carols]
    bad = await app_client.get("/app/bookings/upcoming?from=yesterday")
    assert bad.status_code == 400
    assert 'id="f-from-error"' in bad.text


async def test_confirm_from_the_app_emails_the_attendee(
    app: Any,
    host: Host,
    client: httpx2.AsyncClient,
    app_client: httpx2.AsyncClient,
    settings: Settings,
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    assert (await api_booking(client, host, uid))["status"] == "pending"
    r = await app_post(
        app_client,
        "/app/bookings/unconfirmed",
        f"{detail(uid)}/confirm",
        {"next": "/app/bookings/unconfirmed"},
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/app/bookings/unconfirmed?flash=booking-confirmed"
    assert "Booking confirmed" in (await app_get(app_client, r.headers["location"])).text
    assert (await api_booking(client, host, uid))["status"] == "accepted"
    await run_jobs(app)
    [mail] = mails_to(settings, "bob@example.com", "confirmed")
    assert "confirmed" in str(mail["Subject"]).lower()

    # confirming again is refused with the service's message, and nothing changes
    before = await history(app)
    refused = await app_post(app_client, detail(uid), f"{detail(uid)}/confirm", {})
    assert refused.status_code == 400
    assert "Booking already confirmed" in refused.text
    assert await history(app) == before


async def test_decline_with_reason(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    r = await app_post(
        app_client, detail(uid), f"{detail(uid)}/decline", {"decline_reason": "fully booked"}
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"{detail(uid)}?flash=booking-declined"
    assert (await api_booking(client, host, uid))["status"] == "rejected"
    page = await app_get(app_client, detail(uid))
    assert "Declined" in page.text and "fully booked" in page.text


async def test_cancel_with_reason_and_the_hosts_reason_is_required(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    et = await make_event_type(app, host)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    refused = await app_post(app_client, detail(uid), f"{detail(uid)}/cancel", {})
    assert refused.status_code == 400
    assert "Cancellation reason is required when you are the host" in refused.text
    assert (await api_booking(client, host, uid))["status"] == "accepted"
    r = await app_post(
        app_client,
        "/app/bookings/upcoming",
        f"{detail(uid)}/cancel",
        {"cancel_reason": "sick", "next": "/app/bookings/upcoming"},
    )
    assert r.status_code == 303, r.text
    data = await api_booking(client, host, uid)
    assert data["status"] == "cancelled" and data["cancellationReason"] == "sick"
    # a reason longer than the API allows is shown beside the field
    uid2 = (await booked(client, et, at(TUESDAY, "11:00")))["uid"]
    long = await app_post(
        app_client, detail(uid2), f"{detail(uid2)}/cancel", {"cancel_reason": "x" * 2001}
    )
    assert long.status_code == 400
    assert 'id="f-cancel_reason-error"' in long.text


async def test_no_show_guests_and_location(
    app: Any,
    host: Host,
    client: httpx2.AsyncClient,
    app_client: httpx2.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    et = await make_event_type(app, host)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]

    r = await app_post(
        app_client,
        detail(uid),
        f"{detail(uid)}/guests",
        {"guests": "carol@example.com, dan@example.com"},
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"{detail(uid)}?flash=guests-added"
    emails = [a["email"] for a in (await api_booking(client, host, uid))["attendees"]]
    assert emails == ["bob@example.com", "carol@example.com", "dan@example.com"]
    bad = await app_post(
        app_client, detail(uid), f"{detail(uid)}/guests", {"guests": "not-an-email"}
    )
    assert bad.status_code == 400
    assert 'id="f-guests-error"' in bad.text

    r = await app_post(
        app_client,
        detail(uid),
        f"{detail(uid)}/location",
        {"location_type": "link", "location_value": "https://zoom.us/j/123"},
    )
    assert r.status_code == 303, r.text
    assert (await api_booking(client, host, uid))["location"] == "https://zoom.us/j/123"
    bad = await app_post(
        app_client,
        detail(uid),
        f"{detail(uid)}/location",
        {"location_type": "phone", "location_value": "call me"},
    )
    assert bad.status_code == 400
    assert 'id="f-location_value-error"' in bad.text
    assert (await api_booking(client, host, uid))["location"] == "https://zoom.us/j/123"

    # no-show: refused before the start (the service's message), then after it
    too_early = await app_post(
        app_client,
        detail(uid),
        f"{detail(uid)}/no-show",
        {"attendee": ["bob@example.com"], "absent": ["bob@example.com"]},
    )
    assert too_early.status_code == 400
    assert "Bookings can only be marked as absent after their scheduled start time" in (
        too_early.text
    )
    await freeze(monkeypatch, app_client, host, f"{TUESDAY}T10:40")
    page = await app_get(app_client, detail(uid))
    assert 'name="absent" type="checkbox" value="carol@example.com"' in page.text
    r = await app_post(
        app_client,
        detail(uid),
        f"{detail(uid)}/no-show",
        {
            "attendee": ["bob@example.com", "carol@example.com", "dan@example.com"],
            "absent": ["carol@example.com"],
        },
    )
    assert r.status_code == 303, r.text
    data = await api_booking(client, host, uid)
    assert [(a["email"], a["absent"]) for a in data["attendees"]] == [
        ("bob@example.com", False),
        ("carol@example.com", True),
        ("dan@example.com", False),
    ]
    assert data["absentHost"] is False


async def test_request_reschedule_and_the_reschedule_link(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    et = await make_event_type(app, host)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    link = await app_client.get(f"{detail(uid)}/reschedule")
    assert link.status_code == 303
    assert link.headers["location"] == (
        f"/alice/intro?rescheduleUid={uid}&month=2050-09&timeZone=UTC"
    )
    booker = await app_client.get(link.headers["location"])
    assert "Rescheduling your booking" in booker.text

    r = await app_post(
        app_client,
        detail(uid),
        f"{detail(uid)}/request-reschedule",
        {"reschedule_reason": "travelling"},
    )
    assert r.status_code == 303, r.text
    data = await api_booking(client, host, uid)
    assert data["status"] == "cancelled" and data["cancellationReason"] == "travelling"


async def test_detail_page(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    et = await make_event_type(app, host)
    uid = (
        await booked(
            client,
            et,
            at(TUESDAY, "10:00"),
            bookingFieldsResponses={"notes": "Bring the plans"},
            guests=["carol@example.com"],
        )
    )["uid"]
    page = await app_get(app_client, detail(uid))
    text = page.text
    assert "<h1>Intro" in text
    assert "Tuesday, September 6, 2050, 10:00 AM – 10:30 AM (UTC)" in text
    assert "Bob Booker &lt;bob@example.com&gt;" in text and "carol@example.com" in text
    assert "Additional notes" in text and "Bring the plans" in text
    assert "Cal Video" in text and "Accepted" in text
    assert '<th scope="col">What</th>' in text and "Booked" in text
    for action in ("cancel", "request-reschedule", "location", "guests"):
        assert f'action="/app/bookings/detail/{uid}/{action}"' in text
    assert f'href="/app/bookings/detail/{uid}/reschedule"' in text


async def test_csrf_refusal_changes_nothing(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    et = await make_event_type(app, host)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    r = await app_client.post(
        f"{detail(uid)}/cancel", data={"cancel_reason": "sick", "csrf_token": "forged"}
    )
    assert r.status_code == 403
    assert (await api_booking(client, host, uid))["status"] == "accepted"


async def test_another_users_booking_is_not_found(
    app: Any,
    host: Host,
    other_host: Host,
    client: httpx2.AsyncClient,
    app_client: httpx2.AsyncClient,
) -> None:
    et = await make_event_type(app, other_host)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    assert (await app_client.get(detail(uid))).status_code == 404
    assert (await app_client.get(f"{detail(uid)}/reschedule")).status_code == 404
    r = await app_post(
        app_client, "/app/bookings/upcoming", f"{detail(uid)}/cancel", {"cancel_reason": "x"}
    )
    assert r.status_code == 404
    assert (await api_booking(client, other_host, uid))["status"] == "accepted"
    page = await app_get(app_client, "/app/bookings/upcoming")
    assert listed(page.text, uid) == []


async def test_recurring_tab_and_cancelling_one_occurrence(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    weekly = {"frequency": "weekly", "interval": 1, "occurrences": 4}
    et = await make_event_type(app, host, recurrence=weekly)
    single = await make_event_type(app, host, slug="once", title="Once", with_schedule=False)
    occurrences: Any = await booked(client, et, at(MONDAY, "10:00"), recurrenceCount=2)
    first, second = (o["uid"] for o in occurrences)
    once = (await booked(client, single, at(TUESDAY, "10:00")))["uid"]
    page = await app_get(app_client, "/app/bookings/recurring")
    assert listed(page.text, first, second, once) == [first, second]
    assert f'href="/app/bookings/detail/{first}/reschedule"' in page.text
    r = await app_post(
        app_client, "/app/bookings/recurring", f"{detail(first)}/cancel", {"cancel_reason": "away"}
    )
    assert r.status_code == 303, r.text
    assert (await api_booking(client, host, first))["status"] == "cancelled"
    assert (await api_booking(client, host, second))["status"] == "accepted"
    page = await app_get(app_client, "/app/bookings/recurring")
    assert listed(page.text, first, second, once) == [second]
    page = await app_get(app_client, "/app/bookings/cancelled")
    assert listed(page.text, first, second, once) == [first]


async def test_times_in_the_users_zone_and_clock(
    app: Any, host: Host, client: httpx2.AsyncClient, app_client: httpx2.AsyncClient
) -> None:
    et = await make_event_type(app, host)
    uid = (await booked(client, et, at(TUESDAY, "10:00")))["uid"]
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        user = await session.get(User, host.id)
        assert user is not None
        user.time_zone, user.time_format, user.locale = "Europe/Berlin", 24, "de"
    page = await app_get(app_client, "/app/bookings/upcoming")
    assert "Dienstag, 6. September 2050" in page.text and "12:00 – 12:30" in page.text
    page = await app_get(app_client, detail(uid))
    assert "12:00 – 12:30 (Europe/Berlin)" in page.text
