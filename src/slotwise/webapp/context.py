"""What every page of the web app shares: who is logged in, the CSRF token, the language, the
navigation, and rendering.

Dependencies for the app's routes:

- ``AppSession`` (:func:`logged_in`): the logged-in host as a :class:`AppUser` (their
  :class:`~slotwise.kit.principal.Principal`, kind ``"session"``, with which pages call the
  same services as the API). Without a valid session the browser is sent to
  ``/app/login?next=<path>`` (303), by the :class:`LoginRequired` handler of
  :func:`slotwise.webapp.install_webapp`.
- ``AnonymousPage`` (:func:`anonymous`): the CSRF token of the forms shown before logging in.

Language: ``lng``, then the user's ``locale``, then ``Accept-Language`` (English, German and
Spanish: the pages' catalogs, ``pages/locales``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from slotwise.kit.crypto import installation_key
from slotwise.kit.principal import Membership, Principal
from slotwise.kit.session import DbSession, get_settings
from slotwise.kit.websession import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    anonymous_csrf_token,
    load_session,
)
from slotwise.models import User, WebSession
from slotwise.pages import i18n
from slotwise.pages.i18n import N_
from slotwise.pages.render import PageContext, asset_url, merge, page_context

NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("event-types", N_("Event types"), "/app/event-types"),
    ("bookings", N_("Bookings"), "/app/bookings/upcoming"),
    ("availability", N_("Availability"), "/app/availability"),
    ("teams", N_("Teams"), "/app/teams"),
    ("settings", N_("Settings"), "/app/settings/profile"),
)
"""The app's main sections: (key, label, URL), in the order of the navigation bar."""

FLASH: dict[str, str] = {
    "saved": N_("Changes saved"),
    "created": N_("Created"),
    "deleted": N_("Deleted"),
    "logged-out": N_("You are logged out"),
}
"""Messages a page shows once after a redirect, by the ``flash`` query parameter's key (only
these keys: a URL cannot inject text). Pages add their own keys here."""


class LoginRequired(Exception):
    """No valid session: the browser is redirected to the login page, back to ``next`` after."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass
class AppUser:
    """The logged-in host of a request: ``principal`` (kind ``"session"``) for the services,
    ``web_session`` (its ``csrf_secret`` is the forms' token) and the session cookie."""

    principal: Principal
    web_session: WebSession
    token: str

    @property
    def user(self) -> User:
        """The logged-in user."""
        return self.principal.user

    @property
    def csrf(self) -> str:
        """The CSRF token every form of this session carries."""
        return self.web_session.csrf_secret


@dataclass
class AppContext:
    """Rendering context of one app page: the shared :class:`PageContext` (language, theme),
    the logged-in user (None on the login and sign-up pages), the CSRF token and the active
    navigation section."""

    page: PageContext
    csrf: str
    user: User | None = None
    section: str = ""
    flash: str | None = None
    set_cookies: dict[str, str] = field(default_factory=dict)

    def _(self, message: str) -> str:
        """``message`` translated into the page's language."""
        return self.page.gettext(message)


async def logged_in(request: Request, session: DbSession) -> AppUser:
    """The logged-in host (see the module docstring); raises :class:`LoginRequired`."""
    token = request.cookies.get(SESSION_COOKIE)
    found = await load_session(session, token) if token else None
    if found is None or token is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    user, web_session, teams = found
    principal = Principal(
        user=user,
        kind="session",
        memberships=tuple(Membership(team_id, role) for team_id, role in teams),
    )
    request.state.user_id = user.id
    request.state.principal = principal
    return AppUser(principal=principal, web_session=web_session, token=token)


AppSession = Annotated[AppUser, Depends(logged_in)]


def anonymous_csrf(request: Request) -> tuple[str, str | None]:
    """The CSRF token for a form shown before logging in, and the new ``slotwise_csrf`` cookie
    value to set (None when the browser already has one)."""
    cookie = request.cookies.get(CSRF_COOKIE)
    fresh = None
    if not cookie or len(cookie) > 100:
        cookie = fresh = secrets.token_urlsafe(24)
    key = installation_key(get_settings(request))
    return anonymous_csrf_token(key, cookie), fresh


def app_context(request: Request, app_user: AppUser | None = None, section: str = "") -> AppContext:
    """The :class:`AppContext` of ``request``: the user's language after ``lng``, a flash
    message named by ``?flash=``; anonymous pages get a CSRF token (and cookie) of their own."""
    locale = app_user.user.locale if app_user else None
    page = page_context(request, fallback_locale=None)
    wanted = [request.query_params.get("lng"), locale]
    wanted += i18n.accept_language(request.headers.get("accept-language"))
    page.language = i18n.negotiate(wanted)
    flash_key = request.query_params.get("flash")
    flash = page.gettext(FLASH[flash_key]) if flash_key in FLASH else None
    if app_user is not None:
        return AppContext(page, app_user.web_session.csrf_secret, app_user.user, section, flash)
    token, fresh = anonymous_csrf(request)
    ctx = AppContext(page, token, None, section, flash)
    if fresh:
        ctx.set_cookies[CSRF_COOKIE] = fresh
    return ctx


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The app's Jinja2 environment: its own templates (``webapp/templates``) first, then the
    booking pages' (their macros are shared); autoescaping on."""
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("slotwise.webapp", "templates"), PackageLoader("slotwise.pages")]
        ),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["asset"] = asset_url
    env.globals["merge"] = merge
    env.globals["NAVIGATION"] = NAVIGATION
    return env


def render_app(
    request: Request, ctx: AppContext, template: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    """Render app template ``template`` with ``values`` plus ``ctx`` (as ``app``), its page
    context (as ``page``), ``_`` and ``ngettext``. Never cached, never framed by other sites."""
    html = (
        environment()
        .get_template(template)
        .render(
            app=ctx,
            page=ctx.page,
            _=ctx.page.gettext,
            ngettext=ctx.page.ngettext,
            request=request,
            **values,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = ctx.page.language
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    secure = get_settings(request).base_url.startswith("https://")
    for name, value in ctx.set_cookies.items():
        response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, path="/")
    return response
