"""Nothing lost, on SQLite and PostgreSQL: receiver down then up, retries visible in the
delivery log, redelivery, MEETING_STARTED/ENDED scheduling, rollbacks, restarts, a worker
killed mid-delivery (lease expiry; a real ``slotwise worker`` process killed with SIGKILL),
and the delivery-time address check."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

import httpx2
import pytest
from sqlalchemy import update

from slotwise.app import create_app
from slotwise.bookings.history import on_booking_event, remove_booking_event_hook
from slotwise.config import Settings
from slotwise.jobs.queue import claim
from slotwise.kit.db import Database
from slotwise.models import Booking, BookingEvent, Job, utcnow
from tests.api.booking_fixtures import MONDAY, V, at, book, booked, make_event_type
from tests.api.webhook_fixtures import (
    all_jobs,
    fast,
    receiver,
    run_jobs,
    run_until,
    subscribe,
)
from tests.conftest import Host
from tests.subprocesses import start
from tests.webhook_receiver import Receiver

__all__ = ["receiver"]


def webhook_jobs(jobs: list[Job], kind: str = "webhooks.deliver") -> list[Job]:
    return [j for j in jobs if j.kind == kind]


async def test_receiver_down_then_up_loses_nothing(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host
) -> None:
    rec = Receiver()  # not listening yet
    et = await make_event_type(app, host)
    hook = await subscribe(client, host, rec.url, ["BOOKING_CREATED", "BOOKING_CANCELLED"])
    uids = [(await booked(client, et, at(MONDAY, f"{h}:00")))["uid"] for h in (10, 11, 12, 13)]
    r = await client.post(f"/v2/bookings/{uids[0]}/cancel", json={}, headers=V)
    assert r.status_code == 200
    for _ in range(3):  # a few failed rounds while the receiver is down
        await run_jobs(app, settings)
        await asyncio.sleep(0.25)
    r = await client.get(f"/v2/webhooks/{hook['id']}/deliveries", headers=host.headers)
    failures = r.json()["data"]
    assert failures and all(not d["success"] and d["statusCode"] is None for d in failures)
    assert all("ConnectError" in d["error"] for d in failures)
    assert max(d["attempt"] for d in failures) >= 2
    await rec.start()
    try:
        await run_until(app, settings, rec, 5)
        await asyncio.sleep(0.3)
        await run_jobs(app, settings)
    finally:
        await rec.stop()
    got = sorted((q.json()["triggerEvent"], q.json()["payload"]["uid"]) for q in rec.requests)
    expected = [("BOOKING_CREATED", u) for u in uids] + [("BOOKING_CANCELLED", uids[0])]
    assert got == sorted(expected)
    assert {j.status for j in webhook_jobs(await all_jobs(app))} == {"done"}


async def test_failing_receiver_is_visible_then_redelivered(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    receiver.status = 500
    et = await make_event_type(app, host)
    hook = await subscribe(client, host, receiver.url, ["BOOKING_CREATED"])
    await booked(client, et, at(MONDAY, "10:00"))
    short = {"webhook_retry_schedule": "0.1,0.1"}  # 3 attempts in all
    for _ in range(10):
        await run_jobs(app, settings, **short)
        await asyncio.sleep(0.15)
    [job] = webhook_jobs(await all_jobs(app))
    assert (job.status, job.attempts) == ("failed", 3)
    assert job.last_error == "DeliveryFailed: receiver answered HTTP 500"
    r = await client.get(f"/v2/webhooks/{hook['id']}/deliveries", headers=host.headers)
    log = r.json()["data"]
    assert [(d["attempt"], d["statusCode"], d["success"]) for d in log] == [
        (3, 500, False),
        (2, 500, False),
        (1, 500, False),
    ]
    assert log[0]["error"] == "receiver answered HTTP 500"
    assert len(receiver.requests) == 3
    # fixed receiver: redeliver the logged event
    receiver.status = 204
    r = await client.post(
        f"/v2/webhooks/{hook['id']}/deliveries/{log[0]['id']}/redeliver", headers=host.headers
    )
    assert r.status_code == 202, r.text
    assert r.json()["data"]["status"] == "pending"
    await run_jobs(app, settings)
    assert len(receiver.requests) == 4
    assert receiver.requests[3].body == receiver.requests[0].body
    # One delivery id for every attempt of the event and for its redelivery (an extension).
    ids = {req.headers["x-slotwise-delivery-id"] for req in receiver.requests}
    assert ids == {str(job.id)}
    r = await client.get(f"/v2/webhooks/{hook['id']}/deliveries?take=1", headers=host.headers)
    assert r.json()["data"][0]["statusCode"] == 204 and r.json()["data"][0]["success"]
    r = await client.post(
        f"/v2/webhooks/{hook['id']}/deliveries/999999/redeliver", headers=host.headers
    )
    assert r.status_code == 404


async def test_meeting_started_and_ended_follow_the_booking(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    await subscribe(
        client, host, receiver.url, ["MEETING_STARTED", "MEETING_ENDED"],
        payloadTemplate='{"ignored": "{{title}}"}',
    )  # fmt: skip
    first = await booked(client, et, at(MONDAY, "10:00"))
    gone = await booked(client, et, at(MONDAY, "14:00"))
    meetings = webhook_jobs(await all_jobs(app), "webhooks.meeting")
    assert sorted((j.dedupe_key, j.run_at.isoformat()) for j in meetings) == sorted(
        [
            (f"meeting:{first['uid']}:started", "2050-09-05T10:00:00+00:00"),
            (f"meeting:{first['uid']}:ended", "2050-09-05T10:30:00+00:00"),
            (f"meeting:{gone['uid']}:started", "2050-09-05T14:00:00+00:00"),
            (f"meeting:{gone['uid']}:ended", "2050-09-05T14:30:00+00:00"),
        ]
    )
    r = await client.post(f"/v2/bookings/{gone['uid']}/cancel", json={}, headers=V)
    assert r.status_code == 200
    r = await client.post(
        f"/v2/bookings/{first['uid']}/reschedule", json={"start": at(MONDAY, "11:00")}, headers=V
    )
    moved = r.json()["data"]
    jobs = webhook_jobs(await all_jobs(app), "webhooks.meeting")
    status = {(j.dedupe_key, j.run_at.isoformat()): j.status for j in jobs}
    assert status == {
        (f"meeting:{first['uid']}:started", "2050-09-05T10:00:00+00:00"): "cancelled",
        (f"meeting:{first['uid']}:ended", "2050-09-05T10:30:00+00:00"): "cancelled",
        (f"meeting:{gone['uid']}:started", "2050-09-05T14:00:00+00:00"): "cancelled",
        (f"meeting:{gone['uid']}:ended", "2050-09-05T14:30:00+00:00"): "cancelled",
        (f"meeting:{moved['uid']}:started", "2050-09-05T11:00:00+00:00"): "pending",
        (f"meeting:{moved['uid']}:ended", "2050-09-05T11:30:00+00:00"): "pending",
    }
    await run_jobs(app, settings)
    assert receiver.requests == []  # not yet: they wait for the meeting's start and end
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():  # time passes
        await session.execute(update(Job).where(Job.status == "pending").values(run_at=utcnow()))
    await run_jobs(app, settings)
    sent = sorted((r.json()["triggerEvent"], r.json()) for r in receiver.requests)
    assert [t for t, _ in sent] == ["MEETING_ENDED", "MEETING_STARTED"]
    for _, body in sent:  # flat, no template
        assert "payload" not in body and "ignored" not in body
        assert (body["uid"], body["status"]) == (moved["uid"], "ACCEPTED")
        assert body["startTime"] == "2050-09-05T11:00:00.000Z"
        assert body["user"]["email"] == host.email
        assert body["attendees"][0]["email"] == "bob@example.com"


async def test_rolled_back_booking_leaves_no_job(
    app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
        await subscribe(c, host, receiver.url, ["BOOKING_CREATED", "MEETING_STARTED"])

        async def explode(_s: Any, _b: Booking, _e: BookingEvent) -> None:
            raise RuntimeError("a later step of the booking failed")

        on_booking_event(explode)  # runs after the webhook hook has enqueued
        try:
            r = await book(c, et, at(MONDAY, "10:00"))
        finally:
            remove_booking_event_hook(explode)
        assert r.status_code == 500
        assert await all_jobs(app) == []
        ok = await booked(c, et, at(MONDAY, "10:00"))
    kinds = sorted(j.kind for j in await all_jobs(app) if j.kind.startswith("webhooks."))
    assert kinds == ["webhooks.deliver", "webhooks.meeting"]
    await run_jobs(app, settings)
    assert [q.json()["payload"]["uid"] for q in receiver.requests] == [ok["uid"]]


async def test_expired_lease_redelivers(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    et = await make_event_type(app, host)
    await subscribe(client, host, receiver.url, ["BOOKING_CREATED"])
    await booked(client, et, at(MONDAY, "10:00"))
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        claimed = await claim(session, "crashed-worker", limit=10, lease_seconds=0.3)
    assert claimed
    await run_jobs(app, settings)
    assert receiver.requests == []
    await asyncio.sleep(0.4)
    await run_jobs(app, settings)
    assert len(receiver.requests) == 1
    [job] = webhook_jobs(await all_jobs(app))
    assert (job.status, job.attempts) == ("done", 2)


async def test_restart_with_pending_and_scheduled_jobs(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host
) -> None:
    rec = Receiver()
    et = await make_event_type(app, host)
    await subscribe(client, host, rec.url, ["BOOKING_CREATED", "MEETING_STARTED"])
    first = create_app(fast(settings, worker_in_process=True))
    async with first.router.lifespan_context(first):  # a server whose receiver is down
        c = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=first), base_url="http://t")
        async with c:
            booking = await booked(c, et, at(MONDAY, "10:00"))
        await asyncio.sleep(0.5)
    # the server stopped; its jobs are still in the table
    assert {j.status for j in await all_jobs(app) if j.kind.startswith("webhooks.")} <= {"pending"}
    await rec.start()
    second = create_app(fast(settings, worker_in_process=True))
    try:
        async with second.router.lifespan_context(second):
            await rec.wait_for(1)
            db: Database = app.state.db
            async with db.write_sessions() as session, session.begin():  # the meeting starts
                await session.execute(
                    update(Job).where(Job.kind == "webhooks.meeting").values(run_at=utcnow())
                )
            await rec.wait_for(2)
    finally:
        await rec.stop()
    got = sorted(q.json()["triggerEvent"] for q in rec.requests)
    assert got == ["BOOKING_CREATED", "MEETING_STARTED"]
    assert rec.requests[0].json()["payload"]["uid"] == booking["uid"]


async def test_worker_process_killed_mid_delivery(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host
) -> None:
    """A real ``slotwise worker`` is killed with SIGKILL while the receiver holds its request;
    after the lease expires another worker delivers the same event again."""
    rec = await Receiver(delay=60).start()
    et = await make_event_type(app, host)
    await subscribe(client, host, rec.url, ["BOOKING_CREATED"], secret="k")
    await booked(client, et, at(MONDAY, "10:00"))
    env = {
        **os.environ,
        "SLOTWISE_DATABASE_URL": settings.database_url,
        "SLOTWISE_PUBLIC_URL": settings.base_url,
        "SLOTWISE_JOB_LEASE_SECONDS": "2",
        "SLOTWISE_WORKER_POLL_SECONDS": "0.1",
    }
    worker = start(["worker"], env)
    try:
        # the worker process is now mid-delivery
        await worker.until(rec.wait_for(1, timeout=60), waiting_for="its delivery")
    finally:
        worker.kill()
    assert worker.returncode == -signal.SIGKILL
    rec.delay = 0
    [job] = webhook_jobs(await all_jobs(app))
    assert (job.status, job.attempts) == ("running", 1)
    try:
        for _ in range(100):
            await run_jobs(app, settings)
            if len(rec.requests) >= 2:
                break
            await asyncio.sleep(0.1)
    finally:
        await rec.stop()
    first, second = rec.requests
    assert first.body == second.body
    assert first.headers["x-cal-signature-256"] == second.headers["x-cal-signature-256"]
    [job] = webhook_jobs(await all_jobs(app))
    assert (job.status, job.attempts) == ("done", 2)


async def test_delivery_time_address_check(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    """Saved while private networks were allowed; delivered by a worker that blocks them: the
    request is never sent, and the refusal is in the delivery log."""
    et = await make_event_type(app, host)
    hook = await subscribe(client, host, receiver.url, ["BOOKING_CREATED"])
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app, settings, webhook_block_private_networks=True)
    assert receiver.requests == []
    [job] = webhook_jobs(await all_jobs(app))
    assert (job.status, job.attempts) == ("failed", 1)
    r = await client.get(f"/v2/webhooks/{hook['id']}/deliveries", headers=host.headers)
    [entry] = r.json()["data"]
    assert entry["statusCode"] is None and "not allowed" in entry["error"]


@pytest.mark.parametrize("code", [301, 302, 307])
async def test_redirects_are_not_followed(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver,
    code: int,
) -> None:  # fmt: skip
    receiver.status = code
    et = await make_event_type(app, host)
    await subscribe(client, host, receiver.url, ["BOOKING_CREATED"])
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app, settings)
    assert len(receiver.requests) == 1
    [job] = webhook_jobs(await all_jobs(app))
    assert job.status == "pending" and job.last_error == (
        f"DeliveryFailed: receiver answered HTTP {code}"
    )
