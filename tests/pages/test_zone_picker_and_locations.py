"""The Booker's time-zone picker (canonical IANA names with offsets and local times, the
booker's zone first, a search added by the script over a plain select) and how locations and a
cancelled booking read on the pages."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.api.booking_fixtures import V, at, booked
from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, booker_url, intro


def options(html: str) -> list[tuple[str, str]]:
    """The time-zone select's (value, text) pairs, in order."""
    select = html.split('<select id="tz"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select)


async def test_legacy_browser_zones_become_canonical_and_come_first(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    for legacy, canonical in (
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("America/Cordoba", "America/Argentina/Cordoba"),
        ("Europe/Kiev", "Europe/Kyiv"),
    ):
        r = await client.get(booker_url(timeZone=legacy, date=MONDAY))
        assert r.status_code == 200
        listed = options(r.text)
        assert listed[0][0] == canonical, listed[:2]
        assert f'<option value="{canonical}" selected>' in r.text
        assert legacy not in [value for value, _ in listed]
        # links keep the canonical name
        assert f"timeZone={canonical.replace('/', '%2F')}" in r.text
    r = await client.get(booker_url(timeZone="Asia/Calcutta", date=MONDAY))
    assert re.fullmatch(r"Asia/Kolkata \(UTC\+05:30, \d\d?:\d\d( [AP]M)?\)", options(r.text)[0][1])
    assert "2:30 PM" in r.text  # 09:00 UTC is 14:30 in Kolkata
    listed = options(r.text)
    values = [value for value, _ in listed]
    assert len(values) > 300 and len(set(values)) == len(values)
    assert "Europe/Amsterdam" in values  # zone.tab's own locations stay (not Europe/Brussels)
    assert "UTC" in values and "US/Eastern" not in values
    # after the booker's zone: by offset
    offsets = [re.search(r"\(UTC(.)(\d\d):(\d\d)", text) for _, text in listed[1:]]
    minutes = [
        (-1 if m.group(1) == "\u2212" else 1) * (int(m.group(2)) * 60 + int(m.group(3)))
        for m in offsets
        if m
    ]
    assert minutes == sorted(minutes) and len(minutes) == len(listed) - 1
    # the search is the script's: hidden without it, labelled, tied to the select
    assert '<div class="tz-search" data-tz-search hidden>' in r.text
    assert '<label for="tz-q" class="sub">Search by city, region or offset</label>' in r.text
    assert 'aria-controls="tz"' in r.text


async def test_cal_video_reads_as_cal_video_on_the_pages(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await intro(app, host)
    page = await client.get(booker_url())
    assert "Cal Video" in page.text and "The host will send you the meeting link." in page.text
    data = await booked(client, et, at(MONDAY, "10:00"))
    assert data["location"] == "integrations:daily"
    r = await client.get(f"/booking/{data['uid']}")
    assert "integrations:" not in r.text
    where = r.text.split(">Where</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Cal Video" in where and "The host will send you the meeting link." in where
    assert "Book again" not in r.text


async def test_cancelled_booking_offers_to_book_again(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    et = await intro(app, host, locations=[{"type": "link", "link": "https://meet.example.org/x"}])
    data = await booked(client, et, at(MONDAY, "10:00"))
    r = await client.get(f"/booking/{data['uid']}")
    assert (
        '<a href="https://meet.example.org/x" rel="noopener noreferrer">meet.example.org</a>'
        in (r.text)
    )
    cancelled = await client.post(
        f"/v2/bookings/{data['uid']}/cancel", json={"cancellationReason": "x"}, headers=V
    )
    assert cancelled.status_code == 200, cancelled.text
    r = await client.get(f"/booking/{data['uid']}")
    assert "This event is cancelled" in r.text
    assert 'Still want to meet?\n    <a href="/alice/intro">Book again</a>' in r.text
    de = await client.get(f"/booking/{data['uid']}?lng=de")
    assert ">Erneut buchen</a>" in de.text
