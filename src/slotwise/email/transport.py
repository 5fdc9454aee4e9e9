"""Delivering messages: SMTP when ``SLOTWISE_SMTP_URL`` is set, otherwise the outbox directory.

``smtp://user:pass@host:port`` (STARTTLS when the server offers it; ``?starttls=true`` requires
it, ``?starttls=false`` never uses it), ``smtps://user:pass@host:port`` (TLS from the first
byte). Default ports: 25 for ``smtp``, 465 for ``smtps``. User and password are URL-decoded.
Without SMTP, each message is written to ``SLOTWISE_OUTBOX_DIR`` (default ``<data dir>/outbox``)
as an ``.eml`` file and logged, so a default install shows what it would send. Logs name
recipients, subjects and the server, never passwords or message bodies (which hold signed
links).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from slotwise.config import Settings, default_data_dir
from slotwise.models import utcnow

log = logging.getLogger("slotwise.email")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpTarget:
    """A parsed ``SLOTWISE_SMTP_URL``. ``start_tls``: True required, False never, None when
    offered. ``use_tls``: implicit TLS (``smtps``)."""

    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool | None

    def __repr__(self) -> str:  # never show the password
        return f"SmtpTarget({self.hostname}:{self.port}, tls={self.use_tls}, user={self.username})"


def parse_smtp_url(url: str) -> SmtpTarget:
    """Parse an SMTP URL (see the module doc). Raises ValueError for another scheme, a missing
    host, a bad port or a ``starttls`` value other than true/false."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ValueError("SLOTWISE_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("SLOTWISE_SMTP_URL has no host")
    try:
        port = parts.port or (465 if scheme == "smtps" else 25)
    except ValueError as exc:
        raise ValueError("SLOTWISE_SMTP_URL has an invalid port") from exc
    query = {k.lower(): v[-1].strip().lower() for k, v in parse_qs(parts.query).items()}
    start_tls: bool | None = None
    if "starttls" in query:
        if query["starttls"] in _TRUE:
            start_tls = True
        elif query["starttls"] in _FALSE:
            start_tls = False
        else:
            raise ValueError("SLOTWISE_SMTP_URL: starttls must be true or false")
    if scheme == "smtps":
        start_tls = False
    return SmtpTarget(
        hostname=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        use_tls=scheme == "smtps",
        start_tls=start_tls,
    )


def outbox_dir(settings: Settings) -> Path:
    """``SLOTWISE_OUTBOX_DIR``, or ``<data dir>/outbox``; created if missing."""
    path = settings.outbox_dir or (default_data_dir() / "outbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


def recipients_of(message: EmailMessage) -> list[str]:
    """The envelope recipients: every address in To, Cc and Bcc."""
    fields = [str(v) for h in ("To", "Cc", "Bcc") for v in message.get_all(h, [])]
    return [addr for _name, addr in getaddresses(fields) if addr]


async def send_message(message: EmailMessage, settings: Settings, *, timeout: float = 30.0) -> str:
    """Deliver ``message``; returns ``"smtp"`` or the path of the ``.eml`` file written.

    Raises aiosmtplib.SMTPException or OSError when the server cannot be reached or refuses
    the message (a job retries it), ValueError for a bad ``SLOTWISE_SMTP_URL``.
    """
    to = recipients_of(message)
    subject = str(message.get("Subject", ""))
    if settings.smtp_url is None or not settings.smtp_url.get_secret_value():
        path = write_to_outbox(message, outbox_dir(settings))
        log.info("email to %s (%r) written to the outbox: %s", ", ".join(to), subject, path)
        return str(path)
    target = parse_smtp_url(settings.smtp_url.get_secret_value())
    await aiosmtplib.send(
        message,
        recipients=to,
        hostname=target.hostname,
        port=target.port,
        username=target.username,
        password=target.password,
        use_tls=target.use_tls,
        start_tls=target.start_tls,
        timeout=timeout,
    )
    log.info("email to %s (%r) sent through %s:%s", to, subject, target.hostname, target.port)
    return "smtp"


def write_to_outbox(message: EmailMessage, directory: Path) -> Path:
    """Write ``message`` to ``directory`` as ``<UTC time>-<hash of Message-ID>.eml`` (atomically:
    a temporary file renamed into place) and return the path."""
    data = message.as_bytes()
    ident = str(message.get("Message-ID", "")) or hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256(ident.encode()).hexdigest()[:16]
    name = f"{utcnow():%Y%m%dT%H%M%S%fZ}-{digest}.eml"
    tmp = directory / f".{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, directory / name)
    return directory / name
