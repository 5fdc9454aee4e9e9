"""Benchmark: the Booker page (/{username}/{eventSlug}) over HTTP against `slotwise serve` on
SQLite.

One host (Mon–Fri 09:00–17:00 Europe/Berlin), a 30-minute event type and 200 bookings in the
visible month. One sequential client: 20 warm-up requests, then 200 timed, for the Booker with a
day chosen (calendar + slot list), the form view (a slot chosen) and the profile page. Prints
p50/p95/mean in ms and the bytes of a first view (HTML + CSS + JS, uncompressed). Targets
(issue 6): Booker HTML <= 100 ms server time, first view <= 200 KB transferred.

Run: python bench/pages_bench.py [--requests 200] [--warmup 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2

from slotwise.kit.db import create_database
from slotwise.kit.migrate import upgrade
from slotwise.models import Booking, EventType, Schedule
from slotwise.users.service import create_user

MONTH_START = datetime(2050, 9, 1, tzinfo=UTC)
BOOKINGS = 200
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


async def seed(url: str) -> None:
    """The host ``bench``, its schedule, event type ``intro`` and the bookings."""
    db = create_database(url)
    async with db.write_sessions() as s, s.begin():
        user = (
            await create_user(
                s, username="bench", email="bench@example.com", time_zone="Europe/Berlin"
            )
        ).user
        schedule = Schedule(
            user_id=user.id, name="Work", time_zone="Europe/Berlin", overrides=[],
            availability=[{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}],
        )  # fmt: skip
        s.add(schedule)
        await s.flush()
        user.default_schedule_id = schedule.id
        et = EventType(
            user_id=user.id, slug="intro", title="Intro", length=30, hidden=False,
            config={"minimumBookingNotice": 0},
        )  # fmt: skip
        s.add(et)
        await s.flush()
        for i in range(BOOKINGS):
            start = MONTH_START + timedelta(hours=7, minutes=30 * (i % 16), days=i // 16 * 2)
            s.add(
                Booking(
                    uid=f"bench{i}", user_id=user.id, event_type_id=et.id, title="b",
                    status="accepted", start_time=start, end_time=start + timedelta(minutes=30),
                    ical_uid=f"bench{i}@slotwise",
                )
            )  # fmt: skip
    await db.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(client: httpx2.Client, url: str, n: int, warm: int) -> list[float]:
    for _ in range(warm):
        client.get(url).raise_for_status()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return samples


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    pages = {
        "booker (day chosen)": "/bench/intro?month=2050-09&date=2050-09-14&timeZone=Europe/Berlin",
        "booker (form)": "/bench/intro?date=2050-09-14&slot=2050-09-14T13:00:00.000Z"
        "&timeZone=Europe/Berlin",
        "profile": "/bench",
    }
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        asyncio.run(seed(url))
        port = free_port()
        env = {
            **os.environ,
            "SLOTWISE_DATABASE_URL": url,
            "SLOTWISE_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "slotwise", "serve", "--port", str(port), "--no-worker"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                for _ in range(300):
                    try:
                        if client.get("/health").status_code == 200:
                            break
                    except httpx2.TransportError:
                        time.sleep(0.1)
                first = client.get(pages["booker (day chosen)"])
                html = first.content
                assets = re.findall(r'(?:src|href)="(/static/pages/[^"]+)"', first.text)
                asset_bytes = sum(len(client.get(a).content) for a in assets)
                n_slots = first.text.count('name="slot"')
                for name, path in pages.items():
                    results[name] = timed(client, path, args.requests, args.warmup)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    kb = (len(html) + asset_bytes) / 1024
    print(
        f"Booker first view: {len(html)} B HTML + {asset_bytes} B CSS/JS = {kb:.1f} KB "
        f"uncompressed ({n_slots} slot buttons)"
    )
    for name, samples in results.items():
        print(
            f"  {name:20s} p50 {pct(samples, 50):.2f} ms  p95 {pct(samples, 95):.2f} ms  "
            f"mean {statistics.fmean(samples):.2f} ms"
        )
    worst = pct(results["booker (day chosen)"], 95)
    print(
        f"  targets Booker p95 <= 100 ms: {'met' if worst <= 100 else 'MISSED'}; "
        f"first view <= 200 KB: {'met' if kb <= 200 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
