"""GET and PATCH /v2/me: the authenticated user's profile (Cal.com ``MeOutput``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BeforeValidator, EmailStr, Field, field_validator
from sqlalchemy import func, select

from slotwise.account.user_limits import limits_output
from slotwise.kit.envelope import ok
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import Id, Metadata, NonNull, StrictInput, whole_number
from slotwise.kit.session import DbSession
from slotwise.kit.timezones import check_time_zone
from slotwise.models import User
from slotwise.policy.schedules import find_manageable_schedule

router = APIRouter(tags=["Me"])

WeekDay = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class UpdateMeInput(StrictInput):
    """Cal.com ``UpdateManagedUserInput`` (the body of PATCH /v2/me).

    ``null`` is refused (400 naming the field) for ``email``, ``timeFormat``,
    ``defaultScheduleId``, ``weekStart``, ``timeZone`` and ``metadata``; it leaves ``name``,
    ``locale``, ``avatarUrl`` and ``bio`` unchanged. ``metadata`` follows Cal.com's rules (at
    most 50 keys, keys up to 40 characters, string values up to 500).
    """

    email: NonNull[EmailStr] = None
    name: str | None = Field(default=None, max_length=200)
    timeFormat: NonNull[Annotated[Literal[12, 24], BeforeValidator(whole_number)]] = None
    defaultScheduleId: NonNull[Id] = None
    weekStart: NonNull[WeekDay] = None
    timeZone: NonNull[str] = None
    locale: str | None = Field(default=None, max_length=10)
    avatarUrl: str | None = Field(default=None, max_length=1000)
    bio: str | None = None
    metadata: NonNull[Metadata] = None

    @field_validator("timeZone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)


def me_output(user: User) -> dict[str, Any]:
    """The ``MeOutput`` shape of ``user`` (without ``organization``, as Cal.com answers for a
    user outside any organization)."""
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "avatarUrl": user.avatar_url,
        "bio": user.bio,
        "timeFormat": user.time_format,
        "defaultScheduleId": user.default_schedule_id,
        "weekStart": user.week_start,
        "timeZone": user.time_zone,
        "locale": user.locale,
        "metadata": user.metadata_ or {},
        "bookingLimits": limits_output(user),
        # Cal.com leaves ``organization`` out for a user outside any organization (its
        # ``userSchemaResponse`` marks it optional); Slotwise has no organizations.
        "organizationId": None,
    }


@router.get("/v2/me", summary="Get my profile")
async def get_me(user: CurrentUser) -> dict[str, Any]:
    """The authenticated user's profile."""
    return ok(me_output(user))


@router.patch("/v2/me", summary="Update my profile")
async def update_me(body: UpdateMeInput, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """Update the fields given; 409 when the email belongs to someone else, 400 when
    defaultScheduleId is not one of the user's schedules."""
    fields = body.model_dump(exclude_unset=True)
    if "email" in fields and fields["email"] != user.email:
        taken = await session.scalar(
            select(func.count()).select_from(User).where(User.email == fields["email"])
        )
        if taken:
            raise Conflict("A user with this email already exists")
        user.email = fields["email"]
    if "defaultScheduleId" in fields:
        schedule_id = fields["defaultScheduleId"]
        if await find_manageable_schedule(session, user, schedule_id) is None:
            raise BadRequest(f"Schedule with id {schedule_id} is not one of your schedules")
        user.default_schedule_id = schedule_id
    simple = {
        "name": "name",
        "timeFormat": "time_format",
        "weekStart": "week_start",
        "timeZone": "time_zone",
        "locale": "locale",
        "avatarUrl": "avatar_url",
        "bio": "bio",
        "metadata": "metadata_",
    }
    for field, attr in simple.items():
        if field in fields and fields[field] is not None:
            setattr(user, attr, fields[field])
    await session.flush()
    return ok(me_output(user))
