"""Logging in and out of the web app.

- ``GET /app``: the app's home (the event types), or the login page;
- ``GET|POST /app/login``: username or email and password; the same answer, in the same time,
  for an unknown user and a wrong password; success sets the session cookie and goes to
  ``next`` (an app path only);
- ``POST /app/logout``: ends the session (its row is deleted) and clears the cookie.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, or_, select

from slotwise.kit.passwords import hash_password, needs_rehash, verify_password
from slotwise.kit.session import DbSession, get_settings
from slotwise.kit.websession import SESSION_COOKIE, end_session, start_session
from slotwise.models import User
from slotwise.pages.i18n import N_
from slotwise.webapp.context import AppSession, anonymous_csrf, app_context, render_app
from slotwise.webapp.forms import FormErrors, checked_form, text
from slotwise.webapp.urls import HOME, safe_next

router = APIRouter(include_in_schema=False)

BAD_LOGIN = N_("Incorrect username, email or password")


def session_cookie(request: Request, response: Response, token: str) -> None:
    """Set the session cookie ``token`` on ``response`` (HttpOnly, SameSite=Lax, Secure on
    an https public URL; it lasts as long as the session)."""
    settings = get_settings(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_lifetime_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
        path="/",
    )


async def log_in(request: Request, session: DbSession, user: User, target: str) -> Response:
    """Open a session for ``user`` and redirect (303) to ``target`` with its cookie."""
    settings = get_settings(request)
    token = await start_session(
        session, user, lifetime=timedelta(hours=settings.session_lifetime_hours)
    )
    response = RedirectResponse(safe_next(target), status_code=303)
    session_cookie(request, response, token)
    return response


@router.get("/app")
async def app_home(request: Request) -> Response:
    """The app's home: the event types (the login page first when logged out)."""
    return RedirectResponse(HOME, status_code=303)


@router.get("/app/login")
async def login_page(request: Request) -> Response:
    """The login form."""
    ctx = app_context(request)
    return render_app(
        request, ctx, "app/login.html", next=safe_next(request.query_params.get("next"))
    )


@router.post("/app/login")
async def login(request: Request, session: DbSession) -> Response:
    """Check the credentials; on success open a session, else show the form again (401)."""
    token, _ = anonymous_csrf(request)
    form = await checked_form(request, token)
    login_name = text(form, "login").lower()
    password = text(form, "password")
    target = safe_next(text(form, "next"))
    user = None
    if login_name and len(login_name) <= 320:
        user = (
            await session.execute(
                select(User).where(
                    or_(User.username == login_name, func.lower(User.email) == login_name)
                )
            )
        ).scalar_one_or_none()
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid:
        ctx = app_context(request)
        errors = FormErrors()
        errors.add(None, ctx.page.gettext(BAD_LOGIN))
        return render_app(
            request,
            ctx,
            "app/login.html",
            status_code=401,
            errors=errors,
            next=target,
            values={"login": login_name},
        )
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return await log_in(request, session, user, target)


@router.post("/app/logout")
async def logout(request: Request, session: DbSession, app_user: AppSession) -> Response:
    """End the session and clear its cookie."""
    await checked_form(request, app_user.csrf)
    await end_session(session, app_user.token)
    response = RedirectResponse("/app/login?flash=logged-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
