"""Queries of slot listing and reservations (seat counts, overlapping bookings, reservations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import Attendee, Booking, SlotReservation


@dataclass(frozen=True, slots=True)
class SeatedBooking:
    """An accepted booking of a seated event type: UTC times, stored buffers (minutes) and the
    number of its attendees (seats taken)."""

    uid: str
    start: datetime
    end: datetime
    before_buffer: int
    after_buffer: int
    attendees: int


async def seated_bookings(
    session: AsyncSession,
    event_type_id: int,
    start: datetime,
    end: datetime,
    *,
    exclude_uid: str | None = None,
) -> list[SeatedBooking]:
    """Accepted bookings of ``event_type_id`` starting in ``[start, end]`` (UTC) with their
    attendee counts, oldest first. One query."""
    query = (
        select(
            Booking.uid,
            Booking.start_time,
            Booking.end_time,
            Booking.before_buffer,
            Booking.after_buffer,
            func.count(Attendee.id),
        )
        .outerjoin(Attendee, Attendee.booking_id == Booking.id)
        .where(
            Booking.event_type_id == event_type_id,
            Booking.status == "accepted",
            Booking.start_time >= start,
            Booking.start_time <= end,
        )
        .group_by(
            Booking.id,
            Booking.uid,
            Booking.start_time,
            Booking.end_time,
            Booking.before_buffer,
            Booking.after_buffer,
        )
        .order_by(Booking.id)
    )
    if exclude_uid:
        query = query.where(Booking.uid != exclude_uid)
    rows = (await session.execute(query)).all()
    return [SeatedBooking(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in rows]


async def reservation_by_uid(session: AsyncSession, uid: str) -> SlotReservation | None:
    """The reservation ``uid`` (expired or not), or None."""
    found: SlotReservation | None = await session.scalar(
        select(SlotReservation).where(SlotReservation.uid == uid)
    )
    return found


async def delete_expired_reservations(session: AsyncSession, host_id: int, now: datetime) -> None:
    """Remove the expired reservations of ``host_id`` (housekeeping; they block nothing)."""
    await session.execute(
        delete(SlotReservation).where(
            SlotReservation.user_id == host_id, SlotReservation.reserved_until <= now
        )
    )


async def organizer_of(session: AsyncSession, uid: str, event_type_id: int) -> int | None:
    """The organizer (user id) of booking ``uid`` of ``event_type_id``, or None."""
    found: int | None = await session.scalar(
        select(Booking.user_id).where(Booking.uid == uid, Booking.event_type_id == event_type_id)
    )
    return found
