"""Benchmark: a PostgreSQL fleet under a mixed load, optionally with a fault mid-load.

One command starts everything on this machine: a throwaway PostgreSQL database (on
127.0.0.1:5432, or with ``--fault pg-restart`` in a throwaway cluster made with initdb on another
port), a throwaway redis-server, ``slotwise serve --workers 2`` and 2 ``slotwise worker``
processes and a webhook receiver that deduplicates by ``X-Slotwise-Delivery-Id``. It seeds
hosts through the API (schedules Mon-Fri 09:00-17:00 Europe/Rome, a 30-minute event type, a
month of bookings with attendees, a webhook each), runs the mix (80% slots reads, 15% bookings,
5% cancels and reschedules) for ``--duration`` seconds, waits for the job queue to drain and
prints throughput, p50/p95/p99 per operation, answers by status, double bookings (SQL), webhook
deliveries expected vs received, delivery lag and what was lost. Exit code 1 when anything was
lost, a 5xx other than 503 was answered, or (without a fault) any 5xx was.

Run: python bench/fleet_bench.py --duration 60 [--hosts 500] [--clients 32]
     [--fault kill-api|kill-worker|pg-restart|redis-stop|receiver-500]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench.fleet and tests.*

from bench.fleet.run import FAULTS, Config, render, run  # noqa: E402  (after the path insert)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--bookings-per-host", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=4, help="weeks of the booking window")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--slots-days", type=int, default=7, help="days per slots read")
    parser.add_argument("--api", type=int, default=2, help="API processes (serve --workers)")
    parser.add_argument("--workers", type=int, default=2, help="slotwise worker processes")
    parser.add_argument("--fault", choices=FAULTS, default="none")
    parser.add_argument("--outage", type=float, default=10.0, help="receiver-500: seconds")
    parser.add_argument("--logs", type=Path, default=None, help="keep the processes' logs here")
    args = parser.parse_args()
    config = Config(
        hosts=args.hosts, bookings_per_host=args.bookings_per_host, weeks=args.weeks,
        duration=args.duration, clients=args.clients, slots_days=args.slots_days, api=args.api,
        workers=args.workers, fault=args.fault, outage=args.outage, logs=args.logs,
    )  # fmt: skip
    report = asyncio.run(run(config))
    print(render(report))
    allowed = {"503"} if args.fault != "none" else set()
    bad_5xx = [k for k in report.server_errors if k[1] not in allowed]
    return 1 if report.lost or bad_5xx else 0


if __name__ == "__main__":
    sys.exit(main())
