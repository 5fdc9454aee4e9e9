"""POST /v2/bookings runs a fixed, small number of SQL statements (issue 16): counted on the
write engine with ``before_cursor_execute``, on both databases, so a statement added to the
booking path (a second read of the hosts, a lookup per job) shows up here."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from slotwise.kit.db import Database
from tests.api.booking_fixtures import MONDAY, V, at, booking_body
from tests.api.test_slots_sql_count import data_statements
from tests.api.test_team_sql_count import counting
from tests.conftest import Host

# Measured on 2026-12-05: SQLite 11, PostgreSQL 13 (its host lock and NOTIFY are statements);
# 18 and 21 before issue 16.
MOST = {"sqlite": 11, "postgresql": 13}


async def test_booking_create_statements(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    r = await client.post(
        "/v2/schedules",
        json={"name": "Work", "timeZone": "UTC", "isDefault": True,
              "availability": [{"days": ["Monday"], "startTime": "09:00", "endTime": "17:00"}]},
        headers={**host.headers, "cal-api-version": "2024-06-11"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    r = await client.post(
        "/v2/event-types",
        json={"title": "Intro", "slug": "intro", "lengthInMinutes": 30, "minimumBookingNotice": 0},
        headers={**host.headers, "cal-api-version": "2024-06-14"},
    )
    assert r.status_code == 201, r.text
    event_type = int(r.json()["data"]["id"])
    db: Database = app.state.db
    for hhmm in ("09:00", "10:00"):  # the first booking of a fresh pool may ping; count the second
        with counting(db.write_engine.sync_engine) as seen:
            r = await client.post("/v2/bookings", json=booking_body(event_type, at(MONDAY, hhmm)),
                                  headers=V)  # fmt: skip
        assert r.status_code == 201, r.text
    statements = data_statements(seen)
    # the event type, its hosts and their schedules in one statement; the hosts read once
    assert "FROM event_types" in statements[0], statements
    assert sum(bool(re.search(r"\bhosts\.id\b", s)) for s in statements) == 1, statements
    assert not any(s.lstrip().startswith("SELECT jobs.") for s in statements), statements
    assert len(statements) <= MOST[db.dialect], statements
