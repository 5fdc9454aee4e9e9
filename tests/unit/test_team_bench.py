"""Smoke run of bench/team_slots_bench.py at a tiny size, in-process (no server): it seeds, lists
slots of both event types, books round robin and prints its report. Timings are not asserted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx2
from bench.team_slots_bench import measure, report, seed
from pydantic import SecretStr

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.kit.migrate import upgrade


async def _run(url: str, tmp: Path) -> str:
    ids = await seed(url, hosts=6, bookings=3)
    settings = Settings(
        database_url=url, rate_limit_per_minute=100_000, outbox_dir=tmp / "outbox",
        secret_key=SecretStr("test-secret-key"),
    )  # fmt: skip
    app = create_app(settings)
    try:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://bench.test") as c:
            res = await measure(c, ids, requests=2, warmup=1, creates=3)
    finally:
        await app.state.db.dispose()
    assert res.slots["rr month"] > res.slots["rr week"] > 0
    assert res.slots["collective month"] > 0
    assert len(res.samples["rr create"]) == 3
    return report(res, 6, 3, 2, 1)


def test_team_bench_runs_small(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    upgrade(url)
    text = asyncio.run(_run(url, tmp_path))
    assert "rr month" in text and "collective month" in text and "rr create" in text
