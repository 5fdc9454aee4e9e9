"""Settings › Calendars of the web app: ICS feeds and a CalDAV account (a real Radicale
server), selected calendars, the destination calendar, disconnecting."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from slotwise.calendars import busy, icsfeed
from tests.calendar_fixtures import FeedServer, Radicale, Route, vcalendar, vevent
from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post

BASE = "/app/settings/calendars"
FEED = vcalendar(vevent("one", "20261208T100000Z", "20261208T110000Z"), name="Team feed")


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    busy.clear_cache()
    icsfeed.FEEDS.clear()
    yield
    busy.clear_cache()
    icsfeed.FEEDS.clear()


async def calendars(client: httpx2.AsyncClient, host: Host) -> dict[str, Any]:
    answer = await client.get("/v2/calendars", headers=host.headers)
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


async def test_ics_feed_connect_select_and_disconnect(
    app_client: httpx2.AsyncClient, host: Host, other_host: Host, feeds: FeedServer
) -> None:
    url = feeds.serve(f"/{uuid.uuid4().hex[:8]}/team.ics", Route(body=FEED))
    answer = await app_post(app_client, BASE, f"{BASE}/ics", {"urls": url})
    assert answer.status_code == 303, answer.text[:3000]
    [connection] = (await calendars(app_client, host))["connectedCalendars"]
    assert connection["integration"]["type"] == "ics-feed_calendar"
    [calendar] = connection["calendars"]
    assert calendar["externalId"] == url and calendar["isSelected"] is False
    page = await app_get(app_client, BASE)
    assert "Team feed" in page.text
    credential = connection["credentialId"]
    chosen = await app_post(app_client, BASE, f"{BASE}/{credential}/selected", {"selected": [url]})
    assert chosen.status_code == 303
    [connection] = (await calendars(app_client, host))["connectedCalendars"]
    assert connection["calendars"][0]["isSelected"] is True
    unticked = await app_post(app_client, BASE, f"{BASE}/{credential}/selected", {})
    assert unticked.status_code == 303
    [connection] = (await calendars(app_client, host))["connectedCalendars"]
    assert connection["calendars"][0]["isSelected"] is False
    # bob cannot touch alice's connection
    for action in ("selected", "disconnect"):
        refused = await app_post(app_client, BASE, f"{BASE}/999999/{action}", {})
        assert refused.status_code == 404
    forged = await app_client.post(f"{BASE}/{credential}/disconnect", data={"csrf_token": "x"})
    assert forged.status_code == 403
    gone = await app_post(app_client, BASE, f"{BASE}/{credential}/disconnect", {})
    assert gone.status_code == 303
    assert (await calendars(app_client, host))["connectedCalendars"] == []


async def test_refused_feed_is_shown_beside_the_field(
    app_client: httpx2.AsyncClient, host: Host, feeds: FeedServer
) -> None:
    empty = await app_post(app_client, BASE, f"{BASE}/ics", {"urls": ""})
    assert empty.status_code == 400 and 'id="f-urls-error"' in empty.text
    url = feeds.serve(f"/{uuid.uuid4().hex[:8]}/bad.ics", Route(body=b"not a calendar"))
    bad = await app_post(app_client, BASE, f"{BASE}/ics", {"urls": url})
    assert bad.status_code == 400 and 'id="f-urls-error"' in bad.text
    assert "Could not add ICS feeds" in bad.text
    assert (await calendars(app_client, host))["connectedCalendars"] == []


async def test_caldav_account_and_destination(
    app_client: httpx2.AsyncClient, host: Host, radicale: Radicale
) -> None:
    user = radicale.add_user()
    radicale.make_calendar(user, "Work")
    wrong = await app_post(
        app_client, BASE, f"{BASE}/account",
        {"kind": "caldav", "url": radicale.url, "username": user, "password": "wrong-one"},
    )  # fmt: skip
    assert wrong.status_code == 400 and 'id="f-url-error"' in wrong.text
    assert "wrong-one" not in wrong.text
    assert (await calendars(app_client, host))["connectedCalendars"] == []
    answer = await app_post(
        app_client, BASE, f"{BASE}/account",
        {"kind": "caldav", "url": radicale.url, "username": user,
         "password": radicale.users[user]},
    )  # fmt: skip
    assert answer.status_code == 303, answer.text[:3000]
    data = await calendars(app_client, host)
    [connection] = data["connectedCalendars"]
    assert connection["integration"]["type"] == "caldav_calendar"
    work = next(c for c in connection["calendars"] if c["name"] == "Work")
    page = await app_get(app_client, BASE)
    assert "Work" in page.text and 'name="destination"' in page.text
    chosen = await app_post(
        app_client, BASE, f"{BASE}/destination",
        {"destination": f"caldav_calendar|{work['externalId']}"},
    )  # fmt: skip
    assert chosen.status_code == 303
    destination = (await calendars(app_client, host))["destinationCalendar"]
    assert destination["externalId"] == work["externalId"]
    bad = await app_post(
        app_client, BASE, f"{BASE}/destination", {"destination": "caldav_calendar|/nope/"}
    )
    assert bad.status_code == 400 and 'id="f-destination-error"' in bad.text
