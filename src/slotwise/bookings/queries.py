"""Every booking query: load by uid, attendees in bulk, the host's filtered list, overlap checks.

A booking is always loaded together with its organizer and event type (one joined statement);
attendees of any number of bookings come in one more statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings.schemas import ListBookingsQuery
from slotwise.kit.errors import NotFound
from slotwise.models import Attendee, Booking, EventType, SlotReservation, User
from slotwise.slots.loader import MAX_BUFFER

ACTIVE = ("accepted", "pending")


@dataclass
class LoadedBooking:
    """A booking with its organizer and event type (None when the event type was deleted)."""

    booking: Booking
    host: User
    event_type: EventType | None

    @property
    def slug(self) -> str | None:
        """The event type's slug, if it still exists."""
        return self.event_type.slug if self.event_type is not None else None


def _joined() -> Select[Booking, User, EventType]:
    return (
        select(Booking, User, EventType)
        .join(User, User.id == Booking.user_id)
        .outerjoin(EventType, EventType.id == Booking.event_type_id)
    )


def not_found(uid: str) -> NotFound:
    """Cal.com's 404 for an unknown booking uid."""
    return NotFound(f"Booking with uid={uid} not found")


async def load_booking(session: AsyncSession, uid: str) -> LoadedBooking:
    """The booking ``uid`` with its host and event type; 404 "Booking with uid=X not found"."""
    row = (await session.execute(_joined().where(Booking.uid == uid))).first()
    if row is None:
        raise not_found(uid)
    return LoadedBooking(row[0], row[1], row[2])


async def reload(session: AsyncSession, booking: Booking) -> Booking:
    """Re-read ``booking`` from the database (after taking the host lock, to see the state the
    previous lock holder committed)."""
    await session.refresh(booking)
    return booking


async def attendees_by_booking(
    session: AsyncSession, booking_ids: Sequence[int]
) -> dict[int, list[Attendee]]:
    """Attendees of each booking id (booker first), in one query."""
    out: dict[int, list[Attendee]] = {bid: [] for bid in booking_ids}
    if not booking_ids:
        return out
    rows = await session.scalars(
        select(Attendee).where(Attendee.booking_id.in_(booking_ids)).order_by(Attendee.id)
    )
    for attendee in rows:
        out[attendee.booking_id].append(attendee)
    return out


async def active_reservation_overlapping(
    session: AsyncSession, user_id: int, start: datetime, end: datetime, now: datetime
) -> SlotReservation | None:
    """An unexpired reservation of host ``user_id`` overlapping ``[start, end)`` (any event
    type), or None."""
    result: SlotReservation | None = await session.scalar(
        select(SlotReservation)
        .where(
            SlotReservation.user_id == user_id,
            SlotReservation.reserved_until > now,
            SlotReservation.slot_start < end,
            SlotReservation.slot_end > start,
        )
        .order_by(SlotReservation.id)
        .limit(1)
    )
    return result


async def consume_reservation(session: AsyncSession, uid: str, user_id: int) -> None:
    """Delete the reservation ``uid`` of host ``user_id`` (it became a booking)."""
    await session.execute(
        delete(SlotReservation).where(
            SlotReservation.uid == uid, SlotReservation.user_id == user_id
        )
    )


async def accepted_conflict(session: AsyncSession, booking: Booking, host: User) -> bool:
    """True when another accepted booking of ``host`` (as organizer or attendee) overlaps
    ``booking``, both widened by their buffers (the same symmetric rule as the engine)."""
    attendee_of = select(Attendee.booking_id).where(Attendee.email == host.email)
    lo, hi = booking.start_time - MAX_BUFFER, booking.end_time + MAX_BUFFER
    rows = (
        await session.execute(
            select(
                Booking.start_time, Booking.end_time, Booking.before_buffer, Booking.after_buffer
            ).where(
                Booking.status == "accepted",
                Booking.id != booking.id,
                Booking.start_time < hi,
                Booking.end_time > lo,
                or_(Booking.user_id == host.id, Booking.id.in_(attendee_of)),
            )
        )
    ).all()
    for row in rows:
        busy_start = row.start_time - timedelta(minutes=row.before_buffer + booking.after_buffer)
        busy_end = row.end_time + timedelta(minutes=row.after_buffer + booking.before_buffer)
        if busy_start < booking.end_time and busy_end > booking.start_time:
            return True
    return False


def _status_condition(name: str, now: datetime) -> ColumnElement[bool]:
    if name == "upcoming":
        return and_(Booking.end_time >= now, Booking.status.in_(ACTIVE))
    if name == "recurring":
        return and_(
            Booking.end_time >= now,
            Booking.status.in_(ACTIVE),
            Booking.recurring_booking_uid.is_not(None),
        )
    if name == "past":
        return and_(Booking.end_time <= now, Booking.status.in_(ACTIVE))
    if name == "cancelled":
        return Booking.status.in_(("cancelled", "rejected"))
    return and_(Booking.end_time >= now, Booking.status == "pending")  # unconfirmed


def _filters(query: ListBookingsQuery, user: User, now: datetime) -> list[ColumnElement[bool]]:
    attendee_of = select(Attendee.booking_id).where(
        func.lower(Attendee.email) == user.email.lower()
    )
    conds: list[ColumnElement[bool]] = [
        or_(Booking.user_id == user.id, Booking.id.in_(attendee_of))
    ]
    statuses = query.statuses()
    if statuses:
        conds.append(or_(*(_status_condition(s, now) for s in statuses)))
    if query.attendeeEmail:
        conds.append(
            Booking.id.in_(
                select(Attendee.booking_id).where(
                    func.lower(Attendee.email) == query.attendeeEmail.strip().lower()
                )
            )
        )
    if query.attendeeName:
        conds.append(
            Booking.id.in_(
                select(Attendee.booking_id).where(
                    func.lower(Attendee.name) == query.attendeeName.strip().lower()
                )
            )
        )
    if query.bookingUid:
        conds.append(Booking.uid == query.bookingUid)
    ids = query.event_type_ids()
    if ids is not None:
        conds.append(Booking.event_type_id.in_(ids))
    if query.team_filter():
        conds.append(Booking.id.is_(None))  # no teams yet: a team filter matches nothing
    bounds: list[tuple[datetime | None, Any]] = [
        (query.afterStart, Booking.start_time.__ge__),
        (query.beforeEnd, Booking.end_time.__le__),
        (query.afterCreatedAt, Booking.created_at.__ge__),
        (query.beforeCreatedAt, Booking.created_at.__le__),
        (query.afterUpdatedAt, Booking.updated_at.__ge__),
        (query.beforeUpdatedAt, Booking.updated_at.__le__),
    ]
    conds.extend(op(value) for value, op in bounds if value is not None)
    return conds


def _order(query: ListBookingsQuery) -> list[Any]:
    columns = (
        (query.sortStart, Booking.start_time),
        (query.sortEnd, Booking.end_time),
        (query.sortCreated, Booking.created_at),
        (query.sortUpdatedAt, Booking.updated_at),
    )
    order = [col.desc() if d == "desc" else col.asc() for d, col in columns if d is not None]
    return [*order, Booking.start_time.asc(), Booking.id.asc()]


async def list_bookings(
    session: AsyncSession, user: User, query: ListBookingsQuery, now: datetime
) -> tuple[list[LoadedBooking], int]:
    """One page of the bookings ``user`` organises or attends, and the total matching.

    Two queries (count, page); attendees are loaded separately by the caller.
    """
    conds = _filters(query, user, now)
    total = await session.scalar(select(func.count()).select_from(Booking).where(*conds))
    rows = (
        await session.execute(
            _joined()
            .where(*conds)
            .order_by(*_order(query))
            .offset(query.skip)
            .limit(query.page_size())
        )
    ).all()
    return [LoadedBooking(r[0], r[1], r[2]) for r in rows], int(total or 0)
