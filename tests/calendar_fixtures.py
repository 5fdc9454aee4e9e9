"""Real peers for the connected-calendar tests.

- :func:`radicale`: a Radicale CalDAV server (from PyPI) started once per test session on
  127.0.0.1 with a temporary storage and plain htpasswd authentication; each test makes its own
  users (:meth:`Radicale.add_user`, unique names) and calendars, and puts events there with the
  ``caldav`` client, as another CalDAV client would.
- :func:`feeds`: a threaded HTTP server on 127.0.0.1 serving ICS feeds registered per test
  (:meth:`FeedServer.serve`), honouring ``If-None-Match``, recording each request's headers.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import caldav
import pytest
from requests.auth import HTTPBasicAuth

from tests.subprocesses import Child, free_port


@dataclass
class Radicale:
    """A running Radicale server: ``url`` (root, with a trailing slash) and its htpasswd."""

    url: str
    htpasswd: Path
    users: dict[str, str] = field(default_factory=dict)

    def _write(self) -> None:
        self.htpasswd.write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))

    def add_user(self, password: str = "secret-pass") -> str:
        """A new user with ``password``; returns the user name."""
        name = f"u{uuid.uuid4().hex[:10]}"
        self.users[name] = password
        self._write()
        return name

    def set_password(self, user: str, password: str) -> None:
        """Change ``user``'s password (Radicale reads the file on each request)."""
        self.users[user] = password
        self._write()

    def client(self, user: str) -> caldav.DAVClient:
        """A ``caldav`` client of ``user`` (another CalDAV client than Slotwise's)."""
        return caldav.DAVClient(
            url=self.url,
            auth=HTTPBasicAuth(user, self.users[user]),
        )

    def make_calendar(self, user: str, name: str) -> Any:
        """A new calendar of ``user`` named ``name`` (a caldav Calendar object)."""
        return self.client(user).principal().make_calendar(name=name)


@pytest.fixture(scope="session")
def radicale() -> Iterator[Radicale]:
    """Radicale on 127.0.0.1, once per session (temporary storage, htpasswd plain auth)."""
    with tempfile.TemporaryDirectory(prefix="slotwise-radicale-") as tmp:
        root = Path(tmp)
        htpasswd = root / "users"
        htpasswd.write_text("")
        port = free_port()
        child = Child(
            [
                sys.executable,
                "-m",
                "radicale",
                f"--storage-filesystem-folder={root / 'collections'}",
                "--auth-type=htpasswd",
                f"--auth-htpasswd-filename={htpasswd}",
                "--auth-htpasswd-encryption=plain",
                "--auth-delay=0",
                f"--server-hosts=127.0.0.1:{port}",
                "--logging-level=warning",
            ],
            {"PATH": "/usr/bin:/bin", "HOME": tmp},
            None,
        )
        try:
            child.wait_http(
                f"http://127.0.0.1:{port}/.web/", timeout=30, ready=lambda r: r.status_code < 500
            )
            yield Radicale(f"http://127.0.0.1:{port}/", htpasswd)
        finally:
            child.stop()


@dataclass
class Route:
    """What the feed server answers on one path."""

    status: int = 200
    body: bytes = b""
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer:
    """The test HTTP server: ``url(path)``, :meth:`serve`, and ``requests`` (path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.etag:
                    self.send_header("ETag", route.etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        """The full URL of ``path``."""
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, route: Route) -> str:
        """Answer ``route`` on ``path``; returns its URL."""
        self.routes[path] = route
        return self.url(path)


@pytest.fixture(scope="session")
def feeds() -> Iterator[FeedServer]:
    """The ICS feed server, once per session (tests use unique paths)."""
    server = FeedServer()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def vcalendar(*events: str, name: str = "Feed", zone: str | None = None) -> bytes:
    """A VCALENDAR around ``events`` (VEVENT texts, CRLF added)."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", f"X-WR-CALNAME:{name}"]
    if zone:
        head.append(f"X-WR-TIMEZONE:{zone}")
    lines = [*head, *(e.strip() for e in events), "END:VCALENDAR"]
    return (
        "\r\n".join("\r\n".join(x.strip() for x in line.splitlines()) for line in lines) + "\r\n"
    ).encode()


def vevent(uid: str, start: str, end: str, *extra: str) -> str:
    """A VEVENT text with UTC or date times (``20261208T100000Z`` / ``VALUE=DATE:20261208``)."""

    def prop(name: str, value: str) -> str:
        return (
            f"{name};{value}"
            if value.startswith("VALUE=") or value.startswith("TZID=")
            else f"{name}:{value}"
        )

    return "\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20261201T000000Z",
            prop("DTSTART", start),
            prop("DTEND", end),
            *extra,
            "END:VEVENT",
        ]
    )
