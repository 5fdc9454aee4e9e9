"""The host's web app, served at ``/app``: server-rendered pages (Jinja2, the booking pages'
look) over the same services as the API, under the logged-in user's Principal.

``install_webapp(app)`` adds the routers and the handlers of :class:`LoginRequired` (303 to the
login page) and :class:`CsrfRefused` (403). Route modules: ``accounts`` (login, logout, …);
each section of the app has its own module (docs/webapp.md lists them).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from slotwise.webapp.accounts import router as accounts_router
from slotwise.webapp.availability import router as availability_router
from slotwise.webapp.bookings import router as bookings_router
from slotwise.webapp.context import (
    AppSession,
    LoginRequired,
    anonymous_csrf,
    app_context,
    render_app,
)
from slotwise.webapp.event_types import router as event_types_router
from slotwise.webapp.forms import CsrfRefused
from slotwise.webapp.onboarding import router as onboarding_router
from slotwise.webapp.reset import router as reset_router
from slotwise.webapp.settings import router as settings_router
from slotwise.webapp.settings_api_keys import router as api_keys_router
from slotwise.webapp.settings_calendars import router as calendars_router
from slotwise.webapp.settings_ooo import router as ooo_router
from slotwise.webapp.settings_webhooks import router as webhooks_router
from slotwise.webapp.signup import router as signup_router
from slotwise.webapp.teams import router as teams_router
from slotwise.webapp.urls import login_url

ROUTERS = [accounts_router, settings_router, availability_router, bookings_router]
ROUTERS.append(event_types_router)
"""The app's routers, included in this order (section modules append theirs)."""
ROUTERS += [ooo_router, webhooks_router, api_keys_router]  # settings pages (settings_*.py)
ROUTERS += [calendars_router]
ROUTERS += [signup_router, reset_router, onboarding_router]  # accounts (signup, reset, onboarding)
ROUTERS += [teams_router]

fallback_router = APIRouter(include_in_schema=False)


@fallback_router.get("/app/")
async def app_home_slash() -> Response:
    """``/app/`` is the app's home, like ``/app``."""
    return RedirectResponse("/app", status_code=308)


@fallback_router.get("/app/{rest:path}")
async def unknown_app_page(request: Request, app_user: AppSession, rest: str) -> Response:
    """An app path no page answers: the login page when logged out, else a 404 page."""
    ctx = app_context(request, app_user)
    return render_app(request, ctx, "app/not_found.html", status_code=404)


def install_webapp(app: FastAPI) -> None:
    """Serve the web app on ``app`` (before the public pages' catch-all routes)."""
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(fallback_router)  # last: unknown /app/... paths

    async def _login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    async def _csrf_refused(request: Request, exc: Exception) -> Response:
        anonymous_csrf(request)
        ctx = app_context(request)
        response: HTMLResponse = render_app(request, ctx, "app/forbidden.html", status_code=403)
        return response

    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
