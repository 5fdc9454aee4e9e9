"""Connected calendars (issue 14): credentials, selected and destination calendars, and the
booking references of events written to them. Cal.com's ``Credential``, ``SelectedCalendar``,
``DestinationCalendar`` and ``BookingReference`` models, with Cal.com's field names in the API.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slotwise.kit.crypto import EncryptedText
from slotwise.models.base import Base, UTCDateTime, utcnow


class CalendarCredential(Base):
    """A user's connection to a calendar provider (Cal.com's ``Credential`` of a calendar app).

    ``type`` is Cal.com's integration type (``apple_calendar``, ``ics-feed_calendar``, our
    ``caldav_calendar``; later ``google_calendar``, ``office365_calendar``) and ``app_id`` its
    app slug (``apple``, ``ics-feed``, ``caldav``…). ``key`` is the provider's secret material
    as JSON text (CalDAV: url, username, password; ICS: urls; OAuth: tokens), encrypted at rest
    (:class:`~slotwise.kit.crypto.EncryptedText`, covered by ``slotwise secrets rotate``), never
    returned by an endpoint nor logged. ``invalid`` is Cal.com's flag for credentials that stopped
    working (set when the provider refuses them); ``last_error`` the last failure's message (no
    secrets), ``checked_at`` when the provider last answered or failed (UTC)."""

    __tablename__ = "calendar_credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(60))
    app_id: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(EncryptedText())
    invalid: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SelectedCalendar(Base):
    """A calendar whose events make its owner busy (Cal.com's ``SelectedCalendar``): one of
    the calendars of ``credential_id``, named by ``integration`` (the credential's type) and
    ``external_id`` (the provider's id: a CalDAV collection URL, an ICS feed URL…)."""

    __tablename__ = "selected_calendars"
    __table_args__ = (
        UniqueConstraint("user_id", "integration", "external_id", name="uq_selected_calendars"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("calendar_credentials.id", ondelete="CASCADE"), index=True
    )
    integration: Mapped[str] = mapped_column(String(60))
    external_id: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DestinationCalendar(Base):
    """Where bookings are written (Cal.com's ``DestinationCalendar``): a user's (``user_id``
    set) or an event type's (``event_type_id`` set, overriding its hosts' own); at most one
    each."""

    __tablename__ = "destination_calendars"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    event_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), unique=True
    )
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("calendar_credentials.id", ondelete="CASCADE"), index=True
    )
    integration: Mapped[str] = mapped_column(String(60))
    external_id: Mapped[str] = mapped_column(String(2000))
    primary_email: Mapped[str | None] = mapped_column(String(320))


class BookingReference(Base):
    """An external object made for a booking (Cal.com's ``BookingReference``): an event in a
    calendar (``type`` the integration, ``uid`` the event's uid there, ``external_calendar_id``
    the calendar it is in, ``credential_id`` the connection used). One per booking, type and
    calendar, so writing again (a retried job) updates the same row."""

    __tablename__ = "booking_references"
    __table_args__ = (
        Index("ix_booking_references_booking_id", "booking_id"),
        UniqueConstraint(
            "booking_id", "type", "external_calendar_id", name="uq_booking_references_target"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(60))
    uid: Mapped[str] = mapped_column(String(2000))
    external_calendar_id: Mapped[str | None] = mapped_column(String(2000))
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("calendar_credentials.id", ondelete="SET NULL")
    )
    meeting_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
