"""SLOTWISE_REQUIRE_EMAIL_VERIFICATION: sign-up emails a link instead of logging in, login
refuses the unverified account with a form that sends the link again, the link verifies."""

from __future__ import annotations

from typing import Any

from slotwise.config import Settings
from tests.webapp.accounts_fixtures import app_with, browser, link_in, outbox, run_jobs
from tests.webapp.conftest import csrf_of, log_in

FORM = {
    "username": "erin",
    "name": "Erin",
    "email": "erin@example.com",
    "password": "erin pass 1",
    "timeZone": "UTC",
}


async def test_verification_required_before_login(app: Any, settings: Settings) -> None:
    async with (
        app_with(settings, signup="open", require_email_verification=True) as strict,
        browser(strict) as client,
    ):
        page = await client.get("/app/signup")
        made = await client.post("/app/signup", data={**FORM, "csrf_token": csrf_of(page.text)})
        assert made.status_code == 200 and "Check your email" in made.text
        assert "slotwise_session" not in client.cookies
        await run_jobs(strict)
        [first] = outbox(settings)
        assert first["Subject"] == "Confirm your email address for Slotwise"

        login = await client.get("/app/login")
        refused = await client.post(
            "/app/login",
            data={"login": "erin", "password": "erin pass 1", "csrf_token": csrf_of(login.text)},
        )
        assert refused.status_code == 403
        assert "Confirm your email address first" in refused.text
        assert 'action="/app/verify-email/resend"' in refused.text
        no_csrf = await client.post("/app/verify-email/resend", data={"login": "erin"})
        assert no_csrf.status_code == 403
        again = await client.post(
            "/app/verify-email/resend",
            data={"login": "erin", "csrf_token": csrf_of(refused.text)},
        )
        assert again.status_code == 200 and "we sent a new link" in again.text
        await run_jobs(strict)
        assert len(outbox(settings)) == 2

        bad = await client.get("/app/verify-email/1.1.junk")
        assert bad.status_code == 400
        verified = await client.get(link_in(outbox(settings)[-1]))
        assert verified.status_code == 303
        assert verified.headers["location"] == "/app/login?flash=email-verified"
        await log_in(client, "erin", "erin pass 1")
