"""Booking emails through a real SMTP server on loopback, and the signed confirm/decline links
they carry followed through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiosmtplib
import httpx2
import pytest
import trustme
from icalendar import Calendar
from pydantic import SecretStr
from sqlalchemy import select

from slotwise.config import Settings
from slotwise.email.service import booking_event_emails
from slotwise.email.tokens import resolve_secret_key
from slotwise.email.transport import send_message
from slotwise.kit.db import Database
from slotwise.models import Booking, BookingEvent, User
from tests.api.booking_fixtures import MONDAY, V, at, booked, make_event_type
from tests.api.email_fixtures import (
    SmtpSink,
    links_of,
    running_sink,
    sample_message,
    smtp_settings,
    start_smtp,
)
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


async def send_latest_event_emails(app: Any, uid: str) -> int:
    """Build the emails of booking ``uid``'s latest history entry from the database and send
    them through the app's SMTP settings; returns how many were sent."""
    db: Database = app.state.db
    settings: Settings = app.state.settings
    async with db.read_sessions() as session, session.begin():
        booking = (await session.execute(select(Booking).where(Booking.uid == uid))).scalar_one()
        event = (
            await session.execute(
                select(BookingEvent)
                .where(BookingEvent.booking_id == booking.id)
                .order_by(BookingEvent.id.desc())
                .limit(1)
            )
        ).scalar_one()
        messages = await booking_event_emails(
            session, booking, event, settings=settings, secret_key=resolve_secret_key(settings)
        )
    for message in messages:
        assert await send_message(message, settings) == "smtp"
    return len(messages)


async def set_host_locale(app: Any, host: Host, locale: str) -> None:
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        user = await session.get_one(User, host.id)
        user.locale = locale


async def test_requested_emails_over_smtp_and_signed_confirm_link(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    data = await booked(client, et, at(MONDAY, "10:00"), guests=["guest@example.com"])
    uid = data["uid"]
    assert data["status"] == "pending"
    assert await send_latest_event_emails(app, uid) == 3
    received = await sink.wait_for(3)
    assert {r.login for r in received} == {"mailer"}
    by_to = {r.rcpt_tos[0]: r for r in received}
    assert set(by_to) == {
        "bob@example.com",
        "guest@example.com",
        "host@example.com".replace("host", host.username),
    }
    for r in received:
        assert r.mail_from == "bookings@slotwise.test"
        assert r.message["From"] == "Slotwise Test <bookings@slotwise.test>"
        assert r.message["X-Slotwise-Booking-Uid"] == uid
    bob = by_to["bob@example.com"].message
    assert bob["Subject"] == f"Booking request sent: {data['title']}"
    text = bob.get_body(("plain",))
    html = bob.get_body(("html",))
    assert text is not None and html is not None
    # Bob books from Europe/Rome: 10:00 UTC is 12:00 there in September
    assert "Monday, September 5, 2050, 12:00" in text.get_content()
    assert "Europe/Rome" in html.get_content()
    [attachment] = list(bob.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment["Content-Type"].params["method"] == "REQUEST"
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    cal = Calendar.from_ical(payload)
    [event] = cal.events
    assert event["UID"] == f"{uid}@slotwise" and event["SEQUENCE"] == 0
    assert event["STATUS"] == "TENTATIVE"
    assert {str(a) for a in event["ATTENDEE"]} == {
        "mailto:bob@example.com",
        "mailto:guest@example.com",
    }

    host_mail = by_to[f"{host.username}@example.com"].message
    assert host_mail["Subject"] == f"Action needed: {data['title']}"
    host_text = host_mail.get_body(("plain",))
    assert host_text is not None
    links = links_of(host_text.get_content())
    assert set(links) == {"confirm", "decline"}
    assert "token=" not in str(text.get_content())

    # the link opens a page with a button; nothing changes on GET
    page = await client.get(links["confirm"])
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "Confirm this booking?" in page.text and '<form method="post"' in page.text
    r = await client.get(f"/v2/bookings/{uid}", headers=V)
    assert r.json()["data"]["status"] == "pending"

    # tampered, swapped or missing tokens are refused
    path, token = links["confirm"].split("?token=")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert (await client.get(f"{path}?token={tampered}")).status_code == 403
    assert (await client.post(path, data={"token": tampered})).status_code == 403
    decline_token = links["decline"].split("?token=")[1]
    assert (await client.post(path, data={"token": decline_token})).status_code == 403
    assert (await client.post(path, data={})).status_code == 403
    assert (await client.get(f"/booking/nope/confirm?token={token}")).status_code == 404
    r = await client.get(f"/v2/bookings/{uid}", headers=V)
    assert r.json()["data"]["status"] == "pending"

    # the button confirms, without logging in
    done = await client.post(path, data={"token": token})
    assert done.status_code == 200, done.text
    assert "Booking confirmed" in done.text
    r = await client.get(f"/v2/bookings/{uid}", headers=V)
    assert r.json()["data"]["status"] == "accepted"
    again = await client.post(path, data={"token": token})
    assert again.status_code == 400
    assert "Booking already confirmed" in again.text
    page = await client.get(links["confirm"])
    assert page.status_code == 200 and "already confirmed" in page.text

    # the confirmation then goes to everyone, as a calendar REQUEST with status CONFIRMED
    assert await send_latest_event_emails(app, uid) == 3
    received = await sink.wait_for(6)
    confirmed = [r.message for r in received[3:]]
    assert {m["X-Slotwise-Email-Kind"] for m in confirmed} == {"confirmed"}
    [attachment] = list(confirmed[0].iter_attachments())
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert Calendar.from_ical(payload).events[0]["STATUS"] == "CONFIRMED"


async def test_signed_decline_link_in_the_hosts_language(
    client: httpx2.AsyncClient, app: Any, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host, confirmationPolicy=CONFIRM)
    await set_host_locale(app, host, "de")
    uid = (await booked(client, et, at(MONDAY, "11:00")))["uid"]
    await send_latest_event_emails(app, uid)
    received = await sink.wait_for(2)
    host_mail = next(r.message for r in received if r.rcpt_tos == [f"{host.username}@example.com"])
    assert host_mail["Subject"].startswith("Aktion erforderlich: ")
    text = host_mail.get_body(("plain",))
    assert text is not None
    links = links_of(text.get_content())
    page = await client.get(links["decline"])
    assert page.status_code == 200
    assert "Diese Buchung ablehnen?" in page.text and 'name="reason"' in page.text
    path, token = links["decline"].split("?token=")
    done = await client.post(path, data={"token": token, "reason": "Im Urlaub"})
    assert done.status_code == 200, done.text
    assert "Buchung abgelehnt" in done.text
    r = await client.get(f"/v2/bookings/{uid}", headers=V)
    assert r.json()["data"]["status"] == "rejected"
    db: Database = app.state.db
    async with db.read_sessions() as session:
        reason = await session.scalar(select(Booking.rejection_reason).where(Booking.uid == uid))
    assert reason == "Im Urlaub"

    # the attendee is told, with a CANCEL for their calendar and the reason
    assert await send_latest_event_emails(app, uid) == 1
    received = await sink.wait_for(3)
    declined = received[2].message
    assert declined["Subject"].startswith("Declined: ")
    [attachment] = list(declined.iter_attachments())
    assert attachment["Content-Type"].params["method"] == "CANCEL"
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    cal = Calendar.from_ical(payload)
    assert cal["METHOD"] == "CANCEL" and cal.events[0]["STATUS"] == "CANCELLED"
    body = declined.get_body(("plain",))
    assert body is not None and "Im Urlaub" in body.get_content()


async def test_wrong_credentials_are_an_error(app: Any, sink: SmtpSink, tmp_path: Path) -> None:
    message = sample_message(app.state.settings)
    port = sink.port
    bad = app.state.settings.model_copy(
        update={"smtp_url": SecretStr(f"smtp://mailer:wrong@127.0.0.1:{port}")}
    )
    with pytest.raises(aiosmtplib.SMTPException):
        await send_message(message, bad)
    assert sink.received == []


@pytest.mark.parametrize("mode", ["starttls", "smtps"])
async def test_tls_modes(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``?starttls=true`` and ``smtps://`` both reach a TLS server whose certificate the
    client trusts (through SSL_CERT_FILE, as an operator's CA bundle would)."""
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    recorder = SmtpSink(credentials=("u", "p"))
    controller, port = start_smtp(recorder, tls_context=server_ctx, implicit_tls=mode == "smtps")
    try:
        url = (
            f"smtp://u:p@127.0.0.1:{port}?starttls=true"
            if mode == "starttls"
            else f"smtps://u:p@127.0.0.1:{port}"
        )
        s = Settings(
            database_url="sqlite://", public_url="http://slotwise.test", smtp_url=SecretStr(url)
        )
        message = sample_message(s)
        assert await send_message(message, s) == "smtp"
        [got] = await recorder.wait_for(1)
        assert got.login == "u"
        assert got.message["Subject"] == message["Subject"]
    finally:
        controller.stop()
