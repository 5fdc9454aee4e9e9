"""Every operation that takes credentials has an authorization test, on both databases.

``CASES`` is the single list: for each operation of /openapi.json whose ``security`` is not
empty (an API key required or optional), how to call it as a stranger (a valid key of a user who
owns nothing of the owner's) and anonymously, and the status expected. A world owned by ``alice``
(schedule, event types, bookings, a seat, webhooks and a delivery, out of office, a private link,
a reservation) is built for each call, so calls that change things cannot disturb each other.

- stranger: someone else's object is missing (404), except Cal.com's 403s (confirm/decline, a
  reservation with ``reservationDuration``, booking an event type that requires authentication);
  operations on the caller's own account answer for the stranger's own data, and ``hidden``
  names a marker of alice's data that must not appear in the answer;
- anonymous: 401 where a key is required; for optional security the answer pinned here;
- a bad key: 401 on every operation (also where security is optional).

Team operations are in ``TEAM_CASES`` (:class:`TeamCase`): the status for each role of a team
(OWNER, ADMIN, MEMBER, a pending member) and for a stranger, each call in a team world
(tests/api/teams_fixtures.py), plus 401 anonymously and with a bad key. Cal.com's RolesGuard
answers 403 to non-members, for existing and missing teams alike.

``test_every_authenticated_operation_has_a_case`` fails when /openapi.json has an operation with
security that is not in ``CASES`` (or ``CASES`` names one that is gone), so every new operation
arrives with its case.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from slotwise.kit.db import Database
from slotwise.models import (
    Attendee,
    Booking,
    CalendarCredential,
    EventType,
    Schedule,
    SelectedCalendar,
    Webhook,
    WebhookDelivery,
)
from tests.api.booking_fixtures import MONDAY, TUESDAY, at, booked, give_schedule, make_event_type
from tests.api.teams_fixtures import make_team_with_roles, make_user
from tests.conftest import Host, make_host

World = dict[str, Any]
Body = Callable[[World], Any] | None

SECRET_SLUG = "alice-hidden-slug"
SCHEDULE_NAME = "Alice private schedule"
HOOK_URL = "https://alice-hooks.example.com/user"
OOO_NOTE = "alice-ooo-note"
SECRET_TEAM_SLUG = "team-hidden-slug"
FEED_URL = "https://alice-feed.example/private.ics"


@dataclass(frozen=True)
class Case:
    """How to call one operation as a stranger and anonymously, and what each gets.

    ``stranger``/``anonymous``: the expected status (None: not applicable). ``body`` builds the
    JSON body from the world (also used anonymously). ``query``: query parameters. ``hidden``: a
    world key or literal marker of the owner's data the stranger's answer must not contain.
    """

    stranger: int | None
    anonymous: int | None
    body: Body = None
    query: dict[str, str] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()


def _reserve(duration: bool) -> Body:
    def build(w: World) -> dict[str, Any]:
        body: dict[str, Any] = {"eventTypeId": w["eventTypeId"], "slotStart": at(TUESDAY, "14:00")}
        if duration:
            body["reservationDuration"] = 10
        return body

    return build


def _webhook(w: World) -> dict[str, Any]:
    return {
        "subscriberUrl": "https://93.184.215.14/hook",
        "triggers": ["BOOKING_CREATED"],
        "active": True,
    }


def _booking(w: World) -> dict[str, Any]:
    return {
        "start": at(TUESDAY, "11:00"),
        "eventTypeId": w["restrictedId"],
        "attendee": {"name": "Eve", "email": "eve@example.com", "timeZone": "UTC"},
    }


def _team_event_type(w: World) -> dict[str, Any]:
    return {
        "title": "Mine",
        "slug": "mine",
        "lengthInMinutes": 30,
        "schedulingType": "collective",
        "hosts": [{"userId": w["userId"]}],
    }


NOT_MINE = Case(404, 401)
"""An operation on one of alice's objects: missing for the stranger, 401 without a key."""

CASES: dict[tuple[str, str], Case] = {
    # me
    ("GET", "/v2/me"): Case(200, 401, hidden=("alice@example.com",)),
    ("PATCH", "/v2/me"): Case(400, 401, body=lambda w: {"defaultScheduleId": w["scheduleId"]}),
    ("GET", "/v2/me/booking-limits"): Case(200, 401),
    ("PATCH", "/v2/me/booking-limits"): Case(200, 401, body=lambda w: {"perDay": 3}),
    ("DELETE", "/v2/me/booking-limits"): Case(204, 401),
    # schedules
    ("GET", "/v2/schedules"): Case(200, 401, hidden=(SCHEDULE_NAME,)),
    ("POST", "/v2/schedules"): Case(
        201, 401, body=lambda w: {"name": "Mine", "timeZone": "UTC", "isDefault": True}
    ),
    ("GET", "/v2/schedules/default"): Case(200, 401, hidden=(SCHEDULE_NAME,)),
    ("GET", "/v2/schedules/{scheduleId}"): NOT_MINE,
    ("PATCH", "/v2/schedules/{scheduleId}"): Case(404, 401, body=lambda w: {"name": "Taken"}),
    ("DELETE", "/v2/schedules/{scheduleId}"): NOT_MINE,
    # event types
    ("POST", "/v2/event-types"): Case(
        404,
        401,
        body=lambda w: {
            "title": "Mine",
            "slug": "mine",
            "lengthInMinutes": 30,
            "scheduleId": w["scheduleId"],
        },
    ),
    ("GET", "/v2/event-types"): Case(200, 200, query={"username": "alice"}, hidden=(SECRET_SLUG,)),
    ("GET", "/v2/event-types/{eventTypeId}"): NOT_MINE,
    ("PATCH", "/v2/event-types/{eventTypeId}"): Case(404, 401, body=lambda w: {"title": "X"}),
    ("DELETE", "/v2/event-types/{eventTypeId}"): NOT_MINE,
    # private links (through the event type)
    ("POST", "/v2/event-types/{eventTypeId}/private-links"): Case(404, 401, body=lambda w: {}),
    ("GET", "/v2/event-types/{eventTypeId}/private-links"): NOT_MINE,
    ("PATCH", "/v2/event-types/{eventTypeId}/private-links/{linkId}"): Case(
        404, 401, body=lambda w: {"maxUsageCount": 5}
    ),
    ("DELETE", "/v2/event-types/{eventTypeId}/private-links/{linkId}"): NOT_MINE,
    # webhooks
    ("POST", "/v2/webhooks"): Case(201, 401, body=_webhook),
    ("GET", "/v2/webhooks"): Case(200, 401, hidden=(HOOK_URL,)),
    ("GET", "/v2/webhooks/{webhookId}"): NOT_MINE,
    ("PATCH", "/v2/webhooks/{webhookId}"): Case(404, 401, body=lambda w: {"active": False}),
    ("DELETE", "/v2/webhooks/{webhookId}"): NOT_MINE,
    ("GET", "/v2/webhooks/{webhookId}/deliveries"): NOT_MINE,
    ("POST", "/v2/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver"): NOT_MINE,
    ("POST", "/v2/event-types/{eventTypeId}/webhooks"): Case(404, 401, body=_webhook),
    ("GET", "/v2/event-types/{eventTypeId}/webhooks"): NOT_MINE,
    ("DELETE", "/v2/event-types/{eventTypeId}/webhooks"): NOT_MINE,
    ("GET", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"): NOT_MINE,
    ("PATCH", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"): Case(
        404, 401, body=lambda w: {"active": False}
    ),
    ("DELETE", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"): NOT_MINE,
    # out of office
    ("POST", "/v2/me/ooo"): Case(
        201,
        401,
        body=lambda w: {"start": at(MONDAY, "00:00"), "end": at(TUESDAY, "00:00")},
    ),
    ("GET", "/v2/me/ooo"): Case(200, 401, hidden=(OOO_NOTE,)),
    ("PATCH", "/v2/me/ooo/{oooId}"): Case(404, 401, body=lambda w: {"notes": "mine"}),
    ("DELETE", "/v2/me/ooo/{oooId}"): NOT_MINE,
    # credits and keys: the caller's own account only
    ("GET", "/v2/credits/available"): Case(200, 401),
    ("POST", "/v2/credits/charge"): Case(
        400, 401, body=lambda w: {"credits": 1, "creditFor": "AI_AGENT"}
    ),
    ("POST", "/v2/api-keys/refresh"): Case(200, 401, body=lambda w: {}),
    # reservations: anyone, but reservationDuration is the owner's
    ("POST", "/v2/slots/reservations"): Case(403, 401, body=_reserve(True)),
    ("PATCH", "/v2/slots/reservations/{uid}"): Case(403, 401, body=_reserve(True)),
    # bookings: the uid is the secret for reading, cancelling and rescheduling
    ("POST", "/v2/bookings"): Case(403, 401, body=_booking),
    ("GET", "/v2/bookings"): Case(200, 401, hidden=("bookingUid",)),
    ("GET", "/v2/bookings/by-seat/{seatUid}"): Case(200, 200),
    ("GET", "/v2/bookings/{bookingUid}"): Case(200, 200),
    ("POST", "/v2/bookings/{bookingUid}/cancel"): Case(
        200, 200, body=lambda w: {"cancellationReason": "no"}
    ),
    ("POST", "/v2/bookings/{bookingUid}/reschedule"): Case(
        201, 201, body=lambda w: {"start": at(TUESDAY, "15:00")}
    ),
    ("POST", "/v2/bookings/{bookingUid}/confirm"): Case(403, 401),
    ("POST", "/v2/bookings/{bookingUid}/decline"): Case(403, 401, body=lambda w: {}),
    ("POST", "/v2/bookings/{bookingUid}/mark-absent"): Case(
        404, 401, body=lambda w: {"host": True}
    ),
    ("PATCH", "/v2/bookings/{bookingUid}/location"): Case(
        404, 401, body=lambda w: {"location": {"type": "link", "link": "https://x.example"}}
    ),
    ("POST", "/v2/bookings/{bookingUid}/request-reschedule"): Case(404, 401, body=lambda w: {}),
    ("GET", "/v2/bookings/{bookingUid}/attendees"): NOT_MINE,
    ("POST", "/v2/bookings/{bookingUid}/attendees"): Case(
        404,
        401,
        body=lambda w: {"name": "Eve", "email": "eve@example.com", "timeZone": "UTC"},
    ),
    ("GET", "/v2/bookings/{bookingUid}/attendees/{attendeeId}"): NOT_MINE,
    ("POST", "/v2/bookings/{bookingUid}/guests"): Case(
        404, 401, body=lambda w: {"guests": [{"email": "eve@example.com"}]}
    ),
    ("GET", "/v2/bookings/{bookingUid}/references"): NOT_MINE,
    ("GET", "/v2/bookings/{bookingUid}/calendar-links"): NOT_MINE,
    # reassignment: the event type's owner, hosts and team admins (Cal.com's 403)
    ("POST", "/v2/bookings/{bookingUid}/reassign"): Case(403, 401),
    ("POST", "/v2/bookings/{bookingUid}/reassign/{userId}"): Case(403, 401, body=lambda w: {}),
    # connected calendars: alice has an ICS connection (credential id 1) with a selected
    # calendar; the stranger has none (no provider is ever called here)
    ("GET", "/v2/calendars"): Case(200, 401, hidden=(FEED_URL,)),
    ("GET", "/v2/calendars/busy-times"): Case(
        404,
        401,
        query={
            "credentialId": "1",
            "externalId": FEED_URL,
            "dateFrom": "2026-12-07",
            "dateTo": "2026-12-08",
        },
    ),
    ("GET", "/v2/calendars/ics-feed/check"): Case(400, 401),
    ("POST", "/v2/calendars/ics-feed/save"): Case(
        400, 401, body=lambda w: {"urls": ["http://169.254.169.254/feed.ics"]}
    ),
    ("GET", "/v2/calendars/{calendar}/check"): Case(400, 401),
    ("GET", "/v2/calendars/{calendar}/connect"): Case(400, 401),  # apple: not an OAuth one
    ("GET", "/v2/calendars/{calendar}/event/{eventUid}"): Case(400, 401),  # apple: google only
    ("PATCH", "/v2/calendars/{calendar}/events/{eventUid}"): Case(
        400, 401, body=lambda w: {"title": "Taken"}
    ),
    ("POST", "/v2/calendars/{calendar}/credentials"): Case(
        400, 401, body=lambda w: {"username": "x", "password": ""}
    ),
    ("POST", "/v2/calendars/{calendar}/disconnect"): Case(
        404, 401, body=lambda w: {"id": w["credentialId"]}
    ),
    ("POST", "/v2/selected-calendars"): Case(
        404,
        401,
        body=lambda w: {
            "integration": "ics-feed_calendar",
            "externalId": FEED_URL,
            "credentialId": w["credentialId"],
        },
    ),
    ("DELETE", "/v2/selected-calendars"): Case(
        404,
        401,
        query={"integration": "ics-feed_calendar", "externalId": FEED_URL, "credentialId": "1"},
    ),
    ("PUT", "/v2/destination-calendars"): Case(
        404, 401, body=lambda w: {"integration": "ics-feed_calendar", "externalId": FEED_URL}
    ),
}


@dataclass(frozen=True)
class TeamCase:
    """The status of one team operation for each role in a team world, and its body."""

    owner: int
    admin: int
    member: int
    pending: int
    stranger: int
    body: Body = None
    query: dict[str, str] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()
    anonymous: int = 401

    def expected(self, role: str) -> int:
        """The status expected for ``role`` (owner, admin, member, pending, stranger)."""
        status: int = getattr(self, role)
        return status


MANAGERS = dict(owner=200, admin=200, member=403, pending=403, stranger=403)
"""TEAM_ADMIN operations: OWNER and ADMIN may, the others get the guard's 403."""
READERS = dict(owner=200, admin=200, member=200, pending=403, stranger=403)
OWNERS = dict(owner=200, admin=403, member=403, pending=403, stranger=403)
ANYONE = dict(owner=200, admin=200, member=200, pending=200, stranger=200)
TEAM_SLUG = "t-team"

TEAM_CASES: dict[tuple[str, str], TeamCase] = {
    ("GET", "/v2/teams/{teamId}/bookings"): TeamCase(**MANAGERS),
    ("POST", "/v2/teams"): TeamCase(
        **{**ANYONE, **dict.fromkeys(ANYONE, 201)},
        body=lambda w: {"name": "Brand new", "slug": "brand-new"},
    ),
    ("GET", "/v2/teams"): TeamCase(**ANYONE),
    ("GET", "/v2/teams/{teamId}"): TeamCase(**READERS),
    ("PATCH", "/v2/teams/{teamId}"): TeamCase(**OWNERS, body=lambda w: {"bio": "x"}),
    ("DELETE", "/v2/teams/{teamId}"): TeamCase(**OWNERS),
    ("POST", "/v2/teams/{teamId}/memberships"): TeamCase(
        **{**MANAGERS, "owner": 201, "admin": 201}, body=lambda w: {"userId": w["extraUserId"]}
    ),
    ("GET", "/v2/teams/{teamId}/memberships"): TeamCase(**MANAGERS),
    ("GET", "/v2/teams/{teamId}/memberships/{membershipId}"): TeamCase(**MANAGERS),
    ("PATCH", "/v2/teams/{teamId}/memberships/{membershipId}"): TeamCase(
        **MANAGERS, body=lambda w: {"role": "ADMIN"}
    ),
    ("DELETE", "/v2/teams/{teamId}/memberships/{membershipId}"): TeamCase(**MANAGERS),
    # The pending member's own membership: only they accept it.
    ("POST", "/v2/teams/{teamId}/memberships/{membershipId}/accept"): TeamCase(
        owner=404, admin=404, member=404, pending=200, stranger=404
    ),
    ("POST", "/v2/teams/{teamId}/invite"): TeamCase(**MANAGERS),
    ("POST", "/v2/teams/invites/{token}/accept"): TeamCase(**ANYONE),
    ("GET", "/v2/teams/{teamId}/schedules"): TeamCase(**MANAGERS),
    # The member's out of office, managed by the team's admins.
    ("GET", "/v2/teams/{teamId}/users/{userId}/ooo"): TeamCase(**MANAGERS),
    ("POST", "/v2/teams/{teamId}/users/{userId}/ooo"): TeamCase(
        **{**MANAGERS, "owner": 201, "admin": 201},
        body=lambda w: {"start": at(TUESDAY, "00:00"), "end": at(TUESDAY, "12:00")},
    ),
    ("PATCH", "/v2/teams/{teamId}/users/{userId}/ooo/{oooId}"): TeamCase(
        **MANAGERS, body=lambda w: {"notes": "x"}
    ),
    ("DELETE", "/v2/teams/{teamId}/users/{userId}/ooo/{oooId}"): TeamCase(**MANAGERS),
    # Team event types (Cal.com's TeamsEventTypesController: writes and reading one event type
    # need TEAM_ADMIN; the list is public, hidden event types for members only).
    ("POST", "/v2/teams/{teamId}/event-types"): TeamCase(
        **{**MANAGERS, "owner": 201, "admin": 201}, body=_team_event_type
    ),
    ("GET", "/v2/teams/{teamId}/event-types"): TeamCase(
        **ANYONE, hidden=(SECRET_TEAM_SLUG,), anonymous=200
    ),
    ("GET", "/v2/teams/{teamId}/event-types/{eventTypeId}"): TeamCase(**MANAGERS),
    ("PATCH", "/v2/teams/{teamId}/event-types/{eventTypeId}"): TeamCase(
        **MANAGERS, body=lambda w: {"title": "X"}
    ),
    ("DELETE", "/v2/teams/{teamId}/event-types/{eventTypeId}"): TeamCase(**MANAGERS),
    ("POST", "/v2/teams/{teamId}/event-types/{eventTypeId}/create-phone-call"): TeamCase(
        **{**MANAGERS, "owner": 501, "admin": 501}, body=lambda w: {}
    ),
    # Their webhooks (TeamsEventTypesWebhooksController: RolesGuard TEAM_MEMBER to read,
    # TEAM_ADMIN to write, then IsTeamEventTypeWebhookGuard: admins and owners only)
    ("POST", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks"): TeamCase(
        **{**MANAGERS, "owner": 201, "admin": 201}, body=_webhook
    ),
    ("GET", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks"): TeamCase(**MANAGERS),
    ("DELETE", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks"): TeamCase(**MANAGERS),
    ("GET", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}"): TeamCase(
        **MANAGERS
    ),
    ("PATCH", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}"): TeamCase(
        **MANAGERS, body=lambda w: {"active": False}
    ),
    ("DELETE", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}"): TeamCase(
        **MANAGERS
    ),
}
"""Every team operation, by role (see :class:`TeamCase`)."""


def _authenticated_operations(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    """``(METHOD, path) → default cal-api-version ('' when none)`` for every operation whose
    security is not empty."""
    found = {}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if not operation.get("security"):
                continue
            version = ""
            for param in operation.get("parameters", []):
                if param["name"].lower() == "cal-api-version":
                    version = param["schema"].get("default", "")
            found[(method.upper(), path)] = version
    return found


async def _world(client: httpx2.AsyncClient, app: Any, alice: Host) -> World:
    """Alice's objects, one of each kind, by the path parameter names that reach them."""
    schedule_id = await give_schedule(app, alice)
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        schedule = await session.get(Schedule, schedule_id)
        assert schedule is not None
        schedule.name = SCHEDULE_NAME
    et = await make_event_type(app, alice, with_schedule=False)
    restricted = await make_event_type(
        app, alice, slug="restricted", with_schedule=False, bookingRequiresAuthentication=True
    )
    seated_et = await make_event_type(
        app,
        alice,
        slug="seated",
        length=60,
        with_schedule=False,
        seats={"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True},
    )
    booking = await booked(client, et, at(MONDAY, "10:00"))
    seat = await booked(client, seated_et, at(MONDAY, "13:00"))
    async with db.write_sessions() as session, session.begin():
        session.add(
            EventType(
                user_id=alice.id,
                slug=SECRET_SLUG,
                title="Hidden",
                length=30,
                hidden=True,
                config={},
            )
        )
        hook = Webhook(user_id=alice.id, subscriber_url=HOOK_URL, triggers=["BOOKING_CREATED"])
        et_hook = Webhook(
            user_id=alice.id,
            event_type_id=et,
            subscriber_url=HOOK_URL + "/et",
            triggers=["BOOKING_CREATED"],
        )
        session.add_all([hook, et_hook])
        await session.flush()
        delivery = WebhookDelivery(webhook_id=hook.id, trigger="BOOKING_CREATED")
        session.add(delivery)
        await session.flush()
        hook_id, et_hook_id, delivery_id = hook.id, et_hook.id, delivery.id
        feed = CalendarCredential(
            user_id=alice.id,
            type="ics-feed_calendar",
            app_id="ics-feed",
            key=json.dumps({"urls": [FEED_URL]}),
        )
        session.add(feed)
        await session.flush()
        session.add(
            SelectedCalendar(
                user_id=alice.id,
                credential_id=feed.id,
                integration="ics-feed_calendar",
                external_id=FEED_URL,
            )
        )
        credential_id = feed.id
    r = await client.post(
        "/v2/me/ooo",
        json={"start": at(MONDAY, "00:00"), "end": at(MONDAY, "23:00"), "notes": OOO_NOTE},
        headers=alice.headers,
    )
    assert r.status_code == 201, r.text
    ooo_id = r.json()["data"]["id"]
    r = await client.post(f"/v2/event-types/{et}/private-links", json={}, headers=alice.headers)
    assert r.status_code == 201, r.text
    link_id = r.json()["data"]["linkId"]
    r = await client.post(
        "/v2/slots/reservations",
        json={"eventTypeId": et, "slotStart": at(TUESDAY, "10:00")},
        headers={"cal-api-version": "2024-09-04"},
    )
    assert r.status_code == 201, r.text
    async with db.read_sessions() as session:
        attendee_id = await session.scalar(
            select(Attendee.id).join(Booking).where(Booking.uid == booking["uid"])
        )
    return {
        "scheduleId": schedule_id,
        "eventTypeId": et,
        "restrictedId": restricted,
        "bookingUid": booking["uid"],
        "attendeeId": attendee_id,
        "seatUid": seat["seatUid"],
        "webhookId": hook_id,
        "deliveryId": delivery_id,
        "etWebhookId": et_hook_id,
        "oooId": ooo_id,
        "linkId": link_id,
        "uid": r.json()["data"]["reservationUid"],
        "credentialId": credential_id,
        "userId": alice.id,
        "calendar": "apple",
        "eventUid": "alice-google-event",
    }


def _url(path: str, w: World) -> str:
    if path.startswith("/v2/teams/{teamId}/event-types/{eventTypeId}"):
        path = path.replace("{eventTypeId}", str(w["teamEventTypeId"]))
        path = path.replace("{webhookId}", str(w["teamWebhookId"]))
    if path.startswith("/v2/event-types/{eventTypeId}/webhooks/"):
        path = path.replace("{webhookId}", str(w["etWebhookId"]))
    for name, value in w.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"no value for a parameter of {path}"
    return path


async def _call(
    client: httpx2.AsyncClient,
    method: str,
    path: str,
    case: Case,
    w: World,
    version: str,
    key: str | None,
) -> httpx2.Response:
    headers = {"cal-api-version": version} if version else {}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    body = case.body(w) if case.body is not None else None
    return await client.request(
        method,
        _url(path, w),
        headers=headers,
        params=case.query,
        **({"json": body} if body is not None else {}),
    )


def _operations() -> dict[tuple[str, str], str]:
    from slotwise.app import create_app

    return _authenticated_operations(create_app().openapi())


def test_every_authenticated_operation_has_a_case() -> None:
    operations = _operations()
    cases = set(CASES) | set(TEAM_CASES)
    assert not set(CASES) & set(TEAM_CASES), "an operation is in CASES and TEAM_CASES"
    missing = sorted(set(operations) - cases)
    gone = sorted(cases - set(operations))
    assert not missing, f"operations with security but no authorization case: {missing}"
    assert not gone, f"authorization cases for operations that no longer exist: {gone}"


VERSIONS = _operations()


@pytest.mark.parametrize(("method", "path"), sorted(CASES), ids=lambda v: str(v))
async def test_authorization(
    client: httpx2.AsyncClient, app: Any, host: Host, method: str, path: str
) -> None:
    case = CASES[(method, path)]
    version = VERSIONS.get((method, path), "")
    w = await _world(client, app, host)
    stranger = await make_host(app, "mallory")

    r = await _call(client, method, path, case, w, version, "cal_live_" + "0" * 48)
    assert r.status_code == 401, f"bad key: {r.status_code} {r.text}"

    if case.stranger is not None:
        r = await _call(client, method, path, case, w, version, stranger.api_key)
        assert r.status_code == case.stranger, f"stranger: {r.status_code} {r.text}"
        for marker in case.hidden:
            assert str(w.get(marker, marker)) not in r.text, f"stranger sees {marker}"
    if case.anonymous is not None:
        w = await _world(client, app, await make_host(app, "alice2"))
        r = await _call(client, method, path, case, w, version, None)
        assert r.status_code == case.anonymous, f"anonymous: {r.status_code} {r.text}"


async def _team_world(client: httpx2.AsyncClient, app: Any) -> tuple[World, Any]:
    """A team with one user of each role, an invitation token, an out-of-office entry of the
    member (``userId``, ``oooId``) and a user outside the team (``extraUserId``)."""
    w = await make_team_with_roles(client, app)
    r = await client.post(f"/v2/teams/{w.team_id}/invite", headers=w.owner.headers)
    assert r.status_code == 200, r.text
    token = r.json()["data"]["token"]
    extra = await make_user(app, "extra")
    r = await client.post(
        f"/v2/teams/{w.team_id}/users/{w.member.id}/ooo",
        json={"start": at(MONDAY, "00:00"), "end": at(MONDAY, "12:00")},
        headers=w.owner.headers,
    )
    assert r.status_code == 201, r.text
    ooo_id = r.json()["data"]["id"]
    base = f"/v2/teams/{w.team_id}/event-types"
    owner = w.owner.headers
    body = {"title": "Demo", "slug": "demo", "lengthInMinutes": 30, "schedulingType": "collective"}
    team_et = await client.post(base, json={**body, "assignAllTeamMembers": True}, headers=owner)
    assert team_et.status_code == 201, team_et.text
    hidden = {**body, "slug": SECRET_TEAM_SLUG, "hidden": True}
    assert (await client.post(base, json=hidden, headers=owner)).status_code == 201
    et_id = team_et.json()["data"]["id"]
    hook = {**_webhook({}), "subscriberUrl": HOOK_URL + "/team"}
    team_hook = await client.post(f"{base}/{et_id}/webhooks", json=hook, headers=owner)
    assert team_hook.status_code == 201, team_hook.text
    world = {
        "teamEventTypeId": et_id,
        "teamWebhookId": team_hook.json()["data"]["id"],
        "userId": w.member.id,
        "oooId": ooo_id,
        "teamId": w.team_id,
        "membershipId": w.memberships["pending"],
        "token": token,
        "extraUserId": extra.id,
    }
    return world, w


TEAM_ROLES = ("owner", "admin", "member", "pending", "stranger")


@pytest.mark.parametrize(("method", "path"), sorted(TEAM_CASES), ids=lambda v: str(v))
async def test_team_authorization(
    client: httpx2.AsyncClient, app: Any, method: str, path: str
) -> None:
    team_case = TEAM_CASES[(method, path)]
    case = Case(None, None, body=team_case.body, query=team_case.query)
    w, team = await _team_world(client, app)
    for role in TEAM_ROLES:
        r = await _call(client, method, path, case, w, "", team.by_role(role).api_key)
        assert r.status_code == team_case.expected(role), f"{role}: {r.status_code} {r.text}"
        public = team_case.anonymous != 401  # a public answer may name the team
        if role == "stranger" and r.status_code < 300 and method == "GET" and not public:
            assert TEAM_SLUG not in r.text, f"{role} sees the team"
        if role in ("stranger", "pending"):
            for marker in team_case.hidden:
                assert marker not in r.text, f"{role} sees {marker}"
        if r.status_code < 300 and method != "GET":  # it changed something: start afresh
            await _truncate_between(app)
            w, team = await _team_world(client, app)
    r = await _call(client, method, path, case, w, "", None)
    assert r.status_code == team_case.anonymous, f"anonymous: {r.status_code} {r.text}"
    r = await _call(client, method, path, case, w, "", "cal_live_" + "0" * 48)
    assert r.status_code == 401, f"bad key: {r.status_code} {r.text}"


async def _truncate_between(app: Any) -> None:
    """Empty every table, so each role's call sees a fresh team world."""
    from tests.conftest import _truncate

    await _truncate(app.state.db)
