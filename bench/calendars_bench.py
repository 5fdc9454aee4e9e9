"""Benchmark: GET /v2/slots for a month with two connected CalDAV calendars (a local Radicale
server), cold (busy-time cache empty: every query asks Radicale) and warm (cached), beside the
same query without calendars and the server's /health.

One host, Mon–Fri 09:00–17:00 Europe/Rome, a 30-minute event type; two Radicale calendars with
200 events in the month (180 single events, 20 weekly recurring ones), put there by another
CalDAV client, connected through POST /v2/calendars/caldav/credentials. Two `slotwise serve`
processes on the same SQLite database: one with ``SLOTWISE_CALENDAR_CACHE_SECONDS=0`` (cold)
and one with the default 60 s (warm). Issue 14 targets, on a quiet machine: warm p50 <= 1.5x the
query without calendars; cold p50 <= 250 ms.

Run: python bench/calendars_bench.py [--requests 100] [--warmup 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import caldav
import httpx2
from requests.auth import HTTPBasicAuth

from slotwise.kit.db import create_database
from slotwise.kit.migrate import upgrade
from slotwise.users.service import create_user

FIRST_DAY = date(2050, 9, 1)
DAYS = 30
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
USER, PASSWORD = "bench", "bench-password"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait(url: str) -> None:
    for _ in range(300):
        try:
            if httpx2.get(url, timeout=1).status_code < 500:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def vevent(uid: str, start: datetime, minutes: int, extra: str = "") -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    end = start + timedelta(minutes=minutes)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20500101T000000Z\r\nDTSTART:{start.strftime(fmt)}\r\n"
        f"DTEND:{end.strftime(fmt)}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def seed_radicale(root: str) -> None:
    """Two calendars, 200 events in the month (20 of them weekly recurring)."""
    client = caldav.DAVClient(url=root, auth=HTTPBasicAuth(USER, PASSWORD))
    principal = client.principal()  # type: ignore[no-untyped-call]
    calendars = [principal.make_calendar(name="Work"), principal.make_calendar(name="Home")]
    rng = random.Random(14)
    for i in range(200):
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        start = datetime(day.year, day.month, day.day, rng.randrange(6, 16), 0, tzinfo=UTC)
        extra = "RRULE:FREQ=WEEKLY;COUNT=4\r\n" if i < 20 else ""
        calendars[i % 2].save_event(vevent(f"bench-{i}", start, rng.choice((30, 60)), extra))


def timed(
    client: httpx2.Client, url: str, n: int, warm: int, headers: dict[str, str]
) -> list[float]:
    for _ in range(warm):
        client.get(url, headers=headers).raise_for_status()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url, headers=headers)
        out.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return out


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def serve(url: str, tmp: Path, port: int, cache: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SLOTWISE_DATABASE_URL": url,
        "SLOTWISE_RATE_LIMIT_PER_MINUTE": "1000000000",
        "SLOTWISE_DATA_DIR": str(tmp / "data"),
        "SLOTWISE_OUTBOX_DIR": str(tmp / "outbox"),
        "SLOTWISE_SECRET_KEY": "bench-secret",
        "SLOTWISE_CALENDAR_CACHE_SECONDS": cache,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "slotwise", "serve", "--port", str(port), "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "users").write_text(f"{USER}:{PASSWORD}\n")
        rport = free_port()
        radicale = subprocess.Popen(
            [sys.executable, "-m", "radicale", f"--storage-filesystem-folder={tmp / 'dav'}",
             "--auth-type=htpasswd", f"--auth-htpasswd-filename={tmp / 'users'}",
             "--auth-htpasswd-encryption=plain", "--auth-delay=0",
             f"--server-hosts=127.0.0.1:{rport}", "--logging-level=warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        procs: list[subprocess.Popen[bytes]] = [radicale]
        try:
            root = f"http://127.0.0.1:{rport}/"
            wait(root + ".web/")
            seed_radicale(root)
            url = f"sqlite:///{tmp / 'bench.db'}"
            upgrade(url)

            async def host() -> str:
                db = create_database(url)
                async with db.write_sessions() as s, s.begin():
                    made = await create_user(
                        s, username="bench", email="b@example.com", time_zone="Europe/Rome"
                    )
                await db.dispose()
                return made.api_key

            key = asyncio.run(host())
            auth = {"Authorization": f"Bearer {key}"}
            cold_port, warm_port = free_port(), free_port()
            procs.append(serve(url, tmp, cold_port, "0"))
            procs.append(serve(url, tmp, warm_port, "60"))
            wait(f"http://127.0.0.1:{cold_port}/health")
            wait(f"http://127.0.0.1:{warm_port}/health")
            with httpx2.Client(base_url=f"http://127.0.0.1:{warm_port}", timeout=30) as client:
                r = client.post(
                    "/v2/schedules",
                    json={"name": "Work", "timeZone": "Europe/Rome", "isDefault": True,
                          "availability": [{"days": WEEKDAYS, "startTime": "09:00",
                                            "endTime": "17:00"}]},
                    headers={**auth, "cal-api-version": "2024-06-11"},
                )  # fmt: skip
                r.raise_for_status()
                r = client.post(
                    "/v2/event-types",
                    json={"title": "Meet", "slug": "meet", "lengthInMinutes": 30,
                          "minimumBookingNotice": 0},
                    headers={**auth, "cal-api-version": "2024-06-14"},
                )  # fmt: skip
                r.raise_for_status()
                et = r.json()["data"]["id"]
                end = (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat()
                slots_url = (
                    f"/v2/slots?eventTypeId={et}&start={FIRST_DAY.isoformat()}&end={end}"
                    "&timeZone=Europe/Rome"
                )
                hdr = {"cal-api-version": "2024-09-04"}
                plain = timed(client, slots_url, args.requests, args.warmup, hdr)
                without = sum(
                    len(v) for v in client.get(slots_url, headers=hdr).json()["data"].values()
                )
                r = client.post(
                    "/v2/calendars/caldav/credentials",
                    json={"url": root, "username": USER, "password": PASSWORD},
                    headers=auth,
                )
                r.raise_for_status()
                warm = timed(client, slots_url, args.requests, args.warmup, hdr)
                with_cals = sum(
                    len(v) for v in client.get(slots_url, headers=hdr).json()["data"].values()
                )
                health = timed(client, "/health", args.requests, args.warmup, {})
            with httpx2.Client(base_url=f"http://127.0.0.1:{cold_port}", timeout=30) as client:
                cold = timed(client, slots_url, max(20, args.requests // 4), 2, hdr)
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait(timeout=20)
    print(
        f"GET /v2/slots: {DAYS} days, Mon-Fri 09:00-17:00 Europe/Rome, 30-min slots; two "
        f"Radicale calendars with 200 events (20 weekly recurring); {without} slots without "
        f"the calendars, {with_cals} with them"
    )
    for name, samples in (
        ("without calendars", plain),
        ("warm (cached)", warm),
        ("cold (cache 0 s)", cold),
        ("/health", health),
    ):
        print(
            f"  {name:<18} p50 {pct(samples, 50):7.2f} ms  p95 {pct(samples, 95):7.2f} ms  "
            f"mean {statistics.mean(samples):7.2f} ms  (n={len(samples)})"
        )
    ratio = pct(warm, 50) / pct(plain, 50)
    print(
        f"  warm/without p50 {ratio:.2f}x (target <= 1.5x: {'met' if ratio <= 1.5 else 'MISSED'})"
    )
    c50 = pct(cold, 50)
    print(f"  cold p50 {c50:.1f} ms (target <= 250 ms: {'met' if c50 <= 250 else 'MISSED'})")


if __name__ == "__main__":
    main()
