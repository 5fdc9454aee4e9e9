"""Seed the fleet the way users do: hosts (the service `slotwise users create` uses, which also
issues their API keys), then through the HTTP API of the running fleet a default schedule
(Mon–Fri 09:00–17:00 Europe/Rome), a 30-minute event type, a month of bookings made by attendees,
and finally a webhook on every host pointing at the bench's receiver.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx2

from slotwise.kit.db import create_database
from slotwise.users.service import create_user

ZONE = ZoneInfo("Europe/Rome")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
LENGTH = 30  # minutes
BOOKINGS_V = {"cal-api-version": "2024-08-13"}
SCHEDULES_V = {"cal-api-version": "2024-06-11"}
EVENT_TYPES_V = {"cal-api-version": "2024-06-14"}
TRIGGERS = ["BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_RESCHEDULED"]


@dataclass
class Host:
    """One seeded host: its API key, event type and the window's half-hour starts (UTC)."""

    id: int
    username: str
    api_key: str
    event_type_id: int = 0


@dataclass
class World:
    """What the load needs to know: hosts, the booking window, the bookings live now."""

    hosts: list[Host]
    first_day: date  # a Monday
    days: int  # calendar days in the window
    starts: list[datetime]  # every bookable half-hour start of the window (UTC)
    live: dict[str, int] = field(default_factory=dict)  # accepted booking uid -> host index


def window(weeks: int, today: date | None = None) -> tuple[date, list[datetime]]:
    """The Monday after tomorrow (UTC) and every 30-minute start of Mon–Fri 09:00–16:30
    Europe/Rome in the ``weeks`` weeks from it, as UTC instants."""
    today = today or datetime.now(UTC).date()
    first = today + timedelta(days=2)
    first += timedelta(days=(7 - first.weekday()) % 7)
    starts = []
    for offset in range(weeks * 7):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for half_hour in range(16):
            local = datetime(day.year, day.month, day.day, 9, tzinfo=ZONE)
            local += timedelta(minutes=LENGTH * half_hour)
            starts.append(local.astimezone(UTC))
    return first, starts


def iso(instant: datetime) -> str:
    """``2050-09-05T10:00:00.000Z``."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def attendee(rng: random.Random) -> dict[str, str]:
    """A booker with a unique email."""
    n = rng.randrange(10**9)
    return {"name": f"Booker {n}", "email": f"booker{n}@example.com", "timeZone": "Europe/Rome"}


async def create_hosts(database_url: str, count: int) -> list[Host]:
    """``count`` users with API keys (``slotwise users create``'s service), in one transaction."""
    db = create_database(database_url)
    hosts = []
    try:
        async with db.write_sessions() as session, session.begin():
            for i in range(count):
                created = await create_user(
                    session, username=f"host{i}", email=f"host{i}@example.com",
                    time_zone="Europe/Rome",
                )  # fmt: skip
                hosts.append(Host(created.user.id, f"host{i}", created.api_key))
    finally:
        await db.dispose()
    return hosts


async def _expect(response: httpx2.Response, status: int) -> dict:
    if response.status_code != status:
        raise RuntimeError(
            f"seeding: {response.request.method} {response.request.url.path} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    data: dict = response.json()["data"]
    return data


async def _seed_host(
    client: httpx2.AsyncClient, host: Host, starts: list[datetime], bookings: int,
    rng: random.Random, live: dict[str, int], index: int,
) -> None:  # fmt: skip
    auth = {"Authorization": f"Bearer {host.api_key}"}
    await _expect(
        await client.post(
            "/v2/schedules",
            json={
                "name": "Working hours", "timeZone": "Europe/Rome", "isDefault": True,
                "availability": [{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}],
            },
            headers={**auth, **SCHEDULES_V},
        ),
        201,
    )  # fmt: skip
    event_type = await _expect(
        await client.post(
            "/v2/event-types",
            json={"title": "Intro call", "slug": "intro", "lengthInMinutes": LENGTH,
                  "minimumBookingNotice": 0},
            headers={**auth, **EVENT_TYPES_V},
        ),
        201,
    )  # fmt: skip
    host.event_type_id = int(event_type["id"])
    for start in rng.sample(starts, min(bookings, len(starts))):
        booking = await _expect(
            await client.post(
                "/v2/bookings",
                json={"start": iso(start), "eventTypeId": host.event_type_id,
                      "attendee": attendee(rng)},
                headers=BOOKINGS_V,
            ),
            201,
        )  # fmt: skip
        live[booking["uid"]] = index


async def seed(
    base_url: str, database_url: str, *, hosts: int, bookings_per_host: int, weeks: int,
    concurrency: int = 16, seed_value: int = 1,
) -> World:  # fmt: skip
    """Create ``hosts`` hosts with schedules, event types and ``bookings_per_host`` bookings
    each, spread over ``weeks`` weeks; returns the :class:`World`."""
    first, starts = window(weeks)
    made = await create_hosts(database_url, hosts)
    world = World(made, first, weeks * 7, starts)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(made)):
        queue.put_nowait(i)

    async def run(n: int) -> None:
        rng = random.Random(seed_value * 1000 + n)
        async with httpx2.AsyncClient(base_url=base_url, timeout=60) as client:
            while not queue.empty():
                i = queue.get_nowait()
                await _seed_host(client, made[i], starts, bookings_per_host, rng, world.live, i)

    await asyncio.gather(*(run(n) for n in range(concurrency)))
    return world


async def subscribe(base_url: str, world: World, receiver_url: str, concurrency: int = 16) -> None:
    """A webhook on every host for bookings created, cancelled and rescheduled."""
    queue: asyncio.Queue[Host] = asyncio.Queue()
    for host in world.hosts:
        queue.put_nowait(host)

    async def run() -> None:
        async with httpx2.AsyncClient(base_url=base_url, timeout=60) as client:
            while not queue.empty():
                host = queue.get_nowait()
                await _expect(
                    await client.post(
                        "/v2/webhooks",
                        json={"subscriberUrl": receiver_url, "triggers": TRIGGERS,
                              "active": True, "secret": "fleet-bench"},
                        headers={"Authorization": f"Bearer {host.api_key}"},
                    ),
                    201,
                )  # fmt: skip

    await asyncio.gather(*(run() for _ in range(concurrency)))
