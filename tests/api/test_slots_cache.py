"""Remembered GET /v2/slots answers (slotwise/slots/cache.py) are never stale: served again
only while no commit reached the database and the clock stays inside the same minute; never for
answers that change without a commit (reservations, connected calendars). On PostgreSQL nothing
is remembered. Statements are counted on the read engine: 0 means a remembered answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from sqlalchemy import create_engine, event, text

from slotwise.kit import clock
from slotwise.kit.db import Database, sync_url
from slotwise.slots.cache import SlotsCache, minute_of
from tests.api.slot_fixtures import (
    MONDAY,
    V,
    add_booking,
    connect_empty_feed,
    give_schedule,
    make_event_type,
    starts,
)
from tests.conftest import Host


def at(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Freeze the kit clock at ``text`` (UTC, seconds allowed)."""
    frozen = datetime.fromisoformat(text).replace(tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: frozen)


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    """The statements the read engine sends while the block runs."""
    seen: list[str] = []

    def on_execute(*args: Any) -> None:
        seen.append(str(args[2]))

    engine = app.state.db.read_engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


async def ask(app: Any, client: httpx2.AsyncClient, **params: Any) -> tuple[Any, int]:
    """``data`` of GET /v2/slots and how many statements answering it took."""
    with counting(app) as seen:
        r = await client.get("/v2/slots", params=params, headers=V)
    assert r.status_code == 200, r.text
    return r.json()["data"], len(seen)


def remembers(app: Any) -> bool:
    """Whether this app remembers answers (SQLite)."""
    db: Database = app.state.db
    return db.dialect == "sqlite"


async def test_an_answer_is_served_again_until_a_commit(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2050-09-01T08:00:30")
    await give_schedule(app, host)
    et = await make_event_type(app, host)
    first, computed = await ask(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    again, read = await ask(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert again == first and "10:00" in starts(first, MONDAY)
    assert computed > 0
    assert read == (0 if remembers(app) else computed)
    # another question is another answer
    _, other = await ask(app, client, eventTypeId=et, start=MONDAY, end=MONDAY, format="range")
    assert other > 0
    # a commit (a booking written on another connection) makes the next answer new
    await add_booking(app, host, et, f"{MONDAY}T10:00")
    after, read = await ask(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert "10:00" not in starts(after, MONDAY) and read > 0


async def test_a_commit_by_another_process_is_seen(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2050-09-01T08:00:30")
    await give_schedule(app, host)
    et = await make_event_type(app, host)
    uid = await add_booking(app, host, et, f"{MONDAY}T10:00")
    busy, _ = await ask(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    _, read = await ask(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert "10:00" not in starts(busy, MONDAY)
    assert (read == 0) == remembers(app)
    # as the `slotwise` CLI or another tool would: a synchronous engine of its own commits
    other = create_engine(sync_url(app.state.db.url))
    try:
        with other.begin() as connection:
            connection.execute(
                text("UPDATE bookings SET status = 'cancelled' WHERE uid = :uid"), {"uid": uid}
            )
    finally:
        other.dispose()
    free, read = await ask(app, client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert "10:00" in starts(free, MONDAY) and read > 0


async def test_the_clock_never_serves_a_slot_past_its_notice(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host, minimumBookingNotice=0)
    query = {"eventTypeId": et, "start": MONDAY, "end": MONDAY}
    # a slot must start at least a minute ahead: at 09:58:30 10:00 is open
    at(monkeypatch, f"{MONDAY}T09:58:30")
    first, computed = await ask(app, client, **query)
    assert starts(first, MONDAY)[0] == "10:00" and computed > 0
    at(monkeypatch, f"{MONDAY}T09:58:59.999")  # the same minute: the same answer
    same, read = await ask(app, client, **query)
    assert same == first and read == (0 if remembers(app) else computed)
    at(monkeypatch, f"{MONDAY}T09:59:00.001")  # the next minute: 10:00 is too close now
    later, read = await ask(app, client, **query)
    assert starts(later, MONDAY)[0] == "10:30" and read > 0
    # an instant exactly on a minute is neither served a remembered answer nor remembered
    at(monkeypatch, f"{MONDAY}T09:00:00")
    _, read = await ask(app, client, **query)
    _, again = await ask(app, client, **query)
    assert read > 0 and again > 0


async def test_answers_that_change_without_a_commit_are_not_remembered(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2050-09-01T08:00:30")
    await give_schedule(app, host)
    et = await make_event_type(app, host)
    query = {"eventTypeId": et, "start": MONDAY, "end": MONDAY}
    # an unexpired reservation frees its time when it expires, at any second
    r = await client.post(
        "/v2/slots/reservations",
        json={"eventTypeId": et, "slotStart": f"{MONDAY}T11:00:00.000Z"},
        headers=V,
    )
    assert r.status_code == 201, r.text
    held, _ = await ask(app, client, **query)
    _, read = await ask(app, client, **query)
    assert "11:00" not in starts(held, MONDAY) and read > 0
    r = await client.delete(
        f"/v2/slots/reservations/{r.json()['data']['reservationUid']}", headers=V
    )
    assert r.status_code == 200, r.text
    _, computed = await ask(app, client, **query)
    _, read = await ask(app, client, **query)
    assert computed > 0 and (read == 0) == remembers(app)  # remembered again once released
    # a connected calendar's busy times live elsewhere
    await connect_empty_feed(app, host)
    await ask(app, client, **query)
    _, read = await ask(app, client, **query)
    assert read > 0


async def test_postgresql_remembers_nothing(app: Any) -> None:
    cache: SlotsCache = app.state.slots_cache
    assert (cache.entries > 0) == remembers(app)
    db: Database = app.state.db
    assert (db.data_version() is not None) == remembers(app)


def test_least_recently_used_answers_go_first() -> None:
    now = datetime(2050, 9, 1, 8, 0, 30, tzinfo=UTC)
    cache = SlotsCache(2)
    cache.store("a", 1, now, b"A")
    cache.store("b", 1, now, b"B")
    assert cache.lookup("a", 1, now) == b"A"  # a is now the most recent
    cache.store("c", 1, now, b"C")
    assert cache.lookup("b", 1, now) is None
    assert cache.lookup("a", 1, now) == b"A" and cache.lookup("c", 1, now) == b"C"
    assert cache.lookup("a", 2, now) is None  # another database version
    assert minute_of(datetime(2050, 9, 1, 8, 1, tzinfo=UTC)) is None
    assert SlotsCache(0).lookup("a", 1, now) is None
