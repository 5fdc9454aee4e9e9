"""Out of office for the authenticated user: /v2/me/ooo (POST, GET list, PATCH, DELETE).

Shapes: ``CreateOutOfOfficeEntryDto`` / ``UpdateOutOfOfficeEntryDto`` in (:mod:`.schemas`),
``UserOooOutputDto`` out (:mod:`.output`); the rules are in :mod:`.service`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import CountParam, IdParam, Whole
from slotwise.kit.session import DbSession
from slotwise.ooo import service
from slotwise.ooo.output import ooo_output
from slotwise.ooo.schemas import CreateOooInput, UpdateOooInput

router = APIRouter(tags=["Out of office"])


@router.post("/v2/me/ooo", status_code=201, summary="Create an out-of-office entry")
async def create_ooo(body: CreateOooInput, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """Create an entry for the caller; 400 for bad dates or ``toUserId``, 409 on overlap."""
    return ok(ooo_output(await service.create_entry(session, user, body)))


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
    rows = await service.list_entries(
        session, user, sort_start=sortStart, sort_end=sortEnd, skip=skip, take=take
    )
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
    return ok(ooo_output(await service.update_entry(session, user, oooId, body)))


@router.delete("/v2/me/ooo/{oooId}", summary="Delete an out-of-office entry")
async def delete_ooo(
    oooId: IdParam,
    user: CurrentUser,
    session: DbSession,
) -> dict[str, Any]:
    """Delete the caller's entry and return it; 404 for someone else's or a missing one."""
    return ok(ooo_output(await service.delete_entry(session, user, oooId)))
