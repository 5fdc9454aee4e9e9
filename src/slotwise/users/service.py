"""Creating users (with their first API key, :func:`slotwise.api_keys.service.issue_api_key`).

Usernames must be unique, lower-case URL-safe, and not one of the first path segments the
server itself uses (:data:`RESERVED_USERNAMES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.api_keys.service import issue_api_key
from slotwise.kit.passwords import WeakPassword, check_strength, hash_password
from slotwise.kit.timezones import is_valid_time_zone
from slotwise.kit.websession import end_all_sessions
from slotwise.models import User
from slotwise.users import repository

RESERVED_USERNAMES = frozenset(
    {
        "api", "v1", "v2", "health", "docs", "redoc", "openapi.json", "mcp", "booking",
        "bookings", "team", "teams", "d", "static", "admin", "login", "logout", "signup",
        "settings", "apps", "auth", "oauth", "embed", "metrics", "favicon.ico", "robots.txt",
        "event-types", "availability", "reschedule", "cancel", "org", "orgs", "user", "users",
        "well-known", ".well-known", "assets", "public", "dynamic", "app", "avatars",
    }
)  # fmt: skip

_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class UserError(ValueError):
    """A user cannot be created as asked; the message says why."""


@dataclass
class CreatedUser:
    """A new user and its API key in plain text (shown once, never stored)."""

    user: User
    api_key: str


def checked_username(username: str) -> str:
    """``username`` stripped and lower-cased; UserError when it is reserved or malformed."""
    username = username.strip().lower()
    if username in RESERVED_USERNAMES:
        raise UserError(f"Username '{username}' is reserved: the server uses /{username}")
    if not _USERNAME_RE.match(username):
        raise UserError(
            f"Username '{username}' is invalid: use lower-case letters, digits, '.', '_' or '-'"
        )
    return username


async def username_refusal(session: AsyncSession, user: User, username: str) -> str | None:
    """Why ``user`` may not take ``username`` (None when they may)."""
    try:
        wanted = checked_username(username)
    except UserError as exc:
        return str(exc)
    if wanted != user.username and await repository.username_taken(session, wanted):
        return f"Username '{wanted}' is already taken"
    return None


async def change_username(session: AsyncSession, user: User, username: str) -> None:
    """Give ``user`` the name ``username`` (the rules of :func:`create_user`); UserError when
    it is reserved, malformed or someone else's."""
    username = checked_username(username)
    if username == user.username:
        return
    if await repository.username_taken(session, username):
        raise UserError(f"Username '{username}' is already taken")
    user.username = username
    await session.flush()


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    email: str,
    name: str | None = None,
    time_zone: str = "UTC",
) -> CreatedUser:
    """Create a user with one API key.

    Raises UserError for a reserved, malformed or taken username, a taken email, or an
    unknown time zone.
    """
    username = checked_username(username)
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise UserError(f"Email '{email}' is invalid")
    if not is_valid_time_zone(time_zone):
        raise UserError(f"Time zone '{time_zone}' is not an IANA time zone")
    if await repository.username_taken(session, username):
        raise UserError(f"Username '{username}' is already taken")
    if await repository.email_taken(session, email):
        raise UserError(f"A user with email '{email}' already exists")
    user = User(username=username, email=email, name=name or username, time_zone=time_zone)
    session.add(user)
    await session.flush()
    key = await issue_api_key(session, user)
    return CreatedUser(user=user, api_key=key)


async def set_password(session: AsyncSession, user: User, password: str) -> None:
    """Give ``user`` the web app password ``password`` (stored as an argon2id hash) and end
    their browser sessions. Raises UserError for a password the web app refuses (fewer than 8
    characters, only letters or only digits, more than 256)."""
    try:
        check_strength(password)
    except WeakPassword as exc:
        raise UserError(f"Password refused: {exc}") from None
    user.password_hash = hash_password(password)
    await end_all_sessions(session, user.id)
    await session.flush()


async def reserved_usernames_in_use(session: AsyncSession) -> list[str]:
    """Existing usernames that are now reserved (a user named ``app`` from before the web app
    took ``/app``): their public page cannot be reached until they are renamed
    (``slotwise users rename``)."""
    return await repository.usernames_among(session, sorted(RESERVED_USERNAMES))
