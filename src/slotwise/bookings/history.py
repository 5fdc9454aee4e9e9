"""The one place that records booking state changes.

Every operation that changes a booking calls :func:`record` inside its transaction. It writes a
``BookingEvent`` history row and then awaits each hook registered with
:func:`on_booking_event`, in registration order, in the same transaction, so webhooks, emails or
reminders can be added as hooks (typically enqueueing a job row) without touching the
operations. The application's hooks are listed, in order, in
:data:`slotwise.hooks.BOOKING_HOOKS` and registered by :func:`slotwise.hooks.install_hooks` (no
module registers one when imported). A hook that raises aborts the whole change (the request
rolls back).

Actions: ``created`` (accepted at once), ``requested`` (pending, awaits the organizer),
``confirmed``, ``rejected``, ``rescheduled`` (on the old booking; the new one gets
``created``/``requested``), ``cancelled``, ``no_show``, ``location_changed``, ``attendee_added``
and ``guests_added``. Hooks must ignore actions they do not handle (more may be added).

``data`` by action (JSON):

- ``created``/``requested``: ``start``, ``end`` (ISO instants), ``fromUid`` after a reschedule;
- ``cancelled``: ``reason``, ``previousStatus``; when the organizer asked the attendee to book again
  (POST …/request-reschedule) also ``rescheduleRequested: true`` and ``rescheduleReason``;
- ``rescheduled``: ``toUid``, ``reason``, ``previousStatus``, ``from``/``to`` ``{start, end}``
  (``previousStatus: "cancelled"`` when a cancelled booking was booked again: after a
  request-reschedule or with ``allowReschedulingCancelledBookings``);
- ``rejected``: ``reason``;
- ``no_show``: ``host`` (bool, when given) and ``attendees`` (``[{email, absent}]``, when given);
- ``location_changed``: ``from``, ``to`` (stored location strings);
- ``attendee_added``: ``attendeeId``, ``email``, ``name``;
- ``guests_added``: ``guests`` (``[{attendeeId, email, name}]``).

Recurring series (:mod:`.recurring`): each occurrence records its own event; ``created`` /
``requested`` add ``recurringBookingUid``, ``occurrence`` (1-based) and ``occurrences`` (the
series' size), ``cancelled`` adds ``recurringBookingUid``.

Seated bookings (:mod:`.seats`): an event about one seat carries ``seatUid``,
``seatAttendeeEmail`` and ``seatAttendeeName``, so notifications go to that seat's attendee
only (and the organizer):

- ``created``: a seat was taken; ``seatJoined`` is true when it joined an existing booking
  (the booking was created by the first seat otherwise);
- ``cancelled``: a seat was given up; ``seatOnly`` is true while other seats remain (the
  booking stays accepted), false when it was the last one (the booking is cancelled). Recorded
  while the seat's attendee row still exists; the row is deleted right after the hooks ran;
- ``rescheduled`` (on the booking the seat left) and ``created`` with ``fromUid`` (on the
  booking it joined, possibly new): a seat moved; ``seatOnly`` on the first is true when the
  old booking keeps other seats (it stays accepted, without ``rescheduledToUid``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal, get_args

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit import clock
from slotwise.models import Booking, BookingEvent

BookingAction = Literal[
    "created",
    "requested",
    "confirmed",
    "rejected",
    "rescheduled",
    "cancelled",
    "no_show",
    "location_changed",
    "attendee_added",
    "guests_added",
    "reassigned",
]
ACTIONS: frozenset[str] = frozenset(get_args(BookingAction))

BookingHook = Callable[[AsyncSession, Booking, BookingEvent], Awaitable[None]]

_hooks: list[BookingHook] = []


def on_booking_event(hook: BookingHook) -> BookingHook:
    """Register ``hook(session, booking, event)``, awaited after every recorded change.

    Usable as a decorator; registering the same function twice has no effect.
    """
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def remove_booking_event_hook(hook: BookingHook) -> None:
    """Unregister ``hook`` (no error when it was not registered)."""
    if hook in _hooks:
        _hooks.remove(hook)


def booking_event_hooks() -> tuple[BookingHook, ...]:
    """The registered hooks, in the order they run."""
    return tuple(_hooks)


async def record(
    session: AsyncSession,
    booking: Booking,
    action: BookingAction,
    *,
    actor: str | None = None,
    data: dict[str, Any] | None = None,
) -> BookingEvent:
    """Append ``action`` to the history of ``booking`` and run the hooks; returns the row.

    ``actor``: who did it (an email), when known. ``data``: JSON-serialisable details (reasons,
    old and new times, related uids). Flushes; raises ValueError for an unknown action.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown booking action {action!r}")
    if booking.id is None:
        await session.flush()
    event = BookingEvent(
        booking_id=booking.id,
        action=action,
        actor=actor,
        data=dict(data or {}),
        created_at=clock.now(),
    )
    session.add(event)
    await session.flush()
    for hook in list(_hooks):
        await hook(session, booking, event)
    return event


async def history_of(session: AsyncSession, booking_id: int) -> list[BookingEvent]:
    """The history of booking ``booking_id``, oldest first (the web app's booking detail)."""
    rows = await session.scalars(
        select(BookingEvent).where(BookingEvent.booking_id == booking_id).order_by(BookingEvent.id)
    )
    return list(rows)
