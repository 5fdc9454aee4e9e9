"""Smoke runs of the fleet bench (bench/fleet_bench.py) at a tiny size: 2 API processes and 2
workers on a throwaway PostgreSQL database, a few hosts seeded through the API, a few seconds
of the mixed load, with each fault mode once. Each asserts that nothing was lost: every
booking answered 201 exists, acknowledged cancels and reschedules are in the database, no slot
is double-booked, every webhook delivery job reached the receiver exactly once after
deduplication by ``X-Slotwise-Delivery-Id`` (and every acknowledged change has its event), no
job is stuck or failed, and no request was answered 500. Timings are not asserted."""

from __future__ import annotations

import asyncio

from bench.fleet.run import Config, Report, run


def _run(fault: str) -> Report:
    config = Config(
        hosts=3, bookings_per_host=3, weeks=2, duration=4.0, clients=4, fault=fault,
        fault_at=0.3, outage=2.0, drain_timeout=60.0,
    )  # fmt: skip
    return asyncio.run(run(config))


def _assert_lossless(report: Report, *, allowed_5xx: frozenset[str] = frozenset()) -> None:
    results, found = report.results, report.audit
    assert report.lost == [], report.lost
    assert {k: n for k, n in report.server_errors.items() if k[1] not in allowed_5xx} == {}
    # The load really ran: bookings were made and the receiver got their events.
    assert results.created, results.statuses
    assert results.statuses[("slots", "200")] > 0
    assert found.deliveries_expected >= len(results.created)
    assert found.deliveries_received == found.deliveries_expected
    assert found.missing_bookings == [] and found.double_bookings == 0
    assert found.jobs_by_status.get("done", 0) > 0
    assert set(found.jobs_by_status) <= {"done", "cancelled"}, found.jobs_by_status


def test_no_fault() -> None:
    report = _run("none")
    _assert_lossless(report)
    assert report.audit.duplicates_deduplicated == 0


def test_api_process_killed() -> None:
    report = _run("kill-api")
    assert report.fault_note.startswith("SIGKILL to API process")
    _assert_lossless(report)  # also: uvicorn's manager replaced it (after_fault is empty)


def test_worker_killed_mid_delivery() -> None:
    report = _run("kill-worker")
    assert "mid-delivery" in report.fault_note, report.fault_note
    _assert_lossless(report)
    # The receiver got the held request; the new attempt carried the same id and was dropped.
    assert report.audit.duplicates_deduplicated >= 1


def test_postgresql_restarted() -> None:
    report = _run("pg-restart")
    assert report.fault_note.startswith("PostgreSQL stopped")
    # While it is down, requests get 503 ServiceUnavailableException, never 500.
    _assert_lossless(report, allowed_5xx=frozenset({"503"}))


def test_redis_stopped() -> None:
    report = _run("redis-stop")
    assert report.fault_note.startswith("redis-server stopped")
    _assert_lossless(report)  # rate limiting fails open: not one error


def test_receiver_failing_for_two_seconds() -> None:
    report = _run("receiver-500")
    assert report.audit.refused_attempts > 0  # deliveries were refused, then retried
    _assert_lossless(report)
