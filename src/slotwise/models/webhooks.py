"""Webhook subscriptions and their delivery log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slotwise.kit.crypto import EncryptedText
from slotwise.models.base import Base, JSONType, UTCDateTime, utcnow


class Webhook(Base):
    """A subscription: POST the payload of each of ``triggers`` to ``subscriber_url``.

    Owned by ``user_id``. With ``event_type_id`` set it is an event-type webhook (fires only for
    bookings of that event type); without, a user webhook (fires for every booking the user
    hosts). ``secret`` signs deliveries (HMAC-SHA256); it is shown only to the owner, never
    logged, and stored encrypted (:class:`slotwise.kit.crypto.EncryptedText`).
    ``payload_template``: Cal.com's custom payload template, or None.
    """

    __tablename__ = "webhooks"
    __table_args__ = (Index("ix_webhooks_user_event_type", "user_id", "event_type_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), index=True
    )
    subscriber_url: Mapped[str] = mapped_column(String(2000))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    triggers: Mapped[list[str]] = mapped_column(JSONType, default=list)
    secret: Mapped[str | None] = mapped_column(EncryptedText())
    payload_template: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(20), default="2021-10-20")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class WebhookDelivery(Base):
    """One attempt to deliver one event to one webhook (our extension: the delivery log).

    ``status_code`` is the receiver's HTTP status (None when no response arrived, then
    ``error`` says why); ``duration_ms`` the time from sending to the response, in
    milliseconds; ``attempt`` the job attempt (1 = first try); ``job_id`` the delivery job,
    used to redeliver.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_webhook_id", "webhook_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    job_id: Mapped[int | None] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(60))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    success: Mapped[bool] = mapped_column(Boolean, default=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
