"""From booking changes to webhook jobs, in the booking's own transaction.

:func:`on_booking_change` is a :mod:`slotwise.bookings.history` hook, listed in
:mod:`slotwise.hooks`.
For each recorded action it enqueues one ``webhooks.deliver`` job per active webhook subscribed
to the matching trigger (user webhooks of the host, and webhooks of the booking's event type),
and keeps the time-delayed MEETING_STARTED / MEETING_ENDED jobs in step:

=============  ====================================================================
action         webhooks
=============  ====================================================================
created        BOOKING_CREATED (a booking made by rescheduling: nothing here, see
               ``rescheduled``); schedules MEETING_STARTED/ENDED
requested      BOOKING_REQUESTED
confirmed      BOOKING_CREATED (as Cal.com); schedules MEETING_STARTED/ENDED
rejected       BOOKING_REJECTED
rescheduled    BOOKING_RESCHEDULED with the new booking's payload when it is accepted
               (a new booking awaiting confirmation fires BOOKING_REQUESTED instead);
               cancels the old booking's meeting jobs (unless other seats remain)
cancelled      BOOKING_CANCELLED; cancels the meeting jobs (not when one seat leaves a
               booking that keeps other seats)
no_show        BOOKING_NO_SHOW_UPDATED
=============  ====================================================================

Meeting jobs (``webhooks.meeting``, dedupe keys ``meeting:{uid}:started`` / ``…:ended``) are
scheduled only when a webhook is subscribed at booking time; when they run they fan out to the
webhooks subscribed then, after checking the booking is still accepted at those times. A change
about one seat of a seated booking lists only that seat's attendee.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.jobs import cancel_jobs, enqueue
from slotwise.kit.envelope import iso_utc
from slotwise.models import Booking, BookingEvent, Webhook
from slotwise.webhooks import payloads, repository

DELIVER = "webhooks.deliver"
MEETING = "webhooks.meeting"
MEETING_TRIGGERS = ("MEETING_STARTED", "MEETING_ENDED")


async def enqueue_deliveries(
    session: AsyncSession,
    hooks: list[Webhook],
    trigger: str,
    body: dict[str, Any],
    *,
    dedupe: str | None = None,
) -> int:
    """One ``webhooks.deliver`` job per webhook of ``hooks`` subscribed to ``trigger``.

    ``body``: the whole JSON object to send (before any custom template). Returns the count.
    """
    count = 0
    for hook in hooks:
        if trigger not in (hook.triggers or []):
            continue
        key = f"{dedupe}:{hook.id}" if dedupe else None
        await enqueue(
            session,
            DELIVER,
            {"webhookId": hook.id, "trigger": trigger, "body": body},
            dedupe_key=key,
        )
        count += 1
    return count


def wrapped(trigger: str, payload: dict[str, Any], at: datetime) -> dict[str, Any]:
    """``{"triggerEvent", "createdAt", "payload"}``."""
    return {"triggerEvent": trigger, "createdAt": iso_utc(at), "payload": payload}


async def _schedule_meetings(session: AsyncSession, booking: Booking, hooks: list[Webhook]) -> None:
    wanted = {t for h in hooks for t in (h.triggers or []) if t in MEETING_TRIGGERS}
    for trigger, at in (
        ("MEETING_STARTED", booking.start_time),
        ("MEETING_ENDED", booking.end_time),
    ):
        if trigger in wanted:
            await enqueue(
                session,
                MEETING,
                {"bookingUid": booking.uid, "trigger": trigger, "at": iso_utc(at)},
                run_at=at,
                dedupe_key=f"meeting:{booking.uid}:{trigger.removeprefix('MEETING_').lower()}",
            )


async def cancel_meetings(session: AsyncSession, booking_uid: str) -> int:
    """Cancel the pending MEETING_STARTED/ENDED jobs of a booking."""
    return await cancel_jobs(session, kind=MEETING, dedupe_key_prefix=f"meeting:{booking_uid}:")


async def on_booking_change(session: AsyncSession, booking: Booking, event: BookingEvent) -> None:
    """The booking-lifecycle hook (see the module docstring for what each action does)."""
    action, data = event.action, dict(event.data or {})
    if action in ("cancelled", "rescheduled", "rejected") and not data.get("seatOnly"):
        await cancel_meetings(session, booking.uid)  # (one seat leaving keeps the meeting)
    hooks = await repository.subscribed_webhooks(session, booking.user_id, booking.event_type_id)
    if not hooks:
        return
    at = event.created_at
    if action == "rescheduled":
        new = await _new_booking(session, data.get("toUid") or booking.rescheduled_to_uid)
        if new is None or new.status != "accepted":
            return
        ctx = await payloads.load_context(session, new)
        moved = payloads.rescheduled_payload(ctx, booking, _seat_attendees(ctx, data))
        body = wrapped("BOOKING_RESCHEDULED", moved, at)
        await enqueue_deliveries(session, hooks, "BOOKING_RESCHEDULED", body)
        return
    trigger = {
        "created": "BOOKING_CREATED",
        "requested": "BOOKING_REQUESTED",
        "confirmed": "BOOKING_CREATED",
        "rejected": "BOOKING_REJECTED",
        "cancelled": "BOOKING_CANCELLED",
        "no_show": "BOOKING_NO_SHOW_UPDATED",
    }.get(action)
    if trigger is None:
        return
    if action in ("created", "confirmed") and booking.status == "accepted":
        await _schedule_meetings(session, booking, hooks)
    if action == "created" and data.get("fromUid"):
        return  # the old booking's "rescheduled" sends BOOKING_RESCHEDULED
    if not any(trigger in (h.triggers or []) for h in hooks):
        return
    ctx = await payloads.load_context(session, booking)
    if action == "no_show":
        payload = payloads.no_show_payload(ctx, _no_show_changes(ctx, data))
    else:
        payload = payloads.booking_payload(ctx, _seat_attendees(ctx, data))
        if action == "cancelled":  # also when one seat leaves a booking that goes on
            payload["status"] = "CANCELLED"
            payload["cancellationReason"] = data.get("reason") or booking.cancellation_reason
            payload["cancelledBy"] = event.actor or booking.cancelled_by
            payload["requestReschedule"] = bool(data.get("rescheduleRequested"))
    await enqueue_deliveries(session, hooks, trigger, wrapped(trigger, payload, at))


async def _new_booking(session: AsyncSession, uid: Any) -> Booking | None:
    if not isinstance(uid, str):
        return None
    return await repository.booking_by_uid(session, uid)


def _seat_attendees(ctx: payloads.BookingContext, data: dict[str, Any]) -> list[Any] | None:
    """For a change about one seat (``data["seatAttendeeEmail"]``, see
    :mod:`slotwise.bookings.history`): only that seat's attendee, as Cal.com sends."""
    email = data.get("seatAttendeeEmail")
    if not isinstance(email, str):
        return None
    return [a for a in ctx.attendees if a.email == email] or None


def _no_show_changes(ctx: payloads.BookingContext, data: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{"email", "noShow"}]`` from the event's data (``attendees`` with ``absent`` or
    ``noShow``), else every attendee's current flag."""
    given = data.get("attendees")
    if isinstance(given, list) and given:
        return [
            {"email": str(a.get("email")), "noShow": bool(a.get("noShow", a.get("absent")))}
            for a in given
            if isinstance(a, dict) and a.get("email")
        ]
    return [{"email": a.email, "noShow": bool(a.absent)} for a in ctx.attendees]
