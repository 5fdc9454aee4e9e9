"""Settings › Calendars: the user's connected calendars through the services of
/v2/calendars, /v2/selected-calendars and /v2/destination-calendars
(:mod:`slotwise.calendars.service`):

- the connections with their calendars (or the provider's error), which calendars are checked
  for conflicts, the destination calendar of new bookings, disconnecting;
- connecting ICS feeds (one URL a line: they replace the earlier feeds, as the API's save), a
  CalDAV account (URL, username, password) or an Apple account (username and app-specific
  password; Apple's server is the operator's ``SLOTWISE_APPLE_CALDAV_URL``).

Google and Outlook connect through OAuth (``/v2/calendars/{calendar}/connect``) and are not
offered here yet.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.calendars import service
from slotwise.calendars.schemas import (
    CalendarCredentialsInput,
    CreateIcsFeedInput,
    DestinationCalendarInput,
    SelectedCalendarInput,
)
from slotwise.kit.errors import NotFound
from slotwise.kit.schemas import IdParam
from slotwise.kit.session import DbSession, get_settings
from slotwise.models import SelectedCalendar
from slotwise.pages.i18n import N_
from slotwise.webapp.context import FLASH, AppSession, AppUser, app_context
from slotwise.webapp.forms import FormErrors, as_dict, attempt, checked_form, text
from slotwise.webapp.settings import REQUIRED, not_found, render_settings, saved

router = APIRouter(include_in_schema=False)

BASE = "/app/settings/calendars"
FLASH.update(
    {
        "connected": N_("Calendar connected"),
        "disconnected": N_("Calendar disconnected"),
    }
)
ACCOUNT_KINDS = (("caldav", N_("CalDAV server")), ("apple", N_("Apple iCloud")))


async def _page(
    request: Request,
    app_user: AppUser,
    session: AsyncSession,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    data = await service.connected_calendars(session, app_user.user, get_settings(request))
    destination = data.get("destinationCalendar") or {}
    writable = [
        (f"{c['integration']}|{c['externalId']}", f"{c['name']} ({c.get('email') or ''})")
        for entry in data["connectedCalendars"]
        for c in entry.get("calendars", [])
        if not c["readOnly"]
    ]
    values.setdefault("values", {"kind": "caldav"})
    return render_settings(
        request, app_user, "calendars", "app/settings/calendars.html", status_code=status_code,
        connections=data["connectedCalendars"], destination=destination, writable=writable,
        account_kinds=ACCOUNT_KINDS, **values,
    )  # fmt: skip


@router.get(BASE)
async def calendars_page(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """The connected calendars and the forms to connect more."""
    return await _page(request, app_user, session)


@router.post(BASE + "/ics")
async def connect_ics(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Connect ICS feeds (one URL a line); 400 with the service's reason."""
    form = await checked_form(request, app_user.csrf)
    urls = [line.strip() for line in text(form, "urls").splitlines() if line.strip()]
    settings = get_settings(request)
    errors = FormErrors()
    if not urls:
        errors.add("urls", app_context(request, app_user)._(REQUIRED))
    else:

        async def save() -> Any:
            body = CreateIcsFeedInput.model_validate({"urls": urls})
            return await service.save_ics_feed(session, app_user.user, body, settings)

        _, errors = await attempt(session, save, aliases={"urls": "urls"})
        errors = _beside(errors, "urls")
    if errors:
        return await _page(request, app_user, session, 400, errors=errors, values=as_dict(form))
    return saved(BASE, "connected")


def _beside(errors: FormErrors, name: str) -> FormErrors:
    """The service's messages about this form, beside its field ``name``."""
    moved = FormErrors(fields=dict(errors.fields))
    for message in errors.general:
        moved.add(name, message)
    return moved


@router.post(BASE + "/account")
async def connect_account(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Connect a CalDAV or Apple account; 400 with the service's reason, nothing stored."""
    form = await checked_form(request, app_user.csrf)
    kind = text(form, "kind")
    body: dict[str, Any] = {"username": text(form, "username"), "password": text(form, "password")}
    if kind == "caldav":
        body["url"] = text(form, "url")
    settings = get_settings(request)

    async def save() -> Any:
        checked = CalendarCredentialsInput.model_validate(body)
        return await service.save_credentials(session, app_user.user, kind, checked, settings)

    _, errors = await attempt(session, save)
    if errors:
        values = {k: v for k, v in as_dict(form).items() if k != "password"}
        errors = _beside(errors, "url" if kind == "caldav" else "username")
        return await _page(request, app_user, session, 400, errors=errors, values=values)
    return saved(BASE, "connected")


@router.post(BASE + "/{credential_id}/selected")
async def choose_selected(
    request: Request, credential_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Check the ticked calendars of one connection for conflicts, stop checking the others
    (404 for someone else's connection)."""
    form = await checked_form(request, app_user.csrf)
    user = app_user.user
    try:
        credential = await service.owned_credential(session, user, credential_id)
    except NotFound:
        return not_found(request, app_user)
    ticked = {v for v in form.getlist("selected") if isinstance(v, str) and v}
    current = {
        row.external_id
        for row in await session.scalars(
            select(SelectedCalendar).where(
                SelectedCalendar.user_id == user.id,
                SelectedCalendar.credential_id == credential.id,
            )
        )
    }

    async def save() -> None:
        for external_id in sorted(ticked - current):
            body = SelectedCalendarInput.model_validate(
                {"integration": credential.type, "externalId": external_id,
                 "credentialId": credential.id}
            )  # fmt: skip
            await service.add_selected(session, user, body)
        for external_id in sorted(current - ticked):
            await service.remove_selected(
                session, user, credential.type, external_id, credential.id
            )

    _, errors = await attempt(session, save)
    if errors:
        return await _page(request, app_user, session, 400, errors=errors)
    return saved(BASE)


@router.post(BASE + "/destination")
async def choose_destination(
    request: Request, app_user: AppSession, session: DbSession
) -> Response:
    """Write new bookings into the chosen calendar (404 when it is not one of the user's
    writable calendars: shown beside the field)."""
    form = await checked_form(request, app_user.csrf)
    integration, _, external_id = text(form, "destination").partition("|")
    settings = get_settings(request)

    async def save() -> Any:
        body = DestinationCalendarInput.model_validate(
            {"integration": integration, "externalId": external_id}
        )
        return await service.set_destination(session, app_user.user, body, settings)

    _, errors = await attempt(session, save)
    if errors:
        errors = _beside(errors, "destination")
        return await _page(request, app_user, session, 400, errors=errors)
    return saved(BASE)


@router.post(BASE + "/{credential_id}/disconnect")
async def disconnect(
    request: Request, credential_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Disconnect a connection (404 for someone else's)."""
    await checked_form(request, app_user.csrf)
    user = app_user.user
    _, errors = await attempt(session, lambda: service.disconnect(session, user, credential_id))
    if errors:
        return not_found(request, app_user)
    return saved(BASE, "disconnected")
