"""Benchmark: GET /v2/slots over HTTP against `slotwise serve` on SQLite, on data made the way
users make it.

One host whose default schedule is Mon–Fri 09:00–17:00 Europe/Rome, a 15-minute event type, and
500 bookings made through POST /v2/bookings by attendees (each with its attendee row, history
and jobs, as in real use) spread over the 31-day window: a busy month. Queries ask for the month
with ``timeZone=Europe/Rome``, as a booking page does. Then:

1. one sequential keep-alive client: 20 warm-up requests, then 200 timed; p50/p95/mean in ms for
   /v2/slots and /health and their ratio (issue 2 targets: p50 <= 15 ms, p95 <= 30 ms);
2. ``--clients`` (32) concurrent keep-alive clients for ``--seconds`` (10): requests per second
   of /v2/slots from one process (issue 16 target: >= 300/s), rate limit lifted with
   ``SLOTWISE_RATE_LIMIT_PER_MINUTE``, and the server's CPU time per request during them (from
   ``/proc``; with the load average, the figure that still means something on a shared
   machine: 1000 / ms per request is what one fully available core would serve).

Remembered answers (slotwise/slots/cache.py) are on, as in a default installation: every
request of a phase asks the same question, so after the first each is served from memory while
nothing is written. ``--no-cache`` turns them off to measure computing every answer.

Run: python bench/slots_bench.py [--requests 200] [--warmup 20] [--clients 32] [--seconds 10]
[--no-cache]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx2

from slotwise.kit.db import create_database
from slotwise.kit.migrate import upgrade
from slotwise.users.service import create_user

FIRST_DAY = date(2050, 9, 1)
DAYS = 31
BOOKINGS = 500
LENGTH = 15
ROME = ZoneInfo("Europe/Rome")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


async def create_host(url: str) -> str:
    """The host (``slotwise users create``'s service); returns its API key."""
    db = create_database(url)
    async with db.write_sessions() as s, s.begin():
        created = await create_user(
            s, username="bench", email="bench@example.com", time_zone="Europe/Rome"
        )
    await db.dispose()
    return created.api_key


def working_starts() -> list[str]:
    """Every 15-minute start of Mon–Fri 09:00–16:45 Europe/Rome in the window, as UTC ISO."""
    starts = []
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for quarter in range(32):
            local = datetime(day.year, day.month, day.day, 9, tzinfo=ROME)
            local += timedelta(minutes=LENGTH * quarter)
            starts.append(local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    return starts


def seed_through_api(client: httpx2.Client, api_key: str) -> int:
    """Schedule, event type and the bookings, through the API; returns the event type id."""
    auth = {"Authorization": f"Bearer {api_key}"}
    r = client.post(
        "/v2/schedules",
        json={"name": "Working hours", "timeZone": "Europe/Rome", "isDefault": True,
              "availability": [{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}]},
        headers={**auth, "cal-api-version": "2024-06-11"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    r = client.post(
        "/v2/event-types",
        json={"title": "Quick", "slug": "quick", "lengthInMinutes": LENGTH,
              "minimumBookingNotice": 0},
        headers={**auth, "cal-api-version": "2024-06-14"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    et_id = int(r.json()["data"]["id"])
    for i, start in enumerate(random.Random(1).sample(working_starts(), BOOKINGS)):
        r = client.post(
            "/v2/bookings",
            json={"start": start, "eventTypeId": et_id,
                  "attendee": {"name": f"Booker {i}", "email": f"booker{i}@example.com",
                               "timeZone": "Europe/Rome"}},
            headers={"cal-api-version": "2024-08-13"},
        )  # fmt: skip
        assert r.status_code == 201, r.text
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


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the record."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def throughput(base: str, url: str, clients: int, seconds: float) -> tuple[int, float]:
    """``clients`` keep-alive clients asking ``url`` for ``seconds``; (answers, elapsed s)."""
    done = 0
    stop = time.perf_counter() + seconds

    async def one() -> None:
        nonlocal done
        limits = httpx2.Limits(max_connections=1)
        async with httpx2.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            while time.perf_counter() < stop:
                r = await client.get(url, headers={"cal-api-version": "2024-09-04"})
                r.raise_for_status()
                done += 1

    began = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    return done, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="SLOTWISE_SLOTS_CACHE_ENTRIES=0: compute every answer (no remembered answers)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        api_key = asyncio.run(create_host(url))
        port = free_port()
        env = {
            **os.environ,
            "SLOTWISE_DATABASE_URL": url,
            "SLOTWISE_RATE_LIMIT_PER_MINUTE": "1000000000",
            "SLOTWISE_DATA_DIR": str(Path(tmp) / "data"),
            "SLOTWISE_OUTBOX_DIR": str(Path(tmp) / "outbox"),
            "SLOTWISE_SLOTS_CACHE_ENTRIES": "0" if args.no_cache else "256",
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
                et_id = seed_through_api(client, api_key)
                end = (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat()
                slots_url = (
                    f"/v2/slots?eventTypeId={et_id}&start={FIRST_DAY.isoformat()}"
                    f"&end={end}&timeZone=Europe/Rome"
                )
                hdr = {"cal-api-version": "2024-09-04"}
                check = client.get(slots_url, headers=hdr).json()["data"]
                n_slots = sum(len(v) for v in check.values())
                slots = timed(client, slots_url, hdr, args.requests, args.warmup)
                health = timed(client, "/health", {}, args.requests, args.warmup)
            load_before = load_average()
            cpu_before = cpu_seconds(proc.pid)
            answered, elapsed = asyncio.run(throughput(base, slots_url, args.clients, args.seconds))
            cpu_after = cpu_seconds(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    p50, p95 = pct(slots, 50), pct(slots, 95)
    h50, h95 = pct(health, 50), pct(health, 95)
    rate = answered / elapsed
    print(
        f"GET /v2/slots: {DAYS} days, {BOOKINGS} bookings made through the API, Mon-Fri "
        f"09:00-17:00 Europe/Rome, {LENGTH}-min slots, timeZone=Europe/Rome, "
        f"{n_slots} slots returned"
    )
    print(
        "  remembered answers: "
        + ("off (--no-cache: every answer computed)" if args.no_cache else "on (the default)")
    )
    print(f"  requests {args.requests} (after {args.warmup} warm-up), one sequential client")
    print(f"  /v2/slots  p50 {p50:.2f} ms  p95 {p95:.2f} ms  mean {statistics.mean(slots):.2f} ms")
    print(f"  /health    p50 {h50:.2f} ms  p95 {h95:.2f} ms  mean {statistics.mean(health):.2f} ms")
    print(f"  ratio slots/health  p50 {p50 / h50:.1f}x  p95 {p95 / h95:.1f}x")
    print(f"  {args.clients} clients for {elapsed:.1f} s: {rate:.0f} requests/s from one process")
    if cpu_before is not None and cpu_after is not None and answered:
        per = (cpu_after - cpu_before) * 1000 / answered
        print(f"  server CPU {per:.2f} ms per request (about {1000 / per:.0f} requests/s per "
              f"fully available core); load average before the clients: {load_before}")  # fmt: skip
    print(f"  targets p50 <= 15 ms: {'met' if p50 <= 15 else 'MISSED'}; "
          f"p95 <= 30 ms: {'met' if p95 <= 30 else 'MISSED'}; "
          f">= 300 requests/s: {'met' if rate >= 300 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
