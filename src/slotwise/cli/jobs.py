"""``slotwise worker`` and ``slotwise jobs list|retry|cancel``."""

from __future__ import annotations

import asyncio
import json
import signal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slotwise.cli.common import fail, ready_settings, run_in_transaction

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from slotwise.models import Job

#: The job statuses (``slotwise.models.JOB_STATUSES``, which imports the models), for help.
STATUSES_HELP = "pending, running, done, failed or cancelled"

jobs_app = typer.Typer(help="Inspect and operate the background job queue.", no_args_is_help=True)


def worker_command(
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", min=1, help="Jobs run at the same time")
    ] = None,
) -> None:
    """Run a standalone background worker until SIGINT/SIGTERM (jobs in flight finish first).

    Start any number, on any machines, against one PostgreSQL database."""
    from slotwise.hooks import install_hooks
    from slotwise.jobs import Worker
    from slotwise.kit.db import create_database
    from slotwise.kit.middleware import configure_logging

    settings = ready_settings()
    configure_logging(settings.log_level, settings.log_format)
    install_hooks()  # (the same hooks as the app, should a handler change a booking)

    async def main() -> None:
        db = create_database(
            settings.database_url,
            busy_timeout_ms=settings.sqlite_busy_timeout_ms,
            pool_size=settings.database_pool_size,
        )
        worker = Worker(db, settings, concurrency=concurrency)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, worker.stop)
        typer.echo(f"Worker {worker.worker_id} running (Ctrl+C to stop).")
        try:
            await worker.run()
        finally:
            await db.dispose()

    asyncio.run(main())


def _job_json(job: Job) -> dict[str, Any]:
    from slotwise.kit.envelope import iso_utc

    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "runAt": iso_utc(job.run_at),
        "attempts": job.attempts,
        "maxAttempts": job.max_attempts,
        "lockedBy": job.locked_by,
        "lockedUntil": iso_utc(job.locked_until) if job.locked_until else None,
        "lastError": job.last_error,
        "dedupeKey": job.dedupe_key,
        "createdAt": iso_utc(job.created_at),
        "finishedAt": iso_utc(job.finished_at) if job.finished_at else None,
        "payload": job.payload,
    }


@jobs_app.command("list")
def list_command(
    status: Annotated[str | None, typer.Option("--status", help=f"One of {STATUSES_HELP}")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="e.g. webhooks.deliver")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Newest N jobs")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Show every column")] = False,
) -> None:
    """List jobs, newest first (80 columns: id, kind, status, run at, attempts; ``--wide`` adds
    the dedupe key and the last error)."""
    from slotwise.cli.client_common import Column, table
    from slotwise.jobs.queue import list_jobs
    from slotwise.models import JOB_STATUSES

    if status is not None and status not in JOB_STATUSES:
        raise fail(f"--status must be one of {', '.join(JOB_STATUSES)}")
    settings = ready_settings()

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [
            _job_json(j) for j in await list_jobs(session, status=status, kind=kind, limit=limit)
        ]

    rows = run_in_transaction(settings, work)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    columns = [
        Column("id", "id"),
        Column("kind", "kind"),
        Column("status", "status"),
        Column("run at", "runAt"),
        Column("attempts", lambda r: f"{r['attempts']}/{r['maxAttempts'] or '-'}"),
    ]
    if wide:
        columns += [Column("dedupe key", "dedupeKey"), Column("last error", "lastError", True)]
    table(rows, columns, wide=wide)


def _operate(ids: list[int], as_json: bool, verb: str) -> None:
    from slotwise.jobs.queue import cancel_by_ids, retry_by_ids

    settings = ready_settings()
    action = retry_by_ids if verb == "retry" else cancel_by_ids

    async def work(session: AsyncSession) -> list[int]:
        return await action(session, ids)

    changed = run_in_transaction(settings, work)
    skipped = sorted(set(ids) - set(changed))
    if as_json:
        typer.echo(json.dumps({"changed": changed, "skipped": skipped}))
    else:
        done = "retried" if verb == "retry" else "cancelled"
        typer.echo(f"{done}: {', '.join(map(str, changed)) or 'none'}")
        if skipped:
            wanted = "failed or cancelled" if verb == "retry" else "pending"
            typer.echo(f"skipped (missing or not {wanted}): {', '.join(map(str, skipped))}")
    if not changed:
        raise typer.Exit(code=1)


@jobs_app.command("retry")
def retry_command(
    ids: Annotated[list[int], typer.Argument(help="Job ids (failed or cancelled)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Run failed or cancelled jobs again now (a failed job gets one more attempt)."""
    _operate(ids, as_json, "retry")


@jobs_app.command("cancel")
def cancel_command(
    ids: Annotated[list[int], typer.Argument(help="Job ids (pending)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Cancel pending jobs."""
    _operate(ids, as_json, "cancel")
