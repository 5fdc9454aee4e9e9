"""API-key authentication: ``Authorization: Bearer cal_live_…``.

Keys are random secrets with the ``cal_live_`` prefix, issued by
:mod:`slotwise.api_keys.service`; only their SHA-256 hex digest (:func:`hash_key`) is stored.
"""

from __future__ import annotations

import hashlib
import time

from fastapi import Request
from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import ScalarSelect

from slotwise.kit import clock
from slotwise.kit.db import Database, transaction
from slotwise.models import ApiKey, Membership, User


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


def memberships_column() -> ScalarSelect[str]:
    """A scalar subquery, correlated to ``User``, of the user's accepted team memberships as
    ``"team_id:ROLE,…"`` (NULL for none): read with the user in the same statement, and
    parsed by :func:`parse_memberships`."""
    return (
        select(
            func.aggregate_strings(
                cast(Membership.team_id, String) + literal(":") + Membership.role, ","
            )
        )
        .where(Membership.user_id == User.id, Membership.accepted.is_(True))
        .scalar_subquery()
    )


def parse_memberships(joined: str | None) -> list[tuple[int, str]]:
    """``[(team_id, role)]`` from the value of :func:`memberships_column`."""
    teams = []
    for item in (joined or "").split(","):
        if item:
            team_id, role = item.split(":", 1)
            teams.append((int(team_id), role))
    return teams


async def user_for_key(session: AsyncSession, plain: str) -> User | None:
    """The user owning the unexpired key ``plain``, or None."""
    found = await key_owner(session, plain)
    return None if found is None else found[0]


async def key_owner(session: AsyncSession, plain: str) -> tuple[User, list[tuple[int, str]]] | None:
    """The user owning the unexpired key ``plain`` and their accepted team memberships as
    ``[(team_id, role)]``, read in one statement; None for an unknown or expired key."""
    row = (
        await session.execute(
            select(User, ApiKey.expires_at, memberships_column())
            .join(ApiKey, ApiKey.user_id == User.id)
            .where(ApiKey.hashed_key == hash_key(plain))
        )
    ).first()
    if row is None:
        return None
    user, expires_at, joined = row
    if expires_at is not None and expires_at <= clock.now():
        return None
    return user, parse_memberships(joined)


class ApiKeyValidator:
    """Answers "is this bearer token a live API key?" for the rate limiter, cheaply.

    One indexed read per unknown token; a valid key is remembered for ``ttl_seconds`` (never
    past its expiry), at most ``max_entries`` of them. Invalid tokens are not remembered, so a
    flood of junk tokens costs one lookup each and buys nothing: they count in the IP's bucket.
    Authentication itself still happens per request (``kit/principal.py``).
    """

    def __init__(self, db: Database, *, ttl_seconds: float = 60.0, max_entries: int = 10_000):
        self.db = db
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._valid: dict[str, float] = {}  # sha256 hex -> monotonic time until which it holds

    async def __call__(self, token: str) -> bool:
        """True when ``token`` is an unexpired API key."""
        if len(token) > 200:
            return False
        digest = hash_key(token)
        now = time.monotonic()
        until = self._valid.get(digest)
        if until is not None and until > now:
            return True
        async with transaction(self.db, write=False) as session:
            row = (
                await session.execute(select(ApiKey.expires_at).where(ApiKey.hashed_key == digest))
            ).first()
        if row is None:
            return False
        expires_at = row[0]
        hold = self.ttl_seconds
        if expires_at is not None:
            left = (expires_at - clock.now()).total_seconds()
            if left <= 0:
                return False
            hold = min(hold, left)
        if len(self._valid) >= self.max_entries:
            self._valid.clear()
        self._valid[digest] = now + hold
        return True
