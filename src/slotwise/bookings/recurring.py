"""Recurring bookings (event types with ``recurrence``: frequency, interval, occurrences),
cal-semantics §5.12.

- :func:`create_series` (POST /v2/bookings): ``recurrenceCount`` occurrences (default and
  maximum: ``occurrences``), each a booking of its own sharing one ``recurringBookingUid``
  (a UUID4). Occurrence starts come from python-dateutil's ``rrule`` in the organizer's
  schedule zone, so 10:00 stays 10:00 local across DST changes. Every occurrence is validated
  under the host lock, after the earlier ones were inserted (so limits see them); one that
  cannot be booked refuses the whole request and nothing is written (the transaction rolls
  back). Cal.com checks only the first occurrence: a deliberate difference.
- :func:`cancel_series`: cancel by the recurring uid (every remaining occurrence: active,
  not yet started) or ``cancelSubsequentBookings`` on one occurrence (it and every later one).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.loader import load_schedules
from slotwise.bookings import repository
from slotwise.bookings.bookable import ensure_bookable, requires_confirmation
from slotwise.bookings.cancelling import ALREADY_CANCELLED, cancel_reason, mark_cancelled
from slotwise.bookings.drafts import Draft, insert_booking
from slotwise.bookings.history import record
from slotwise.bookings.output import booking_output
from slotwise.bookings.repository import ACTIVE, LoadedBooking
from slotwise.bookings.schemas import CancelBookingInput
from slotwise.event_types.settings import Recurrence, settings_of
from slotwise.kit import clock
from slotwise.kit.db import lock_hosts
from slotwise.kit.envelope import iso_utc
from slotwise.kit.errors import BadRequest, Conflict
from slotwise.kit.schemas import MAX_YEAR
from slotwise.models import User

FREQUENCIES = ("yearly", "monthly", "weekly")
TOO_MANY = "Provided recurrence count is higher than the event type's recurring event count."
SERIES_TOO_LATE = (
    f"start: the recurring series would run past the year {MAX_YEAR}; book a shorter series "
    "(recurrenceCount) or an earlier start."
)


def occurrence_starts(
    first: datetime, time_zone: str, frequency: str, interval: int, count: int
) -> list[datetime]:
    """The UTC starts of ``count`` occurrences from ``first`` (aware), every ``interval``
    ``frequency`` (yearly, monthly or weekly) of wall-clock time in ``time_zone``.

    rrule semantics (RFC 5545): a monthly series from the 31st skips months without one. A wall
    time that does not exist on a spring-forward day is read with the offset before the change
    (02:30 becomes 03:30 summer time). Raises ValueError for another frequency.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"unsupported recurrence frequency {frequency!r}")
    zone = ZoneInfo(time_zone)
    local = first.astimezone(zone).replace(tzinfo=None)
    step = max(1, interval)
    if frequency == "yearly":
        rule = rrule(YEARLY, dtstart=local, interval=step, count=count)
    elif frequency == "monthly":
        rule = rrule(MONTHLY, dtstart=local, interval=step, count=count)
    else:
        rule = rrule(WEEKLY, dtstart=local, interval=step, count=count)
    return [wall.replace(tzinfo=zone).astimezone(UTC) for wall in rule]


def _count(draft: Draft) -> tuple[Recurrence, int]:
    recurrence = settings_of(draft.event_type).recurrence
    assert recurrence.enabled
    occurrences = recurrence.occurrences
    wanted = draft.body.recurrenceCount
    if wanted is not None and wanted > occurrences:
        raise BadRequest(TOO_MANY)
    return recurrence, wanted or occurrences


async def create_series(
    session: AsyncSession, draft: Draft, *, caller: User | None
) -> list[dict[str, Any]]:
    """Book every occurrence of a recurring event type; returns the list of
    ``RecurringBookingOutput_2024_08_13`` by start.

    400: ``recurrenceCount`` above ``occurrences``; an occurrence that cannot be booked
    (Cal.com's message, prefixed with which occurrence for all but the first); 409: an
    occurrence reserved by someone else. Each occurrence's status follows the confirmation
    policy on its own; each records ``created``/``requested`` with ``recurringBookingUid``,
    ``occurrence`` (1-based) and ``occurrences`` in ``data``.
    """
    body, event_type, organizer = draft.body, draft.event_type, draft.organizer
    recurrence, count = _count(draft)
    schedules = await load_schedules(session, [organizer], event_type)
    starts = occurrence_starts(
        body.start,
        schedules[organizer.id].time_zone,
        str(recurrence.frequency),
        recurrence.interval,
        count,
    )
    if len(starts) < count or starts[-1].year > MAX_YEAR:
        raise BadRequest(SERIES_TOO_LATE)
    now = clock.now()
    series = str(uuid.uuid4())
    length = timedelta(minutes=draft.length)
    await lock_hosts(session, [organizer.id])
    out: list[dict[str, Any]] = []
    for number, start in enumerate(starts, start=1):
        try:
            assigned = await ensure_bookable(
                session, event_type, organizer, start=start, end=start + length, now=now,
                reservation_uid=body.reservationUid, booker_tz=body.attendee.timeZone,
                keep_organizer=number > 1 or event_type.team_id is None,
            )  # fmt: skip
            organizer = assigned.organizer  # later occurrences keep the first one's host
        except (BadRequest, Conflict) as exc:
            if number == 1:
                raise
            raise type(exc)(
                f"Occurrence {number} of {count} of the recurring booking, at "
                f"{iso_utc(start)}, can't be booked: {exc.message.rstrip('.')}. No occurrence "
                "was booked."
            ) from None
        pending = requires_confirmation(event_type, start, now)
        booking, people = await insert_booking(
            session,
            replace(draft, organizer=assigned.organizer),
            start=start,
            status="pending" if pending else "accepted",
            now=now,
            recurring_uid=series,
            hosts=assigned.hosts,
            explanation=assigned.explanation,
        )
        await record(
            session,
            booking,
            "requested" if pending else "created",
            actor=draft.booker_email,
            data={
                "start": start.isoformat(),
                "end": (start + length).isoformat(),
                "recurringBookingUid": series,
                "occurrence": number,
                "occurrences": count,
            },
        )
        out.append(booking_output(booking, assigned.organizer, event_type.slug, people))
    if body.reservationUid:
        await repository.consume_reservation(session, body.reservationUid, event_type.id)
    return out


async def cancel_series(
    session: AsyncSession,
    series: list[LoadedBooking],
    *,
    from_start: datetime | None,
    body: CancelBookingInput,
    caller: User | None,
) -> None:
    """Cancel the active occurrences of ``series`` (one recurring series, host locked by the
    caller): those starting at or after ``from_start`` (``cancelSubsequentBookings``), else
    those starting from now on (cancel by the recurring uid: "all remaining", as Cal.com).
    Each gets its own ``cancelled`` event, with ``recurringBookingUid`` in ``data``.

    400: ``disableCancelling``, the organizer without a reason, or nothing left to cancel.
    """
    first = series[0]
    reason = cancel_reason(first.event_type, first.organizer.id, body, caller)
    now = clock.now()
    for loaded in series:
        await repository.reload(session, loaded.booking)
    chosen = [
        lb.booking
        for lb in series
        if lb.booking.status in ACTIVE
        and (
            lb.booking.start_time >= from_start
            if from_start is not None
            else lb.booking.start_time >= now
        )
    ]
    if not chosen:
        raise BadRequest(ALREADY_CANCELLED)
    for booking in chosen:
        await mark_cancelled(
            session,
            booking,
            reason=reason,
            caller=caller,
            now=now,
            data={"recurringBookingUid": booking.recurring_booking_uid},
        )


async def locked_series(session: AsyncSession, recurring_uid: str) -> list[LoadedBooking]:
    """The occurrences of ``recurring_uid`` with their host locked (empty when none)."""
    series = await repository.load_series(session, recurring_uid)
    if series:
        await lock_hosts(session, [series[0].organizer.id])
    return series
