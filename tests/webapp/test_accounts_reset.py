"""Password reset by an emailed link (the outbox): the same answer for a known and an unknown
address, a link that works once, every session ended, then logged in; CSRF refusals."""

from __future__ import annotations

from typing import Any

import httpx2

from slotwise.config import Settings
from tests.conftest import Host
from tests.webapp.accounts_fixtures import browser, link_in, outbox, run_jobs
from tests.webapp.conftest import PASSWORD, csrf_of, give_password, log_in

SENT = "If an account uses this email address, we sent it a link"


async def ask_reset(client: httpx2.AsyncClient, address: str) -> httpx2.Response:
    page = await client.get("/app/reset-password")
    assert page.status_code == 200
    return await client.post(
        "/app/reset-password", data={"email": address, "csrf_token": csrf_of(page.text)}
    )


async def test_reset_by_the_emailed_link(
    app: Any, settings: Settings, host: Host, app_client: httpx2.AsyncClient
) -> None:
    login_page = await app_client.get("/app/login")
    assert 'href="/app/reset-password"' in login_page.text
    async with browser(app) as visitor:
        known = await ask_reset(visitor, "ALICE@example.com")
        unknown = await ask_reset(visitor, "nobody@example.com")
        assert known.status_code == unknown.status_code == 200
        assert SENT in known.text and SENT in unknown.text
        await run_jobs(app)
        [message] = outbox(settings)
        assert message["To"].addresses[0].addr_spec == "alice@example.com"
        assert message["Subject"] == "Reset your Slotwise password"
        assert message.get_body(("html",)) is not None
        path = link_in(message)
        assert path.startswith("/app/reset-password/")

        form = await visitor.get(path)
        assert form.status_code == 200 and 'name="confirm"' in form.text
        token = csrf_of(form.text)
        differ = await visitor.post(
            path, data={"password": "new pass 12", "confirm": "new pass 13", "csrf_token": token}
        )
        assert differ.status_code == 400 and 'id="f-confirm-error"' in differ.text
        weak = await visitor.post(
            path, data={"password": "short", "confirm": "short", "csrf_token": token}
        )
        assert weak.status_code == 400 and 'id="f-password-error"' in weak.text
        no_csrf = await visitor.post(
            path, data={"password": "new pass 12", "confirm": "new pass 12"}
        )
        assert no_csrf.status_code == 403
        done = await visitor.post(
            path, data={"password": "new pass 12", "confirm": "new pass 12", "csrf_token": token}
        )
        assert done.status_code == 303 and "slotwise_session" in visitor.cookies
        assert (await visitor.get("/v2/me")).json()["data"]["username"] == "alice"

        used = await visitor.get(path)  # the password changed: the link is spent
        assert used.status_code == 400 and "not valid any more" in used.text

    # The earlier session ended; the old password no longer works, the new one does.
    assert (await app_client.get("/v2/me")).status_code == 401
    async with browser(app) as fresh:
        page = await fresh.get("/app/login")
        old = await fresh.post(
            "/app/login",
            data={"login": "alice", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        )
        assert old.status_code == 401
        await log_in(fresh, "alice", "new pass 12")


async def test_forged_or_expired_links_are_refused(
    app: Any, settings: Settings, host: Host
) -> None:
    await give_password(app, host)
    async with browser(app) as visitor:
        await ask_reset(visitor, "alice@example.com")
        await run_jobs(app)
        path = link_in(outbox(settings)[-1])
        user_id, expires, signature = path.rsplit("/", 1)[1].split(".")
        forged = f"/app/reset-password/{user_id}.{int(expires) + 3600}.{signature}"
        assert (await visitor.get(forged)).status_code == 400
        other = f"/app/reset-password/{int(user_id) + 1}.{expires}.{signature}"
        assert (await visitor.get(other)).status_code == 400
        assert (await visitor.get("/app/reset-password/junk")).status_code == 400


async def test_reset_request_without_csrf_token_sends_nothing(
    app: Any, settings: Settings, host: Host
) -> None:
    async with browser(app) as visitor:
        await visitor.get("/app/reset-password")
        refused = await visitor.post("/app/reset-password", data={"email": host.email})
        assert refused.status_code == 403
        await run_jobs(app)
    assert outbox(settings) == []
