"""``slotwise credits grant USERNAME --monthly N [--additional N]`` on both databases."""

from __future__ import annotations

import json
import secrets

import pytest
from typer.testing import CliRunner

from slotwise.cli import app


def test_grant_sets_balances(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLOTWISE_DATABASE_URL", db_url)
    runner = CliRunner()
    name = f"cred{secrets.token_hex(4)}"
    created = runner.invoke(
        app, ["users", "create", "--username", name, "--email", f"{name}@example.com"]
    )
    assert created.exit_code == 0, created.output

    result = runner.invoke(app, ["credits", "grant", name, "--monthly", "100", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1]) == {
        "username": name,
        "balance": {"monthlyRemaining": 100, "additional": 0},
    }
    result = runner.invoke(
        app, ["credits", "grant", name, "--monthly", "50", "--additional", "7", "--json"]
    )
    assert json.loads(result.output.strip().splitlines()[-1])["balance"] == {
        "monthlyRemaining": 50,
        "additional": 7,
    }
    # --additional omitted keeps the additional credits
    result = runner.invoke(app, ["credits", "grant", name, "--monthly", "5"])
    assert result.exit_code == 0
    assert "5 monthly credits left this month, 7 additional" in result.output

    missing = runner.invoke(app, ["credits", "grant", "nobody-here", "--monthly", "1"])
    assert missing.exit_code == 1
    assert "No user named" in missing.output
    negative = runner.invoke(app, ["credits", "grant", name, "--monthly", "-1"])
    assert negative.exit_code == 2
