"""Plumbing of the client commands (``slotwise login``, ``bookings``, ``slots``, …): stored
credentials, the SDK client, output (rich tables in the viewer's zone, or ``--json``) and errors.

Credentials: ``slotwise login`` writes ``{"api_key", "api_url"}`` to ``credentials.json`` in the
platformdirs user config dir (``~/.config/slotwise`` on Linux, honouring XDG_CONFIG_HOME), mode
0600. ``SLOTWISE_API_KEY`` and ``SLOTWISE_API_URL`` override the file. The URL is the server root
(default ``http://127.0.0.1:8000``).

The viewer's time zone is ``TZ`` when it names an IANA zone, otherwise the system's local zone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
import typer
from rich.console import Console
from rich.table import Table

from slotwise.cli.common import fail
from slotwise.client import DEFAULT_BASE_URL, Client, SlotwiseAPIError, SlotwiseError

console = Console(soft_wrap=True)
status_console = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the response's data as JSON")]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        help="Extra body fields as a JSON object, or @file.json (flags win over it)",
    ),
]


def config_path() -> Path:
    """Where ``slotwise login`` stores credentials."""
    return Path(platformdirs.user_config_dir("slotwise")) / "credentials.json"


@dataclass(frozen=True)
class Credentials:
    """The API key (None: call public operations only), the server root and where each came
    from (``"env"``, ``"file"`` or ``"default"``)."""

    api_key: str | None
    api_url: str
    key_source: str


def load_credentials() -> Credentials:
    """Credentials from SLOTWISE_API_KEY / SLOTWISE_API_URL, else the login file, else none."""
    stored: dict[str, Any] = {}
    path = config_path()
    if path.exists():
        try:
            stored = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise fail(f"Cannot read {path}: {exc}. Run `slotwise login` again.") from exc
    env_key = os.environ.get("SLOTWISE_API_KEY")
    key = env_key or stored.get("api_key")
    source = "env" if env_key else ("file" if stored.get("api_key") else "default")
    url = os.environ.get("SLOTWISE_API_URL") or stored.get("api_url") or DEFAULT_BASE_URL
    return Credentials(key, str(url), source)


def save_credentials(api_key: str, api_url: str) -> Path:
    """Write the login file with mode 0600 (created that way, so it is never world-readable)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"api_key": api_key, "api_url": api_url}, handle)
    path.chmod(0o600)
    return path


def make_client(credentials: Credentials | None = None) -> Client:
    """An SDK client from the stored or environment credentials."""
    creds = credentials or load_credentials()
    return Client(creds.api_url, api_key=creds.api_key)


@contextmanager
def api_errors() -> Iterator[None]:
    """Turn SDK errors into the server's message on stderr and exit status 1."""
    try:
        yield
    except SlotwiseAPIError as exc:
        detail = f" ({exc.code}, HTTP {exc.status})" if exc.code else f" (HTTP {exc.status})"
        raise fail(f"{exc.message}{detail}") from exc
    except SlotwiseError as exc:
        raise fail(str(exc)) from exc


def call(work: Callable[[Client], Any]) -> Any:
    """Run ``work(client)`` with a fresh client; errors exit 1 with the server's message."""
    with api_errors(), make_client() as client:
        return work(client)


def print_json(data: Any) -> None:
    """Print ``data`` exactly, as indented JSON."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def read_data(data: str | None) -> dict[str, Any]:
    """The ``--data`` option: a JSON object, or ``@path`` to a file holding one."""
    if not data:
        return {}
    text = Path(data[1:]).read_text() if data.startswith("@") else data
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise fail(f"--data is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise fail("--data must be a JSON object")
    return value


def body(data: str | None, **fields: Any) -> Any:
    """``--data`` merged with the flags that were given (None and empty lists are skipped): a
    JSON object typed ``Any`` on purpose, since the server, not the CLI, validates bodies."""
    out = read_data(data)
    out.update({k: v for k, v in fields.items() if v is not None and v != []})
    return out


def viewer_zone() -> tzinfo | None:
    """The viewer's zone: ``TZ`` when it names an IANA zone, else the zone ``/etc/localtime``
    links to; None (the C library's local time) when neither is known."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = str(Path("/etc/localtime").resolve())
        except OSError:
            target = ""
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None


def viewer_zone_name() -> str | None:
    """The IANA name of :func:`viewer_zone`, to ask the server for answers in it."""
    zone = viewer_zone()
    return str(zone) if zone is not None else None


def parse_instant(value: Any) -> datetime | None:
    """An ISO 8601 instant (``Z`` or offset) as an aware datetime; None if it is not one."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def local(value: Any, fmt: str = "%a %Y-%m-%d %H:%M %Z") -> str:
    """An ISO instant shown in the viewer's zone (``Mon 2050-09-05 10:00 CEST``); other values
    as text."""
    parsed = parse_instant(value)
    if parsed is None:
        return "" if value is None else str(value)
    return parsed.astimezone(viewer_zone()).strftime(fmt)


def cell(value: Any) -> str:
    """A table cell: instants in the viewer's zone, objects as compact JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return local(value)


Column = tuple[str, str | Callable[[Mapping[str, Any]], Any]]


def table(rows: Sequence[Any], columns: Sequence[Column], title: str | None = None) -> None:
    """Print ``rows`` (dicts) as a rich table; a column is (header, key or function)."""
    out = Table(title=title)
    for header, _ in columns:
        out.add_column(header, overflow="fold")
    for row in rows:
        if not isinstance(row, Mapping):
            out.add_row(cell(row), *[""] * (len(columns) - 1))
            continue
        out.add_row(
            *[cell(get(row)) if callable(get) else cell(row.get(get)) for _, get in columns]
        )
    console.print(out)
    if not rows:
        console.print("(none)")


def record(data: Any, title: str | None = None) -> None:
    """Print one object as a two-column field/value table."""
    if not isinstance(data, Mapping):
        console.print(cell(data))
        return
    out = Table("field", "value", title=title, show_header=False)
    for key, value in data.items():
        out.add_row(str(key), cell(value))
    console.print(out)


def show(data: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """``--json``: print ``data`` exactly; otherwise ``render(data)``."""
    if as_json:
        print_json(data)
    else:
        render(data)


def attendees_text(booking: Mapping[str, Any]) -> str:
    """``Ada <ada@example.com>, …`` for a booking's attendees."""
    people = booking.get("attendees") or []
    return ", ".join(
        f"{p.get('name', '')} <{p.get('email', '')}>" for p in people if isinstance(p, Mapping)
    )


BOOKING_COLUMNS: list[Column] = [
    ("uid", "uid"),
    ("start", "start"),
    ("end", lambda b: local(b.get("end"), "%H:%M")),
    ("title", "title"),
    ("status", "status"),
    ("attendees", attendees_text),
]
