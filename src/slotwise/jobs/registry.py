"""Job handlers: the ``job_handler(kind)`` registry, the context handlers get, and retry delays.

A handler is ``async def handler(payload: dict, ctx: JobContext) -> None``. Returning means
done; raising means the attempt failed and the job is retried after a backoff delay until its
``max_attempts`` are used; raising :class:`PermanentJobError` fails it at once. Handlers run at
least once (a worker may die after the work but before recording it), so they must be
idempotent and re-check state before acting (a cancelled booking sends no reminder).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.config import Settings
from slotwise.kit.db import Database

#: Modules whose import registers handlers; the worker imports them all before it starts.
#: A feature that adds job kinds appends its module here.
HANDLER_MODULES: list[str] = [
    "slotwise.webhooks.delivery",
    "slotwise.email.jobs",
    "slotwise.email.account",
    "slotwise.calendars.writes",
]


OutcomeWrite = Callable[[AsyncSession], Awaitable[None]]


class PermanentJobError(Exception):
    """Raised by a handler: the job cannot succeed by retrying; mark it failed now."""


@dataclass
class JobContext:
    """What a running handler gets besides its payload.

    ``settings``/``db``: the worker's; ``job_id``; ``attempt``: 1 for the first try;
    ``max_attempts`` (effective); ``kind``; ``created_at`` (UTC, when it was enqueued);
    ``resources``: per-worker objects handlers may share across jobs (e.g. an HTTP client),
    keyed by name. :meth:`write_with_outcome` adds
    writes to the transaction that records the attempt's outcome (done, retry or failed).
    """

    settings: Settings
    db: Database
    job_id: int
    kind: str
    attempt: int
    max_attempts: int
    resources: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    outcome_writes: list[OutcomeWrite] = field(default_factory=list)

    def write_with_outcome(self, write: OutcomeWrite) -> None:
        """Run ``await write(session)`` in the transaction that records this attempt's
        outcome, whether the handler returns or raises (e.g. a delivery-log row): the row and
        the job's new state commit together."""
        self.outcome_writes.append(write)

    @property
    def is_last_attempt(self) -> bool:
        """True when a failure now marks the job failed."""
        return self.attempt >= self.max_attempts


Handler = Callable[[dict[str, Any], JobContext], Awaitable[None]]
Backoff = Callable[[Settings, int], float]


@dataclass(frozen=True)
class HandlerSpec:
    """A registered handler with its retry policy (``None``: the settings' defaults)."""

    kind: str
    func: Handler
    backoff: Backoff | None = None
    max_attempts: Callable[[Settings], int] | None = None


_handlers: dict[str, HandlerSpec] = {}


def job_handler(
    kind: str,
    *,
    backoff: Backoff | None = None,
    max_attempts: Callable[[Settings], int] | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated coroutine as the handler of jobs of ``kind``.

    ``backoff(settings, attempt)``: seconds to wait after failed attempt ``attempt`` (1-based);
    default :func:`default_backoff`. ``max_attempts(settings)``: attempts of jobs enqueued
    without an explicit count; default ``settings.job_max_attempts``. Registering another
    function for a kind replaces the earlier one.
    """

    def register(func: Handler) -> Handler:
        _handlers[kind] = HandlerSpec(kind, func, backoff, max_attempts)
        return func

    return register


def handler_for(kind: str) -> HandlerSpec | None:
    """The handler registered for ``kind``, if any."""
    return _handlers.get(kind)


def load_handlers() -> None:
    """Import every module of :data:`HANDLER_MODULES` so their handlers are registered."""
    for module in HANDLER_MODULES:
        importlib.import_module(module)


def jittered(delay: float, *, spread: float = 0.2) -> float:
    """``delay`` seconds ± ``spread`` (a fraction), never negative."""
    return max(0.0, delay * (1 + random.uniform(-spread, spread)))


def default_backoff(_settings: Settings, attempt: int) -> float:
    """Exponential backoff with jitter: 10 s, 20 s, 40 s … capped at one hour."""
    return jittered(min(10.0 * 2 ** (attempt - 1), 3600.0))


def webhook_backoff(settings: Settings, attempt: int) -> float:
    """The ``SLOTWISE_WEBHOOK_RETRY_SCHEDULE`` delay after failed attempt ``attempt``, with
    jitter (the last delay repeats if attempts outnumber the schedule)."""
    delays = settings.webhook_retry_delays
    return jittered(delays[min(attempt - 1, len(delays) - 1)])


def webhook_max_attempts(settings: Settings) -> int:
    """One first try plus one retry per delay of the schedule."""
    return len(settings.webhook_retry_delays) + 1


def default_max_attempts(kind: str, settings: Settings) -> int:
    """Attempts for a new job of ``kind``: its handler's policy, else the setting."""
    spec = _handlers.get(kind)
    if spec is not None and spec.max_attempts is not None:
        return spec.max_attempts(settings)
    return settings.job_max_attempts
