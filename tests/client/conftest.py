"""A live Slotwise server for the SDK and CLI tests: ``slotwise serve`` in a subprocess on the
session's test database (SQLite and PostgreSQL, via ``db_url``), restarted per module."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.subprocesses import free_port, start


@pytest.fixture(scope="module")
def live_url(db_url: str) -> Iterator[str]:
    """Base URL (server root) of a ``slotwise serve`` process on ``db_url``."""
    port = free_port()
    env = {
        **os.environ,
        "SLOTWISE_DATABASE_URL": db_url,
        "SLOTWISE_RATE_LIMIT_PER_MINUTE": "100000",
    }
    server = start(["serve", "--port", str(port)], env)
    base = f"http://127.0.0.1:{port}"
    try:
        server.wait_http(f"{base}/health")
        yield base
    finally:
        server.stop()
