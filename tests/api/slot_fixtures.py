"""Helpers for slot and reservation tests: schedules, event types and bookings inserted through
the models (no dependency on the schedules/event-types endpoints), request wrappers and a
frozen clock. 2050-09-05 is a Monday."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest

from slotwise.kit import clock
from slotwise.kit.db import Database
from slotwise.models import Attendee, Booking, CalendarCredential, EventType, Schedule, User
from tests.conftest import Host

V = {"cal-api-version": "2024-09-04"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONDAY = "2050-09-05"
TUESDAY = "2050-09-06"
SUNDAY = "2050-09-11"


def utc(text: str) -> datetime:
    """``"2050-09-05T10:00"`` → an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def freeze(monkeypatch: pytest.MonkeyPatch, at: str) -> None:
    """Make the kit clock answer ``at`` (UTC ``YYYY-MM-DDTHH:MM``)."""
    frozen = utc(at)
    monkeypatch.setattr(clock, "now", lambda: frozen)


async def give_schedule(
    app: Any,
    host: Host,
    *,
    time_zone: str = "UTC",
    start: str = "09:00",
    end: str = "17:00",
    days: list[str] | None = None,
    overrides: list[dict[str, Any]] | None = None,
    default: bool = True,
) -> int:
    """Insert a schedule (default Mon–Fri 09:00–17:00 UTC); by default the host's default."""
    db: Database = app.state.db
    rows = [{"days": days or WEEKDAYS, "startTime": start, "endTime": end}]
    async with db.write_sessions() as session, session.begin():
        schedule = Schedule(
            user_id=host.id,
            name="Work",
            time_zone=time_zone,
            availability=rows,
            overrides=overrides or [],
        )
        session.add(schedule)
        await session.flush()
        if default:
            user = await session.get(User, host.id)
            assert user is not None
            user.default_schedule_id = schedule.id
        return schedule.id


async def make_event_type(
    app: Any,
    host: Host,
    *,
    slug: str = "intro",
    length: int = 30,
    hidden: bool = False,
    schedule_id: int | None = None,
    notice: int | None = 0,
    **config: Any,
) -> int:
    """Insert an event type of ``host``; ``config`` uses Cal.com's field names.
    ``notice``: ``minimumBookingNotice`` (None: not stored, Cal.com's default applies)."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        event_type = EventType(
            user_id=host.id,
            slug=slug,
            title=slug.title(),
            length=length,
            hidden=hidden,
            schedule_id=schedule_id,
            config={**({} if notice is None else {"minimumBookingNotice": notice}), **config},
        )
        session.add(event_type)
        await session.flush()
        return event_type.id


async def add_booking(
    app: Any,
    host: Host,
    event_type_id: int | None,
    start: str,
    minutes: int = 30,
    *,
    status: str = "accepted",
    before: int = 0,
    after: int = 0,
    attendees: int = 1,
) -> str:
    """Insert a booking of ``host`` at ``start`` (UTC ``YYYY-MM-DDTHH:MM``) with
    ``attendees`` attendees; returns its uid."""
    db: Database = app.state.db
    begin = utc(start)
    uid = secrets.token_urlsafe(12)
    async with db.write_sessions() as session, session.begin():
        booking = Booking(
            uid=uid,
            user_id=host.id,
            event_type_id=event_type_id,
            title="Meeting",
            status=status,
            start_time=begin,
            end_time=begin + timedelta(minutes=minutes),
            before_buffer=before,
            after_buffer=after,
            ical_uid=f"{uid}@slotwise",
        )
        session.add(booking)
        await session.flush()
        for i in range(attendees):
            session.add(
                Attendee(
                    booking_id=booking.id,
                    name=f"Guest {i}",
                    email=f"guest{i}-{uid}@example.com",
                    time_zone="UTC",
                )
            )
    return uid


async def connect_empty_feed(app: Any, host: Host) -> None:
    """Give ``host`` a connected calendar (an ICS feed connection with no URLs), written on the
    model: from then on their slots depend on busy times that live at a provider."""
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        session.add(
            CalendarCredential(user_id=host.id, type="ics-feed_calendar", app_id="ics-feed",
                               key='{"urls": []}')
        )  # fmt: skip


async def get_slots(client: httpx2.AsyncClient, expect: int = 200, **params: Any) -> dict[str, Any]:
    """GET /v2/slots (2024-09-04) and return the envelope, asserting the status."""
    r = await client.get("/v2/slots", params=params, headers=V)
    assert r.status_code == expect, r.text
    body: dict[str, Any] = r.json()
    return body


async def slot_data(client: httpx2.AsyncClient, **params: Any) -> dict[str, list[Any]]:
    """``data`` of a successful GET /v2/slots."""
    data: dict[str, list[Any]] = (await get_slots(client, **params))["data"]
    return data


def starts(data: dict[str, list[dict[str, Any]]], day: str) -> list[str]:
    """The ``HH:MM`` (as printed) of the starts listed under ``day``."""
    return [item["start"][11:16] for item in data.get(day, [])]
