"""The ``--demo`` seed: a demo user, a default schedule, two event types and a lasting demo key
and web app password.

Idempotent: existing rows are reused. The demo key is kept in ``<data dir>/demo_key`` (mode 0600,
like the generated secret key), so saved CLI logins and MCP configurations keep working across
restarts: each seed makes sure that key works on this database (and that no other demo key
does). ``new_key=True`` (``serve --demo --new-key``) issues a fresh key, revokes the earlier
demo keys and replaces the file.

The demo user's web app password is generated once and kept beside the key, in
``<data dir>/demo_password`` (0600); each seed makes it the demo user's password, and
``new_key=True`` replaces it together with the key (ending the demo user's browser sessions).

The demo event types meet in person (``30min``) or by phone (``60min``, the organizer calls the
attendee), so bookings need no video provider.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.api_keys.repository import delete_keys
from slotwise.api_keys.service import issue_api_key, revoke_demo_keys
from slotwise.config import default_data_dir
from slotwise.event_types.repository import add_owner_host
from slotwise.kit.auth import hash_key
from slotwise.kit.passwords import WeakPassword, check_strength, verify_password
from slotwise.models import ApiKey, EventType, Schedule, User
from slotwise.users.service import create_user, set_password

DEMO_USERNAME = "demo"
DEMO_KEY_FILE = "demo_key"
DEMO_PASSWORD_FILE = "demo_password"
DEMO_ADDRESS = "Slotwise demo office, 1 Example Street, London"
DEMO_EVENT_TYPES: tuple[tuple[str, str, int, str, list[dict[str, Any]]], ...] = (
    (
        "30min",
        "30 Minute Meeting",
        30,
        "A quick meeting in person.",
        [{"type": "address", "address": DEMO_ADDRESS, "public": True}],
    ),
    (
        "60min",
        "60 Minute Meeting",
        60,
        "A longer conversation: the organizer calls you.",
        [{"type": "attendeePhone"}],
    ),
)
_KEY_SHAPE = re.compile(r"^cal_live_[0-9a-f]{48}$")
_PASSWORD_SHAPE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass
class DemoSeed:
    """What the demo seed made or found: the user, the key to use (``new_key``: issued by this
    seed rather than read back from ``key_file``), the event type ids by slug."""

    user_id: int
    username: str
    api_key: str
    event_type_ids: dict[str, int]
    key_file: Path
    new_key: bool
    password: str = ""
    """The demo user's web app password (kept in ``demo_password`` beside ``key_file``)."""


def demo_key_file() -> Path:
    """Where the demo key is kept: ``<data dir>/demo_key`` (``SLOTWISE_DATA_DIR``, or the user
    data dir)."""
    return default_data_dir() / DEMO_KEY_FILE


def read_demo_key(path: Path) -> str | None:
    """The demo key kept in ``path``, or None when the file is missing or does not hold a key.
    A file readable by others (left by hand) is narrowed to 0600."""
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)
        value = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    return value if _KEY_SHAPE.match(value) else None


def write_demo_key(path: Path, key: str) -> None:
    """Keep ``key`` in ``path``: written to a temporary file created 0600, then renamed into
    place (never readable by others, never half written)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    os.replace(tmp, path)


def new_demo_password() -> str:
    """A random password the web app accepts (URL-safe letters, digits, ``-`` and ``_``)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_strength(password)
        except WeakPassword:
            continue
        return password


def read_demo_password(path: Path) -> str | None:
    """The demo password kept in ``path``, or None when missing or not one we wrote."""
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)
        value = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    return value if _PASSWORD_SHAPE.match(value) else None


async def _demo_password(session: AsyncSession, user: User, key_file: Path, renew: bool) -> str:
    """The kept demo password (a new one when ``renew`` or none is kept), made ``user``'s web
    app password."""
    path = key_file.with_name(DEMO_PASSWORD_FILE)
    password = None if renew else read_demo_password(path)
    if password is None:
        password = new_demo_password()
        write_demo_key(path, password)
    if not verify_password(user.password_hash, password):
        await set_password(session, user, password)
    return password


async def _keep_key(session: AsyncSession, user: User, key: str) -> bool:
    """Make ``key`` the demo user's only demo key on this database; False when it belongs to
    someone else here (then a new key must be issued)."""
    hashed = hash_key(key)
    owner = await session.scalar(select(ApiKey.user_id).where(ApiKey.hashed_key == hashed))
    if owner is not None and owner != user.id:
        return False
    await delete_keys(
        session, and_(ApiKey.user_id == user.id, ApiKey.is_demo, ApiKey.hashed_key != hashed)
    )
    if owner is None:  # a new database, or the key was deleted: store it again
        session.add(ApiKey(user_id=user.id, hashed_key=hashed, note="demo", is_demo=True))
        await session.flush()
    return True


async def _demo_key(session: AsyncSession, user: User, key_file: Path, new_key: bool) -> str | None:
    """The kept demo key once it works here, or None when a new one must be issued."""
    if new_key:
        return None
    kept = read_demo_key(key_file)
    if kept is not None and await _keep_key(session, user, kept):
        return kept
    return None


async def seed_demo(
    session: AsyncSession, *, key_file: Path | None = None, new_key: bool = False
) -> DemoSeed:
    """Create (or reuse) the demo user, schedule and event types, and the demo key.

    ``key_file`` (default :func:`demo_key_file`) keeps the key between starts; ``new_key``
    replaces it with a fresh one (earlier demo keys stop working). The caller commits; the key
    file is written before, so a failed commit leaves a key that the next seed stores again.
    """
    key_file = key_file or demo_key_file()
    user = await session.scalar(select(User).where(User.username == DEMO_USERNAME))
    if user is None:
        created = await create_user(
            session, username=DEMO_USERNAME, email="demo@example.com", name="Demo Host"
        )
        user = created.user
    key = await _demo_key(session, user, key_file, new_key)
    issued = key is None
    if key is None:
        await revoke_demo_keys(session, user)
        # create_user issued a normal key; demo keys are marked so --new-key revokes them.
        key = await issue_api_key(session, user, note="demo", demo=True)
        write_demo_key(key_file, key)
    password = await _demo_password(session, user, key_file, renew=issued)
    if user.default_schedule_id is None:
        schedule = Schedule(
            user_id=user.id,
            name="Working hours",
            time_zone=user.time_zone,
            availability=[
                {
                    "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                    "startTime": "09:00",
                    "endTime": "17:00",
                }
            ],
            overrides=[],
        )
        session.add(schedule)
        await session.flush()
        user.default_schedule_id = schedule.id
    ids: dict[str, int] = {}
    for slug, title, length, description, locations in DEMO_EVENT_TYPES:
        event_type = await session.scalar(
            select(EventType).where(EventType.user_id == user.id, EventType.slug == slug)
        )
        if event_type is None:
            event_type = EventType(
                user_id=user.id,
                slug=slug,
                title=title,
                length=length,
                hidden=False,
                config={
                    "description": description,
                    "minimumBookingNotice": 0,
                    "locations": locations,
                },
            )
            session.add(event_type)
            await session.flush()
            await add_owner_host(session, event_type)
        elif not (event_type.config or {}).get("locations"):
            # Seeded by an earlier version (Cal Video, which needs a video provider).
            event_type.config = {**(event_type.config or {}), "locations": locations}
        ids[slug] = event_type.id
    await session.flush()
    return DemoSeed(user.id, user.username, key, ids, key_file, issued, password)
