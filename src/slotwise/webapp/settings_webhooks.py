"""Settings › Webhooks: the user's webhooks (list, create, edit, delete) through the service of
/v2/webhooks, a test ping (:mod:`slotwise.webhooks.ping`) and each webhook's delivery log with
"deliver again" (the service of ``POST /v2/webhooks/{id}/deliveries/{id}/redeliver``).

The ping's HTTP request is made after the request's transaction has committed (the answer is
streamed: the page is rendered once the ping is done), so a slow receiver never holds the
database's write lock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from slotwise.kit.db import transaction
from slotwise.kit.errors import NotFound
from slotwise.kit.schemas import IdParam
from slotwise.kit.session import DbSession, get_database, get_settings
from slotwise.models import Webhook
from slotwise.pages.i18n import N_
from slotwise.webapp.context import FLASH, AppSession, AppUser
from slotwise.webapp.forms import as_dict, attempt, checkbox, checked_form, text
from slotwise.webapp.settings import not_found, render_settings, saved
from slotwise.webhooks import ping, service
from slotwise.webhooks.schemas import TRIGGERS, CreateWebhookInput, UpdateWebhookInput

router = APIRouter(include_in_schema=False)

BASE = "/app/settings/webhooks"
LOG_SIZE = 50
"""Deliveries shown on a webhook's page (newest first)."""
ALIASES = {"triggers": "triggers"}
"""A trigger's error (``triggers.3``) is shown beside the triggers."""
FLASH["redelivered"] = N_("The event is queued to be delivered again")


def _values(webhook: Webhook) -> dict[str, Any]:
    return {
        "subscriberUrl": webhook.subscriber_url,
        "triggers": list(webhook.triggers or []),
        "payloadTemplate": webhook.payload_template or "",
        "active": bool(webhook.active),
        "hasSecret": bool(webhook.secret),
    }


def _form_values(form: FormData) -> dict[str, Any]:
    values = as_dict(form)
    values["triggers"] = [t for t in form.getlist("triggers") if isinstance(t, str)]
    values["active"] = checkbox(form, "active")
    return values


def _body(form: FormData, *, editing: bool) -> dict[str, Any]:
    """The API body of the posted form. Editing: an empty secret keeps the stored one, the
    "remove the secret" box clears it."""
    body: dict[str, Any] = {
        "subscriberUrl": text(form, "subscriberUrl"),
        "triggers": [t for t in form.getlist("triggers") if isinstance(t, str)],
        "active": checkbox(form, "active"),
        "payloadTemplate": text(form, "payloadTemplate") or None,
    }
    secret = text(form, "secret")
    if secret:
        body["secret"] = secret
    elif editing and checkbox(form, "clearSecret") or not editing:
        body["secret"] = None
    return body


async def _own(session: AsyncSession, app_user: AppUser, webhook_id: int) -> Webhook | None:
    try:
        return await service.get_webhook(session, app_user.user, str(webhook_id))
    except NotFound:
        return None


@router.get(BASE)
async def webhooks_page(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """The user's webhooks."""
    hooks = await service.list_webhooks(
        session, app_user.user, event_type_id=None, skip=0, take=250
    )
    return render_settings(
        request, app_user, "webhooks", "app/settings/webhooks.html", webhooks=hooks
    )


def _form_page(
    request: Request, app_user: AppUser, status_code: int = 200, **values: Any
) -> HTMLResponse:
    values.setdefault("webhook", None)
    return render_settings(
        request, app_user, "webhooks", "app/settings/webhook_form.html",
        status_code=status_code, triggers=TRIGGERS, **values,
    )  # fmt: skip


@router.get(BASE + "/new")
async def new_webhook_page(request: Request, app_user: AppSession) -> Response:
    """The form of a new webhook (every booking trigger ticked)."""
    defaults = {"triggers": [t for t in TRIGGERS if t.startswith("BOOKING_")], "active": True}
    return _form_page(request, app_user, values=defaults)


@router.post(BASE)
async def create_webhook(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Create a webhook (400 with the API's messages when refused)."""
    form = await checked_form(request, app_user.csrf)
    body = _body(form, editing=False)
    block = get_settings(request).block_private_networks

    async def create() -> Webhook:
        checked = CreateWebhookInput.model_validate(body)
        return await service.create_webhook(
            session, app_user.user, checked, event_type_id=None, block_private=block
        )

    webhook, errors = await attempt(session, create, aliases=ALIASES)
    if errors or webhook is None:
        return _form_page(request, app_user, 400, errors=errors, values=_form_values(form))
    return saved(f"{BASE}/{webhook.id}", "created")


async def _detail_page(
    request: Request,
    app_user: AppUser,
    session: AsyncSession,
    webhook: Webhook,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    rows, total = await service.list_deliveries(session, webhook, skip=0, take=LOG_SIZE)
    values.setdefault("values", _values(webhook))
    return _form_page(
        request, app_user, status_code, webhook=webhook, deliveries=rows, total=total, **values
    )


@router.get(BASE + "/{webhook_id}")
async def webhook_page(
    request: Request, webhook_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """One webhook: its form, the ping button and its delivery log (404 for someone else's)."""
    webhook = await _own(session, app_user, webhook_id)
    if webhook is None:
        return not_found(request, app_user)
    return await _detail_page(request, app_user, session, webhook)


@router.post(BASE + "/{webhook_id}")
async def update_webhook(
    request: Request, webhook_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Save a webhook (404 for someone else's, 400 when refused)."""
    form = await checked_form(request, app_user.csrf)
    webhook = await _own(session, app_user, webhook_id)
    if webhook is None:
        return not_found(request, app_user)
    body = _body(form, editing=True)
    block = get_settings(request).block_private_networks
    found = webhook

    async def update() -> Webhook:
        checked = UpdateWebhookInput.model_validate(body)
        return await service.update_webhook(
            session, app_user.user, found, checked, block_private=block
        )

    _, errors = await attempt(session, update, aliases=ALIASES)
    if errors:
        await session.refresh(webhook)
        return await _detail_page(
            request, app_user, session, webhook, 400, errors=errors,
            values={**_form_values(form), "hasSecret": bool(webhook.secret)},
        )  # fmt: skip
    return saved(f"{BASE}/{webhook.id}")


@router.post(BASE + "/{webhook_id}/delete")
async def delete_webhook(
    request: Request, webhook_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Delete a webhook and its delivery log (404 for someone else's)."""
    await checked_form(request, app_user.csrf)
    webhook = await _own(session, app_user, webhook_id)
    if webhook is None:
        return not_found(request, app_user)
    await service.delete_webhook(session, webhook)
    return saved(BASE, "deleted")


@router.post(BASE + "/{webhook_id}/ping")
async def ping_webhook(
    request: Request, webhook_id: IdParam, app_user: AppSession, session: DbSession
) -> Response:
    """Send a test ping and show the webhook's page with its outcome (404 for someone
    else's). The ping is sent once this request's transaction has committed."""
    await checked_form(request, app_user.csrf)
    webhook = await _own(session, app_user, webhook_id)
    if webhook is None:
        return not_found(request, app_user)
    target = ping.PingTarget.of(webhook)
    settings, db = get_settings(request), get_database(request)

    async def page() -> AsyncIterator[bytes]:
        result = await ping.send_ping(target, settings)
        async with transaction(db, write=True) as write:
            await ping.log_ping(write, target, result)
        async with transaction(db, write=False) as read:
            fresh = await read.get(Webhook, target.webhook_id)
            if fresh is None:
                yield bytes(not_found(request, app_user).body)
                return
            rendered = await _detail_page(request, app_user, read, fresh, ping_result=result)
        yield bytes(rendered.body)

    return StreamingResponse(
        page(),
        media_type="text/html; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
        },
    )


@router.post(BASE + "/{webhook_id}/deliveries/{delivery_id}/redeliver")
async def redeliver(
    request: Request,
    webhook_id: IdParam,
    delivery_id: IdParam,
    app_user: AppSession,
    session: DbSession,
) -> Response:
    """Queue a logged delivery's event again (404 for someone else's webhook or delivery; the
    service's refusal is shown on the webhook's page)."""
    await checked_form(request, app_user.csrf)
    webhook = await _own(session, app_user, webhook_id)
    if webhook is None:
        return not_found(request, app_user)
    _, errors = await attempt(
        session, lambda: service.redeliver(session, webhook, str(delivery_id))
    )
    if errors:
        if any("not found" in message for message in errors.general):
            return not_found(request, app_user)
        return await _detail_page(request, app_user, session, webhook, 400, errors=errors)
    return saved(f"{BASE}/{webhook.id}", "redelivered")
