"""The hooks run inside booking and out-of-office transactions, installed from one list.

Nothing registers a hook by being imported: :func:`install_hooks` registers, in the order
listed here, every hook of :data:`BOOKING_HOOKS` with :func:`slotwise.bookings.history.
on_booking_event` and of :data:`OOO_HOOKS` with :func:`slotwise.ooo.service.on_ooo_created`.
:func:`slotwise.app.create_app` and the worker's command call it. A feature that reacts to
booking or out-of-office changes appends its hook here (the order is the order hooks run in,
inside the change's transaction).
"""

from __future__ import annotations

from slotwise.bookings import history
from slotwise.calendars import writes as calendar_writes
from slotwise.email import jobs as email_jobs
from slotwise.ooo import service as ooo
from slotwise.webhooks import events as webhook_events
from slotwise.webhooks import ooo_events as webhook_ooo_events

#: Awaited after every recorded booking change, in this order: emails, webhooks, then the
#: destination calendar's write job.
BOOKING_HOOKS: list[history.BookingHook] = [
    email_jobs.enqueue_booking_emails,
    webhook_events.on_booking_change,
    calendar_writes.on_booking_change,
]

#: Awaited after each out-of-office entry is created, in this order.
OOO_HOOKS: list[ooo.OooHook] = [webhook_ooo_events.on_ooo_entry_created]


def install_hooks() -> None:
    """Register every hook of :data:`BOOKING_HOOKS` and :data:`OOO_HOOKS`, in order.

    Idempotent: a hook already registered is not added twice.
    """
    for hook in BOOKING_HOOKS:
        history.on_booking_event(hook)
    for ooo_hook in OOO_HOOKS:
        ooo.on_ooo_created(ooo_hook)
