"""Every other operation the server serves today, through the SDK and the matching CLI command:
profile, event type and schedule CRUD, reservations, confirm/decline, time zones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slotwise.cli import app
from slotwise.client import BadRequest, Client, NotFound
from tests.conftest import Host

MONDAY = "2050-09-05"
CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}
ATTENDEE: Any = {"name": "Bo", "email": "bo@example.com", "timeZone": "UTC"}


@pytest.fixture
def cli_env(live_url: str, host: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("SLOTWISE_API_URL", live_url)
    monkeypatch.setenv("SLOTWISE_API_KEY", host.api_key)
    monkeypatch.setenv("TZ", "UTC")


def cli(*args: str) -> Any:
    """Run with ``--json``; it goes before ``--`` (which protects uids starting with ``-``)."""
    at = args.index("--") if "--" in args else len(args)
    result = CliRunner().invoke(app, [*args[:at], "--json", *args[at:]])
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


async def test_profile_event_types_and_schedules(live_url: str, host: Host, cli_env: None) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        assert cal.me.update({"timeZone": "Europe/Rome"})["timeZone"] == "Europe/Rome"
        assert cli("me", "update", "--time-zone", "Asia/Tokyo")["timeZone"] == "Asia/Tokyo"
        assert cal.me.get()["timeZone"] == "Asia/Tokyo"

        first: Any = cli("schedules", "create", "--name", "A", "--time-zone", "UTC", "--default")
        second: Any = cal.schedules.create({"name": "B", "timeZone": "UTC", "isDefault": False})
        assert cal.schedules.get_default()["id"] == first["id"]
        assert cli("schedules", "default")["id"] == first["id"]
        assert cli("schedules", "get", str(second["id"])) == cal.schedules.get(second["id"])
        renamed = cli("schedules", "update", str(second["id"]), "--name", "B2")
        assert renamed["name"] == "B2"
        assert [s["name"] for s in cli("schedules", "list")] == ["A", "B2"]
        cal.schedules.delete(second["id"])
        with pytest.raises(NotFound):
            cal.schedules.get(second["id"])
        cli("schedules", "delete", str(first["id"]))
        assert cal.schedules.list() == []

        et: Any = cal.event_types.create({"title": "T", "slug": "t", "lengthInMinutes": 15})
        assert cli("event-types", "get", str(et["id"])) == cal.event_types.get(et["id"])
        updated = cli("event-types", "update", str(et["id"]), "--title", "T2", "--length", "45")
        assert (updated["title"], updated["lengthInMinutes"]) == ("T2", 45)
        public = cli("event-types", "list", "--username", host.username)
        assert [e["slug"] for e in public] == ["t"]
        cli("event-types", "delete", str(et["id"]))
        with pytest.raises(NotFound):
            cal.event_types.get(et["id"])

        zones = cli("timezones")
        assert zones == cal.timezones.list()


async def test_reservations_and_confirmation(live_url: str, host: Host, cli_env: None) -> None:
    with Client(live_url, api_key=host.api_key) as cal:
        cal.schedules.create(
            {
                "name": "Days",
                "timeZone": "UTC",
                "isDefault": True,
                "availability": [{"days": ["Monday"], "startTime": "09:00", "endTime": "11:00"}],
            }
        )
        et: Any = cal.event_types.create(
            {"title": "C", "slug": "c", "lengthInMinutes": 60, "confirmationPolicy": CONFIRM}
        )
        starts = cal.slots.starts(event_type_id=et["id"], start=MONDAY, end=MONDAY)
        assert starts == ["2050-09-05T09:00:00.000Z", "2050-09-05T10:00:00.000Z"]

        held: Any = cal.slots.reserve({"eventTypeId": et["id"], "slotStart": starts[0]})
        assert cal.slots.get_reservation(held["reservationUid"])["slotStart"] == starts[0]
        moved = cal.slots.update_reservation(
            held["reservationUid"], {"eventTypeId": et["id"], "slotStart": starts[1]}
        )
        assert moved["slotStart"] == starts[1]
        cal.slots.release(held["reservationUid"])
        with pytest.raises(NotFound):
            cal.slots.get_reservation(held["reservationUid"])

        via_cli = cli("slots", "reserve", "--event-type-id", str(et["id"]), "--start", starts[0])
        assert (
            cli("slots", "reservation", "--", via_cli["reservationUid"])["slotStart"] == starts[0]
        )
        assert cli("slots", "release", "--", via_cli["reservationUid"]) is None

        pending: Any = cal.bookings.create(
            {"eventTypeId": et["id"], "start": starts[0], "attendee": ATTENDEE}
        )
        assert pending["status"] == "pending"
        assert cli("bookings", "confirm", "--", pending["uid"])["status"] == "accepted"
        other: Any = cal.bookings.create(
            {"eventTypeId": et["id"], "start": starts[1], "attendee": ATTENDEE}
        )
        declined = cal.bookings.decline(other["uid"], {"reason": "busy"})
        assert declined["status"] == "rejected"
        with pytest.raises(BadRequest):
            cal.bookings.confirm(other["uid"])
