"""Sign-up: closed by default, open with SLOTWISE_SIGNUP=open (then webhooks to private
networks are refused unless the setting says otherwise), through a team invitation link even
when closed; joining a team from its link when logged in; CSRF refusals."""

from __future__ import annotations

import re
from typing import Any

import httpx2
from sqlalchemy import func, select

from slotwise.config import Settings
from slotwise.kit.db import Database
from slotwise.models import User
from tests.api.teams_fixtures import insert_team
from tests.conftest import Host
from tests.webapp.accounts_fixtures import app_with, browser
from tests.webapp.conftest import csrf_of, give_password, log_in

FORM = {
    "username": "carol",
    "name": "Carol Example",
    "email": "carol@example.com",
    "password": "carol pass 1",
    "timeZone": "Europe/Berlin",
}
V_WEBHOOKS = "https://hooks.example.com/x"


async def users_named(app: Any, username: str) -> int:
    db: Database = app.state.db
    async with db.read_sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(User).where(User.username == username)
        )
    return int(count or 0)


async def sign_up(client: httpx2.AsyncClient, form_path: str, **data: str) -> httpx2.Response:
    page = await client.get(form_path)
    assert page.status_code == 200, page.text
    hidden = dict(re.findall(r'<input type="hidden" name="(invite)" value="([^"]*)"', page.text))
    return await client.post(
        "/app/signup", data={**hidden, **data, "csrf_token": csrf_of(page.text)}
    )


async def test_signup_is_closed_by_default(app: Any) -> None:
    async with browser(app) as client:
        page = await client.get("/app/signup")
        assert page.status_code == 200
        assert "Sign-up is closed on this server" in page.text
        assert 'action="/app/signup"' not in page.text
        login = await client.get("/app/login")
        refused = await client.post("/app/signup", data={**FORM, "csrf_token": csrf_of(login.text)})
        assert refused.status_code == 403
    assert await users_named(app, "carol") == 0


async def test_open_signup_logs_in_and_goes_to_onboarding(app: Any, settings: Settings) -> None:
    async with app_with(settings, signup="open") as open_app, browser(open_app) as client:
        login = await client.get("/app/login")
        assert 'href="/app/signup"' in login.text
        answer = await sign_up(client, "/app/signup", **FORM)
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/app/onboarding"
        me = await client.get("/v2/me")
        assert me.status_code == 200
        data = me.json()["data"]
        assert (data["username"], data["email"], data["timeZone"]) == (
            "carol",
            "carol@example.com",
            "Europe/Berlin",
        )
        assert data["name"] == "Carol Example"
    # the password works on a fresh browser
    async with app_with(settings, signup="open") as open_app, browser(open_app) as other:
        await log_in(other, "carol", "carol pass 1")


async def test_signup_errors_are_shown_beside_the_fields(
    app: Any, settings: Settings, host: Host
) -> None:
    async with app_with(settings, signup="open") as open_app, browser(open_app) as client:
        reserved = await sign_up(client, "/app/signup", **{**FORM, "username": "app"})
        assert reserved.status_code == 400
        assert 'id="f-username-error"' in reserved.text and "is reserved" in reserved.text
        taken = await sign_up(client, "/app/signup", **{**FORM, "email": host.email})
        assert taken.status_code == 400 and 'id="f-email-error"' in taken.text
        weak = await sign_up(client, "/app/signup", **{**FORM, "password": "short"})
        assert weak.status_code == 400 and 'id="f-password-error"' in weak.text
        assert 'value="carol@example.com"' in weak.text  # what was typed is kept…
        assert "short" not in weak.text.split("<main", 1)[1]  # …but never the password
        # A time zone the browser made up falls back to UTC.
        made = await sign_up(client, "/app/signup", **{**FORM, "timeZone": "Mars/Base"})
        assert made.status_code == 303
        assert (await client.get("/v2/me")).json()["data"]["timeZone"] == "UTC"
    assert await users_named(app, "app") == 0


async def test_signup_without_csrf_token_is_refused(app: Any, settings: Settings) -> None:
    async with app_with(settings, signup="open") as open_app, browser(open_app) as client:
        await client.get("/app/signup")
        refused = await client.post("/app/signup", data=FORM)
        assert refused.status_code == 403
        forged = await client.post("/app/signup", data={**FORM, "csrf_token": "forged"})
        assert forged.status_code == 403
    assert await users_named(app, "carol") == 0


async def _invite_link(client: httpx2.AsyncClient, app: Any, owner: Host) -> tuple[int, str]:
    team_id = await insert_team(app, owner)
    made = await client.post(f"/v2/teams/{team_id}/invite", headers=owner.headers)
    assert made.status_code in (200, 201), made.text
    link = made.json()["data"]["inviteLink"]
    assert link.startswith("http://slotwise.test/app/teams/invite/")
    return team_id, link.removeprefix("http://slotwise.test")


async def test_an_invitation_lets_its_holder_sign_up_while_signup_is_closed(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    team_id, path = await _invite_link(client, app, host)
    async with browser(app) as visitor:
        page = await visitor.get(path)
        assert page.status_code == 200
        assert "You are invited to join the team Sales." in page.text
        assert 'name="invite"' in page.text
        answer = await sign_up(visitor, path, **FORM)
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/app/onboarding"
        bogus = await visitor.get("/app/teams/invite/" + "0" * 64)
        assert bogus.status_code == 404
    members = await client.get(f"/v2/teams/{team_id}/memberships", headers=host.headers)
    assert "carol" in {m["user"]["username"] for m in members.json()["data"]}
    # Without a valid invitation, sign-up stays closed.
    async with browser(app) as stranger:
        page = await stranger.get("/app/login")
        refused = await stranger.post(
            "/app/signup",
            data={**FORM, "username": "dave", "email": "dave@example.com", "invite": "ab" * 32,
                  "csrf_token": csrf_of(page.text)},
        )  # fmt: skip
        assert refused.status_code == 403
    assert await users_named(app, "dave") == 0


async def test_a_logged_in_user_joins_from_the_invitation_link(
    app: Any, client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    team_id, path = await _invite_link(client, app, host)
    await give_password(app, other_host)
    async with browser(app) as bob:
        await log_in(bob, "bob")
        page = await bob.get(path)
        assert page.status_code == 200 and "Join the team" in page.text
        refused = await bob.post(path, data={})
        assert refused.status_code == 403
        members = await client.get(f"/v2/teams/{team_id}/memberships", headers=host.headers)
        assert "bob" not in {m["user"]["username"] for m in members.json()["data"]}
        joined = await bob.post(path, data={"csrf_token": csrf_of(page.text)})
        assert joined.status_code == 303
        assert joined.headers["location"] == "/app/teams?flash=joined"
    members = await client.get(f"/v2/teams/{team_id}/memberships", headers=host.headers)
    assert "bob" in {m["user"]["username"] for m in members.json()["data"]}


async def test_webhooks_to_private_networks_are_refused_while_signup_is_open(
    app: Any, client: httpx2.AsyncClient, settings: Settings, host: Host
) -> None:
    body = {
        "subscriberUrl": "http://127.0.0.1:9/hook",
        "triggers": ["BOOKING_CREATED"],
        "active": True,
    }
    async with app_with(settings, signup="open") as open_app:
        transport = httpx2.ASGITransport(app=open_app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
            refused = await c.post("/v2/webhooks", json=body, headers=host.headers)
            assert refused.status_code == 400, refused.text
            assert "Private" in refused.json()["error"]["message"], refused.text
    async with app_with(settings, signup="open", webhook_block_private_networks=False) as demo_like:
        transport = httpx2.ASGITransport(app=demo_like)
        async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
            allowed = await c.post("/v2/webhooks", json=body, headers=host.headers)
            assert allowed.status_code == 201, allowed.text
    closed = await client.post(
        "/v2/webhooks", json={**body, "subscriberUrl": "http://127.0.0.1:9/other"},
        headers=host.headers,
    )  # fmt: skip
    assert closed.status_code == 201, closed.text
