"""Browser sessions of the web app (``/app``) and their CSRF tokens.

A session is a random token in the ``slotwise_session`` cookie (HttpOnly, SameSite=Lax, Secure
when the public URL is https); the ``web_sessions`` table keeps only its SHA-256 hex digest, the
user, the expiry (UTC) and a per-session CSRF secret. Logging out deletes the row, so a stolen
cookie dies with the session, on every process.

CSRF: every form of the app carries a token in the hidden field ``csrf_token`` (the API takes it
in the ``X-CSRF-Token`` header). Logged in, the token is the session's ``csrf_secret``. Before
logging in (the login, sign-up and reset forms) it is an HMAC of the random value in the
``slotwise_csrf`` cookie under the installation key (a double-submit cookie that a foreign site
can neither read nor forge).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit import clock
from slotwise.kit.auth import memberships_column, parse_memberships
from slotwise.models import User, WebSession

SESSION_COOKIE = "slotwise_session"
CSRF_COOKIE = "slotwise_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_ANON_PURPOSE = b"slotwise/webapp/csrf/v1"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(session: AsyncSession, user: User, *, lifetime: timedelta) -> str:
    """Open a browser session for ``user`` lasting ``lifetime``; returns the plain token for
    the cookie (shown once: only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            user_id=user.id,
            hashed_token=_digest(token),
            csrf_secret=secrets.token_urlsafe(32),
            expires_at=clock.now() + lifetime,
        )
    )
    await session.flush()
    return token


async def load_session(
    session: AsyncSession, token: str
) -> tuple[User, WebSession, list[tuple[int, str]]] | None:
    """The user, the session row and the user's accepted team memberships ``[(team_id,
    role)]`` of the unexpired session ``token``, read in one statement; None for an unknown or
    expired token."""
    if not token or len(token) > 200:
        return None
    row = (
        await session.execute(
            select(User, WebSession, memberships_column())
            .join(WebSession, WebSession.user_id == User.id)
            .where(WebSession.hashed_token == _digest(token))
        )
    ).first()
    if row is None:
        return None
    user, web_session, joined = row
    if web_session.expires_at <= clock.now():
        return None
    return user, web_session, parse_memberships(joined)


async def end_session(session: AsyncSession, token: str) -> None:
    """Delete the session ``token`` (logging out); nothing happens for an unknown token."""
    await session.execute(delete(WebSession).where(WebSession.hashed_token == _digest(token)))


async def end_all_sessions(session: AsyncSession, user_id: int) -> None:
    """Delete every browser session of user ``user_id`` (after a password change or reset)."""
    await session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def anonymous_csrf_token(key: bytes, cookie_value: str) -> str:
    """The CSRF token of a form shown before logging in, for the ``slotwise_csrf`` cookie
    value ``cookie_value`` (an HMAC under the installation ``key``)."""
    derived = hmac.new(key, _ANON_PURPOSE, hashlib.sha256).digest()
    return hmac.new(derived, cookie_value.encode(), hashlib.sha256).hexdigest()


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two CSRF tokens; False when either is missing."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def same_origin(site: str | None, origin: str | None, host_url: str) -> bool:
    """False when the browser says the request comes from another site: a ``Sec-Fetch-Site``
    header (``site``) other than ``same-origin``/``none``, or an ``Origin`` header (``origin``)
    that is not ``host_url`` (``scheme://host[:port]``). Requests with neither header (not from
    a browser) pass: they carry no ambient cookies of a victim."""
    if site is not None and site not in ("same-origin", "none"):
        return False
    return origin is None or origin.rstrip("/") == host_url.rstrip("/")
