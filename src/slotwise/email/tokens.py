"""Signed links: the server's secret key and HMAC tokens for the organizer's confirm/decline links.

A token is ``<expiry>.<signature>``: ``expiry`` in Unix seconds (UTC), ``signature`` the
URL-safe base64 of HMAC-SHA256 over ``action|uid|organizer id|expiry`` with a key derived from the
secret key for this one purpose. It proves that the server wrote the link for this booking,
this action and this organizer, and expires when the booking ends. Nothing is stored: changing the
secret key invalidates every link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from slotwise.config import Settings, default_data_dir

log = logging.getLogger("slotwise.email")

BookingAction = Literal["confirm", "decline"]
SECRET_FILE_NAME = "secret_key"
_PURPOSE = b"slotwise/email/booking-action/v1"


class InvalidToken(Exception):
    """A link token that is malformed, forged, for something else, or expired."""


@lru_cache(maxsize=8)
def _load_or_create(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)  # written by an older version with the process umask
        value = path.read_text(encoding="utf-8").strip()
        if not value:
            raise RuntimeError(f"{path} is empty: delete it or set SLOTWISE_SECRET_KEY") from None
        return value.encode()
    value = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    log.info("generated a secret key in %s (set SLOTWISE_SECRET_KEY to choose one)", path)
    return value.encode()


def secret_key_file(directory: Path | None = None) -> Path:
    """Where the generated secret key lives: ``<directory or data dir>/secret_key``."""
    return (directory or default_data_dir()) / SECRET_FILE_NAME


def resolve_secret_key(settings: Settings, *, data_dir: Path | None = None) -> bytes:
    """The secret key: ``SLOTWISE_SECRET_KEY`` when set, otherwise the key kept in
    ``<data dir>/secret_key``, generated (48 random bytes, URL-safe base64, file mode 0600) the
    first time. Concurrent first calls agree (exclusive create). Raises RuntimeError for an
    empty key file."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value().encode()
    return _load_or_create(secret_key_file(data_dir))


def _signature(key: bytes, action: str, uid: str, organizer_id: int, expires: int) -> str:
    derived = hmac.new(key, _PURPOSE, hashlib.sha256).digest()
    message = f"{action}|{uid}|{organizer_id}|{expires}".encode()
    digest = hmac.new(derived, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_booking_action(
    key: bytes, *, action: BookingAction, uid: str, organizer_id: int, expires: datetime
) -> str:
    """A token allowing ``action`` on booking ``uid`` by organizer ``organizer_id`` until
    ``expires`` (timezone-aware; usually the booking's end)."""
    stamp = int(expires.timestamp())
    return f"{stamp}.{_signature(key, action, uid, organizer_id, stamp)}"


def verify_booking_action(
    key: bytes, token: str, *, action: BookingAction, uid: str, organizer_id: int, now: datetime
) -> None:
    """Check ``token`` for ``action`` on ``uid`` by ``host_id`` at instant ``now``.

    Raises InvalidToken when it is malformed, its signature does not match (tampered, or
    written for another booking, action or organizer, or with another key), or it has expired.
    """
    stamp_text, _, signature = token.partition(".")
    if not stamp_text.isdigit() or not signature or len(stamp_text) > 12:
        raise InvalidToken("malformed token")
    stamp = int(stamp_text)
    expected = _signature(key, action, uid, organizer_id, stamp)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise InvalidToken("bad signature")
    if now.timestamp() > stamp:
        raise InvalidToken("expired")
