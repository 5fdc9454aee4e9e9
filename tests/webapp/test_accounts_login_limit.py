"""Failed logins are limited per client IP and per login name (10 in 15 minutes): then a 429
page with the same text whether the name belongs to an account or not."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.conftest import Host
from tests.webapp.accounts_fixtures import browser
from tests.webapp.conftest import PASSWORD, csrf_of, give_password

TOO_MANY = "Too many attempts. Wait 15 minutes, then try again."


async def try_login(client: httpx2.AsyncClient, login: str, password: str) -> httpx2.Response:
    page = await client.get("/app/login")
    return await client.post(
        "/app/login",
        data={"login": login, "password": password, "csrf_token": csrf_of(page.text)},
    )


async def test_failed_logins_are_limited_alike_for_known_and_unknown_names(
    app: Any, host: Host
) -> None:
    await give_password(app, host)
    async with browser(app, "10.0.0.1") as first:
        for _ in range(10):
            assert (await try_login(first, "alice", "wrong pass 1")).status_code == 401
        blocked = await try_login(first, "alice", PASSWORD)  # even the right password
        assert blocked.status_code == 429 and TOO_MANY in blocked.text
        assert blocked.headers["Retry-After"] == "900"
    async with browser(app, "10.0.0.2") as second:
        # the name is limited from any address…
        assert (await try_login(second, "alice", PASSWORD)).status_code == 429
        # …and an unknown name the same way, with the same text
        for _ in range(10):
            assert (await try_login(second, "nobody", "wrong pass 1")).status_code == 401
        unknown = await try_login(second, "nobody", "wrong pass 1")
        assert unknown.status_code == 429 and TOO_MANY in unknown.text
    async with browser(app, "10.0.0.3") as third:  # the address too: bob is locked out there
        for index in range(10):
            await try_login(third, f"someone{index}", "wrong pass 1")
        assert (await try_login(third, "bob", "whatever 1")).status_code == 429


async def test_login_without_csrf_token_is_refused(app: Any, host: Host) -> None:
    await give_password(app, host)
    async with browser(app) as client:
        await client.get("/app/login")
        refused = await client.post("/app/login", data={"login": "alice", "password": PASSWORD})
        assert refused.status_code == 403
        assert "slotwise_session" not in client.cookies
