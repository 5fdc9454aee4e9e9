"""HTTP endpoints of /v2/schedules (``cal-api-version: 2024-06-11``), the authenticated user's
own schedules. Bodies and outputs are Cal.com's ``*_2024_06_11`` shapes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import IdParam
from slotwise.kit.session import DbSession
from slotwise.kit.versioning import SCHEDULES, versioned_router
from slotwise.schedules import service
from slotwise.schedules.schemas import CreateScheduleInput, UpdateScheduleInput, schedule_output

router = versioned_router(SCHEDULES, tags=["Schedules"])

ScheduleId = Annotated[IdParam, Path(description="The schedule's id")]


@router.post("/v2/schedules", status_code=201, summary="Create a schedule")
async def create_schedule(
    body: CreateScheduleInput, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Create a schedule; the user's first one, or one sent with ``isDefault: true``, becomes the
    default."""
    schedule = await service.create_schedule(session, user, body)
    return ok(schedule_output(schedule, user.default_schedule_id))


@router.get("/v2/schedules", summary="Get all schedules")
async def get_schedules(user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """Every schedule of the authenticated user, oldest first."""
    schedules = await service.list_schedules(session, user)
    return ok([schedule_output(s, user.default_schedule_id) for s in schedules])


@router.get("/v2/schedules/default", summary="Get default schedule")
async def get_default_schedule(user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """The default schedule, or ``data: null`` when the user has none."""
    schedule = await service.default_schedule(session, user)
    return ok(None if schedule is None else schedule_output(schedule, user.default_schedule_id))


@router.get("/v2/schedules/{scheduleId}", summary="Get a schedule")
async def get_schedule(
    user: CurrentUser, session: DbSession, scheduleId: ScheduleId
) -> dict[str, Any]:
    """One of the user's schedules; 404 for a missing or someone else's schedule."""
    schedule = await service.get_schedule(session, user, scheduleId)
    return ok(schedule_output(schedule, user.default_schedule_id))


@router.patch("/v2/schedules/{scheduleId}", summary="Update a schedule")
async def update_schedule(
    body: UpdateScheduleInput,
    user: CurrentUser,
    session: DbSession,
    scheduleId: ScheduleId,
) -> dict[str, Any]:
    """Update the fields given; ``availability``/``overrides`` replace the stored lists."""
    schedule = await service.update_schedule(session, user, scheduleId, body)
    return ok(schedule_output(schedule, user.default_schedule_id))


@router.delete("/v2/schedules/{scheduleId}", summary="Delete a schedule")
async def delete_schedule(
    user: CurrentUser, session: DbSession, scheduleId: ScheduleId
) -> dict[str, Any]:
    """Delete a schedule (``{"status": "success"}``); the default moves to the oldest remaining."""
    await service.delete_schedule(session, user, scheduleId)
    return {"status": "success"}
