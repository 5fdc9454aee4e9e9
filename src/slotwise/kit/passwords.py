"""Password hashing for the web app's logins: argon2id through ``argon2-cffi`` (its default,
RFC 9106 low-memory profile).

Unknown users cost the same as known ones: :func:`verify_password` with ``stored=None`` checks
the password against a fixed dummy hash, so a login answers in the same time either way.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
MAX_LENGTH = 256


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("slotwise-dummy-password")


class WeakPassword(ValueError):
    """A password the web app refuses; the message says why (English source text, translated
    by the caller through the pages' catalog)."""


def check_strength(password: str) -> None:
    """Raise :class:`WeakPassword` unless ``password`` has 8 to 256 characters, not all of
    them the same kind (at least one letter and one digit or symbol)."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("Use at least 8 characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("Use at most 256 characters")
    if password.isalpha() or password.isdigit():
        raise WeakPassword("Mix letters with digits or symbols")


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string) to store for ``password``."""
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches the ``stored`` hash. ``stored`` None (no such user, or
    no password set) still spends the time of one verification and answers False."""
    try:
        return _hasher().verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with weaker parameters than today's (rehash on login)."""
    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True
