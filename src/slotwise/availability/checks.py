"""The reservation and confirmation questions, answered from :func:`.loader.load_busy` rows and
the engine's overlap rule (:func:`slotwise.scheduling.overlaps_busy`).

Booking creation and slot listing ask the full question (working hours, buffers, limits,
out-of-office) through :func:`.loader.load_hosts` and the engine; these two ask narrower ones,
as Cal.com does, but read the same rows:

- reserving a slot (``POST/PATCH /v2/slots/reservations``): which bookings and other
  reservations overlap the raw slot (no buffers, working hours or limits — Cal.com's "any active
  overlapping booking");
- confirming a pending booking: does an accepted booking overlap it, buffers included;
- booking over someone else's reservation (the 409 before the engine's check):
  :func:`reservations_meeting` on the rows :func:`.loader.load_availability` already read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.loader import BOOKING, RESERVATION, BusyRow, load_busy
from slotwise.models import Booking, BookingHost, EventType, User
from slotwise.scheduling import ExistingBooking, overlaps_busy


@dataclass(frozen=True, slots=True)
class SlotOccupancy:
    """What occupies a host during a slot: ``bookings`` (the host organises or attends them;
    accepted ones of any event type and pending ones of the slot's event type) and other
    unexpired ``reservations`` of the host, each overlapping the slot itself."""

    bookings: list[BusyRow]
    reservations: list[BusyRow]


def _meets(row: BusyRow, start: datetime, end: datetime) -> bool:
    return overlaps_busy([ExistingBooking(row.start, row.end)], [], start=start, end=end)


def reservations_meeting(rows: Sequence[BusyRow], start: datetime, end: datetime) -> list[BusyRow]:
    """The RESERVATION rows among ``rows`` overlapping the UTC range ``[start, end)`` (raw
    times): another booker's hold on that time (the 409 of a booking over it)."""
    return [r for r in rows if r.kind == RESERVATION and _meets(r, start, end)]


async def slot_occupancy(
    session: AsyncSession,
    host: User,
    event_type: EventType,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_reservation_uid: str | None = None,
) -> SlotOccupancy:
    """The bookings and reservations of ``host`` overlapping the UTC slot ``[start, end)``
    (raw times, no buffers), for reserving it; ``exclude_reservation_uid``: the reservation
    being moved. Pending bookings of ``event_type`` count whatever its confirmation policy
    (Cal.com refuses to reserve over any active booking). One query."""
    rows = await load_busy(
        session,
        [host],
        start=start,
        end=end,
        now=now,
        event_type=event_type,
        pending_blocks=True,
        kinds=(BOOKING, RESERVATION),
        exclude_reservation_uid=exclude_reservation_uid,
    )
    meeting = [r for r in rows if _meets(r, start, end)]
    return SlotOccupancy(
        bookings=[r for r in meeting if r.kind == BOOKING],
        reservations=[r for r in meeting if r.kind == RESERVATION],
    )


async def confirm_conflict(session: AsyncSession, booking: Booking, organizer: User) -> bool:
    """Whether confirming the pending ``booking`` would double-book one of its hosts (its
    ``organizer`` and its booking hosts): another accepted booking one of them organises, is a
    booking host of or attends overlaps it, both widened by their stored buffers (the engine's
    symmetric rule). Pending bookings do not count (two overlapping requests must stay
    confirmable one way or the other), nor do reservations, out-of-office, working hours or
    limits: the organizer decides explicitly. Two queries."""
    hosts = [organizer, *await booking_host_users(session, booking)]
    rows = await load_busy(
        session,
        hosts,
        start=booking.start_time,
        end=booking.end_time,
        now=booking.start_time,
        kinds=(BOOKING,),
        exclude_booking_uid=booking.uid,
    )
    return overlaps_busy(
        [ExistingBooking(r.start, r.end, r.before_buffer, r.after_buffer) for r in rows],
        [],
        start=booking.start_time,
        end=booking.end_time,
        before_buffer=booking.before_buffer,
        after_buffer=booking.after_buffer,
    )


async def booking_host_users(session: AsyncSession, booking: Booking) -> list[User]:
    """The users of ``booking``'s ``booking_hosts`` rows (its hosts besides the organizer)."""
    found = await session.scalars(
        select(User)
        .join(BookingHost, BookingHost.user_id == User.id)
        .where(BookingHost.booking_id == booking.id)
        .order_by(User.id)
    )
    return list(found)
