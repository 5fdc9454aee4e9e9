"""Signed account links: password reset and email verification.

A token is ``<user id>.<expiry>.<signature>``: ``expiry`` in Unix seconds (UTC), ``signature``
the URL-safe base64 of HMAC-SHA256 over ``purpose|user id|expiry|fingerprint`` with a key
derived from the installation key for account links only. The fingerprint binds the link to
the account's state when it was written, so it works once:

- ``reset-password``: a digest of the current password hash; setting a new password (through
  the link or otherwise) invalidates every earlier reset link;
- ``verify-email``: a digest of the email address; changing the address invalidates the link.

Nothing is stored; changing the installation key invalidates every link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Literal

from slotwise.models import User

LinkPurpose = Literal["reset-password", "verify-email"]
LINK_LIFETIME: dict[LinkPurpose, timedelta] = {
    "reset-password": timedelta(hours=1),
    "verify-email": timedelta(days=2),
}
_DERIVE = b"slotwise/users/account-link/v1"


class InvalidLink(Exception):
    """A link token that is malformed, forged, used, for something else, or expired."""


def _fingerprint(purpose: LinkPurpose, user: User) -> str:
    reset = purpose == "reset-password"
    state = (user.password_hash or "") if reset else user.email.lower()
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def _signature(key: bytes, purpose: LinkPurpose, user_id: int, expires: int, print_: str) -> str:
    derived = hmac.new(key, _DERIVE, hashlib.sha256).digest()
    message = f"{purpose}|{user_id}|{expires}|{print_}".encode()
    digest = hmac.new(derived, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_link(key: bytes, purpose: LinkPurpose, user: User, now: datetime) -> str:
    """A token for ``purpose`` on ``user``'s account, valid :data:`LINK_LIFETIME` from
    ``now`` and while the account keeps its current password (reset) or email (verify)."""
    expires = int((now + LINK_LIFETIME[purpose]).timestamp())
    signature = _signature(key, purpose, user.id, expires, _fingerprint(purpose, user))
    return f"{user.id}.{expires}.{signature}"


def link_user_id(token: str) -> int:
    """The user id a token names (not yet checked); raises InvalidLink when malformed."""
    user_text, _, _rest = token.partition(".")
    if not user_text.isdigit() or len(user_text) > 12 or len(token) > 200:
        raise InvalidLink("malformed token")
    return int(user_text)


def check_link(key: bytes, purpose: LinkPurpose, token: str, user: User, now: datetime) -> None:
    """Check ``token`` for ``purpose`` on ``user`` at ``now``; raises InvalidLink when it is
    malformed, its signature does not match (tampered, another purpose or account, the
    password or email changed since) or it has expired."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) > 12:
        raise InvalidLink("malformed token")
    if link_user_id(token) != user.id:
        raise InvalidLink("another account")
    expires = int(parts[1])
    expected = _signature(key, purpose, user.id, expires, _fingerprint(purpose, user))
    if not hmac.compare_digest(expected.encode(), parts[2].encode()):
        raise InvalidLink("bad signature")
    if now.timestamp() > expires:
        raise InvalidLink("expired")
