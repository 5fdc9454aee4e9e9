"""OOO_CREATED deliveries: creating an out-of-office entry sends the documented body to the
user's webhooks subscribed to it (and only those), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx2

from slotwise.config import Settings
from tests.api.webhook_fixtures import receiver, run_jobs, subscribe, verify
from tests.conftest import Host
from tests.webhook_receiver import Receiver

__all__ = ["receiver"]
ENTRY = {
    "start": "2050-09-05T00:00:00.000Z",
    "end": "2050-09-07T23:59:59.000Z",
    "notes": "Holiday Leave",
    "reason": "sick",
}


async def test_ooo_created_is_delivered_to_subscribers_only(
    client: httpx2.AsyncClient,
    app: Any,
    settings: Settings,
    host: Host,
    other_host: Host,
    receiver: Receiver,
) -> None:
    await subscribe(client, host, receiver.url, ["OOO_CREATED"], secret="whsec_ooo")
    await subscribe(client, host, receiver.url + "?other", ["BOOKING_CREATED"])
    await subscribe(client, other_host, receiver.url + "?bob", ["OOO_CREATED"])
    r = await client.post("/v2/me/ooo", json=ENTRY, headers=host.headers)
    assert r.status_code == 201, r.text
    entry = r.json()["data"]
    await run_jobs(app, settings)

    [req] = receiver.requests  # not the BOOKING_CREATED hook, not bob's
    assert verify("whsec_ooo", req)
    sent = req.json()
    assert sent["triggerEvent"] == "OOO_CREATED"
    ooo = sent["payload"]["oooEntry"]
    assert (ooo["id"], ooo["uuid"], ooo["notes"]) == (entry["id"], entry["uuid"], "Holiday Leave")
    assert (ooo["start"], ooo["end"]) == (ENTRY["start"], ENTRY["end"])
    assert ooo["reason"] == {"emoji": "🤒", "reason": "ooo_reasons_sick_leave"}
    assert ooo["user"]["id"] == host.id and ooo["user"]["email"] == host.email
    assert ooo["toUser"] is None  # forwarding needs a shared team (none yet)


async def test_no_webhook_no_job(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, receiver: Receiver
) -> None:
    r = await client.post("/v2/me/ooo", json=ENTRY, headers=host.headers)
    assert r.status_code == 201, r.text
    assert await run_jobs(app, settings) == 0
    assert receiver.requests == []
