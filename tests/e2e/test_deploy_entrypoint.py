"""deploy/entrypoint.sh, the container's entry point, run on the host (no Docker here):
`migrate`, `serve` (waiting for the database first) and pass-through commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx2

from tests.subprocesses import Child, free_port

ENTRYPOINT = Path(__file__).resolve().parents[2] / "deploy" / "entrypoint.sh"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # `slotwise` on PATH is this interpreter's (the venv's) entry point.
    bin_dir = Path(sys.executable).parent
    assert shutil.which("slotwise", path=str(bin_dir)), "slotwise is not installed beside python"
    return {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "SLOTWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'entry.db'}",
        "SLOTWISE_DATA_DIR": str(tmp_path / "data"),
        **extra,
    }


def _run(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_then_pass_through(tmp_path: Path) -> None:
    done = _run(tmp_path, "migrate")
    assert done.returncode == 0, done.stderr
    assert "SQLite schema migrated from empty to" in done.stdout
    again = _run(tmp_path, "migrate")
    assert "already at" in again.stdout
    listed = _run(tmp_path, "users", "list")  # anything else goes to `slotwise` as is
    assert listed.returncode == 0, listed.stderr


def test_serve_binds_the_configured_port(tmp_path: Path) -> None:
    port = free_port()
    env = _env(tmp_path, SLOTWISE_HOST="127.0.0.1", SLOTWISE_PORT=str(port))
    child = Child(["sh", str(ENTRYPOINT), "serve"], env, None)
    try:
        child.wait_http(f"http://127.0.0.1:{port}/health/ready")
        ready = httpx2.get(f"http://127.0.0.1:{port}/health/ready")
        assert ready.status_code == 200 and ready.json()["status"] == "ok"
    finally:
        child.stop()


def test_gives_up_when_the_database_never_answers(tmp_path: Path) -> None:
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    done = _run(tmp_path, "migrate", SLOTWISE_DATABASE_URL=dead, SLOTWISE_WAIT_SECONDS="2")
    assert done.returncode == 1
    assert "the database did not answer within 2 s" in done.stderr
