"""HTTP endpoints of the authenticated user: /v2/me (profile, Cal.com ``MeOutput``) and
/v2/me/booking-limits (:mod:`.booking_limits`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.session import DbSession
from slotwise.me import booking_limits, service
from slotwise.me.output import me_output
from slotwise.me.schemas import BookingLimitsInput, UpdateMeInput

router = APIRouter(tags=["Me"])
# Its own router, included after the other resources' (keeps the operations' order).
booking_limits_router = APIRouter(tags=["Me"])


@router.get("/v2/me", summary="Get my profile")
async def get_me(user: CurrentUser) -> dict[str, Any]:
    """The authenticated user's profile."""
    return ok(me_output(user))


@router.patch("/v2/me", summary="Update my profile")
async def update_me(body: UpdateMeInput, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """Update the fields given; 409 when the email belongs to someone else, 400 when
    defaultScheduleId is not one of the user's schedules."""
    await service.update_profile(session, user, body.model_dump(exclude_unset=True))
    return ok(me_output(user))


@booking_limits_router.get("/v2/me/booking-limits", summary="Get my booking limits")
async def get_booking_limits(user: CurrentUser) -> dict[str, Any]:
    """``{perDay, perWeek, perMonth, perYear}``, null when unset."""
    return ok(booking_limits.limits_output(user))


@booking_limits_router.patch("/v2/me/booking-limits", summary="Update my booking limits")
async def update_booking_limits(
    body: BookingLimitsInput, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Merge: given intervals are set (null clears one), omitted ones are kept."""
    await booking_limits.update_limits(session, user, body.model_dump(exclude_unset=True))
    return ok(booking_limits.limits_output(user))


@booking_limits_router.delete(
    "/v2/me/booking-limits", status_code=204, summary="Clear my booking limits"
)
async def clear_booking_limits(user: CurrentUser, session: DbSession) -> Response:
    """Remove every limit; 204 without a body."""
    await booking_limits.clear_limits(session, user)
    return Response(status_code=204)
