"""Credits: a caller reads and charges its own credit account only (no id in the path)."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from slotwise.kit.principal import Actor, principal_of
from slotwise.models import CreditCharge


def credit_owner_id(actor: Actor) -> int:
    """The id of the credit account (its user's id) ``actor`` reads and charges."""
    principal = principal_of(actor)
    assert principal is not None
    return principal.user_id


def own_charges(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause selecting ``actor``'s own credit charges."""
    return CreditCharge.user_id == credit_owner_id(actor)
