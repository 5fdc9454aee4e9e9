"""Runtime settings, read from ``SLOTWISE_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

import ipaddress
import os
from functools import cached_property
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user data dir (:func:`default_data_dir`,
    mode 0700). The file is created empty with mode 0600 (SQLite gives its ``-wal`` and ``-shm``
    files the database file's mode), and an existing one, with its ``-wal``/``-shm``, is
    narrowed to 0600."""
    path = default_data_dir() / "slotwise.db"
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if existing.exists() and existing.stat().st_mode & 0o077:
                existing.chmod(0o600)
    return f"sqlite:///{path}"


def default_data_dir() -> Path:
    """The data dir of Slotwise, created if missing: ``SLOTWISE_DATA_DIR`` when set, otherwise
    the user data dir (platformdirs). The default home of the SQLite database, the generated
    secret key, the demo key and the email outbox. Mode 0700."""
    chosen = os.environ.get("SLOTWISE_DATA_DIR", "").strip()
    data_dir = (
        Path(chosen).expanduser()
        if chosen
        else Path(platformdirs.user_data_dir("slotwise", appauthor=False))
    )
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if data_dir.stat().st_mode & 0o077:
        data_dir.chmod(0o700)  # only its owner may list or read it (created 0700; older: narrowed)
    return data_dir


DEFAULT_WEBHOOK_RETRY_SCHEDULE = "10,30,60,300,900,1800,3600,7200,14400,28800,28800"


def parse_retry_schedule(value: str) -> list[float]:
    """``"10,30,60"`` → ``[10.0, 30.0, 60.0]`` (seconds). Raises ValueError for an empty list,
    a non-number or a negative delay."""
    try:
        delays = [float(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError("webhook_retry_schedule: comma-separated seconds, e.g. 10,60,300") from exc
    if not delays or any(d < 0 for d in delays):
        raise ValueError("webhook_retry_schedule: at least one delay, none negative")
    return delays


def parse_forwarded_allow_ips(value: str) -> list[str]:
    """``"10.0.0.1, 10.1.0.0/16"`` → ``["10.0.0.1", "10.1.0.0/16"]``; ``"*"`` → ``["*"]``;
    ``""`` → ``[]`` (trust no proxy). Raises ValueError naming an entry that is neither an IP
    address nor a network."""
    entries = [part.strip() for part in value.split(",") if part.strip()]
    if entries == ["*"]:
        return entries
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ValueError(
                f"forwarded_allow_ips: {entry!r} is not an IP address or network (or '*')"
            ) from exc
    return entries


class Settings(BaseSettings):
    """Every setting of a Slotwise process.

    Each field maps to the environment variable ``SLOTWISE_<FIELD NAME IN CAPITALS>``.
    """

    model_config = SettingsConfigDict(env_prefix="SLOTWISE_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description="sqlite:///path.db or postgresql://user@host:port/db (we pick the driver); "
        "default: slotwise.db in the data dir (SLOTWISE_DATA_DIR)",
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
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body accepted, in bytes; larger ones get 413 "
        "PayloadTooLargeException (from Content-Length before reading, or as the bytes arrive)",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies trusted to set X-Forwarded-For/-Proto: comma-separated IPs or CIDRs, "
        "'*' for any; default none (the client address is the TCP peer)",
    )
    log_level: str = Field(
        default="INFO",
        pattern=r"(?i)^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$",
        description="Level of the server's and worker's logs; DEBUG adds the tracebacks of "
        "unexpected errors (at INFO and above an error is one line with its request id)",
    )
    metrics: bool = Field(
        default=False,
        description="Serve Prometheus metrics at /metrics (docs/operations.md lists the series); "
        "restrict /metrics to your monitoring network at the proxy",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Log lines as text or as one JSON object each (time, level, logger, "
        "message, request_id); jobs a request enqueued log with that request's id",
    )
    cors_origins: str = Field(
        default="*", description="Comma-separated origins allowed by CORS on the public endpoints"
    )
    reservation_minutes: int = Field(
        default=5, description="Default lifetime of a slot reservation, in minutes"
    )
    slots_cache_entries: int = Field(
        default=256,
        ge=0,
        description="Answers of GET /v2/slots each API process remembers on SQLite (0: none); "
        "one is served again only while no commit has reached the database and the clock is "
        "in the same minute, so it is never stale (docs/operations.md)",
    )
    database_pool_size: int = Field(
        default=10,
        ge=1,
        description="PostgreSQL connections each API or worker process keeps open (up to twice "
        "as many more under bursts); with `serve --workers N`, N processes each hold a pool",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=30000, description="How long a SQLite writer waits for the write lock"
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="The installation secret: signs the confirm/decline links in emails and "
        "derives the key that encrypts stored secrets (webhook secrets); when unset, one is "
        "generated once and kept in <data dir>/secret_key (set the same value on every machine "
        "of a multi-machine install; after changing it run `slotwise secrets rotate --old-key`)",
    )
    smtp_url: SecretStr | None = Field(
        default=None,
        description="Outgoing mail server: smtp://user:pass@host:port (add ?starttls=true to "
        "require STARTTLS) or smtps://user:pass@host:port (TLS); unset: emails go to the outbox",
    )
    email_from: str | None = Field(
        default=None,
        description='From header of emails, e.g. "Slotwise <no-reply@example.com>"; default '
        "no-reply@<host of the public URL>",
    )
    outbox_dir: Path | None = Field(
        default=None,
        description="Directory where emails are written as .eml files when smtp_url is unset; "
        "default <data dir>/outbox",
    )
    worker_in_process: bool = Field(
        default=True,
        description="`serve` runs the background worker in-process (`serve --no-worker`: off)",
    )
    worker_concurrency: int = Field(
        default=8, ge=1, description="Jobs one worker process runs at the same time"
    )
    worker_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often an idle worker looks for due jobs, in seconds"
    )
    job_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A claimed job's lease, in seconds (renewed while it runs); a job whose "
        "worker died is claimed again once its lease expires",
    )
    job_max_attempts: int = Field(
        default=10, ge=1, description="Attempts of a job before it is marked failed (non-webhook)"
    )
    webhook_retry_schedule: str = Field(
        default=DEFAULT_WEBHOOK_RETRY_SCHEDULE,
        description="Seconds to wait before each webhook retry, comma-separated (about a day in "
        "total by default); each delay gets +/-20% jitter; attempts = delays + 1",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one webhook delivery (connect and read)"
    )
    webhook_block_private_networks: bool | None = Field(
        default=None,
        description="Also refuse webhook (and calendar feed) URLs resolving to private, loopback "
        "or link-local addresses (cloud metadata addresses are always refused). Unset: refused "
        "while `SLOTWISE_SIGNUP=open` (strangers' webhooks must not reach the operator's "
        "network), allowed otherwise. `serve --demo` sets `false` on its loopback server",
    )

    signup: Literal["open", "closed"] = Field(
        default="closed",
        description="Who may create an account in the web app (/app/signup): `open` lets anyone "
        "sign up; `closed` (default) leaves it to an administrator (`slotwise users create`), "
        "except for people holding a team invitation link. `serve --demo` sets `open`",
    )
    require_email_verification: bool = Field(
        default=False,
        description="Web app accounts must confirm their email address (a link is emailed at "
        "sign-up) before they can log in",
    )
    session_lifetime_hours: int = Field(
        default=24 * 14,
        ge=1,
        le=24 * 366,
        description="How long a web app login lasts (hours) before the browser must log in again",
    )

    apple_caldav_url: str = Field(
        default="https://caldav.icloud.com",
        description="Root URL of Apple's CalDAV server, from which the principal and calendars "
        "of an Apple calendar connection are discovered (trusted: set by the operator; point it "
        "at a local CalDAV server to stand in for Apple's)",
    )
    ics_max_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="Largest ICS feed read, in bytes (10 MB); a larger feed is refused with an "
        "error naming this setting",
    )
    calendar_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=120,
        description="Time budget of one call to a calendar provider (ICS feed fetch, CalDAV "
        "request), in seconds; a calendar that does not answer in time counts as failing",
    )
    calendar_cache_seconds: int = Field(
        default=60,
        ge=0,
        le=3600,
        description="How long busy times read from a connected calendar are reused for the same "
        "calendar and range, in seconds (0: never cached); a write by Slotwise to that calendar "
        "drops them at once",
    )

    google_client_id: str | None = Field(
        default=None,
        description="OAuth client id of the Google Cloud app for Google Calendar connections "
        "(redirect URI to register: {SLOTWISE_PUBLIC_URL}/v2/calendars/google/save)",
    )
    google_client_secret: SecretStr | None = Field(
        default=None, description="OAuth client secret of that Google Cloud app"
    )
    microsoft_client_id: str | None = Field(
        default=None,
        description="Application (client) id of the Microsoft Entra app for Outlook / Office "
        "365 calendars (redirect URI to register: "
        "{SLOTWISE_PUBLIC_URL}/v2/calendars/office365/save)",
    )
    microsoft_client_secret: SecretStr | None = Field(
        default=None, description="Client secret of that Microsoft Entra app"
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _check_forwarded(cls, value: str) -> str:
        parse_forwarded_allow_ips(value)
        return value

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        parse_retry_schedule(value)
        return value

    @property
    def webhook_retry_delays(self) -> list[float]:
        """``webhook_retry_schedule`` as a list of seconds."""
        return parse_retry_schedule(self.webhook_retry_schedule)

    @property
    def block_private_networks(self) -> bool:
        """Whether user-given URLs (webhooks, calendar feeds) may not reach private networks:
        ``webhook_block_private_networks`` when set, else True while sign-up is open. Every
        check of such a URL uses this, never the raw setting."""
        if self.webhook_block_private_networks is not None:
            return self.webhook_block_private_networks
        return self.signup == "open"

    @cached_property
    def base_url(self) -> str:
        """The public base URL without a trailing slash."""
        url = self.public_url or f"http://{self.host}:{self.port}"
        return url.rstrip("/")
