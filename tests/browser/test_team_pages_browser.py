"""Team and dynamic-group pages in real headless Chromium against a live server (both
databases): book a collective and a round-robin team event type and a dynamic group by
clicking, from the team's page to the confirmation; reschedule and cancel a team booking
through the confirmation page's links."""

from __future__ import annotations

import re
from typing import Any

from tests.api.booking_fixtures import V
from tests.browser.conftest import Shots
from tests.pages.team_page_fixtures import make_team, make_team_event_type


def expect(target: Any) -> Any:
    """Playwright's ``expect`` (imported lazily: the fixtures report a missing Playwright)."""
    from playwright.async_api import expect as pw_expect

    return pw_expect(target)


async def choose_and_book(page: Any, time: str, name: str, email: str) -> None:
    """Click Monday 5 September 2050, then ``time``, fill the form and confirm."""
    # Each step waits for the Booker's own requests to settle: on a loaded machine a late
    # answer to the day's request could otherwise replace the form after it was filled.
    await page.get_by_role("link", name=re.compile("Monday, September 5, 2050")).click()
    await page.wait_for_load_state("networkidle")
    await page.get_by_role("button", name=re.compile(f"^{re.escape(time)},")).click()
    await page.wait_for_load_state("networkidle")
    await page.get_by_label("Your name").fill(name)
    await page.get_by_label("Email address").fill(email)
    await page.get_by_role("button", name="Confirm booking").click()
    scheduled = page.get_by_role("heading", name="This meeting is scheduled")
    await expect(scheduled).to_be_visible(timeout=15_000)


async def test_book_collective_and_round_robin_from_the_team_page(
    app: Any, live_server: str, browser: Any, shots: Shots
) -> None:
    world = await make_team(app, bio="Demos and panels")
    both = [world.alice, world.bob]
    await make_team_event_type(
        app, world.team_id, both, slug="panel", scheduling_type="collective", title="Panel"
    )
    await make_team_event_type(
        app, world.team_id, both, slug="demo", scheduling_type="roundRobin", title="Demo"
    )
    context = await browser.new_context(timezone_id="UTC", locale="en-US")
    page = await context.new_page()
    await page.goto(live_server + "/team/sales?month=2050-09")
    await expect(page.get_by_role("heading", name="Sales Team")).to_be_visible()
    await expect(page.get_by_text("Demos and panels")).to_be_visible()
    await shots(page, "team-profile")

    # collective: the team's name, every host's badge, only the afternoon (bob's hours)
    await page.get_by_role("link", name=re.compile("^Panel")).click()
    await expect(page.get_by_role("heading", name="Panel")).to_be_visible()
    hosts = page.get_by_role("list", name="Hosts")
    await expect(hosts.get_by_role("listitem")).to_have_count(3)
    await expect(hosts).to_contain_text("Alice Host")
    await page.goto(live_server + "/team/sales/panel?month=2050-09&date=2050-09-05")
    await expect(page.get_by_role("button", name=re.compile("^1:00 PM,"))).to_be_visible()
    await expect(page.get_by_role("button", name=re.compile("^10:00 AM,"))).to_have_count(0)
    await shots(page, "collective-day")
    await page.goto(live_server + "/team/sales/panel?month=2050-09")
    await choose_and_book(page, "2:00 PM", "Ann Lee", "ann@example.com")
    await expect(page.get_by_text("Monday, September 5, 2050, 2:00 PM – 2:30 PM")).to_be_visible()
    await shots(page, "collective-booked")
    # the confirmation page's links work for the team booking: reschedule, then cancel
    await page.get_by_role("link", name="Reschedule").click()
    await expect(page).to_have_url(re.compile(r"/team/sales/panel\?.*rescheduleUid="))
    await page.get_by_role("link", name=re.compile("Monday, September 5, 2050")).click()
    await page.get_by_role("button", name=re.compile("^4:00 PM,")).click()
    await page.get_by_role("button", name="Confirm reschedule").click()
    await expect(page.get_by_role("heading", name="This meeting is scheduled")).to_be_visible()
    await expect(page.get_by_text("Monday, September 5, 2050, 4:00 PM – 4:30 PM")).to_be_visible()
    await page.get_by_role("link", name="Cancel", exact=True).click()
    await page.get_by_role("button", name="Cancel event").click()
    await expect(page.get_by_role("heading", name="This event is cancelled")).to_be_visible()
    await expect(page.get_by_role("link", name="Book again")).to_have_attribute(
        "href", re.compile(r"^/team/sales/panel")
    )
    await shots(page, "collective-rescheduled-and-cancelled")

    # round robin: the team alone; 10:00 is alice's, two bookings at 3 PM get both hosts
    await page.goto(live_server + "/team/sales/demo?month=2050-09")
    await expect(page.get_by_role("list", name="Hosts").get_by_role("listitem")).to_have_count(1)
    await choose_and_book(page, "10:00 AM", "Ben", "ben@example.com")
    await shots(page, "round-robin-booked")
    organizers = []
    for who in ("cy", "di"):
        await page.goto(live_server + "/team/sales/demo?month=2050-09")
        await choose_and_book(page, "3:00 PM", who.title(), f"{who}@example.com")
        uid = re.search(r"/booking/([^?]+)", page.url)
        assert uid is not None, page.url
        r = await page.request.get(f"{live_server}/v2/bookings/{uid.group(1)}", headers=V)
        organizers.append((await r.json())["data"]["hosts"][0]["username"])
    assert sorted(organizers) == ["alice", "bob"]
    await shots(page, "round-robin-second-host")
    await context.close()


async def test_book_a_dynamic_group_by_clicking(
    app: Any, live_server: str, browser: Any, shots: Shots
) -> None:
    await make_team(app)
    context = await browser.new_context(timezone_id="UTC", locale="en-US")
    page = await context.new_page()
    await page.goto(live_server + "/alice+bob?month=2050-09")
    await expect(page).to_have_url(re.compile(r"/alice\+bob/dynamic\?month=2050-09"))
    await expect(page.get_by_text("Alice Host, Bob Host")).to_be_visible()
    await page.get_by_role("link", name="60 minutes").click()
    await expect(page.get_by_role("link", name="60 minutes")).to_have_attribute(
        "aria-current", "true"
    )
    await shots(page, "group-booker")
    await choose_and_book(page, "1:00 PM", "Eve", "eve@example.com")
    await expect(page.get_by_text("Monday, September 5, 2050, 1:00 PM – 2:00 PM")).to_be_visible()
    # both users are booked: the organizer and the other one marked as a host
    await expect(page.get_by_text("alice@example.com")).to_be_visible()
    await expect(page.get_by_text("bob@example.com")).to_be_visible()
    await expect(page.get_by_text("Host", exact=True)).to_have_count(2)
    await shots(page, "group-booked")
    await context.close()
