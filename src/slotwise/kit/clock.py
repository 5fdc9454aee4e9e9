"""The application's one clock: the current instant for every request or job that decides by
time (slot listing, reservations, booking checks, confirm/decline, booking lists, private-link,
API-key and credit expiry, history rows).

Callers look it up through the module (``from slotwise.kit import clock``; ``clock.now()``), so a
test that monkeypatches ``slotwise.kit.clock.now`` freezes time everywhere at once. Model column
defaults (``created_at``/``updated_at``) and the job queue's leases keep the real time
(``slotwise.models.utcnow``).
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)
