"""``slotwise serve --workers N``: N API processes on one port over PostgreSQL, no in-process
job worker, a clean stop on SIGTERM; refused on SQLite and with ``--demo``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from slotwise.kit.migrate import upgrade
from tests.subprocesses import free_port, start


@pytest.fixture
def pg_url(empty_pg_url: str) -> str:
    upgrade(empty_pg_url)
    return empty_pg_url


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SLOTWISE_DATABASE_URL": database_url,
        "SLOTWISE_DATA_DIR": str(tmp_path / "data"),
    }


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_two_api_processes_serve_one_port_and_stop_on_sigterm(tmp_path: Path, pg_url: str) -> None:
    port = free_port()
    env = {**_env(tmp_path, pg_url), "SLOTWISE_METRICS": "true"}
    child = start(["serve", "--workers", "2", "--port", str(port)], env)
    base = f"http://127.0.0.1:{port}"
    try:
        child.wait_http(f"{base}/health/ready")
        ready = httpx2.get(f"{base}/health/ready")
        assert ready.status_code == 200
        assert ready.json()["checks"]["migrations"] == "ok"
        child.wait_output(r"no in-process worker")
        # uvicorn's manager plus two server processes (a multiprocessing helper may be a third
        # child; the servers are the ones that log "Started server process").
        child.wait_output(r"(?s)Started server process.*Started server process")
        servers = _children(child.pid)
        assert len(servers) >= 2
        # No process runs the in-process job worker (the app reads this at start).
        for pid in servers:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"SLOTWISE_WORKER_IN_PROCESS=false" in environ
        for _ in range(20):  # new connections: the kernel spreads them over the processes
            assert httpx2.get(f"{base}/v2/timezones").status_code == 200
        # Any process's /metrics sums every process's series (multiprocess mode).
        for _ in range(3):
            scraped = httpx2.get(f"{base}/metrics").text
            samples = [
                sample
                for family in text_string_to_metric_families(scraped)
                for sample in family.samples
                if sample.name == "http_requests_total"
                and sample.labels.get("route") == "/v2/timezones"
            ]
            assert sum(sample.value for sample in samples) == 20
    finally:
        output = child.stop(signal.SIGTERM, timeout=40)
    assert child.returncode == 0, output
    assert output.count("Finished server process") == 2, output


def _serve_refused(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "slotwise", "serve", "--workers", "2", *args],
        env=_env(tmp_path, database_url),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_workers_need_postgresql(tmp_path: Path) -> None:
    done = _serve_refused(tmp_path, f"sqlite:///{tmp_path / 'one.db'}")
    assert done.returncode == 1
    assert "--workers 2 needs PostgreSQL" in done.stderr


def test_workers_refuse_demo(tmp_path: Path) -> None:
    done = _serve_refused(tmp_path, f"sqlite:///{tmp_path / 'one.db'}", "--demo")
    assert done.returncode == 1
    assert "--demo runs one process" in done.stderr
