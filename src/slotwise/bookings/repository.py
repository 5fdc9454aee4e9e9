"""Every booking query: load by uid, attendees in bulk, the caller's filtered list, overlap checks.

A booking is always loaded together with its organizer and event type (one joined statement);
attendees of any number of bookings come in one more statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings.schemas import ListBookingsQuery
from slotwise.kit.errors import NotFound
from slotwise.models import (
    Attendee,
    Booking,
    BookingEvent,
    BookingHost,
    EventType,
    Host,
    SlotReservation,
    User,
)
from slotwise.policy.bookings import readable_bookings

ACTIVE = ("accepted", "pending")


@dataclass
class LoadedBooking:
    """A booking with its organizer and event type (None when the event type was deleted)."""

    booking: Booking
    organizer: User
    event_type: EventType | None

    @property
    def slug(self) -> str | None:
        """The event type's slug, if it still exists."""
        return self.event_type.slug if self.event_type is not None else None


def joined() -> Select[Booking, User, EventType]:
    """SELECT booking, organizer, event type (outer join: it may have been deleted)."""
    return (
        select(Booking, User, EventType)
        .join(User, User.id == Booking.user_id)
        .outerjoin(EventType, EventType.id == Booking.event_type_id)
    )


def not_found(uid: str) -> NotFound:
    """Cal.com's 404 for an unknown booking uid."""
    return NotFound(f"Booking with uid={uid} not found")


async def load_booking(session: AsyncSession, uid: str) -> LoadedBooking:
    """The booking ``uid`` with its organizer and event type; 404 "Booking with uid=X not found"."""
    row = (await session.execute(joined().where(Booking.uid == uid))).first()
    if row is None:
        raise not_found(uid)
    return LoadedBooking(row[0], row[1], row[2])


async def load_series(session: AsyncSession, recurring_uid: str) -> list[LoadedBooking]:
    """Every occurrence of the recurring series ``recurring_uid`` (any status), by start;
    empty when there is none."""
    rows = (
        await session.execute(
            joined()
            .where(Booking.recurring_booking_uid == recurring_uid)
            .order_by(Booking.start_time, Booking.id)
        )
    ).all()
    return [LoadedBooking(r[0], r[1], r[2]) for r in rows]


async def seat_attendee(session: AsyncSession, seat_uid: str) -> Attendee | None:
    """The attendee holding seat ``seat_uid``, or None."""
    found: Attendee | None = await session.scalar(
        select(Attendee).where(Attendee.seat_uid == seat_uid)
    )
    return found


async def load_by_seat(session: AsyncSession, seat_uid: str) -> LoadedBooking:
    """The booking holding seat ``seat_uid``; 404 "Booking with seatUid=X not found"."""
    row = (
        await session.execute(
            joined()
            .join(Attendee, Attendee.booking_id == Booking.id)
            .where(Attendee.seat_uid == seat_uid)
        )
    ).first()
    if row is None:
        raise NotFound(f"Booking with seatUid={seat_uid} not found")
    return LoadedBooking(row[0], row[1], row[2])


async def seated_booking_at(
    session: AsyncSession, event_type_id: int, start: datetime
) -> Booking | None:
    """The oldest accepted booking of ``event_type_id`` starting exactly at ``start`` (the
    seated booking a new seat joins), or None."""
    found: Booking | None = await session.scalar(
        select(Booking)
        .where(
            Booking.event_type_id == event_type_id,
            Booking.status == "accepted",
            Booking.start_time == start,
        )
        .order_by(Booking.id)
        .limit(1)
    )
    return found


async def seat_reservations_at(
    session: AsyncSession,
    event_type_id: int,
    start: datetime,
    now: datetime,
    *,
    exclude_uid: str | None,
) -> int:
    """Unexpired reservations of ``event_type_id`` for exactly ``start`` (seats held by other
    bookers), except the caller's own ``exclude_uid``."""
    query = select(func.count()).where(
        SlotReservation.event_type_id == event_type_id,
        SlotReservation.slot_start == start,
        SlotReservation.reserved_until > now,
    )
    if exclude_uid:
        query = query.where(SlotReservation.uid != exclude_uid)
    return int(await session.scalar(query) or 0)


async def reload(session: AsyncSession, booking: Booking) -> Booking:
    """Re-read ``booking`` from the database (after taking the host lock, to see the state the
    previous lock holder committed)."""
    await session.refresh(booking)
    return booking


async def reschedule_requested(session: AsyncSession, booking: Booking) -> bool:
    """True when ``booking``'s latest cancellation came from POST …/request-reschedule (its
    ``cancelled`` history row carries ``rescheduleRequested: true``)."""
    data = await session.scalar(
        select(BookingEvent.data)
        .where(BookingEvent.booking_id == booking.id, BookingEvent.action == "cancelled")
        .order_by(BookingEvent.id.desc())
        .limit(1)
    )
    return isinstance(data, dict) and data.get("rescheduleRequested") is True


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


async def consume_reservation(session: AsyncSession, uid: str, event_type_id: int) -> None:
    """Delete the reservation ``uid`` of event type ``event_type_id`` (it became a booking;
    of a team event type it may hold any of its hosts)."""
    await session.execute(
        delete(SlotReservation).where(
            SlotReservation.uid == uid, SlotReservation.event_type_id == event_type_id
        )
    )


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


def team_bookings(team_ids: Sequence[int]) -> ColumnElement[bool]:
    """WHERE clause: bookings of the event types the teams ``team_ids`` own."""
    return Booking.event_type_id.in_(select(EventType.id).where(EventType.team_id.in_(team_ids)))


def filters(
    query: ListBookingsQuery,
    user: User,
    now: datetime,
    *,
    scope: ColumnElement[bool] | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE conditions for ``query``: bookings ``user`` organises or attends (or ``scope``
    instead, e.g. a team's bookings), narrowed by the status filters (relative to ``now``),
    attendee, uid, event type, team (the teams' event types) and date bounds."""
    conds: list[ColumnElement[bool]] = [readable_bookings(user) if scope is None else scope]
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
    teams = query.team_ids()
    if teams:
        conds.append(team_bookings(teams))
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
    session: AsyncSession,
    user: User,
    query: ListBookingsQuery,
    now: datetime,
    *,
    scope: ColumnElement[bool] | None = None,
) -> tuple[list[LoadedBooking], int]:
    """One page of the bookings ``user`` organises or attends (or those of ``scope``), and the
    total matching.

    Two queries (count, page); attendees are loaded separately by the caller.
    """
    conds = filters(query, user, now, scope=scope)
    total = await session.scalar(select(func.count()).select_from(Booking).where(*conds))
    rows = (
        await session.execute(
            joined()
            .where(*conds)
            .order_by(*_order(query))
            .offset(query.skip)
            .limit(query.page_size())
        )
    ).all()
    return [LoadedBooking(r[0], r[1], r[2]) for r in rows], int(total or 0)


async def lock_ids(session: AsyncSession, booking: Booking) -> list[int]:
    """The users whose locks a change of ``booking`` takes, all in one call: its organizer, its
    booking hosts and every host of its event type (a reschedule may move it to any of them).
    One query."""
    hosts = union(
        select(BookingHost.user_id).where(BookingHost.booking_id == booking.id),
        select(Host.user_id).where(Host.event_type_id == booking.event_type_id),
    )
    return sorted({booking.user_id, *(await session.scalars(hosts))})
