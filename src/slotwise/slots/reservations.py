"""Slot reservations (/v2/slots/reservations, ``cal-api-version: 2024-09-04``).

A reservation holds ``[slotStart, slotStart + slotDuration)`` of the event type's host until
``reservationUntil``; while it lasts the time is busy for everyone (slot listing and bookings).
Rules and messages follow Cal.com's ``SlotsService_2024_09_04``:

- ``reservationDuration`` needs credentials (401) of the event type's owner (403); default
  ``settings.reservation_minutes`` (5);
- 404 "Event Type with ID=N not found"; 400 "Invalid start date"; ``slotDuration`` only for
  variable-length event types and only one of their lengths (400);
- 422 when the host has a booking overlapping the slot (a seated event type: only when the
  seats at that start are full), or another unexpired reservation overlaps it.

Writers take the host's lock (:func:`slotwise.kit.db.lock_hosts`) before re-checking, so two
overlapping reservations of one host never both succeed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.checks import slot_occupancy
from slotwise.event_types.repository import event_type_with_owner
from slotwise.event_types.settings import settings_of
from slotwise.kit.db import lock_hosts
from slotwise.kit.envelope import iso_utc
from slotwise.kit.errors import BadRequest, NotFound, Unprocessable
from slotwise.models import EventType, SlotReservation, User
from slotwise.policy.reservations import check_may_choose_duration
from slotwise.slots import repository
from slotwise.slots.schemas import ReserveSlotInput, parse_slot_time
from slotwise.slots.service import length_options, seats_per_time_slot

ALREADY_BOOKED = "Can't reserve a slot if the event is already booked."
ALREADY_RESERVED = (
    "This time slot is already reserved by another user. Please choose a different time."
)


@dataclass(frozen=True, slots=True)
class Reserved:
    """A reservation just written and the reservation duration (minutes) used."""

    reservation: SlotReservation
    duration: int


def new_uid() -> str:
    """A fresh reservation uid (22 URL-safe random characters)."""
    return secrets.token_urlsafe(16)


def not_found(uid: str) -> NotFound:
    """Cal.com's 404 for an unknown reservation uid."""
    return NotFound(f"Slot with uid={uid} not found")


def reservation_output(reservation: SlotReservation, duration: int | None) -> dict[str, Any]:
    """``ReserveSlotOutput_2024_09_04`` (``duration`` given) or the GET shape without
    ``reservationDuration`` (``duration`` None), times as UTC ISO with milliseconds."""
    out: dict[str, Any] = {
        "eventTypeId": reservation.event_type_id,
        "slotStart": iso_utc(reservation.slot_start),
        "slotEnd": iso_utc(reservation.slot_end),
        "slotDuration": round((reservation.slot_end - reservation.slot_start).total_seconds() / 60),
        "reservationUid": reservation.uid,
    }
    if duration is not None:
        out["reservationDuration"] = duration
    out["reservationUntil"] = iso_utc(reservation.reserved_until)
    return out


async def _event_type(session: AsyncSession, event_type_id: int) -> tuple[EventType, User]:
    try:
        return await event_type_with_owner(session, event_type_id)
    except NotFound:
        raise NotFound(f"Event Type with ID={event_type_id} not found") from None


def _check_caller(body: ReserveSlotInput, caller: User | None, owner: User | None) -> None:
    if body.reservationDuration is not None:
        check_may_choose_duration(caller, None if owner is None else owner.id)


def _slot(body: ReserveSlotInput, event_type: EventType) -> tuple[datetime, datetime]:
    parsed = parse_slot_time(body.slotStart)
    if parsed is None:
        raise BadRequest("Invalid start date")
    if body.slotDuration is not None:
        options = length_options(event_type)
        if not options:
            raise BadRequest(
                "You passed 'slotDuration' but this event type is not a variable length event type."
            )
        if body.slotDuration not in options:
            raise BadRequest(
                "Provided 'slotDuration' is not one of the possible lengths for the event "
                "type. The possible lengths for this variable length event type are: "
                + ", ".join(str(o) for o in options)
            )
    start = parsed.value
    return start, start + timedelta(minutes=body.slotDuration or event_type.length)


async def _check_free(
    session: AsyncSession,
    event_type: EventType,
    host: User,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    own_uid: str | None,
    body: ReserveSlotInput,
) -> None:
    """422 when the slot is taken, through the one availability path
    (:func:`slotwise.availability.checks.slot_occupancy`): a seated event type's seats at
    ``start`` are full; another booking of the host overlaps; another reservation does."""
    seats = seats_per_time_slot(settings_of(event_type))
    taken = await slot_occupancy(
        session, host, event_type, start=start, end=end, now=now, exclude_reservation_uid=own_uid
    )
    others = taken.bookings
    if seats is not None:
        others = [b for b in others if not (b.event_type_id == event_type.id and b.start == start)]
        if len(others) < len(taken.bookings):
            seated = await repository.seated_bookings(session, event_type.id, start, start)
            if sum(b.attendees for b in seated) >= seats:
                raise Unprocessable(
                    f"Booking with id={event_type.id} at {body.slotStart} has no more seats left."
                )
    if others:
        raise Unprocessable(ALREADY_BOOKED)
    if taken.reservations:
        raise Unprocessable(ALREADY_RESERVED)


async def reserve(
    session: AsyncSession,
    body: ReserveSlotInput,
    caller: User | None,
    *,
    now: datetime,
    default_minutes: int,
) -> Reserved:
    """Reserve a slot for ``body.reservationDuration`` (else ``default_minutes``) minutes from
    ``now``. Errors: see the module docstring. Flushes; the request's session commits."""
    _check_caller(body, caller, None)
    event_type, owner = await _event_type(session, body.eventTypeId)
    _check_caller(body, caller, owner)
    start, end = _slot(body, event_type)
    await lock_hosts(session, [owner.id])
    await repository.delete_expired_reservations(session, owner.id, now)
    await _check_free(session, event_type, owner, start, end, now, own_uid=None, body=body)
    minutes = body.reservationDuration or default_minutes
    reservation = SlotReservation(
        uid=new_uid(),
        event_type_id=event_type.id,
        user_id=owner.id,
        slot_start=start,
        slot_end=end,
        reserved_until=now + timedelta(minutes=minutes),
        created_by_user_id=caller.id if caller is not None else None,
    )
    session.add(reservation)
    await session.flush()
    return Reserved(reservation, minutes)


async def get_reservation(session: AsyncSession, uid: str) -> SlotReservation:
    """The reservation ``uid`` (also once expired, until cleaned up); 404 when unknown."""
    reservation = await repository.reservation_by_uid(session, uid)
    if reservation is None:
        raise not_found(uid)
    return reservation


async def update_reservation(
    session: AsyncSession,
    uid: str,
    body: ReserveSlotInput,
    caller: User | None,
    *,
    now: datetime,
    default_minutes: int,
) -> Reserved:
    """Move reservation ``uid`` to ``body`` (event type, start, duration) and hold it for
    ``reservationDuration`` (else ``default_minutes``) minutes from ``now``.

    404 for an unknown uid; otherwise the checks of :func:`reserve`, ignoring the reservation
    itself when looking for overlapping ones.
    """
    _check_caller(body, caller, None)
    reservation = await get_reservation(session, uid)
    event_type, owner = await _event_type(session, body.eventTypeId)
    _check_caller(body, caller, owner)
    start, end = _slot(body, event_type)
    await lock_hosts(session, [owner.id, reservation.user_id])
    await _check_free(session, event_type, owner, start, end, now, own_uid=uid, body=body)
    minutes = body.reservationDuration or default_minutes
    reservation.event_type_id = event_type.id
    reservation.user_id = owner.id
    reservation.slot_start = start
    reservation.slot_end = end
    reservation.reserved_until = now + timedelta(minutes=minutes)
    await session.flush()
    return Reserved(reservation, minutes)


async def delete_reservation(session: AsyncSession, uid: str) -> None:
    """Delete the reservation ``uid``: its time is free again. 404 when unknown."""
    reservation = await get_reservation(session, uid)
    await session.delete(reservation)
    await session.flush()
