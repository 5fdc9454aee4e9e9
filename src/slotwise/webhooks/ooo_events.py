"""OOO_CREATED: an out-of-office entry → webhook jobs, in the entry's own transaction.

An :func:`slotwise.ooo.service.on_ooo_created` hook, listed in :mod:`slotwise.hooks`.
The body follows Cal.com's
"Webhook payload reference": ``{"triggerEvent": "OOO_CREATED", "createdAt", "payload":
{"oooEntry": {id, uuid, start, end, createdAt, updatedAt, notes, reason: {emoji, reason},
reasonId, user: {id, name, username, email, timeZone}, toUser}}}``; ``toUser`` is the covering
user in the same shape, or null. Only the user's own webhooks (not event-type ones) receive it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.envelope import iso_utc
from slotwise.models import OutOfOffice, User
from slotwise.webhooks.events import enqueue_deliveries, wrapped
from slotwise.webhooks.repository import subscribed_webhooks

TRIGGER = "OOO_CREATED"
REASONS: dict[str, tuple[str, str, int]] = {
    # our reason → Cal.com's default reason: (emoji, translation key, reasonId)
    "unspecified": ("🕒", "ooo_reasons_unspecified", 1),
    "vacation": ("🏝️", "ooo_reasons_vacation", 2),
    "travel": ("🛫", "ooo_reasons_travel", 3),
    "sick": ("🤒", "ooo_reasons_sick_leave", 4),
    "public_holiday": ("📆", "ooo_reasons_public_holiday", 5),
}


def _user(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "id": user.id,
        "name": user.name,
        "username": user.username,
        "email": user.email,
        "timeZone": user.time_zone,
    }


def ooo_entry_payload(
    entry: OutOfOffice, user: User | None, to_user: User | None
) -> dict[str, Any]:
    """The ``payload`` of an OOO_CREATED body for ``entry`` (times as UTC ISO 8601)."""
    emoji, key, reason_id = REASONS.get(entry.reason, REASONS["unspecified"])
    created = iso_utc(entry.created_at)
    return {
        "oooEntry": {
            "id": entry.id,
            "uuid": entry.uuid,
            "start": iso_utc(entry.start),
            "end": iso_utc(entry.end),
            "createdAt": created,
            "updatedAt": created,
            "notes": entry.notes,
            "reason": {"emoji": emoji, "reason": key},
            "reasonId": reason_id,
            "user": _user(user),
            "toUser": _user(to_user),
        }
    }


async def on_ooo_entry_created(session: AsyncSession, entry: OutOfOffice) -> None:
    """Enqueue one OOO_CREATED delivery per active webhook of the entry's user subscribed to it."""
    hooks = await subscribed_webhooks(session, entry.user_id, None)
    if not hooks:
        return
    user = await session.get(User, entry.user_id)
    to_user = await session.get(User, entry.to_user_id) if entry.to_user_id else None
    body = wrapped(TRIGGER, ooo_entry_payload(entry, user, to_user), entry.created_at)
    await enqueue_deliveries(session, hooks, TRIGGER, body, dedupe=f"ooo:{entry.uuid}")
