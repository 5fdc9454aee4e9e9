"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for email tests.

aiosmtpd's Controller runs the server on its own thread and event loop; it defaults to ``::1``
and cannot pick its own port, so we bind 127.0.0.1 on a port found free first.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr

from slotwise.config import Settings
from slotwise.email.messages import booking_emails
from slotwise.models import Attendee, Booking, User

LOGIN, PASSWORD = "mailer", "p@ss:word"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Received:
    """One message as the server got it: envelope sender and recipients, the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    login: str | None


@dataclass
class SmtpSink:
    """Records every message; ``credentials`` (login, password) are required when set."""

    credentials: tuple[str, str] | None = None
    port: int = 0
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        message = email.message_from_bytes(data, _class=EmailMessage, policy=email.policy.default)
        login = session.auth_data.login.decode() if session.auth_data else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, login))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and self.credentials == (
            auth_data.login.decode(),
            auth_data.password.decode(),
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait until at least ``count`` messages have arrived; returns them all."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.received) < count:
            if loop.time() > deadline:
                raise AssertionError(f"expected {count} messages, got {len(self.received)}")
            await asyncio.sleep(0.02)
        return list(self.received)


def start_smtp(
    sink: SmtpSink,
    *,
    tls_context: ssl.SSLContext | None = None,
    implicit_tls: bool = False,
) -> tuple[Controller, int]:
    """Start an SMTP server for ``sink`` on 127.0.0.1; returns (controller, port).

    ``tls_context``: offer STARTTLS with it (``implicit_tls``: speak TLS from the first byte
    instead, as smtps). Authentication is offered (over plain connections too: this is a
    loopback test server) and checked against ``sink.credentials``; each message records the
    login used, if any.
    """
    port = free_port()
    kwargs: dict[str, Any] = {
        "auth_require_tls": False,
        "authenticator": sink.authenticate,
    }
    if implicit_tls:
        kwargs["ssl_context"] = tls_context
    elif tls_context is not None:
        kwargs["tls_context"] = tls_context
    controller = Controller(sink, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    sink.port = port
    return controller, port


def links_of(text: str) -> dict[str, str]:
    """``{"confirm": path?query, "decline": path?query}`` from a host's plain-text email."""
    out = {}
    for word in text.split():
        if word.startswith("http://slotwise.test/booking/") and "token=" in word:
            parts = urlsplit(word)
            out[parts.path.rsplit("/", 1)[1]] = f"{parts.path}?{parts.query}"
    return out


@contextmanager
def running_sink() -> Iterator[SmtpSink]:
    """A plain SMTP server on 127.0.0.1 that checks login ``mailer`` / ``p@ss:word``, for the
    duration of the ``with`` block."""
    recorder = SmtpSink(credentials=(LOGIN, PASSWORD))
    controller, _port = start_smtp(recorder)
    try:
        yield recorder
    finally:
        controller.stop()


def smtp_settings(db_url: str, sink: SmtpSink, tmp_path: Path) -> Settings:
    """Settings of a test app that sends mail to ``sink`` (credentials URL-encoded in
    ``SLOTWISE_SMTP_URL``), with a fixed secret key."""
    return Settings(
        database_url=db_url,
        public_url="http://slotwise.test",
        rate_limit_per_minute=100_000,
        smtp_url=SecretStr(f"smtp://mailer:p%40ss%3Aword@127.0.0.1:{sink.port}"),
        email_from="Slotwise Test <bookings@slotwise.test>",
        secret_key=SecretStr("test-secret-key"),
        outbox_dir=tmp_path / "outbox",
    )


def sample_message(settings: Settings) -> EmailMessage:
    """A "created" email to one attendee of a detached (never stored) booking."""
    start = datetime(2050, 9, 5, 10, 0, tzinfo=UTC)
    booking = Booking(
        id=1, uid="sample", user_id=1, title="Sample", description=None, status="accepted",
        start_time=start, end_time=start + timedelta(minutes=30), location=None,
        ical_uid="sample@slotwise", ical_sequence=0, created_at=start,
    )  # fmt: skip
    attendee = Attendee(name="Bob", email="bob@example.com", time_zone="UTC", language="en")
    host = User(id=1, name="Alice", email="alice@example.com", time_zone="UTC", time_format=12)
    return booking_emails("created", booking, [attendee], host, settings=settings, secret_key=b"k")[
        0
    ]
