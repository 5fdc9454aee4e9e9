"""The booking pages in real headless Chromium against a live server (both databases): book by
clicking and see the time gone for a second visitor, cancel, reschedule, the browser's time zone
and switching zones, a missing required field, booking with the keyboard only, embed events."""

from __future__ import annotations

import re
from typing import Any

from tests.api.booking_fixtures import V, booked
from tests.browser.conftest import Shots, settle
from tests.conftest import Host
from tests.pages.page_fixtures import intro

BOOKER = "/alice/intro?month=2050-09"


def expect(target: Any) -> Any:
    """Playwright's ``expect`` (imported lazily: the fixtures report a missing Playwright)."""
    from playwright.async_api import expect as pw_expect

    return pw_expect(target)


async def open_slot(page: Any, base: str, query: str, day: str, time: str) -> None:
    """Open the Booker, click ``day`` (accessible name part) then the ``time`` button."""
    await page.goto(base + BOOKER + query)
    await page.get_by_role("link", name=re.compile(day)).click()
    await page.get_by_role("button", name=re.compile(f"^{re.escape(time)},")).click()
    await expect(page.get_by_label("Your name")).to_be_visible()


async def test_book_by_clicking_then_cancel(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    page = await browser.new_page()
    await page.goto(live_server + BOOKER + "&timeZone=UTC")
    await shots(page, "booker")
    await expect(page.get_by_role("heading", name="September 2050")).to_be_visible()
    await page.get_by_role("link", name=re.compile("Monday, September 5, 2050")).click()
    await expect(page.get_by_role("heading", name="Monday, September 5, 2050")).to_be_visible()
    await shots(page, "day-chosen")
    await page.get_by_role("button", name=re.compile("^10:00 AM,")).click()
    await page.get_by_label("Your name").fill("Ann Lee")
    await page.get_by_label("Email address").fill("ann@example.com")
    await page.get_by_label("Additional notes").fill("Looking forward")
    await shots(page, "form-filled")
    await page.get_by_role("button", name="Confirm booking").click()
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await expect(page.get_by_text("Monday, September 5, 2050, 10:00 AM – 10:30 AM")).to_be_visible()
    await shots(page, "confirmation")
    booking_url = page.url

    # a second visitor no longer sees 10:00
    other = await browser.new_page()
    await other.goto(live_server + BOOKER + "&timeZone=UTC&date=2050-09-05")
    await expect(other.get_by_role("button", name=re.compile("^9:30 AM,"))).to_be_visible()
    await expect(other.get_by_role("button", name=re.compile("^10:00 AM,"))).to_have_count(0)
    await shots(other, "second-visitor")

    await page.goto(booking_url)
    await page.get_by_role("link", name="Cancel", exact=True).click()
    await page.get_by_label("Reason for cancellation (optional)").fill("Something came up")
    await shots(page, "cancel-form")
    await page.get_by_role("button", name="Cancel event").click()
    await expect(page.get_by_role("heading", name="This event is cancelled")).to_be_visible()
    await expect(page.get_by_text("Something came up")).to_be_visible()
    await shots(page, "cancelled")
    await other.reload()
    await expect(other.get_by_role("button", name=re.compile("^10:00 AM,"))).to_be_visible()


async def test_browser_zone_is_the_default_and_switching_moves_times(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    context = await browser.new_context(timezone_id="Asia/Tokyo", locale="en-US")
    page = await context.new_page()
    await page.goto(live_server + BOOKER + "&date=2050-09-05")
    # 09:00 UTC is 6:00 PM in Tokyo: the script switched to the browser's zone
    await expect(page.get_by_role("button", name=re.compile("^6:00 PM,"))).to_be_visible()
    await expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    assert "timeZone=Asia%2FTokyo" in page.url
    await shots(page, "tokyo")
    await page.get_by_label("Time zone").select_option("Europe/Rome")
    await expect(page.get_by_role("button", name=re.compile("^11:00 AM,"))).to_be_visible()
    await shots(page, "rome")
    await page.get_by_label("24h").check()
    await expect(page.get_by_role("button", name=re.compile("^11:00,"))).to_be_visible()
    await shots(page, "rome-24h")
    # the month changes without a reload and keeps the zone
    await page.get_by_role("link", name="Next month").click()
    await expect(page.get_by_role("heading", name="October 2050")).to_be_visible()
    assert "timeZone=Europe%2FRome" in page.url and "month=2050-10" in page.url
    await context.close()


async def test_missing_required_field_shows_the_error(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    page = await browser.new_page()
    await open_slot(page, live_server, "&timeZone=UTC", "September 6, 2050", "2:00 PM")
    await page.get_by_label("Email address").fill("ann@example.com")
    await page.get_by_role("button", name="Confirm booking").click()
    name = page.get_by_label("Your name")
    await expect(name).to_have_attribute("aria-invalid", "true")
    await expect(name).to_be_focused()  # the first field to correct
    await expect(page.locator("#f-name-error")).to_have_text("This field is required")
    await expect(page.get_by_label("Email address")).to_have_value("ann@example.com")
    await shots(page, "missing-name")


async def test_book_with_the_keyboard_only(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    page = await browser.new_page()
    await page.goto(live_server + BOOKER + "&timeZone=UTC")
    for _ in range(20):  # Tab to the calendar (one tab stop for all days)
        await page.keyboard.press("Tab")
        if await page.evaluate("!!document.activeElement.dataset.day"):
            break
    assert await page.evaluate("document.activeElement.dataset.day") == "2050-09-01"
    await page.keyboard.press("ArrowDown")  # a week later
    await page.keyboard.press("ArrowRight")  # the day after
    assert await page.evaluate("document.activeElement.dataset.day") == "2050-09-09"
    await page.keyboard.press("ArrowRight")  # skips the weekend
    assert await page.evaluate("document.activeElement.dataset.day") == "2050-09-12"
    await shots(page, "calendar-focus")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Monday, September 12, 2050")).to_be_visible()
    # focus moved to the first time
    await expect(page.get_by_role("button", name=re.compile("^9:00 AM,"))).to_be_focused()
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")  # 9:30 AM
    await expect(page.get_by_label("Your name")).to_be_focused()
    await page.keyboard.type("Kim Keys")
    await page.keyboard.press("Tab")
    await page.keyboard.type("kim@example.com")
    await shots(page, "form-by-keyboard")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await expect(page.get_by_text("Monday, September 12, 2050, 9:30 AM – 10:00 AM")).to_be_visible()
    await shots(page, "booked-by-keyboard")


async def test_reschedule_from_the_booking_page(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    event_type_id = await intro(app, host)
    from httpx2 import ASGITransport, AsyncClient

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        booking = await booked(client, event_type_id, "2050-09-05T10:00:00.000Z")
    page = await browser.new_page()
    await page.goto(f"{live_server}/booking/{booking['uid']}?clock=24h")
    # shown in the attendee's zone (Europe/Rome)
    await expect(page.get_by_text("Monday, September 5, 2050, 12:00 – 12:30")).to_be_visible()
    await page.get_by_role("link", name="Reschedule").click()
    await expect(page.get_by_text("Rescheduling your booking")).to_be_visible()
    # opens on the booking's month, in the zone the booking page used
    await expect(page.get_by_role("heading", name="September 2050")).to_be_visible()
    await page.get_by_role("link", name=re.compile("September 5, 2050")).click()
    # the booking's own time is still offered
    await expect(page.get_by_role("button", name=re.compile("^12:00,"))).to_be_visible()
    await page.get_by_role("button", name=re.compile("^15:00,")).click()
    await page.get_by_label("Reason for reschedule").fill("Clash")
    await shots(page, "reschedule-form")
    await page.get_by_role("button", name="Confirm reschedule").click()
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await expect(page.get_by_text("Monday, September 5, 2050, 15:00 – 15:30")).to_be_visible()
    await shots(page, "rescheduled")
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        old = (await client.get(f"/v2/bookings/{booking['uid']}", headers=V)).json()["data"]
    assert old["status"] == "cancelled" and old["rescheduledToUid"] in page.url


async def test_embed_snippet_and_cal_events(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    page = await browser.new_page()
    # another site's page with the one-line snippet; it re-fires the frame's events
    await page.set_content(
        "<h1>Partner site</h1><script>window.events=[];"
        "addEventListener('CAL:ns1:*',e=>events.push(e.detail));</script>"
        f'<script src="{live_server}/static/pages/embed.js" data-namespace="ns1" '
        'data-link="alice/intro?month=2050-09&timeZone=UTC" data-brand-color="#1e3a8a">'
        "</script>"
    )
    frame = page.frame_locator("iframe")
    await expect(frame.get_by_role("heading", name="September 2050")).to_be_visible()
    await page.wait_for_function("events.some(e => e.type === 'linkReady')")
    await frame.get_by_role("link", name=re.compile("Monday, September 5, 2050")).click()
    await frame.get_by_role("button", name=re.compile("^10:00 AM,")).click()
    await frame.get_by_label("Your name").fill("Emma Bed")
    await frame.get_by_label("Email address").fill("emma@example.com")
    await frame.get_by_role("button", name="Confirm booking").click()
    await page.wait_for_function("events.some(e => e.type === 'bookingSuccessfulV2')")
    events = await page.evaluate("events")
    types = [e["type"] for e in events]
    for expected in ("__iframeReady", "__dimensionChanged", "linkReady", "availabilityLoaded"):
        assert expected in types, types
    assert "__routeChanged" in types  # the day and the time were chosen without reloads
    success = next(e for e in events if e["type"] == "bookingSuccessfulV2")
    assert success["fullType"] == "CAL:ns1:bookingSuccessfulV2" and success["namespace"] == "ns1"
    assert success["data"]["startTime"] == "2050-09-05T10:00:00.000Z"
    assert success["data"]["status"] == "ACCEPTED" and success["data"]["uid"]
    await expect(frame.get_by_text("Powered by Slotwise")).to_have_count(0)
    # the frame follows its content's height
    height = await page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert height >= 300
    await shots(page, "embedded")
    await settle(page)


CONTRAST_JS = """
(selectors) => {
  function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return m; }
  function lum(c) {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor);
  }
  const out = {};
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    if (!el) { out[sel] = null; continue; }
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  return out;
}
"""
TEXT = [
    "h1", ".host-name", ".facts dt", "#month-title", ".month th", "span.day", "a.day",
    "a.day.selected", "label[for=f-name]", ".primary", ".hint", ".error", "#form-error",
    ".booking-form a",
]  # fmt: skip


async def test_wcag_aa_contrast_in_both_themes(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    # (each page holds its time with a reservation, so each uses its own)
    for theme, hour in (("light", "10"), ("dark", "11")):
        page = await browser.new_page()
        await page.goto(
            f"{live_server}/alice/intro?month=2050-09&timeZone=UTC&theme={theme}"
            f"&date=2050-09-05&slot=2050-09-05T{hour}:00:00.000Z"
        )
        await page.wait_for_load_state("load")  # booker.js attached (a loaded CI machine)
        await page.get_by_role("button", name="Confirm booking").click()  # errors shown
        await expect(page.locator("#f-name-error")).to_be_visible(timeout=15_000)
        ratios = await page.evaluate(CONTRAST_JS, TEXT)
        await shots(page, f"{theme}-form-errors")
        for selector, ratio in ratios.items():
            assert ratio is not None, selector
            assert ratio >= 4.5, f"{theme}: {selector} has contrast {ratio:.2f}"
        await page.close()


async def test_booking_works_without_javascript(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    context = await browser.new_context(java_script_enabled=False)
    page = await context.new_page()
    await page.goto(live_server + BOOKER)  # no script: the host's zone (UTC) is used
    await page.get_by_label("Time zone").select_option("Asia/Tokyo")
    await page.get_by_role("button", name="Apply").click()
    await page.get_by_role("link", name=re.compile("Monday, September 5, 2050")).click()
    await page.get_by_role("button", name=re.compile("^6:00 PM,")).click()
    await page.get_by_label("Your name").fill("No Script")
    await page.get_by_label("Email address").fill("noscript@example.com")
    await shots(page, "form-without-js")
    await page.get_by_role("button", name="Confirm booking").click()
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await expect(page.get_by_text("Monday, September 5, 2050, 6:00 PM – 6:30 PM")).to_be_visible()
    await shots(page, "booked-without-js")
    await context.close()


async def test_a_time_held_by_another_booker_is_refused_with_fresh_times(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots
) -> None:
    await intro(app, host)
    first = await browser.new_page()
    await open_slot(first, live_server, "&timeZone=UTC", "September 7, 2050", "10:00 AM")
    # the form reserved the time (POST /v2/slots/reservations) and keeps its uid
    await expect(first.locator("[data-reservation]")).not_to_have_value("")
    second = await browser.new_page()
    await second.goto(
        live_server + BOOKER + "&timeZone=UTC&date=2050-09-07&slot=2050-09-07T10:00:00.000Z"
    )
    await expect(second.get_by_role("alert")).to_contain_text("Please choose another time")
    await expect(second.get_by_role("button", name=re.compile("^10:00 AM,"))).to_have_count(0)
    await expect(second.get_by_role("button", name=re.compile("^10:30 AM,"))).to_be_visible()
    await shots(second, "second-booker-refused")
    # the first booker still books it (the reservation is theirs), even after a reload
    await first.reload()
    await first.get_by_label("Your name").fill("First One")
    await first.get_by_label("Email address").fill("first@example.com")
    await first.get_by_role("button", name="Confirm booking").click()
    await expect(first.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    # choosing another time gives a held time back
    await open_slot(second, live_server, "&timeZone=UTC", "September 8, 2050", "9:00 AM")
    await expect(second.locator("[data-reservation]")).not_to_have_value("")
    await second.get_by_role("link", name="Choose another time").click()
    await expect(second.get_by_role("button", name=re.compile("^9:30 AM,"))).to_be_visible()
    third = await browser.new_page()
    await third.goto(live_server + BOOKER + "&timeZone=UTC&date=2050-09-08")
    await expect(third.get_by_role("button", name=re.compile("^9:00 AM,"))).to_be_visible()


async def test_submitting_before_the_reservation_answers_still_books(
    app: Any, host: Host, live_server: str, browser: Any
) -> None:
    """A booker who submits while the form's reservation request is still in flight used to post
    without its uid and find the time "held" by themselves; the script now waits for it."""
    import asyncio

    await intro(app, host)
    page = await browser.new_page()
    answered = asyncio.Event()

    async def slow_reservation(route: Any) -> None:
        response = await route.fetch()  # the server holds the time now; its answer comes late
        await asyncio.sleep(1.5)
        await route.fulfill(response=response)
        answered.set()

    await page.route("**/v2/slots/reservations", slow_reservation)
    await page.goto(
        live_server + BOOKER + "&timeZone=UTC&date=2050-09-09&slot=2050-09-09T10:00:00.000Z"
    )
    await page.get_by_label("Your name").fill("Quick Clicker")
    await page.get_by_label("Email address").fill("quick@example.com")
    await page.get_by_role("button", name="Confirm booking").click()
    assert not answered.is_set()  # the click came before the reservation's answer
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await expect(page.get_by_text("Friday, September 9, 2050, 10:00 AM – 10:30 AM")).to_be_visible()
