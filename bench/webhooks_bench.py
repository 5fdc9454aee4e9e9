"""Benchmark: webhook enqueue-to-delivery latency and deliveries per second.

A webhook (with a secret, so every delivery is signed) points at a loopback HTTP receiver that
runs in its own thread. A worker runs in-process, as under ``slotwise serve``.

1. Latency: ``--events`` BOOKING_CREATED events, each enqueued in its own committed
   transaction, 5 ms apart; latency = receiver arrival - commit. Prints p50/p95/max in ms.
2. Throughput: ``--burst`` events enqueued in one transaction; prints deliveries per second
   from the commit to the last arrival.

Run: python bench/webhooks_bench.py [--database-url URL] [--events 300] [--burst 2000]
(default: a temporary SQLite file; a PostgreSQL URL must name an existing database).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from slotwise.config import Settings
from slotwise.jobs import Worker
from slotwise.kit.db import Database, create_database
from slotwise.kit.migrate import upgrade
from slotwise.models import Webhook, utcnow
from slotwise.users.service import create_user
from slotwise.webhooks.events import enqueue_deliveries, wrapped

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.webhook_receiver
from tests.webhook_receiver import Receiver  # noqa: E402  (importable only after the path insert)


def start_receiver() -> Receiver:
    """A receiver serving from its own thread and event loop."""
    ready = threading.Event()
    holder: dict[str, Receiver] = {}

    def serve() -> None:
        loop = asyncio.new_event_loop()
        holder["r"] = loop.run_until_complete(Receiver().start())
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    return holder["r"]


def body(i: int) -> dict[str, Any]:
    """A BOOKING_CREATED body of realistic size."""
    payload = {
        "title": f"Intro between Alice and Booker {i}",
        "startTime": "2050-09-05T10:00:00.000Z",
        "endTime": "2050-09-05T10:30:00.000Z",
        "type": "intro",
        "uid": f"bench-{i}",
        "bookingId": i,
        "organizer": {"name": "Alice", "email": "alice@example.com", "timeZone": "UTC"},
        "attendees": [{"name": f"Booker {i}", "email": f"b{i}@example.com", "timeZone": "UTC"}],
        "responses": {"name": {"label": "Your name", "value": f"Booker {i}"}},
        "status": "ACCEPTED",
    }
    return wrapped("BOOKING_CREATED", payload, utcnow())


async def enqueue(db: Database, hook: Webhook, first: int, count: int) -> float:
    async with db.write_sessions() as session, session.begin():
        for i in range(first, first + count):
            await enqueue_deliveries(session, [hook], "BOOKING_CREATED", body(i))
    return time.perf_counter()


async def wait_for(receiver: Receiver, count: int, poll: float, timeout: float = 300) -> None:
    deadline = time.perf_counter() + timeout
    while len(receiver.requests) < count:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{len(receiver.requests)} of {count} delivered")
        await asyncio.sleep(poll)


async def main(url: str, events: int, burst: int) -> None:
    upgrade(url)
    receiver = start_receiver()
    settings = Settings(database_url=url, public_url="http://bench.test")
    db = create_database(url)
    async with db.write_sessions() as session, session.begin():
        user = (await create_user(session, username="bench", email="bench@example.com")).user
        hook = Webhook(
            user_id=user.id, subscriber_url=receiver.url, active=True,
            triggers=["BOOKING_CREATED"], secret="bench-secret",
        )  # fmt: skip
        session.add(hook)
    worker = Worker(db, settings)
    running = asyncio.create_task(worker.run())
    await asyncio.sleep(0.2)

    latencies = []
    for i in range(events):
        committed = await enqueue(db, hook, i, 1)
        await wait_for(receiver, i + 1, 0.001)
        latencies.append((receiver.requests[i].at - committed) * 1000)
        await asyncio.sleep(0.005)
    q = statistics.quantiles(latencies, n=100)
    kind = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(f"{kind}, in-process worker (concurrency {worker.concurrency}), loopback receiver")
    print(f"enqueue-to-delivery latency over {events} events (one commit each):")
    print(f"  p50 {q[49]:.1f} ms   p95 {q[94]:.1f} ms   max {max(latencies):.1f} ms")

    before = len(receiver.requests)
    committed = await enqueue(db, hook, events, burst)
    await wait_for(receiver, before + burst, 0.1)
    elapsed = receiver.requests[-1].at - committed
    print(f"throughput: {burst} events enqueued in one commit, delivered in {elapsed:.2f} s")
    print(f"  {burst / elapsed:.0f} deliveries/second (signed, one HTTP request each)")
    worker.stop()
    await running
    await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--burst", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(main(database, args.events, args.burst))
