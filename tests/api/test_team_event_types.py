"""/v2/teams/{teamId}/event-types: create, list (public), get, update, delete; hosts and their
membership rule, Cal.com's roles, the personal event-type rules reused, the extensions, and
create-phone-call (501)."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.api.booking_fixtures import MONDAY, at, booked, give_schedule
from tests.api.teams_fixtures import create_team_event_type, insert_member, insert_team
from tests.conftest import Host, make_host

PATH = "/v2/teams/{team}/event-types"
BOOKER = {"name": "Zed Booker", "email": "zed@example.com", "timeZone": "Europe/Rome"}
REQUIRED = (
    "id", "lengthInMinutes", "title", "slug", "description", "locations", "bookingFields",
    "disableGuests", "recurrence", "metadata", "price", "currency",
    "lockTimeZoneToggleOnBookingPage", "forwardParamsSuccessRedirect", "successRedirectUrl",
    "isInstantEvent", "scheduleId", "hidden", "bookingRequiresAuthentication", "teamId",
    "hosts", "schedulingType", "team",
)  # fmt: skip


async def team_with(app: Any, owner: Host, *members: Host, slug: str = "sales") -> int:
    team = await insert_team(app, owner, slug=slug, profile={"brandColor": "#112233"})
    for member in members:
        await insert_member(app, team, member)
    return team


async def test_create_round_robin_with_hosts(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host, other_host)
    data = await create_team_event_type(
        client,
        host,
        team,
        schedulingType="ROUND_ROBIN",
        hosts=[
            {"userId": host.id, "mandatory": True, "priority": "highest"},
            {"userId": other_host.id, "priority": "lowest", "weight": 50},
        ],
        isRRWeightsEnabled=True,
        rescheduleWithSameRoundRobinHost=True,
    )
    for key in REQUIRED:
        assert key in data, key
    assert data["teamId"] == team and data["ownerId"] is None
    assert data["parentEventTypeId"] is None
    assert data["schedulingType"] == "roundRobin"
    assert data["assignAllTeamMembers"] is False
    assert data["isRRWeightsEnabled"] is True
    assert data["includeNoShowInRRCalculation"] is False
    assert data["rescheduleWithSameRoundRobinHost"] is True
    assert data["team"]["id"] == team and data["team"]["slug"] == "sales"
    assert data["team"]["brandColor"] == "#112233" and data["team"]["logoUrl"] is None
    assert "users" not in data and "bookingUrl" not in data
    hosts = {h["userId"]: h for h in data["hosts"]}
    assert hosts[host.id] == {
        "userId": host.id, "name": "alice", "username": "alice", "avatarUrl": None,
        "mandatory": True, "priority": "highest", "weight": 100, "scheduleId": None,
    }  # fmt: skip
    assert hosts[other_host.id]["priority"] == "lowest"
    assert hosts[other_host.id]["mandatory"] is False
    assert hosts[other_host.id]["weight"] == 50
    # personal defaults come from the shared event-type output
    assert data["locations"] == [{"type": "integration", "integration": "cal-video"}]
    assert data["minimumBookingNotice"] == 120

    r = await client.get(f"/v2/teams/{team}/event-types/{data['id']}", headers=host.headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == data


async def test_collective_hosts_are_all_mandatory_without_priority(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host, other_host)
    data = await create_team_event_type(
        client,
        host,
        team,
        schedulingType="collective",
        hosts=[{"userId": host.id, "priority": "lowest"}, {"userId": other_host.id}],
    )
    assert data["schedulingType"] == "collective"
    assert [set(h) for h in data["hosts"]] == [
        {"userId", "name", "username", "avatarUrl", "scheduleId"}
    ] * 2


async def test_a_host_who_is_not_an_accepted_member_is_404(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host)
    pending = await make_host(app, "carol")
    await insert_member(app, team, pending, accepted=False)
    r = await client.post(
        PATH.format(team=team),
        json={
            "title": "Demo", "slug": "demo", "lengthInMinutes": 30,
            "schedulingType": "roundRobin",
            "hosts": [{"userId": other_host.id}, {"userId": pending.id}, {"userId": host.id}],
        },
        headers=host.headers,
    )  # fmt: skip
    assert r.status_code == 404, r.text
    assert r.json()["error"]["message"] == (
        f"Invalid hosts: {other_host.id}, {pending.id} are not members of team with id {team}."
    )


async def test_roles(client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host) -> None:
    team = await team_with(app, host, other_host)
    admin = await make_host(app, "adam")
    await insert_member(app, team, admin, role="ADMIN")
    stranger = await make_host(app, "mallory")
    body = {"title": "D", "slug": "d", "lengthInMinutes": 15, "schedulingType": "collective"}
    r = await client.post(PATH.format(team=team), json=body, headers=other_host.headers)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == (
        f"RolesGuard - user with id={other_host.id} does not have the minimum required "
        f"role=TEAM_ADMIN within team with id={team}."
    )
    r = await client.post(PATH.format(team=team), json=body, headers=stranger.headers)
    assert r.status_code == 403
    assert "is not a member of the team" in r.json()["error"]["message"]
    r = await client.post(PATH.format(team=999999), json=body, headers=host.headers)
    assert r.status_code == 403  # a missing team answers like a foreign one
    r = await client.post(PATH.format(team=team), json=body)
    assert r.status_code == 401
    created = await create_team_event_type(client, admin, team, **body)
    one = f"/v2/teams/{team}/event-types/{created['id']}"
    # reading one is TEAM_ADMIN in Cal.com's controller; the list is public
    assert (await client.get(one, headers=other_host.headers)).status_code == 403
    assert (await client.get(one, headers=admin.headers)).status_code == 200
    r = await client.patch(one, json={"title": "X"}, headers=other_host.headers)
    assert r.status_code == 403
    assert (await client.delete(one, headers=other_host.headers)).status_code == 403
    r = await client.get(PATH.format(team=team))
    assert r.status_code == 200 and [e["id"] for e in r.json()["data"]] == [created["id"]]


async def test_public_list_hides_hidden_ones_from_non_members(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host, other_host)
    shown = await create_team_event_type(
        client, host, team, slug="shown", hosts=[{"userId": host.id}, {"userId": other_host.id}]
    )
    hidden = await create_team_event_type(client, host, team, slug="secret", hidden=True)
    stranger = await make_host(app, "mallory")
    url = PATH.format(team=team)
    for headers in ({}, stranger.headers):
        r = await client.get(url, headers=headers)
        assert [e["id"] for e in r.json()["data"]] == [shown["id"]]
    r = await client.get(url, headers=other_host.headers)
    assert [e["id"] for e in r.json()["data"]] == [shown["id"], hidden["id"]]
    r = await client.get(url, params={"sortCreatedAt": "desc"}, headers=host.headers)
    assert [e["id"] for e in r.json()["data"]] == [hidden["id"], shown["id"]]
    r = await client.get(url, params={"eventSlug": "shown", "hostsLimit": "1"})
    [one] = r.json()["data"]
    assert one["id"] == shown["id"] and len(one["hosts"]) == 1
    r = await client.get(url, params={"eventSlug": "nope"})
    assert r.json()["data"] == []
    r = await client.get(PATH.format(team=424242))
    assert r.status_code == 200 and r.json()["data"] == []


async def test_update_hosts_type_and_fields(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host, other_host)
    created = await create_team_event_type(client, host, team, hosts=[{"userId": host.id}])
    one = f"/v2/teams/{team}/event-types/{created['id']}"
    r = await client.patch(
        one,
        json={
            "title": "Renamed",
            "lengthInMinutes": 45,
            "hosts": [{"userId": other_host.id, "priority": "high", "mandatory": True}],
            "includeNoShowInRRCalculation": True,
        },
        headers=host.headers,
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["title"] == "Renamed" and data["lengthInMinutes"] == 45
    assert [(h["userId"], h["priority"], h["mandatory"]) for h in data["hosts"]] == [
        (other_host.id, "high", True)
    ]
    assert data["includeNoShowInRRCalculation"] is True
    # a new scheduling type without hosts leaves none (Cal.com's documented rule)
    r = await client.patch(one, json={"schedulingType": "collective"}, headers=host.headers)
    assert r.status_code == 200
    assert r.json()["data"]["schedulingType"] == "collective"
    assert r.json()["data"]["hosts"] == []
    r = await client.patch(one, json={"assignAllTeamMembers": True}, headers=host.headers)
    assert sorted(h["userId"] for h in r.json()["data"]["hosts"]) == sorted(
        [host.id, other_host.id]
    )
    r = await client.patch(one, json={"schedulingType": "managed"}, headers=host.headers)
    assert r.status_code == 400


async def test_personal_rules_apply(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host)
    url = PATH.format(team=team)
    base = {"title": "D", "slug": "d", "lengthInMinutes": 30, "schedulingType": "collective"}
    r = await client.post(
        url, json={**base, "lengthInMinutesOptions": [15, 60]}, headers=host.headers
    )
    assert r.status_code == 400
    assert "must include lengthInMinutes" in r.json()["error"]["message"]
    r = await client.post(url, json={**base, "schedulingType": "solo"}, headers=host.headers)
    assert r.status_code == 400
    r = await client.post(
        url,
        json={**base, "hosts": [{"userId": host.id}], "assignAllTeamMembers": True},
        headers=host.headers,
    )
    assert r.status_code == 400
    r = await client.post(
        url, json={**base, "hosts": [{"userId": host.id}] * 2}, headers=host.headers
    )
    assert r.status_code == 400
    await create_team_event_type(client, host, team, **base)
    r = await client.post(url, json={**base, "slug": "D"}, headers=host.headers)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Team event type with this slug already exists"
    # the same slug in another team and for a user is fine
    other_team = await team_with(app, host, slug="other")
    await create_team_event_type(client, host, other_team, **base)
    r = await client.post(
        "/v2/event-types",
        json={"title": "D", "slug": "d", "lengthInMinutes": 30},
        headers={**host.headers, "cal-api-version": "2024-06-14"},
    )
    assert r.status_code == 201, r.text
    # a schedule of someone outside the team
    sched = await client.post(
        "/v2/schedules",
        json={"name": "S", "timeZone": "UTC", "isDefault": True},
        headers={**other_host.headers, "cal-api-version": "2024-06-11"},
    )
    r = await client.post(
        url,
        json={**base, "slug": "s", "scheduleId": sched.json()["data"]["id"]},
        headers=host.headers,
    )
    assert r.status_code == 404
    r = await client.post(
        url,
        json={
            **base, "slug": "s",
            "hosts": [{"userId": host.id, "scheduleId": sched.json()["data"]["id"]}],
        },
        headers=host.headers,
    )  # fmt: skip
    assert r.status_code == 404


async def test_assign_all_team_members_now_and_later(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host, other_host)
    data = await create_team_event_type(client, host, team, assignAllTeamMembers=True)
    assert data["assignAllTeamMembers"] is True
    assert {h["userId"] for h in data["hosts"]} == {host.id, other_host.id}
    assert all(h["mandatory"] is False and h["priority"] == "medium" for h in data["hosts"])
    newcomer = await make_host(app, "carol")
    await insert_member(app, team, newcomer)
    r = await client.get(f"/v2/teams/{team}/event-types/{data['id']}", headers=host.headers)
    assert {h["userId"] for h in r.json()["data"]["hosts"]} == {
        host.id, other_host.id, newcomer.id
    }  # fmt: skip


async def test_delete(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    team = await team_with(app, host)
    created = await create_team_event_type(client, host, team, hosts=[{"userId": host.id}])
    one = f"/v2/teams/{team}/event-types/{created['id']}"
    r = await client.delete(one, headers=host.headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"id": created["id"], "title": "Demo"}
    r = await client.delete(one, headers=host.headers)
    assert r.status_code == 404
    assert r.json()["error"]["message"] == f"Event type with ID={created['id']} does not exist."
    r = await client.get(one, headers=host.headers)
    assert r.status_code == 404
    assert r.json()["error"]["message"] == f"Event type with id {created['id']} not found"


async def test_another_teams_event_type_is_404(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    team = await team_with(app, host)
    other = await team_with(app, host, slug="other")
    created = await create_team_event_type(client, host, other)
    r = await client.get(f"/v2/teams/{team}/event-types/{created['id']}", headers=host.headers)
    assert r.status_code == 404
    r = await client.get(f"/v2/event-types/{created['id']}", headers={
        **host.headers, "cal-api-version": "2024-06-14"})  # fmt: skip
    assert r.status_code == 404


async def test_create_phone_call_is_not_available(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    team = await team_with(app, host, other_host)
    created = await create_team_event_type(client, host, team)
    url = f"/v2/teams/{team}/event-types/{created['id']}/create-phone-call"
    body = {"yourPhoneNumber": "+37120993151", "numberToCall": "+37120993152"}
    r = await client.post(url, json=body, headers=host.headers)
    assert r.status_code == 501
    assert r.json()["error"]["code"] == "NotImplementedException"
    assert (await client.post(url, json=body, headers=other_host.headers)).status_code == 403
    assert (await client.post(url, json=body)).status_code == 401


async def test_created_through_the_api_they_are_booked_with_their_hosts(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    """End to end with the booking path: a round-robin event type made here gives two
    bookings of the same start to its two hosts; a collective one books both hosts."""
    team = await team_with(app, host, other_host)
    for member in (host, other_host):
        await give_schedule(app, member)
    rr = await create_team_event_type(
        client, host, team, minimumBookingNotice=0,
        hosts=[{"userId": host.id}, {"userId": other_host.id}],
    )  # fmt: skip
    organizers = set()
    for _ in range(2):
        booking = await booked(client, rr["id"], at(MONDAY, "10:00"), attendee=BOOKER)
        organizers.add(booking["hosts"][0]["id"])
    assert organizers == {host.id, other_host.id}
    panel = await create_team_event_type(
        client, host, team, slug="panel", schedulingType="collective", minimumBookingNotice=0,
        hosts=[{"userId": host.id}, {"userId": other_host.id}],
    )  # fmt: skip
    booking = await booked(client, panel["id"], at(MONDAY, "14:00"), attendee=BOOKER)
    emails = {a["email"] for a in booking["attendees"]} | {booking["hosts"][0]["email"]}
    assert {host.email, other_host.email} <= emails


async def test_cal_com_e2e_collective_scenario(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    """Ported from Cal.com's teams-event-types.controller.e2e-spec: the settings given come
    back, hosts in order; phone-only (hidden email) and uninstalled apps are 400; updating an
    event type the team does not have is 400, reading or deleting it 404."""
    team = await team_with(app, host, other_host)
    url = PATH.format(team=team)
    hosts = [{"userId": host.id}, {"userId": other_host.id}]
    phone_only = {
        "title": "Phone", "slug": "phone", "lengthInMinutes": 60, "schedulingType": "COLLECTIVE",
        "locations": [{"type": "integration", "integration": "cal-video"},
                      {"type": "organizersDefaultApp"}],
        "hosts": hosts,
        "bookingFields": [
            {"type": "email", "required": False, "label": "Email", "hidden": True},
            {"type": "phone", "slug": "attendeePhoneNumber", "required": True,
             "label": "Phone number", "hidden": False},
        ],
    }  # fmt: skip
    r = await client.post(url, json=phone_only, headers=host.headers)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "checkIsEmailUserAccessible - Email booking field must be required and visible"
    )
    zoom = {**phone_only, "locations": [{"type": "integration", "integration": "zoom"}]}
    zoom.pop("bookingFields")
    assert (await client.post(url, json=zoom, headers=host.headers)).status_code == 400
    body = {
        "title": "Coding consultation", "slug": "coding-consultation", "lengthInMinutes": 60,
        "description": "Our team will review your codebase.", "schedulingType": "collective",
        "locations": [{"type": "organizersDefaultApp"}],
        "bookingFields": [{"type": "select", "label": "Language", "slug": "select-language",
                           "required": True, "placeholder": "select language",
                           "options": ["javascript", "python", "cobol"]}],
        "hosts": hosts,
        "bookingLimitsCount": {"day": 2, "week": 5},
        "onlyShowFirstAvailableSlot": True,
        "bookingLimitsDuration": {"day": 60, "week": 105},
        "offsetStart": 30,
        "bookingWindow": {"type": "calendarDays", "value": 30, "rolling": True},
        "bookerLayouts": {"enabledLayouts": ["column", "month", "week"], "defaultLayout": "month"},
        "confirmationPolicy": {"type": "time", "noticeThreshold": {"count": 60, "unit": "minutes"},
                               "blockUnconfirmedBookingsInBooker": True},
        "requiresBookerEmailVerification": True,
        "hideCalendarNotes": True,
        "hideCalendarEventDetails": True,
        "lockTimeZoneToggleOnBookingPage": True,
        "color": {"darkThemeHex": "#292929", "lightThemeHex": "#fafafa"},
    }  # fmt: skip
    r = await client.post(url, json=body, headers=host.headers)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert [h["userId"] for h in data["hosts"]] == [host.id, other_host.id]
    assert data["locations"] == [{"type": "organizersDefaultApp"}]
    for key in (
        "bookingLimitsCount", "onlyShowFirstAvailableSlot", "bookingLimitsDuration",
        "offsetStart", "bookingWindow", "bookerLayouts", "confirmationPolicy",
        "requiresBookerEmailVerification", "hideCalendarNotes", "hideCalendarEventDetails",
        "lockTimeZoneToggleOnBookingPage", "color", "description", "title",
    ):  # fmt: skip
        assert data[key] == body[key], key
    r = await client.patch(f"{url}/999999", json={"title": "X"}, headers=host.headers)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Event type to update not found"
    assert (await client.get(f"{url}/999999", headers=host.headers)).status_code == 404
    assert (await client.delete(f"{url}/99999", headers=host.headers)).status_code == 404
    r = await client.patch(f"{url}/{data['id']}", json={"hosts": [{"userId": host.id}]},
                           headers=host.headers)  # fmt: skip
    assert [h["userId"] for h in r.json()["data"]["hosts"]] == [host.id]


async def test_a_hosts_own_schedule_decides_their_slots(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    """``hosts[].scheduleId`` (extension): the host's availability for this event type."""
    team = await team_with(app, host)
    await give_schedule(app, host)  # the default: weekdays 09:00-17:00 UTC
    r = await client.post(
        "/v2/schedules",
        json={"name": "Demos", "timeZone": "UTC", "isDefault": False,
              "availability": [{"days": ["Monday"], "startTime": "13:00", "endTime": "14:00"}]},
        headers={**host.headers, "cal-api-version": "2024-06-11"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    schedule = r.json()["data"]["id"]
    et = await create_team_event_type(
        client, host, team, schedulingType="collective", minimumBookingNotice=0,
        hosts=[{"userId": host.id, "scheduleId": schedule}],
    )  # fmt: skip
    assert et["hosts"][0]["scheduleId"] == schedule
    r = await client.get(
        "/v2/slots",
        params={"eventTypeId": et["id"], "start": MONDAY, "end": MONDAY},
        headers={"cal-api-version": "2024-09-04"},
    )
    assert [s["start"] for s in r.json()["data"][MONDAY]] == [
        at(MONDAY, "13:00"),
        at(MONDAY, "13:30"),
    ]
