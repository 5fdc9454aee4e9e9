"""ICS feeds (POST /v2/calendars/ics-feed/save, GET …/ics-feed/check, busy times, the list)
against a real HTTP server on 127.0.0.1: a 5 MB feed is read, a larger-than-limit one refused,
a malformed one refused, a redirect to a metadata address refused before any connection,
ETag reuse; credentials encrypted at rest and covered by ``slotwise secrets rotate``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa

from slotwise.calendars import busy, icsfeed
from slotwise.kit.crypto import decrypt_secret, encrypt_secret, is_encrypted, rotate_secrets
from slotwise.kit.db import sync_url
from slotwise.models import Base
from tests.calendar_fixtures import FeedServer, Route, vcalendar, vevent
from tests.conftest import Host


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    busy.clear_cache()
    icsfeed.FEEDS.clear()
    yield
    busy.clear_cache()
    icsfeed.FEEDS.clear()


def _path(name: str) -> str:
    return f"/{uuid.uuid4().hex[:8]}/{name}.ics"


BUSY_FEED = vcalendar(
    vevent("one", "20261208T100000Z", "20261208T110000Z"),
    vevent("free", "20261208T120000Z", "20261208T130000Z", "TRANSP:TRANSPARENT"),
    vevent("gone", "20261208T140000Z", "20261208T150000Z", "STATUS:CANCELLED"),
    vevent("daily", "20261209T080000Z", "20261209T083000Z", "RRULE:FREQ=DAILY;COUNT=3"),
    vevent("holiday", "VALUE=DATE:20261215", "VALUE=DATE:20261216"),
    name="Team feed",
    zone="Europe/Berlin",
)


async def _save(client: httpx2.AsyncClient, host: Host, *urls: str) -> httpx2.Response:
    return await client.post(
        "/v2/calendars/ics-feed/save", json={"urls": list(urls)}, headers=host.headers
    )


async def _busy(
    client: httpx2.AsyncClient, host: Host, credential_id: int, url: str, **extra: str
) -> list[dict[str, Any]]:
    params = {
        "credentialId": str(credential_id),
        "externalId": url,
        "dateFrom": "2026-12-07",
        "dateTo": "2026-12-31",
        **extra,
    }
    r = await client.get("/v2/calendars/busy-times", params=params, headers=host.headers)
    assert r.status_code == 200, r.text
    data: list[dict[str, Any]] = r.json()["data"]
    return data


async def test_feed_saved_listed_checked_and_busy(
    client: httpx2.AsyncClient, host: Host, feeds: FeedServer
) -> None:
    url = feeds.serve(_path("team"), Route(body=BUSY_FEED))
    r = await _save(client, host, url)
    assert r.status_code == 201, r.text
    saved = r.json()["data"]
    assert saved["type"] == "ics-feed_calendar" and saved["appId"] == "ics-feed"
    assert saved["userId"] == host.id and saved["invalid"] is False

    listed = (await client.get("/v2/calendars", headers=host.headers)).json()["data"]
    [connection] = listed["connectedCalendars"]
    assert connection["credentialId"] == saved["id"]
    assert connection["integration"]["type"] == "ics-feed_calendar"
    [calendar] = connection["calendars"]
    assert calendar["externalId"] == url and calendar["name"] == "Team feed"
    assert calendar["readOnly"] is True and calendar["isSelected"] is False
    assert listed["destinationCalendar"] is None  # a read-only feed is never a destination
    assert url not in r.text and "password" not in str(listed).lower()

    r = await client.get("/v2/calendars/ics-feed/check", headers=host.headers)
    assert r.status_code == 200 and r.json() == {"status": "success"}

    spans = await _busy(client, host, saved["id"], url)
    assert [(s["start"], s["end"]) for s in spans] == [
        ("2026-12-08T10:00:00.000Z", "2026-12-08T11:00:00.000Z"),
        ("2026-12-09T08:00:00.000Z", "2026-12-09T08:30:00.000Z"),
        ("2026-12-10T08:00:00.000Z", "2026-12-10T08:30:00.000Z"),
        ("2026-12-11T08:00:00.000Z", "2026-12-11T08:30:00.000Z"),
        # all day in the feed's zone (Europe/Berlin, UTC+1)
        ("2026-12-14T23:00:00.000Z", "2026-12-15T23:00:00.000Z"),
    ]
    assert {s["source"] for s in spans} == {url}
    # without both dates: none (Cal.com)
    r = await client.get(
        "/v2/calendars/busy-times",
        params={"credentialId": str(saved["id"]), "externalId": url},
        headers=host.headers,
    )
    assert r.json()["data"] == []


async def test_a_5_mb_feed_is_read_and_a_larger_one_refused(
    client: httpx2.AsyncClient, host: Host, feeds: FeedServer
) -> None:
    filler = "x" * 100_000
    big = [
        vevent(
            f"e{i}",
            f"202612{10 + i % 10:02d}T090000Z",
            f"202612{10 + i % 10:02d}T093000Z",
            f"DESCRIPTION:{filler}",
        )
        for i in range(50)
    ]
    five_mb = vcalendar(*big)
    assert 5_000_000 <= len(five_mb) < 10 * 1024 * 1024
    url = feeds.serve(_path("five"), Route(body=five_mb))
    r = await _save(client, host, url)
    assert r.status_code == 201, r.text
    spans = await _busy(client, host, r.json()["data"]["id"], url)
    assert len(spans) == 50

    twenty_mb = vcalendar(*(big * 4))
    assert len(twenty_mb) > 20_000_000
    too_big = feeds.serve(_path("twenty"), Route(body=twenty_mb))
    r = await _save(client, other := host, too_big)
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert "SLOTWISE_ICS_MAX_BYTES" in message and str(10 * 1024 * 1024) in message
    # the first feed is still the connection (a refused save changes nothing)
    listed = (await client.get("/v2/calendars", headers=other.headers)).json()["data"]
    assert [c["calendars"][0]["externalId"] for c in listed["connectedCalendars"]] == [url]


async def test_malformed_feed_and_http_error_are_refused_nothing_stored(
    client: httpx2.AsyncClient, host: Host, feeds: FeedServer
) -> None:
    bad = feeds.serve(_path("bad"), Route(body=b"<html>not a calendar</html>"))
    r = await _save(client, host, bad)
    assert r.status_code == 400
    assert "not valid iCalendar" in r.json()["error"]["message"]
    missing = feeds.url(_path("missing"))
    r = await _save(client, host, missing)
    assert r.status_code == 400 and "HTTP 404" in r.json()["error"]["message"]
    listed = (await client.get("/v2/calendars", headers=host.headers)).json()["data"]
    assert listed["connectedCalendars"] == []
    r = await client.get("/v2/calendars/ics-feed/check", headers=host.headers)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Credentials for Ics Feed calendar not found."


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/x.ics"],
)
async def test_redirect_to_a_refused_address_is_refused_before_connecting(
    client: httpx2.AsyncClient, host: Host, feeds: FeedServer, target: str
) -> None:
    url = feeds.serve(_path("redirect"), Route(status=302, headers={"Location": target}))
    r = await _save(client, host, url)
    assert r.status_code == 400
    assert (
        "Cloud metadata addresses are not allowed as calendar URLs" in r.json()["error"]["message"]
    )
    r = await _save(client, host, target)  # given directly: refused by the save-time check
    assert r.status_code == 400 and "metadata" in r.json()["error"]["message"]
    r = await _save(client, host, "ftp://127.0.0.1/feed.ics")
    assert r.status_code == 400 and "http or https" in r.json()["error"]["message"]


async def test_etag_is_sent_back_and_a_304_reuses_the_feed(
    client: httpx2.AsyncClient, host: Host, feeds: FeedServer, settings: Any
) -> None:
    path = _path("etag")
    url = feeds.serve(path, Route(body=BUSY_FEED, etag='"v1"'))
    r = await _save(client, host, url)
    credential_id = r.json()["data"]["id"]
    busy.clear_cache()  # the busy-time cache must not hide the fetch
    first = await _busy(client, host, credential_id, url)
    busy.clear_cache()
    second = await _busy(client, host, credential_id, url)
    assert first == second and len(first) == 5
    seen = [headers for p, headers in feeds.requests if p == path]
    assert seen[0].get("If-None-Match") is None
    assert all(h.get("If-None-Match") == '"v1"' for h in seen[1:]) and len(seen) >= 3


async def test_another_users_credential_is_missing(
    client: httpx2.AsyncClient, host: Host, other_host: Host, feeds: FeedServer
) -> None:
    url = feeds.serve(_path("mine"), Route(body=BUSY_FEED))
    credential_id = (await _save(client, host, url)).json()["data"]["id"]
    r = await client.get(
        "/v2/calendars/busy-times",
        params={
            "credentialId": str(credential_id),
            "externalId": url,
            "dateFrom": "2026-12-07",
            "dateTo": "2026-12-08",
        },
        headers=other_host.headers,
    )
    assert r.status_code == 404
    r = await client.post(
        "/v2/calendars/apple/disconnect", json={"id": credential_id}, headers=other_host.headers
    )
    assert r.status_code == 404
    r = await client.post(
        "/v2/calendars/apple/disconnect", json={"id": credential_id}, headers=host.headers
    )
    assert r.status_code == 200 and r.json()["data"]["id"] == credential_id
    listed = (await client.get("/v2/calendars", headers=host.headers)).json()["data"]
    assert listed["connectedCalendars"] == []


async def test_credentials_are_encrypted_at_rest_and_rotated(
    client: httpx2.AsyncClient, host: Host, feeds: FeedServer, db_url: str
) -> None:
    url = feeds.serve(_path("secret-token-abc"), Route(body=BUSY_FEED))
    credential_id = (await _save(client, host, url)).json()["data"]["id"]
    engine = sa.create_engine(sync_url(db_url))
    table = sa.table("calendar_credentials", sa.column("id"), sa.column("key", sa.Text))
    try:
        with engine.connect() as conn:
            stored = conn.execute(
                sa.select(table.c.key).where(table.c.id == credential_id)
            ).scalar_one()
        assert is_encrypted(stored) and "secret-token-abc" not in stored
        assert url in decrypt_secret(stored, b"test-secret-key")
        with engine.begin() as conn:
            conn.execute(
                sa.update(table)
                .where(table.c.id == credential_id)
                .values(key=encrypt_secret('{"urls":[]}', b"old-key"))
            )
    finally:
        engine.dispose()
    db = client._transport.app.state.db  # type: ignore[attr-defined]
    async with db.write_sessions() as session, session.begin():
        counts = await rotate_secrets(
            session, Base.metadata, old_key=b"old-key", new_key=b"test-secret-key"
        )
    [count] = [c for c in counts if c.table == "calendar_credentials"]
    assert (count.column, count.reencrypted) == ("key", 1)
