"""Settings › Out of office: the user's entries (list, create, edit, delete) through the
service of /v2/me/ooo (:mod:`slotwise.ooo.service`).

An entry is entered as whole days (a first and a last day, UTC: the availability engine counts
out-of-office time in whole UTC days), a reason, notes, and optionally the username of the
person the bookings are forwarded to (a member of one of the user's teams, as the API's
``toUserId``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from slotwise.event_types.repository import user_by_username
from slotwise.kit.errors import NotFound
from slotwise.kit.schemas import IdParam
from slotwise.kit.session import DbSession
from slotwise.models import OutOfOffice, User
from slotwise.ooo import service
from slotwise.ooo.schemas import CreateOooInput, UpdateOooInput
from slotwise.pages.i18n import N_
from slotwise.policy.ooo import manageable_ooo_entry
from slotwise.webapp.context import AppSession, AppUser, app_context
from slotwise.webapp.forms import FormErrors, as_dict, attempt, checked_form, text
from slotwise.webapp.settings import REQUIRED, not_found, render_settings, saved

router = APIRouter(include_in_schema=False)

BASE = "/app/settings/out-of-office"
REASONS = (
    ("unspecified", N_("Unspecified")),
    ("vacation", N_("Vacation")),
    ("travel", N_("Travel")),
    ("sick", N_("Sick leave")),
    ("public_holiday", N_("Public holiday")),
)
FIELDS = {"start": "start", "end": "end", "notes": "notes", "reason": "reason"}
"""API body fields → form fields (``toUserId`` is entered as ``forwardTo``, a username)."""


def _values(entry: OutOfOffice, forward_to: str) -> dict[str, Any]:
    return {
        "start": entry.start.date().isoformat(),
        "end": entry.end.date().isoformat(),
        "reason": entry.reason,
        "notes": entry.notes or "",
        "forwardTo": forward_to,
    }


async def _usernames(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for user_id in ids:
        user = await session.get(User, user_id)
        if user is not None:
            names[user_id] = user.username
    return names


async def _list_page(
    request: Request,
    app_user: AppUser,
    session: AsyncSession,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    entries = await service.list_entries(
        session, app_user.user, sort_start="asc", sort_end=None, skip=0, take=250
    )
    names = await _usernames(session, {e.to_user_id for e in entries if e.to_user_id})
    extra.setdefault("values", {"reason": "unspecified"})
    return render_settings(
        request, app_user, "out-of-office", "app/settings/ooo.html", status_code=status_code,
        entries=entries, names=names, reasons=REASONS, **extra,
    )  # fmt: skip


async def _read_form(
    session: AsyncSession, app_user: AppUser, form: FormData, request: Request
) -> tuple[dict[str, Any], FormErrors]:
    """The API body fields of the posted form, and the errors found before the service runs
    (missing days, an unknown forwarding username)."""
    ctx = app_context(request, app_user)
    errors = FormErrors()
    body: dict[str, Any] = {"reason": text(form, "reason") or "unspecified"}
    body["notes"] = text(form, "notes") or None
    for name, suffix in (("start", "T00:00:00Z"), ("end", "T23:59:59.999Z")):
        day = text(form, name)
        if not day:
            errors.add(name, ctx._(REQUIRED))
        else:
            body[name] = day + suffix if len(day) == 10 else day
    forward_to = text(form, "forwardTo").removeprefix("@")
    body["toUserId"] = None
    if forward_to:
        target = await user_by_username(session, forward_to[:100])
        if target is None:
            errors.add("forwardTo", service.FORWARD_REFUSED)
        else:
            body["toUserId"] = target.id
    return body, errors


def _forward_error_beside_field(errors: FormErrors) -> FormErrors:
    """The service's forwarding refusals belong beside the ``forwardTo`` field."""
    moved = FormErrors(fields=dict(errors.fields))
    for message in errors.general:
        if "forward" in message:
            moved.add("forwardTo", message)
        else:
            moved.add(None, message)
    return moved


@router.get(BASE)
async def ooo_page(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """The user's entries and the form for a new one."""
    return await _list_page(request, app_user, session)


@router.post(BASE)
async def create_ooo(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Create an entry (400 with the messages beside the fields when refused)."""
    form = await checked_form(request, app_user.csrf)
    body, errors = await _read_form(session, app_user, form, request)
    if not errors:

        async def create() -> OutOfOffice:
            return await service.create_entry(
                session, app_user.user, CreateOooInput.model_validate(body)
            )

        _, errors = await attempt(session, create, aliases={"toUserId": "forwardTo"})
    if errors:
        return await _list_page(
            request, app_user, session, status_code=400,
            errors=_forward_error_beside_field(errors), values=as_dict(form),
        )  # fmt: skip
    return saved(BASE, "created")


async def _own_entry(session: AsyncSession, app_user: AppUser, ooo_id: int) -> OutOfOffice | None:
    try:
        return await manageable_ooo_entry(session, app_user.principal, ooo_id)
    except NotFound:
        return None


@router.get(BASE + "/{ooo_id}")
async def edit_page(
    request: Request, ooo_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """The form of one entry (404 for someone else's)."""
    entry = await _own_entry(session, app_user, ooo_id)
    if entry is None:
        return not_found(request, app_user)
    names = await _usernames(session, {entry.to_user_id} if entry.to_user_id else set())
    return render_settings(
        request, app_user, "out-of-office", "app/settings/ooo_edit.html", entry=entry,
        values=_values(entry, names.get(entry.to_user_id or 0, "")), reasons=REASONS,
    )  # fmt: skip


@router.post(BASE + "/{ooo_id}")
async def update_ooo(
    request: Request, ooo_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Save one entry (404 for someone else's, 400 when refused)."""
    form = await checked_form(request, app_user.csrf)
    entry = await _own_entry(session, app_user, ooo_id)
    if entry is None:
        return not_found(request, app_user)
    body, errors = await _read_form(session, app_user, form, request)
    if not errors:

        async def update() -> OutOfOffice:
            checked = UpdateOooInput.model_validate(body)
            return await service.update_entry(session, app_user.user, ooo_id, checked)

        _, errors = await attempt(session, update, aliases={"toUserId": "forwardTo"})
    if errors:
        await session.refresh(entry)
        return render_settings(
            request, app_user, "out-of-office", "app/settings/ooo_edit.html", status_code=400,
            entry=entry, values=as_dict(form), reasons=REASONS,
            errors=_forward_error_beside_field(errors),
        )  # fmt: skip
    return saved(BASE)


@router.post(BASE + "/{ooo_id}/delete")
async def delete_ooo(
    request: Request, ooo_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Delete one entry (404 for someone else's)."""
    await checked_form(request, app_user.csrf)
    _, errors = await attempt(session, lambda: service.delete_entry(session, app_user.user, ooo_id))
    if errors:
        return not_found(request, app_user)
    return saved(BASE, "deleted")
