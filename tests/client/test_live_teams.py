"""Teams through the SDK (sync and async) and the ``slotwise teams`` commands, against a live
server (SQLite and PostgreSQL): create, members, roles, invitation links, joining, schedules and
members' out of office; one line per write, ``--json`` the data, tables within 80 columns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slotwise.cli import app
from slotwise.client import AsyncClient, Client, Forbidden, NotFound
from tests.conftest import Host, make_host


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output + result.stderr
    return str(result.stdout)


def data(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


async def test_teams_through_the_sdk(live_url: str, app: Any, host: Host, other_host: Host) -> None:
    carol = await make_host(app, "carol")
    with (
        Client(live_url, api_key=host.api_key) as cal,
        Client(live_url, api_key=other_host.api_key) as bob,
    ):
        team = cal.teams.create({"name": "Sales", "slug": "sales", "rrResetInterval": "DAY"})
        assert team["slug"] == "sales" and team.get("rrResetInterval") == "DAY"
        tid = team["id"]
        assert [t["id"] for t in cal.teams.list()] == [tid]
        pending = cal.team_memberships.create(tid, {"userId": other_host.id, "role": "ADMIN"})
        assert pending["accepted"] is False
        with pytest.raises(Forbidden):
            bob.teams.get(tid)  # pending: no access yet
        accepted = bob.team_memberships.accept(tid, pending["id"])
        assert accepted["accepted"] is True and bob.teams.get(tid)["name"] == "Sales"
        with pytest.raises(Forbidden) as refused:
            bob.teams.update(tid, {"name": "Mine"})  # ADMIN, not OWNER
        assert "TEAM_OWNER" in refused.value.message

        invite = bob.teams.invite(tid)
        assert invite["inviteLink"].endswith(f"/app/teams/invite/{invite['token']}")
        async with AsyncClient(live_url, api_key=carol.api_key) as carol_cal:
            joined = await carol_cal.teams.accept_invite(invite["token"])
            assert (joined["role"], joined["accepted"]) == ("MEMBER", True)
            with pytest.raises(Forbidden):
                await carol_cal.team_memberships.list(tid)
        members = cal.team_memberships.list(tid, emails=carol.email)
        assert [m["userId"] for m in members] == [carol.id]
        assert cal.team_memberships.get(tid, joined["id"])["user"]["username"] == "carol"
        assert cal.team_memberships.update(tid, joined["id"], {"role": "ADMIN"})["role"] == "ADMIN"

        cal.schedules.create({"name": "Hours", "timeZone": "UTC", "isDefault": True})
        assert [s["ownerId"] for s in bob.teams.schedules(tid)] == [host.id]

        entry = bob.team_ooo.create(
            tid,
            carol.id,
            {"start": "2050-09-06T00:00:00Z", "end": "2050-09-07T00:00:00Z", "toUserId": host.id},
        )
        assert entry["userId"] == carol.id and entry["toUserId"] == host.id
        assert [e["id"] for e in cal.team_ooo.list(tid, carol.id)] == [entry["id"]]
        assert cal.team_ooo.update(tid, carol.id, entry["id"], {"notes": "x"})["notes"] == "x"
        assert cal.team_ooo.delete(tid, carol.id, entry["id"])["id"] == entry["id"]

        removed = cal.team_memberships.delete(tid, joined["id"])
        assert removed["userId"] == carol.id
        assert cal.teams.delete(tid)["id"] == tid
        with pytest.raises(Forbidden):
            cal.teams.get(tid)
        with pytest.raises(NotFound):
            bob.teams.accept_invite("0" * 64)


async def test_teams_commands(
    live_url: str,
    host: Host,
    other_host: Host,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("SLOTWISE_API_URL", live_url)
    monkeypatch.setenv("SLOTWISE_API_KEY", host.api_key)
    monkeypatch.setenv("TZ", "Europe/Rome")

    line = ok("teams", "create", "--name", "Support Team", "--slug", "support")
    with Client(live_url, api_key=host.api_key) as cal:
        [team] = cal.teams.list()
    tid = str(team["id"])
    assert line == f'Created team {tid} "Support Team" (support).\n'
    assert data("teams", "get", tid) == team
    assert data("teams", "list") == [team]
    listed = ok("teams", "list")
    assert "Support Team" in listed and all(len(x) <= 80 for x in listed.splitlines()), listed

    added = ok("teams", "add-member", tid, "--user-id", str(other_host.id), "--role", "admin")
    assert added.startswith(f"Added {other_host.username} (user {other_host.id}) to team {tid}")
    assert "as ADMIN, accepted" in added
    members = ok("teams", "members", tid)
    assert other_host.email in members and all(len(x) <= 80 for x in members.splitlines())
    refused = run("teams", "add-member", tid, "--user-id", str(other_host.id), "--role", "KING")
    assert refused.exit_code != 0 and "MEMBER, ADMIN, OWNER" in refused.stderr

    invite = data("teams", "invite", tid)
    assert ok("teams", "invite", tid).startswith(f"Invite link for team {tid} (valid 7 days): ")
    membership = [m for m in data("teams", "members", tid) if m["userId"] == other_host.id][0]
    removed = ok("teams", "remove-member", tid, str(membership["id"]))
    assert removed.startswith(f"Removed {other_host.username} (user {other_host.id}) from team")

    monkeypatch.setenv("SLOTWISE_API_KEY", other_host.api_key)
    joined = ok("teams", "join", invite["inviteLink"])  # the whole link works too
    assert joined.startswith(f"Joined team {tid} as MEMBER (membership ")
    forbidden = run("teams", "delete", tid)
    assert forbidden.exit_code != 0 and "TEAM_OWNER" in forbidden.stderr

    monkeypatch.setenv("SLOTWISE_API_KEY", host.api_key)
    assert ok("teams", "delete", tid) == f'Deleted team {tid} "Support Team" (support).\n'
    assert data("teams", "list") == []
