"""Fixtures of the web app's HTTP tests: a host with a password and a browser-like client that
logs in through the login form (cookies kept, redirects not followed)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from slotwise.kit.db import Database
from slotwise.models import User
from slotwise.users.service import set_password
from tests.conftest import Host

PASSWORD = "correct horse 42"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of an app page."""
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


async def give_password(app: Any, host: Host, password: str = PASSWORD) -> None:
    """Set ``host``'s web app password through the users service."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        user = await session.get(User, host.id)
        assert user is not None
        await set_password(session, user, password)


async def log_in(client: httpx2.AsyncClient, login: str, password: str = PASSWORD) -> None:
    """Log ``client`` in through the login form (asserts it worked)."""
    page = await client.get("/app/login")
    assert page.status_code == 200
    answer = await client.post(
        "/app/login",
        data={"login": login, "password": password, "csrf_token": csrf_of(page.text)},
    )
    assert answer.status_code == 303, answer.text
    assert "slotwise_session" in client.cookies


@pytest.fixture
async def browser_client(app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    """A client like a browser on the app's own origin: cookies kept, redirects not followed,
    ``Sec-Fetch-Site: same-origin`` sent."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(
        transport=transport,
        base_url="http://slotwise.test",
        headers={"Sec-Fetch-Site": "same-origin"},
    ) as c:
        yield c


@pytest.fixture
async def app_client(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> httpx2.AsyncClient:
    """``browser_client`` logged in as ``host`` (alice), who has the password
    :data:`PASSWORD`."""
    await give_password(app, host)
    await log_in(browser_client, host.username)
    return browser_client


async def app_get(client: httpx2.AsyncClient, path: str) -> httpx2.Response:
    """GET an app page; asserts 200."""
    answer = await client.get(path)
    assert answer.status_code == 200, (path, answer.status_code, answer.text[:500])
    return answer


async def app_post(
    client: httpx2.AsyncClient, form_path: str, action: str, data: dict[str, Any]
) -> httpx2.Response:
    """Submit a form of the page at ``form_path`` to ``action`` with ``data`` plus the page's
    CSRF token (as a browser would)."""
    page = await app_get(client, form_path)
    return await client.post(action, data={**data, "csrf_token": csrf_of(page.text)})
