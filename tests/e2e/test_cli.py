"""The ``slotwise`` command as a user runs it: users, migrate, serve (--demo), on both databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from tests.subprocesses import Child, free_port, start


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slotwise", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return {"SLOTWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


@pytest.fixture
def empty_pg_env(empty_pg_url: str) -> dict[str, str]:
    return {"SLOTWISE_DATABASE_URL": empty_pg_url}


def test_users_create_list_and_errors(sqlite_env: dict[str, str]) -> None:
    r = _run(
        sqlite_env,
        "users",
        "create",
        "--username",
        "Carol",
        "--email",
        "c@example.com",
        "--time-zone",
        "Europe/Rome",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    created = json.loads(r.stdout.strip().splitlines()[-1])
    assert created["username"] == "carol"
    assert created["timeZone"] == "Europe/Rome"
    assert created["apiKey"].startswith("cal_live_")
    assert isinstance(created["id"], int)

    dup = _run(sqlite_env, "users", "create", "--username", "carol", "--email", "x@example.com")
    assert dup.returncode == 1
    assert "already taken" in dup.stderr
    dup_mail = _run(sqlite_env, "users", "create", "--username", "dan", "--email", "c@example.com")
    assert dup_mail.returncode == 1
    assert "already exists" in dup_mail.stderr
    for reserved in ("api", "v2", "health", "booking", "d", "team"):
        r = _run(sqlite_env, "users", "create", "--username", reserved, "--email", "r@example.com")
        assert r.returncode == 1, reserved
        assert "reserved" in r.stderr
    bad_tz = _run(
        sqlite_env,
        "users",
        "create",
        "--username",
        "eve",
        "--email",
        "e@example.com",
        "--time-zone",
        "Nowhere/Land",
    )
    assert bad_tz.returncode == 1

    listed = _run(sqlite_env, "users", "list", "--json")
    assert [u["username"] for u in json.loads(listed.stdout)] == ["carol"]
    shown = _run({**sqlite_env, "COLUMNS": "80"}, "users", "list")
    assert shown.returncode == 0 and "c@example.com" in shown.stdout
    assert max(len(line) for line in shown.stdout.splitlines()) <= 80, shown.stdout
    assert "time zone" not in shown.stdout  # only with --wide
    wide = _run({**sqlite_env, "COLUMNS": "80"}, "users", "list", "--wide")
    assert "time zone" in wide.stdout

    extra = _run(sqlite_env, "users", "api-key", "carol")
    assert extra.returncode == 0
    assert extra.stdout.strip().startswith("cal_live_")
    assert extra.stdout.strip() != created["apiKey"]
    missing = _run(sqlite_env, "users", "api-key", "nobody")
    assert missing.returncode == 1


def _start_server(env: dict[str, str], *args: str) -> tuple[Child, str]:
    port = free_port()
    server = start(["serve", "--port", str(port), *args], {**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    server.wait_http(f"{base}/health")
    return server, base


def _stop(server: Child) -> str:
    return server.stop()


def _key_from_banner(output: str) -> str:
    for line in output.splitlines():
        if "API key:" in line:
            return line.split("API key:")[1].strip()
    raise AssertionError(f"no key in banner:\n{output}")


def test_serve_demo_keeps_its_key_and_plain_serve_accepts_it(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**sqlite_env, "SLOTWISE_DATA_DIR": str(tmp_path / "data")}
    proc, base = _start_server(env, "--demo")
    try:
        first = httpx2.get(
            f"{base}/v2/event-types?username=demo", headers={"cal-api-version": "2024-06-14"}
        )
        assert first.status_code == 200
    finally:
        out1 = _stop(proc)
    key1 = _key_from_banner(out1)
    assert "curl" in out1

    proc, base = _start_server(env, "--demo")
    try:
        me_again = httpx2.get(f"{base}/v2/me", headers={"Authorization": f"Bearer {key1}"})
        assert me_again.status_code == 200
    finally:
        out2 = _stop(proc)
    assert _key_from_banner(out2) == key1

    proc, base = _start_server(env)
    try:
        me = httpx2.get(f"{base}/v2/me", headers={"Authorization": f"Bearer {key1}"})
        assert me.status_code == 200
        assert me.json()["data"]["username"] == "demo"
    finally:
        _stop(proc)


def test_postgres_serve_refuses_until_migrated(empty_pg_env: dict[str, str]) -> None:
    refused = _run(empty_pg_env, "serve", "--port", str(free_port()))
    assert refused.returncode == 1
    assert "slotwise migrate" in refused.stderr

    migrated = _run(empty_pg_env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "migrated" in migrated.stdout

    proc, base = _start_server(empty_pg_env, "--demo")
    try:
        assert httpx2.get(f"{base}/health").status_code == 200
    finally:
        out = _stop(proc)
    key = _key_from_banner(out)
    assert key.startswith("cal_live_")
