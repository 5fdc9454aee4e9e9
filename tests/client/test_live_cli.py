"""The client commands against a live Slotwise server (SQLite and PostgreSQL): login, schedules,
event types, slots, book, reschedule, cancel, agenda; ``--json`` prints exactly ``data``; errors
print the server's message to stderr and exit non-zero."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slotwise.cli import app
from slotwise.client import Client
from tests.conftest import Host

MONDAY = "2050-09-05"


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user config dir; no credentials in the environment; the viewer in Rome."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SLOTWISE_API_KEY", raising=False)
    monkeypatch.delenv("SLOTWISE_API_URL", raising=False)
    monkeypatch.setenv("TZ", "Europe/Rome")
    return tmp_path / "config"


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    return result


def run_json(*args: str) -> Any:
    """Run with ``--json``; it goes before ``--`` (which protects uids starting with ``-``)."""
    at = args.index("--") if "--" in args else len(args)
    result = run(*args[:at], "--json", *args[at:])
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


async def test_login_then_full_booking_flow(live_url: str, host: Host, config_home: Path) -> None:
    done = run("login", "--api-key", host.api_key, "--api-url", live_url)
    assert done.exit_code == 0, done.output
    assert f"as {host.username}" in done.stdout
    creds = config_home / "slotwise" / "credentials.json"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert json.loads(creds.read_text()) == {"api_key": host.api_key, "api_url": live_url}

    me = run_json("me")
    assert me["username"] == host.username

    schedule = run_json(
        "schedules", "create", "--name", "Office", "--time-zone", "Europe/Rome", "--default",
        "--availability", "Monday,Tuesday,Wednesday,Thursday,Friday=09:00-12:00",
    )  # fmt: skip
    assert schedule["availability"][0]["startTime"] == "09:00"
    event_type = run_json(
        "event-types", "create", "--title", "Intro", "--slug", "intro", "--length", "30",
        "--data", '{"description": "hello"}',
    )  # fmt: skip
    et = str(event_type["id"])
    assert event_type["description"] == "hello"

    slots = run_json("slots", "list", "--event-type-id", et, "--start", MONDAY, "--end", MONDAY)
    # The viewer's zone (TZ=Europe/Rome) is the default zone of the answer.
    assert slots[MONDAY][0] == {"start": "2050-09-05T09:00:00.000+02:00"}
    table = run("slots", "list", "--event-type-id", et, "--start", MONDAY, "--end", MONDAY)
    assert "09:00 09:30 10:00" in table.stdout

    booking = run_json(
        "bookings", "create", "--event-type-id", et, "--start", "2050-09-05T07:00:00Z",
        "--name", "Ada", "--email", "ada@example.com", "--time-zone", "Europe/London",
    )  # fmt: skip
    uid = booking["uid"]
    with Client(live_url, api_key=host.api_key) as cal:
        assert run_json("bookings", "get", "--", uid) == cal.bookings.get(uid)
        assert run_json("bookings", "list") == cal.bookings.list()

    shown = run("bookings", "list")
    assert "11:00" not in shown.stdout  # 07:00Z is 09:00 in Rome, shown in full:
    assert "2050-09-05 09:00–09:30 CEST" in shown.stdout
    agenda = run_json("agenda", "--days", "100000")
    assert [b["uid"] for b in agenda] == [uid]
    assert "Ada" in run("agenda", "--days", "100000").stdout

    moved = run_json("bookings", "reschedule", "--start", "2050-09-05T08:00:00Z", "--", uid)
    assert moved["start"] == "2050-09-05T08:00:00.000Z"
    cancelled = run_json("bookings", "cancel", "--reason", "sorry", "--", moved["uid"])
    assert cancelled["status"] == "cancelled"
    everything = run_json("bookings", "list", "--status", "cancelled", "--all")
    assert sorted(b["uid"] for b in everything) == sorted([uid, moved["uid"]])


async def test_errors_go_to_stderr_with_exit_1(
    live_url: str, host: Host, config_home: Path
) -> None:
    os.environ["SLOTWISE_API_URL"] = live_url
    os.environ["SLOTWISE_API_KEY"] = host.api_key
    try:
        missing = run("bookings", "get", "nope")
        assert missing.exit_code == 1
        assert "Booking with uid=nope not found" in missing.stderr
        assert missing.stdout == ""

        bad = run("schedules", "create", "--name", "x", "--time-zone", "Nowhere/Land")
        assert bad.exit_code == 1
        assert "Error:" in bad.stderr

        no_slots = run("slots", "list", "--event-type-id", "999999", "--start", MONDAY,
                       "--end", MONDAY)  # fmt: skip
        assert no_slots.exit_code == 1
        assert no_slots.stderr.strip()

        os.environ["SLOTWISE_API_KEY"] = "cal_live_bogus"
        denied = run("me")
        assert denied.exit_code == 1
        assert "401" in denied.stderr
    finally:
        os.environ.pop("SLOTWISE_API_URL", None)
        os.environ.pop("SLOTWISE_API_KEY", None)

    refused = run("login", "--api-key", "cal_live_bogus", "--api-url", live_url)
    assert refused.exit_code == 1
    assert not (config_home / "slotwise" / "credentials.json").exists()


async def test_real_console_script(live_url: str, host: Host, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path),
        "SLOTWISE_API_URL": live_url,
        "SLOTWISE_API_KEY": host.api_key,
    }
    ok = subprocess.run(
        [sys.executable, "-m", "slotwise", "timezones", "--json"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "Europe/Rome" in json.loads(ok.stdout)
    failed = subprocess.run(
        [sys.executable, "-m", "slotwise", "bookings", "cancel", "nope"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert failed.returncode == 1
    assert "not found" in failed.stderr
    assert failed.stdout == ""
