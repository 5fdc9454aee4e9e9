"""Account-level tables: out-of-office entries, private links, credit balances and charges.

User booking limits live on ``users.booking_limits`` (see :class:`slotwise.models.User`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slotwise.models.base import Base, UTCDateTime, utcnow


class OutOfOffice(Base):
    """An out-of-office period of ``user_id`` (UTC instants ``start`` … ``end``).

    ``to_user_id``: the user covering (Cal.com ``toUserId``); ``reason`` one of
    unspecified/vacation/travel/sick/public_holiday.
    """

    __tablename__ = "out_of_office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32), default="unspecified")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrivateLink(Base):
    """A private (hashed) booking link of an event type.

    Time-based when ``expires_at`` is set, else usage-based with ``max_usage_count`` uses;
    ``usage_count`` counts bookings made through it.
    """

    __tablename__ = "private_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_usage_count: Mapped[int | None] = mapped_column(Integer)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CreditAccount(Base):
    """A user's credits: a monthly allowance (``monthly_remaining`` of it left in ``period``,
    ``"YYYY-MM"`` UTC) and ``additional`` credits that do not reset."""

    __tablename__ = "credit_accounts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    monthly_allowance: Mapped[int] = mapped_column(Integer, default=0)
    monthly_remaining: Mapped[int] = mapped_column(Integer, default=0)
    period: Mapped[str] = mapped_column(String(7))
    additional: Mapped[int] = mapped_column(Integer, default=0)


class CreditCharge(Base):
    """One charge; ``external_ref`` (when given) is unique per user, so a retried charge is
    recorded once."""

    __tablename__ = "credit_charges"
    __table_args__ = (UniqueConstraint("user_id", "external_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credits: Mapped[int] = mapped_column(Integer)
    from_monthly: Mapped[int] = mapped_column(Integer)
    from_additional: Mapped[int] = mapped_column(Integer)
    credit_for: Mapped[str] = mapped_column(String(32))
    external_ref: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
