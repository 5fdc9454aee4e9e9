"""Slot reservations: anyone may reserve a slot for the default time, and anyone holding a
reservation's uid may read, move or release it (Cal.com's semantics: the uid is the secret).
Choosing ``reservationDuration`` is the event type owner's privilege: 401 without a key, 403 for
anyone else."""

from __future__ import annotations

from slotwise.kit.errors import Forbidden, Unauthorized
from slotwise.kit.principal import Actor, principal_of

NEEDS_AUTH = (
    "reservationDuration can only be used for authenticated requests - use access token, api "
    "key or OAuth credentials"
)
NOT_OWNER = (
    "authenticated user is not owner of event type, does not have memberships in common with "
    "owner of the event type, nor does belong to event type's team or org."
)


def check_may_choose_duration(actor: Actor | None, owner_id: int | None) -> None:
    """401 without ``actor``, 403 when ``actor`` is not the owner ``owner_id`` (None: no owner
    to compare with, accepted)."""
    principal = principal_of(actor)
    if principal is None:
        raise Unauthorized(NEEDS_AUTH)
    if owner_id is not None and not principal.is_user(owner_id):
        raise Forbidden(NOT_OWNER)
