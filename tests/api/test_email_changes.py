"""Emails of seated, recurring, reschedule-requested and declined bookings, end to end: HTTP,
the committed ``email.send`` jobs, a worker, and what a real SMTP server on loopback receives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest
from icalendar import Calendar

from slotwise.config import Settings
from tests.api.booking_fixtures import MONDAY, V, at, book, booked, hv, make_event_type
from tests.api.email_fixtures import Received, SmtpSink, running_sink, smtp_settings
from tests.api.test_email_flow import ics_of, run_jobs, text_of
from tests.conftest import Host

SEATS = {"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True}
WEEKLY = {"frequency": "weekly", "interval": 1, "occurrences": 4}
CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """A real SMTP server on loopback for the test."""
    with running_sink() as recorder:
        yield recorder


@pytest.fixture
def settings(db_url: str, sink: SmtpSink, tmp_path: Path) -> Settings:
    """Overrides conftest's ``settings``: the app sends mail to ``sink``."""
    return smtp_settings(db_url, sink, tmp_path)


def person(n: int) -> dict[str, Any]:
    return {"name": f"Seat Holder {n}", "email": f"p{n}@example.com", "timeZone": "Europe/Rome"}


async def sent(app: Any, sink: SmtpSink, before: int) -> dict[str, Received]:
    """Run the jobs; the messages that arrived after the first ``before``, by recipient (each
    recipient at most once)."""
    await run_jobs(app)
    new = sink.received[before:]
    by_to = {r.rcpt_tos[0]: r for r in new}
    assert len(by_to) == len(new), [r.rcpt_tos for r in new]
    return by_to


def attendee_emails(cal: Calendar) -> list[str]:
    event = cal.events[0]
    found = event.get("ATTENDEE") or []
    found = found if isinstance(found, list) else [found]
    return [str(a).removeprefix("mailto:").removeprefix("MAILTO:") for a in found]


async def test_seat_emails_go_to_that_seat_and_the_host(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, length=60, seats=SEATS)
    start = at(MONDAY, "10:00")
    seats = []
    for n in (1, 2, 3):
        before = len(sink.received)
        r = await book(client, et, start, attendee=person(n))
        assert r.status_code == 201, r.text
        seats.append(r.json()["data"])
        # each seat: only its holder and the host hear about it
        mail = await sent(app, sink, before)
        assert set(mail) == {f"p{n}@example.com", host.email}, n
        mine = mail[f"p{n}@example.com"].message
        assert mine["Subject"].startswith("Confirmed: ")
        # showAttendeeInfo is false: the holder's email and .ics show only them
        assert attendee_emails(ics_of(mine)) == [f"p{n}@example.com"]
        assert "p1@example.com" not in text_of(mine) or n == 1
        host_text = text_of(mail[host.email].message)
        assert f"Seat Holder {n} booked time with you" in host_text
        assert all(f"p{k}@example.com" in host_text for k in range(1, n + 1))
    uid = seats[0]["uid"]
    assert len(sink.received) == 6

    # one seat cancelled while others remain: that seat's holder and the host only
    r = await client.post(
        f"/v2/bookings/{uid}/cancel",
        json={"seatUid": seats[1]["seatUid"], "cancellationReason": "Ill"},
        headers=V,
    )
    assert r.status_code == 200, r.text
    mail = await sent(app, sink, 6)
    assert set(mail) == {"p2@example.com", host.email}
    leaver = mail["p2@example.com"].message
    assert leaver["Subject"].startswith("No longer attending: ")
    cal = ics_of(leaver)
    assert cal["METHOD"] == "CANCEL"
    assert cal.events[0]["SEQUENCE"] == 1  # above the invite's 0
    assert "Ill" in text_of(leaver)
    host_mail = mail[host.email].message
    assert host_mail["Subject"].startswith("Seat cancelled: ")
    assert "Seat Holder 2 no longer attends" in text_of(host_mail)
    host_cal = ics_of(host_mail)
    assert host_cal["METHOD"] == "REQUEST"  # the event stays in the host's calendar
    assert sorted(attendee_emails(host_cal)) == ["p1@example.com", "p3@example.com"]

    # a seat moved to another time: that seat's holder and the host, with the previous time
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule",
        json={"start": at(MONDAY, "13:00"), "seatUid": seats[2]["seatUid"]},
        headers=V,
    )
    assert r.status_code == 201, r.text
    mail = await sent(app, sink, 8)
    assert set(mail) == {"p3@example.com", host.email}
    mover = mail["p3@example.com"].message
    assert mover["Subject"].startswith("Rescheduled: ")
    assert "Previously: Monday, September 5, 2050, 12:00" in text_of(mover)  # Rome
    assert attendee_emails(ics_of(mover)) == ["p3@example.com"]


async def test_recurring_series_is_announced_once(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY)
    r = await book(client, et, at(MONDAY, "10:00"))
    assert r.status_code == 201, r.text
    series = r.json()["data"]
    assert len(series) == 4
    mail = await sent(app, sink, 0)
    assert set(mail) == {"bob@example.com", host.email}
    bob = mail["bob@example.com"].message
    assert "Repeats: every week, 4 times" in text_of(bob)
    event = ics_of(bob).events[0]
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["COUNT"] == [4] and rule["INTERVAL"] == [1]
    assert event.start.timestamp() == at_ts(at(MONDAY, "10:00"))

    # cancelling the whole series: one email per recipient listing every occurrence
    recurring_uid = series[0]["recurringBookingUid"]
    r = await client.post(
        f"/v2/bookings/{recurring_uid}/cancel", json={"cancellationReason": "Moving"}, headers=V
    )
    assert r.status_code == 200, r.text
    mail = await sent(app, sink, 2)
    assert set(mail) == {"bob@example.com", host.email}
    bob = mail["bob@example.com"].message
    assert bob["Subject"].startswith("Cancelled: ")
    text = text_of(bob)
    assert text.count("September") + text.count("October") >= 4 and "Moving" in text
    cal = ics_of(bob)
    assert cal["METHOD"] == "CANCEL"
    instances = cal.events
    assert len(instances) == 4
    assert {str(e["UID"]) for e in instances} == {str(event["UID"])}
    assert sorted(e["RECURRENCE-ID"].dt.timestamp() for e in instances) == sorted(
        at_ts(b["start"]) for b in series
    )


async def test_requested_series_is_one_request(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY, confirmationPolicy=CONFIRM)
    r = await book(client, et, at(MONDAY, "10:00"), recurrenceCount=2)
    assert r.status_code == 201, r.text
    mail = await sent(app, sink, 0)
    assert set(mail) == {"bob@example.com", host.email}
    assert "every week, 2 times" in text_of(mail[host.email].message)


async def test_confirming_a_series_is_one_confirmation(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, recurrence=WEEKLY, confirmationPolicy=CONFIRM)
    r = await book(client, et, at(MONDAY, "10:00"), recurrenceCount=3)
    assert r.status_code == 201, r.text
    first = r.json()["data"][0]["uid"]
    before = len((await sent(app, sink, 0)).values())
    r = await client.post(f"/v2/bookings/{first}/confirm", headers=host.headers | V)
    assert r.status_code == 200, r.text
    mail = await sent(app, sink, before)  # each recipient once (asserted by sent())
    assert "bob@example.com" in mail
    assert "every week, 3 times" in text_of(mail["bob@example.com"].message)


def at_ts(iso: str) -> float:
    """The Unix time of an ISO instant ("…Z")."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


async def test_request_reschedule_emails_a_rebooking_link(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    uid = data["uid"]
    await run_jobs(app)
    before = len(await sink.wait_for(2))
    r = await client.post(
        f"/v2/bookings/{uid}/request-reschedule",
        json={"rescheduleReason": "Double-booked"},
        headers=hv(host),
    )
    assert r.status_code == 200, r.text
    mail = await sent(app, sink, before)
    assert set(mail) == {"bob@example.com", host.email}
    bob = mail["bob@example.com"].message
    assert bob["X-Slotwise-Email-Kind"] == "reschedule_requested"
    assert bob["Subject"] == f"Please pick a new time: {data['title']}"
    text = text_of(bob)
    link = f"http://slotwise.test/{host.username}/intro?rescheduleUid={uid}"
    assert f"Pick a new time: {link}" in text
    assert "Double-booked" in text
    html = bob.get_body(("html",))
    assert html is not None and f'href="{link}"' in str(html.get_content())
    assert ics_of(bob)["METHOD"] == "CANCEL"
    host_mail = mail[host.email].message
    assert host_mail["Subject"] == f"Reschedule requested: {data['title']}"
    assert link not in text_of(host_mail)
    # the link works: the booking page offers the booking's time again
    page = await client.get(link.removeprefix("http://slotwise.test"))
    assert page.status_code == 200


async def test_declined_cancel_supersedes_the_tentative_invite(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    uid = (await booked(client, et, at(MONDAY, "10:00")))["uid"]
    mail = await sent(app, sink, 0)
    requested = ics_of(mail["bob@example.com"].message).events[0]
    assert requested["STATUS"] == "TENTATIVE"
    r = await client.post(f"/v2/bookings/{uid}/decline", json={"reason": "Busy"}, headers=hv(host))
    assert r.status_code == 200, r.text
    mail = await sent(app, sink, 2)
    assert set(mail) == {"bob@example.com"}
    cal = ics_of(mail["bob@example.com"].message)
    assert cal["METHOD"] == "CANCEL"
    declined = cal.events[0]
    assert declined["UID"] == requested["UID"]
    assert declined["SEQUENCE"] > requested["SEQUENCE"]
