"""Out of office for the authenticated user: /v2/me/ooo (POST, GET list, PATCH, DELETE).

Shapes: ``CreateOutOfOfficeEntryDto`` / ``UpdateOutOfOfficeEntryDto`` in, ``UserOooOutputDto``
out. An entry blocks whole UTC days, from the day of ``start`` through the day of ``end``
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
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy import UnaryExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.envelope import iso_utc, ok
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import CountParam, Id, IdParam, Instant, StrictInput, Whole
from slotwise.kit.session import DbSession
from slotwise.models import OutOfOffice, User
from slotwise.policy.ooo import manageable_ooo, manageable_ooo_entry, may_forward_to

router = APIRouter(tags=["Out of office"])

Reason = Literal["unspecified", "vacation", "travel", "sick", "public_holiday"]
OooHook = Callable[[AsyncSession, OutOfOffice], Awaitable[None]]
_hooks: list[OooHook] = []


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


class CreateOooInput(StrictInput):
    """``CreateOutOfOfficeEntryDto``: UTC instants ``start`` < ``end``."""

    start: Instant
    end: Instant
    notes: str | None = Field(default=None, max_length=2000)
    toUserId: Id | None = None
    reason: Reason = "unspecified"


class UpdateOooInput(StrictInput):
    """``UpdateOutOfOfficeEntryDto``: every field optional."""

    start: Instant | None = None
    end: Instant | None = None
    notes: str | None = Field(default=None, max_length=2000)
    toUserId: Id | None = None
    reason: Reason | None = None


def ooo_output(entry: OutOfOffice) -> dict[str, Any]:
    """The ``UserOooOutputDto`` of ``entry``."""
    return {
        "id": entry.id,
        "uuid": entry.uuid,
        "userId": entry.user_id,
        "toUserId": entry.to_user_id,
        "start": iso_utc(entry.start),
        "end": iso_utc(entry.end),
        "notes": entry.notes,
        "reason": entry.reason,
    }


FORWARD_REFUSED = "toUserId: bookings can only be forwarded to a member of a team you belong to."


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
    overlap = (
        select(func.count())
        .select_from(OutOfOffice)
        .where(manageable_ooo(user), OutOfOffice.start < end, OutOfOffice.end > start)
    )
    if exclude_id is not None:
        overlap = overlap.where(OutOfOffice.id != exclude_id)
    if await session.scalar(overlap):
        raise Conflict("An out of office entry already exists for these dates.")


@router.post("/v2/me/ooo", status_code=201, summary="Create an out-of-office entry")
async def create_ooo(body: CreateOooInput, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """Create an entry for the caller; 400 for bad dates or ``toUserId``, 409 on overlap."""
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
    return ok(ooo_output(entry))


@router.get("/v2/me/ooo", summary="Get my out-of-office entries")
async def list_ooo(
    user: CurrentUser,
    session: DbSession,
    take: Annotated[int, Whole(1, 250, text=True), Query()] = 250,
    skip: Annotated[CountParam, Query()] = 0,
    sortStart: Literal["asc", "desc"] | None = None,
    sortEnd: Literal["asc", "desc"] | None = None,
) -> dict[str, Any]:
    """The caller's entries, ``skip``/``take`` paged, by start (``sortStart``) and/or end
    (``sortEnd``), else by id."""
    query = select(OutOfOffice).where(manageable_ooo(user))
    order: list[UnaryExpression[Any]] = []
    if sortStart:
        order.append(OutOfOffice.start.asc() if sortStart == "asc" else OutOfOffice.start.desc())
    if sortEnd:
        order.append(OutOfOffice.end.asc() if sortEnd == "asc" else OutOfOffice.end.desc())
    order.append(OutOfOffice.id.asc())
    rows = await session.scalars(query.order_by(*order).offset(skip).limit(take))
    return ok([ooo_output(e) for e in rows])


@router.patch("/v2/me/ooo/{oooId}", summary="Update an out-of-office entry")
async def update_ooo(
    oooId: IdParam,
    body: UpdateOooInput,
    user: CurrentUser,
    session: DbSession,
) -> dict[str, Any]:
    """Change the fields given; 404 for someone else's or a missing entry, 400/409 as create.
    ``toUserId: null`` removes the forwarding."""
    entry = await manageable_ooo_entry(session, user, oooId)
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
    return ok(ooo_output(entry))


@router.delete("/v2/me/ooo/{oooId}", summary="Delete an out-of-office entry")
async def delete_ooo(
    oooId: IdParam,
    user: CurrentUser,
    session: DbSession,
) -> dict[str, Any]:
    """Delete the caller's entry and return it; 404 for someone else's or a missing one."""
    entry = await manageable_ooo_entry(session, user, oooId)
    output = ooo_output(entry)
    await session.delete(entry)
    await session.flush()
    return ok(output)
