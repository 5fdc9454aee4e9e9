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
from slotwise.availability.loader import event_type_hosts
from slotwise.event_types.repository import event_type_by_id
from slotwise.event_types.settings import settings_of
from slotwise.kit.db import lock_hosts
from slotwise.kit.envelope import iso_utc
from slotwise.kit.errors import BadRequest, NotFound, Unprocessable
from slotwise.models import EventType, SlotReservation, User
from slotwise.policy.reservations import check_may_choose_duration
from slotwise.policy.teams import team_membership
from slotwise.scheduling import ROUND_ROBIN
from slotwise.slots import repository
from slotwise.slots.schemas import ReserveSlotInput, parse_slot_time
from slotwise.slots.service import length_options, seats_per_time_slot

ALREADY_BOOKED = "Can't reserve a slot if the event is already booked."
NO_HOSTS = (
    "Can't reserve a slot of this team event type because it has no hosts. Please, add at "
    "least 1 host to event type with id={id} belonging to team with id={team} and try again."
)
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


async def _event_type(session: AsyncSession, event_type_id: int) -> tuple[EventType, User | None]:
    try:
        return await event_type_by_id(session, event_type_id)
    except NotFound:
        raise NotFound(f"Event Type with ID={event_type_id} not found") from None


async def _check_caller(
    session: AsyncSession, body: ReserveSlotInput, caller: User | None, event_type: EventType
) -> None:
    """``reservationDuration``: the owner's, or of a team event type an accepted member's."""
    if body.reservationDuration is None:
        return
    if event_type.team_id is None:
        check_may_choose_duration(caller, event_type.user_id)
        return
    check_may_choose_duration(caller, None)
    if await team_membership(session, caller, event_type.team_id) is None:
        check_may_choose_duration(caller, -1)  # not a member: Cal.com's 403


async def _holder(
    session: AsyncSession,
    event_type: EventType,
    owner: User | None,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    own_uid: str | None,
    body: ReserveSlotInput,
    also_lock: tuple[int, ...] = (),
) -> User:
    """Lock the event type's hosts and return the host the reservation holds (422 when the
    slot is taken): the owner of a personal event type; of a team one, every fixed host must
    be free (collective: every host) and the reservation holds the first free round-robin
    host, else the first host — so two bookers can hold one round-robin start while two hosts
    are free."""
    if event_type.team_id is None and owner is not None:
        await lock_hosts(session, [owner.id, *also_lock])
        await repository.delete_expired_reservations(session, owner.id, now)
        await _check_free(session, event_type, owner, start, end, now, own_uid=own_uid, body=body)
        return owner
    members = await event_type_hosts(session, event_type, owner)
    if not members:
        raise Unprocessable(NO_HOSTS.format(id=event_type.id, team=event_type.team_id))
    await lock_hosts(session, [*(m.user.id for m in members), *also_lock])
    round_robin = event_type.scheduling_type == ROUND_ROBIN
    fixed = [m for m in members if m.mandatory or not round_robin]
    for member in fixed:
        await _check_free(
            session, event_type, member.user, start, end, now, own_uid=own_uid, body=body
        )
    refusal: Unprocessable | None = None
    for member in members:
        if member in fixed:
            continue
        try:
            await _check_free(
                session, event_type, member.user, start, end, now, own_uid=own_uid, body=body
            )
        except Unprocessable as exc:
            refusal = exc
            continue
        return member.user
    if refusal is not None:
        raise refusal
    return fixed[0].user


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
    if body.reservationDuration is not None:  # 401 before anything else
        check_may_choose_duration(caller, None)
    event_type, owner = await _event_type(session, body.eventTypeId)
    await _check_caller(session, body, caller, event_type)
    start, end = _slot(body, event_type)
    holder = await _holder(session, event_type, owner, start, end, now, own_uid=None, body=body)
    minutes = body.reservationDuration or default_minutes
    reservation = SlotReservation(
        uid=new_uid(),
        event_type_id=event_type.id,
        user_id=holder.id,
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
    if body.reservationDuration is not None:  # 401 before anything else
        check_may_choose_duration(caller, None)
    reservation = await get_reservation(session, uid)
    event_type, owner = await _event_type(session, body.eventTypeId)
    await _check_caller(session, body, caller, event_type)
    start, end = _slot(body, event_type)
    holder = await _holder(
        session, event_type, owner, start, end, now, own_uid=uid, body=body,
        also_lock=(reservation.user_id,),
    )  # fmt: skip
    minutes = body.reservationDuration or default_minutes
    reservation.event_type_id = event_type.id
    reservation.user_id = holder.id
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
