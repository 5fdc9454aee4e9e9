"""/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks: Cal.com's webhook shapes and rules
(URL safety, one webhook per URL), Cal.com's guards (admins and owners only), and the
subscription of bookings of the team event type."""

from __future__ import annotations

from typing import Any

import httpx2

from slotwise.webhooks.repository import subscribed_webhooks
from tests.api.teams_fixtures import create_team_event_type, insert_member, insert_team
from tests.conftest import Host, make_host

HOOK = {
    "subscriberUrl": "https://hooks.example.com/team",
    "triggers": ["BOOKING_CREATED"],
    "active": True,
    "secret": "s3cret",
}


async def setup(client: httpx2.AsyncClient, app: Any, owner: Host, member: Host) -> tuple[str, int]:
    team = await insert_team(app, owner)
    await insert_member(app, team, member)
    et = await create_team_event_type(
        client, owner, team, hosts=[{"userId": owner.id}], minimumBookingNotice=0
    )
    return f"/v2/teams/{team}/event-types/{et['id']}/webhooks", et["id"]


async def test_crud_and_roles(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    base, et = await setup(client, app, host, other_host)
    r = await client.post(base, json=HOOK, headers=other_host.headers)
    assert r.status_code == 403  # a MEMBER may not create
    r = await client.post(base, json=HOOK, headers=host.headers)
    assert r.status_code == 201, r.text
    hook = r.json()["data"]
    assert hook["eventTypeId"] == et and hook["secret"] == "s3cret"
    assert hook["payloadTemplate"] is None and hook["triggers"] == ["BOOKING_CREATED"]
    r = await client.post(base, json=HOOK, headers=host.headers)
    assert r.status_code == 409
    one = f"{base}/{hook['id']}"
    # Cal.com's IsTeamEventTypeWebhookGuard: a MEMBER may not even read
    r = await client.get(base, headers=other_host.headers)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == (
        f"IsTeamEventTypeWebhookGuard - User ({other_host.id}) is not an admin/owner of team "
        f"({base.split('/')[3]})"
    )
    assert (await client.get(one, headers=other_host.headers)).status_code == 403
    r = await client.get(base, headers=host.headers)
    assert [h["id"] for h in r.json()["data"]] == [hook["id"]]
    r = await client.get(one, headers=host.headers)
    assert r.json()["data"]["secret"] == "s3cret"
    assert (
        await client.patch(one, json={"active": False}, headers=other_host.headers)
    ).status_code == 403
    r = await client.patch(one, json={"active": False}, headers=host.headers)
    assert r.status_code == 200 and r.json()["data"]["active"] is False
    assert (await client.delete(one, headers=other_host.headers)).status_code == 403
    r = await client.delete(one, headers=host.headers)
    assert r.status_code == 200 and r.json()["data"]["id"] == hook["id"]
    assert (await client.get(one, headers=host.headers)).status_code == 404
    # delete all
    for i in range(2):
        r = await client.post(
            base, json={**HOOK, "subscriberUrl": f"https://hooks.example.com/{i}"},
            headers=host.headers,
        )  # fmt: skip
        assert r.status_code == 201
    assert (await client.delete(base, headers=other_host.headers)).status_code == 403
    r = await client.delete(base, headers=host.headers)
    assert r.status_code == 200 and r.json()["data"] == "2 webhooks deleted"
    stranger = await make_host(app, "mallory")
    r = await client.get(base, headers=stranger.headers)
    assert r.status_code == 403
    assert (await client.get(base)).status_code == 401


async def test_wrong_event_type_or_webhook_is_404(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    base, et = await setup(client, app, host, other_host)
    team = base.split("/")[3]
    other_team = await insert_team(app, host, slug="other")
    foreign = await create_team_event_type(client, host, other_team)
    r = await client.get(
        f"/v2/teams/{team}/event-types/{foreign['id']}/webhooks", headers=host.headers
    )
    assert r.status_code == 404
    assert r.json()["error"]["message"] == (
        f"IsTeamEventTypeWebhookGuard - Event type ({foreign['id']}) not found for team ({team})"
    )
    r = await client.post(
        "/v2/webhooks",
        json={**HOOK, "subscriberUrl": "https://hooks.example.com/user"},
        headers=host.headers,
    )
    user_hook = r.json()["data"]["id"]
    r = await client.get(f"{base}/{user_hook}", headers=host.headers)
    assert r.status_code == 404
    r = await client.get(f"{base}/not-a-number", headers=host.headers)
    assert r.status_code == 404
    r = await client.post(
        base, json={**HOOK, "subscriberUrl": "https://user:pw@hooks.example.com/"},
        headers=host.headers,
    )  # fmt: skip
    assert r.status_code == 400


async def test_bookings_of_the_team_event_type_subscribe_its_webhooks(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    """The delivery path's subscription query finds the team webhook for a booking of the
    event type whoever hosts it (booking team event types comes with the scheduling work)."""
    base, et = await setup(client, app, host, other_host)
    r = await client.post(base, json=HOOK, headers=host.headers)
    assert r.status_code == 201
    async with app.state.db.read_sessions() as session:
        for organizer in (host.id, other_host.id):
            hooks = await subscribed_webhooks(session, organizer, et)
            assert [h.id for h in hooks] == [r.json()["data"]["id"]]
        assert await subscribed_webhooks(session, other_host.id, None) == []
