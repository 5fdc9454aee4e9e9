"""Users, their API keys and their web app sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slotwise.models.base import Base, JSONType, UTCDateTime, utcnow


class User(Base):
    """A person who hosts events. ``time_zone`` is an IANA name; ``week_start`` a day name."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    week_start: Mapped[str] = mapped_column(String(10), default="Sunday")
    time_format: Mapped[int] = mapped_column(Integer, default=12)
    locale: Mapped[str | None] = mapped_column(String(10))
    bio: Mapped[str | None] = mapped_column(Text)
    avatar_url: Mapped[str | None] = mapped_column(String(1000))
    metadata_: Mapped[dict[str, object] | None] = mapped_column("metadata", JSONType)
    default_schedule_id: Mapped[int | None] = mapped_column(Integer)
    # User booking limits {"perDay", "perWeek", "perMonth", "perYear"} (slotwise.me.booking_limits)
    booking_limits: Mapped[dict[str, int] | None] = mapped_column(JSONType)
    # The web app's login (argon2id hash, ``webapp/passwords.py``); None: no password set (the
    # user can still use API keys), so nobody can log in as them in the browser.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # When the user proved they own ``email`` (the link of SLOTWISE_REQUIRE_EMAIL_VERIFICATION).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebSession(Base):
    """A browser session of the web app (``/app``): the cookie holds a random token, only its
    SHA-256 hex digest is stored here, so a database leak gives no session away. ``expires_at``
    (UTC) ends it; logging out deletes the row. ``csrf_secret`` derives the session's CSRF
    tokens (``kit/websession.py``)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    hashed_token: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiKey(Base):
    """An API key; only the SHA-256 hash of the secret is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    hashed_key: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
