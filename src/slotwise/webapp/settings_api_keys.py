"""Settings › API keys: create (a note and an expiry), list, revoke (:mod:`slotwise.api_keys`).

A new key is shown once: the create form's POST answers the page with the key itself (no
redirect, ``Cache-Control: no-store``); only its hash is stored, so it cannot be shown again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.api_keys import service
from slotwise.kit import clock
from slotwise.kit.schemas import IdParam
from slotwise.kit.session import DbSession
from slotwise.pages.i18n import N_
from slotwise.webapp.context import AppSession, AppUser, app_context
from slotwise.webapp.forms import FormErrors, as_dict, attempt, checked_form, text
from slotwise.webapp.settings import not_found, render_settings, saved

router = APIRouter(include_in_schema=False)

BASE = "/app/settings/api-keys"
EXPIRY = (
    ("never", N_("Never")),
    ("7", N_("In 7 days")),
    ("30", N_("In 30 days")),
    ("90", N_("In 90 days")),
    ("date", N_("On a date")),
)
NOTE_TOO_LONG = N_("At most 200 characters")
BAD_DATE = N_("Choose a day after today")


async def _page(
    request: Request,
    app_user: AppUser,
    session: AsyncSession,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    keys = await service.list_api_keys(session, app_user.user)
    extra.setdefault("values", {"expiry": "30"})
    return render_settings(
        request, app_user, "api-keys", "app/settings/api_keys.html", status_code=status_code,
        keys=keys, expiry=EXPIRY, now=clock.now(), **extra,
    )  # fmt: skip


@router.get(BASE)
async def api_keys_page(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """The user's keys and the form for a new one."""
    return await _page(request, app_user, session)


def _expires_at(choice: str, day: str, zone: str) -> datetime | None | str:
    """The expiry of a new key: None (never), a datetime, or "" when the choice is invalid."""
    now = clock.now()
    if choice == "never":
        return None
    if choice in ("7", "30", "90"):
        return now + timedelta(days=int(choice))
    if choice == "date":
        try:
            chosen = date.fromisoformat(day)
        except ValueError:
            return ""
        end = datetime.combine(chosen, time(23, 59, 59), tzinfo=ZoneInfo(zone))
        return end if end > now else ""
    return ""


@router.post(BASE)
async def create_api_key(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Create a key and show it, once, in this answer (400 with the messages when refused)."""
    form = await checked_form(request, app_user.csrf)
    ctx = app_context(request, app_user)
    errors = FormErrors()
    note = text(form, "note")
    if len(note) > 200:
        errors.add("note", ctx._(NOTE_TOO_LONG))
    expires = _expires_at(text(form, "expiry"), text(form, "expiresOn"), app_user.user.time_zone)
    if expires == "":
        errors.add("expiresOn", ctx._(BAD_DATE))
    if errors:
        return await _page(
            request, app_user, session, status_code=400, errors=errors, values=as_dict(form)
        )
    assert not isinstance(expires, str)
    plain, _ = await attempt(
        session,
        lambda: service.issue_api_key(
            session, app_user.user, note=note or None, expires_at=expires
        ),
    )
    return await _page(request, app_user, session, new_key=plain, new_note=note)


@router.post(BASE + "/{key_id}/revoke")
async def revoke_api_key(
    request: Request, key_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Revoke one key (404 for someone else's)."""
    await checked_form(request, app_user.csrf)
    _, errors = await attempt(
        session, lambda: service.revoke_api_key(session, app_user.user, key_id)
    )
    if errors:
        return not_found(request, app_user)
    return saved(BASE, "revoked")
