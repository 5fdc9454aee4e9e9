"""The jobs engine on SQLite and PostgreSQL: transactional enqueue, retries, scheduling,
dedupe and cancellation, lease expiry, and several workers sharing one queue."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from slotwise.config import Settings
from slotwise.jobs import PermanentJobError, Worker, cancel_jobs, enqueue, job_handler
from slotwise.jobs.queue import claim, retry_by_ids, unregister_wakeup
from slotwise.jobs.registry import JobContext
from slotwise.kit.db import Database
from slotwise.models import Job, utcnow
from tests.conftest import fresh_database

RUNS: Counter[str] = Counter()
FAILURES: dict[str, int] = {}


@job_handler("test.record")
async def _record(payload: dict[str, Any], ctx: JobContext) -> None:
    RUNS[payload["name"]] += 1
    left = FAILURES.get(payload["name"], 0)
    if left:
        FAILURES[payload["name"]] = left - 1
        raise RuntimeError(f"planned failure of {payload['name']} at attempt {ctx.attempt}")


@job_handler("test.permanent")
async def _permanent(payload: dict[str, Any], ctx: JobContext) -> None:
    RUNS[payload["name"]] += 1
    raise PermanentJobError("cannot ever work")


@job_handler("test.slow", backoff=lambda _s, _a: 0.0)
async def _slow(payload: dict[str, Any], ctx: JobContext) -> None:
    await asyncio.sleep(payload.get("seconds", 0.01))
    RUNS[payload["name"]] += 1


@pytest.fixture(autouse=True)
def _reset() -> None:
    RUNS.clear()
    FAILURES.clear()


def fast_settings(settings: Settings, **extra: Any) -> Settings:
    return settings.model_copy(
        update={"worker_poll_seconds": 0.05, "job_lease_seconds": 30.0, **extra}
    )


async def jobs(db: Database) -> list[Job]:
    async with db.read_sessions() as session:
        return list((await session.execute(select(Job).order_by(Job.id))).scalars())


async def test_committed_job_runs_once_rolled_back_never(app: Any, settings: Settings) -> None:
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        await enqueue(session, "test.record", {"name": "kept"})
    with pytest.raises(RuntimeError):
        async with db.write_sessions() as session, session.begin():
            await enqueue(session, "test.record", {"name": "lost"})
            raise RuntimeError("the booking failed")
    ran = await Worker(db, fast_settings(settings)).run_until_idle()
    assert ran == 1
    assert RUNS == {"kept": 1}
    [job] = await jobs(db)
    assert (job.status, job.attempts, job.finished_at is not None) == ("done", 1, True)


async def test_failures_retry_then_succeed_or_fail(app: Any, settings: Settings) -> None:
    db: Database = app.state.db
    FAILURES.update({"flaky": 2, "broken": 99})
    async with db.write_sessions() as session, session.begin():
        await enqueue(session, "test.record", {"name": "flaky"}, max_attempts=5)
        await enqueue(session, "test.record", {"name": "broken"}, max_attempts=3)
        await enqueue(session, "test.permanent", {"name": "never"}, max_attempts=5)
    worker = Worker(db, fast_settings(settings))
    await worker.run_until_idle()
    # Failed attempts are rescheduled into the future (default backoff ~10 s): make them due.
    for _ in range(5):
        async with db.write_sessions() as session, session.begin():
            for job in (await session.execute(select(Job))).scalars():
                if job.status == "pending":
                    assert job.run_at > utcnow() + timedelta(seconds=5)
                    job.run_at = utcnow()
        await worker.run_until_idle()
    by_name = {j.payload["name"]: j for j in await jobs(db)}
    assert (by_name["flaky"].status, by_name["flaky"].attempts) == ("done", 3)
    assert (by_name["broken"].status, by_name["broken"].attempts) == ("failed", 3)
    assert "planned failure of broken at attempt 3" in (by_name["broken"].last_error or "")
    assert (by_name["never"].status, by_name["never"].attempts) == ("failed", 1)
    assert "cannot ever work" in (by_name["never"].last_error or "")
    assert RUNS == {"flaky": 3, "broken": 3, "never": 1}
    # An operator retry gives a failed job one more attempt.
    FAILURES["broken"] = 0
    async with db.write_sessions() as session, session.begin():
        assert await retry_by_ids(session, [by_name["broken"].id]) == [by_name["broken"].id]
    await worker.run_until_idle()
    assert {j.payload["name"]: j.status for j in await jobs(db)}["broken"] == "done"


async def test_scheduled_dedupe_and_cancel(app: Any, settings: Settings) -> None:
    db: Database = app.state.db
    later = utcnow() + timedelta(hours=1)
    async with db.write_sessions() as session, session.begin():
        first = await enqueue(
            session, "test.record", {"name": "a"}, run_at=later, dedupe_key="meeting:x:started"
        )
        again = await enqueue(
            session, "test.record", {"name": "a"}, run_at=later, dedupe_key="meeting:x:started"
        )
        assert again.id == first.id
        await enqueue(
            session, "test.record", {"name": "b"}, run_at=later, dedupe_key="meeting:x:ended"
        )
        await enqueue(
            session, "test.record", {"name": "c"}, run_at=later, dedupe_key="meeting:x_:ended"
        )
        await enqueue(session, "test.record", {"name": "now"})
    worker = Worker(db, fast_settings(settings))
    assert await worker.run_until_idle() == 1
    assert RUNS == {"now": 1}
    async with db.write_sessions() as session, session.begin():
        # "_" is not a wildcard: only keys starting with the literal prefix are cancelled.
        assert await cancel_jobs(session, dedupe_key_prefix="meeting:x:") == 2
    statuses = {j.payload["name"]: j.status for j in await jobs(db)}
    assert statuses == {"a": "cancelled", "b": "cancelled", "c": "pending", "now": "done"}
    # After a cancellation the key is free again (a rescheduled meeting gets a new job).
    async with db.write_sessions() as session, session.begin():
        new = await enqueue(session, "test.record", {"name": "a2"}, dedupe_key="meeting:x:started")
        assert new.id != first.id
    await worker.run_until_idle()
    assert RUNS["a2"] == 1 and RUNS["a"] == 0


async def test_expired_lease_is_reclaimed(app: Any, settings: Settings) -> None:
    """A worker that claimed a job and died: once the lease expires another one runs it."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        await enqueue(session, "test.record", {"name": "orphan"})
    async with db.write_sessions() as session, session.begin():
        [claimed] = await claim(session, "dead-worker", limit=5, lease_seconds=0.3)
    survivor = Worker(db, fast_settings(settings))
    assert await survivor.run_until_idle() == 0  # still leased to the dead worker
    await asyncio.sleep(0.4)
    assert await survivor.run_until_idle() == 1
    [job] = await jobs(db)
    assert (job.id, job.status, job.attempts) == (claimed.id, "done", 2)
    assert RUNS == {"orphan": 1}


async def test_lease_expiry_on_the_final_attempt_fails_the_job(
    app: Any, settings: Settings
) -> None:
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        await enqueue(session, "test.record", {"name": "doomed"}, max_attempts=1)
    async with db.write_sessions() as session, session.begin():
        await claim(session, "dead-worker", limit=5, lease_seconds=0.1)
    await asyncio.sleep(0.2)
    await Worker(db, fast_settings(settings)).run_until_idle()
    [job] = await jobs(db)
    assert job.status == "failed" and "lease expired" in (job.last_error or "")
    assert RUNS["doomed"] == 0


async def test_two_workers_run_each_of_1000_jobs_once(app: Any, settings: Settings) -> None:
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        for i in range(1000):
            await enqueue(session, "test.slow", {"name": f"job{i}", "seconds": 0.001})
    conf = fast_settings(settings, worker_concurrency=8)
    workers = [Worker(db, conf, worker_id=f"w{i}") for i in range(2)]
    runners = [asyncio.create_task(w.run()) for w in workers]

    async def all_done() -> None:
        while True:
            async with db.read_sessions() as session:
                left = await session.scalar(
                    select(func.count()).select_from(Job).where(Job.status != "done")
                )
            if left == 0:
                return
            await asyncio.sleep(0.1)

    await asyncio.wait_for(all_done(), 120)
    for w in workers:
        w.stop()
    await asyncio.gather(*runners)
    assert len(RUNS) == 1000 and set(RUNS.values()) == {1}
    assert all(w.completed > 0 for w in workers), [w.completed for w in workers]
    assert sum(w.completed for w in workers) == 1000
    async with db.read_sessions() as session:
        attempts = set((await session.execute(select(Job.attempts))).scalars())
    assert attempts == {1}


async def test_a_commit_wakes_an_idle_worker(app: Any, settings: Settings) -> None:
    db: Database = app.state.db
    worker = Worker(db, fast_settings(settings, worker_poll_seconds=30.0))
    runner = asyncio.create_task(worker.run())
    await asyncio.sleep(0.2)
    async with db.write_sessions() as session, session.begin():
        await enqueue(session, "test.record", {"name": "woken"})
    for _ in range(100):
        if RUNS["woken"]:
            break
        await asyncio.sleep(0.05)
    worker.stop()
    await runner
    assert RUNS == {"woken": 1}


async def test_enqueue_refuses_naive_times(app: Any) -> None:
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        with pytest.raises(ValueError):
            await enqueue(session, "test.record", {}, run_at=utcnow().replace(tzinfo=None))
        with pytest.raises(ValueError):
            await cancel_jobs(session)


async def test_a_worker_of_another_process_wakes_up(app: Any, settings: Settings) -> None:
    """Without the in-process wake-up (as for a `slotwise worker` on another machine): on
    PostgreSQL the commit's NOTIFY wakes the worker at once (its poll interval is 30 s); on
    SQLite the worker finds the job at its next poll."""
    db: Database = app.state.db
    postgres = db.dialect == "postgresql"
    other = fresh_database(settings.database_url)
    worker = Worker(other, fast_settings(settings, worker_poll_seconds=30.0 if postgres else 0.3))
    runner = asyncio.create_task(worker.run())
    await asyncio.sleep(0.5)  # started, listening
    unregister_wakeup(worker._wake)  # only NOTIFY (PostgreSQL) or polling (SQLite) remain
    async with db.write_sessions() as session, session.begin():
        await enqueue(session, "test.record", {"name": "remote"})
    try:
        for _ in range(100):
            if RUNS["remote"]:
                break
            await asyncio.sleep(0.05)
    finally:
        worker.stop()
        await runner
        await other.dispose()
    assert RUNS == {"remote": 1}
