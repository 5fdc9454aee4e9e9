"""What a newcomer reads in the booking emails, from the outbox (no SMTP configured): the
attendee's Reschedule and Cancel links, the organizer's booking link, locations by their human
names (Cal Video with the line that the host sends the link, never ``integrations:daily``), a
plain-text part with the same links as the HTML, and the .ics LOCATION/DESCRIPTION."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx2
from icalendar import Calendar

from slotwise.config import Settings
from tests.api.booking_fixtures import MONDAY, at, booked, make_event_type
from tests.api.test_email_flow import run_jobs
from tests.conftest import Host

BASE = "http://slotwise.test"


def outbox(settings: Settings) -> dict[str, EmailMessage]:
    """The messages written to the outbox, by recipient."""
    assert settings.outbox_dir is not None
    out: dict[str, EmailMessage] = {}
    for path in sorted(Path(settings.outbox_dir).glob("*.eml")):
        message = email.message_from_bytes(
            path.read_bytes(), _class=EmailMessage, policy=email.policy.default
        )
        out[str(message["To"].addresses[0].addr_spec)] = message
    return out


def parts(message: EmailMessage) -> tuple[str, str, Calendar]:
    """The plain-text part, the HTML part and the parsed .ics attachment."""
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    [attachment] = list(message.iter_attachments())
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return str(plain.get_content()), str(html.get_content()), Calendar.from_ical(payload)


async def test_attendee_gets_reschedule_and_cancel_links_and_cal_video_by_name(
    client: httpx2.AsyncClient, app: Any, host: Host, settings: Settings
) -> None:
    et = await make_event_type(app, host)  # no locations: Cal.com's default, Cal Video
    data = await booked(client, et, at(MONDAY, "10:00"))
    assert data["location"] == "integrations:daily"  # the API keeps Cal.com's value
    await run_jobs(app)
    mail = outbox(settings)
    uid = data["uid"]
    text, html, cal = parts(mail["bob@example.com"])
    reschedule = f"{BASE}/alice/intro?rescheduleUid={uid}"
    cancel = f"{BASE}/booking/{uid}?cancel=true"
    for body in (text, html.replace("&amp;", "&")):
        assert reschedule in body and cancel in body
        assert "integrations:" not in body
        assert "Cal Video" in body and "The host will send you the meeting link." in body
    assert f"Reschedule: {reschedule}" in text and f"Cancel: {cancel}" in text
    assert f"Booking details: {BASE}/booking/{uid}" in text
    assert ">Reschedule</a>" in html and ">Cancel</a>" in html
    event = cal.events[0]
    assert str(event["LOCATION"]) == "Cal Video"
    assert "Cal Video: the host will send you the meeting link." in str(event["DESCRIPTION"])

    host_text, host_html, _ = parts(mail[host.email])
    assert f"{BASE}/booking/{uid}" in host_text and f'href="{BASE}/booking/{uid}"' in host_html
    assert "rescheduleUid" not in host_text and "cancel=true" not in host_text
    assert "No video provider is connected: send the attendees the meeting link." in host_text
    assert "integrations:" not in host_text + host_html

    # the links lead to the booking page's own actions
    page = await client.get(f"/booking/{uid}?cancel=true")
    assert page.status_code == 200 and 'action="/booking/' + uid + '/cancel"' in page.text
    booker = await client.get(f"/alice/intro?rescheduleUid={uid}&month=2050-09&timeZone=UTC")
    assert "Rescheduling your booking" in booker.text


async def test_link_location_and_german_plain_text(
    client: httpx2.AsyncClient, app: Any, host: Host, settings: Settings
) -> None:
    link = "https://us02web.zoom.us/j/123456"
    et = await make_event_type(
        app, host, locations=[{"type": "link", "link": link}], disableCancelling=True
    )
    data = await booked(
        client,
        et,
        at(MONDAY, "11:00"),
        attendee={"name": "Ben", "email": "ben@example.com", "timeZone": "UTC", "language": "de"},
    )
    await run_jobs(app)
    text, html, cal = parts(outbox(settings)["ben@example.com"])
    assert f"Zoom ({link})" in text
    assert f'<a href="{link}"' in html
    assert "Verschieben:" in text and "Absagen:" not in text  # cancelling is disabled
    assert "cancel=true" not in html
    assert str(cal.events[0]["LOCATION"]) == link
    assert data["uid"] in text
