"""The Booker's layouts in real headless Chromium (both databases): switch month → week →
column → week with the layout switcher (no full reload, the URL follows) and book from a day
column of the week view."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import Shots, settle
from tests.browser.test_booking_pages import expect
from tests.conftest import Host
from tests.pages.page_fixtures import intro

LAYOUTS = {"defaultLayout": "month", "enabledLayouts": ["month", "week", "column"]}


async def test_switch_layouts_and_book_from_the_week_view(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host, bookerLayouts=LAYOUTS)
    page = await browser.new_page()
    await page.goto(live_server + "/alice/intro?month=2050-09&date=2050-09-05&timeZone=UTC")
    layouts = page.get_by_role("navigation", name="Layout")
    await expect(layouts.get_by_role("link", name="Month")).to_have_attribute(
        "aria-current", "true"
    )
    await expect(page.get_by_role("heading", name="September 2050")).to_be_visible()
    await shots(page, "month")

    await layouts.get_by_role("link", name="Column").click()
    await expect(
        page.get_by_role("heading", name="Friday, September 9, 2050", exact=True)
    ).to_be_visible()
    await settle(page)
    assert "layout=column" in page.url
    await shots(page, "column")

    await page.get_by_role("navigation", name="Layout").get_by_role("link", name="Week").click()
    week = page.get_by_role("region", name=re.compile("^Sunday, September 4, 2050 – "))
    await expect(week).to_be_visible()
    await expect(
        page.get_by_role("heading", name="Saturday, September 10, 2050", exact=True)
    ).to_be_visible()
    await expect(page.get_by_role("heading", name="September 2050")).to_have_count(0)
    await settle(page)
    assert "layout=week" in page.url
    # the switcher keeps the focus on the chosen layout (keyboard users stay in place)
    await expect(
        page.get_by_role("navigation", name="Layout").get_by_role("link", name="Week")
    ).to_be_focused()
    await shots(page, "week")

    # keyboard: focus the Tuesday 11:00 button and press Enter
    button = page.get_by_role("region", name="Tuesday, September 6, 2050", exact=True).get_by_role(
        "button", name=re.compile("^11:00 AM,")
    )
    await button.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_label("Your name")).to_be_visible()
    await expect(page.get_by_text("Tuesday, September 6, 2050, 11:00 AM")).to_be_visible()
    await settle(page)
    await page.get_by_label("Your name").fill("Ann Lee")
    await page.get_by_label("Email address").fill("ann@example.com")
    await shots(page, "form-from-week")
    await page.get_by_role("button", name="Confirm booking").click()
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await expect(
        page.get_by_text("Tuesday, September 6, 2050, 11:00 AM – 11:30 AM")
    ).to_be_visible()
    await shots(page, "confirmation")

    other = await browser.new_page()
    await other.goto(
        live_server + "/alice/intro?month=2050-09&date=2050-09-06&timeZone=UTC&layout=week"
    )
    tuesday = other.get_by_role("region", name="Tuesday, September 6, 2050", exact=True)
    await expect(tuesday.get_by_role("button", name=re.compile("^10:30 AM,"))).to_be_visible()
    await expect(tuesday.get_by_role("button", name=re.compile("^11:00 AM,"))).to_have_count(0)
    await shots(other, "week-second-visitor")
