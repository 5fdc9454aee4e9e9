"""Bookings written into the destination calendar, through jobs.

- :func:`on_booking_change` (a booking hook, ``slotwise.hooks.BOOKING_HOOKS``) enqueues one
  ``calendars.sync`` job per change that can move an event (created, confirmed, rescheduled,
  cancelled, rejected, location changed), in the change's transaction: the job survives
  restarts and is retried like every job.
- :func:`sync_booking` (the handler) makes the calendars match the booking's *current* state,
  so running it twice, late or out of order changes nothing more (idempotent by booking uid;
  the event's UID is the booking's ``ical_uid``, kept across reschedules, and its SEQUENCE the
  booking's ``ical_sequence``):

  - accepted: the event is written (PUT by UID: created or replaced) into the destination
    calendar — the event type's (its ``destinationCalendar`` field, in the organizer's first
    connection of that integration), else the organizer's, else Cal.com's default (the first
    writable calendar of the organizer's first connection that has one) — and a
    ``booking_references`` row records it; a collective booking is written to each booking
    host's own destination too (Cal.com); a reference in another calendar (the destination
    changed) is deleted there first;
  - cancelled or rejected: each referenced event is deleted and its reference removed; a
    booking cancelled *by a reschedule* hands its references to the new booking instead (the
    new booking's job then moves the same event);
  - pending: nothing (Cal.com writes the event when the booking is confirmed).

  A provider failure is retried by the job; a provider refusing the credentials fails the job
  at once (``PermanentJobError``; the owner sees the error in ``GET /v2/calendars``). Each
  write drops the connection's cached busy times. Without a writable connected calendar the
  job does nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.calendars import busy
from slotwise.calendars.base import CalendarAuthError, CalendarError, CalendarEvent
from slotwise.calendars.connections import provider_for
from slotwise.jobs.queue import enqueue
from slotwise.jobs.registry import JobContext, PermanentJobError, job_handler
from slotwise.kit.db import transaction
from slotwise.models import (
    Attendee,
    Booking,
    BookingEvent,
    BookingHost,
    BookingReference,
    CalendarCredential,
    DestinationCalendar,
    EventType,
    User,
)

log = logging.getLogger("slotwise.calendars")
SYNC = "calendars.sync"
_MOVING = frozenset(
    {"created", "confirmed", "rescheduled", "cancelled", "rejected", "location_changed"}
)


async def on_booking_change(session: AsyncSession, booking: Booking, event: BookingEvent) -> None:
    """Enqueue a ``calendars.sync`` job for ``booking`` when ``event`` can move its calendar
    event (only for organizers with a connected calendar)."""
    if event.action not in _MOVING:
        return
    users = select(BookingHost.user_id).where(BookingHost.booking_id == booking.id)
    connected = exists().where(
        (CalendarCredential.user_id == booking.user_id) | CalendarCredential.user_id.in_(users)
    )
    has_refs = exists().where(BookingReference.booking_id == booking.id)
    if not await session.scalar(select(or_(connected, has_refs))):  # one statement
        return
    await enqueue(session, SYNC, {"bookingUid": booking.uid})


@dataclass(frozen=True)
class _Target:
    credential: CalendarCredential
    calendar: str


async def _destination(
    session: AsyncSession, booking: Booking, ctx: JobContext, user_id: int
) -> _Target | None:
    """``user_id``'s destination for ``booking``: the organizer's honours the event type's."""
    rows: list[DestinationCalendar] = []
    organizer = user_id == booking.user_id
    event_type = (
        await session.get(EventType, booking.event_type_id)
        if booking.event_type_id and organizer
        else None
    )
    chosen = (event_type.config or {}).get("destinationCalendar") if event_type else None
    if isinstance(chosen, dict) and chosen.get("integration") and chosen.get("externalId"):
        credential = await session.scalar(
            select(CalendarCredential)
            .where(
                CalendarCredential.user_id == user_id,
                CalendarCredential.type == str(chosen["integration"]),
            )
            .order_by(CalendarCredential.id)
            .limit(1)
        )
        if credential is not None:
            return _Target(credential, str(chosen["externalId"]))
    if booking.event_type_id is not None and organizer:
        rows.extend(
            await session.scalars(
                select(DestinationCalendar).where(
                    DestinationCalendar.event_type_id == booking.event_type_id
                )
            )
        )
    rows.extend(
        await session.scalars(
            select(DestinationCalendar).where(DestinationCalendar.user_id == user_id)
        )
    )
    for row in rows:
        credential = await session.get(CalendarCredential, row.credential_id)
        if credential is not None:
            return _Target(credential, row.external_id)
    credentials = await session.scalars(
        select(CalendarCredential)
        .where(CalendarCredential.user_id == user_id)
        .order_by(CalendarCredential.id)
    )
    for credential in credentials:
        try:
            listed = await provider_for(credential, ctx.settings).list_calendars()
        except CalendarError:
            continue
        writable = [c for c in listed if not c.read_only]
        if writable:
            primary = next((c for c in writable if c.primary), writable[0])
            return _Target(credential, primary.external_id)
    return None


async def _event(session: AsyncSession, booking: Booking) -> CalendarEvent:
    organizer = await session.get(User, booking.user_id)
    attendees = await session.scalars(
        select(Attendee).where(Attendee.booking_id == booking.id).order_by(Attendee.id)
    )
    return CalendarEvent(
        uid=booking.ical_uid,
        title=booking.title,
        start=booking.start_time,
        end=booking.end_time,
        organizer_name=(organizer.name or organizer.username) if organizer else "",
        organizer_email=organizer.email if organizer else "",
        attendees=tuple((a.name, a.email) for a in attendees),
        description=booking.description,
        location=booking.location,
        sequence=booking.ical_sequence or 0,
    )


async def _delete(reference: BookingReference, ctx: JobContext, session: AsyncSession) -> None:
    if reference.credential_id is None or reference.external_calendar_id is None:
        return
    credential = await session.get(CalendarCredential, reference.credential_id)
    if credential is None:
        return
    await provider_for(credential, ctx.settings).delete_event(
        reference.external_calendar_id, reference.uid
    )
    busy.invalidate(credential.id)


@job_handler(SYNC)
async def sync_booking(payload: dict[str, Any], ctx: JobContext) -> None:
    """Make the destination calendar match booking ``payload["bookingUid"]`` (module
    docstring). Raises PermanentJobError for a malformed payload or refused credentials."""
    uid = payload.get("bookingUid")
    if not isinstance(uid, str):
        raise PermanentJobError("malformed calendars.sync job: no bookingUid")
    try:
        await _sync(uid, ctx)
    except CalendarAuthError as exc:
        raise PermanentJobError(f"calendar refused the credentials: {exc}") from exc
    except CalendarError as exc:
        raise RuntimeError(f"calendar write failed: {exc}") from exc


async def _sync(uid: str, ctx: JobContext) -> None:
    async with transaction(ctx.db, write=True) as session:
        booking = await session.scalar(select(Booking).where(Booking.uid == uid))
        if booking is None:
            return
        references = list(
            await session.scalars(
                select(BookingReference).where(BookingReference.booking_id == booking.id)
            )
        )
        if booking.status in ("cancelled", "rejected"):
            successor = None
            if booking.rescheduled_to_uid:
                successor = await session.scalar(
                    select(Booking).where(Booking.uid == booking.rescheduled_to_uid)
                )
            if successor is not None and successor.ical_uid == booking.ical_uid:
                taken = {
                    (r.type, r.external_calendar_id)
                    for r in await session.scalars(
                        select(BookingReference).where(BookingReference.booking_id == successor.id)
                    )
                }
                for reference in references:
                    if (reference.type, reference.external_calendar_id) in taken:
                        await session.delete(reference)
                    else:
                        reference.booking_id = successor.id
                return
            for reference in references:
                await _delete(reference, ctx, session)
                await session.delete(reference)
            return
        if booking.status != "accepted":
            return
        hosts = [booking.user_id] + [
            h
            for h in await session.scalars(
                select(BookingHost.user_id)
                .where(BookingHost.booking_id == booking.id)
                .order_by(BookingHost.user_id)
            )
            if h != booking.user_id
        ]
        targets: list[_Target] = []
        for user_id in hosts:  # collective bookings: every host's destination
            found = await _destination(session, booking, ctx, user_id)
            if found is not None:
                targets.append(found)
        if not targets:
            return
        event = await _event(session, booking)
        wanted = {(t.credential.id, t.calendar) for t in targets}
        for reference in references:
            if (reference.credential_id, reference.external_calendar_id) not in wanted:
                await _delete(reference, ctx, session)
                await session.delete(reference)
        for target in targets:
            provider = provider_for(target.credential, ctx.settings)
            written = await provider.update_event(target.calendar, event)
            busy.invalidate(target.credential.id)
            await session.execute(
                delete(BookingReference).where(
                    BookingReference.booking_id == booking.id,
                    BookingReference.credential_id == target.credential.id,
                    BookingReference.external_calendar_id == target.calendar,
                )
            )
            session.add(
                BookingReference(
                    booking_id=booking.id,
                    type=target.credential.type,
                    uid=written.uid,
                    external_calendar_id=target.calendar,
                    credential_id=target.credential.id,
                    meeting_url=written.url,
                )
            )
        log.info("booking %s written to %d calendar(s)", booking.uid, len(targets))
