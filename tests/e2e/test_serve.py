"""``slotwise serve`` as a newcomer runs it (processes, SQLite): ``--demo`` names its booking
pages, the API docs and the outbox, keeps its key across restarts (``--new-key`` replaces it),
logs requests (``--access-log`` is on with ``--demo``) and one line per email in the outbox;
plain ``serve`` on an empty database says how to create the first user."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from tests.subprocesses import Child, free_port, start


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SLOTWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "SLOTWISE_DATA_DIR": str(tmp_path / "data"),
        "SLOTWISE_OUTBOX_DIR": str(tmp_path / "outbox"),
    }


def serve(env: dict[str, str], *args: str) -> tuple[Child, str]:
    port = free_port()
    child = start(["serve", "--port", str(port), *args], env)
    base = f"http://127.0.0.1:{port}"
    child.wait_http(f"{base}/health")
    return child, base


def banner_key(child: Child) -> str:
    return child.wait_output(r"API key:[ \t]*(\S+)\r?\n").group(1)


def me(base: str, key: str) -> int:
    return httpx2.get(f"{base}/v2/me", headers={"Authorization": f"Bearer {key}"}).status_code


def test_serve_demo(env: dict[str, str], tmp_path: Path) -> None:
    child, base = serve(env, "--demo")
    try:
        key = banner_key(child)
        assert httpx2.get(f"{base}/demo/30min").status_code == 200
        booked = httpx2.post(
            f"{base}/v2/bookings",
            headers={"cal-api-version": "2024-08-13"},
            json={
                "username": "demo",
                "eventTypeSlug": "30min",
                "start": "2050-09-05T09:00:00Z",
                "attendee": {"name": "Ada", "email": "ada@example.com", "timeZone": "UTC"},
            },
        )
        assert booked.status_code == 201, booked.text
        line = child.wait_output(r"email to ada@example\.com \(.*\) written to the outbox: (\S+)")
        assert Path(line.group(1)).parent == tmp_path / "outbox"
        child.wait_output(r"email to demo@example\.com \(.*\) written to the outbox")
        child.wait_output(r'"GET /demo/30min HTTP/1.1" 200')  # the access log
    finally:
        first = child.stop()
    for text in (f"{base}/demo ", f"{base}/demo/30min ", f"{base}/docs "):
        assert text in first
    assert f"written to {tmp_path / 'outbox'}" in first
    password = re.search(r"web app: \S+/app/login   username: demo   password: (\S+)", first)
    assert password, first
    assert "sign-up: open" in first and "allowed on this demo server" in first
    key_file = tmp_path / "data" / "demo_key"
    assert (tmp_path / "data" / "demo_password").read_text().strip() == password.group(1)
    assert key_file.read_text().strip() == key and key_file.stat().st_mode & 0o077 == 0

    child, base = serve(env, "--demo")  # a restart keeps the key
    try:
        assert banner_key(child) == key
        assert me(base, key) == 200
    finally:
        assert "the same at every start" in child.stop()

    child, base = serve(env, "--demo", "--new-key", "--no-access-log")
    try:
        new = banner_key(child)
        assert new != key
        assert me(base, key) == 401 and me(base, new) == 200
    finally:
        rotated = child.stop()
    assert "earlier demo keys stop working" in rotated
    assert "GET /v2/me" not in rotated  # --no-access-log


def test_plain_serve_says_how_to_create_the_first_user(env: dict[str, str]) -> None:
    child, base = serve(env)
    try:
        httpx2.get(f"{base}/docs")
    finally:
        output = child.stop()
    assert "no users yet" in output
    assert "slotwise users create --username alice --email alice@example.com" in output
    assert "GET /docs" not in output  # no access log without --demo

    created = subprocess.run(
        [sys.executable, "-m", "slotwise", "users", "create", "--username", "ann"]
        + ["--email", "ann@example.com"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    child, base = serve(env, "--access-log")
    try:
        httpx2.get(f"{base}/docs")
        child.wait_output(r'"GET /docs HTTP/1.1" 200')
    finally:
        output = child.stop()
    assert "no users yet" not in output


def test_new_key_needs_demo(env: dict[str, str]) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "slotwise", "serve", "--new-key", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert re.search(r"--new-key.*--demo", refused.stderr)
