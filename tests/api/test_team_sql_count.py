"""GET /v2/slots and a round-robin POST /v2/bookings run as many SQL statements for a team of
50 hosts as for one of 5 (issue 13 §5): counted on the read engine (slots) and the write engine
(bookings) with ``before_cursor_execute``, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
from sqlalchemy import event
from sqlalchemy.engine import Engine

from slotwise.kit.db import Database
from tests.api.booking_fixtures import MONDAY, V, at
from tests.api.slot_fixtures import V as SLOTS_V
from tests.api.slot_fixtures import freeze
from tests.api.team_sched_fixtures import Member, make_team, make_team_event_type
from tests.conftest import make_host


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """Collect every statement ``engine`` sends while the block runs."""
    seen: list[str] = []

    def on_execute(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


async def _team(app: Any, size: int, tag: str) -> tuple[int, int]:
    """A round-robin and a collective event type of a team of ``size`` hosts (the collective
    one over the first five)."""
    users = [await make_host(app, f"{tag}{n}") for n in range(size)]
    team = await make_team(app, tag, [(u, "MEMBER", True) for u in users])
    rr = await make_team_event_type(
        app, team, "roundRobin", [Member(u) for u in users], slug="rr", isRRWeightsEnabled=True
    )
    co = await make_team_event_type(app, team, "collective", [Member(u) for u in users[:5]],
                                    slug="co")  # fmt: skip
    return rr, co


async def _counts(app: Any, client: httpx2.AsyncClient, rr: int, co: int, n: int) -> list[int]:
    db: Database = app.state.db
    out = []
    for et in (rr, co):
        params = {"eventTypeId": et, "start": MONDAY, "end": "2050-09-30"}
        await client.get("/v2/slots", params=params, headers=SLOTS_V)  # warm the pool
        with counting(db.read_engine.sync_engine) as seen:
            r = await client.get("/v2/slots", params=params, headers=SLOTS_V)
        assert r.status_code == 200 and r.json()["data"], r.text
        out.append(len(seen))
    for i in range(2):  # the first booking of a fresh pool may ping; count the second
        body = {
            "start": at(MONDAY, f"1{n}:{30 * i:02d}"),
            "eventTypeId": rr,
            "attendee": {"name": "Zed", "email": f"zed{n}{i}@example.com", "timeZone": "UTC"},
        }
        with counting(db.write_engine.sync_engine) as seen:
            r = await client.post("/v2/bookings", json=body, headers=V)
        assert r.status_code == 201, r.text
    out.append(len(seen))
    return out


async def test_statements_do_not_grow_with_hosts(
    client: httpx2.AsyncClient, app: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, "2050-09-01T00:00")
    small = await _counts(app, client, *(await _team(app, 5, "s")), 0)
    large = await _counts(app, client, *(await _team(app, 50, "l")), 1)
    assert small == large, (small, large)
