"""Response shapes: ``TeamOutputDto`` (with the Slotwise extensions), ``TeamMembershipOutput``
(with its nested ``MembershipUserOutputDto``) and ``InviteDataDto``."""

from __future__ import annotations

from typing import Any

from slotwise.models import Membership, Team, User

TEAM_DEFAULTS: dict[str, Any] = {
    "hideBranding": False,
    "isPrivate": False,
    "hideBookATeamMember": False,
    "metadata": {},
    "timeZone": "Europe/London",
    "weekStart": "Sunday",
}
"""Cal.com's defaults for the team fields a team was created without."""

_OPTIONAL = (
    "logoUrl",
    "calVideoLogo",
    "appLogo",
    "appIconLogo",
    "bio",
    "theme",
    "brandColor",
    "darkBrandColor",
    "bannerUrl",
    "timeFormat",
)


def team_output(team: Team) -> dict[str, Any]:
    """The ``TeamOutputDto`` of ``team``: presentation fields never set are left out (the
    reference types them as non-null strings), booleans, metadata, timeZone and weekStart take
    Cal.com's defaults. Extensions: ``rrResetInterval``, ``rrTimestampBasis``, ``bookingLimits``
    (``{"PER_DAY": n, ...}`` or null) and ``includeManagedEventsInLimits``."""
    profile = team.profile or {}
    out: dict[str, Any] = {"id": team.id}
    if team.parent_id is not None:
        out["parentId"] = team.parent_id
    out["name"] = team.name
    if team.slug is not None:
        out["slug"] = team.slug
    for key in _OPTIONAL:
        if profile.get(key) is not None:
            out[key] = profile[key]
    for key, default in TEAM_DEFAULTS.items():
        value = profile.get(key)
        out[key] = default if value is None else value
    out["isOrganization"] = bool(team.is_organization)
    out["bookingLimits"] = team.booking_limits or None
    out["includeManagedEventsInLimits"] = bool(team.include_managed_events_in_limits)
    out["rrResetInterval"] = team.rr_reset_interval
    out["rrTimestampBasis"] = team.rr_timestamp_basis
    return out


def membership_user_output(user: User) -> dict[str, Any]:
    """The ``MembershipUserOutputDto`` of ``user`` (email always; the others when set)."""
    out: dict[str, Any] = {"email": user.email}
    if user.avatar_url:
        out["avatarUrl"] = user.avatar_url
    out["username"] = user.username
    if user.name is not None:
        out["name"] = user.name
    if user.bio is not None:
        out["bio"] = user.bio
    out["metadata"] = user.metadata_ or {}
    return out


def membership_output(membership: Membership, user: User) -> dict[str, Any]:
    """The ``TeamMembershipOutput`` of ``membership`` whose user is ``user``."""
    return {
        "id": membership.id,
        "userId": membership.user_id,
        "teamId": membership.team_id,
        "accepted": bool(membership.accepted),
        "role": membership.role,
        "disableImpersonation": bool(membership.disable_impersonation),
        "user": membership_user_output(user),
    }


def invite_output(token: str, base_url: str) -> dict[str, Any]:
    """``InviteDataDto``: the token and the link of the host web app's invitation page
    (``{base_url}/app/teams/invite/{token}``)."""
    return {"token": token, "inviteLink": f"{base_url}/app/teams/invite/{token}"}
