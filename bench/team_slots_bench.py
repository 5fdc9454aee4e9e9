"""Benchmark: team slots and round-robin bookings over HTTP against `slotwise serve` on SQLite.

Seeds a team of 50 hosts, each in one of five time zones (Mon–Fri 09:00–17:00 local) with 20
accepted 30-minute bookings in September 2050, a 30-minute round-robin event type over all 50
(weights on) and a collective one over 5 of them (in UTC and Europe/Berlin). One sequential
client: warm-up requests, then timed ones, for GET /v2/slots over the month and over a week of
each event type, /health in the same run, and the latency of round-robin POST /v2/bookings
(each at a different free start). Prints p50/p95 in ms. Targets (issue 13 §5): round-robin
month p50 <= 60 ms, collective month p50 <= 25 ms. Timings are never asserted
(tests/unit/test_team_bench.py only runs it small, in-process).

Run: python bench/team_slots_bench.py [--hosts 50] [--bookings 20] [--requests 50] [--warmup 5]
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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2

from slotwise.kit.db import create_database
from slotwise.kit.migrate import upgrade
from slotwise.models import Booking, EventType, Host, Membership, Schedule, Team
from slotwise.users.service import create_user

MONTH_START = datetime(2050, 9, 1, tzinfo=UTC)
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SLOTS = {"cal-api-version": "2024-09-04"}
BOOKINGS = {"cal-api-version": "2024-08-13"}


@dataclass(frozen=True)
class Seeded:
    """The ids the bench needs: the round-robin and the collective event type."""

    round_robin: int
    collective: int


async def seed(url: str, hosts: int, bookings: int) -> Seeded:
    """The team, its hosts' schedules and bookings, and both event types (see the module
    docstring). Bookings are spread over the month's weekdays at 12:00 UTC and later."""
    db = create_database(url)
    async with db.write_sessions() as s, s.begin():
        team = Team(name="Bench team", slug="bench-team")
        s.add(team)
        await s.flush()
        users = []
        for n in range(hosts):
            zone = ZONES[n % len(ZONES)]
            user = (
                await create_user(
                    s, username=f"host{n}", email=f"host{n}@example.com", time_zone=zone
                )
            ).user
            schedule = Schedule(
                user_id=user.id, name="Work", time_zone=zone,
                availability=[{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}],
                overrides=[],
            )  # fmt: skip
            s.add(schedule)
            await s.flush()
            user.default_schedule_id = schedule.id
            s.add(Membership(team_id=team.id, user_id=user.id, role="MEMBER", accepted=True))
            users.append(user)
        config = {"minimumBookingNotice": 0}
        rr = EventType(
            team_id=team.id, scheduling_type="roundRobin", slug="demo", title="Demo", length=30,
            config={**config, "isRRWeightsEnabled": True},
        )  # fmt: skip
        co = EventType(
            team_id=team.id, scheduling_type="collective", slug="panel", title="Panel",
            length=30, config=config,
        )  # fmt: skip
        s.add_all([rr, co])
        await s.flush()
        s.add_all(Host(event_type_id=rr.id, user_id=u.id, weight=100 + n % 3 * 50)
                  for n, u in enumerate(users))  # fmt: skip
        # the collective hosts work in overlapping zones (UTC and Berlin), so there are slots
        panel = [u for n, u in enumerate(users) if n % len(ZONES) in (0, 1)][:5]
        s.add_all(Host(event_type_id=co.id, user_id=u.id, mandatory=True) for u in panel)
        for n, user in enumerate(users):
            for i in range(bookings):
                day = MONTH_START + timedelta(days=(i * 3 + n) % 30)
                start = day + timedelta(hours=12 + (i + n) % 6, minutes=30 * (n % 2))
                s.add(
                    Booking(
                        uid=f"b{n}-{i}", user_id=user.id, event_type_id=rr.id, title="b",
                        status="accepted", start_time=start,
                        end_time=start + timedelta(minutes=30), ical_uid=f"b{n}-{i}@slotwise",
                        created_at=MONTH_START - timedelta(days=30 - i),
                    )
                )  # fmt: skip
        seeded = Seeded(rr.id, co.id)
    await db.dispose()
    return seeded


@dataclass
class Results:
    """Milliseconds per request, by what was measured."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    slots: dict[str, int] = field(default_factory=dict)

    def p(self, name: str, q: float) -> float:
        """The ``q`` percentile of ``name``'s samples."""
        ordered = sorted(self.samples[name])
        return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def _timed(
    client: httpx2.AsyncClient, url: str, headers: dict[str, str], n: int, warm: int
) -> list[float]:
    for _ in range(warm):
        (await client.get(url, headers=headers)).raise_for_status()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = await client.get(url, headers=headers)
        out.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return out


async def measure(
    client: httpx2.AsyncClient, ids: Seeded, *, requests: int, warmup: int, creates: int
) -> Results:
    """Time the slot queries, /health and ``creates`` round-robin bookings through
    ``client`` (HTTP or in-process)."""
    res = Results()
    month = "start=2050-09-01&end=2050-09-30"
    week = "start=2050-09-12&end=2050-09-18"
    for name, et, window in (
        ("rr month", ids.round_robin, month),
        ("rr week", ids.round_robin, week),
        ("collective month", ids.collective, month),
        ("collective week", ids.collective, week),
    ):
        url = f"/v2/slots?eventTypeId={et}&{window}&timeZone=Europe/Berlin"
        data = (await client.get(url, headers=SLOTS)).json()["data"]
        res.slots[name] = sum(len(v) for v in data.values())
        res.samples[name] = await _timed(client, url, SLOTS, requests, warmup)
    res.samples["health"] = await _timed(client, "/health", {}, requests, warmup)
    url = f"/v2/slots?eventTypeId={ids.round_robin}&{month}"
    data = (await client.get(url, headers=SLOTS)).json()["data"]
    starts = [slot["start"] for day in sorted(data) for slot in data[day]]
    res.samples["rr create"] = []
    for n, start in enumerate(starts[: max(1, creates)]):
        body = {
            "start": start,
            "eventTypeId": ids.round_robin,
            "attendee": {"name": "Bench", "email": f"booker{n}@example.com", "timeZone": "UTC"},
        }
        t0 = time.perf_counter()
        r = await client.post("/v2/bookings", json=body, headers=BOOKINGS)
        res.samples["rr create"].append((time.perf_counter() - t0) * 1000)
        if r.status_code != 201:
            raise RuntimeError(f"booking {start}: {r.status_code} {r.text}")
    return res


def report(res: Results, hosts: int, bookings: int, requests: int, warmup: int) -> str:
    """The printed summary."""
    lines = [
        f"Team of {hosts} hosts in {len(ZONES)} zones, {bookings} bookings each in September "
        f"2050; collective over 5 hosts; {requests} timed requests after {warmup} warm-up, "
        "one sequential client",
    ]
    for name in ("rr month", "rr week", "collective month", "collective week", "health"):
        s = res.samples[name]
        extra = f"  ({res.slots[name]} slots)" if name in res.slots else ""
        lines.append(
            f"  {name:<17} p50 {res.p(name, 50):7.2f} ms  p95 {res.p(name, 95):7.2f} ms  "
            f"mean {statistics.mean(s):7.2f} ms{extra}"
        )
    c = res.samples["rr create"]
    lines.append(
        f"  {'rr create':<17} p50 {res.p('rr create', 50):7.2f} ms  "
        f"p95 {res.p('rr create', 95):7.2f} ms  ({len(c)} bookings)"
    )
    rr, co = res.p("rr month", 50), res.p("collective month", 50)
    lines.append(
        f"  targets: rr month p50 <= 60 ms {'met' if rr <= 60 else 'MISSED'}; "
        f"collective month p50 <= 25 ms {'met' if co <= 25 else 'MISSED'}"
    )
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _over_http(base: str, ids: Seeded, args: argparse.Namespace) -> Results:
    async with httpx2.AsyncClient(base_url=base, timeout=30) as client:
        for _ in range(300):
            try:
                if (await client.get("/health")).status_code == 200:
                    break
            except httpx2.TransportError:
                await asyncio.sleep(0.1)
        return await measure(
            client, ids, requests=args.requests, warmup=args.warmup, creates=args.creates
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--creates", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        ids = asyncio.run(seed(url, args.hosts, args.bookings))
        port = _free_port()
        env = {
            **os.environ,
            "SLOTWISE_DATABASE_URL": url,
            "SLOTWISE_RATE_LIMIT_PER_MINUTE": "1000000",
            "SLOTWISE_OUTBOX_DIR": str(Path(tmp) / "outbox"),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "slotwise", "serve", "--port", str(port), "--no-worker"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            res = asyncio.run(_over_http(f"http://127.0.0.1:{port}", ids, args))
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print(report(res, args.hosts, args.bookings, args.requests, args.warmup))


if __name__ == "__main__":
    main()
