"""The booking and out-of-office hooks come from one explicit list (slotwise.hooks)."""

from __future__ import annotations

import subprocess
import sys

from slotwise.bookings.history import booking_event_hooks
from slotwise.calendars.writes import on_booking_change as calendar_writes
from slotwise.email.jobs import enqueue_booking_emails
from slotwise.hooks import BOOKING_HOOKS, OOO_HOOKS, install_hooks
from slotwise.ooo.service import ooo_hooks
from slotwise.webhooks.events import on_booking_change
from slotwise.webhooks.ooo_events import on_ooo_entry_created


def test_installed_in_listed_order_and_idempotent() -> None:
    """install_hooks registers emails, webhooks, then calendar writes, once however often it
    is called."""
    assert [enqueue_booking_emails, on_booking_change, calendar_writes] == BOOKING_HOOKS
    assert [on_ooo_entry_created] == OOO_HOOKS
    install_hooks()
    install_hooks()
    booking = booking_event_hooks()
    assert [h for h in booking if h in BOOKING_HOOKS] == BOOKING_HOOKS
    assert len(booking) == len(set(booking))
    assert [h for h in ooo_hooks() if h in OOO_HOOKS] == OOO_HOOKS


def test_importing_modules_registers_nothing() -> None:
    """Importing the hook modules, the app module and the CLI registers no hook."""
    code = """
import slotwise.app, slotwise.cli, slotwise.email.jobs, slotwise.webhooks.endpoints
import slotwise.webhooks.events, slotwise.webhooks.ooo_events, slotwise.hooks
from slotwise.ooo.service import ooo_hooks
from slotwise.bookings.history import booking_event_hooks
from slotwise.calendars.writes import on_booking_change as calendar_writes
assert booking_event_hooks() == () and ooo_hooks() == (), (booking_event_hooks(), ooo_hooks())
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
