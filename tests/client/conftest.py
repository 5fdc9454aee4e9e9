"""A live Slotwise server for the SDK and CLI tests: ``slotwise serve`` in a subprocess on the
session's test database (SQLite and PostgreSQL, via ``db_url``), restarted per module."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx2
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_url(db_url: str) -> Iterator[str]:
    """Base URL (server root) of a ``slotwise serve`` process on ``db_url``."""
    port = _free_port()
    env = {
        **os.environ,
        "SLOTWISE_DATABASE_URL": db_url,
        "SLOTWISE_RATE_LIMIT_PER_MINUTE": "100000",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "slotwise", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"server did not start:\n{proc.communicate()[0]}")
        try:
            if httpx2.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx2.TransportError:
            time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
