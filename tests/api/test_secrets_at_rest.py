"""Webhook secrets encrypted at rest (slotwise.kit.crypto), on SQLite and PostgreSQL: what the
database holds, what the API shows, what deliveries are signed with; legacy plaintext rows;
migration 0005; ``slotwise secrets rotate``."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from slotwise.cli import app as cli
from slotwise.config import Settings
from slotwise.kit.crypto import decrypt_secret, encrypt_secret, is_encrypted
from slotwise.kit.db import sync_url
from slotwise.kit.migrate import alembic_config, current_revision, upgrade
from slotwise.models.base import UTCDateTime
from tests.api.booking_fixtures import MONDAY, at, booked, make_event_type
from tests.api.webhook_fixtures import receiver, run_jobs, subscribe, verify
from tests.conftest import PG_ADMIN, Host, _truncate, fresh_database
from tests.webhook_receiver import Receiver

__all__ = ["receiver"]
KEY = b"test-secret-key"  # the key of the test settings and environment (tests/conftest.py)
WEBHOOKS = sa.table("webhooks", sa.column("id", sa.Integer), sa.column("secret", sa.Text))


def raw_secrets(url: str) -> dict[int, str | None]:
    """``{webhook id: the secret column exactly as stored}``."""
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(WEBHOOKS.c.id, WEBHOOKS.c.secret)).all()
            return {row_id: value for row_id, value in rows}
    finally:
        engine.dispose()


def write_raw_secret(url: str, webhook_id: int, value: str | None) -> None:
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.update(WEBHOOKS).where(WEBHOOKS.c.id == webhook_id).values(secret=value)
            )
    finally:
        engine.dispose()


async def test_secret_is_encrypted_in_the_database_and_shown_to_the_owner(
    client: httpx2.AsyncClient, settings: Settings, host: Host
) -> None:
    created = await subscribe(
        client, host, "http://127.0.0.1:9/hook", ["BOOKING_CREATED"], secret="whsec_plain"
    )
    stored = raw_secrets(settings.database_url)[created["id"]]
    assert stored is not None and is_encrypted(stored) and "whsec_plain" not in stored
    assert decrypt_secret(stored, KEY) == "whsec_plain"
    assert created["secret"] == "whsec_plain"
    r = await client.get(f"/v2/webhooks/{created['id']}", headers=host.headers)
    assert r.json()["data"]["secret"] == "whsec_plain"
    r = await client.get("/v2/webhooks", headers=host.headers)
    assert [w["secret"] for w in r.json()["data"]] == ["whsec_plain"]
    r = await client.patch(
        f"/v2/webhooks/{created['id']}", json={"secret": "whsec_new"}, headers=host.headers
    )
    assert r.json()["data"]["secret"] == "whsec_new"
    stored = raw_secrets(settings.database_url)[created["id"]]
    assert stored is not None and decrypt_secret(stored, KEY) == "whsec_new"
    r = await client.patch(
        f"/v2/webhooks/{created['id']}", json={"secret": None}, headers=host.headers
    )
    assert "secret" not in r.json()["data"]
    assert raw_secrets(settings.database_url)[created["id"]] is None


async def test_deliveries_are_signed_with_the_decrypted_secret(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    await subscribe(client, host, receiver.url, ["BOOKING_CREATED"], secret="whsec_sign")
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app, settings)
    [req] = receiver.requests
    assert verify("whsec_sign", req)


async def test_legacy_plaintext_rows_still_work(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    hook = await subscribe(client, host, receiver.url, ["BOOKING_CREATED"], secret="x")
    write_raw_secret(settings.database_url, hook["id"], "legacy-plain")
    r = await client.get(f"/v2/webhooks/{hook['id']}", headers=host.headers)
    assert r.json()["data"]["secret"] == "legacy-plain"
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app, settings)
    [req] = receiver.requests
    assert verify("legacy-plain", req)


async def test_a_secret_under_another_key_is_a_loud_failure(
    client: httpx2.AsyncClient, settings: Settings, host: Host, caplog: pytest.LogCaptureFixture
) -> None:
    """The key changed without ``secrets rotate``: an error naming the fix, never a delivery
    signed with nothing."""
    hook = await subscribe(client, host, "http://127.0.0.1:9/", ["BOOKING_CREATED"], secret="s")
    write_raw_secret(settings.database_url, hook["id"], encrypt_secret("s", b"another key"))
    try:
        r = await client.get(f"/v2/webhooks/{hook['id']}", headers=host.headers)
    except ValueError as exc:  # without an error middleware the exception reaches the client
        assert "slotwise secrets rotate" in str(exc)
    else:
        assert r.status_code == 500
        assert "slotwise secrets rotate" in caplog.text


# ---- migration 0005 --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    name = f"slotwise_mig5_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_ADMIN}/{name}"
    with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _insert_webhooks(url: str, values: dict[int, str | None]) -> None:
    """A user (id 1) and one webhook per ``{id: secret column as stored}``, written raw."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    users = sa.table(
        "users",
        *(sa.column(c) for c in ("id", "username", "email", "time_zone", "week_start")),
        sa.column("time_format", sa.Integer),
        sa.column("created_at", UTCDateTime()),
    )
    hooks = sa.table(
        "webhooks",
        *(sa.column(c) for c in ("id", "user_id", "subscriber_url", "secret", "version")),
        sa.column("active", sa.Boolean),
        sa.column("triggers", sa.JSON),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(users).values(
                    id=1, username="old", email="old@example.com", time_zone="UTC",
                    week_start="Monday", time_format=24, created_at=now,
                )
            )  # fmt: skip
            for hook_id, secret in values.items():
                conn.execute(
                    sa.insert(hooks).values(
                        id=hook_id, user_id=1, subscriber_url=f"http://127.0.0.1:9/{hook_id}",
                        secret=secret, version="2021-10-20", active=True,
                        triggers=["BOOKING_CREATED"], created_at=now, updated_at=now,
                    )
                )  # fmt: skip
    finally:
        engine.dispose()


def test_migration_encrypts_plaintext_secrets_and_downgrades(empty_url: str) -> None:
    upgrade(empty_url, "0004")
    _insert_webhooks(empty_url, {1: "legacy-1", 2: None, 3: "x" * 500})
    upgrade(empty_url, "0005")
    assert current_revision(empty_url) == "0005"
    stored = raw_secrets(empty_url)
    assert stored[2] is None
    for hook_id, plain in ((1, "legacy-1"), (3, "x" * 500)):
        value = stored[hook_id]
        assert value is not None and is_encrypted(value) and len(value) > len(plain)
        assert decrypt_secret(value, KEY) == plain
    upgrade(empty_url)  # the later revisions leave the secrets alone
    assert raw_secrets(empty_url) == stored
    command.downgrade(alembic_config(empty_url), "0004")
    assert raw_secrets(empty_url) == {1: "legacy-1", 2: None, 3: "x" * 500}
    upgrade(empty_url)
    value = raw_secrets(empty_url)[1]
    assert value is not None and decrypt_secret(value, KEY) == "legacy-1"


# ---- slotwise secrets rotate -----------------------------------------------------------------


def _emptied(db_url: str) -> str:
    db = fresh_database(db_url)

    async def empty() -> None:
        try:
            await _truncate(db)
        finally:
            await db.dispose()

    asyncio.run(empty())
    return db_url


def _rotate(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("SLOTWISE_DATABASE_URL", url)
    monkeypatch.setenv("SLOTWISE_SECRET_KEY", "new-key")
    result = CliRunner().invoke(cli, ["secrets", "rotate", *args])
    return result.exit_code, result.output


def test_rotate_reencrypts_with_the_new_key(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _emptied(db_url)
    _insert_webhooks(
        url,
        {
            1: encrypt_secret("s1", KEY),  # under the old key
            2: "s2",  # a legacy plaintext row
            3: encrypt_secret("s3", b"new-key"),  # already under the new key
            4: None,
        },
    )
    code, out = _rotate(monkeypatch, url, "--old-key", KEY.decode())
    assert code == 0, out
    assert out.strip().splitlines() == [
        "calendar_credentials.key: 0 re-encrypted with the current key, 0 already current, "
        "0 plaintext encrypted",
        "webhooks.secret: 1 re-encrypted with the current key, 1 already current, "
        "1 plaintext encrypted",
    ]
    stored = raw_secrets(url)
    assert stored[4] is None
    for hook_id in (1, 2, 3):
        value = stored[hook_id]
        assert value is not None and is_encrypted(value)
        assert decrypt_secret(value, b"new-key") == f"s{hook_id}"
    code, out = _rotate(monkeypatch, url, "--old-key", KEY.decode(), "--json")
    assert code == 0, out
    assert json.loads(out) == [
        {
            "table": "calendar_credentials",
            "column": "key",
            "reencrypted": 0,
            "current": 0,
            "plaintext": 0,
        },
        {"table": "webhooks", "column": "secret", "reencrypted": 0, "current": 3, "plaintext": 0},
    ]
    assert raw_secrets(url) == stored  # idempotent: nothing rewritten
    _emptied(url)


def test_rotate_refuses_values_neither_key_decrypts(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _emptied(db_url)
    _insert_webhooks(url, {1: encrypt_secret("s1", KEY), 2: encrypt_secret("s2", b"a third key")})
    before = raw_secrets(url)
    monkeypatch.setenv("SLOTWISE_OLD_SECRET_KEY", KEY.decode())
    code, out = _rotate(monkeypatch, url)
    assert code == 1
    assert "decrypt with neither the old nor the current key" in " ".join(out.split())
    assert "webhooks.secret id=2" in out and "s2" not in out
    assert raw_secrets(url) == before  # one transaction: nothing changed
    _emptied(url)
