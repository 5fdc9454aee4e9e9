"""Issuing API keys: a new user's key, demo keys, and refreshing (rotating) a key.

Keys are random secrets with the ``cal_live_`` prefix; only their SHA-256 hex digest
(:func:`slotwise.kit.auth.hash_key`) is stored. A refreshed key replaces the key the request
was made with: the old one stops working when the request commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.api_keys import repository
from slotwise.api_keys.schemas import RefreshApiKeyInput
from slotwise.kit import clock
from slotwise.kit.auth import hash_key
from slotwise.kit.errors import NotFound
from slotwise.models import ApiKey, User
from slotwise.policy.api_keys import own_key, owned_key_id

KEY_PREFIX = "cal_live_"


def new_api_key() -> tuple[str, str]:
    """A fresh key and its stored hash: ``(plain, sha256_hex)``."""
    plain = KEY_PREFIX + secrets.token_hex(24)
    return plain, hash_key(plain)


async def issue_api_key(
    session: AsyncSession,
    user: User,
    *,
    note: str | None = None,
    demo: bool = False,
    expires_at: datetime | None = None,
) -> str:
    """Store a new key for ``user`` and return it in plain text (only its hash is kept)."""
    plain, hashed = new_api_key()
    session.add(
        ApiKey(user_id=user.id, hashed_key=hashed, note=note, is_demo=demo, expires_at=expires_at)
    )
    await session.flush()
    return plain


async def revoke_demo_keys(session: AsyncSession, user: User) -> None:
    """Delete every demo key of ``user`` (each ``--demo`` start issues a fresh one)."""
    await repository.delete_keys(session, and_(ApiKey.user_id == user.id, ApiKey.is_demo))


async def refresh_api_key(
    session: AsyncSession, user: User, token: str, body: RefreshApiKeyInput
) -> str:
    """Delete ``user``'s key ``token`` and return a new one in plain text, expiring after
    ``body.apiKeyDaysValid`` days unless ``body.apiKeyNeverExpires``."""
    await repository.delete_keys(session, own_key(user, token))
    expires = (
        None if body.apiKeyNeverExpires else clock.now() + timedelta(days=body.apiKeyDaysValid)
    )
    return await issue_api_key(session, user, note="refreshed", expires_at=expires)


async def list_api_keys(session: AsyncSession, user: User) -> Sequence[ApiKey]:
    """``user``'s keys, newest first (their hashes only: a key is never stored in plain)."""
    return await repository.keys_where(session, ApiKey.user_id == user.id)


async def revoke_api_key(session: AsyncSession, user: User, key_id: int) -> None:
    """Delete ``user``'s key ``key_id`` (it stops working when the transaction commits); 404
    for someone else's or a missing key."""
    found = await repository.keys_where(session, owned_key_id(user, key_id))
    if not found:
        raise NotFound(f"API key with id {key_id} not found")
    await repository.delete_keys(session, owned_key_id(user, key_id))
