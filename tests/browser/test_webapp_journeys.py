"""The host's main journeys through the web app in real headless Chromium (SQLite; the same
services are tested on both databases by tests/webapp and tests/api): what a host does in the
browser shows on the public booking page, in the attendee's email, at a webhook receiver and
through the API.

A loaded CI machine is slow: every step waits for an element or the network to settle, with
generous timeouts."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.api.booking_fixtures import make_event_type
from tests.browser.conftest import Shots, settle
from tests.browser.test_booking_pages import expect
from tests.browser.test_webapp_browser import TIMEOUT, log_in_page
from tests.conftest import Host
from tests.webapp.conftest import give_password

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

MONDAY_URL = "/alice/intro?month=2050-09&date=2050-09-05&timeZone=UTC"


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
