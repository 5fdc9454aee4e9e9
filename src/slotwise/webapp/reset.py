"""Resetting a forgotten password by an emailed link.

- ``GET|POST /app/reset-password``: an email address; when an account has it, an
  ``email.account`` job sends it a link (:mod:`slotwise.email.account`). The answer is the same
  whether or not the address is known; requests are limited like logins (per client IP and per
  address).
- ``GET|POST /app/reset-password/{token}``: the link (:mod:`slotwise.users.links`: signed,
  one hour, bound to the current password hash so it works once). A new password is set
  through :func:`~slotwise.users.service.set_password` (every session of the account ends),
  the email counts as verified (the link reached it), and the user is logged in.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.email.account import enqueue_account_email
from slotwise.kit.clock import now
from slotwise.kit.crypto import installation_key
from slotwise.kit.session import DbSession, get_settings
from slotwise.models import User
from slotwise.pages.i18n import N_
from slotwise.users.links import InvalidLink, check_link, link_user_id
from slotwise.users.repository import find_by_login
from slotwise.users.service import UserError, set_password
from slotwise.webapp.accounts import attempt_keys, attempt_limiter, log_in, too_many
from slotwise.webapp.context import anonymous_csrf, app_context, render_app
from slotwise.webapp.forms import FormErrors, checked_form, text
from slotwise.webapp.urls import HOME

router = APIRouter(include_in_schema=False)

PASSWORDS_DIFFER = N_("The two passwords differ")


@router.get("/app/reset-password")
async def reset_request_page(request: Request) -> Response:
    """The form asking for the account's email address."""
    return render_app(request, app_context(request), "app/reset_request.html", values={})


@router.post("/app/reset-password")
async def request_reset(request: Request, session: DbSession) -> Response:
    """Email a reset link when an account has this address; the same page either way."""
    csrf, _ = anonymous_csrf(request)
    form = await checked_form(request, csrf)
    email = text(form, "email").lower()[:320]
    limiter = attempt_limiter(request)
    keys = attempt_keys(request, "email", email)
    if not await limiter.allowed(*keys):
        return too_many(request, "app/reset_request.html", values={"email": email})
    await limiter.failed(*keys)  # every request counts: it may send an email
    user = await find_by_login(session, email) if "@" in email else None
    ctx = app_context(request)
    if user is not None and user.email.lower() == email:
        await enqueue_account_email(session, user, "reset-password", ctx.page.language)
    return render_app(request, ctx, "app/reset_request.html", sent=True, values={})


async def _linked_user(request: Request, session: AsyncSession, token: str) -> User | None:
    """The account a valid reset link ``token`` is for, else None."""
    try:
        user = await session.get(User, link_user_id(token))
        if user is None:
            return None
        check_link(installation_key(get_settings(request)), "reset-password", token, user, now())
    except InvalidLink:
        return None
    return user


def _invalid(request: Request) -> Response:
    ctx = app_context(request)
    return render_app(
        request,
        ctx,
        "app/account_message.html",
        status_code=400,
        title=ctx.page.gettext(N_("Reset your password")),
        message=ctx.page.gettext(
            N_("This link is not valid any more: it was used, or it has expired.")
        ),
        link=("/app/reset-password", ctx.page.gettext(N_("Ask for a new link"))),
    )


@router.get("/app/reset-password/{token}")
async def reset_page(request: Request, session: DbSession, token: str) -> Response:
    """The new password form of a valid link."""
    if await _linked_user(request, session, token) is None:
        return _invalid(request)
    return render_app(request, app_context(request), "app/reset_set.html", token=token)


@router.post("/app/reset-password/{token}")
async def reset_password(request: Request, session: DbSession, token: str) -> Response:
    """Set the new password (every session ends), then log the user in."""
    csrf, _ = anonymous_csrf(request)
    form = await checked_form(request, csrf)
    user = await _linked_user(request, session, token)
    if user is None:
        return _invalid(request)
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    confirm = form.get("confirm")
    errors = FormErrors()
    ctx = app_context(request)
    if password != confirm:
        errors.add("confirm", ctx.page.gettext(PASSWORDS_DIFFER))
    else:
        try:
            await set_password(session, user, password)
        except UserError as exc:
            errors.add("password", str(exc))
    if errors:
        return render_app(
            request, ctx, "app/reset_set.html", status_code=400, token=token, errors=errors
        )
    if user.email_verified_at is None:
        user.email_verified_at = now()
    return await log_in(request, session, user, HOME)
