"""API-key authentication: ``Authorization: Bearer cal_live_…``.

Keys are random secrets with the ``cal_live_`` prefix; only their SHA-256 hex digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import Unauthorized
from slotwise.kit.session import DbSession
from slotwise.models import ApiKey, User, utcnow

KEY_PREFIX = "cal_live_"


def new_api_key() -> tuple[str, str]:
    """A fresh key and its stored hash: ``(plain, sha256_hex)``."""
    plain = KEY_PREFIX + secrets.token_hex(24)
    return plain, hash_key(plain)


def hash_key(plain: str) -> str:
    """The SHA-256 hex digest under which a key is stored."""
    return hashlib.sha256(plain.encode()).hexdigest()


def bearer_token(request: Request) -> str | None:
    """The bearer token of the request, if any."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def user_for_key(session: AsyncSession, plain: str) -> User | None:
    """The user owning the unexpired key ``plain``, or None."""
    row = (
        await session.execute(
            select(User, ApiKey.expires_at)
            .join(ApiKey, ApiKey.user_id == User.id)
            .where(ApiKey.hashed_key == hash_key(plain))
        )
    ).first()
    if row is None:
        return None
    user, expires_at = row
    if expires_at is not None and expires_at <= utcnow():
        return None
    return user


async def optional_user(request: Request, session: DbSession) -> User | None:
    """The authenticated user, None when no credentials are sent; 401 for a bad key."""
    token = bearer_token(request)
    if token is None:
        return None
    user = await user_for_key(session, token)
    if user is None:
        raise Unauthorized("Invalid API Key")
    request.state.user_id = user.id
    return user


async def required_user(
    request: Request, user: Annotated[User | None, Depends(optional_user)]
) -> User:
    """The authenticated user; 401 when no or an invalid key is sent."""
    if user is None:
        raise Unauthorized(
            "No authorization token provided: send 'Authorization: Bearer <api key>'"
        )
    return user


CurrentUser = Annotated[User, Depends(required_user)]
MaybeUser = Annotated[User | None, Depends(optional_user)]
