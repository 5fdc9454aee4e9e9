"""The private-link Booker ``/d/{linkId}/{eventSlug}`` over HTTP (both databases): hidden event
types, bookings counting one use of the link, and the 404/410 pages. 2050-09-05 is a Monday."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from sqlalchemy import update

from slotwise.models import EventType, PrivateLink
from tests.api.booking_fixtures import V
from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, MONTH, SLOT, available_days, intro, slot_values
from tests.pages.test_booking_flow import FORM, api_booking, booking_uid


async def hidden_intro(app: Any, host: Host) -> int:
    """Event type ``intro`` of ``host``, hidden from the profile."""
    et = await intro(app, host)
    async with app.state.db.write_sessions() as session, session.begin():
        await session.execute(update(EventType).where(EventType.id == et).values(hidden=True))
    return et


async def new_link(client: httpx2.AsyncClient, host: Host, et: int, **body: Any) -> str:
    r = await client.post(f"/v2/event-types/{et}/private-links", json=body, headers=host.headers)
    assert r.status_code == 201, r.text
    link_id: str = r.json()["data"]["linkId"]
    return link_id


async def the_link(client: httpx2.AsyncClient, host: Host, et: int) -> dict[str, Any]:
    r = await client.get(f"/v2/event-types/{et}/private-links", headers=host.headers)
    links: list[dict[str, Any]] = r.json()["data"]
    assert len(links) == 1
    return links[0]


def link_url(link_id: str, slot: str | None = None, slug: str = "intro", **params: str) -> str:
    query = {"month": MONTH, "timeZone": "UTC", "date": (slot or SLOT)[:10], **params}
    if slot:
        query["slot"] = slot
    return f"/d/{link_id}/{slug}?" + "&".join(f"{k}={v}" for k, v in query.items())


async def test_book_a_hidden_event_type_through_a_one_time_link(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await hidden_intro(app, host)
    link_id = await new_link(client, host, et)
    assert 'href="/alice/intro"' not in (await client.get("/alice")).text  # hidden
    page = await client.get(link_url(link_id))
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "Intro call" in page.text and "Alice Host" in page.text
    assert MONDAY in available_days(page.text) and SLOT in slot_values(page.text)
    # every link of the page stays on the private path; none leads to the public one
    assert f'href="/d/{link_id}/intro?' in page.text
    assert f'action="/d/{link_id}/intro"' in page.text
    assert "/alice/intro" not in page.text
    form = await client.get(link_url(link_id, SLOT))
    assert 'name="name"' in form.text
    assert f'action="/d/{link_id}/intro?' in form.text

    r = await client.post(link_url(link_id, SLOT), data=FORM)
    uid = booking_uid(r)
    data = await api_booking(client, uid)
    assert data["eventTypeId"] == et and data["start"] == SLOT and data["status"] == "accepted"
    link = await the_link(client, host, et)
    assert link["usageCount"] == 1 and link["isExpired"] is True

    # used up: the page says so (410), and a second booking is refused without a trace
    gone = await client.get(link_url(link_id))
    assert gone.status_code == 410
    assert gone.headers["content-type"].startswith("text/html")
    assert "This link has expired" in gone.text
    assert "used as often as allowed" in gone.text
    again = await client.post(link_url(link_id, "2050-09-05T11:00:00.000Z"), data=FORM)
    assert again.status_code == 410 and "This link has expired" in again.text
    bookings = await client.get("/v2/bookings", headers={**host.headers, **V})
    assert [b["uid"] for b in bookings.json()["data"]] == [uid]
    assert (await the_link(client, host, et))["usageCount"] == 1


async def test_unknown_wrong_slug_and_expired_links(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await intro(app, host)
    link_id = await new_link(client, host, et)
    for path in (link_url("0" * 32), link_url(link_id, slug="other"), "/d/" + "x" * 80 + "/intro"):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html")
        assert "Link not found" in r.text
    r = await client.post(link_url("0" * 32, SLOT), data=FORM)
    assert r.status_code == 404 and "Link not found" in r.text
    past = await new_link(client, host, et, expiresAt="2050-06-01T00:00:00Z")
    async with app.state.db.write_sessions() as session, session.begin():
        # a link cannot be created expired: move its expiry into the past
        await session.execute(
            update(PrivateLink)
            .where(PrivateLink.link_id == past)
            .values(expires_at=datetime(2020, 1, 1, tzinfo=UTC))
        )
    r = await client.get(link_url(past))
    assert r.status_code == 410 and "This link has expired" in r.text
    german = await client.get(link_url(past, lng="de"))
    assert german.status_code == 410 and "Dieser Link ist abgelaufen" in german.text
    r = await client.post(link_url(past, SLOT), data=FORM)
    assert r.status_code == 410
    assert (await client.get("/v2/bookings", headers={**host.headers, **V})).json()["data"] == []


async def test_refused_booking_uses_nothing_and_timed_links_allow_more(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await intro(app, host)
    link_id = await new_link(client, host, et, expiresAt="2099-01-01T00:00:00Z")
    bad = await client.post(link_url(link_id, SLOT), data={**FORM, "name": ""})
    assert bad.status_code == 400 and "This field is required" in bad.text
    assert f'action="/d/{link_id}/intro?' in bad.text  # the form stays on the link
    first = booking_uid(await client.post(link_url(link_id, SLOT), data=FORM))
    # the time is now taken: refused by the booking service, shown on the Booker again
    taken = await client.post(link_url(link_id, SLOT), data=FORM)
    assert taken.status_code in (400, 409) and f'action="/d/{link_id}/intro' in taken.text
    other = "2050-09-05T11:00:00.000Z"
    second = booking_uid(await client.post(link_url(link_id, other), data=FORM))
    assert first != second
    link = await the_link(client, host, et)
    assert link["isExpired"] is False and "usageCount" not in link  # time-based link


async def test_concurrent_bookings_through_a_one_time_link(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await intro(app, host)
    link_id = await new_link(client, host, et)
    slots = [f"{MONDAY}T{h:02d}:00:00.000Z" for h in range(9, 14)]
    responses = await asyncio.gather(*(client.post(link_url(link_id, s), data=FORM) for s in slots))
    codes = sorted(r.status_code for r in responses)
    assert codes == [303] + [410] * (len(slots) - 1), codes
    assert (await the_link(client, host, et))["usageCount"] == 1
    bookings = await client.get("/v2/bookings", headers={**host.headers, **V})
    assert len(bookings.json()["data"]) == 1


async def test_link_used_up_between_page_and_booking_shows_the_expired_page(
    app: Any, client: httpx2.AsyncClient, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    et = await intro(app, host)
    link_id = await new_link(client, host, et)
    booking_uid(await client.post(link_url(link_id, SLOT), data=FORM))
    # the page still saw the link usable (as a concurrent request can); the booking's own
    # conditional use then refuses, and the page says the link expired
    monkeypatch.setattr("slotwise.pages.private_link.is_expired", lambda *_: False)
    r = await client.post(link_url(link_id, "2050-09-05T11:00:00.000Z"), data=FORM)
    assert r.status_code == 410 and "This link has expired" in r.text
    assert (await the_link(client, host, et))["usageCount"] == 1
    assert (
        len((await client.get("/v2/bookings", headers={**host.headers, **V})).json()["data"]) == 1
    )
