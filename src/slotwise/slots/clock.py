"""The current instant for slot listing, reservations and booking checks, in one replaceable place.

Tests monkeypatch :func:`now` (``slotwise.slots.clock.now``) to freeze time; every caller in this
package looks it up through the module, so the patch is seen everywhere.
"""

from __future__ import annotations

from datetime import datetime

from slotwise.models import utcnow


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return utcnow()
