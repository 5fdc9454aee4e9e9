"""Shared fixtures.

API tests run twice: on SQLite and on the local PostgreSQL (127.0.0.1:5432, user postgres).
Each database is built by the Alembic migrations once per session, and every table is emptied
before each test; requests really commit. Without a reachable PostgreSQL the PostgreSQL half is
skipped with the reason shown, except under CI=true, where it fails instead.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import psycopg
import pytest
from pydantic import SecretStr
from sqlalchemy import text

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.kit.db import Database, create_database
from slotwise.kit.migrate import upgrade
from slotwise.models import Base
from slotwise.users.service import create_user
from tests.calendar_fixtures import feeds, radicale
from tests.response_contract import check_response

# One Radicale server and one feed server per test session, shared by every module.
__all__ = ["feeds", "radicale"]

PG_ADMIN = os.environ.get("SLOTWISE_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
IN_CI = os.environ.get("CI", "").lower() == "true"

# Emails sent while testing, also by servers and workers the tests start as subprocesses, go to a
# temporary outbox (never the user's data dir) unless a test says otherwise; links are signed
# with a fixed key (none is generated into the data dir).
_TEST_OUTBOX = tempfile.TemporaryDirectory(prefix="slotwise-test-outbox-")
os.environ.setdefault("SLOTWISE_OUTBOX_DIR", _TEST_OUTBOX.name)
os.environ.setdefault("SLOTWISE_SECRET_KEY", "test-secret-key")
# The data dir (the demo key of `serve --demo`, ...) is a temporary one too.
_TEST_DATA_DIR = tempfile.TemporaryDirectory(prefix="slotwise-test-data-")
os.environ.setdefault("SLOTWISE_DATA_DIR", _TEST_DATA_DIR.name)


# The fast target for day-to-day work is ``python -m pytest -q -m "not slow and not postgres"``
# (README). ``slow``: fuzzing, hostile inputs, real browsers and every test that starts a server
# or worker process; ``postgres``: the PostgreSQL half of the tests parametrized on the database
# (``db_url``, or any fixture whose parameter is ``"postgresql"``).
SLOW_PATHS = (
    "api/test_schemathesis.py",  # fuzzes every operation (minutes)
    "api/test_hostile_inputs.py",  # hostile ids, queries and bodies for every operation
    "api/test_email_worker.py",  # `slotwise worker` subprocesses
    "api/test_webhooks_durability.py",  # a worker killed mid-delivery
    "jobs/test_jobs_cli.py",  # `slotwise worker` subprocesses
    "e2e/",  # real processes (serve --demo and its banner, key, access log, outbox log)
    "client/",  # a live `slotwise serve` (and CLI subprocesses)
    "mcp/",  # MCP over stdio and HTTP subprocesses, a live server
    "browser/",  # Chromium
)
SLOW_FIXTURES = frozenset({"live_url", "live_server", "radicale"})  # radicale: a CalDAV server
_TESTS_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` and ``postgres`` items (markers registered in pyproject.toml)."""
    for item in items:
        relative = Path(item.path).relative_to(_TESTS_DIR).as_posix()
        if relative.startswith(SLOW_PATHS) or SLOW_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            item.add_marker(pytest.mark.postgres)


def _pg_database_url() -> str:
    # One database per test process, so parallel runs on one machine never share tables.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"slotwise_test_{worker}_{os.getpid()}"
    try:
        with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL is not reachable at {PG_ADMIN}: {exc}".strip()
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    return f"{PG_ADMIN}/{name}"


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database of this test (not migrated), dropped afterwards; the
    test is skipped (failed under CI=true) when PostgreSQL is not reachable."""
    name = f"slotwise_test_empty_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL not reachable under CI=true: {exc}")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN}: {exc}")
    yield f"{PG_ADMIN}/{name}"
    _drop_pg_database(name)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database URL, once per backend per session."""
    if request.param == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'test.db'}"
            upgrade(url)
            yield url
    else:
        url = _pg_database_url()
        upgrade(url)
        yield url
        _drop_pg_database(url.rsplit("/", 1)[1])


def _drop_pg_database(name: str) -> None:
    """Remove a test database once the session is done with it."""
    with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _truncate(db: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with db.write_engine.begin() as conn:
        if db.dialect == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings for a test app on ``db_url`` (generous rate limit; emails go to an outbox in
    the test's temporary directory, links are signed with a fixed key)."""
    return Settings(
        database_url=db_url,
        public_url="http://slotwise.test",
        rate_limit_per_minute=100_000,
        outbox_dir=tmp_path / "outbox",
        secret_key=SecretStr("test-secret-key"),
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Any]:
    """A fresh app on emptied tables."""
    application = create_app(settings)
    await _truncate(application.state.db)
    yield application
    await application.state.db.dispose()


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    """An HTTP client talking to the app in-process; a 2xx JSON answer under /v2 that does not
    match the reference schema of its operation fails the test (tests/response_contract.py)."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(
        transport=transport,
        base_url="http://slotwise.test",
        # Every 2xx JSON answer is checked against its operation's reference schema.
        event_hooks={"response": [check_response]},
    ) as c:
        yield c


@dataclass
class Host:
    """A user created for a test, with ready-made auth headers."""

    id: int
    username: str
    email: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


async def make_host(app: Any, username: str, time_zone: str = "UTC") -> Host:
    """Create a user with an API key directly through the service layer."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        created = await create_user(
            session, username=username, email=f"{username}@example.com", time_zone=time_zone
        )
        return Host(created.user.id, username, created.user.email, created.api_key)


@pytest.fixture
async def host(app: Any) -> Host:
    """A host user ``alice`` (UTC)."""
    return await make_host(app, "alice")


@pytest.fixture
async def other_host(app: Any) -> Host:
    """A second host ``bob`` (UTC)."""
    return await make_host(app, "bob")


def fresh_database(url: str) -> Database:
    """A Database on ``url`` (for tests that need their own engines)."""
    return create_database(url)
