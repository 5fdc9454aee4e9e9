"""What the client commands print for a person (against a live server, SQLite and PostgreSQL):
one line per write (``--json`` the data), tables within 80 columns (``--wide`` for all),
weekly hours and date overrides, login prompts, and what to do when the server is down or the
key is refused. Webhooks, private links, out of office and API-key refresh work end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slotwise.cli import app
from slotwise.client import Client
from tests.conftest import Host
from tests.subprocesses import free_port

WEEKDAYS = "Monday,Tuesday,Wednesday,Thursday,Friday"


@pytest.fixture
def cli_env(live_url: str, host: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("SLOTWISE_API_URL", live_url)
    monkeypatch.setenv("SLOTWISE_API_KEY", host.api_key)
    monkeypatch.setenv("TZ", "Europe/Rome")


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=input)


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output + result.stderr
    return str(result.stdout)


def data(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


async def test_write_commands_print_one_line_and_json_the_data(
    live_url: str, host: Host, cli_env: None
) -> None:
    line = ok("event-types", "create", "--title", "Intro call", "--slug", "intro-call",
              "--length", "30")  # fmt: skip
    with Client(live_url, api_key=host.api_key) as cal:
        [created] = [e for e in cal.event_types.list() if e["slug"] == "intro-call"]
        page = f"{live_url}/{host.username}/intro-call"
        assert line == f'Created event type {created["id"]} "Intro call" — booking page: {page}\n'
        assert data("event-types", "get", str(created["id"])) == cal.event_types.get(created["id"])

        updated = data("event-types", "update", str(created["id"]), "--title", "Intro")
        assert updated == cal.event_types.get(created["id"]) and updated["title"] == "Intro"

        schedule_line = ok("schedules", "create", "--name", "Office", "--time-zone", "Europe/Rome",
                           "--availability", f"{WEEKDAYS}=09:00-12:00",
                           "--availability", f"{WEEKDAYS}=13:00-17:00",
                           "--availability", "Saturday=10:00-12:00")  # fmt: skip
        [schedule] = cal.schedules.list()
        assert schedule_line == (
            f'Created schedule {schedule["id"]} "Office" (Europe/Rome, default): '
            "Mon–Fri 09:00–12:00, 13:00–17:00; Sat 10:00–12:00\n"
        )

        deleted = ok("event-types", "delete", str(created["id"]))
        assert deleted == f'Deleted event type {created["id"]} "Intro".\n'
        assert [e for e in cal.event_types.list() if e["id"] == created["id"]] == []


async def test_date_overrides_with_flags(live_url: str, host: Host, cli_env: None) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        schedule = cal.schedules.create({"name": "Hours", "timeZone": "UTC", "isDefault": True})
        sid = str(schedule["id"])

        off = ok("schedules", "override", sid, "--date", "2050-09-06", "--off")
        assert off == f'Schedule {sid} "Hours": unavailable all day on 2050-09-06.\n'
        short = data("schedules", "override", sid, "--date", "2050-09-07",
                     "--start", "10:00", "--end", "12:00")  # fmt: skip
        expected = [
            {"date": "2050-09-06", "startTime": "00:00", "endTime": "00:00"},
            {"date": "2050-09-07", "startTime": "10:00", "endTime": "12:00"},
        ]
        assert short["overrides"] == expected == cal.schedules.get(schedule["id"])["overrides"]

        shown = ok("schedules", "get", sid)
        assert "weekly hours:   Mon–Fri 09:00–17:00" in shown
        assert "date overrides: 2050-09-06 off; 2050-09-07 10:00–12:00" in shown
        listed = ok("schedules", "list")
        assert "Mon–Fri 09:00–17:00" in listed and '"days"' not in listed

        ok("schedules", "override", sid, "--date", "2050-09-06", "--remove")
        assert cal.schedules.get(schedule["id"])["overrides"] == expected[1:]

        for wrong in (
            ["--date", "2050-09-06"],
            ["--date", "2050-09-06", "--off", "--remove"],
            ["--date", "2050-09-06", "--start", "10:00"],
            ["--date", "2050-13-01", "--off"],
            ["--date", "2050-09-06", "--start", "25:00", "--end", "26:00"],
        ):
            refused = run("schedules", "override", sid, *wrong)
            assert refused.exit_code == 1 and refused.stderr.startswith("Error: "), wrong
        assert cal.schedules.get(schedule["id"])["overrides"] == expected[1:]


async def test_tables_fit_80_columns_and_wide_shows_all(
    live_url: str, host: Host, cli_env: None
) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        cal.schedules.create({"name": "Hours", "timeZone": "UTC", "isDefault": True})
        et = cal.event_types.create({"title": "Chat", "slug": "chat", "lengthInMinutes": 30})
        booking = cal.bookings.create({
            "eventTypeId": et["id"], "start": "2050-09-05T09:00:00Z",
            "attendee": {"name": "Ada Lovelace", "email": "ada@example.com",
                         "timeZone": "Europe/London"},
        })  # fmt: skip
    listed = ok("bookings", "list")
    assert all(len(line) <= 80 for line in listed.splitlines()), listed
    row = next(line for line in listed.splitlines() if booking["uid"] in line)
    assert "2050-09-05 11:00–11:30 CEST" in row and "Ada Lovelace" in row  # the viewer's zone
    wide = ok("bookings", "list", "--wide")
    row = next(line for line in wide.splitlines() if booking["uid"] in line)
    assert booking["title"] in row and "ada@example.com" in row
    assert "Mon 2050-09-05 11:00 CEST" in row and "Mon 2050-09-05 11:30 CEST" in row
    for args in (("event-types", "list"), ("schedules", "list")):
        assert all(len(line) <= 80 for line in ok(*args).splitlines()), args


async def test_webhooks_private_links_ooo_and_key_refresh_work(
    live_url: str, host: Host, cli_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        hook = data("webhooks", "create", "--url", "https://example.com/hook",
                    "--trigger", "BOOKING_CREATED")  # fmt: skip
        assert cal.webhooks.get(hook["id"]) == hook
        line = ok("webhooks", "update", str(hook["id"]), "--inactive")
        assert line == (
            f"Updated webhook {hook['id']} -> https://example.com/hook on BOOKING_CREATED "
            "(inactive)\n"
        )
        assert "https://example.com/hook" in ok("webhooks", "list")
        ok("webhooks", "delete", str(hook["id"]))
        assert list(cal.webhooks.iter()) == []

        et = cal.event_types.create({"title": "Chat", "slug": "chat", "lengthInMinutes": 30})
        link = data("private-links", "create", str(et["id"]), "--max-usage-count", "5")
        assert cal.private_links.list(et["id"]) == [link]
        assert link["linkId"] in ok("private-links", "list", str(et["id"]))

        away = ok("ooo", "create", "--start", "2050-10-01T00:00:00Z", "--end",
                  "2050-10-05T23:59:00Z", "--reason", "vacation")  # fmt: skip
        [entry] = cal.ooo.list()
        assert away == (
            f"Added out-of-office entry {entry['id']}: "
            "2050-10-01 02:00 CEST – 2050-10-06 01:59 CEST (vacation)\n"
        )

    fresh = data("api-keys", "refresh")
    assert fresh["apiKey"].startswith("cal_live_") and fresh["apiKey"] != host.api_key
    monkeypatch.setenv("SLOTWISE_API_KEY", fresh["apiKey"])
    assert data("me")["username"] == host.username


async def test_login_prompts_for_the_key_without_echo(
    live_url: str, host: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SLOTWISE_API_KEY", raising=False)
    monkeypatch.delenv("SLOTWISE_API_URL", raising=False)
    done = run("login", "--api-url", live_url, input=f"{host.api_key}\n")
    assert done.exit_code == 0, done.output + done.stderr
    assert host.api_key not in done.output
    assert f"Logged in as {host.username} to {live_url}" in done.stdout
    stored = json.loads((tmp_path / "config" / "slotwise" / "credentials.json").read_text())
    assert stored == {"api_key": host.api_key, "api_url": live_url}


async def test_server_down_and_refused_key_say_what_to_do(
    live_url: str, host: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    down = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("SLOTWISE_API_URL", down)
    monkeypatch.setenv("SLOTWISE_API_KEY", host.api_key)
    refused = run("bookings", "list")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert f"Cannot reach a Slotwise server at {down} (from SLOTWISE_API_URL)" in refused.stderr
    assert "connection refused" in refused.stderr and "slotwise serve" in refused.stderr

    monkeypatch.setenv("SLOTWISE_API_URL", live_url)
    monkeypatch.setenv("SLOTWISE_API_KEY", "cal_live_wrong")
    wrong = run("me")
    assert wrong.exit_code == 1
    assert f"The server at {live_url} refused the API key from SLOTWISE_API_KEY" in wrong.stderr
    assert "slotwise login" in wrong.stderr

    monkeypatch.delenv("SLOTWISE_API_KEY")
    missing = run("me")
    assert missing.exit_code == 1
    assert "none is configured" in missing.stderr and "slotwise login" in missing.stderr
