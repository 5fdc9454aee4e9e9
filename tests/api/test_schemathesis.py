"""Schemathesis over the server's own /openapi.json, in-process (SQLite only).

Every operation, at most 25 generated requests each, once with a valid API key and once with
none; checks: no 5xx, every status code declared, every answer matching its declared schema.
The database is seeded first (a host with a schedule, event types, bookings, a webhook, an
out-of-office entry, a private link and a reservation), and generated path ids are swapped for
seeded ones about half of the time, so success answers are checked too, not only 404s.
Hypothesis is derandomized: a run is reproducible.
"""

from __future__ import annotations

import asyncio
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.kit.migrate import upgrade
from slotwise.kit.openapi import NOT_IMPLEMENTED
from slotwise.users.service import create_user

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MONDAY = "2050-09-05"
# Seconds one in-process call may take. Schemathesis's default (10 s) once expired on a plain
# GET /v2/bookings/{uid} while the browser tests shared CI's two cores; a hang still fails.
TIMEOUT = 60


def _settings(url: str, tmp: Path) -> Settings:
    return Settings(
        database_url=url,
        public_url="http://slotwise.test",
        rate_limit_per_minute=1_000_000,
        outbox_dir=tmp / "outbox",
        secret_key=SecretStr("test-secret-key"),
        worker_in_process=False,
        # never Apple's real server: a closed local port fails at once
        apple_caldav_url="http://127.0.0.1:9/",
        calendar_timeout_seconds=2,
    )


async def _seed(settings: Settings) -> dict[str, Any]:
    """Create the data the generated requests can find; returns the key and the id pools."""
    app = create_app(settings)
    try:
        async with app.state.db.write_sessions() as session, session.begin():
            alice = await create_user(
                session, username="alice", email="alice@example.com", time_zone="UTC"
            )
            await create_user(session, username="bob", email="bob@example.com", time_zone="UTC")
        key = alice.api_key
        auth = {"Authorization": f"Bearer {key}"}
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:

            async def call(method: str, path: str, version: str | None, **kw: Any) -> Any:
                headers = dict(auth)
                if version:
                    headers["cal-api-version"] = version
                r = await c.request(method, path, headers=headers, **kw)
                assert r.status_code < 300, (method, path, r.status_code, r.text)
                return r.json()["data"]

            week = {
                "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                "startTime": "09:00",
                "endTime": "17:00",
            }
            schedules = [
                (
                    await call(
                        "POST",
                        "/v2/schedules",
                        "2024-06-11",
                        json={
                            "name": name,
                            "timeZone": "UTC",
                            "isDefault": name == "Work",
                            "availability": [week],
                        },
                    )
                )["id"]
                for name in ("Work", "Spare")
            ]
            bodies = [
                {"title": "Intro", "slug": "intro", "lengthInMinutes": 30},
                {
                    "title": "Seated",
                    "slug": "seated",
                    "lengthInMinutes": 60,
                    "seats": {
                        "seatsPerTimeSlot": 5,
                        "showAttendeeInfo": False,
                        "showAvailabilityCount": True,
                    },
                },
                {
                    "title": "Confirm",
                    "slug": "confirm",
                    "lengthInMinutes": 30,
                    "confirmationPolicy": {
                        "type": "always",
                        "blockUnconfirmedBookingsInBooker": True,
                    },
                },
                {"title": "Spare", "slug": "spare", "lengthInMinutes": 15},
            ]
            event_types = [
                (await call("POST", "/v2/event-types", "2024-06-14", json=b))["id"] for b in bodies
            ]
            attendee = {"name": "Ada", "email": "ada@example.com", "timeZone": "Europe/London"}

            async def book(event_type: int, start: str) -> Any:
                body = {"eventTypeId": event_type, "start": start, "attendee": attendee}
                return await call("POST", "/v2/bookings", "2024-08-13", json=body)

            plain = await book(event_types[0], f"{MONDAY}T09:00:00.000Z")
            seated = await book(event_types[1], f"{MONDAY}T10:00:00.000Z")
            pending = await book(event_types[2], f"{MONDAY}T13:00:00.000Z")
            spare = await book(event_types[0], f"{MONDAY}T15:00:00.000Z")
            attendees = await call("GET", f"/v2/bookings/{plain['uid']}/attendees", "2024-08-13")
            hook = await call(
                "POST",
                "/v2/webhooks",
                None,
                json={
                    "subscriberUrl": "https://example.com/hook",
                    "triggers": ["BOOKING_CREATED"],
                    "active": True,
                },
            )
            et_hook = await call(
                "POST",
                f"/v2/event-types/{event_types[0]}/webhooks",
                None,
                json={
                    "subscriberUrl": "https://example.com/et",
                    "triggers": ["BOOKING_CREATED"],
                    "active": True,
                },
            )
            ooo = await call(
                "POST",
                "/v2/me/ooo",
                None,
                json={"start": "2050-12-01T00:00:00.000Z", "end": "2050-12-03T00:00:00.000Z"},
            )
            link = await call(
                "POST", f"/v2/event-types/{event_types[0]}/private-links", None, json={}
            )
            team = await call("POST", "/v2/teams", None, json={"name": "Seed", "slug": "seed"})
            memberships = await call("GET", f"/v2/teams/{team['id']}/memberships", None)
            invite = await call("POST", f"/v2/teams/{team['id']}/invite", None)
            reservation = await call(
                "POST",
                "/v2/slots/reservations",
                "2024-09-04",
                json={"eventTypeId": event_types[0], "slotStart": "2050-09-06T09:00:00.000Z"},
            )
            team_event_type = await call(
                "POST",
                f"/v2/teams/{team['id']}/event-types",
                None,
                json={
                    "title": "Demo",
                    "slug": "demo",
                    "lengthInMinutes": 30,
                    "schedulingType": "roundRobin",
                    "hosts": [{"userId": alice.user.id}],
                },
            )
        seat_uid = seated.get("seatUid") or (seated.get("attendees") or [{}])[0].get("seatUid")
        return {
            "key": key,
            "ids": {
                "scheduleId": schedules,
                "eventTypeId": [*event_types, team_event_type["id"]],
                "bookingUid": [plain["uid"], seated["uid"], pending["uid"], spare["uid"]],
                "seatUid": [seat_uid] if seat_uid else [],
                "attendeeId": [a["id"] for a in attendees],
                "webhookId": [str(hook["id"]), str(et_hook["id"])],
                "oooId": [ooo["id"]],
                "linkId": [link["linkId"]],
                "uid": [reservation["reservationUid"]],
                "teamId": [team["id"]],
                "membershipId": [m["id"] for m in memberships],
                "token": [invite["token"]],
                "userId": [memberships[0]["userId"]],
            },
        }
    finally:
        await app.state.db.dispose()


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[Any, dict[str, Any]]]:
    """An app on a seeded SQLite database, and the seed (API key and id pools)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'schemathesis.db'}"
        upgrade(url)
        conf = _settings(url, Path(tmp))
        seed = asyncio.run(_seed(conf))
        yield create_app(conf), seed


@pytest.fixture(scope="module")
def api_schema(seeded: tuple[Any, dict[str, Any]]) -> Any:
    """The server's /openapi.json as a schemathesis schema bound to the in-process app."""
    app, _ = seeded
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


def _use_seeded(case: Any, ids: dict[str, list[Any]]) -> None:
    """Swap generated path ids for seeded ones about half of the time (decided by the generated
    value itself, so a run stays reproducible)."""
    for name, value in list((case.path_parameters or {}).items()):
        pool = ids.get(name) or []
        if pool and zlib.crc32(repr(value).encode()) % 2 == 0:
            case.path_parameters[name] = pool[zlib.crc32(repr(value).encode()) // 2 % len(pool)]


@pytest.fixture(params=[True, False], ids=["api-key", "anonymous"])
def with_key(request: pytest.FixtureRequest) -> bool:
    """Run every operation with the seeded API key, then with no key."""
    return bool(request.param)


@pytest.mark.usefixtures("with_key")
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_openapi_conformance(case: Any, with_key: bool, seeded: tuple[Any, dict[str, Any]]) -> None:
    """Every answer is declared in /openapi.json and matches its schema; none is a 5xx."""
    _, seed = seeded
    _use_seeded(case, seed["ids"])
    headers = {"Authorization": f"Bearer {seed['key']}"} if with_key else {}
    if not with_key and case.headers:
        case.headers.pop("Authorization", None)
    key = f"{case.operation.method.upper()} {case.operation.path}"
    if key in NOT_IMPLEMENTED:  # declared 501 (kit/openapi.py): every other check still runs
        checks = [c for c in CHECKS if c is not not_a_server_error]
        response = case.call_and_validate(headers=headers, checks=checks, timeout=TIMEOUT)
        assert response.status_code < 500 or response.status_code == 501, response.text
        return
    response = case.call_and_validate(headers=headers, checks=CHECKS, timeout=TIMEOUT)
    if case.operation.path == "/v2/api-keys/refresh" and response.status_code == 200:
        seed["key"] = response.json()["data"]["apiKey"]  # the old key stopped working
