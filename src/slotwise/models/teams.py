"""Teams, their memberships and invitation links (Cal.com's ``Team``, ``Membership`` and the
team invite ``VerificationToken``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slotwise.models.base import Base, JSONType, UTCDateTime, utcnow

ROLES = ("MEMBER", "ADMIN", "OWNER")
"""Membership roles, lowest to highest (Cal.com's ``MembershipRole``)."""


class Team(Base):
    """A team: people who share event types (collective, round robin, managed).

    ``slug`` is unique among teams (None until given). ``profile`` holds the presentation fields
    of Cal.com's ``CreateTeamInput`` as given (logoUrl, bio, brandColor, theme, timeZone, …).
    ``booking_limits``: ``{"PER_DAY": n, ...}`` counted over all the team's event types
    (cal-semantics.md §3.4), with managed children when ``include_managed_events_in_limits``.
    ``rr_reset_interval`` (``MONTH`` | ``DAY``) and ``rr_timestamp_basis`` (``CREATED_AT`` |
    ``START_TIME``) are Slotwise extensions: the window and clock of round-robin fairness.
    ``parent_id`` is the organization the team belongs to (organizations come later).
    """

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str | None] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    is_organization: Mapped[bool] = mapped_column(Boolean, default=False)
    profile: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    booking_limits: Mapped[dict[str, int] | None] = mapped_column(JSONType)
    include_managed_events_in_limits: Mapped[bool] = mapped_column(Boolean, default=False)
    rr_reset_interval: Mapped[str] = mapped_column(String(10), default="MONTH")
    rr_timestamp_basis: Mapped[str] = mapped_column(String(12), default="CREATED_AT")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Membership(Base):
    """``user_id``'s membership of ``team_id`` with a ``role`` (one of :data:`ROLES`).

    A membership that is not ``accepted`` gives no access and never makes its user a host.
    """

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_memberships_team_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="MEMBER")
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    disable_impersonation: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamInvite(Base):
    """An invitation link to ``team_id``: ``token`` (64 hex characters) valid until
    ``expires_at`` (UTC; Cal.com: 7 days). Whoever holds it may join the team as MEMBER."""

    __tablename__ = "team_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
