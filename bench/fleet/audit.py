"""After the load: wait for the job queue to drain, then check in the database and at the
receiver that nothing was lost.

- every booking answered 201 (created or rescheduled to) exists; every cancel answered 200 left
  its booking cancelled; every rescheduled-from booking is no longer accepted;
- no host has two accepted bookings that overlap (the SQL check for double bookings);
- every webhook delivery job was received (2xx) exactly once after deduplication by
  ``X-Slotwise-Delivery-Id``, and nothing else was; every acknowledged change has its event;
- no job is stuck (pending or running after the drain) or failed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from bench.fleet.load import Results
from tests.webhook_receiver import Receiver

DELIVER = "webhooks.deliver"

DOUBLE_BOOKINGS = """
SELECT count(*) FROM bookings a JOIN bookings b
  ON a.user_id = b.user_id AND a.id < b.id
 AND a.status = 'accepted' AND b.status = 'accepted'
 AND a.start_time < b.end_time AND b.start_time < a.end_time
"""


def _sync_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def jobs_open(database_url: str) -> int:
    """Jobs pending or running now."""
    with psycopg.connect(_sync_url(database_url), connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT count(*) FROM jobs WHERE status IN ('pending', 'running')"
        ).fetchone()
    return int(row[0]) if row else 0


def drain(database_url: str, timeout: float) -> float:
    """Wait until no job is pending or running (or ``timeout`` seconds); returns the wait."""
    began = time.monotonic()
    while jobs_open(database_url) and time.monotonic() - began < timeout:
        time.sleep(0.25)
    return time.monotonic() - began


@dataclass
class Audit:
    """What was found; :attr:`lost` lists every loss (empty: nothing was lost)."""

    missing_bookings: list[str] = field(default_factory=list)
    wrong_state: list[str] = field(default_factory=list)
    double_bookings: int = 0
    deliveries_expected: int = 0
    deliveries_received: int = 0  # distinct delivery ids answered 2xx
    deliveries_missing: list[str] = field(default_factory=list)
    deliveries_unexpected: list[str] = field(default_factory=list)
    duplicates_deduplicated: int = 0
    refused_attempts: int = 0  # requests the receiver answered with a non-2xx status
    events_missing: list[str] = field(default_factory=list)
    jobs_by_status: dict[str, int] = field(default_factory=dict)
    lag_ms: list[float] = field(default_factory=list)  # BOOKING_CREATED: createdAt → arrival

    @property
    def stuck_jobs(self) -> int:
        """Jobs still pending or running after the drain."""
        return self.jobs_by_status.get("pending", 0) + self.jobs_by_status.get("running", 0)

    @property
    def lost(self) -> list[str]:
        """One line per kind of loss; empty when nothing was lost."""
        found = []
        if self.missing_bookings:
            found.append(f"{len(self.missing_bookings)} bookings answered 201 do not exist")
        if self.wrong_state:
            found.append(f"{len(self.wrong_state)} acknowledged changes not in the database")
        if self.double_bookings:
            found.append(f"{self.double_bookings} double-booked pairs")
        if self.deliveries_missing:
            found.append(f"{len(self.deliveries_missing)} webhook deliveries never received")
        if self.deliveries_unexpected:
            found.append(f"{len(self.deliveries_unexpected)} deliveries with unknown ids")
        if self.events_missing:
            found.append(f"{len(self.events_missing)} acknowledged changes without their webhook")
        if self.stuck_jobs:
            found.append(f"{self.stuck_jobs} jobs stuck (pending or running)")
        if self.jobs_by_status.get("failed"):
            found.append(f"{self.jobs_by_status['failed']} jobs failed")
        return found


def audit(database_url: str, results: Results, receiver: Receiver) -> Audit:
    """Compare what the clients were told and what the receiver got with the database."""
    found = Audit()
    with psycopg.connect(_sync_url(database_url), connect_timeout=5) as conn:
        acknowledged = set(results.created) | set(results.rescheduled.values())
        acknowledged |= results.cancelled | set(results.rescheduled)
        states = dict(
            conn.execute(
                "SELECT uid, status FROM bookings WHERE uid = ANY(%s)", (list(acknowledged),)
            ).fetchall()
        )
        for uid in set(results.created) | set(results.rescheduled.values()):
            if uid not in states:
                found.missing_bookings.append(uid)
        for uid in results.cancelled:
            if states.get(uid) != "cancelled":
                found.wrong_state.append(f"{uid} cancelled (200) but {states.get(uid)}")
        for old in results.rescheduled:
            if states.get(old) == "accepted":
                found.wrong_state.append(f"{old} rescheduled (201) but still accepted")
        row = conn.execute(DOUBLE_BOOKINGS).fetchone()
        found.double_bookings = int(row[0]) if row else 0
        expected = {
            str(r[0]) for r in conn.execute("SELECT id FROM jobs WHERE kind = %s", (DELIVER,))
        }
        found.jobs_by_status = dict(
            conn.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall()
        )
    accepted = [r for r in receiver.requests if 200 <= r.status < 300]
    by_id = {r.headers.get("x-slotwise-delivery-id", ""): r for r in accepted}
    found.deliveries_expected = len(expected)
    found.deliveries_received = len(by_id)
    found.deliveries_missing = sorted(expected - set(by_id))
    found.deliveries_unexpected = sorted(set(by_id) - expected)
    found.duplicates_deduplicated = len(accepted) - len(by_id)
    found.refused_attempts = len(receiver.requests) - len(accepted)
    events: Counter[tuple[str, str]] = Counter()
    for received in by_id.values():
        body = json.loads(received.body)
        trigger, uid = body["triggerEvent"], str(body["payload"].get("uid"))
        events[(trigger, uid)] += 1
        if trigger == "BOOKING_CREATED":
            created = datetime.fromisoformat(body["createdAt"].replace("Z", "+00:00"))
            found.lag_ms.append((received.wall - created.astimezone(UTC).timestamp()) * 1000)
    wanted = [("BOOKING_CREATED", uid) for uid in results.created]
    wanted += [("BOOKING_CANCELLED", uid) for uid in results.cancelled]
    wanted += [("BOOKING_RESCHEDULED", new) for new in results.rescheduled.values()]
    found.events_missing = [f"{t} {uid}" for t, uid in wanted if not events[(t, uid)]]
    return found
