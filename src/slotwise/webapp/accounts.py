"""Logging in and out of the web app.

- ``GET /app``: the app's home (the event types), or the login page;
- ``GET|POST /app/login``: username or email and password; the same answer, in the same time,
  for an unknown user and a wrong password; success sets the session cookie and goes to
  ``next`` (an app path only). Failed attempts are limited per client IP and per login name
  (:data:`LOGIN_ATTEMPTS` in :data:`LOGIN_WINDOW_MINUTES`, Redis when configured): beyond, a
  429 page with the same text whoever the name belongs to. With
  ``SLOTWISE_REQUIRE_EMAIL_VERIFICATION``, an account whose email is not verified is refused
  (after its password was checked) with a form that sends the link again;
- ``POST /app/logout``: ends the session (its row is deleted) and clears the cookie.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from slotwise.kit.passwords import hash_password, needs_rehash, verify_password
from slotwise.kit.ratelimit import AttemptLimiter
from slotwise.kit.session import DbSession, get_settings
from slotwise.kit.websession import SESSION_COOKIE, end_session, start_session
from slotwise.models import User
from slotwise.pages.i18n import N_
from slotwise.users.repository import find_by_login
from slotwise.webapp.context import AppSession, anonymous_csrf, app_context, render_app
from slotwise.webapp.forms import FormErrors, checked_form, text
from slotwise.webapp.urls import HOME, safe_next

router = APIRouter(include_in_schema=False)

BAD_LOGIN = N_("Incorrect username, email or password")
TOO_MANY = N_("Too many attempts. Wait 15 minutes, then try again.")
UNVERIFIED = N_(
    "Confirm your email address first: open the link we emailed you when you signed up."
)
LOGIN_ATTEMPTS = 10
LOGIN_WINDOW_MINUTES = 15


def attempt_limiter(request: Request) -> AttemptLimiter:
    """The app's limiter of failed logins (and of emails asked for: reset, verification),
    one per app, in Redis when ``SLOTWISE_REDIS_URL`` is set."""
    state = request.app.state
    limiter: AttemptLimiter | None = getattr(state, "attempt_limiter", None)
    if limiter is None:
        redis_url = get_settings(request).redis_url
        limiter = AttemptLimiter(LOGIN_ATTEMPTS, LOGIN_WINDOW_MINUTES, redis_url)
        state.attempt_limiter = limiter
    return limiter


def attempt_keys(request: Request, kind: str, name: str) -> tuple[str, ...]:
    """The limiter's keys of an attempt of ``kind`` (``login``, ``email``): the client IP,
    and the name tried (hashed; the same key whether or not an account has it)."""
    client = request.client.host if request.client else "unknown"
    keys = [f"{kind}-ip:{client}"]
    if name:
        keys.append(f"{kind}-name:" + hashlib.sha256(name.lower().encode()).hexdigest())
    return tuple(keys)


def too_many(request: Request, template: str, **values: object) -> Response:
    """The 429 page: ``template`` (the form) with :data:`TOO_MANY` and ``Retry-After``."""
    ctx = app_context(request)
    errors = FormErrors()
    errors.add(None, ctx.page.gettext(TOO_MANY))
    response = render_app(request, ctx, template, status_code=429, errors=errors, **values)
    response.headers["Retry-After"] = str(LOGIN_WINDOW_MINUTES * 60)
    return response


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


def signup_open(request: Request) -> bool:
    """Whether anyone may sign up (``SLOTWISE_SIGNUP=open``)."""
    return get_settings(request).signup == "open"


@router.post("/app/login")
async def login(request: Request, session: DbSession) -> Response:
    """Check the credentials; on success open a session, else show the form again (401)."""
    token, _ = anonymous_csrf(request)
    form = await checked_form(request, token)
    login_name = text(form, "login").lower()
    password = text(form, "password")
    target = safe_next(text(form, "next"))
    limiter = attempt_limiter(request)
    keys = attempt_keys(request, "login", login_name[:320])
    if not await limiter.allowed(*keys):
        return too_many(request, "app/login.html", next=target, values={"login": login_name})
    user = None
    if login_name and len(login_name) <= 320:
        user = await find_by_login(session, login_name)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid:
        await limiter.failed(*keys)
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
    if get_settings(request).require_email_verification and user.email_verified_at is None:
        ctx = app_context(request)
        errors = FormErrors()
        errors.add(None, ctx.page.gettext(UNVERIFIED))
        return render_app(
            request,
            ctx,
            "app/login.html",
            status_code=403,
            errors=errors,
            next=target,
            values={"login": login_name},
            unverified=login_name,
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
