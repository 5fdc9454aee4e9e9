"""A private link's Booker in real headless Chromium (both databases): book a hidden event type
through a one-time link by clicking, staying on the link's path, then see the link used up."""

from __future__ import annotations

import re
from typing import Any

import httpx2
from sqlalchemy import update

from slotwise.models import EventType
from tests.browser.conftest import Shots, settle
from tests.browser.test_booking_pages import expect
from tests.conftest import Host
from tests.pages.page_fixtures import intro


async def test_book_through_a_private_link_then_it_is_used_up(
    app: Any, client: httpx2.AsyncClient, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    et = await intro(app, host)
    async with app.state.db.write_sessions() as session, session.begin():
        await session.execute(update(EventType).where(EventType.id == et).values(hidden=True))
    r = await client.post(f"/v2/event-types/{et}/private-links", json={}, headers=host.headers)
    link = r.json()["data"]
    path = f"/d/{link['linkId']}/intro"
    assert link["bookingUrl"].endswith(path)

    page = await browser.new_page()
    await page.goto(live_server + path + "?month=2050-09&timeZone=UTC")
    await expect(page.get_by_role("heading", name="Intro call")).to_be_visible()
    await shots(page, "private-booker")
    await page.get_by_role("link", name=re.compile("Monday, September 5, 2050")).click()
    await page.get_by_role("button", name=re.compile("^10:00 AM,")).click()
    await expect(page.get_by_label("Your name")).to_be_visible()
    await settle(page)
    assert path in page.url  # the script navigated on the link's own path
    await page.get_by_label("Your name").fill("Ann Lee")
    await page.get_by_label("Email address").fill("ann@example.com")
    await shots(page, "form-filled")
    await page.get_by_role("button", name="Confirm booking").click()
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await shots(page, "confirmation")

    used = await client.get(f"/v2/event-types/{et}/private-links", headers=host.headers)
    assert used.json()["data"][0]["usageCount"] == 1
    again = await page.goto(live_server + path + "?month=2050-09&timeZone=UTC")
    assert again is not None and again.status == 410
    await expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
    await shots(page, "link-used-up")
