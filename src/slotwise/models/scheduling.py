"""Schedules, event types, bookings, attendees, reservations and the booking history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slotwise.models.base import Base, JSONType, UTCDateTime, utcnow


class Schedule(Base):
    """Weekly hours and date overrides in one IANA time zone.

    ``availability``: ``[{"days": ["Monday", ...], "startTime": "09:00", "endTime": "17:00"}]``;
    ``overrides``: ``[{"date": "2024-05-20", "startTime": "12:00", "endTime": "13:00"}]``
    (local wall-clock times, as the user typed them).
    """

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))
    availability: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventType(Base):
    """An event type. Columns hold what queries filter on; ``config`` holds every other field of
    Cal.com's ``CreateEventTypeInput_2024_06_14`` as given (validated by the API schemas).

    Owned by a user (``user_id``; personal event types and managed children) or by a team
    (``team_id``, ``user_id`` None). Slugs are unique per user and per team. A managed child has
    ``parent_id`` = its team parent (the template) and ``user_id`` = the assigned member.
    """

    __tablename__ = "event_types"
    __table_args__ = (
        UniqueConstraint("user_id", "slug", name="uq_event_types_user_slug"),
        UniqueConstraint("team_id", "slug", name="uq_event_types_team_slug"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    length: Mapped[int] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedules.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Teams: the owning team and Cal.com's schedulingType: None for a personal event type, else
    # "collective", "roundRobin" or "managed" (slotwise.scheduling.SCHEDULING_TYPES).
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    scheduling_type: Mapped[str | None] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


PRIORITIES = ("lowest", "low", "medium", "high", "highest")
"""Host priorities as the API names them; stored as their index (0 = lowest … 4 = highest)."""
DEFAULT_PRIORITY = 2
DEFAULT_WEIGHT = 100


class Host(Base):
    """A host of an event type: a user who must be free for its bookings (Cal.com's ``Host``).

    A personal event type has one host, its owner (mandatory). A collective event type needs
    every host free; a round-robin one its ``mandatory`` (Cal.com's ``isFixed``) hosts and one
    member of each host ``group_id``, chosen by ``priority`` (index into ``PRIORITIES``) and
    ``weight``. ``schedule_id``: the host's own availability for this event type (None: the
    event type's schedule, else the user's default).
    """

    __tablename__ = "hosts"
    __table_args__ = (
        UniqueConstraint("event_type_id", "user_id", name="uq_hosts_event_type_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=DEFAULT_PRIORITY)
    weight: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEIGHT)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedules.id", ondelete="SET NULL"), index=True
    )
    group_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Booking(Base):
    """A booking. ``status`` is one of accepted, pending, cancelled, rejected.

    ``start_time``/``end_time`` are UTC instants. ``before_buffer``/``after_buffer`` (minutes)
    are the event type's buffers when it was booked, so availability can widen it correctly.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_user_time", "user_id", "start_time", "end_time"),
        Index("ix_bookings_event_type_time", "event_type_id", "start_time"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_types.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    start_time: Mapped[datetime] = mapped_column(UTCDateTime)
    end_time: Mapped[datetime] = mapped_column(UTCDateTime)
    before_buffer: Mapped[int] = mapped_column(Integer, default=0)
    after_buffer: Mapped[int] = mapped_column(Integer, default=0)
    location: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSONType, default=dict)
    responses: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by: Mapped[str | None] = mapped_column(String(320))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    rescheduled_from_uid: Mapped[str | None] = mapped_column(String(64), index=True)
    rescheduled_to_uid: Mapped[str | None] = mapped_column(String(64))
    rescheduled_by: Mapped[str | None] = mapped_column(String(320))
    reschedule_reason: Mapped[str | None] = mapped_column(Text)
    absent_host: Mapped[bool] = mapped_column(Boolean, default=False)
    ical_uid: Mapped[str] = mapped_column(String(200))
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0)
    recurring_booking_uid: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BookingHost(Base):
    """A host of a booking besides its organizer (``Booking.user_id``): a collective booking
    has every other host of the event type here, and blocks each of them like its organizer.
    Personal and round-robin bookings have none."""

    __tablename__ = "booking_hosts"

    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Attendee(Base):
    """A person attending a booking; the lowest id is the booker. In a seated booking every
    attendee holds one seat (``seat_uid``) with its own booking-field responses."""

    __tablename__ = "attendees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), index=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(10))
    phone_number: Mapped[str | None] = mapped_column(String(40))
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Seated bookings only: the attendee's seat (Cal.com's BookingSeat.referenceUid, a UUID4)
    # and the seat's own data ``{"responses": {...}, "metadata": {...}}``.
    seat_uid: Mapped[str | None] = mapped_column(String(64), unique=True)
    seat_data: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class SlotReservation(Base):
    """A slot held for a booker until ``reserved_until`` (UTC)."""

    __tablename__ = "slot_reservations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    event_type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime)
    reserved_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BookingEvent(Base):
    """One entry of a booking's history: created, requested, confirmed, rejected, rescheduled,
    cancelled, no_show. Written by :mod:`slotwise.bookings.history` in the same transaction as
    the change."""

    __tablename__ = "booking_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str | None] = mapped_column(String(320))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
