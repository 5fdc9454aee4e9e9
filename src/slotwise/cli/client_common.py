"""Plumbing of the client commands (``slotwise login``, ``bookings``, ``slots``, …): stored
credentials, the SDK client, output and errors.

Credentials: ``slotwise login`` writes ``{"api_key", "api_url"}`` to ``credentials.json`` in the
platformdirs user config dir (``~/.config/slotwise`` on Linux, honouring XDG_CONFIG_HOME), mode
0600. ``SLOTWISE_API_KEY`` and ``SLOTWISE_API_URL`` override the file. The URL is the server root
(default ``http://127.0.0.1:8000``).

Output: write commands print one line saying what was done; lists are tables of the essential
columns that fit 80 columns (``--wide``: every column); ``--json`` prints the response's
``data``. Instants are shown in the viewer's zone: ``TZ`` when it names an IANA zone, otherwise
the system's local zone.

Errors: the server's message on stderr and exit status 1; a server that cannot be reached or a
refused key get a message saying which URL was tried and what to do, at once (no retries).

The SDK (and httpx) is imported only when a command calls the server, to keep ``--help`` fast.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from slotwise.cli.common import fail

if TYPE_CHECKING:
    from slotwise.client import Client

#: The server root used when none is configured (the SDK's ``DEFAULT_BASE_URL``).
DEFAULT_API_URL = "http://127.0.0.1:8000"

console = Console(soft_wrap=True, highlight=False)
status_console = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the response's data as JSON")]
WideOption = Annotated[bool, typer.Option("--wide", help="Show every column")]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        help="Extra body fields as a JSON object, or @file.json (flags win over it)",
    ),
]


def config_path() -> Path:
    """Where ``slotwise login`` stores credentials."""
    import platformdirs

    return Path(platformdirs.user_config_dir("slotwise")) / "credentials.json"


@dataclass(frozen=True)
class Credentials:
    """The API key (None: call public operations only), the server root and where each came
    from (``"env"``, ``"file"`` or ``"default"``)."""

    api_key: str | None
    api_url: str
    key_source: str
    url_source: str = "default"


def stored_credentials() -> dict[str, Any]:
    """The login file's content (empty when there is none)."""
    path = config_path()
    if not path.exists():
        return {}
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise fail(f"Cannot read {path}: {exc}. Run `slotwise login` again.") from exc
    return stored if isinstance(stored, dict) else {}


def load_credentials() -> Credentials:
    """Credentials from SLOTWISE_API_KEY / SLOTWISE_API_URL, else the login file, else none."""
    stored = stored_credentials()
    env_key = os.environ.get("SLOTWISE_API_KEY")
    key = env_key or stored.get("api_key")
    key_source = "env" if env_key else ("file" if stored.get("api_key") else "default")
    env_url = os.environ.get("SLOTWISE_API_URL")
    url = env_url or stored.get("api_url") or DEFAULT_API_URL
    url_source = "env" if env_url else ("file" if stored.get("api_url") else "default")
    return Credentials(key, str(url).rstrip("/"), key_source, url_source)


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
    """An SDK client from the stored or environment credentials; a timeout or a refused
    connection fails at once (no retries: the user is waiting)."""
    from slotwise.client import Client, RetryPolicy

    creds = credentials or load_credentials()
    return Client(
        creds.api_url,
        api_key=creds.api_key,
        retry=RetryPolicy(retry_transport_errors=False),
    )


_SOURCES = {
    "env": "from SLOTWISE_API_URL",
    "file": "from `slotwise login`",
    "default": "the default",
    "given": "as given",
}
_KEY_SOURCES = {"env": "SLOTWISE_API_KEY", "file": "`slotwise login`", "given": "this login"}


def unreachable_message(creds: Credentials, reason: str) -> str:
    """What to do when no answer came from ``creds.api_url``."""
    return (
        f"Cannot reach a Slotwise server at {creds.api_url} "
        f"({_SOURCES.get(creds.url_source, 'as configured')}): "
        f"{reason}. Start one with `slotwise serve` (or `slotwise serve --demo` to try it out), "
        "or point the CLI at yours with `slotwise login --api-url URL` or SLOTWISE_API_URL."
    )


def refused_key_message(creds: Credentials, server_message: str) -> str:
    """What to do when the server answered 401."""
    if not creds.api_key:
        return (
            f"This command needs an API key and none is configured (server {creds.api_url}). "
            "Run `slotwise login` (or set SLOTWISE_API_KEY)."
        )
    return (
        f"The server at {creds.api_url} refused the API key from "
        f"{_KEY_SOURCES.get(creds.key_source, 'the configuration')} "
        f"({creds.api_key[:13]}…): {server_message} (HTTP 401). Run `slotwise login` with a "
        "valid key (`slotwise users api-key USERNAME` on the server issues one)."
    )


@contextmanager
def api_errors(credentials: Credentials | None = None) -> Iterator[None]:
    """Turn SDK errors into a message on stderr and exit status 1: the server's message for API
    errors, what to do for a refused key or a server that cannot be reached."""
    from slotwise.client import SlotwiseAPIError, SlotwiseConnectionError, SlotwiseError
    from slotwise.client import SlotwiseTimeout as Timeout

    creds = credentials or load_credentials()
    try:
        yield
    except SlotwiseAPIError as exc:
        if exc.status == 401:
            raise fail(refused_key_message(creds, exc.message)) from exc
        detail = f" ({exc.code}, HTTP {exc.status})" if exc.code else f" (HTTP {exc.status})"
        raise fail(f"{exc.message}{detail}") from exc
    except SlotwiseConnectionError as exc:
        reason = "no answer in time" if isinstance(exc, Timeout) else _connection_reason(exc)
        raise fail(unreachable_message(creds, reason)) from exc
    except SlotwiseError as exc:
        raise fail(str(exc)) from exc


def _connection_reason(exc: Exception) -> str:
    text = str(exc.__cause__ or exc)
    if "refused" in text.lower() or "all connection attempts failed" in text.lower():
        return "connection refused"
    return text or "no connection"


def call(work: Callable[[Client], Any]) -> Any:
    """Run ``work(client)`` with a fresh client; errors exit 1 with a message saying what to
    do."""
    creds = load_credentials()
    with api_errors(creds), make_client(creds) as client:
        return work(client)


def print_json(data: Any) -> None:
    """Print ``data`` exactly, as indented JSON."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def say(text: str) -> None:
    """Print one human line (no rich markup is interpreted in ``text``)."""
    console.print(escape(text))


def done(data: Any, as_json: bool, line: Callable[[Any], str]) -> None:
    """A write command's output: ``--json`` prints ``data``; otherwise one line,
    ``line(data)``."""
    if as_json:
        print_json(data)
    else:
        say(line(data))


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


FULL = "%a %Y-%m-%d %H:%M %Z"


def local(value: Any, fmt: str = FULL) -> str:
    """An ISO instant shown in the viewer's zone (``Mon 2050-09-05 10:00 CEST``); other values
    as text."""
    parsed = parse_instant(value)
    if parsed is None:
        return "" if value is None else str(value)
    return parsed.astimezone(viewer_zone()).strftime(fmt)


def span(start: Any, end: Any) -> str:
    """A time range in the viewer's zone: ``2050-09-05 11:00–11:30 CEST`` on one day, else
    both ends in full."""
    first, last = parse_instant(start), parse_instant(end)
    if first is None or last is None:
        return f"{local(start)}–{local(end)}"
    zone = viewer_zone()
    first, last = first.astimezone(zone), last.astimezone(zone)
    if first.date() == last.date():
        return f"{first:%Y-%m-%d %H:%M}–{last:%H:%M} {last.strftime('%Z')}"
    return f"{first:%Y-%m-%d %H:%M %Z} – {last:%Y-%m-%d %H:%M %Z}"


def cell(value: Any) -> str:
    """A table cell: instants in the viewer's zone, objects as compact JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return local(value)


class Column(NamedTuple):
    """A table column: its ``header``, the row's key or a function of the row, and whether it
    may wrap (``flex``: long free text); other columns never wrap."""

    header: str
    get: str | Callable[[Mapping[str, Any]], Any]
    flex: bool = False


def table(
    rows: Sequence[Any],
    columns: Sequence[Column],
    title: str | None = None,
    *,
    wide: bool = False,
) -> None:
    """Print ``rows`` (dicts) as a compact table (no borders, so 80 columns hold the essential
    ones); flex columns wrap, the others never do. ``wide``: as wide as the content needs."""
    out = Table(
        title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left"
    )
    for column in columns:
        if column.flex:
            out.add_column(column.header, overflow="fold", ratio=1)
        else:
            out.add_column(column.header, no_wrap=True)
    for row in rows:
        if not isinstance(row, Mapping):
            out.add_row(escape(cell(row)), *[""] * (len(columns) - 1))
            continue
        out.add_row(
            *[escape(cell(c.get(row) if callable(c.get) else row.get(c.get))) for c in columns]
        )
    if wide:
        natural = Measurement.get(console, console.options.update_width(100_000), out).maximum
        width = max(console.width, natural)
        Console(width=width, soft_wrap=True, highlight=False, file=console.file).print(out)
    else:
        console.print(out)
    if not rows:
        console.print("(none)")


def record(data: Any, title: str | None = None) -> None:
    """Print one object as a two-column field/value table."""
    if not isinstance(data, Mapping):
        console.print(escape(cell(data)))
        return
    out = Table(
        "field",
        "value",
        title=title,
        show_header=False,
        box=box.SIMPLE,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
    )
    for key, value in data.items():
        out.add_row(escape(str(key)), escape(cell(value)))
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


def attendee_names(booking: Mapping[str, Any]) -> str:
    """``Ada, Grace`` for a booking's attendees."""
    people = booking.get("attendees") or []
    return ", ".join(str(p.get("name", "")) for p in people if isinstance(p, Mapping))


BOOKING_COLUMNS: list[Column] = [
    Column("uid", "uid"),
    Column("when (your time)", lambda b: span(b.get("start"), b.get("end"))),
    Column("status", "status"),
    Column("with", attendee_names, flex=True),
]
BOOKING_WIDE_COLUMNS: list[Column] = [
    Column("uid", "uid"),
    Column("start", "start"),
    Column("end", "end"),
    Column("title", "title", flex=True),
    Column("status", "status"),
    Column("event type", lambda b: (b.get("eventType") or {}).get("slug") or b.get("eventTypeId")),
    Column("attendees", attendees_text, flex=True),
    Column("location", "location", flex=True),
]
