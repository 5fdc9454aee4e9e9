"""The administrators' commands for web app accounts: ``users create --password-stdin``,
``users set-password`` (prompted twice without echo, or from stdin), ``users rename``, and the
warning of ``migrate`` about a user holding a reserved name; then logging in works."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import httpx2
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from slotwise.app import create_app
from slotwise.cli import app as cli
from slotwise.config import Settings
from slotwise.kit.db import create_database, transaction
from slotwise.models import User
from tests.webapp.conftest import csrf_of


async def _login_status(db_url: str, tmp_path: Path, login: str, password: str) -> int:
    settings = Settings(
        database_url=db_url,
        public_url="http://slotwise.test",
        rate_limit_per_minute=100_000,
        outbox_dir=tmp_path / "outbox",
        secret_key=SecretStr("test-secret-key"),
    )
    application = create_app(settings)
    try:
        transport = httpx2.ASGITransport(app=application)
        async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
            page = await c.get("/app/login")
            answer = await c.post(
                "/app/login",
                data={"login": login, "password": password, "csrf_token": csrf_of(page.text)},
            )
            return answer.status_code
    finally:
        await application.state.db.dispose()


def _as_app_user(db_url: str, name: str) -> None:
    """Rename ``name`` to ``app`` behind the rules' back (a user from before ``app`` was
    reserved)."""

    async def work() -> None:
        db = create_database(db_url)
        try:
            async with transaction(db, write=True) as session:
                from sqlalchemy import update

                await session.execute(
                    update(User).where(User.username == name).values(username="app")
                )
        finally:
            await db.dispose()

    asyncio.run(work())


def test_create_with_password_then_set_password_then_login(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLOTWISE_DATABASE_URL", db_url)
    runner = CliRunner()
    name = f"pw{secrets.token_hex(4)}"
    created = runner.invoke(
        cli,
        ["users", "create", "--username", name, "--email", f"{name}@example.com",
         "--password-stdin"],
        input="first pass 1\n",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "first pass 1" not in created.output
    assert asyncio.run(_login_status(db_url, tmp_path, name, "first pass 1")) == 303

    # Prompted twice, without echo; a mismatch asks again.
    changed = runner.invoke(
        cli,
        ["users", "set-password", name],
        input="second pass 2\nother 3\nsecond pass 2\nsecond pass 2\n",
    )
    assert changed.exit_code == 0, changed.output
    assert "second pass 2" not in changed.output
    assert "Password set" in changed.output
    assert asyncio.run(_login_status(db_url, tmp_path, name, "first pass 1")) == 401
    assert asyncio.run(_login_status(db_url, tmp_path, name, "second pass 2")) == 303

    weak = runner.invoke(cli, ["users", "set-password", name, "--password-stdin"], input="short\n")
    assert weak.exit_code == 1 and "Password refused" in weak.output
    missing = runner.invoke(
        cli, ["users", "set-password", "nobody-here", "--password-stdin"], input="long pass 99\n"
    )
    assert missing.exit_code == 1 and "No user named" in missing.output


def test_migrate_reports_a_user_named_app_and_rename_fixes_it(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLOTWISE_DATABASE_URL", db_url)
    runner = CliRunner()
    name = f"old{secrets.token_hex(4)}"
    created = runner.invoke(
        cli, ["users", "create", "--username", name, "--email", f"{name}@example.com"]
    )
    assert created.exit_code == 0, created.output
    refused = runner.invoke(cli, ["users", "rename", name, "app"])
    assert refused.exit_code == 1 and "reserved" in refused.output
    _as_app_user(db_url, name)

    migrated = runner.invoke(cli, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert "user 'app' has a reserved username" in migrated.output
    assert "slotwise users rename app NEW_USERNAME" in migrated.output

    renamed = runner.invoke(cli, ["users", "rename", "app", name + "x"])
    assert renamed.exit_code == 0, renamed.output
    assert f"/{name}x" in renamed.output
    again = runner.invoke(cli, ["migrate"])
    assert "reserved username" not in again.output
