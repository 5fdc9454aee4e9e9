"""The Booker and booking page on a phone-sized screen in real Chromium: the browser's legacy
zone name shown canonical and the zone search, the times scrolled into view after choosing a
day (no inner scroll box), nothing running out of the confirmation card, the duration badge at
its own size, and the cancelled page offering to book again."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import Shots, settle
from tests.browser.test_booking_pages import BOOKER, expect
from tests.conftest import Host
from tests.pages.page_fixtures import intro

PHONE = {"width": 390, "height": 844}
LONG_EMAIL = "a.really.long.mailbox.name.for.wrapping@subdomain.example-company-domain.com"


async def test_phone_booker_and_confirmation(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    context = await browser.new_context(viewport=PHONE, timezone_id="Asia/Kolkata")
    page = await context.new_page()
    await page.goto(live_server + "/alice")
    badge = page.locator(".event-types .badge").first
    assert (await badge.bounding_box())["width"] < 120  # not stretched to the row
    await page.goto(live_server + BOOKER)
    await settle(page)
    # Chromium reports Asia/Calcutta; the picker shows the canonical name, first
    zone = page.get_by_label("Time zone")
    await expect(zone).to_have_value("Asia/Kolkata")
    assert (await zone.locator("option").first.text_content() or "").startswith("Asia/Kolkata (")
    search = page.get_by_label("Search by city, region or offset")
    await search.fill("tokyo")
    await expect(page.locator("#tz-count")).to_have_text(re.compile("^1 time zone matches"))
    await search.press("Enter")
    await expect(zone).to_have_value("Asia/Tokyo")
    await page.get_by_role("link", name=re.compile("Monday, September 5, 2050")).click()
    await expect(page.get_by_role("heading", name="Monday, September 5, 2050")).to_be_visible()
    await settle(page)
    await shots(page, "day-chosen")
    # the times were brought to the top of the screen, and the list is not a scroll box
    top = await page.evaluate("document.querySelector('section.slots').getBoundingClientRect().top")
    assert -2 <= top <= 120, top
    assert await page.evaluate(
        "(() => { const l = document.querySelector('.slot-list');"
        " return l.scrollHeight <= l.clientHeight + 1; })()"
    )
    await page.get_by_role("button", name=re.compile("^6:00 PM,")).click()
    await page.get_by_label("Your name").fill("Ann Lee")
    await page.get_by_label("Email address").fill(LONG_EMAIL)
    await page.get_by_role("button", name="Confirm booking").click()
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await shots(page, "confirmation")
    overflow = await page.evaluate(
        "(() => { const c = document.querySelector('.booking-view');"
        " return [c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth,"
        " window.innerWidth]; })()"
    )
    assert overflow[0] <= overflow[1] and overflow[2] <= overflow[3], overflow
    await expect(page.get_by_text("The host will send you the meeting link.")).to_be_visible()
    await page.get_by_role("link", name="Cancel", exact=True).click()
    await page.get_by_role("button", name="Cancel event").click()
    await expect(page.get_by_role("heading", name="This event is cancelled")).to_be_visible()
    await page.get_by_role("link", name="Book again").click()
    await expect(page.get_by_role("heading", name="Intro call")).to_be_visible()
    await shots(page, "book-again")
    await context.close()
