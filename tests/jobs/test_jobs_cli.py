"""``slotwise jobs list|retry|cancel`` as an operator runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from slotwise.config import Settings
from slotwise.jobs import enqueue
from slotwise.kit.db import Database
from slotwise.models import Job, utcnow


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slotwise", "jobs", *args],
        env={**os.environ, "SLOTWISE_DATABASE_URL": settings.database_url, "COLUMNS": "80"},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_list_retry_cancel(app: Any, settings: Settings) -> None:
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        later = await enqueue(
            session, "test.cli", {"n": 1}, run_at=utcnow() + timedelta(days=1), dedupe_key="k:1"
        )
        broken = await enqueue(session, "test.cli", {"n": 2})
        broken.status, broken.attempts, broken.max_attempts = "failed", 3, 3
        broken.last_error = "RuntimeError: receiver answered HTTP 500"
    r = cli(settings, "list", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(j["id"], j["status"]) for j in rows] == [(broken.id, "failed"), (later.id, "pending")]
    assert rows[1]["dedupeKey"] == "k:1" and rows[1]["payload"] == {"n": 1}
    assert rows[0]["lastError"] == "RuntimeError: receiver answered HTTP 500"
    r = cli(settings, "list", "--status", "failed", "--json")
    assert [j["id"] for j in json.loads(r.stdout)] == [broken.id]
    r = cli(settings, "list", "--status", "nonsense")
    assert r.returncode == 1
    r = cli(settings, "list")
    assert r.returncode == 0 and "test.cli" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80, r.stdout
    assert "receiver answered" not in r.stdout  # the last error only with --wide
    r = cli(settings, "list", "--wide")
    assert r.returncode == 0 and "RuntimeError: receiver answered HTTP 500" in r.stdout
    # cancel: only pending jobs
    r = cli(settings, "cancel", str(later.id), str(broken.id), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"changed": [later.id], "skipped": [broken.id]}
    # retry: failed (one more attempt) and cancelled jobs become pending, due now
    r = cli(settings, "retry", str(broken.id), str(later.id), "--json")
    assert json.loads(r.stdout) == {"changed": [later.id, broken.id], "skipped": []}
    async with db.read_sessions() as session:
        jobs = {j.id: j for j in (await session.execute(select(Job))).scalars()}
    assert jobs[broken.id].status == "pending" and jobs[broken.id].max_attempts == 4
    assert jobs[later.id].status == "pending" and jobs[later.id].run_at <= utcnow()
    r = cli(settings, "retry", "999999")
    assert r.returncode == 1 and "skipped" in r.stdout
