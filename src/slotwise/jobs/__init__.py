"""Durable background jobs on the application database (ARCHITECTURE.md §6).

Public interface::

    job = await enqueue(session, "kind", {"json": "payload"}, run_at=..., dedupe_key=...)
    n = await cancel_jobs(session, dedupe_key_prefix="meeting:abc:")

    @job_handler("kind")
    async def handle(payload: dict, ctx: JobContext) -> None: ...

    await Worker(db, settings).run()

``enqueue``/``cancel_jobs`` work in the caller's transaction (never commit), so a job exists
if and only if the change that caused it commits. Delivery is at least once.
"""

from slotwise.jobs.queue import cancel_jobs, enqueue
from slotwise.jobs.registry import (
    HANDLER_MODULES,
    JobContext,
    PermanentJobError,
    job_handler,
    webhook_backoff,
    webhook_max_attempts,
)
from slotwise.jobs.worker import Worker

__all__ = [
    "HANDLER_MODULES",
    "JobContext",
    "PermanentJobError",
    "Worker",
    "cancel_jobs",
    "enqueue",
    "job_handler",
    "webhook_backoff",
    "webhook_max_attempts",
]
