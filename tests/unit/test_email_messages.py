"""Booking emails built without a database: recipients, languages, zones, parts, the .ics, the
signed links, secret key handling, SMTP URLs and the outbox."""

from __future__ import annotations

import email
import email.policy
import re
import stat
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from icalendar import Calendar
from pydantic import SecretStr

from slotwise.config import Settings
from slotwise.email.i18n import available_languages, negotiate
from slotwise.email.messages import EMAIL_KINDS, booking_emails, recurrence_text
from slotwise.email.service import email_kind_for, message_from_text, message_to_text
from slotwise.email.tokens import (
    InvalidToken,
    resolve_secret_key,
    sign_booking_action,
    verify_booking_action,
)
from slotwise.email.transport import parse_smtp_url, send_message
from slotwise.models import Attendee, Booking, User

START = datetime(2050, 9, 5, 10, 0, tzinfo=UTC)  # a Monday
KEY = b"test-key"


def settings(**changes: Any) -> Settings:
    values: dict[str, Any] = {"smtp_url": None, **changes}
    return Settings(database_url="sqlite://", public_url="https://cal.example", **values)


def booking(**changes: Any) -> Booking:
    values: dict[str, Any] = {
        "id": 7,
        "uid": "uid123",
        "user_id": 1,
        "title": "Intro <b>between</b> Alice & Bob",
        "description": "Agenda: <script>alert(1)</script>",
        "status": "accepted",
        "start_time": START,
        "end_time": START + timedelta(minutes=30),
        "location": "https://meet.example/abc",
        "ical_uid": "uid123@slotwise",
        "ical_sequence": 0,
        "created_at": START - timedelta(days=1),
    }
    values.update(changes)
    return Booking(**values)


def attendees() -> list[Attendee]:
    return [
        Attendee(
            name="Bob Müller", email="bob@example.com", time_zone="Europe/Berlin", language="de"
        ),
        Attendee(name="", email="guest@example.com", time_zone="Asia/Tokyo", language="es"),
    ]


def host() -> User:
    return User(
        id=1,
        name="Alice Host",
        email="alice@example.com",
        time_zone="America/New_York",
        locale=None,
        time_format=24,
    )


def parts(message: EmailMessage) -> tuple[str, str, bytes, dict[str, str]]:
    """(plain text, HTML, .ics bytes, .ics content-type params) of a message."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    params = dict(attachment["Content-Type"].params)
    params["filename"] = str(attachment.get_filename())
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return text.get_content(), html.get_content(), payload, params


def by_recipient(messages: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {m["To"].addresses[0].addr_spec: m for m in messages}


def test_created_goes_to_every_attendee_and_the_host_in_their_language_and_zone() -> None:
    msgs = by_recipient(
        booking_emails(
            "created", booking(), attendees(), host(), settings=settings(), secret_key=KEY
        )
    )
    assert set(msgs) == {"bob@example.com", "guest@example.com", "alice@example.com"}
    bob, guest, alice = (
        msgs["bob@example.com"],
        msgs["guest@example.com"],
        msgs["alice@example.com"],
    )
    assert bob["Subject"] == "Bestätigt: Intro <b>between</b> Alice & Bob"
    assert bob["Content-Language"] == "de"
    assert guest["Subject"] == "Confirmada: Intro <b>between</b> Alice & Bob"
    assert alice["Subject"] == "New booking: Intro <b>between</b> Alice & Bob"
    assert bob["Reply-To"].addresses[0].addr_spec == "alice@example.com"
    assert alice["Reply-To"].addresses[0].addr_spec == "bob@example.com"
    assert bob["From"] == "Slotwise <no-reply@cal.example>"
    text, html, ics, params = parts(bob)
    assert "Montag, 5. September 2050, 12:00 – 12:30 (Europe/Berlin)" in text
    assert "Wann" in text and "Teilnehmer" in text
    text, html, ics, params = parts(guest)
    assert "19:00" in text and "Asia/Tokyo" in text and "lunes" in text
    text, html, ics, params = parts(alice)
    assert "Monday, September 5, 2050, 06:00 – 06:30 (America/New_York)" in text
    assert params == {"charset": "utf-8", "method": "REQUEST", "filename": "invite.ics"}
    cal = Calendar.from_ical(ics)
    assert cal["METHOD"] == "REQUEST"
    assert cal.events[0]["UID"] == "uid123@slotwise"
    # user input is escaped in the HTML part, kept as typed in the text part
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;between&lt;/b&gt; Alice &amp; Bob" in html
    assert "<script>alert(1)</script>" in text


def test_every_kind_renders_with_the_right_method() -> None:
    for kind in sorted(EMAIL_KINDS):
        b = booking(
            status={"requested": "pending", "cancelled": "cancelled", "declined": "rejected"}.get(
                kind, "accepted"
            ),
            cancellation_reason="Sick",
            rejection_reason="Busy",
            reschedule_reason="Clash",
        )
        msgs = booking_emails(
            kind,
            b,
            attendees()[:1],
            host(),
            settings=settings(),
            secret_key=KEY,
            previous=(START - timedelta(days=1), START),
        )
        roles = {m["To"].addresses[0].addr_spec for m in msgs}
        expected = {"bob@example.com"} | ({"alice@example.com"} if kind != "declined" else set())
        assert roles == expected, kind
        for m in msgs:
            text, html, ics, params = parts(m)
            to_host = m["To"].addresses[0].addr_spec == "alice@example.com"
            cancelling = kind in ("cancelled", "declined", "reschedule_requested")
            if kind == "seat_cancelled":
                cancelling = not to_host  # the host's event stays, with one attendee fewer
            method = "CANCEL" if cancelling else "REQUEST"
            assert params["method"] == method
            assert Calendar.from_ical(ics)["METHOD"] == method
            assert m["X-Slotwise-Email-Kind"] == kind
            if kind == "cancelled":
                assert "Sick" in text and "Sick" in html
            if kind == "declined":
                assert "Busy" in text
            if kind == "rescheduled":
                assert "Clash" in text and ("Bisher" in text or "Previously" in text)


def test_requested_host_email_carries_signed_links() -> None:
    b = booking(status="pending")
    msgs = by_recipient(
        booking_emails("requested", b, attendees(), host(), settings=settings(), secret_key=KEY)
    )
    text, html, ics, _ = parts(msgs["alice@example.com"])
    assert Calendar.from_ical(ics).events[0]["STATUS"] == "TENTATIVE"
    links = [w for w in text.split() if w.startswith("https://cal.example/booking/uid123/")]
    assert len(links) == 2
    confirm, decline = links
    assert confirm.startswith("https://cal.example/booking/uid123/confirm?token=")
    assert decline.startswith("https://cal.example/booking/uid123/decline?token=")
    token = confirm.split("token=")[1]
    verify_booking_action(KEY, token, action="confirm", uid="uid123", organizer_id=1, now=START)
    assert confirm.replace("&", "&amp;") in html
    # the attendee's copy has no links
    text, html, _, _ = parts(msgs["bob@example.com"])
    assert "token=" not in text and "token=" not in html


def test_tokens() -> None:
    token = sign_booking_action(KEY, action="confirm", uid="u1", organizer_id=3, expires=START)
    now = START - timedelta(hours=1)
    verify_booking_action(KEY, token, action="confirm", uid="u1", organizer_id=3, now=now)
    stamp, sig = token.split(".")
    bad = [
        ("decline", "u1", 3, token, now),  # another action
        ("confirm", "u2", 3, token, now),  # another booking
        ("confirm", "u1", 4, token, now),  # another host
        ("confirm", "u1", 3, token, START + timedelta(seconds=1)),  # expired
        ("confirm", "u1", 3, f"{int(stamp) + 3600}.{sig}", now),  # extended expiry
        (
            "confirm",
            "u1",
            3,
            f"{stamp}.{sig[:-1]}A" if sig[-1] != "A" else f"{stamp}.{sig[:-1]}B",
            now,
        ),
        ("confirm", "u1", 3, "garbage", now),
        ("confirm", "u1", 3, "", now),
    ]
    for action, uid, host_id, tok, at in bad:
        with pytest.raises(InvalidToken):
            verify_booking_action(KEY, tok, action=action, uid=uid, organizer_id=host_id, now=at)
    with pytest.raises(InvalidToken):
        verify_booking_action(b"other", token, action="confirm", uid="u1", organizer_id=3, now=now)


def test_secret_key_from_setting_or_generated_once(tmp_path: Path) -> None:
    assert resolve_secret_key(settings(secret_key=SecretStr("abc")), data_dir=tmp_path) == b"abc"
    assert not (tmp_path / "secret_key").exists()
    first = resolve_secret_key(settings(secret_key=None), data_dir=tmp_path)
    path = tmp_path / "secret_key"
    assert path.exists() and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_secret_key(settings(secret_key=None), data_dir=tmp_path) == first
    assert path.read_text().strip().encode() == first


def test_parse_smtp_url() -> None:
    t = parse_smtp_url("smtp://us%40er:p%3Ass@mail.example:2525?starttls=true")
    assert (t.hostname, t.port, t.username, t.password) == ("mail.example", 2525, "us@er", "p:ss")
    assert (t.use_tls, t.start_tls) == (False, True)
    assert "p:ss" not in repr(t)
    t = parse_smtp_url("smtps://mail.example")
    assert (t.port, t.use_tls, t.start_tls, t.username) == (465, True, False, None)
    t = parse_smtp_url("smtp://mail.example")
    assert (t.port, t.start_tls) == (25, None)
    assert parse_smtp_url("smtp://h?starttls=false").start_tls is False
    for bad in ("http://h", "smtp://", "smtp://h:99999", "smtp://h?starttls=maybe"):
        with pytest.raises(ValueError):
            parse_smtp_url(bad)


async def test_outbox_without_smtp(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="slotwise.email")
    s = settings(outbox_dir=tmp_path / "out")
    [msg, *_] = booking_emails(
        "requested", booking(status="pending"), attendees()[:1], host(), settings=s, secret_key=KEY
    )
    where = await send_message(msg, s)
    files = list((tmp_path / "out").glob("*.eml"))
    assert [str(f) for f in files] == [where]
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == msg["Subject"]
    assert "bob@example.com" in caplog.text and str(files[0]) in caplog.text
    assert "token=" not in caplog.text


def test_payload_round_trip() -> None:
    [msg, *_] = booking_emails(
        "created", booking(), attendees()[:1], host(), settings=settings(), secret_key=KEY
    )
    text = message_to_text(msg)
    assert text.isascii()
    again = message_from_text(text)
    assert again["Subject"] == msg["Subject"]
    assert parts(again) == parts(msg)


def test_kind_mapping_and_language_negotiation() -> None:
    assert email_kind_for("created", {}) == "created"
    assert email_kind_for("created", {"fromUid": "x"}) == "rescheduled"
    assert email_kind_for("requested", {"fromUid": "x"}) == "requested"
    assert email_kind_for("rejected", None) == "declined"
    assert email_kind_for("rescheduled", {}) is None
    assert email_kind_for("created", {"occurrence": 1, "occurrences": 4}) == "created"
    assert email_kind_for("created", {"occurrence": 2, "occurrences": 4}) is None
    assert email_kind_for("requested", {"occurrence": 3, "occurrences": 4}) is None
    assert email_kind_for("cancelled", {"reason": "x"}) == "cancelled"
    assert email_kind_for("cancelled", {"rescheduleRequested": True}) == "reschedule_requested"
    assert email_kind_for("cancelled", {"seatUid": "s", "seatOnly": True}) == "seat_cancelled"
    assert email_kind_for("cancelled", {"seatUid": "s", "seatOnly": False}) == "cancelled"
    assert email_kind_for("no_show", {}) is None
    assert [negotiate(x) for x in ("de-AT", "es_MX", "pt-BR", None, "", "DE")] == [
        "de",
        "es",
        "en",
        "en",
        "en",
        "de",
    ]


def test_catalogs_are_complete_and_keep_placeholders() -> None:
    """Every string of the template is translated in every catalog, with the same
    ``%(name)s`` placeholders (a missing one would raise or lose data at render time)."""
    assert available_languages() == {"en", "de", "es"}
    root = resources.files("slotwise.email").joinpath("locales")
    with root.joinpath("messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    for language in ("de", "es"):
        with root.joinpath(language, "LC_MESSAGES", "messages.po").open("rb") as handle:
            catalog = read_po(handle, locale=language)
        translated = {m.id: m.string for m in catalog if m.id}
        assert set(translated) == template, language
        for msgid, msgstr in translated.items():
            assert msgstr, (language, msgid)
            assert sorted(re.findall(r"%\(\w+\)s", str(msgid))) == sorted(
                re.findall(r"%\(\w+\)s", str(msgstr))
            ), (language, msgid)


def test_recurrence_in_words() -> None:
    weekly = {"frequency": "weekly", "interval": 1, "count": 4}
    assert recurrence_text(weekly, "en") == "every week, 4 times"
    assert recurrence_text({**weekly, "interval": 2}, "de") == "alle 2 Wochen, 4 Mal"
    assert recurrence_text({"frequency": "monthly", "count": 3}, "es") == "cada mes, 3 veces"
    assert recurrence_text({"frequency": "daily", "count": 3}, "en") == ""
