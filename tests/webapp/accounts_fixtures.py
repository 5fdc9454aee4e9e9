"""Helpers of the accounts tests: an app with other settings on the test database, a browser
client from a given address, and the links of the emails in the outbox."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx2

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.jobs import Worker

_LINK = re.compile(r"http://slotwise\.test(/app/[a-z-]+/[0-9]+\.[0-9]+\.[A-Za-z0-9_-]+)")


@asynccontextmanager
async def app_with(settings: Settings, **update: Any) -> AsyncIterator[Any]:
    """An app on the test's database with ``settings`` changed by ``update``."""
    application = create_app(settings.model_copy(update=update))
    try:
        yield application
    finally:
        await application.state.db.dispose()


@asynccontextmanager
async def browser(app: Any, address: str = "127.0.0.1") -> AsyncIterator[httpx2.AsyncClient]:
    """A browser-like client (cookies kept, redirects not followed) from ``address``."""
    transport = httpx2.ASGITransport(app=app, client=(address, 4000))
    async with httpx2.AsyncClient(
        transport=transport,
        base_url="http://slotwise.test",
        headers={"Sec-Fetch-Site": "same-origin"},
    ) as client:
        yield client


async def run_jobs(app: Any) -> int:
    """Run every due job (the account emails) with a worker on the app's database."""
    worker = Worker(app.state.db, app.state.settings)
    try:
        return await worker.run_until_idle()
    finally:
        await worker.close()


def outbox(settings: Settings) -> list[EmailMessage]:
    """The messages written to the test's outbox, oldest first."""
    directory: Path | None = settings.outbox_dir
    assert directory is not None
    found = []
    for path in sorted(directory.glob("*.eml")) if directory.exists() else []:
        found.append(
            email.message_from_bytes(
                path.read_bytes(), _class=EmailMessage, policy=email.policy.default
            )
        )
    return found


def link_in(message: EmailMessage) -> str:
    """The app path of the signed link in ``message``'s text part."""
    part = message.get_body(("plain",))
    assert part is not None
    match = _LINK.search(part.get_content())
    assert match, part.get_content()
    return match.group(1)
