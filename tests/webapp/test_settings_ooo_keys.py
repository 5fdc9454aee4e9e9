"""Settings pages of the web app: out of office and API keys."""

from __future__ import annotations

import re
from typing import Any

import httpx2
from sqlalchemy import select

from slotwise.kit.db import Database
from slotwise.models import ApiKey
from tests.api.teams_fixtures import insert_member, insert_team
from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post

OOO = "/app/settings/out-of-office"
KEYS = "/app/settings/api-keys"


async def entries(client: httpx2.AsyncClient, host: Host) -> list[dict[str, Any]]:
    answer = await client.get("/v2/me/ooo", headers=host.headers)
    assert answer.status_code == 200
    return list(answer.json()["data"])


async def test_ooo_create_edit_delete_with_forwarding(
    app: Any, app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    team = await insert_team(app, host)
    await insert_member(app, team, other_host)
    answer = await app_post(
        app_client,
        OOO,
        OOO,
        {
            "start": "2050-07-01",
            "end": "2050-07-10",
            "reason": "vacation",
            "notes": "Beach",
            "forwardTo": "bob",
        },
    )
    assert answer.status_code == 303, answer.text[:2000]
    [entry] = await entries(app_client, host)
    assert entry["start"] == "2050-07-01T00:00:00.000Z"
    assert entry["end"].startswith("2050-07-10T23:59:59")
    assert (entry["reason"], entry["notes"], entry["toUserId"]) == (
        "vacation",
        "Beach",
        other_host.id,
    )
    page = await app_get(app_client, OOO)
    assert "2050-07-01" in page.text and "bob" in page.text
    edit = f"{OOO}/{entry['id']}"
    edited = await app_post(
        app_client,
        edit,
        edit,
        {
            "start": "2050-07-02",
            "end": "2050-07-03",
            "reason": "travel",
            "notes": "",
            "forwardTo": "",
        },
    )
    assert edited.status_code == 303
    [entry] = await entries(app_client, host)
    assert (entry["start"][:10], entry["reason"], entry["toUserId"]) == (
        "2050-07-02",
        "travel",
        None,
    )
    deleted = await app_post(app_client, OOO, f"{edit}/delete", {})
    assert deleted.status_code == 303
    assert await entries(app_client, host) == []


async def test_ooo_refusals(
    app: Any, app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    cases = [
        ({"start": "", "end": "2050-07-10"}, 'id="f-start-error"'),
        ({"start": "2050-07-10", "end": "2050-07-01"}, "Start date must be before end date."),
        (
            {"start": "2050-07-01", "end": "2050-07-02", "forwardTo": "bob"},
            'id="f-forwardTo-error"',
        ),
        (
            {"start": "2050-07-01", "end": "2050-07-02", "forwardTo": "ghost"},
            'id="f-forwardTo-error"',
        ),
    ]
    for data, expected in cases:
        answer = await app_post(app_client, OOO, OOO, {"reason": "vacation", **data})
        assert answer.status_code == 400, data
        assert expected in answer.text, (data, answer.text[:3000])
    forged = await app_client.post(
        OOO, data={"start": "2050-07-01", "end": "2050-07-02", "csrf_token": "nope"}
    )
    assert forged.status_code == 403
    assert await entries(app_client, host) == []


async def test_another_users_ooo_entry_is_not_found(
    app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    made = await app_client.post(
        "/v2/me/ooo",
        json={"start": "2050-01-01T00:00:00Z", "end": "2050-01-02T00:00:00Z"},
        headers=other_host.headers,
    )
    assert made.status_code == 201
    theirs = f"{OOO}/{made.json()['data']['id']}"
    assert (await app_client.get(theirs)).status_code == 404
    for action in (theirs, theirs + "/delete"):
        answer = await app_post(
            app_client, OOO, action, {"start": "2050-03-01", "end": "2050-03-02"}
        )
        assert answer.status_code == 404
    assert len(await entries(app_client, other_host)) == 1


KEY = re.compile(r'id="new-api-key">(cal_live_[0-9a-f]+)<')


async def test_api_key_shown_once_usable_then_revoked(
    app_client: httpx2.AsyncClient, host: Host
) -> None:
    answer = await app_post(app_client, KEYS, KEYS, {"note": "CI", "expiry": "7"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    match = KEY.search(answer.text)
    assert match, answer.text[:2000]
    key = match.group(1)
    me = await app_client.get(
        "/v2/me", headers={"Authorization": f"Bearer {key}", "Sec-Fetch-Site": "none"}
    )
    assert me.status_code == 200 and me.json()["data"]["username"] == "alice"
    page = await app_get(app_client, KEYS)
    assert key not in page.text and "CI" in page.text
    key_id = re.search(r'action="/app/settings/api-keys/(\d+)/revoke"', page.text)
    assert key_id
    # the list holds the host's first key too; revoke the new one (the newest, listed first)
    revoked = await app_post(app_client, KEYS, f"{KEYS}/{key_id.group(1)}/revoke", {})
    assert revoked.status_code == 303
    gone = await app_client.get(
        "/v2/me", headers={"Authorization": f"Bearer {key}", "Sec-Fetch-Site": "none"}
    )
    assert gone.status_code == 401
    still = await app_client.get("/v2/me", headers=host.headers)
    assert still.status_code == 200


async def test_api_key_refusals(
    app: Any, app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    bad = await app_post(
        app_client, KEYS, KEYS, {"note": "x", "expiry": "date", "expiresOn": "2001-01-01"}
    )
    assert bad.status_code == 400 and 'id="f-expiresOn-error"' in bad.text
    assert KEY.search(bad.text) is None
    long = await app_post(app_client, KEYS, KEYS, {"note": "n" * 201, "expiry": "never"})
    assert long.status_code == 400 and 'id="f-note-error"' in long.text
    forged = await app_client.post(KEYS, data={"note": "x", "expiry": "never", "csrf_token": "no"})
    assert forged.status_code == 403
    dated = await app_post(
        app_client, KEYS, KEYS, {"note": "dated", "expiry": "date", "expiresOn": "2050-01-01"}
    )
    assert dated.status_code == 200 and "2050-01-01" in dated.text
    # bob's key cannot be revoked by alice
    db: Database = app.state.db
    async with db.read_sessions() as session:
        theirs = await session.scalar(select(ApiKey.id).where(ApiKey.user_id == other_host.id))
    refused = await app_post(app_client, KEYS, f"{KEYS}/{theirs}/revoke", {})
    assert refused.status_code == 404
    assert (await app_client.get("/v2/me", headers=other_host.headers)).status_code == 200
