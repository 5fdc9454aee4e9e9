"""``slotwise db copy``: a rich SQLite installation, seeded through the API, copied into a fresh
migrated PostgreSQL database and served from it answers every read the same, and its pending
jobs run there; a non-empty target, a revision mismatch and a secret-key mismatch are refused.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import psycopg
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from slotwise.app import create_app
from slotwise.cli import app as cli
from slotwise.config import Settings
from slotwise.kit.migrate import head_revision, upgrade
from slotwise.models import Base, Booking, Job
from tests.api.webhook_fixtures import fast, verify
from tests.conftest import Host, make_host
from tests.webhook_receiver import Receiver

SECRET = "test-secret-key"
BOOKINGS_V = {"cal-api-version": "2024-08-13"}
VERSIONS = {  # the cal-api-version each family of reads needs
    "/v2/bookings": BOOKINGS_V,
    "/v2/slots": {"cal-api-version": "2024-09-04"},
    "/v2/schedules": {"cal-api-version": "2024-06-11"},
    "/v2/event-types": {"cal-api-version": "2024-06-14"},
}
#: The tables the seed fills (all of them when it was written); a table added later is still
#: copied and verified, and belongs here once the seed writes to it.
SEEDED_TABLES = {
    "jobs", "teams", "users", "api_keys", "credit_accounts", "credit_charges", "memberships",
    "out_of_office", "schedules", "team_invites", "event_types", "bookings", "hosts",
    "private_links", "slot_reservations", "webhooks", "attendees", "booking_events",
    "booking_hosts", "webhook_deliveries",
}  # fmt: skip
MON, TUE, WED, THU = "2050-09-05", "2050-09-06", "2050-09-07", "2050-09-08"
ROME_WEEK = [
    {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "startTime": "08:00",
        "endTime": "19:00",
    }
]


def at(day: str, hhmm: str) -> str:
    return f"{day}T{hhmm}:00.000Z"


@pytest.fixture
def pg_target(empty_pg_url: str) -> str:
    """A new, empty PostgreSQL database of this test (not migrated), dropped afterwards."""
    return empty_pg_url


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The source's data dir, holding its secret key file."""
    directory = tmp_path / "data"
    directory.mkdir(mode=0o700)
    (directory / "secret_key").write_text(SECRET + "\n")
    return directory


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    upgrade(url)
    return url


def copy(source: str, target: str, data_dir: Path, secret: str | None = SECRET) -> Result:
    env = {"SLOTWISE_DATA_DIR": str(data_dir), "SLOTWISE_SECRET_KEY": secret}
    return CliRunner().invoke(cli, ["db", "copy", "--to", target, "--from", source], env=env)


def settings_for(url: str, tmp_path: Path) -> Settings:
    return fast(
        Settings(
            database_url=url,
            public_url="http://slotwise.test",
            rate_limit_per_minute=100_000,
            outbox_dir=tmp_path / "outbox",
            secret_key=SecretStr(SECRET),
        )
    )


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = await Receiver().start()
    yield rec
    await rec.stop()


async def run_jobs(app: Any, settings: Settings) -> int:
    from slotwise.jobs import Worker

    worker = Worker(app.state.db, settings)
    try:
        return await worker.run_until_idle()
    finally:
        await worker.close()


async def ok(response: httpx2.Response, status: int = 201) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"]


class Seeder:
    """Writes through the API of the source app, remembering what reads to compare."""

    def __init__(self, client: httpx2.AsyncClient) -> None:
        self.client = client
        self.ids: dict[str, set[Any]] = {
            k: set() for k in ("scheduleId", "eventTypeId", "bookingUid", "seatUid", "webhookId")
        }
        self.et_webhooks: set[tuple[int, int]] = set()
        self.attendees: set[tuple[str, int]] = set()
        self.reservations: set[str] = set()

    async def post(self, host: Host, path: str, body: dict[str, Any], status: int = 201) -> Any:
        family = next((v for p, v in VERSIONS.items() if path.startswith(p)), {})
        return await ok(
            await self.client.post(path, json=body, headers={**host.headers, **family}), status
        )

    async def event_type(self, host: Host, slug: str, **body: Any) -> int:
        payload = {"title": slug.title(), "slug": slug, "lengthInMinutes": 30, **body}
        data = await self.post(host, "/v2/event-types", {"minimumBookingNotice": 0, **payload})
        self.ids["eventTypeId"].add(data["id"])
        return int(data["id"])

    async def book(self, et: int, start: str, email: str = "bob@example.com", **extra: Any) -> Any:
        body = {
            "start": start,
            "eventTypeId": et,
            "attendee": {"name": email.split("@")[0], "email": email, "timeZone": "Europe/Rome"},
            **extra,
        }
        data = await ok(await self.client.post("/v2/bookings", json=body, headers=BOOKINGS_V))
        for one in data if isinstance(data, list) else [data]:
            self.ids["bookingUid"].add(one["uid"])
            if one.get("seatUid"):
                self.ids["seatUid"].add(one["seatUid"])
        return data


async def seed(seeder: Seeder, alice: Host, bob: Host, receiver: Receiver) -> dict[str, Any]:
    """Users, schedules, event types of several kinds, bookings in every state, seats, a
    recurring series, webhooks; returns what the checks need."""
    s = seeder
    sched = await s.post(
        alice,
        "/v2/schedules",
        {"name": "Rome", "timeZone": "Europe/Rome", "isDefault": True, "availability": ROME_WEEK},
    )
    s.ids["scheduleId"].add(sched["id"])
    extra = await s.post(
        alice,
        "/v2/schedules",
        {
            "name": "Evenings",
            "timeZone": "America/New_York",
            "isDefault": False,
            "overrides": [{"date": "2050-09-09", "startTime": "18:00", "endTime": "20:00"}],
        },
    )
    s.ids["scheduleId"].add(extra["id"])
    bob_sched = await s.post(
        bob, "/v2/schedules", {"name": "Bob", "timeZone": "UTC", "isDefault": True}
    )
    s.ids["scheduleId"].add(bob_sched["id"])

    hook = await s.post(
        alice,
        "/v2/webhooks",
        {
            "subscriberUrl": receiver.url,
            "active": True,
            "secret": "whsec-alice",
            "triggers": [
                "BOOKING_CREATED",
                "BOOKING_CANCELLED",
                "BOOKING_RESCHEDULED",
                "BOOKING_REQUESTED",
                "BOOKING_REJECTED",
            ],
        },
    )
    s.ids["webhookId"].add(hook["id"])

    plain = await s.event_type(alice, "intro", description="Say hello", slotInterval=15)
    seated = await s.event_type(
        alice,
        "class",
        lengthInMinutes=60,
        seats={"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True},
    )
    weekly = await s.event_type(
        alice, "weekly", recurrence={"frequency": "weekly", "interval": 1, "occurrences": 4}
    )
    confirm = await s.event_type(
        alice,
        "request",
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": True},
    )
    await s.event_type(
        alice,
        "hidden",
        hidden=True,
        beforeEventBuffer=10,
        afterEventBuffer=5,
        bookingLimitsCount={"day": 2},
        scheduleId=extra["id"],
        bookingFields=[
            {
                "type": "boolean",
                "label": "Agree?",
                "slug": "agree",
                "required": False,
                "hidden": False,
            }
        ],
    )
    bob_et = await s.event_type(bob, "chat", lengthInMinutes=15)
    et_hook = await s.post(
        bob,
        f"/v2/event-types/{bob_et}/webhooks",
        {"subscriberUrl": receiver.url, "active": True, "triggers": ["BOOKING_CREATED"]},
    )
    s.et_webhooks.add((bob_et, et_hook["id"]))

    # bookings in every state
    accepted = await s.book(plain, at(MON, "08:00"), guests=["carol@example.com"])
    cancelled = await s.book(plain, at(MON, "09:00"), "dan@example.com")
    moved = await s.book(plain, at(MON, "10:00"), "erin@example.com")
    pending = await s.book(confirm, at(MON, "12:00"), "fay@example.com")
    confirmed = await s.book(confirm, at(MON, "13:00"), "gus@example.com")
    rejected = await s.book(confirm, at(MON, "14:00"), "hal@example.com")
    for n in range(2):
        await s.book(seated, at(TUE, "08:00"), f"seat{n}@example.com")
    series = await s.book(weekly, at(WED, "08:00"), "ivy@example.com", recurrenceCount=3)
    await s.book(bob_et, at(MON, "09:00"), "jon@example.com")
    hv = {**alice.headers, **BOOKINGS_V}
    await ok(
        await s.client.post(
            f"/v2/bookings/{cancelled['uid']}/cancel",
            json={"cancellationReason": "clash"},
            headers=hv,
        ),
        200,
    )
    new = await ok(
        await s.client.post(
            f"/v2/bookings/{moved['uid']}/reschedule",
            json={"start": at(TUE, "12:00"), "reschedulingReason": "later"},
            headers=BOOKINGS_V,
        )
    )
    s.ids["bookingUid"].add(new["uid"])
    await ok(await s.client.post(f"/v2/bookings/{confirmed['uid']}/confirm", headers=hv), 200)
    await ok(
        await s.client.post(
            f"/v2/bookings/{rejected['uid']}/decline", json={"reason": "busy"}, headers=hv
        ),
        200,
    )
    await ok(
        await s.client.post(
            f"/v2/bookings/{series[-1]['uid']}/cancel",
            json={"cancellationReason": "holiday"},
            headers=BOOKINGS_V,
        ),
        200,
    )
    await ok(
        await s.client.patch(
            f"/v2/bookings/{accepted['uid']}/location",
            json={"location": {"type": "address", "address": "Via Roma 1"}},
            headers=hv,
        ),
        200,
    )
    added = await ok(
        await s.client.post(
            f"/v2/bookings/{accepted['uid']}/attendees",
            json={"name": "Kim", "email": "kim@example.com", "timeZone": "Asia/Tokyo"},
            headers=hv,
        )
    )
    s.attendees.add((accepted["uid"], added["id"]))
    reservation = await ok(
        await s.client.post(
            "/v2/slots/reservations",
            json={"eventTypeId": plain, "slotStart": at(THU, "09:00")},
            headers=VERSIONS["/v2/slots"],
        )
    )
    s.reservations.add(reservation["reservationUid"])
    await s.post(
        alice,
        "/v2/me/ooo",
        {
            "start": "2050-10-01T00:00:00.000Z",
            "end": "2050-10-03T23:59:59.999Z",
            "reason": "vacation",
        },
    )
    await s.post(alice, f"/v2/event-types/{plain}/private-links", {"maxUsageCount": 3})
    await ok(
        await s.client.patch("/v2/me/booking-limits", json={"perDay": 9}, headers=alice.headers),
        200,
    )
    return {"plain": plain, "pending": pending["uid"], "seated": seated}


async def seed_without_api(app: Any, seeder: Seeder, alice: Host, bob: Host) -> None:
    """Rows the API cannot make yet: teams whose parent has a larger id, memberships, an
    invite, a managed event type child whose parent has a larger id, a collective booking's
    extra host, a credit account (then charged through the API)."""
    from slotwise.models import BookingHost, CreditAccount, EventType, Membership, Team, TeamInvite

    async with app.state.db.write_sessions() as session, session.begin():
        # (parents first: the database checks each insert)
        session.add(Team(id=2, name="Acme", slug="acme", is_organization=True))
        await session.flush()
        session.add(Team(id=1, name="Sales", slug="sales", parent_id=2, profile={"bio": "é"}))
        session.add(
            EventType(
                id=901,
                user_id=bob.id,
                slug="managed",
                title="Managed",
                length=30,
                hidden=True,
                team_id=2,
                scheduling_type="MANAGED",
                config={},
            )
        )
        await session.flush()
        session.add_all(
            [
                Membership(team_id=1, user_id=alice.id, role="OWNER", accepted=True),
                Membership(team_id=2, user_id=bob.id, role="MEMBER", accepted=False),
                TeamInvite(
                    team_id=1,
                    token="t" * 40,
                    expires_at=datetime(2050, 1, 1, tzinfo=UTC),
                    created_by_user_id=alice.id,
                ),
                CreditAccount(
                    user_id=alice.id,
                    monthly_allowance=10,
                    monthly_remaining=10,
                    period=datetime.now(UTC).strftime("%Y-%m"),
                    additional=5,
                ),
                EventType(
                    id=900,
                    user_id=bob.id,
                    slug="managed-child",
                    title="Child",
                    length=30,
                    hidden=True,
                    parent_id=901,
                    config={},
                ),
            ]
        )
        await session.flush()
        booking = await session.scalar(select(Booking.id).order_by(Booking.id).limit(1))
        session.add(BookingHost(booking_id=booking, user_id=bob.id))
    r = await seeder.client.post(
        "/v2/credits/charge",
        json={"credits": 3, "creditFor": "AI_AGENT", "externalRef": "r-1"},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text


def _body(response: httpx2.Response) -> Any:
    """The JSON of an answer, without what says when it was made: the error envelope's
    timestamp and the DTSTAMP (now) of the calendar links' .ics."""
    body = json.loads(re.sub(r"DTSTAMP%3A\d{8}T\d{6}Z", "DTSTAMP", response.text))
    if isinstance(body, dict):
        body.pop("timestamp", None)
    return body


def _paths(app: Any) -> list[str]:
    return [p for p, ops in app.openapi()["paths"].items() if "get" in ops]


def reads(app: Any, seeder: Seeder, plain: int) -> list[tuple[str, dict[str, Any]]]:
    """Every GET of the API with each seeded id, plus list variants: (url, query)."""
    out: list[tuple[str, dict[str, Any]]] = []
    params = {name: sorted(values, key=str) for name, values in seeder.ids.items()}
    for path in _paths(app):
        names = re.findall(r"{(\w+)}", path)
        if not names:
            out.append((path, {}))
        elif path == "/v2/bookings/{bookingUid}/attendees/{attendeeId}":
            out += [(f"/v2/bookings/{u}/attendees/{a}", {}) for u, a in seeder.attendees]
        elif path == "/v2/event-types/{eventTypeId}/webhooks/{webhookId}":
            out += [(f"/v2/event-types/{e}/webhooks/{w}", {}) for e, w in seeder.et_webhooks]
        elif path == "/v2/slots/reservations/{uid}":
            out += [(f"/v2/slots/reservations/{u}", {}) for u in seeder.reservations]
        elif len(names) == 1 and names[0] in params:
            out += [(path.replace(f"{{{names[0]}}}", str(v)), {}) for v in params[names[0]]]
        # (paths with other parameters — none today — are not compared)
    for status in ("upcoming", "recurring", "past", "cancelled", "unconfirmed"):
        out.append(("/v2/bookings", {"status": status}))
    out.append(("/v2/bookings", {"take": 3, "skip": 2, "sortStart": "desc"}))
    for et in params["eventTypeId"]:
        out.append(
            (
                "/v2/slots",
                {"eventTypeId": et, "start": MON, "end": "2050-09-12", "timeZone": "Europe/Rome"},
            )
        )
    out.append(("/v2/event-types", {"username": "alice"}))
    return out


async def test_copy_round_trip(
    tmp_path: Path, sqlite_url: str, pg_target: str, data_dir: Path, receiver: Receiver
) -> None:
    src_settings = settings_for(sqlite_url, tmp_path)
    source = create_app(src_settings)
    alice = await make_host(source, "alice", "Europe/Rome")
    bob = await make_host(source, "bob")
    transport = httpx2.ASGITransport(app=source)
    async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
        seeder = Seeder(c)
        seeded = await seed(seeder, alice, bob, receiver)
        await seed_without_api(source, seeder, alice, bob)
        # deliver what is due so far (webhook deliveries, emails) ...
        await run_jobs(source, src_settings)
        delivered = len(receiver.requests)
        assert delivered >= 10
        # ... then leave jobs pending: a new booking, a cancellation
        late = await seeder.book(seeded["plain"], at(THU, "12:00"), "late@example.com")
        await ok(
            await c.post(
                f"/v2/bookings/{late['uid']}/cancel",
                json={"cancellationReason": "no"},
                headers=BOOKINGS_V,
            ),
            200,
        )
    async with source.state.db.read_sessions() as session:
        pending = (
            await session.execute(
                select(Job.id, Job.kind).where(Job.status == "pending").order_by(Job.id)
            )
        ).all()
        src_max_booking = await session.scalar(select(func.max(Booking.id)))
    pending_hooks = [job_id for job_id, kind in pending if kind.startswith("webhook")]
    assert len(pending_hooks) == 2 and len(pending) > 2, pending

    upgrade(pg_target)
    result = copy(sqlite_url, pg_target, data_dir)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    tables = [t.name for t in Base.metadata.sorted_tables]
    listed = [line.split()[0] for line in lines[: len(tables)]]
    assert listed == tables
    async with source.state.db.read_sessions() as session:
        for line, table in zip(lines, Base.metadata.sorted_tables, strict=False):
            count = await session.scalar(select(func.count()).select_from(table))
            assert re.fullmatch(rf"{table.name} +{count} rows +checksum [0-9a-f]{{16}}", line)
    empty = {line.split()[0] for line in lines[: len(tables)] if " 0 rows " in line}
    assert not empty & SEEDED_TABLES, empty  # every table the seed knows holds rows
    assert f'export SLOTWISE_SECRET_KEY="$(cat {data_dir / "secret_key"})"' in result.stdout

    dst_settings = settings_for(pg_target, tmp_path)
    target = create_app(dst_settings)
    try:
        async with (
            httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as old,
            httpx2.AsyncClient(
                transport=httpx2.ASGITransport(app=target), base_url="http://slotwise.test"
            ) as new,
        ):
            compared = 0
            for path, query in reads(source, seeder, seeded["plain"]):
                family = next((v for p, v in VERSIONS.items() if path.startswith(p)), {})
                for who in (alice, bob, None):
                    headers = {**family, **(who.headers if who else {})}
                    a = await old.get(path, params=query, headers=headers)
                    b = await new.get(path, params=query, headers=headers)
                    assert (b.status_code, _body(b)) == (a.status_code, _body(a)), (path, query)
                    compared += a.status_code == 200
            assert compared >= 60

            # the pending jobs run on PostgreSQL: the webhooks arrive, signed with the secret
            await run_jobs(target, dst_settings)
            async with target.state.db.read_sessions() as session:
                states = dict(
                    (
                        await session.execute(
                            select(Job.id, Job.status).where(Job.id.in_([j for j, _ in pending]))
                        )
                    ).all()
                )
            assert set(states.values()) == {"done"}, states
            fresh = receiver.requests[delivered:]
            assert len(fresh) == 2
            assert sorted(r.json()["triggerEvent"] for r in fresh) == [
                "BOOKING_CANCELLED",
                "BOOKING_CREATED",
            ]
            assert all(verify("whsec-alice", r) for r in fresh)

            # new rows get new ids (the sequences were moved past the copied ones)
            made = await ok(
                await new.post(
                    "/v2/bookings",
                    json={
                        "start": at(THU, "14:00"),
                        "eventTypeId": seeded["plain"],
                        "attendee": {"name": "N", "email": "n@example.com", "timeZone": "UTC"},
                    },
                    headers=BOOKINGS_V,
                )
            )
            assert made["id"] == src_max_booking + 1
            # the pending booking can still be confirmed (signed links and keys carried over)
            r = await new.post(
                f"/v2/bookings/{seeded['pending']}/confirm",
                headers={**alice.headers, **BOOKINGS_V},
            )
            assert r.status_code == 200, r.text
    finally:
        await target.state.db.dispose()
        await source.state.db.dispose()

    again = copy(sqlite_url, pg_target, data_dir)
    assert again.exit_code == 1
    assert "The target is not empty: " in again.output and "users (2)" in again.output


def test_refuses_a_target_at_another_revision(
    sqlite_url: str, pg_target: str, data_dir: Path
) -> None:
    upgrade(pg_target, "0006")
    result = copy(sqlite_url, pg_target, data_dir)
    assert result.exit_code == 1
    head = head_revision(sqlite_url)
    assert f"Revision mismatch: the source is at {head}, the target at 0006" in result.output


def test_refuses_an_unmigrated_or_non_postgresql_target(
    sqlite_url: str, pg_target: str, data_dir: Path, tmp_path: Path
) -> None:
    result = copy(sqlite_url, pg_target, data_dir)
    assert result.exit_code == 1
    assert "is not migrated: run `SLOTWISE_DATABASE_URL=" in result.output
    result = copy(sqlite_url, f"sqlite:///{tmp_path / 'other.db'}", data_dir)
    assert result.exit_code == 1
    assert "--to must be a PostgreSQL URL" in result.output


def test_refuses_another_secret_key(sqlite_url: str, pg_target: str, data_dir: Path) -> None:
    upgrade(pg_target)
    result = copy(sqlite_url, pg_target, data_dir, secret="not-the-source-key")
    assert result.exit_code == 1
    assert "SLOTWISE_SECRET_KEY is set to a different value than the source's" in result.output
    assert "not-the-source-key" not in result.output and SECRET not in result.output
    # without SLOTWISE_SECRET_KEY the copy runs, and says where the key is
    result = copy(sqlite_url, pg_target, data_dir, secret=None)
    assert result.exit_code == 0, result.output
    assert str(data_dir / "secret_key") in result.stdout


def test_a_failed_copy_leaves_the_target_empty(
    sqlite_url: str, pg_target: str, data_dir: Path
) -> None:
    upgrade(pg_target)
    database = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as conn:  # SQLite does not enforce VARCHAR lengths
        for n, name in enumerate(["fine", "x" * 500], start=1):
            conn.execute(
                "INSERT INTO users (id, username, email, time_zone, week_start, time_format, "
                "locale, created_at) VALUES (?, ?, ?, 'UTC', 'Monday', 24, 'en', "
                "'2050-01-01 00:00:00')",
                (n, name, f"{n}@example.com"),
            )
    result = copy(sqlite_url, pg_target, data_dir)
    assert result.exit_code == 1
    assert "Copy failed, nothing was written to the target: value too long" in result.output
    with psycopg.connect(pg_target) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE users SET username = 'short' WHERE id = 2")
    assert copy(sqlite_url, pg_target, data_dir).exit_code == 0
    with psycopg.connect(pg_target) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (2,)
