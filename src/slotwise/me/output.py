"""Response shape of /v2/me: Cal.com's ``MeOutput``."""

from __future__ import annotations

from typing import Any

from slotwise.me.booking_limits import limits_output
from slotwise.models import User


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
