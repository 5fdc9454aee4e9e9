"""Helpers for the booking-page tests: a host ``alice`` ("Alice Host", Mon–Fri 09:00–17:00
UTC) with event types, and small HTML readers. Dates are in 2050 (2050-09-05 is a Monday)."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.api.booking_fixtures import make_event_type
from tests.conftest import Host

MONTH = "2050-09"
MONDAY = "2050-09-05"
SLOT = "2050-09-05T10:00:00.000Z"


async def intro(app: Any, host: Host, **config: Any) -> int:
    """Event type ``intro`` (30 minutes) of ``host`` with a Mon–Fri 09–17 UTC schedule."""
    return await make_event_type(app, host, slug="intro", title="Intro call", **config)


def booker_url(**params: str) -> str:
    """``/alice/intro`` with the month of the tests, UTC and ``params``."""
    query = {"month": MONTH, "timeZone": "UTC", **params}
    return "/alice/intro?" + "&".join(f"{k}={v}" for k, v in query.items())


def available_days(html: str) -> list[str]:
    """The dates the calendar offers (links with ``data-day``)."""
    return re.findall(r'<a data-nav data-day="([0-9-]+)"', html)


def slot_values(html: str) -> list[str]:
    """The UTC starts of the slot buttons."""
    return re.findall(r'name="slot" value="([^"]+)"', html)


def slot_texts(html: str) -> list[str]:
    """The visible times of the slot buttons."""
    return re.findall(r'class="slot" aria-label="[^"]*">([^<]+)</button>', html)


async def submit(
    client: httpx2.AsyncClient, form: dict[str, Any], slot: str = SLOT, **params: str
) -> httpx2.Response:
    """POST the booking form for ``slot`` (url-encoded, as a browser does)."""
    url = booker_url(date=slot[:10], slot=slot, **params)
    return await client.post(url, data=form)
