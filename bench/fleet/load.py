"""The mixed workload: ``clients`` concurrent asyncio clients (httpx2, keep-alive), each
repeating one operation at a time for ``duration`` seconds, chosen by weight:

- ``slots`` (80%): GET /v2/slots of a random host's event type for ``slots_days`` days from a
  random day of the window, ``timeZone=Europe/Rome`` (what a booking page asks);
- ``book`` (15%): POST /v2/bookings at a random half-hour of a random host's working hours, as a
  new attendee (a taken time answers 409 or 400: a normal outcome, counted by status);
- ``cancel`` (2.5%) and ``reschedule`` (2.5%): a random live booking, cancelled by its attendee
  (POST …/cancel) or moved to a random half-hour (POST …/reschedule).

Every answer is recorded (operation, status or the transport error, latency), and so is every
acknowledged change (a 201 booking, a 200 cancel, a 201 reschedule) for the audit afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import httpx2
from bench.fleet.seed import BOOKINGS_V, World, attendee, iso

SLOTS_V = {"cal-api-version": "2024-09-04"}
MIX = (("slots", 80.0), ("book", 15.0), ("cancel", 2.5), ("reschedule", 2.5))


@dataclass
class Results:
    """What the clients saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # ms
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)  # (op, status) -> n
    created: dict[str, int] = field(default_factory=dict)  # uid answered 201 -> host index
    cancelled: set[str] = field(default_factory=set)  # uids answered 200 to a cancel
    rescheduled: dict[str, str] = field(default_factory=dict)  # old uid -> new uid (201)
    created_at: dict[str, float] = field(default_factory=dict)  # uid -> Unix time of the 201
    elapsed: float = 0.0  # seconds of load

    @property
    def requests(self) -> int:
        """Requests that got an HTTP answer."""
        return sum(n for (_, status), n in self.statuses.items() if status.isdigit())

    def count(self, predicate: str) -> int:
        """Answers whose status starts with ``predicate`` (``"5"``: every 5xx)."""
        return sum(n for (_, s), n in self.statuses.items() if s.startswith(predicate))


class Load:
    """Runs the mix against ``base_url`` on ``world``, recording into :attr:`results`."""

    def __init__(
        self, base_url: str, world: World, *, clients: int, slots_days: int, seed: int = 7
    ) -> None:
        self.base_url = base_url
        self.world = world
        self.clients = clients
        self.slots_days = slots_days
        self.seed = seed
        self.results = Results()
        self._stop = asyncio.Event()
        self._live = list(world.live.items())  # (uid, host index); swapped-out on use

    def stop(self) -> None:
        """Ask every client to finish its current request and stop."""
        self._stop.set()

    async def run(self, duration: float) -> Results:
        """Run for ``duration`` seconds (or until :meth:`stop`)."""
        began = time.perf_counter()
        tasks = [asyncio.create_task(self._client(n)) for n in range(self.clients)]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), duration)
        self._stop.set()
        await asyncio.gather(*tasks)
        self.results.elapsed = time.perf_counter() - began
        return self.results

    def _take_live(self, rng: random.Random) -> tuple[str, int] | None:
        if not self._live:
            return None
        i = rng.randrange(len(self._live))
        self._live[i], self._live[-1] = self._live[-1], self._live[i]
        return self._live.pop()

    async def _client(self, n: int) -> None:
        rng = random.Random(self.seed * 10_000 + n)
        ops = [name for name, _ in MIX]
        weights = [w for _, w in MIX]
        limits = httpx2.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx2.AsyncClient(base_url=self.base_url, timeout=30, limits=limits) as c:
            while not self._stop.is_set():
                op = rng.choices(ops, weights)[0]
                await getattr(self, f"_{op}")(c, rng)

    async def _timed(
        self, op: str, client: httpx2.AsyncClient, method: str, url: str, **kw: object
    ) -> httpx2.Response | None:
        t0 = time.perf_counter()
        try:
            response = await client.request(method, url, **kw)  # type: ignore[arg-type]
        except httpx2.TransportError as exc:
            self.results.statuses[(op, type(exc).__name__)] += 1
            await asyncio.sleep(0.05)  # a dead connection: do not spin
            return None
        self.results.latencies[op].append((time.perf_counter() - t0) * 1000)
        self.results.statuses[(op, str(response.status_code))] += 1
        if response.status_code >= 500:
            await asyncio.sleep(0.05)
        return response

    async def _slots(self, client: httpx2.AsyncClient, rng: random.Random) -> None:
        host = rng.choice(self.world.hosts)
        first = self.world.first_day + timedelta(days=rng.randrange(self.world.days))
        last = first + timedelta(days=self.slots_days - 1)
        await self._timed(
            "slots", client, "GET", "/v2/slots",
            params={"eventTypeId": host.event_type_id, "start": first.isoformat(),
                    "end": last.isoformat(), "timeZone": "Europe/Rome"},
            headers=SLOTS_V,
        )  # fmt: skip

    async def _book(self, client: httpx2.AsyncClient, rng: random.Random) -> None:
        index = rng.randrange(len(self.world.hosts))
        body = {
            "start": iso(rng.choice(self.world.starts)),
            "eventTypeId": self.world.hosts[index].event_type_id,
            "attendee": attendee(rng),
        }
        r = await self._timed("book", client, "POST", "/v2/bookings", json=body,
                              headers=BOOKINGS_V)  # fmt: skip
        if r is not None and r.status_code == 201:
            uid = r.json()["data"]["uid"]
            self.results.created[uid] = index
            self.results.created_at[uid] = time.time()
            self._live.append((uid, index))

    async def _cancel(self, client: httpx2.AsyncClient, rng: random.Random) -> None:
        taken = self._take_live(rng)
        if taken is None:
            return
        uid, _ = taken
        r = await self._timed("cancel", client, "POST", f"/v2/bookings/{uid}/cancel",
                              json={"cancellationReason": "bench"}, headers=BOOKINGS_V)  # fmt: skip
        if r is not None and r.status_code == 200:
            self.results.cancelled.add(uid)

    async def _reschedule(self, client: httpx2.AsyncClient, rng: random.Random) -> None:
        taken = self._take_live(rng)
        if taken is None:
            return
        uid, index = taken
        r = await self._timed(
            "reschedule", client, "POST", f"/v2/bookings/{uid}/reschedule",
            json={"start": iso(rng.choice(self.world.starts))}, headers=BOOKINGS_V,
        )  # fmt: skip
        if r is not None and r.status_code == 201:
            new = r.json()["data"]["uid"]
            self.results.rescheduled[uid] = new
            self._live.append((new, index))
        elif r is not None and r.status_code != 201:
            self._live.append((uid, index))  # still live (the time was taken): usable again
