"""Out-of-office rules: create, list, update and delete the caller's entries.

An entry blocks whole UTC days, from the day of ``start`` through the day of ``end``
(cal-semantics §2.7): those days offer no slots and bookings on them are refused with Cal.com's
unavailable message (:func:`slotwise.availability.loader.load_busy` reads them with the hosts'
other busy time).

Hooks: :func:`on_ooo_created` registers ``async hook(session, entry)`` callbacks run, in
registration order, in the request's transaction after an entry is created (for OOO_CREATED
webhooks: enqueue a job row there); the application's are listed in
:data:`slotwise.hooks.OOO_HOOKS`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import BadRequest, Conflict
from slotwise.models import OutOfOffice, User
from slotwise.ooo import repository
from slotwise.ooo.repository import Direction
from slotwise.ooo.schemas import CreateOooInput, UpdateOooInput
from slotwise.policy.ooo import manageable_ooo, manageable_ooo_entry, may_forward_to

OooHook = Callable[[AsyncSession, OutOfOffice], Awaitable[None]]
_hooks: list[OooHook] = []

FORWARD_REFUSED = "toUserId: bookings can only be forwarded to a member of a team you belong to."


def on_ooo_created(hook: OooHook) -> OooHook:
    """Register ``hook(session, entry)``, run after each out-of-office entry is created, in
    the same transaction (usable as a decorator; registering twice has no effect)."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def remove_ooo_hook(hook: OooHook) -> None:
    """Unregister a hook added with :func:`on_ooo_created` (tests)."""
    if hook in _hooks:
        _hooks.remove(hook)


def ooo_hooks() -> tuple[OooHook, ...]:
    """The registered out-of-office hooks, in the order they run."""
    return tuple(_hooks)


async def _check(
    session: AsyncSession,
    user: User,
    start: datetime,
    end: datetime,
    to_user_id: int | None,
    exclude_id: int | None = None,
) -> None:
    """400 for ``end <= start``, forwarding to oneself or to an unknown user; 409 when another
    entry of the user overlaps ``[start, end]``."""
    if end <= start:
        raise BadRequest("Start date must be before end date.")
    if to_user_id is not None:
        if to_user_id == user.id:
            raise BadRequest("You cannot forward your bookings to yourself.")
        if not await may_forward_to(session, user, to_user_id):
            raise BadRequest(FORWARD_REFUSED)
    if await repository.overlaps(session, manageable_ooo(user), start, end, exclude_id):
        raise Conflict("An out of office entry already exists for these dates.")


async def create_entry(session: AsyncSession, user: User, body: CreateOooInput) -> OutOfOffice:
    """Create an entry for ``user`` and run the hooks; 400 for bad dates or ``toUserId``, 409
    on overlap."""
    await _check(session, user, body.start, body.end, body.toUserId)
    entry = OutOfOffice(
        uuid=str(uuid.uuid4()),
        user_id=user.id,
        to_user_id=body.toUserId,
        start=body.start,
        end=body.end,
        notes=body.notes,
        reason=body.reason,
    )
    session.add(entry)
    await session.flush()
    for hook in list(_hooks):
        await hook(session, entry)
    return entry


async def list_entries(
    session: AsyncSession,
    user: User,
    *,
    sort_start: Direction | None,
    sort_end: Direction | None,
    skip: int,
    take: int,
) -> Sequence[OutOfOffice]:
    """``user``'s entries, paged, by start and/or end when asked, else by id."""
    return await repository.entries_where(
        session,
        manageable_ooo(user),
        sort_start=sort_start,
        sort_end=sort_end,
        skip=skip,
        take=take,
    )


async def update_entry(
    session: AsyncSession, user: User, ooo_id: int, body: UpdateOooInput
) -> OutOfOffice:
    """Change the fields given; 404 for someone else's or a missing entry, 400/409 as create.
    ``toUserId: null`` removes the forwarding."""
    entry = await manageable_ooo_entry(session, user, ooo_id)
    fields = body.model_dump(exclude_unset=True)
    start = fields.get("start") or entry.start
    end = fields.get("end") or entry.end
    to_user = fields.get("toUserId", entry.to_user_id)
    await _check(session, user, start, end, to_user, exclude_id=entry.id)
    entry.start, entry.end, entry.to_user_id = start, end, to_user
    if "notes" in fields:
        entry.notes = fields["notes"]
    if fields.get("reason"):
        entry.reason = fields["reason"]
    await session.flush()
    return entry


async def delete_entry(session: AsyncSession, user: User, ooo_id: int) -> OutOfOffice:
    """Delete ``user``'s entry and return it (deleted); 404 for someone else's or a missing
    one."""
    entry = await manageable_ooo_entry(session, user, ooo_id)
    await session.delete(entry)
    await session.flush()
    return entry
