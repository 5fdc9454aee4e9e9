"""One bench run: start everything, seed, load (with at most one fault mid-load), drain, audit,
report, clean up. :func:`run` is what ``bench/fleet_bench.py`` and the smoke tests call."""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from bench.fleet import infra
from bench.fleet.audit import Audit, audit, drain
from bench.fleet.load import Load, Results
from bench.fleet.seed import World, seed, subscribe
from tests.webhook_receiver import Receiver

from slotwise.kit.migrate import upgrade

FAULTS = ("none", "kill-api", "kill-worker", "pg-restart", "redis-stop", "receiver-500")


@dataclass
class Config:
    """Sizes and the fault. Times in seconds."""

    hosts: int = 500
    bookings_per_host: int = 20
    weeks: int = 4
    duration: float = 60.0
    clients: int = 32
    slots_days: int = 7
    api: int = 2
    workers: int = 2
    fault: str = "none"
    fault_at: float = 0.4  # fraction of the duration
    outage: float = 5.0  # receiver-500: seconds answering 500
    retry_schedule: str = "1,1,2,2,3,3,5,5,5,5"
    lease_seconds: float = 6.0
    pool_size: int = 8
    drain_timeout: float = 180.0
    logs: Path | None = None  # keep the processes' logs here (default: a temporary directory)


@dataclass
class Report:
    """A run's numbers and its audit."""

    config: Config
    results: Results
    audit: Audit
    seeded_bookings: int
    fault_note: str = ""
    after_fault: list[str] = field(default_factory=list)  # problems with the fleet afterwards
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase of the run
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds used during the load

    @property
    def lost(self) -> list[str]:
        """Every loss found (empty: nothing was lost)."""
        return self.audit.lost + self.after_fault

    @property
    def server_errors(self) -> dict[tuple[str, str], int]:
        """5xx answers by (operation, status)."""
        return {k: n for k, n in self.results.statuses.items() if k[1].startswith("5")}


def pct(samples: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank); 0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))]


def _env(config: Config, database_url: str, redis_url: str, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SLOTWISE_DATABASE_URL": database_url,
        "SLOTWISE_REDIS_URL": redis_url,
        "SLOTWISE_RATE_LIMIT_PER_MINUTE": "1000000000",
        "SLOTWISE_DATA_DIR": str(tmp / "data"),
        "SLOTWISE_OUTBOX_DIR": str(tmp / "outbox"),
        "SLOTWISE_SECRET_KEY": "fleet-bench-secret",
        "SLOTWISE_PUBLIC_URL": "http://fleet.bench",
        "SLOTWISE_DATABASE_POOL_SIZE": str(config.pool_size),
        "SLOTWISE_JOB_LEASE_SECONDS": str(config.lease_seconds),
        "SLOTWISE_WEBHOOK_RETRY_SCHEDULE": config.retry_schedule,
        "SLOTWISE_WORKER_POLL_SECONDS": "0.5",
    }


def _holder_pid(database_url: str, job_id: str) -> int | None:
    """The pid of the worker holding job ``job_id`` (``locked_by`` is host:pid:random)."""
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT locked_by FROM jobs WHERE id = %s AND status = 'running'", (int(job_id),)
        ).fetchone()
    if row is None or row[0] is None:
        return None
    found = re.match(r".*:(\d+):[0-9a-f]+$", row[0])
    return int(found.group(1)) if found else None


async def _fault(
    config: Config, fleet: infra.Fleet, receiver: Receiver, database_url: str,
    cluster: infra.Cluster | None, redis: infra.Redis,
) -> str:  # fmt: skip
    """Inject ``config.fault``; returns what was done."""
    await asyncio.sleep(config.duration * config.fault_at)
    loop = asyncio.get_running_loop()
    if config.fault == "kill-api":
        pid = fleet.kill_api_process()
        return f"SIGKILL to API process {pid} at {config.duration * config.fault_at:.0f} s"
    if config.fault == "kill-worker":
        # Hold deliveries at the receiver, so that a worker is mid-delivery (its request has
        # arrived, the answer has not) when it is killed: the receiver has the event, the
        # worker never learns it, and the job is delivered again once its lease expires.
        receiver.delay = 5.0
        seen = len(receiver.requests)
        deadline = time.monotonic() + 30
        victim = None
        while victim is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            for held in receiver.requests[seen:]:
                job = held.headers.get("x-slotwise-delivery-id", "0")
                pid = await loop.run_in_executor(None, _holder_pid, database_url, job)
                victim = next((w for w in fleet.workers if w.pid == pid), None)
                if victim is not None:
                    break
        if victim is None:
            receiver.delay = 0.0
            return "no delivery was in flight to kill a worker in"
        victim.kill()
        receiver.delay = 0.0
        fleet.add_worker()  # what a supervisor does
        return f"SIGKILL to worker {victim.pid} mid-delivery (its request held at the receiver)"

    if config.fault == "pg-restart":
        assert cluster is not None
        down = await loop.run_in_executor(None, cluster.restart)
        return f"PostgreSQL stopped (fast) and started again, {down:.1f} s down"
    if config.fault == "redis-stop":
        await loop.run_in_executor(None, redis.stop)
        return "redis-server stopped (SIGTERM) and left down"
    if config.fault == "receiver-500":
        receiver.status = 500
        await asyncio.sleep(config.outage)
        receiver.status = 200
        return f"the receiver answered 500 for {config.outage:g} s"
    return ""


async def run(config: Config) -> Report:
    """Run the bench once; everything it started is stopped and removed afterwards."""
    if config.fault not in FAULTS:
        raise ValueError(f"fault must be one of {', '.join(FAULTS)}")
    with tempfile.TemporaryDirectory(prefix="slotwise-fleet-") as tmp_name:
        tmp = Path(tmp_name)
        logs = config.logs or tmp / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        receiver = await Receiver().start()
        cluster = infra.Cluster() if config.fault == "pg-restart" else None
        database = infra.Database(cluster.admin if cluster else infra.LOCAL_PG)
        redis = infra.Redis()
        fleet: infra.Fleet | None = None
        phases: dict[str, float] = {}
        mark = time.monotonic()

        def phase(name: str) -> None:
            nonlocal mark
            now = time.monotonic()
            phases[name] = now - mark
            mark = now

        try:
            await asyncio.to_thread(upgrade, database.url)
            env = _env(config, database.url, redis.url, tmp)
            fleet = await asyncio.to_thread(
                infra.Fleet, env, logs, api=config.api, workers=config.workers
            )
            phase("start")
            world: World = await seed(
                fleet.base_url, database.url, hosts=config.hosts,
                bookings_per_host=config.bookings_per_host, weeks=config.weeks,
            )  # fmt: skip
            seeded = len(world.live)
            await subscribe(fleet.base_url, world, receiver.url)
            await asyncio.to_thread(drain, database.url, config.drain_timeout)
            phase("seed")
            load = Load(fleet.base_url, world, clients=config.clients, slots_days=config.slots_days)
            injector = None
            if config.fault != "none":
                injector = asyncio.create_task(
                    _fault(config, fleet, receiver, database.url, cluster, redis)
                )
            api_cpu, worker_cpu, own_cpu = *fleet.cpu_seconds(), time.process_time()
            results = await load.run(config.duration)
            api_after, worker_after = fleet.cpu_seconds()
            cpu = {
                "api": api_after - api_cpu,
                "workers": worker_after - worker_cpu,
                "load generator": time.process_time() - own_cpu,
            }
            note = await injector if injector else ""
            phase("load")
            receiver.status, receiver.delay = 200, 0.0
            await asyncio.to_thread(drain, database.url, config.drain_timeout)
            await asyncio.sleep(0.5)  # answers in flight reach the receiver's list
            phase("drain")
            found = await asyncio.to_thread(audit, database.url, results, receiver)
            after = []
            if config.fault == "kill-api" and len(fleet.api_pids()) != config.api:
                after.append(f"{len(fleet.api_pids())} API processes after the kill")
            if fleet.serve.returncode is not None:
                after.append("serve exited")
            return Report(config, results, found, seeded, note, after, phases, cpu)
        finally:
            if fleet is not None:
                await asyncio.to_thread(fleet.stop)
            await receiver.stop()
            redis.stop()
            try:
                database.drop()
            finally:
                if cluster is not None:
                    cluster.destroy()


def render(report: Report) -> str:
    """The report as printed by the bench."""
    c, r, a = report.config, report.results, report.audit
    lines = [
        f"fleet: {c.api} API processes (serve --workers {c.api}), {c.workers} workers, "
        f"PostgreSQL, Redis; {c.clients} clients for {r.elapsed:.1f} s; fault: {c.fault}",
        f"data: {c.hosts} hosts (Mon-Fri 09:00-17:00 Europe/Rome, 30-min event type), "
        f"{report.seeded_bookings} bookings over {c.weeks} weeks made through the API; "
        f"slots reads of {c.slots_days} days",
    ]
    if report.fault_note:
        lines.append(f"fault: {report.fault_note}")
    lines.append(f"throughput: {r.requests / r.elapsed:.1f} requests/s ({r.requests} answered)")
    lines.append(f"  {'operation':<11} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for op in ("slots", "book", "cancel", "reschedule"):
        ms = r.latencies.get(op, [])
        lines.append(
            f"  {op:<11} {len(ms):>7} {pct(ms, 50):>8.1f} {pct(ms, 95):>8.1f} {pct(ms, 99):>8.1f}"
        )
    by_status = sorted(r.statuses.items())
    lines.append(
        "answers by status: " + ", ".join(f"{op} {status}: {n}" for (op, status), n in by_status)
    )
    lines.append(f"5xx: {sum(report.server_errors.values())}")
    lines.append(
        f"bookings answered 201: {len(r.created)} created, {len(r.rescheduled)} rescheduled, "
        f"{len(r.cancelled)} cancelled (200); missing afterwards: {len(a.missing_bookings)}"
    )
    lines.append(f"double bookings (SQL): {a.double_bookings}")
    lines.append(
        f"webhook deliveries: expected {a.deliveries_expected}, received {a.deliveries_received}"
        f" (distinct X-Slotwise-Delivery-Id answered 2xx; {a.duplicates_deduplicated} "
        f"duplicates deduplicated; {a.refused_attempts} attempts answered non-2xx)"
    )
    if a.lag_ms:
        lines.append(
            f"delivery lag (BOOKING_CREATED, event to arrival): p50 {pct(a.lag_ms, 50):.0f} ms, "
            f"p95 {pct(a.lag_ms, 95):.0f} ms, mean {statistics.mean(a.lag_ms):.0f} ms"
        )
    lines.append(f"jobs after the drain: {dict(sorted(a.jobs_by_status.items()))}")
    if report.cpu and r.requests:
        api = report.cpu["api"]
        lines.append(
            "CPU during the load (s): "
            + ", ".join(f"{k} {v:.1f}" for k, v in report.cpu.items())
            + f"; API {api * 1000 / r.requests:.1f} ms of CPU per request, i.e. about "
            f"{r.requests / api:.0f} requests/s per fully available core"
        )
    lines.append("phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in report.phases.items()))
    lines.append("lost: " + ("nothing" if not report.lost else "; ".join(report.lost)))
    return "\n".join(lines)
