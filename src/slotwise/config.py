"""Runtime settings, read from ``SLOTWISE_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user data dir (platformdirs)."""
    data_dir = Path(platformdirs.user_data_dir("slotwise", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'slotwise.db'}"


class Settings(BaseSettings):
    """Every setting of a Slotwise process.

    Each field maps to the environment variable ``SLOTWISE_<FIELD NAME IN CAPITALS>``.
    """

    model_config = SettingsConfigDict(env_prefix="SLOTWISE_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description="sqlite:///path.db or postgresql://user@host:port/db (we pick the driver)",
    )
    public_url: str | None = Field(
        default=None,
        description="Base of every absolute link the server writes; default http://{host}:{port}",
    )
    host: str = Field(default="127.0.0.1", description="Interface `serve` binds to")
    port: int = Field(default=8000, description="Port `serve` binds to")
    redis_url: str | None = Field(
        default=None, description="When set, rate-limit counters are shared through this Redis"
    )
    rate_limit_per_minute: int = Field(
        default=120, description="Requests per minute per API key (per client IP when anonymous)"
    )
    cors_origins: str = Field(
        default="*", description="Comma-separated origins allowed by CORS on the public endpoints"
    )
    reservation_minutes: int = Field(
        default=5, description="Default lifetime of a slot reservation, in minutes"
    )
    sqlite_busy_timeout_ms: int = Field(
        default=30000, description="How long a SQLite writer waits for the write lock"
    )

    @cached_property
    def base_url(self) -> str:
        """The public base URL without a trailing slash."""
        url = self.public_url or f"http://{self.host}:{self.port}"
        return url.rstrip("/")
