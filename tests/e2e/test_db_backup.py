"""``slotwise db backup`` / ``db restore`` on SQLite: a backup taken while a real server takes
bookings holds every booking answered 201 before the backup started, and restores; on
PostgreSQL both refuse with the pg_dump / pg_restore command."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx2
from pydantic import SecretStr
from typer.testing import CliRunner

from slotwise.app import create_app
from slotwise.cli import app as cli
from slotwise.config import Settings
from slotwise.kit.backup import backup_sqlite
from slotwise.kit.migrate import upgrade
from tests.conftest import make_host
from tests.thread_server import serve_in_thread

BOOKINGS_V = {"cal-api-version": "2024-08-13"}
WRITERS = 4


async def _writer(
    client: httpx2.AsyncClient, et: int, n: int, answered: list[tuple[float, str]], stop: Any
) -> None:
    """Books 15-minute slots of its own (a week of October 2050 per writer) until told to stop;
    records (time the 201 arrived, uid)."""
    for i in range(7 * 96):
        if stop.is_set():
            return
        minute = (i % 96) * 15
        start = f"2050-10-{1 + n * 7 + i // 96:02d}T{minute // 60:02d}:{minute % 60:02d}:00.000Z"
        r = await client.post(
            "/v2/bookings",
            json={
                "start": start,
                "eventTypeId": et,
                "attendee": {"name": "W", "email": f"w{n}@example.com", "timeZone": "UTC"},
            },
            headers=BOOKINGS_V,
        )
        assert r.status_code == 201, r.text
        answered.append((time.perf_counter(), r.json()["data"]["uid"]))


def _uids(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {row[0] for row in conn.execute("SELECT uid FROM bookings")}


async def test_backup_under_write_load_keeps_every_answered_booking(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(url)
    settings = Settings(
        database_url=url,
        rate_limit_per_minute=1_000_000,
        worker_in_process=False,
        outbox_dir=tmp_path / "outbox",
        secret_key=SecretStr("test-secret-key"),
    )
    setup = create_app(settings)
    ann = await make_host(setup, "ann")
    await setup.state.db.dispose()
    backup = tmp_path / "backup.db"
    with serve_in_thread(create_app(settings)) as base:
        auth = {"Authorization": f"Bearer {ann.api_key}"}
        async with httpx2.AsyncClient(base_url=base, timeout=30) as client:
            r = await client.post(
                "/v2/schedules",
                json={"name": "Always", "timeZone": "UTC", "isDefault": True,
                      "availability": [{"days": ["Monday", "Tuesday", "Wednesday", "Thursday",
                                                 "Friday", "Saturday", "Sunday"],
                                        "startTime": "00:00", "endTime": "23:59"}]},
                headers={**auth, "cal-api-version": "2024-06-11"},
            )  # fmt: skip
            assert r.status_code == 201, r.text
            r = await client.post(
                "/v2/event-types",
                json={"title": "Q", "slug": "q", "lengthInMinutes": 15, "minimumBookingNotice": 0},
                headers={**auth, "cal-api-version": "2024-06-14"},
            )
            assert r.status_code == 201, r.text
            et = r.json()["data"]["id"]

            answered: list[tuple[float, str]] = []
            stop = asyncio.Event()
            writers = [
                asyncio.create_task(_writer(client, et, n, answered, stop)) for n in range(WRITERS)
            ]
            while len(answered) < 20:
                await asyncio.sleep(0.02)
            started = time.perf_counter()
            before = {uid for at, uid in answered if at < started}
            pages = await asyncio.to_thread(backup_sqlite, url, backup)
            finished = time.perf_counter()
            assert pages > 0
            count_at_end = len(answered)
            while len(answered) < count_at_end + 10:  # the server kept serving writes
                assert not all(w.done() for w in writers)
                await asyncio.sleep(0.02)
            stop.set()
            await asyncio.gather(*writers)

    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    restored = tmp_path / "restored.db"
    result = CliRunner().invoke(
        cli, ["db", "restore", str(backup)], env={"SLOTWISE_DATABASE_URL": f"sqlite:///{restored}"}
    )
    assert result.exit_code == 0, result.output
    assert f"Restored {backup} (schema revision 0" in result.stdout
    in_backup = _uids(restored)
    everything = {uid for _, uid in answered}
    assert before <= in_backup <= everything
    after = {uid for at, uid in answered if at > finished}
    assert after and not after & in_backup  # taken at one instant, not after it ended
    assert _uids(tmp_path / "live.db") == everything


def test_backup_command_and_restore_over_a_database(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    upgrade(f"sqlite:///{live}")
    env = {"SLOTWISE_DATABASE_URL": f"sqlite:///{live}"}
    with contextlib.closing(sqlite3.connect(live)) as conn, conn:
        conn.execute(
            "INSERT INTO users (id, username, email, time_zone, week_start, time_format, locale, "
            "created_at) VALUES (1, 'kept', 'k@x.com', 'UTC', 'Monday', 24, 'en', "
            "'2050-01-01 00:00:00')"
        )
    r = CliRunner().invoke(cli, ["db", "backup", str(tmp_path / "b.db")], env=env)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"Backed up to {tmp_path / 'b.db'} (")
    with contextlib.closing(sqlite3.connect(live)) as conn, conn:
        conn.execute("DELETE FROM users")
    r = CliRunner().invoke(cli, ["db", "restore", str(tmp_path / "b.db")], env=env)
    assert r.exit_code == 0, r.output
    with contextlib.closing(sqlite3.connect(live)) as conn:
        assert conn.execute("SELECT username FROM users").fetchall() == [("kept",)]


def test_backup_and_restore_refusals(tmp_path: Path) -> None:
    runner = CliRunner()
    pg = {"SLOTWISE_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/slotwise"}
    r = runner.invoke(cli, ["db", "backup", str(tmp_path / "x.dump")], env=pg)
    assert r.exit_code == 1
    assert "pg_dump --format=custom --no-owner --file" in r.output
    r = runner.invoke(cli, ["db", "restore", str(tmp_path / "x.dump")], env=pg)
    assert r.exit_code == 1
    assert "pg_restore --clean --if-exists --no-owner --single-transaction" in r.output

    sqlite = {"SLOTWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'live.db'}"}
    r = runner.invoke(cli, ["db", "backup", str(tmp_path / "b.db")], env=sqlite)
    assert r.exit_code == 1 and "There is no SQLite database at" in r.output
    (tmp_path / "live.db").write_bytes(b"")
    existing = tmp_path / "exists.db"
    existing.write_text("x")
    r = runner.invoke(cli, ["db", "backup", str(existing)], env=sqlite)
    assert r.exit_code == 1 and "already exists" in r.output
    r = runner.invoke(cli, ["db", "restore", str(existing)], env=sqlite)
    assert r.exit_code == 1 and "is not a Slotwise SQLite backup" in r.output
    assert (tmp_path / "live.db").read_bytes() == b""  # untouched
