"""Reassigning a round-robin booking to another host (POST /v2/bookings/{uid}/reassign and
…/reassign/{userId}), as Cal.com's ``roundRobinReassignment`` / ``roundRobinManualReassignment``.

- Who may: the event type's owner, one of its hosts, or an ADMIN/OWNER of its team (Cal.com's
  ``userIsEventTypeAdminOrOwner``); anyone else 403 "You do not have permission to reassign
  this booking". 404 "Booking with uid=X was not found in the database".
- Automatic: the lucky user (:mod:`.lucky_user`) among the event type's round-robin hosts who
  are not on the booking yet and are free for its time (their bookings, buffers, working
  hours, out of office and limits; notice and booking window do not apply); none → 400 "Can't
  reassign the booking because no other host is available at that time.".
- Manual (``userId``, optional ``reason``): the user must be a round-robin host of the event
  type → else 400 "User with id=N is not a valid Round Robin host …"; availability is not
  checked (the admin decides), as Cal.com.
- The booking keeps its uid. The round-robin host on it is replaced: when they organise it the
  new host becomes the organizer (``userId``, title), otherwise their booking-host and attendee
  rows are swapped. ``metadata.slotwiseAssignment`` records the reassignment.
- Side effects: a ``reassigned`` history row; the new host gets the "booking scheduled" email,
  the previous one a cancellation. No webhook: Cal.com's reassignment triggers none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.inputs import event_rules
from slotwise.availability.loader import EventTypeHost, event_type_hosts, load_team
from slotwise.bookings import repository
from slotwise.bookings.bookable import team_flag
from slotwise.bookings.drafts import ASSIGNMENT_KEY
from slotwise.bookings.history import record
from slotwise.bookings.lucky_user import Candidate, choose, load_stats
from slotwise.bookings.titles import booking_title
from slotwise.event_types.settings import settings_of
from slotwise.kit import clock
from slotwise.kit.db import lock_hosts
from slotwise.kit.errors import BadRequest, Forbidden, NotFound
from slotwise.models import Attendee, Booking, BookingHost, EventType, Host, Team, User
from slotwise.policy.teams import manages_team
from slotwise.scheduling import ROUND_ROBIN, BookingRejected, bookable_hosts

NO_PERMISSION = "You do not have permission to reassign this booking"
NOBODY_FREE = "Can't reassign the booking because no other host is available at that time."
INVALID_HOST = (
    "User with id={id} is not a valid Round Robin host - the user to which you reassign this "
    "booking must be one of the booking hosts. Fetch the booking using following endpoint and "
    "select id of one of the hosts: https://cal.com/docs/api-reference/v2/bookings/get-a-booking"
)


async def may_reassign(session: AsyncSession, caller: User, event_type: EventType) -> bool:
    """Cal.com's ``userIsEventTypeAdminOrOwner``: the owner, a host, or a team ADMIN/OWNER."""
    if event_type.user_id == caller.id:
        return True
    host = await session.scalar(
        select(Host.id).where(Host.event_type_id == event_type.id, Host.user_id == caller.id)
    )
    return host is not None or await manages_team(session, caller, event_type.team_id)


def reassign_output(booking: Booking, user: User) -> dict[str, Any]:
    """``ReassignBookingOutput_2024_08_13``: the booking's uid and the host it went to."""
    return {
        "bookingUid": booking.uid,
        "reassignedTo": {
            "id": user.id,
            "name": user.name or user.username,
            "email": user.email,
            "displayEmail": user.email,
        },
    }


async def _loaded(session: AsyncSession, uid: str, caller: User) -> tuple[Booking, EventType]:
    try:
        loaded = await repository.load_booking(session, uid)
    except NotFound:
        raise NotFound(f"Booking with uid={uid} was not found in the database") from None
    booking, event_type = loaded.booking, loaded.event_type
    if event_type is None:
        raise BadRequest(
            f"Event type with id={booking.event_type_id} was not found in the database"
        )
    if not await may_reassign(session, caller, event_type):
        raise Forbidden(NO_PERMISSION)
    await lock_hosts(session, await repository.lock_ids(session, booking))
    await repository.reload(session, booking)
    if booking.status not in ("accepted", "pending"):
        raise BadRequest(
            f"Booking with uid={uid} is {booking.status}: only accepted or pending bookings "
            "can be reassigned."
        )
    return booking, event_type


async def _free_candidates(
    session: AsyncSession,
    booking: Booking,
    event_type: EventType,
    candidates: list[EventTypeHost],
) -> frozenset[int]:
    """The ``candidates`` free for the booking's time (its own time excluded)."""
    # no notice or booking window: the booking exists already
    rules = replace(event_rules(event_type), minimum_booking_notice=0, booking_window=None)
    loose = [
        EventTypeHost(m.user, False, m.priority, m.weight, None, m.schedule_id, m.added_at)
        for m in candidates
    ]
    team = await load_team(
        session,
        loose,
        event_type,
        rules,
        window_start=booking.start_time,
        window_end=booking.end_time,
        now=clock.now(),
        exclude_booking_uid=booking.uid,
    )
    try:
        return bookable_hosts(
            team.hosts, ROUND_ROBIN, team.rules, start=booking.start_time, end=booking.end_time,
            now=min(clock.now(), booking.start_time),
        )  # fmt: skip
    except BookingRejected:
        return frozenset()


async def reassign(
    session: AsyncSession,
    uid: str,
    caller: User,
    *,
    to_user_id: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Reassign booking ``uid`` (see the module docstring): automatically when ``to_user_id``
    is None, else to that user. Returns :func:`reassign_output`. Flushes."""
    booking, event_type = await _loaded(session, uid, caller)
    members = await event_type_hosts(session, event_type)
    on_booking = {booking.user_id} | set(
        await session.scalars(
            select(BookingHost.user_id).where(BookingHost.booking_id == booking.id)
        )
    )
    round_robin = [m for m in members if not m.mandatory]
    previous = next((m.user for m in round_robin if m.user.id == booking.user_id), None) or next(
        (m.user for m in round_robin if m.user.id in on_booking), None
    )
    if to_user_id is not None:
        target = next((m for m in members if m.user.id == to_user_id), None)
        if target is None or target.mandatory:
            raise BadRequest(INVALID_HOST.format(id=to_user_id))
        new_user = target.user
        explanation: dict[str, Any] = {"rule": "manual"}
    else:
        others = [m for m in round_robin if m.user.id not in on_booking]
        free = await _free_candidates(session, booking, event_type, others) if others else set()
        candidates = [m for m in others if m.user.id in free]
        if not candidates:
            raise BadRequest(NOBODY_FREE)
        weights = team_flag(event_type, "isRRWeightsEnabled")
        team = await session.get(Team, event_type.team_id) if event_type.team_id else None
        stats = await load_stats(
            session, event_type, team, [m.user.id for m in round_robin], weights=weights,
            include_no_show=team_flag(event_type, "includeNoShowInRRCalculation"),
            now=clock.now(), start=booking.start_time,
        )  # fmt: skip
        choice = choose(
            [Candidate(m.user.id, m.priority, m.weight, m.added_at) for m in candidates],
            [Candidate(m.user.id, m.priority, m.weight, m.added_at) for m in round_robin],
            stats,
            weights=weights,
        )
        new_user = next(m.user for m in candidates if m.user.id == choice.user_id)
        explanation = dict(choice.explanation)
    await _swap(session, booking, event_type, previous, new_user)
    now = clock.now()
    metadata = dict(booking.metadata_ or {})
    metadata[ASSIGNMENT_KEY] = {
        "schedulingType": event_type.scheduling_type,
        "organizerId": booking.user_id,
        "reassigned": {
            "fromUserId": previous.id if previous is not None else None,
            "toUserId": new_user.id,
            "byUserId": caller.id,
            "reason": reason,
            **explanation,
        },
    }
    booking.metadata_ = metadata
    booking.updated_at = now
    await session.flush()
    await record(
        session,
        booking,
        "reassigned",
        actor=caller.email,
        data={
            "fromUserId": previous.id if previous is not None else None,
            "toUserId": new_user.id,
            "reason": reason,
            "byUserId": caller.id,
        },
    )
    return reassign_output(booking, new_user)


async def _swap(
    session: AsyncSession,
    booking: Booking,
    event_type: EventType,
    previous: User | None,
    new_user: User,
) -> None:
    """Put ``new_user`` on ``booking`` in place of ``previous`` (the organizer when they
    organise it or nobody is known, else a booking host with their attendee row)."""
    if previous is None or previous.id == booking.user_id:
        booking.user_id = new_user.id
        responses = dict(booking.responses or {})
        booking.title = booking_title(
            template=settings_of(event_type).page.custom_name,
            event_title=event_type.title,
            organizer_name=new_user.name,
            attendee_name=str(responses.get("name") or ""),
            duration=round((booking.end_time - booking.start_time).total_seconds() / 60),
            location=booking.location,
            responses=responses,
            start=booking.start_time,
            organizer_time_zone=new_user.time_zone,
        )
        return
    await session.execute(
        delete(BookingHost).where(
            BookingHost.booking_id == booking.id, BookingHost.user_id == previous.id
        )
    )
    session.add(BookingHost(booking_id=booking.id, user_id=new_user.id))
    row = await session.scalar(
        select(Attendee).where(Attendee.booking_id == booking.id, Attendee.email == previous.email)
    )
    if row is not None:
        row.name = new_user.name or new_user.username
        row.email = new_user.email
        row.time_zone = new_user.time_zone
        row.language = new_user.locale or "en"
