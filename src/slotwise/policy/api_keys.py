"""API keys: a key authenticates its user (``kit/auth.py``); a caller may refresh (replace) only
the key its request was made with."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from slotwise.kit.auth import hash_key
from slotwise.kit.principal import Actor, principal_of
from slotwise.models import ApiKey


def own_key(actor: Actor, plain: str) -> ColumnElement[bool]:
    """WHERE clause selecting the key ``plain`` when it is ``actor``'s."""
    principal = principal_of(actor)
    assert principal is not None
    return (ApiKey.user_id == principal.user_id) & (ApiKey.hashed_key == hash_key(plain))


def owned_key_id(actor: Actor, key_id: int) -> ColumnElement[bool]:
    """WHERE clause selecting the key with id ``key_id`` when it is ``actor``'s."""
    principal = principal_of(actor)
    assert principal is not None
    return (ApiKey.user_id == principal.user_id) & (ApiKey.id == key_id)
