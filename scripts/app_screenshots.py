"""Screenshots of every web app page at desktop (1280×800) and phone (390×844) sizes.

Starts Slotwise on a temporary SQLite database with demo-like data (a host with a password,
two schedules, three event types, bookings upcoming, unconfirmed, cancelled and past, a webhook),
logs in with headless Chromium (Debian's ``chromium``; Playwright never downloads a browser) and
writes ``<page>-desktop.png`` and ``<page>-phone.png`` into the output folder (default
docs/screenshots/), shrunk to a 256-colour palette with Pillow so they stay small. The README's
screenshots come from here::

    python scripts/app_screenshots.py                       # every page, both sizes
    python scripts/app_screenshots.py --only availability bookings --sizes desktop
    python scripts/app_screenshots.py --out /tmp/shots --full-page --theme dark

Every GET page under /app is found from the app's routes (a new page needs no edit here); a
page with an id in its path is opened with the demo data's id of that kind.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import uvicorn
from fastapi.routing import APIRoute
from PIL import Image
from pydantic import SecretStr
from sqlalchemy import select

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.demo import DEMO_ADDRESS
from slotwise.event_types.repository import add_owner_host
from slotwise.kit.db import create_database
from slotwise.kit.migrate import upgrade
from slotwise.models import Booking, EventType, Schedule
from slotwise.users.service import create_user, set_password

USERNAME = "alex"
PASSWORD = "screenshots 2050"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
NAMES = {
    "/app/availability/{schedule_id}": "availability",
    "/app/availability": "availability-list",
    "/app/bookings/upcoming": "bookings",
}
"""File names of some pages (the README's: availability = the editor, bookings = the list);
the others are named after their path (``/app/settings/profile`` → ``settings-profile``)."""
_NOT_PAGES = {"/app/logout", "/app/{rest:path}"}
_PARAM = re.compile(r"\{[^}]+\}")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
V_BOOKINGS = {"cal-api-version": "2024-08-13"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def next_weekday(start: date, weekday: int, weeks: int = 0) -> date:
    """The first ``weekday`` (0 = Monday) after ``start``, ``weeks`` later."""
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7, weeks=weeks)


async def seed_database(url: str) -> dict[str, Any]:
    """The host, schedules and event types (bookings come through the API once serving)."""
    db = create_database(url)
    try:
        async with db.write_sessions() as session, session.begin():
            created = await create_user(
                session, username=USERNAME, email="alex@example.com", name="Alex Morgan"
            )
            user = created.user
            await set_password(session, user, PASSWORD)
            user.bio = "Product designer. Book a call about your project."
            work = Schedule(
                user_id=user.id,
                name="Working hours",
                time_zone="UTC",
                availability=[
                    {"days": WEEKDAYS, "startTime": "09:00", "endTime": "12:00"},
                    {"days": WEEKDAYS, "startTime": "13:00", "endTime": "17:00"},
                ],
                overrides=[],
            )
            evenings = Schedule(
                user_id=user.id,
                name="Evenings",
                time_zone="UTC",
                availability=[
                    {"days": ["Tuesday", "Thursday"], "startTime": "18:00", "endTime": "21:00"}
                ],
                overrides=[],
            )
            session.add_all([work, evenings])
            await session.flush()
            user.default_schedule_id = work.id
            kinds = (
                ("intro", "Intro call", 30, {}),
                ("consultation", "Consultation", 60, {}),
                ("design-review", "Design review", 45, {"confirmationPolicy": {"type": "always"}}),
            )
            event_types: dict[str, int] = {}
            for slug, title, length, extra in kinds:
                event_type = EventType(
                    user_id=user.id,
                    slug=slug,
                    title=title,
                    length=length,
                    hidden=False,
                    config={
                        "description": f"{title} with Alex.",
                        "minimumBookingNotice": 0,
                        "locations": [{"type": "address", "address": DEMO_ADDRESS}],
                        **extra,
                    },
                )
                session.add(event_type)
                await session.flush()
                await add_owner_host(session, event_type)
                event_types[slug] = event_type.id
            return {
                "api_key": created.api_key,
                "user_id": user.id,
                "schedules": [work.id, evenings.id],
                "event_types": event_types,
            }
    finally:
        await db.dispose()


async def move_to_the_past(url: str, uids: list[str]) -> None:
    """Move bookings two weeks back (the API books no past times; the Past tab needs some)."""
    db = create_database(url)
    try:
        async with db.write_sessions() as session, session.begin():
            rows = (await session.scalars(select(Booking).where(Booking.uid.in_(uids)))).all()
            for booking in rows:
                booking.start_time -= timedelta(weeks=3)
                booking.end_time -= timedelta(weeks=3)
    finally:
        await db.dispose()


def book(api: httpx2.Client, event_type_id: int, start: datetime, name: str) -> dict[str, Any]:
    first = name.split()[0].lower()
    answer = api.post(
        "/v2/bookings",
        headers=V_BOOKINGS,
        json={
            "start": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "eventTypeId": event_type_id,
            "attendee": {"name": name, "email": f"{first}@example.com", "timeZone": "UTC"},
        },
    )
    answer.raise_for_status()
    data: dict[str, Any] = answer.json()["data"]
    return data


def add_bookings(base: str, api_key: str, seed: dict[str, Any], db_url: str) -> dict[str, Any]:
    """Bookings in each state and a webhook, through the API; the ids pages need."""
    types = seed["event_types"]
    today = datetime.now(UTC).date()

    def at(day: date, hour: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)

    auth = {"Authorization": f"Bearer {api_key}"}
    with httpx2.Client(base_url=base, timeout=30) as api:
        upcoming = [
            book(api, types["intro"], at(next_weekday(today, 0), 10), "Sam Rivera"),
            book(api, types["consultation"], at(next_weekday(today, 1), 14), "Priya Shah"),
            book(api, types["intro"], at(next_weekday(today, 3), 9), "Jonas Weber"),
        ]
        pending = [
            book(api, types["design-review"], at(next_weekday(today, 2), 11), "Maria López"),
            book(api, types["design-review"], at(next_weekday(today, 4), 15), "Chen Wei"),
        ]
        cancelled = book(api, types["intro"], at(next_weekday(today, 0, weeks=1), 11), "Tom Berg")
        api.post(
            f"/v2/bookings/{cancelled['uid']}/cancel",
            headers={**auth, **V_BOOKINGS},
            json={"cancellationReason": "Travelling that week"},
        ).raise_for_status()
        past = [
            book(api, types["consultation"], at(next_weekday(today, 1, weeks=1), 10), "Ana Silva"),
            book(api, types["intro"], at(next_weekday(today, 2, weeks=1), 16), "Lee Park"),
        ]
        hook = api.post(
            "/v2/webhooks",
            headers=auth,
            json={
                "subscriberUrl": "https://hooks.example.com/slotwise",
                "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
                "active": True,
            },
        )
        webhooks = [str(hook.json()["data"]["id"])] if hook.status_code == 201 else []
        away = today + timedelta(weeks=4)
        ooo = api.post(
            "/v2/me/ooo",
            headers=auth,
            json={
                "start": f"{away.isoformat()}T00:00:00.000Z",
                "end": f"{(away + timedelta(days=5)).isoformat()}T00:00:00.000Z",
                "reason": "vacation",
                "notes": "Holiday",
            },
        )
        ooo.raise_for_status()
        team = api.post("/v2/teams", headers=auth, json={"name": "Design Studio", "slug": "design"})
        team.raise_for_status()
    asyncio.run(move_to_the_past(db_url, [b["uid"] for b in past]))
    return {
        "/app/availability": [str(i) for i in seed["schedules"]],
        "/app/event-types": [str(i) for i in types.values()],
        "/app/bookings/{tab}": ["upcoming", "unconfirmed", "recurring", "past", "cancelled"],
        "/app/bookings": [b["uid"] for b in upcoming + pending],
        "/app/settings/webhooks": webhooks,
        "/app/settings/out-of-office": [str(ooo.json()["data"]["id"])],
        "/app/teams": [str(team.json()["data"]["id"])],
    }


def _routes(routes: list[Any]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif (inner := getattr(route, "original_router", None)) is not None:
            found += _routes(inner.routes)
        elif isinstance(getattr(route, "routes", None), list):
            found += _routes(route.routes)
    return found


def app_pages(app: Any) -> list[str]:
    """The app's GET page paths (with ``{parameters}``), the login page first."""
    paths = {
        r.path
        for r in _routes(app.router.routes)
        if "GET" in r.methods and r.path.startswith("/app/") and r.path not in _NOT_PAGES
    }
    return sorted(paths, key=lambda p: (p != "/app/login", p))


def page_name(path: str, url: str) -> str:
    """The file name of the page at ``url`` (route ``path``): from :data:`NAMES`, else the
    path with a word parameter kept (a tab) and an id left out (``bookings-detail``)."""
    if url in NAMES or path in NAMES:
        return NAMES.get(url) or NAMES[path]
    pattern = (
        "^" + _PARAM.sub("([^/]+)", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$"
    )
    match = re.match(pattern, url)
    value = match.group(1) if match and match.groups() else ""
    kept = value if re.fullmatch(r"[a-z-]+", value) else "detail"
    name = _PARAM.sub(kept, path.removeprefix("/app/")).replace("detail/detail", "detail")
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def urls_of(path: str, values: dict[str, list[str]]) -> list[str]:
    """The URLs to open for route ``path``: itself, or its one parameter filled from
    ``values`` (by the exact route path, else by the longest section it is under); every
    value when they are words (tabs), else the first."""
    if not _PARAM.search(path):
        return [path]
    if len(_PARAM.findall(path)) != 1:
        return []
    found = values.get(path)
    if found is None:
        for section in sorted(values, key=len, reverse=True):
            if path.startswith(section + "/"):
                found = values[section]
                break
    if not found:
        return []
    if all(re.fullmatch(r"[a-z-]+", v) for v in found):
        return [_PARAM.sub(v, path) for v in found]
    return [_PARAM.sub(found[0], path)]


def shrink(path: Path) -> None:
    """Rewrite the PNG with a 256-colour palette (about a quarter of the size)."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def serve(app: Any, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return server


def take(
    base: str,
    paths: list[str],
    values: dict[str, list[str]],
    out: Path,
    args: argparse.Namespace,
) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, headless=True)
        for size in args.sizes:
            width, height = SIZES[size]
            context = browser.new_context(
                viewport={"width": width, "height": height},
                color_scheme=args.theme,
                locale=args.language,
                extra_http_headers={"Accept-Language": args.language},
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(base + "/app/login")
            page.locator("input[name=login]").fill(USERNAME)
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("form[action='/app/login'] button[type=submit]").click()
            page.wait_for_url(re.compile(r"/app/(?!login)"))
            seen: set[str] = set()  # /app/settings shows the profile page: once
            for path in paths:
                for url in urls_of(path, values) if path != "/app/login" else []:
                    name = page_name(path, url)
                    if args.only and name not in args.only:
                        continue
                    response = page.goto(base + url, wait_until="load")
                    page.wait_for_load_state("networkidle")
                    if response is None or response.status != 200:
                        print(f"skipped {url}: {response and response.status}", file=sys.stderr)
                        continue
                    if "text/html" not in (response.headers.get("content-type") or ""):
                        continue
                    if page.url in seen:
                        continue
                    seen.add(page.url)
                    target = out / f"{name}-{size}.png"
                    page.screenshot(path=str(target), full_page=args.full_page)
                    if not args.no_shrink:
                        shrink(target)
                    written.append(target)
            if "/app/login" in paths and (not args.only or "login" in args.only):
                anonymous = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=args.theme
                )
                login = anonymous.new_page()
                login.goto(base + "/app/login")
                login.wait_for_load_state("networkidle")
                target = out / f"login-{size}.png"
                login.screenshot(path=str(target), full_page=args.full_page)
                if not args.no_shrink:
                    shrink(target)
                written.append(target)
                anonymous.close()
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", help="page names (e.g. availability bookings)")
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--theme", choices=["light", "dark"], default="light")
    parser.add_argument("--language", default="en", help="en, de or es")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the view")
    parser.add_argument("--no-shrink", action="store_true", help="keep full-colour PNGs")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'screenshots.db'}"
        upgrade(db_url)
        seed = asyncio.run(seed_database(db_url))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        settings = Settings(
            database_url=db_url,
            public_url=base,
            outbox_dir=Path(tmp) / "outbox",
            secret_key=SecretStr("screenshots-only"),
            worker_in_process=False,
        )
        app = create_app(settings)
        server = serve(app, port)
        try:
            values = add_bookings(base, seed["api_key"], seed, db_url)
            written = take(base, app_pages(app), values, args.out, args)
        finally:
            server.should_exit = True
    for path in written:
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
