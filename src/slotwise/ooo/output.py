"""Response shape of an out-of-office entry: ``UserOooOutputDto``."""

from __future__ import annotations

from typing import Any

from slotwise.kit.envelope import iso_utc
from slotwise.models import OutOfOffice


def ooo_output(entry: OutOfOffice) -> dict[str, Any]:
    """The ``UserOooOutputDto`` of ``entry``."""
    return {
        "id": entry.id,
        "uuid": entry.uuid,
        "userId": entry.user_id,
        "toUserId": entry.to_user_id,
        "start": iso_utc(entry.start),
        "end": iso_utc(entry.end),
        "notes": entry.notes,
        "reason": entry.reason,
    }
