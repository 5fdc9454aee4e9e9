"""The jobs table: durable background work (webhook deliveries, emails, scheduled triggers).

A row is written in the same transaction as the change that causes it (see
:mod:`slotwise.jobs`), so side effects happen if and only if that change commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slotwise.models.base import Base, JSONType, UTCDateTime, utcnow

JOB_STATUSES = ("pending", "running", "done", "failed", "cancelled")


class Job(Base):
    """One unit of background work.

    ``status``: ``pending`` (waits for ``run_at``), ``running`` (claimed by ``locked_by`` until
    ``locked_until``, a UTC instant; an expired lease makes it claimable again), ``done``,
    ``failed`` (attempts exhausted or a permanent error; ``last_error`` says why) or
    ``cancelled``. ``attempts`` counts claims, so a worker killed mid-job still uses one;
    ``max_attempts`` None means the handler's policy (webhooks: the retry schedule) or the
    setting.
    ``dedupe_key``: an optional caller-chosen key (``meeting:{bookingUid}:started``) used to
    skip duplicate enqueues and to cancel related jobs by prefix.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_status_run_at", "status", "run_at"),
        Index("ix_jobs_dedupe_key", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    locked_by: Mapped[str | None] = mapped_column(String(200))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
