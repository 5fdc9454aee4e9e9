"""Logging in and out of the web app, CSRF refusals, and the API on the session cookie."""

from __future__ import annotations

from typing import Any

import httpx2

from slotwise.kit import clock
from slotwise.kit.db import Database
from slotwise.models import WebSession
from tests.conftest import Host
from tests.webapp.conftest import PASSWORD, csrf_of, give_password, log_in


async def test_login_sets_a_session_that_the_api_accepts_same_origin(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    await give_password(app, host)
    page = await browser_client.get("/app/login?next=/app/bookings/upcoming")
    assert page.status_code == 200
    answer = await browser_client.post(
        "/app/login",
        data={
            "login": "ALICE@example.com",
            "password": PASSWORD,
            "next": "/app/bookings/upcoming",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app/bookings/upcoming"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    me = await browser_client.get("/v2/me")
    assert me.status_code == 200 and me.json()["data"]["username"] == "alice"
    # Another site's page cannot use the cookie: the request counts as anonymous.
    cross = await browser_client.get("/v2/me", headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 401
    foreign = await browser_client.get(
        "/v2/me", headers={"Sec-Fetch-Site": "", "Origin": "https://evil.example"}
    )
    assert foreign.status_code == 401


async def test_api_writes_with_the_cookie_need_the_csrf_header(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    await give_password(app, host)
    await log_in(browser_client, "alice")
    body = {"name": "Work", "timeZone": "UTC", "isDefault": True}
    refused = await browser_client.post(
        "/v2/schedules", json=body, headers={"cal-api-version": "2024-06-11"}
    )
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["error"]["message"]
    db: Database = app.state.db
    async with db.read_sessions() as session:
        secret = (await session.execute(WebSession.__table__.select())).first().csrf_secret
    made = await browser_client.post(
        "/v2/schedules",
        json=body,
        headers={"cal-api-version": "2024-06-11", "X-CSRF-Token": secret},
    )
    assert made.status_code == 201, made.text


async def test_wrong_password_and_unknown_user_answer_alike(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    await give_password(app, host)
    answers = []
    for login in ("alice", "nobody"):
        page = await browser_client.get("/app/login")
        answer = await browser_client.post(
            "/app/login",
            data={"login": login, "password": "wrong pass 1", "csrf_token": csrf_of(page.text)},
        )
        answers.append((answer.status_code, "Incorrect username, email or password" in answer.text))
    assert answers == [(401, True), (401, True)]
    assert "slotwise_session" not in browser_client.cookies


async def test_login_without_csrf_token_is_refused(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    await give_password(app, host)
    await browser_client.get("/app/login")
    answer = await browser_client.post(
        "/app/login", data={"login": "alice", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert answer.status_code == 403
    assert "slotwise_session" not in browser_client.cookies


async def test_login_never_redirects_off_site(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    await give_password(app, host)
    page = await browser_client.get("/app/login")
    answer = await browser_client.post(
        "/app/login",
        data={
            "login": "alice",
            "password": PASSWORD,
            "next": "//evil.example/app",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert answer.headers["location"] == "/app/event-types"


async def test_logout_ends_the_session_everywhere(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    await give_password(app, host)
    await log_in(browser_client, "alice")
    token = browser_client.cookies["slotwise_session"]
    me = await browser_client.get("/v2/me")
    assert me.status_code == 200
    db: Database = app.state.db
    async with db.read_sessions() as session:
        secret = (await session.execute(WebSession.__table__.select())).first().csrf_secret
    out = await browser_client.post("/app/logout", data={"csrf_token": secret})
    assert out.status_code == 303 and out.headers["location"].startswith("/app/login")
    # The old cookie, replayed, no longer works.
    browser_client.cookies.set("slotwise_session", token)
    assert (await browser_client.get("/v2/me")).status_code == 401
    again = await browser_client.get("/app/bookings/upcoming")
    assert again.status_code == 303
    assert again.headers["location"] == "/app/login?next=/app/bookings/upcoming"


async def test_an_expired_session_sends_the_browser_to_login(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    await give_password(app, host)
    await log_in(browser_client, "alice")
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        await session.execute(WebSession.__table__.update().values(expires_at=clock.now()))
    assert (await browser_client.get("/v2/me")).status_code == 401
    answer = await browser_client.get("/app/event-types")
    assert answer.status_code == 303


async def test_app_with_a_trailing_slash_is_the_home(
    app: Any, host: Host, browser_client: httpx2.AsyncClient
) -> None:
    answer = await browser_client.get("/app/")
    assert answer.status_code == 308 and answer.headers["location"] == "/app"
    await give_password(app, host)
    await log_in(browser_client, "alice")
    unknown = await browser_client.get("/app/no-such-page")
    assert unknown.status_code == 404 and "Page not found" in unknown.text
