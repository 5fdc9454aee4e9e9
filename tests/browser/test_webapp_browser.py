"""The web app in real headless Chromium (SQLite; the pages' logic is tested on both databases
by tests/webapp): an axe-core scan (WCAG 2 A/AA, colour contrast included) of every app page,
in the light and dark themes, at desktop (1280 px) and phone (390 px) widths.

Every GET page under /app is found from the app's routes, so a new page is scanned without
editing this file; a page whose path has parameters is opened with the ids of the data made
here (a schedule, an event type, bookings, a webhook)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from fastapi.routing import APIRoute

from slotwise.config import Settings
from slotwise.kit.clock import now
from slotwise.kit.crypto import installation_key
from slotwise.models import User
from slotwise.users.links import sign_link
from tests.api.booking_fixtures import booked, hv, make_event_type
from tests.browser.axe import assert_accessible, scan
from tests.browser.conftest import Shots
from tests.browser.test_booking_pages import expect
from tests.conftest import Host
from tests.webapp.conftest import PASSWORD, give_password

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

TIMEOUT = 15_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
_PARAM = re.compile(r"\{[^}]+\}")
_NOT_PAGES = ("/app/logout", "/app/{rest:path}")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Sign-up open, so its form is scanned too."""
    return settings.model_copy(update={"signup": "open"})


@pytest.fixture(autouse=True)
def _patient_expect() -> Iterator[None]:
    """Assertions wait up to 15 s here (a loaded CI machine), not Playwright's 5 s."""
    from playwright.async_api import expect as pw_expect

    pw_expect.set_options(timeout=TIMEOUT)
    yield
    pw_expect.set_options(timeout=5_000)


def _routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute of ``routes``, inside included routers too."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif (inner := getattr(route, "original_router", None)) is not None:
            found += _routes(inner.routes)
        elif isinstance(getattr(route, "routes", None), list):
            found += _routes(route.routes)
    return found


def app_pages(app: Any) -> tuple[list[str], list[str]]:
    """The paths of the app's GET pages: (without parameters, with parameters)."""
    plain: set[str] = set()
    templated: set[str] = set()
    for route in _routes(app.router.routes):
        path = route.path
        if "GET" not in route.methods or not path.startswith("/app/") or path in _NOT_PAGES:
            continue
        (templated if "{" in path else plain).add(path)
    return sorted(plain), sorted(templated)


async def make_data(app: Any, host: Host) -> dict[str, list[str]]:
    """A schedule, two event types, bookings (accepted, unconfirmed, cancelled) and a webhook
    of ``host``; returns the values to try for a path parameter, by the path's section."""
    intro = await make_event_type(app, host, slug="intro", title="Intro call")
    review = await make_event_type(
        app, host, slug="review", title="Design review", length=60, with_schedule=False,
        confirmationPolicy={"type": "always"},
    )  # fmt: skip
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
        accepted = await booked(c, intro, "2050-09-05T10:00:00.000Z")
        pending = await booked(c, review, "2050-09-06T13:00:00.000Z")
        cancelled = await booked(c, intro, "2050-09-07T11:00:00.000Z")
        r = await c.post(
            f"/v2/bookings/{cancelled['uid']}/cancel",
            json={"cancellationReason": "Travel"},
            headers=hv(host),
        )
        assert r.status_code == 200, r.text
        schedules = await c.get(
            "/v2/schedules", headers={**host.headers, "cal-api-version": "2024-06-11"}
        )
        assert schedules.status_code == 200, schedules.text
        hook = await c.post(
            "/v2/webhooks",
            json={
                "subscriberUrl": "https://hooks.example.com/slotwise",
                "triggers": ["BOOKING_CREATED"],
                "active": True,
            },
            headers=host.headers,
        )
        webhooks = [str(hook.json()["data"]["id"])] if hook.status_code == 201 else []
        ooo = await c.post(
            "/v2/me/ooo",
            json={
                "start": "2050-10-03T00:00:00.000Z",
                "end": "2050-10-08T00:00:00.000Z",
                "reason": "vacation",
                "notes": "Autumn holiday",
            },
            headers=host.headers,
        )
        assert ooo.status_code == 201, ooo.text
        team = await c.post(
            "/v2/teams", json={"name": "Design Studio", "slug": "design"}, headers=host.headers
        )
        assert team.status_code == 201, team.text
    schedule_ids = [str(s["id"]) for s in schedules.json()["data"]]
    async with app.state.db.read_sessions() as session:
        user = await session.get(User, host.id)
        assert user is not None
        reset = sign_link(installation_key(app.state.settings), "reset-password", user, now())
    booking_uids = [accepted["uid"], pending["uid"], cancelled["uid"]]
    return {
        "/app/availability": schedule_ids,
        "/app/event-types": [str(intro), str(review)],
        "/app/bookings/{tab}": ["upcoming", "unconfirmed", "recurring", "past", "cancelled"],
        "/app/bookings": booking_uids + [str(accepted["id"])],
        "/app/settings/webhooks": webhooks,
        "/app/settings/out-of-office": [str(ooo.json()["data"]["id"])],
        "/app/teams": [str(team.json()["data"]["id"])],
        "/app/reset-password/{token}": [reset],
        "/app/verify-email/{token}": ["1.1.not-a-valid-link"],  # the "not valid" page
    }


def fill(path: str, values: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``(url, value)`` to try for a path with one parameter: the values by the exact route
    path, else by the longest section the path is under."""
    if len(_PARAM.findall(path)) != 1:
        return []
    found = values.get(path)
    if found is None:
        section = max((k for k in values if path.startswith(k + "/")), key=len, default=None)
        found = values[section] if section else []
    return [(_PARAM.sub(value, path), value) for value in found]


async def log_in_page(page: Any, base: str, login: str) -> None:
    """Log in through the login form and wait for the app."""
    await page.goto(base + "/app/login")
    await page.get_by_label("Username or email").fill(login)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(re.compile(r"/app/(?!login)"), timeout=TIMEOUT)


async def open_page(page: Any, url: str) -> int | None:
    """Go to ``url``, wait for the page (its stylesheets and scripts loaded); the status, None
    for non-HTML."""
    response = await page.goto(url, wait_until="load", timeout=TIMEOUT)
    if response is None:
        return None
    if "text/html" not in (response.headers.get("content-type") or ""):
        return None
    return int(response.status)


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_axe_every_app_page(
    app: Any, host: Host, live_server: str, browser: Any, shots: Shots, theme: str
) -> None:
    await give_password(app, host)
    values = await make_data(app, host)
    plain, templated = app_pages(app)
    violations: list[str] = []
    scanned: list[str] = []
    unscanned: list[str] = []
    for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = await browser.new_context(viewport=viewport, color_scheme=theme)
        page = await context.new_page()
        # logged out: the pages that answer without a session (login, sign up, …)
        for path in plain:
            status = await open_page(page, live_server + path)
            if status == 200 and "/app/login" not in page.url or path == "/app/login":
                label = f"{theme} {width_name} logged out {path}"
                violations += await scan(page, label)
                scanned.append(label)
        await page.goto(live_server + "/app/login")
        await page.get_by_role("button", name="Log in").click()  # empty: the errors shown
        await expect(page.locator("#form-errors")).to_be_visible(timeout=TIMEOUT)
        label = f"{theme} {width_name} logged out /app/login with errors"
        violations += await scan(page, label)
        scanned.append(label)
        await log_in_page(page, live_server, host.username)
        if width_name == "phone":  # the menu open, so its links are scanned too
            await page.get_by_role("button", name="Menu").click()
            await expect(page.get_by_role("navigation", name="Main")).to_be_visible()
            label = f"{theme} phone menu open {page.url.removeprefix(live_server)}"
            violations += await scan(page, label)
            scanned.append(label)
        seen: set[str] = set()
        # (url, route): one page per route with an id (one booking stands for all), every tab
        urls = [(live_server + path, "") for path in [*plain, "/app/no-such-page"]]
        for path in templated:
            tries = fill(path, values)
            if not tries:
                unscanned.append(path)
            tabs = all(re.fullmatch(r"[a-z-]+", value) for _, value in tries)
            urls += [(live_server + url, url if tabs else path) for url, _ in tries]
        done: set[str] = set()
        for url, route in urls:
            if route and route in done:
                continue
            status = await open_page(page, url)
            final = page.url.removeprefix(live_server)
            if status is None or final in seen or "/app/login" in page.url:
                continue
            if route and status == 404:
                continue  # an id of another kind (e.g. a booking id for a page of uids)
            seen.add(final)
            done.add(route)
            label = f"{theme} {width_name} {final} ({status})"
            violations += await scan(page, label)
            scanned.append(label)
            if width_name == "desktop" and theme == "light":
                await shots(page, re.sub(r"\W+", "-", final).strip("-"))
        await context.close()
    if unscanned:
        warnings.warn(
            f"app pages not scanned (no value for their parameter): {unscanned}", stacklevel=1
        )
    print(f"axe: {len(scanned)} scans ({theme}), {len(violations)} violations")
    for label in scanned:
        print("  scanned", label)
    assert_accessible(violations, scanned)
