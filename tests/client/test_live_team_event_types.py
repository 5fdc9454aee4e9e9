"""Team event types and their webhooks through the SDK (sync and async) and the
``teams event-types`` CLI commands, against a live server (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slotwise.cli import app
from slotwise.client import AsyncClient, Client, Forbidden, NotFound
from tests.api.teams_fixtures import insert_member, insert_team
from tests.conftest import Host

HOOK: Any = {"subscriberUrl": "https://hooks.example.com/t", "triggers": ["BOOKING_CREATED"],
             "active": True}  # fmt: skip


@pytest.fixture
def cli_env(live_url: str, host: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("SLOTWISE_API_URL", live_url)
    monkeypatch.setenv("SLOTWISE_API_KEY", host.api_key)
    monkeypatch.setenv("TZ", "UTC")


def cli(*args: str) -> Any:
    """``slotwise teams event-types ARGS`` (the group under the real ``slotwise`` app)."""
    result = CliRunner().invoke(app, ["teams", "event-types", *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result


async def test_sdk_team_event_types_and_webhooks(
    live_url: str, app: Any, host: Host, other_host: Host
) -> None:
    team = await insert_team(app, host)
    await insert_member(app, team, other_host)
    with Client(live_url, api_key=host.api_key) as cal:
        created: Any = cal.team_event_types.create(
            team,
            {"title": "Demo", "slug": "demo", "lengthInMinutes": 30,
             "schedulingType": "roundRobin",
             "hosts": [{"userId": host.id, "priority": "high"}, {"userId": other_host.id}]},
        )  # fmt: skip
        et = created["id"]
        assert created["hosts"][0]["priority"] == "high"
        assert cal.team_event_types.get(team, et) == created
        assert [e["id"] for e in cal.team_event_types.list(team, eventSlug="demo")] == [et]
        updated: Any = cal.team_event_types.update(team, et, {"title": "Demo 2"})
        assert updated["title"] == "Demo 2"
        hook: Any = cal.team_event_type_webhooks.create(team, et, HOOK)
        assert cal.team_event_type_webhooks.get(team, et, str(hook["id"]))["id"] == hook["id"]
        assert [h["id"] for h in cal.team_event_type_webhooks.list(team, et)] == [hook["id"]]
        patched: Any = cal.team_event_type_webhooks.update(
            team, et, str(hook["id"]), {"active": False}
        )
        assert patched["active"] is False
        cal.team_event_type_webhooks.delete(team, et, str(hook["id"]))
        cal.team_event_type_webhooks.create(team, et, HOOK)
        assert cal.team_event_type_webhooks.delete_all(team, et) == "1 webhooks deleted"
        managed: Any = cal.team_event_types.create(
            team,
            {"title": "M", "slug": "m", "lengthInMinutes": 15, "schedulingType": "managed",
             "assignAllTeamMembers": True},
        )  # fmt: skip
        assert isinstance(managed, list) and len(managed) == 3
        assert cal.team_event_types.delete(team, et) == {"id": et, "title": "Demo 2"}
        with pytest.raises(NotFound):
            cal.team_event_types.get(team, et)
    async with AsyncClient(live_url, api_key=other_host.api_key) as member:
        listed = await member.team_event_types.list(team)
        assert [e["slug"] for e in listed] == ["m"]
        with pytest.raises(Forbidden):
            await member.team_event_types.get(team, managed[0]["id"])
        mine = await member.event_types.list()
        assert [(e["slug"], e["ownerId"]) for e in mine] == [("m", other_host.id)]


async def test_cli_team_event_types(
    live_url: str, app: Any, host: Host, other_host: Host, cli_env: None
) -> None:
    team = await insert_team(app, host)
    await insert_member(app, team, other_host)
    out = cli(
        "create", str(team), "--title", "Panel", "--slug", "panel", "--length", "45",
        "--scheduling-type", "collective", "--host", str(host.id), "--host", str(other_host.id),
    )  # fmt: skip
    line = out.stdout.strip()
    assert line.startswith("Created team event type ") and '"Panel" (collective, 45 min)' in line
    assert line.endswith("hosts: alice, bob")
    created = json.loads(
        cli("create", str(team), "--title", "RR", "--slug", "rr", "--length", "30",
            "--scheduling-type", "roundRobin", "--all-members", "--json").stdout
    )  # fmt: skip
    assert {h["userId"] for h in created["hosts"]} == {host.id, other_host.id}
    listed = json.loads(cli("list", str(team), "--json").stdout)
    assert [e["slug"] for e in listed] == ["panel", "rr"]
    table = cli("list", str(team)).stdout
    assert "panel" in table and "collective" in table and "alice, bob" in table
    one = json.loads(cli("get", str(team), str(created["id"]), "--json").stdout)
    assert one == created
    out = cli("delete", str(team), str(created["id"]))
    assert out.stdout.strip() == f'Deleted team event type {created["id"]} "RR".'
    assert [e["slug"] for e in json.loads(cli("list", str(team), "--json").stdout)] == ["panel"]
