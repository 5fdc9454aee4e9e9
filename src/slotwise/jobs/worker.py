"""The worker: claims due jobs, runs their handlers, records the outcome.

Runs in-process under ``slotwise serve`` (the app's lifespan) or standalone under
``slotwise worker``; any number of workers may share one PostgreSQL database (claims use
``FOR UPDATE SKIP LOCKED``; see :mod:`slotwise.jobs.queue`). An idle worker wakes when a
transaction of its process that enqueued a job commits, on PostgreSQL also on ``NOTIFY`` from
any process, and otherwise polls every ``SLOTWISE_WORKER_POLL_SECONDS``. While a job runs its
lease is renewed every third of ``SLOTWISE_JOB_LEASE_SECONDS``; a worker that dies (kill -9)
stops renewing, and once the lease expires another worker claims the job again (at least
once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.config import Settings
from slotwise.jobs import queue
from slotwise.jobs.registry import (
    JobContext,
    PermanentJobError,
    default_backoff,
    default_max_attempts,
    handler_for,
    load_handlers,
)
from slotwise.kit.db import Database, sync_url
from slotwise.kit.middleware import request_id_var

log = logging.getLogger("slotwise.jobs")


def new_worker_id() -> str:
    """``host:pid:random``: unique per worker, readable in ``slotwise jobs list``."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class _Outcome:
    job: queue.ClaimedJob
    error: str | None
    retry_in: float | None
    ctx: JobContext | None
    done: asyncio.Future[bool]


class Worker:
    """Runs jobs from the jobs table of ``db``.

    ``concurrency``: jobs run at the same time (default ``SLOTWISE_WORKER_CONCURRENCY``);
    ``poll_seconds``: how often an idle worker checks for due jobs (a commit that enqueued a job
    in this process wakes it at once); ``lease_seconds``: the claim lease.
    Use :meth:`run` (until :meth:`stop`) or :meth:`run_until_idle` (tests, tools).
    """

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        worker_id: str | None = None,
        concurrency: int | None = None,
        poll_seconds: float | None = None,
        lease_seconds: float | None = None,
    ) -> None:
        load_handlers()
        self.db = db
        self.settings = settings
        self.worker_id = worker_id or new_worker_id()
        self.concurrency = concurrency or settings.worker_concurrency
        self.poll_seconds = poll_seconds or settings.worker_poll_seconds
        self.lease_seconds = lease_seconds or settings.job_lease_seconds
        self.resources: dict[str, Any] = {}
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._write_lock = asyncio.Lock()
        self.completed = 0
        self._outcomes: list[_Outcome] = []
        self._recorder: asyncio.Task[None] | None = None

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction. This worker's writes (claims, outcomes, lease renewals) take
        turns on an asyncio lock: on SQLite they queue here instead of in SQLite's busy handler
        (which sleeps in steps of up to 100 ms); on PostgreSQL an outcome batch and a lease
        renewal never lock the same job rows in opposite orders (no deadlocks)."""
        async with self._write_lock, self.db.write_sessions() as session, session.begin():
            yield session

    async def _claim(self, limit: int) -> list[queue.ClaimedJob]:
        async with self._write() as session:
            return await queue.claim(
                session, self.worker_id, limit=limit, lease_seconds=self.lease_seconds
            )

    async def _record(
        self,
        job: queue.ClaimedJob,
        error: str | None,
        retry_in: float | None,
        ctx: JobContext | None = None,
    ) -> None:
        """Record one attempt's outcome (and its ``ctx.outcome_writes``). Outcomes that arrive
        while a write is in progress are recorded together in the next transaction, so a busy
        worker writes far fewer transactions than it runs jobs."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._outcomes.append(_Outcome(job, error, retry_in, ctx, done))
        if self._recorder is None:
            self._recorder = asyncio.create_task(self._record_outcomes())
        if not await done:
            log.warning("job %s (%s): lease lost before its outcome was recorded", job.id, job.kind)

    async def _record_outcomes(self) -> None:
        try:
            while self._outcomes:
                batch, self._outcomes = sorted(self._outcomes, key=lambda o: o.job.id), []
                try:
                    held = []
                    async with self._write() as session:
                        for o in batch:
                            if o.error is None:
                                ok = await queue.finish(session, o.job.id, self.worker_id)
                            else:
                                ok = await queue.fail(
                                    session, o.job.id, self.worker_id, o.error, retry_in=o.retry_in
                                )
                            for write in o.ctx.outcome_writes if o.ctx is not None else ():
                                await write(session)
                            held.append(ok)
                except Exception as exc:  # the jobs stay leased and are claimed again later
                    for o in batch:
                        if not o.done.done():
                            o.done.set_exception(exc)
                else:
                    for o, ok in zip(batch, held, strict=True):
                        if not o.done.done():
                            o.done.set_result(ok)
        finally:
            self._recorder = None

    async def _execute(self, job: queue.ClaimedJob) -> None:
        spec = handler_for(job.kind)
        max_attempts = job.max_attempts or default_max_attempts(job.kind, self.settings)
        if spec is None:
            await self._record(job, f"no handler for job kind {job.kind!r}", None)
            return
        if job.attempts > max_attempts:
            await self._record(job, "lease expired during the final attempt", None)
            return
        ctx = JobContext(
            settings=self.settings,
            db=self.db,
            job_id=job.id,
            kind=job.kind,
            attempt=job.attempts,
            max_attempts=max_attempts,
            resources=self.resources,
            created_at=job.created_at,
        )
        # The job's log lines carry the id of the request that enqueued it (if any); each job
        # runs in a task of its own, whose context ends with it.
        request_id_var.set(job.payload.get(queue.REQUEST_ID_KEY))
        try:
            await spec.func(job.payload, ctx)
        except asyncio.CancelledError:
            raise
        except PermanentJobError as exc:
            log.warning("job %s (%s) failed permanently: %s", job.id, job.kind, exc)
            await self._record(job, f"{type(exc).__name__}: {exc}", None, ctx)
            return
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if job.attempts >= max_attempts:
                log.warning(
                    "job %s (%s) failed after %s attempts: %s",
                    job.id,
                    job.kind,
                    job.attempts,
                    error,
                )
                await self._record(job, error, None, ctx)
            else:
                backoff = spec.backoff or default_backoff
                delay = backoff(self.settings, job.attempts)
                log.info(
                    "job %s (%s) attempt %s failed, retry in %.1fs: %s",
                    job.id,
                    job.kind,
                    job.attempts,
                    delay,
                    error,
                )
                await self._record(job, error, delay, ctx)
            return
        await self._record(job, None, None, ctx)
        self.completed += 1

    def _spawn(self, job: queue.ClaimedJob) -> None:
        task = asyncio.create_task(self._execute(job), name=f"job-{job.id}")
        self._tasks[job.id] = task

        def _done(t: asyncio.Task[None]) -> None:
            self._tasks.pop(job.id, None)
            self._wake.set()
            if not t.cancelled() and t.exception() is not None:
                log.error("job %s: outcome not recorded", job.id, exc_info=t.exception())

        task.add_done_callback(_done)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            ids = list(self._tasks)
            if not ids:
                continue
            try:
                async with self._write() as session:
                    await queue.extend_leases(session, self.worker_id, ids, self.lease_seconds)
            except Exception:
                log.exception("could not renew job leases")

    async def _listen(self) -> None:
        """PostgreSQL: wake on ``NOTIFY slotwise_jobs`` (sent by committed enqueues of any
        process); reconnects after errors. Polling remains the fallback."""
        conninfo = sync_url(self.db.url).set(drivername="postgresql")
        dsn = conninfo.render_as_string(hide_password=False)
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(dsn, autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {queue.NOTIFY_CHANNEL}")
                    async for _note in conn.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("job notifications unavailable (%s); polling", type(exc).__name__)
                await asyncio.sleep(max(self.poll_seconds, 1.0))

    async def run(self) -> None:
        """Claim and run jobs until :meth:`stop`; then wait for the jobs in flight."""
        queue.register_wakeup(self._wake)
        heartbeat = asyncio.create_task(self._heartbeat())
        listener = asyncio.create_task(self._listen()) if self.db.dialect == "postgresql" else None
        log.info("worker %s started (concurrency %s)", self.worker_id, self.concurrency)
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                free = self.concurrency - len(self._tasks)
                claimed: list[queue.ClaimedJob] = []
                if free > 0:
                    try:
                        claimed = await self._claim(free)
                    except Exception:
                        log.exception("could not claim jobs")
                for job in claimed:
                    self._spawn(job)
                if claimed and len(claimed) == free:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
        finally:
            queue.unregister_wakeup(self._wake)
            if self._tasks:
                await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            for helper in (heartbeat, listener):
                if helper is not None:
                    helper.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await helper
            await self.close()
            log.info("worker %s stopped", self.worker_id)

    def stop(self) -> None:
        """Ask :meth:`run` to return after the jobs in flight finish."""
        self._stopping.set()
        self._wake.set()

    async def run_until_idle(self, *, timeout: float = 60.0) -> int:
        """Run due jobs, and the jobs they make due, until none is due; returns how many ran.

        Jobs scheduled for later are left. Raises TimeoutError after ``timeout`` seconds.
        """

        async def drain() -> int:
            ran = 0
            while True:
                claimed = await self._claim(self.concurrency)
                if not claimed:
                    return ran
                await asyncio.gather(*(self._execute(job) for job in claimed))
                ran += len(claimed)

        return await asyncio.wait_for(drain(), timeout)

    async def close(self) -> None:
        """Release the resources handlers opened (HTTP clients)."""
        for resource in list(self.resources.values()):
            closer = getattr(resource, "aclose", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()
        self.resources.clear()
