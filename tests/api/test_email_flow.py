"""Booking emails end to end through the public API: a change commits with its ``email.send``
jobs, the worker sends them to a real SMTP server on loopback, and what arrives is parsed."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx2
import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from slotwise.config import Settings
from slotwise.jobs import Worker
from slotwise.kit.db import Database
from slotwise.models import Job
from tests.api.booking_fixtures import MONDAY, TUESDAY, V, at, book, booked, hv, make_event_type
from tests.api.email_fixtures import SmtpSink, links_of, running_sink, smtp_settings
from tests.conftest import Host

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


async def run_jobs(app: Any) -> int:
    """Run every due job with a worker on the app's database and settings."""
    worker = Worker(app.state.db, app.state.settings)
    try:
        return await worker.run_until_idle()
    finally:
        await worker.close()


async def email_jobs(app: Any) -> int:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Job).where(Job.kind == "email.send")
        )
    return int(count or 0)


def ics_of(message: EmailMessage) -> Calendar:
    [attachment] = list(message.iter_attachments())
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


async def test_booking_lifecycle_sends_its_emails(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    uid = data["uid"]
    assert await email_jobs(app) == 2  # committed with the booking
    assert sink.received == []  # nothing is sent inside the request
    await run_jobs(app)
    received = await sink.wait_for(2)
    by_to = {r.rcpt_tos[0]: r.message for r in received}
    assert set(by_to) == {"bob@example.com", host.email}
    assert by_to["bob@example.com"]["Subject"] == f"Confirmed: {data['title']}"
    assert by_to[host.email]["Subject"] == f"New booking: {data['title']}"
    first = ics_of(by_to["bob@example.com"]).events[0]
    assert first["STATUS"] == "CONFIRMED" and first["SEQUENCE"] == 0
    assert "Monday, September 5, 2050, 12:00" in text_of(by_to["bob@example.com"])  # Rome

    # reschedule: the new booking's emails keep the UID, raise SEQUENCE, show the old time
    r = await client.post(
        f"/v2/bookings/{uid}/reschedule",
        json={"start": at(TUESDAY, "11:00"), "reschedulingReason": "Clash"},
        headers=V,
    )
    assert r.status_code == 201, r.text
    new_uid = r.json()["data"]["uid"]
    await run_jobs(app)
    received = await sink.wait_for(4)
    moved = {r.rcpt_tos[0]: r.message for r in received[2:]}
    assert set(moved) == {"bob@example.com", host.email}
    bob = moved["bob@example.com"]
    assert bob["Subject"] == f"Rescheduled: {data['title']}"
    event = ics_of(bob).events[0]
    assert event["UID"] == first["UID"] and event["SEQUENCE"] == 1
    assert event.start.timestamp() == at_ts(TUESDAY, "11:00")
    text = text_of(bob)
    assert "Previously: Monday, September 5, 2050, 12:00" in text and "Clash" in text

    # cancel: a CANCEL with a higher SEQUENCE to everyone
    r = await client.post(
        f"/v2/bookings/{new_uid}/cancel", json={"cancellationReason": "Ill"}, headers=hv(host)
    )
    assert r.status_code == 200, r.text
    await run_jobs(app)
    received = await sink.wait_for(6)
    cancelled = {r.rcpt_tos[0]: r.message for r in received[4:]}
    assert set(cancelled) == {"bob@example.com", host.email}
    cal = ics_of(cancelled["bob@example.com"])
    assert cal["METHOD"] == "CANCEL"
    assert cal.events[0]["UID"] == first["UID"] and cal.events[0]["SEQUENCE"] == 2
    assert cal.events[0]["STATUS"] == "CANCELLED"
    assert "Ill" in text_of(cancelled[host.email])
    assert len(sink.received) == 6


def at_ts(day: str, hhmm: str) -> float:
    """The Unix time of ``at(day, hhmm)``."""
    return datetime.fromisoformat(at(day, hhmm).replace("Z", "+00:00")).timestamp()


async def test_request_confirm_through_the_emailed_link(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    uid = (await booked(client, et, at(MONDAY, "10:00")))["uid"]
    await run_jobs(app)
    received = await sink.wait_for(2)
    host_mail = next(r.message for r in received if r.rcpt_tos == [host.email])
    links = links_of(text_of(host_mail))
    path, token = links["confirm"].split("?token=")
    assert (await client.post(path, data={"token": token[:-1]})).status_code == 403
    done = await client.post(path, data={"token": token})
    assert done.status_code == 200, done.text
    await run_jobs(app)
    received = await sink.wait_for(4)
    confirmed = {r.rcpt_tos[0]: r.message for r in received[2:]}
    assert set(confirmed) == {"bob@example.com", host.email}
    assert confirmed["bob@example.com"]["Subject"].startswith("Confirmed: ")
    assert ics_of(confirmed["bob@example.com"]).events[0]["STATUS"] == "CONFIRMED"
    r = await client.get(f"/v2/bookings/{uid}", headers=V)
    assert r.json()["data"]["status"] == "accepted"


async def test_failed_request_enqueues_nothing(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host)
    await booked(client, et, at(MONDAY, "10:00"))
    jobs_before = await email_jobs(app)
    r = await book(client, et, at(MONDAY, "10:00"))  # taken
    assert r.status_code in (400, 409)
    r = await book(client, et, at(MONDAY, "03:00"))  # outside the host's hours
    assert r.status_code == 400
    assert await email_jobs(app) == jobs_before


async def test_cancelled_before_sending_drops_the_announcement(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host)
    uid = (await booked(client, et, at(MONDAY, "10:00")))["uid"]
    r = await client.post(f"/v2/bookings/{uid}/cancel", json={}, headers=V)
    assert r.status_code == 200, r.text
    assert await email_jobs(app) == 4
    await run_jobs(app)
    received = await sink.wait_for(2)
    assert {r.message["X-Slotwise-Email-Kind"] for r in received} == {"cancelled"}
    assert len(received) == 2


async def test_without_smtp_the_outbox_gets_the_emails(
    client: httpx2.AsyncClient, app: Any, host: Host, tmp_path: Path
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"smtp_url": None})
    et = await make_event_type(app, host)
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    messages = [
        email.message_from_bytes(f.read_bytes(), _class=EmailMessage, policy=email.policy.default)
        for f in files
    ]
    assert {m["To"].addresses[0].addr_spec for m in messages} == {"bob@example.com", host.email}
    assert all(ics_of(m)["METHOD"] == "REQUEST" for m in messages)
