"""Real-browser fixtures: a uvicorn server on a free port serving the test database, and
headless Chromium (Debian's ``chromium`` package at /usr/bin/chromium) driven by Playwright.

No browser is ever downloaded: Playwright launches the system Chromium. Without it (or without
the ``playwright`` package) the tests are skipped with the reason shown, except under CI=true,
where they fail. Screenshots of every step are written under ``test-artifacts/browser/`` (or
``$SLOTWISE_TEST_ARTIFACTS/browser``).
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from slotwise.app import create_app
from slotwise.config import Settings
from tests.thread_server import serve_in_thread

CHROMIUM = os.environ.get("SLOTWISE_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(os.environ.get("SLOTWISE_TEST_ARTIFACTS", "test-artifacts")) / "browser"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture
def live_server(app: Any, settings: Settings) -> Iterator[str]:
    """The base URL of a real uvicorn server (own thread, own event loop, own app) on the
    test database; ``app`` (emptied tables) is the fixture tests use to insert data."""
    served = create_app(settings.model_copy(update={"worker_in_process": False}))
    with serve_in_thread(served) as url:
        yield url


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Headless Chromium from the Debian package."""
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _unavailable("the playwright package is missing (pip install -e '.[dev]')")
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        await chromium.close()


class Shots:
    """Numbered screenshots of one test under test-artifacts/browser/<test>/."""

    def __init__(self, name: str) -> None:
        self.dir = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.count = 0

    async def __call__(self, page: Any, step: str) -> None:
        self.count += 1
        await page.screenshot(path=str(self.dir / f"{self.count:02d}-{step}.png"), full_page=True)


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    """Take a screenshot of each step: ``await shots(page, "step-name")``."""
    return Shots(request.node.name)


async def settle(page: Any) -> None:
    """Wait until the page's script has no navigation in flight."""
    await page.wait_for_load_state("networkidle")
    await asyncio.sleep(0)
