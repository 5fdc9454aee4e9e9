"""Benchmark: GET /v2/slots over HTTP against `slotwise serve` on SQLite.

One host, a 31-day window, 500 existing bookings, 15-minute slots. One sequential client:
20 warm-up requests, then 200 timed. Prints p50/p95/mean in ms for /v2/slots and /health and
their ratio. Targets (issue 2): p50 <= 15 ms, p95 <= 30 ms on the 2-core CI machine.

Run: python bench/slots_bench.py [--requests 200] [--warmup 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
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

WINDOW_START = datetime(2050, 9, 1, tzinfo=UTC)
DAYS = 31
BOOKINGS = 500


async def seed(url: str) -> int:
    """Create the host, a 24/7 schedule, a 15-minute event type and 500 bookings."""
    db = create_database(url)
    async with db.write_sessions() as s, s.begin():
        user = (await create_user(s, username="bench", email="bench@example.com")).user
        every_day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        sched = Schedule(
            user_id=user.id,
            name="Always",
            time_zone="UTC",
            availability=[{"days": every_day, "startTime": "00:00", "endTime": "23:59"}],
            overrides=[],
        )
        s.add(sched)
        await s.flush()
        user.default_schedule_id = sched.id
        et = EventType(
            user_id=user.id, slug="quick", title="Quick", length=15, hidden=False,
            config={"minimumBookingNotice": 0},
        )  # fmt: skip
        s.add(et)
        await s.flush()
        step = (DAYS * 24 * 60) // BOOKINGS  # spread bookings evenly over the window
        for i in range(BOOKINGS):
            start = WINDOW_START + timedelta(minutes=i * step)
            s.add(
                Booking(
                    uid=f"bench{i}", user_id=user.id, event_type_id=et.id, title="b",
                    status="accepted", start_time=start, end_time=start + timedelta(minutes=15),
                    ical_uid=f"bench{i}@slotwise",
                )
            )  # fmt: skip
        et_id = et.id
    await db.dispose()
    return et_id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(
    client: httpx2.Client, url: str, headers: dict[str, str], n: int, warm: int
) -> list[float]:
    for _ in range(warm):
        client.get(url, headers=headers).raise_for_status()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url, headers=headers)
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
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        et_id = asyncio.run(seed(url))
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
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx2.Client(base_url=base, timeout=10) as client:
                for _ in range(300):
                    try:
                        if client.get("/health").status_code == 200:
                            break
                    except httpx2.TransportError:
                        time.sleep(0.1)
                end = (WINDOW_START + timedelta(days=DAYS - 1)).date().isoformat()
                slots_url = (
                    f"/v2/slots?eventTypeId={et_id}&start={WINDOW_START.date().isoformat()}"
                    f"&end={end}&timeZone=Europe/Berlin"
                )
                hdr = {"cal-api-version": "2024-09-04"}
                check = client.get(slots_url, headers=hdr).json()["data"]
                n_slots = sum(len(v) for v in check.values())
                slots = timed(client, slots_url, hdr, args.requests, args.warmup)
                health = timed(client, "/health", {}, args.requests, args.warmup)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    p50, p95 = pct(slots, 50), pct(slots, 95)
    h50, h95 = pct(health, 50), pct(health, 95)
    print(
        f"GET /v2/slots: {DAYS} days, {BOOKINGS} bookings, 15-min slots, {n_slots} slots returned"
    )
    print(f"  requests {args.requests} (after {args.warmup} warm-up), one sequential client")
    print(f"  /v2/slots  p50 {p50:.2f} ms  p95 {p95:.2f} ms  mean {statistics.mean(slots):.2f} ms")
    print(f"  /health    p50 {h50:.2f} ms  p95 {h95:.2f} ms  mean {statistics.mean(health):.2f} ms")
    print(f"  ratio slots/health  p50 {p50 / h50:.1f}x  p95 {p95 / h95:.1f}x")
    print(f"  targets p50 <= 15 ms: {'met' if p50 <= 15 else 'MISSED'}; "
          f"p95 <= 30 ms: {'met' if p95 <= 30 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
