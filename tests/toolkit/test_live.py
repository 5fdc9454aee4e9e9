"""The tool kit against a live Slotwise server (SQLite and PostgreSQL): every read-only action
whose operation Slotwise serves is executed; the end-to-end proof uses only the tool kit: find
the next free 30-minute slot of a user, book it for an attendee, reschedule it, cancel it."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import iter_route_contexts

from slotwise.client import Client
from slotwise.toolkit import AsyncToolkit, Toolkit, actions
from tests.api.teams_fixtures import insert_team
from tests.conftest import Host

MONDAY = "2050-09-05"


def _shape(path: str) -> str:
    return re.sub(r"{[^}]+}", "{}", path)


def served_read_only_slugs(app: Any) -> set[str]:
    """Slugs of the GET actions whose path the app routes."""
    routes = {
        (m, _shape(c.path_format))
        for c in iter_route_contexts(app.router.routes)
        for m in c.methods or []
    }
    return {
        a.slug
        for a in actions().values()
        if a.read_only and a.path and ("GET", _shape(a.path)) in routes
    }


def setup_data(live_url: str, host: Host) -> dict[str, Any]:
    """A schedule, an event type, a booking, webhooks and a team, made through the SDK."""
    with Client(live_url, api_key=host.api_key) as cal:
        schedule = cal.schedules.create(
            {"name": "Office", "timeZone": "Europe/Rome", "isDefault": True}
        )
        et = cal.event_types.create({"title": "Intro", "slug": "intro", "lengthInMinutes": 30})
        booking = cal.bookings.create({
            "eventTypeId": et["id"], "start": "2050-09-05T07:00:00Z",
            "attendee": {"name": "Ada", "email": "ada@example.com", "timeZone": "Europe/London"},
        })  # fmt: skip
        hook = {"subscriberUrl": "https://example.com/hook", "triggers": ["BOOKING_CREATED"],
                "active": True}  # fmt: skip
        webhook = cal.webhooks.create(hook)
        et_webhook = cal.event_type_webhooks.create(et["id"], hook)
        team = cal.teams.create({"name": "Sales", "slug": "sales"})
        [membership] = cal.team_memberships.list(team["id"])
    return {"schedule": schedule, "et": et, "booking": booking, "webhook": webhook,
            "et_webhook": et_webhook, "team": team, "membership": membership}  # fmt: skip


async def test_every_served_read_only_action_runs(app: Any, live_url: str, host: Host) -> None:
    made = setup_data(live_url, host)
    et, booking = made["et"], made["booking"]
    team = made["team"]["id"]
    with Client(live_url, api_key=host.api_key) as cal:
        team_et: Any = cal.team_event_types.create(team, {
            "title": "Demo", "slug": "demo", "lengthInMinutes": 30,
            "schedulingType": "collective", "hosts": [{"userId": host.id}],
        })  # fmt: skip
    arguments: dict[str, dict[str, Any]] = {
        "CAL_FETCH_ALL_BOOKINGS": {"status": ["upcoming"], "take": 10},
        "CAL_FETCH_SCHEDULE_BY_ID": {"scheduleId": made["schedule"]["id"]},
        "CAL_FETCH_WEBHOOK_BY_EVENT_TYPE_ID": {
            "eventTypeId": et["id"], "webhookId": str(made["et_webhook"]["id"])
        },
        "CAL_GET_ALL_TIMEZONES": {},
        "CAL_GET_AVAILABLE_SLOTS_INFO": {"eventTypeId": et["id"], "startTime": MONDAY,
                                         "endTime": MONDAY, "timeZone": "Europe/Rome"},
        "CAL_GET_DEFAULT_SCHEDULE_DETAILS": {},
        "CAL_GET_ORGANIZATION_ID": {},
        "CAL_GET_WEBHOOK_BY_ID": {"webhookId": str(made["webhook"]["id"])},
        "CAL_LIST_EVENT_TYPES": {},
        "CAL_RETRIEVE_BOOKING_DETAILS_BY_UID": {"bookingUid": booking["uid"]},
        "CAL_RETRIEVE_EVENT_TYPE_BY_ID": {"eventTypeId": str(et["id"])},  # a string there
        "CAL_RETRIEVE_MY_INFORMATION": {},
        "CAL_RETRIEVE_SCHEDULES_LIST": {},
        "CAL_RETRIEVE_WEBHOOKS_FOR_EVENT_TYPE": {"eventTypeId": et["id"]},
        "CAL_RETRIEVE_WEBHOOKS_LIST": {},
        "CAL_GET_TEAMS_LIST": {},
        "CAL_GET_TEAM_INFORMATION_BY_TEAM_ID": {"teamId": made["team"]["id"]},
        "CAL_RETRIEVE_TEAM_MEMBERSHIPS": {"teamId": made["team"]["id"], "take": 10},
        "CAL_RETRIEVE_TEAM_MEMBERSHIP_DETAILS": {
            "teamId": made["team"]["id"], "membershipId": made["membership"]["id"]
        },
        "CAL_GET_EVENT_TYPE_BY_TEAM_ID": {"teamId": team, "eventTypeId": team_et["id"]},
        "CAL_RETRIEVE_TEAM_EVENT_TYPES": {"teamId": team, "eventSlug": "demo"},
        "CAL_RETRIEVE_CALENDAR_LIST": {},
    }  # fmt: skip
    # Calendar actions that need a connected provider or a configured OAuth app: they reach the
    # server and answer its own 4xx message (tests/api/test_calendars_*.py cover them working).
    needs_provider: dict[str, dict[str, Any]] = {
        "CAL_CHECK_CALENDAR_VERSION2": {"calendar": "apple"},
        "CAL_CHECK_GCAL_SYNCHRONIZATION_STATUS": {},
        "CAL_CHECK_ICS_FEED_CALENDAR_ENDPOINT": {},
        "CAL_CONNECT_TO_CALENDAR": {"calendar": "google"},
        "CAL_GET_GOOGLE_CALENDAR_OAUTH_AUTHENTICATION_URL": {},
        "CAL_RETRIEVE_CALENDAR_BUSY_TIMES": {
            "credentialId": 999, "externalId": "x", "dateFrom": MONDAY, "dateTo": MONDAY,
            "loggedInUsersTz": "UTC",
        },
        "CAL_SAVE_CALENDAR_ENTRY": {"calendar": "google", "code": "c", "state": "s"},
        "CAL_SAVE_OAUTH_CREDENTIALS_VIA_GCAL_API": {"code": "c", "state": "s"},
    }  # fmt: skip
    # A newly served read-only operation must be added to one of the two, with arguments.
    assert served_read_only_slugs(app) == set(arguments) | set(needs_provider)
    with Toolkit(base_url=live_url, api_key=host.api_key) as kit:
        results = {slug: kit.execute(slug, args) for slug, args in arguments.items()}
        refused = {slug: kit.execute(slug, args) for slug, args in needs_provider.items()}
    answers = {slug: (r["successful"], r["error"][:4]) for slug, r in refused.items()}
    assert answers == {
        slug: (False, "404 " if slug == "CAL_RETRIEVE_CALENDAR_BUSY_TIMES" else "400 ")
        for slug in needs_provider
    }
    failed = {slug: r["error"] for slug, r in results.items() if not r["successful"]}
    assert failed == {}
    assert all(r["error"] is None for r in results.values())
    assert results["CAL_RETRIEVE_MY_INFORMATION"]["data"]["username"] == host.username
    assert results["CAL_RETRIEVE_BOOKING_DETAILS_BY_UID"]["data"]["uid"] == booking["uid"]
    assert [b["uid"] for b in results["CAL_FETCH_ALL_BOOKINGS"]["data"]] == [booking["uid"]]
    slots = results["CAL_GET_AVAILABLE_SLOTS_INFO"]["data"][MONDAY]
    assert slots[0] == {"start": "2050-09-05T09:30:00.000+02:00"}  # 09:00 is booked
    assert "Europe/Rome" in results["CAL_GET_ALL_TIMEZONES"]["data"]
    assert results["CAL_FETCH_SCHEDULE_BY_ID"]["data"]["timeZone"] == "Europe/Rome"
    assert [t["slug"] for t in results["CAL_GET_TEAMS_LIST"]["data"]] == ["sales"]
    assert results["CAL_GET_TEAM_INFORMATION_BY_TEAM_ID"]["data"]["name"] == "Sales"
    [owner] = results["CAL_RETRIEVE_TEAM_MEMBERSHIPS"]["data"]
    assert (owner["userId"], owner["role"]) == (host.id, "OWNER")
    assert results["CAL_RETRIEVE_TEAM_MEMBERSHIP_DETAILS"]["data"] == owner
    assert results["CAL_GET_EVENT_TYPE_BY_TEAM_ID"]["data"]["teamId"] == team
    assert [e["id"] for e in results["CAL_RETRIEVE_TEAM_EVENT_TYPES"]["data"]] == [team_et["id"]]


async def test_team_event_type_actions_create_and_delete(
    app: Any, live_url: str, host: Host
) -> None:
    team = await insert_team(app, host)
    kit = AsyncToolkit(base_url=live_url, api_key=host.api_key)
    created = await kit.execute("CAL_CREATE_TEAM_EVENT_TYPE", {
        "teamId": team, "title": "Panel", "slug": "panel", "lengthInMinutes": 30,
        "lengthInMinutesOptions": ["30", "60"], "schedulingType": "roundRobin",
        "hosts": [{"userId": host.id, "priority": "high"}],
    })  # fmt: skip
    assert created["successful"], created["error"]
    data = created["data"]
    assert data["schedulingType"] == "roundRobin" and data["lengthInMinutesOptions"] == [30, 60]
    assert data["hosts"][0]["priority"] == "high"
    deleted = await kit.execute(
        "CAL_DELETE_EVENT_TYPE_IN_TEAM", {"teamId": team, "eventTypeId": data["id"]}
    )
    assert deleted["successful"], deleted["error"]
    assert deleted["data"] == {"id": data["id"], "title": "Panel"}
    phone = await kit.execute("CAL_CREATE_PHONE_CALL_FOR_EVENT_TYPE", {
        "teamId": team, "eventTypeId": data["id"], "calApiKey": "k",
        "numberToCall": "+37120993152", "yourPhoneNumber": "+37120993151",
    })  # fmt: skip
    assert phone["successful"] is False and (phone["error"] or "").startswith("404")


async def test_failures_are_reported_never_faked(live_url: str, host: Host) -> None:
    kit = Toolkit(base_url=live_url, api_key=host.api_key)
    missing = kit.execute("CAL_RETRIEVE_BOOKING_DETAILS_BY_UID", {"bookingUid": "nope"})
    assert missing["successful"] is False
    assert missing["error"] is not None and missing["error"].startswith("404 NotFoundException:")
    assert missing["data"]["error"]["code"] == "NotFoundException"
    # An operation Slotwise does not serve yet: the server's own 404, not a fake success.
    teams = kit.execute("CAL_GET_ORGANIZATION_SCHEDULES", {"orgId": 1})
    assert teams["successful"] is False and teams["error"] is not None
    assert teams["error"].startswith("404")
    bad = kit.execute("CAL_FETCH_SCHEDULE_BY_ID", {"scheduleId": "x"})
    assert bad["successful"] is False and "is not of type 'integer'" in (bad["error"] or "")
    unknown = kit.execute("CAL_MAKE_COFFEE", {})
    assert unknown == {"successful": False, "data": {}, "error": "Unknown action CAL_MAKE_COFFEE"}


async def test_proof_find_book_reschedule_cancel_with_the_toolkit_only(
    live_url: str, host: Host
) -> None:
    kit = AsyncToolkit(base_url=live_url, api_key=host.api_key)
    schedule = await kit.execute("CAL_CREATE_USER_AVAILABILITY_SCHEDULE", {
        "name": "Office", "timeZone": "Europe/Rome", "isDefault": True,
        "availability": [{"days": ["Monday"], "startTime": "09:00", "endTime": "11:00"}],
    })  # fmt: skip
    assert schedule["successful"], schedule["error"]
    with Client(live_url, api_key=host.api_key) as cal:  # no connector action creates one
        et = cal.event_types.create({"title": "Call", "slug": "call", "lengthInMinutes": 30})
    types = await kit.execute("CAL_LIST_EVENT_TYPES", {"username": host.username})
    assert types["successful"], types["error"]
    event_type_id = next(t["id"] for t in types["data"] if t["slug"] == "call")
    assert event_type_id == et["id"]

    slots = await kit.execute("CAL_GET_AVAILABLE_SLOTS_INFO", {
        "eventTypeId": event_type_id, "startTime": MONDAY, "endTime": "2050-09-12",
    })  # fmt: skip
    assert slots["successful"], slots["error"]
    first_day = sorted(slots["data"])[0]
    starts = [s["start"] for s in slots["data"][first_day]]
    assert starts[:2] == ["2050-09-05T07:00:00.000Z", "2050-09-05T07:30:00.000Z"]

    booked = await kit.execute("CAL_POST_NEW_BOOKING_REQUEST", {
        "eventTypeId": event_type_id, "start": starts[0],
        "attendee": {"name": "Ada", "email": "ada@example.com", "timeZone": "Europe/London"},
    })  # fmt: skip
    assert booked["successful"], booked["error"]
    assert booked["data"]["status"] == "accepted"
    moved = await kit.execute("CAL_RESCHEDULE_BOOKING_BY_UID", {
        "bookingUid": booked["data"]["uid"], "start": starts[1], "reschedulingReason": "clash",
    })  # fmt: skip
    assert moved["successful"], moved["error"]
    assert moved["data"]["start"] == "2050-09-05T07:30:00.000Z"
    uid = moved["data"]["uid"]
    # Cal.com wants a reason when the host cancels: the server's refusal comes back as is.
    refused = await kit.execute("CAL_CANCEL_BOOKING_VIA_UID", {"bookingUid": uid})
    assert refused["successful"] is False
    assert refused["error"] == (
        "400 BadRequestException: Cancellation reason is required when you are the host"
    )
    cancelled = await kit.execute(
        "CAL_CANCEL_BOOKING_VIA_UID", {"bookingUid": uid, "cancellationReason": "no longer needed"}
    )
    assert cancelled["successful"], cancelled["error"]
    seen = await kit.execute(
        "CAL_RETRIEVE_BOOKING_DETAILS_BY_UID", {"bookingUid": moved["data"]["uid"]}
    )
    assert seen["data"]["status"] == "cancelled"
    # The first slot is free again, the second one too (the booking was cancelled).
    again = await kit.execute("CAL_GET_AVAILABLE_SLOTS_INFO", {
        "eventTypeId": event_type_id, "startTime": MONDAY, "endTime": MONDAY,
    })  # fmt: skip
    assert [s["start"] for s in again["data"][MONDAY]][:2] == starts[:2]
    await kit.aclose()


async def test_team_actions_manage_a_team(live_url: str, host: Host, other_host: Host) -> None:
    """The connector's team actions run against /v2/teams: create, add a member, promote,
    remove, delete; a member's refusal is reported with the server's message."""
    kit = AsyncToolkit(base_url=live_url, api_key=host.api_key)
    team = await kit.execute("CAL_CREATE_OR_UPDATE_TEAM_PROFILE", {"name": "Ops", "slug": "ops"})
    assert team["successful"], team["error"]
    team_id = team["data"]["id"]
    added = await kit.execute(
        "CAL_CREATE_TEAM_MEMBERSHIP_WITH_ROLE",
        {"teamId": team_id, "userId": other_host.id, "accepted": True},
    )
    assert added["successful"] and added["data"]["role"] == "MEMBER", added["error"]
    member_kit = AsyncToolkit(base_url=live_url, api_key=other_host.api_key)
    refused = await member_kit.execute(
        "CAL_PATCH_TEAM_DETAILS_BY_ID", {"teamId": team_id, "bio": "mine"}
    )
    assert refused["successful"] is False
    assert (refused["error"] or "").startswith("403 ForbiddenException: RolesGuard")
    promoted = await kit.execute(
        "CAL_UPDATE_TEAM_MEMBERSHIP_BY_ID",
        {"teamId": team_id, "membershipId": added["data"]["id"], "role": "ADMIN"},
    )
    assert promoted["successful"] and promoted["data"]["role"] == "ADMIN"
    patched = await kit.execute("CAL_PATCH_TEAM_DETAILS_BY_ID", {"teamId": team_id, "bio": "B"})
    assert patched["successful"] and patched["data"]["bio"] == "B"
    removed = await kit.execute(
        "CAL_DELETE_TEAM_MEMBERSHIPS_BY_ID",
        {"teamId": team_id, "membershipId": added["data"]["id"]},
    )
    assert removed["successful"] and removed["data"]["userId"] == other_host.id
    deleted = await kit.execute("CAL_DELETE_TEAM_BY_ID", {"teamId": team_id})
    assert deleted["successful"] and deleted["data"]["id"] == team_id
