"""The jobs table API: enqueue and cancel in the caller's transaction; claim, finish and fail
for workers; list, retry and cancel for operators.

Claiming (:func:`claim`): one ``UPDATE … RETURNING`` marks due jobs ``running`` with a lease.
On PostgreSQL the candidate rows are selected ``FOR UPDATE SKIP LOCKED``, so concurrent workers
never claim the same job; on SQLite the write transaction is ``BEGIN IMMEDIATE`` (see
:mod:`slotwise.kit.db`), which serialises claimers on the database lock. A ``running`` job
whose lease (``locked_until``) has expired is claimable again: its worker died.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.middleware import current_request_id
from slotwise.models import Job, utcnow

REQUEST_ID_KEY = "_requestId"
"""Payload key holding the X-Request-Id of the request that enqueued the job: the worker logs
the job's lines under it."""

_wakeups: set[asyncio.Event] = set()
_WAKE_KEY = "slotwise_jobs_wake"
NOTIFY_CHANNEL = "slotwise_jobs"


def register_wakeup(ev: asyncio.Event) -> None:
    """Have ``ev`` set whenever a transaction of this process that enqueued a job commits."""
    _wakeups.add(ev)


def unregister_wakeup(ev: asyncio.Event) -> None:
    """Undo :func:`register_wakeup`."""
    _wakeups.discard(ev)


def _wake_after_commit(session: AsyncSession) -> None:
    """Wake this process's idle workers when ``session`` commits (a spurious wake-up after a
    rollback is harmless: the worker just finds nothing)."""
    sync = session.sync_session
    if sync.info.get(_WAKE_KEY):
        return
    sync.info[_WAKE_KEY] = True

    def _after_commit(_s: Any) -> None:
        sync.info.pop(_WAKE_KEY, None)
        for ev in list(_wakeups):
            ev.set()

    def _after_rollback(_s: Any) -> None:
        sync.info.pop(_WAKE_KEY, None)

    event.listen(sync, "after_commit", _after_commit, once=True)
    event.listen(sync, "after_rollback", _after_rollback, once=True)


async def _notify(session: AsyncSession) -> None:
    """Once per transaction: wake this process's workers at commit, and on PostgreSQL every
    listening worker (``NOTIFY`` is delivered only if the transaction commits)."""
    if session.sync_session.info.get(_WAKE_KEY):
        return
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text(f"SELECT pg_notify('{NOTIFY_CHANNEL}', '')"))
    _wake_after_commit(session)


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    *,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int | None = None,
    check_existing: bool = True,
) -> Job:
    """Add a job to the caller's transaction (flushed, not committed) and return it.

    ``payload``: JSON-serialisable. ``run_at``: a timezone-aware instant (default now) before
    which the job is not run. ``dedupe_key``: when a pending or running job of the same
    ``kind`` already has this key, that job is returned instead of adding another.
    ``max_attempts``: None means the handler's policy or ``SLOTWISE_JOB_MAX_ATTEMPTS``.
    Inside a request, the payload also gets the request's id under :data:`REQUEST_ID_KEY`.
    ``check_existing=False``: the caller knows that no job can hold ``dedupe_key`` yet (the key
    names a row created in this transaction, and the caller enqueues each key once), so the key
    is stored without the lookup (one statement less).
    Raises ValueError for a naive ``run_at`` or ``max_attempts`` < 1.
    """
    if run_at is not None and run_at.tzinfo is None:
        raise ValueError("run_at must be timezone-aware")
    if max_attempts is not None and max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if dedupe_key is not None and check_existing:
        existing = (
            await session.execute(
                select(Job).where(
                    Job.kind == kind,
                    Job.dedupe_key == dedupe_key,
                    Job.status.in_(("pending", "running")),
                )
            )
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    now = utcnow()
    payload = dict(payload)
    request_id = current_request_id()
    if request_id is not None:
        payload.setdefault(REQUEST_ID_KEY, request_id)
    job = Job(
        kind=kind,
        payload=payload,
        run_at=run_at or now,
        status="pending",
        attempts=0,
        max_attempts=max_attempts,
        dedupe_key=dedupe_key,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    await session.flush()
    await _notify(session)
    return job


async def cancel_jobs(
    session: AsyncSession, *, kind: str | None = None, dedupe_key_prefix: str | None = None
) -> int:
    """Cancel the pending jobs matching every filter given, in the caller's transaction.

    ``dedupe_key_prefix`` matches keys starting with it (``meeting:abc:`` cancels
    ``meeting:abc:started`` and ``meeting:abc:ended``). Running jobs are left alone. Returns the
    number cancelled. Raises ValueError when no filter is given (cancelling everything is
    done with ids, see :func:`cancel_by_ids`).
    """
    if kind is None and dedupe_key_prefix is None:
        raise ValueError("cancel_jobs needs kind or dedupe_key_prefix")
    conditions = [Job.status == "pending"]
    if kind is not None:
        conditions.append(Job.kind == kind)
    if dedupe_key_prefix is not None:
        conditions.append(Job.dedupe_key.startswith(dedupe_key_prefix, autoescape=True))
    now = utcnow()
    result = await session.execute(
        update(Job)
        .where(*conditions)
        .values(status="cancelled", updated_at=now, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class ClaimedJob:
    """A job claimed by a worker: what its handler needs."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int | None
    created_at: datetime | None = None
    """When the job was enqueued (UTC): deliveries measure their lag from it."""


async def claim(
    session: AsyncSession, worker_id: str, *, limit: int, lease_seconds: float
) -> list[ClaimedJob]:
    """Claim up to ``limit`` due jobs for ``worker_id`` (in the caller's write transaction).

    Due: ``running`` with an expired lease (its worker died; these first), then ``pending``
    with ``run_at`` reached, oldest ``run_at`` first. Each claimed job becomes ``running``,
    locked by ``worker_id`` until now + ``lease_seconds``, with ``attempts`` + 1. Each of the
    two kinds is one ``UPDATE … WHERE id IN (SELECT … LIMIT n)`` that walks the
    ``(status, run_at)`` index, so a claim costs the same however long the queue is.
    """
    now = utcnow()
    postgres = session.get_bind().dialect.name == "postgresql"
    claimed: list[ClaimedJob] = []
    for due, order in (
        ((Job.status == "running") & (Job.locked_until < now), Job.locked_until),
        ((Job.status == "pending") & (Job.run_at <= now), Job.run_at),
    ):
        wanted = limit - len(claimed)
        if wanted <= 0:
            break
        candidates = select(Job.id).where(due).order_by(order).limit(wanted)
        if postgres:
            candidates = candidates.with_for_update(skip_locked=True)
        rows = (
            await session.execute(
                update(Job)
                .where(Job.id.in_(candidates.scalar_subquery()))
                .values(
                    status="running",
                    locked_by=worker_id,
                    locked_until=now + timedelta(seconds=lease_seconds),
                    attempts=Job.attempts + 1,
                    updated_at=now,
                )
                .returning(
                    Job.id, Job.kind, Job.payload, Job.attempts, Job.max_attempts, Job.created_at
                )
                .execution_options(synchronize_session=False)
            )
        ).all()
        claimed += [ClaimedJob(r[0], r[1], dict(r[2] or {}), r[3], r[4], r[5]) for r in rows]
    return claimed


async def extend_leases(
    session: AsyncSession, worker_id: str, job_ids: Sequence[int], lease_seconds: float
) -> None:
    """Renew the leases of ``job_ids`` still held by ``worker_id``."""
    if not job_ids:
        return
    await session.execute(
        update(Job)
        .where(Job.id.in_(list(job_ids)), Job.locked_by == worker_id, Job.status == "running")
        .values(locked_until=utcnow() + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )


async def finish(session: AsyncSession, job_id: int, worker_id: str) -> bool:
    """Mark a job done; False when ``worker_id`` no longer holds it (its lease was lost)."""
    now = utcnow()
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker_id, Job.status == "running")
        .values(
            status="done",
            locked_by=None,
            locked_until=None,
            last_error=None,
            updated_at=now,
            finished_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def fail(
    session: AsyncSession,
    job_id: int,
    worker_id: str | None,
    error: str,
    *,
    retry_in: float | None,
) -> bool:
    """Record a failed attempt: back to ``pending`` in ``retry_in`` seconds, or ``failed``
    when ``retry_in`` is None. ``worker_id`` None skips the lock check. False when the job
    was not held by ``worker_id``."""
    now = utcnow()
    conditions = [Job.id == job_id, Job.status == "running"]
    if worker_id is not None:
        conditions.append(Job.locked_by == worker_id)
    values: dict[str, Any] = {
        "locked_by": None,
        "locked_until": None,
        "last_error": error[:4000],
        "updated_at": now,
    }
    if retry_in is None:
        values.update(status="failed", finished_at=now)
    else:
        values.update(status="pending", run_at=now + timedelta(seconds=retry_in))
    result = await session.execute(
        update(Job).where(*conditions).values(**values).execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def list_jobs(
    session: AsyncSession,
    *,
    status: str | None = None,
    kind: str | None = None,
    limit: int = 50,
) -> list[Job]:
    """Jobs, newest first, optionally filtered by status and kind."""
    stmt = select(Job).order_by(Job.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(Job.status == status)
    if kind is not None:
        stmt = stmt.where(Job.kind == kind)
    return list((await session.execute(stmt)).scalars())


async def retry_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[int]:
    """Make failed or cancelled jobs pending again, due now. A failed job gets one more
    attempt; a cancelled one keeps the attempts it had left.

    Returns the ids changed (pending, running and done jobs are left alone)."""
    jobs = (
        (
            await session.execute(
                select(Job).where(Job.id.in_(list(ids)), Job.status.in_(("failed", "cancelled")))
            )
        )
        .scalars()
        .all()
    )
    now = utcnow()
    for job in jobs:
        if job.status == "failed":
            job.max_attempts = job.attempts + 1
        job.status = "pending"
        job.run_at = now
        job.finished_at = None
        job.updated_at = now
    await session.flush()
    if jobs:
        await _notify(session)
    return sorted(j.id for j in jobs)


async def cancel_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[int]:
    """Cancel the pending ones of ``ids``; returns the ids cancelled."""
    now = utcnow()
    rows = (
        await session.execute(
            update(Job)
            .where(Job.id.in_(list(ids)), Job.status == "pending")
            .values(status="cancelled", updated_at=now, finished_at=now)
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    return sorted(r[0] for r in rows)
