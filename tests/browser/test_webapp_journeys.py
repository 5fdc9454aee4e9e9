"""The host's main journeys through the web app in real headless Chromium (SQLite; the same
services are tested on both databases by tests/webapp and tests/api): what a host does in the
browser shows on the public booking page, in the attendee's email, at a webhook receiver and
through the API.

A loaded CI machine is slow: every step waits for an element or the network to settle, with
generous timeouts."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import re
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.jobs.worker import Worker
from tests.api.booking_fixtures import make_event_type
from tests.browser.conftest import Shots, settle
from tests.browser.test_booking_pages import expect
from tests.browser.test_webapp_browser import TIMEOUT, log_in_page
from tests.conftest import Host
from tests.thread_server import serve_in_thread
from tests.webapp.conftest import give_password
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

MONDAY_URL = "/alice/intro?month=2050-09&date=2050-09-05&timeZone=UTC"


@pytest.fixture(autouse=True)
def _patient_expect() -> Iterator[None]:
    """Assertions wait up to 15 s here (a loaded CI machine), not Playwright's 5 s."""
    from playwright.async_api import expect as pw_expect

    pw_expect.set_options(timeout=TIMEOUT)
    yield
    pw_expect.set_options(timeout=5_000)


async def slot_times(page: Any, url: str) -> list[str]:
    """The visible times of the public page's slot buttons at ``url``."""
    await page.goto(url)
    await settle(page)
    slots = page.locator("button.slot")
    await expect(slots.first).to_be_visible(timeout=TIMEOUT)
    return [text.strip() for text in await slots.all_inner_texts()]


async def test_weekly_hours_edited_in_the_app_change_the_public_slots(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await make_event_type(app, host, slug="intro", title="Intro call")  # Mon–Fri 09–17 UTC
    await give_password(app, host)
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT)
    before = await slot_times(page, live_server + MONDAY_URL)
    assert before[0] == "9:00 AM" and "12:30 PM" in before
    await shots(page, "public-before")

    await log_in_page(page, live_server, host.username)
    await page.goto(live_server + "/app/availability")
    await page.get_by_role("link", name="Work").click()
    await expect(page.get_by_role("heading", level=1, name=re.compile("Work"))).to_be_visible()
    monday = page.get_by_role("group", name="Monday", exact=True)
    await monday.get_by_label("From").fill("13:00")
    await monday.get_by_label("To").fill("15:00")
    await page.get_by_role("button", name="Save").first.click()
    await expect(page.get_by_role("status")).to_have_text("Changes saved")
    await expect(monday.get_by_label("From")).to_have_value("13:00")
    await shots(page, "editor-saved")

    after = await slot_times(page, live_server + MONDAY_URL)
    assert after[0] == "1:00 PM" and after[-1] == "2:30 PM", after
    tuesday = await slot_times(page, live_server + MONDAY_URL.replace("09-05", "09-06"))
    assert tuesday[0] == "9:00 AM"  # the other days kept their hours
    await shots(page, "public-after")
    await context.close()


async def run_jobs(app: Any) -> None:
    """Run the due jobs (emails) with a worker on the test's database and settings."""
    worker = Worker(app.state.db, app.state.settings)
    try:
        await worker.run_until_idle()
    finally:
        await worker.close()


def mails_to(settings: Settings, address: str) -> list[EmailMessage]:
    """The outbox's messages to ``address``, oldest first."""
    assert settings.outbox_dir is not None
    found = []
    for path in sorted(Path(settings.outbox_dir).glob("*.eml")):
        message = email.message_from_bytes(
            path.read_bytes(), _class=EmailMessage, policy=email.policy.default
        )
        if message["To"].addresses[0].addr_spec == address:
            found.append(message)
    return found


async def test_a_booking_from_the_public_page_is_confirmed_in_the_app(
    app: Any, host: Host, settings: Settings, live_server: str, browser: Any, shots: Shots
) -> None:
    await make_event_type(
        app, host, slug="review", title="Design review", confirmationPolicy={"type": "always"}
    )
    await give_password(app, host)
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT)
    # the attendee books on the public page
    await page.goto(live_server + "/alice/review?month=2050-09&date=2050-09-05&timeZone=UTC")
    await settle(page)
    await page.get_by_role("button", name=re.compile("^10:00 AM,")).click()
    await expect(page.get_by_label("Your name")).to_be_visible()
    await settle(page)
    await page.get_by_label("Your name").fill("Pat Attendee")
    await page.get_by_label("Email address").fill("pat@example.com")
    await page.get_by_role("button", name="Confirm booking").click()
    await expect(
        page.get_by_role("heading", name="Your booking awaits the host's confirmation")
    ).to_be_visible()
    await shots(page, "booked-awaiting-confirmation")

    # the host finds it under Unconfirmed and confirms it
    await log_in_page(page, live_server, host.username)
    await page.goto(live_server + "/app/bookings/unconfirmed")
    row = page.get_by_role("listitem").filter(has_text="Pat Attendee")
    await expect(row).to_be_visible()
    await expect(row.get_by_text("Unconfirmed")).to_be_visible()
    await shots(page, "unconfirmed")
    await row.get_by_role("button", name="Confirm").click()
    await expect(page.get_by_role("status")).to_have_text("Booking confirmed")
    await page.goto(live_server + "/app/bookings/upcoming")
    row = page.get_by_role("listitem").filter(has_text="Pat Attendee")
    await expect(row.get_by_text("Accepted", exact=True)).to_be_visible()
    await expect(row.get_by_role("button", name="Confirm")).to_have_count(0)
    await shots(page, "upcoming-confirmed")
    await context.close()

    # the attendee's email says so
    await run_jobs(app)
    kinds = [m["X-Slotwise-Email-Kind"] for m in mails_to(settings, "pat@example.com")]
    assert kinds == ["requested", "confirmed"], kinds
    confirmed = mails_to(settings, "pat@example.com")[-1]
    assert confirmed["Subject"].startswith("Confirmed: ")
    body = confirmed.get_body(("plain",))
    assert body is not None and "Your booking has been confirmed" in body.get_content()


async def test_a_webhook_made_in_the_app_gets_a_test_ping_shown_in_the_log(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await give_password(app, host)
    receiver = await Receiver().start()
    try:
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT)
        await log_in_page(page, live_server, host.username)
        await page.goto(live_server + "/app/settings/webhooks")
        await page.get_by_role("link", name="New webhook").click()
        await page.get_by_label("Subscriber URL").fill(receiver.url)
        await page.get_by_label("BOOKING_CREATED").check()
        active = page.get_by_label("Active")
        if not await active.is_checked():
            await active.check()
        await shots(page, "new-webhook")
        await page.get_by_role("button", name="Create webhook").click()
        await expect(page.get_by_role("heading", level=1, name="Edit webhook")).to_be_visible()
        await expect(page.get_by_text("Nothing delivered yet.")).to_be_visible()

        await page.get_by_role("button", name="Send a test ping").click()
        await expect(page.locator("#ping-result")).to_contain_text("Ping succeeded")
        log = page.get_by_role("region", name="Delivery log")
        row = log.get_by_role("row").filter(has_text="PING")
        await expect(row).to_have_count(1)
        await expect(row.get_by_role("cell", name="Delivered")).to_be_visible()
        await expect(row).to_contain_text("HTTP 200")
        await shots(page, "ping-in-the-log")
        await context.close()
        [ping] = await receiver.wait_for(1)
        assert ping.json()["triggerEvent"] == "PING"
    finally:
        await receiver.stop()


async def test_an_api_key_made_in_the_app_works_with_curl(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await give_password(app, host)
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT)
    await log_in_page(page, live_server, host.username)
    await page.goto(live_server + "/app/settings/api-keys")
    await page.get_by_label("Note").fill("curl journey")
    await page.get_by_label("Expires", exact=True).select_option("30")
    await page.get_by_role("button", name="Create key").click()
    shown = page.locator("#new-api-key")
    await expect(shown).to_be_visible()
    key = (await shown.inner_text()).strip()
    assert key.startswith("cal_")
    row = page.get_by_role("row").filter(has_text="curl journey")
    await expect(row).to_have_count(1)
    await shots(page, "key-shown-once")

    async def curl(token: str) -> dict[str, Any]:
        done = await asyncio.to_thread(
            subprocess.run,
            ["curl", "-s", "-H", f"Authorization: Bearer {token}", live_server + "/v2/me"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer

    me = await curl(key)
    assert me["status"] == "success" and me["data"]["username"] == host.username, me

    # revoked in the app, the key stops working
    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await row.get_by_role("button", name="Revoke").click()
    await expect(page.get_by_role("row").filter(has_text="curl journey")).to_have_count(0)
    await context.close()
    refused = await curl(key)
    assert refused["status"] == "error", refused


async def test_sign_up_onboard_and_the_public_page_shows_the_new_event_type(
    app: Any, settings: Settings, browser: Any, shots: Shots
) -> None:
    opened = settings.model_copy(update={"signup": "open", "worker_in_process": False})
    with serve_in_thread(create_app(opened)) as base:
        context = await browser.new_context(
            viewport={"width": 390, "height": 844}, timezone_id="Europe/Madrid"
        )  # a phone, in Madrid: the time zone comes from the browser
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT)
        await page.goto(base + "/app/signup")
        await page.get_by_label("Username").fill("carol")
        await page.get_by_label("Full name").fill("Carol Newcomer")
        await page.get_by_label("Email").fill("carol@example.com")
        await page.get_by_label("Password").fill("journey pass 42")
        await shots(page, "signup")
        await page.get_by_role("button", name="Sign up").click()

        steps = page.get_by_role("heading", level=1)
        await expect(steps).to_have_text("Your username")
        await expect(page.get_by_label("Username")).to_have_value("carol")
        await page.get_by_role("button", name="Continue").click()
        await expect(steps).to_have_text("Your time zone")
        await expect(page.get_by_label("Time zone")).to_have_value("Europe/Madrid")
        await page.get_by_role("button", name="Continue").click()
        await expect(steps).to_have_text("Your working hours")
        await expect(page.get_by_label("Monday")).to_be_checked()
        await expect(page.get_by_label("Saturday")).not_to_be_checked()
        await expect(page.get_by_label("From")).to_have_value("09:00")
        await page.get_by_role("button", name="Continue").click()
        await expect(steps).to_have_text("Your first event type")
        await page.get_by_label("Title").fill("Quick chat")
        await page.get_by_label("URL").fill("quick-chat")
        await page.get_by_label("Duration (minutes)").fill("20")
        await shots(page, "first-event-type")
        await page.get_by_role("button", name="Continue").click()
        await expect(steps).to_have_text("You are ready")
        await shots(page, "ready")

        await page.get_by_role("link", name=re.compile("carol$")).click()
        await expect(page.get_by_role("heading", name="Carol Newcomer")).to_be_visible()
        await page.get_by_role("link", name=re.compile("Quick chat")).click()
        await expect(page.get_by_role("heading", name="Quick chat")).to_be_visible()
        await expect(page.get_by_text("20 minutes").first).to_be_visible()
        # the first schedule is bookable: the calendar offers days
        await expect(page.locator("a[data-day]").first).to_be_visible()
        await shots(page, "public-event-type")
        await context.close()
