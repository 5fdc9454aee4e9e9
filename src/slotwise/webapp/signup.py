"""Creating an account in the web app, team invitation links, and email verification.

- ``GET|POST /app/signup``: username, name, email, password and the browser's time zone (a
  hidden field filled by the page's script; UTC without it). Open when ``SLOTWISE_SIGNUP=open``;
  otherwise the page says sign-up is closed and a POST answers 403 — except for the holder of
  a valid team invitation (the form carries its token). The account is made by the users
  service (:func:`~slotwise.users.service.create_user`, :func:`~slotwise.users.service.
  set_password`: the API's and the CLI's rules); the invitation, if any, is accepted through
  the teams service; then the new user is logged in and sent to the onboarding. With
  ``SLOTWISE_REQUIRE_EMAIL_VERIFICATION`` the user gets a verification link by email instead
  and logs in once it is followed.
- ``GET /app/teams/invite/{token}`` (the API's ``inviteLink``): logged out, the sign-up form
  for the invitation (and a link to log in first); logged in, a button to join the team
  (``POST``, :func:`slotwise.teams.invites.accept_invite`).
- ``GET /app/verify-email/{token}``: marks the email verified; ``POST
  /app/verify-email/resend``: emails a new link (the same answer whoever asks).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.email.account import enqueue_account_email
from slotwise.kit.clock import now
from slotwise.kit.crypto import installation_key
from slotwise.kit.errors import SlotwiseError
from slotwise.kit.principal import Principal
from slotwise.kit.session import DbSession, get_settings
from slotwise.kit.timezones import is_valid_time_zone
from slotwise.kit.websession import SESSION_COOKIE, load_session
from slotwise.models import Team, TeamInvite, User
from slotwise.pages.i18n import N_
from slotwise.teams.invites import accept_invite
from slotwise.users.links import InvalidLink, check_link, link_user_id
from slotwise.users.repository import find_by_login
from slotwise.users.service import UserError, create_user, set_password
from slotwise.webapp.accounts import (
    attempt_keys,
    attempt_limiter,
    log_in,
    signup_open,
    too_many,
)
from slotwise.webapp.context import (
    FLASH,
    AppSession,
    anonymous_csrf,
    app_context,
    logged_in,
    render_app,
)
from slotwise.webapp.forms import FormErrors, as_dict, checked_form, text

router = APIRouter(include_in_schema=False)

ONBOARDING = "/app/onboarding"
FLASH.update(
    {
        "joined": N_("You joined the team"),
        "email-verified": N_("Your email address is confirmed: you can log in"),
    }
)
INVITE_INVALID = N_("This invitation link is not valid or has expired.")
SIGNUP_CLOSED = N_("Sign-up is closed on this server: ask its administrator for an account.")

_FIELDS_OF = (
    ("Username", "username"),
    ("Email", "email"),
    ("A user with email", "email"),
    ("Time zone", "timeZone"),
    ("Password", "password"),
)


def _field_of(message: str) -> str | None:
    """The form field a users service message is about (None: general)."""
    for prefix, name in _FIELDS_OF:
        if message.startswith(prefix):
            return name
    return None


async def valid_invite(session: AsyncSession, token: str) -> tuple[TeamInvite, Team] | None:
    """The invitation ``token`` and its team, or None when unknown or expired."""
    if not token or len(token) > 64:
        return None
    invite = await session.scalar(select(TeamInvite).where(TeamInvite.token == token))
    if invite is None or invite.expires_at <= now():
        return None
    team = await session.get(Team, invite.team_id)
    return (invite, team) if team is not None else None


def _message_page(
    request: Request, title: str, message: str, status_code: int = 200, **values: object
) -> Response:
    ctx = app_context(request)
    return render_app(
        request,
        ctx,
        "app/account_message.html",
        status_code=status_code,
        title=ctx.page.gettext(title),
        message=ctx.page.gettext(message),
        **values,
    )


def _signup_form(
    request: Request,
    *,
    invite: tuple[TeamInvite, Team] | None = None,
    errors: FormErrors | None = None,
    values: dict[str, object] | None = None,
    status_code: int = 200,
) -> Response:
    ctx = app_context(request)
    return render_app(
        request,
        ctx,
        "app/signup.html",
        status_code=status_code,
        errors=errors,
        values=values or {},
        invite_token=invite[0].token if invite else "",
        team_name=invite[1].name if invite else "",
    )


@router.get("/app/signup")
async def signup_page(request: Request, session: DbSession) -> Response:
    """The sign-up form, or the page saying that sign-up is closed."""
    invite = await valid_invite(session, request.query_params.get("invite", ""))
    if not signup_open(request) and invite is None:
        return _message_page(request, N_("Sign up"), SIGNUP_CLOSED)
    return _signup_form(request, invite=invite)


@router.post("/app/signup")
async def signup(request: Request, session: DbSession) -> Response:
    """Create the account (see the module docstring)."""
    token, _ = anonymous_csrf(request)
    form = await checked_form(request, token)
    invite = await valid_invite(session, text(form, "invite"))
    if not signup_open(request) and invite is None:
        return _message_page(request, N_("Sign up"), SIGNUP_CLOSED, status_code=403)
    if text(form, "invite") and invite is None:
        return _message_page(request, N_("Sign up"), INVITE_INVALID, status_code=404)
    time_zone = text(form, "timeZone") or "UTC"
    if not is_valid_time_zone(time_zone):
        time_zone = "UTC"
    errors = FormErrors()
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    savepoint = await session.begin_nested()
    user: User | None = None
    try:
        created = await create_user(
            session,
            username=text(form, "username"),
            email=text(form, "email"),
            name=text(form, "name") or None,
            time_zone=time_zone,
        )
        user = created.user
        await set_password(session, user, password)
        if invite is not None:
            await accept_invite(session, Principal(user=user, kind="session"), invite[0].token)
    except UserError as exc:
        await savepoint.rollback()
        errors.add(_field_of(str(exc)), str(exc))
    except SlotwiseError as exc:
        await savepoint.rollback()
        errors.add(None, exc.message)
    else:
        await savepoint.commit()
    if errors or user is None:
        values = as_dict(form)
        values.pop("password", None)
        return _signup_form(request, invite=invite, errors=errors, values=values, status_code=400)
    settings = get_settings(request)
    if settings.require_email_verification:
        ctx = app_context(request)
        await enqueue_account_email(session, user, "verify-email", ctx.page.language)
        return _message_page(
            request,
            N_("Check your email"),
            N_("We sent you a link to confirm your email address. Follow it, then log in."),
        )
    return await log_in(request, session, user, ONBOARDING)


@router.get("/app/teams/invite/{token}")
async def invite_page(request: Request, session: DbSession, token: str) -> Response:
    """Logged in: join the invitation's team; logged out: sign up (or log in) to join it."""
    invite = await valid_invite(session, token)
    if invite is None:
        return _message_page(request, N_("Team invitation"), INVITE_INVALID, status_code=404)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and await load_session(session, cookie) is not None:
        app_user = await logged_in(request, session)
        ctx = app_context(request, app_user, section="teams")
        return render_app(request, ctx, "app/invite.html", team_name=invite[1].name, token=token)
    return _signup_form(request, invite=invite)


@router.post("/app/teams/invite/{token}")
async def join_team(
    request: Request, session: DbSession, app_user: AppSession, token: str
) -> Response:
    """Accept the invitation as the logged-in user (the API's accept operation)."""
    await checked_form(request, app_user.csrf)
    invite = await valid_invite(session, token)
    if invite is None:
        return _message_page(request, N_("Team invitation"), INVITE_INVALID, status_code=404)
    savepoint = await session.begin_nested()
    try:
        await accept_invite(session, app_user.principal, token)
    except SlotwiseError as exc:
        await savepoint.rollback()
        ctx = app_context(request, app_user, section="teams")
        errors = FormErrors()
        errors.add(None, exc.message)
        return render_app(
            request,
            ctx,
            "app/invite.html",
            status_code=exc.status_code,
            team_name=invite[1].name,
            token=token,
            errors=errors,
        )
    await savepoint.commit()
    return RedirectResponse("/app/teams?flash=joined", status_code=303)


async def _user_of_link(session: AsyncSession, token: str) -> User | None:
    try:
        return await session.get(User, link_user_id(token))
    except InvalidLink:
        return None


@router.get("/app/verify-email/{token}")
async def verify_email(request: Request, session: DbSession, token: str) -> Response:
    """Mark the account's email verified, then on to the login page."""
    user = await _user_of_link(session, token)
    key = installation_key(get_settings(request))
    try:
        if user is None:
            raise InvalidLink("unknown account")
        check_link(key, "verify-email", token, user, now())
    except InvalidLink:
        return _message_page(
            request,
            N_("Confirm your email address"),
            N_("This link is not valid or has expired. Log in to get a new one."),
            status_code=400,
        )
    if user.email_verified_at is None:
        user.email_verified_at = now()
        await session.flush()
    return RedirectResponse("/app/login?flash=email-verified", status_code=303)


@router.post("/app/verify-email/resend")
async def resend_verification(request: Request, session: DbSession) -> Response:
    """Email a new verification link to the account named ``login`` when it needs one; the
    same answer in every case."""
    csrf, _ = anonymous_csrf(request)
    form = await checked_form(request, csrf)
    login_name = text(form, "login").lower()[:320]
    limiter = attempt_limiter(request)
    keys = attempt_keys(request, "email", login_name)
    if not await limiter.allowed(*keys):
        return too_many(request, "app/login.html", next="", values={"login": login_name})
    await limiter.failed(*keys)  # every email sent counts
    user = await find_by_login(session, login_name) if login_name else None
    if user is not None and user.email_verified_at is None:
        language = app_context(request).page.language
        await enqueue_account_email(session, user, "verify-email", language)
    return _message_page(
        request,
        N_("Check your email"),
        N_("If this account still needs it, we sent a new link to its email address."),
    )
