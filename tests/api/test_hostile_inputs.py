# ruff: noqa: E501  (the case tables read best one case per line)
"""Hostile inputs found by fuzzing: each is answered 400 in Cal.com's error envelope naming the
field (404 for a well-formed id that does not exist), never a 5xx, nothing is stored, and the
answer is the same on SQLite and PostgreSQL. The limits are listed in docs/compatibility.md
("Input limits").

Path ids and query integers are enumerated from the app's routes, so a new route with an id
is covered (and :func:`test_every_integer_parameter_is_bounded` fails when one is unbounded).
Bodies are a table of (operation, field, value) cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import quote

import httpx2
import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy import select

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.kit.schemas import INT32_MAX
from slotwise.models import Base
from tests.api.booking_fixtures import MONDAY, at, booked, make_event_type
from tests.api.teams_fixtures import create_team_event_type
from tests.conftest import Host

HUGE = 2**63  # overflows SQLite's 64-bit INTEGER
BIG = 2**31  # one above the largest 32-bit id
NUL = "a\x00b"
VERSIONS = {
    "bookings": "2024-08-13",
    "event-types": "2024-06-14",
    "schedules": "2024-06-11",
    "slots": "2024-09-04",
}
CODES = {400: "BadRequestException", 403: "ForbiddenException", 404: "NotFoundException"}
HOOK_URL = "https://hooks.example.com/cal"


# --- the world every case runs against -----------------------------------------------------


@dataclass
class World:
    """Objects of the host ``alice`` that path placeholders refer to."""

    host: Host
    et: int
    sched: int
    uid: str
    attendee: int
    webhook: int
    et_webhook: int
    ooo: int
    link: str
    reservation: str
    team: int
    membership: int
    token: str
    team_et: int
    team_webhook: int

    def fill(self, template: str) -> str:
        """``template`` with ``{et}``, ``{uid}``, … replaced by this world's objects."""
        return template.format(
            et=self.et,
            sched=self.sched,
            uid=self.uid,
            attendee=self.attendee,
            webhook=self.webhook,
            et_webhook=self.et_webhook,
            ooo=self.ooo,
            link=self.link,
            reservation=self.reservation,
            team=self.team,
            membership=self.membership,
            token=self.token,
            user=self.host.id,
            team_et=self.team_et,
            team_webhook=self.team_webhook,
        )


def headers(host: Host, version: str | None) -> dict[str, str]:
    """Auth headers plus ``cal-api-version`` when given."""
    out = dict(host.headers)
    if version:
        out["cal-api-version"] = version
    return out


async def ok_json(r: httpx2.Response) -> Any:
    """The ``data`` of a 2xx answer."""
    assert r.status_code < 300, r.text
    return r.json()["data"]


@pytest.fixture
async def world(app: Any, client: httpx2.AsyncClient, host: Host) -> World:
    """A schedule (default), an event type, a booking, user and event-type webhooks, an
    out-of-office entry, a private link and a slot reservation of ``alice``."""
    sched = await ok_json(
        await client.post(
            "/v2/schedules",
            json={"name": "Work", "timeZone": "UTC", "isDefault": True},
            headers=headers(host, VERSIONS["schedules"]),
        )
    )
    et = await make_event_type(app, host, with_schedule=False)
    uid = (await booked(client, et, at(MONDAY, "10:00")))["uid"]
    bv = headers(host, VERSIONS["bookings"])
    attendees = await ok_json(await client.get(f"/v2/bookings/{uid}/attendees", headers=bv))
    hook = {"subscriberUrl": HOOK_URL, "triggers": ["BOOKING_CREATED"], "active": True}
    webhook = await ok_json(await client.post("/v2/webhooks", json=hook, headers=host.headers))
    et_webhook = await ok_json(
        await client.post(f"/v2/event-types/{et}/webhooks", json=hook, headers=host.headers)
    )
    ooo = await ok_json(
        await client.post(
            "/v2/me/ooo",
            json={"start": "2051-01-02T00:00:00Z", "end": "2051-01-03T00:00:00Z"},
            headers=host.headers,
        )
    )
    link = await ok_json(
        await client.post(f"/v2/event-types/{et}/private-links", json={}, headers=host.headers)
    )
    reservation = await ok_json(
        await client.post(
            "/v2/slots/reservations",
            json={"eventTypeId": et, "slotStart": at(MONDAY, "15:00")},
            headers={"cal-api-version": VERSIONS["slots"]},
        )
    )
    team = await ok_json(
        await client.post("/v2/teams", json={"name": "Team", "slug": "team"}, headers=host.headers)
    )
    memberships = await ok_json(
        await client.get(f"/v2/teams/{team['id']}/memberships", headers=host.headers)
    )
    invite = await ok_json(
        await client.post(f"/v2/teams/{team['id']}/invite", headers=host.headers)
    )
    team_et = await create_team_event_type(client, host, team["id"], hosts=[{"userId": host.id}])
    team_webhook = await ok_json(
        await client.post(
            f"/v2/teams/{team['id']}/event-types/{team_et['id']}/webhooks",
            json=hook,
            headers=host.headers,
        )
    )
    return World(
        team_webhook=team_webhook["id"],
        team_et=team_et["id"],
        host=host,
        team=team["id"],
        membership=memberships[0]["id"],
        token=invite["token"],
        et=et,
        sched=sched["id"],
        uid=uid,
        attendee=attendees[0]["id"],
        webhook=webhook["id"],
        et_webhook=et_webhook["id"],
        ooo=ooo["id"],
        link=link["linkId"],
        reservation=reservation["reservationUid"],
    )


async def db_state(app: Any) -> dict[str, list[str]]:
    """Every row of every table, as sorted reprs (to show that nothing was written)."""
    out: dict[str, list[str]] = {}
    async with app.state.db.read_sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            out[table.name] = sorted(repr(tuple(row)) for row in rows)
    return out


async def refused(
    client: httpx2.AsyncClient,
    app: Any,
    method: str,
    url: str,
    *,
    field: str,
    hdrs: dict[str, str],
    json: Any = None,
    params: dict[str, Any] | None = None,
    status: int = 400,
) -> None:
    """Send the request; assert ``status`` with Cal.com's error envelope naming ``field`` and
    that no row of any table changed."""
    before = await db_state(app)
    kwargs: dict[str, Any] = {"headers": hdrs, "params": params}
    if json is not None:
        kwargs["json"] = json
    r = await client.request(method, url, **kwargs)
    assert r.status_code == status, f"{method} {url} {params or ''} {json!r:.300}: {r.text}"
    body = r.json()
    assert body["status"] == "error", body
    assert body["error"]["code"] == CODES[status], body
    assert isinstance(body["timestamp"], str) and body["path"].startswith("/v2/"), body
    if status == 400:
        assert field in body["error"]["message"], (field, body)
    assert await db_state(app) == before, f"{method} {url} changed the database"


# --- routes, enumerated from the app -------------------------------------------------------


def _api_routes(routes: Any) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)
        elif getattr(route, "routes", None):
            yield from _api_routes(route.routes)


def _routes() -> list[APIRoute]:
    app = create_app(Settings(database_url="sqlite:///:memory:"))
    return [r for r in _api_routes(app.routes) if r.path.startswith("/v2/")]


ROUTES = _routes()


def _version(route: APIRoute) -> str | None:
    versions = getattr(route, "api_versions", None)
    if not versions or getattr(route, "is_legacy", False):
        return None
    return sorted(versions)[-1]


def _int_bounds(annotation: Any, metadata: list[Any]) -> tuple[int, int] | None:
    """``(ge, le)`` of an integer parameter (None when it is not an integer); an unbounded side
    is ±2^70."""
    found: list[Any] = list(metadata)
    stack = [annotation]
    is_int = False
    while stack:
        item = stack.pop()
        if item is int:
            is_int = True
        found.extend(getattr(item, "__metadata__", ()))
        stack.extend(get_args(item))
    if not is_int:
        return None
    lo, hi = -(2**70), 2**70
    for meta in found:
        if isinstance(getattr(meta, "ge", None), int):
            lo = meta.ge
        if isinstance(getattr(meta, "le", None), int):
            hi = meta.le
    return lo, hi


def _params(kind: str) -> list[tuple[APIRoute, str, str, tuple[int, int] | None]]:
    """``(route, method, name, int bounds or None)`` of every path/query parameter; query
    models (GET /v2/bookings) are expanded into their fields."""
    out = []
    for route in ROUTES:
        method = sorted(route.methods)[0]
        fields = route.dependant.path_params if kind == "path" else route.dependant.query_params
        for param in fields:
            annotation = param.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                for name, info in annotation.model_fields.items():
                    out.append((route, method, name, _int_bounds(info.annotation, info.metadata)))
                continue
            bounds = _int_bounds(annotation, list(param.field_info.metadata))
            out.append((route, method, param.name, bounds))
    return out


PATH_PARAMS = _params("path")
QUERY_PARAMS = _params("query")
PLACEHOLDER = {
    "eventTypeId": "{et}",
    "scheduleId": "{sched}",
    "bookingUid": "{uid}",
    "seatUid": "no-such-seat",
    "attendeeId": "{attendee}",
    "webhookId": "{webhook}",
    "deliveryId": "1",
    "oooId": "{ooo}",
    "linkId": "{link}",
    "uid": "{reservation}",
    "teamId": "{team}",
    "membershipId": "{membership}",
    "token": "{token}",
    "userId": "{user}",
    "calendar": "google",
    "eventUid": "evt1",
}
# Query parameters every request of a route needs (the one under test is replaced).
BASE_QUERY = {
    ("/v2/slots", "2024-09-04"): {"start": MONDAY, "end": MONDAY},
    ("/v2/slots", None): {"startTime": MONDAY, "endTime": MONDAY},
    ("/v2/slots/available", None): {"startTime": MONDAY, "endTime": MONDAY},
    ("/v2/calendars/busy-times", None): {"credentialId": "1", "externalId": "x"},
    ("/v2/selected-calendars", None): {"integration": "x", "externalId": "y", "credentialId": "1"},
}


def _url(route: APIRoute, world: World, name: str, value: str) -> str:
    path = route.path
    for param in route.dependant.path_params:
        if param.name == name:
            path = path.replace("{" + name + "}", value)
        else:
            path = path.replace("{" + param.name + "}", world.fill(PLACEHOLDER[param.name]))
    if route.path.startswith("/v2/event-types/{eventTypeId}/webhooks/"):
        path = path.replace(f"/webhooks/{world.webhook}", f"/webhooks/{world.et_webhook}")
    if route.path.startswith("/v2/teams/{teamId}/event-types/{eventTypeId}"):
        path = path.replace(f"/event-types/{world.et}", f"/event-types/{world.team_et}")
        path = path.replace(f"/webhooks/{world.webhook}", f"/webhooks/{world.team_webhook}")
    return path


def _ident(item: tuple[APIRoute, str, str, Any]) -> str:
    route, method, name, _ = item
    version = _version(route) or "any"
    return f"{method} {route.path} [{version}] {name}"


# Listings Cal.com answers with an empty list for an id that does not exist.
EMPTY_FOR_MISSING = {"/v2/teams/{teamId}/event-types"}
INT_PATH = [p for p in PATH_PARAMS if p[3] is not None]
STR_PATH = [p for p in PATH_PARAMS if p[3] is None]
INT_QUERY = [p for p in QUERY_PARAMS if p[3] is not None]
BAD_INTS = [str(HUGE), str(BIG), "1e30", "0", "-1", "1.5", "true"]


def test_the_enumeration_found_the_routes() -> None:
    """A guard for the enumeration itself: the id routes we know of are all there."""
    names = {(r.path, n) for r, _, n, _ in INT_PATH}
    assert ("/v2/event-types/{eventTypeId}", "eventTypeId") in names
    assert ("/v2/schedules/{scheduleId}", "scheduleId") in names
    assert ("/v2/me/ooo/{oooId}", "oooId") in names
    assert ("/v2/bookings/{bookingUid}/attendees/{attendeeId}", "attendeeId") in names
    assert ("/v2/event-types/{eventTypeId}/private-links/{linkId}", "eventTypeId") in names
    assert len(INT_PATH) >= 19 and len(STR_PATH) >= 20
    assert {n for _, _, n, _ in INT_QUERY} >= {"take", "skip", "eventTypeId", "duration"}


@pytest.mark.parametrize("item", PATH_PARAMS + QUERY_PARAMS, ids=_ident)
def test_every_integer_parameter_is_bounded(item: tuple[APIRoute, str, str, Any]) -> None:
    """Every integer path or query parameter of /v2 is bounded to 32 bits (new routes too)."""
    bounds = item[3]
    if bounds is not None:
        assert bounds[0] >= 0 and bounds[1] <= INT32_MAX, (_ident(item), bounds)


@pytest.mark.parametrize("item", INT_PATH, ids=_ident)
async def test_integer_path_ids(
    client: httpx2.AsyncClient, app: Any, world: World, item: tuple[APIRoute, str, str, Any]
) -> None:
    """Ids ≥ 2^63, ≥ 2^31, 1e30, 0, negative, fractional or boolean are a 400 naming the id;
    the largest id, well formed but missing, is a 404 (a missing team or team member: Cal.com's guards' 403)."""
    route, method, name, _ = item
    hdrs = headers(world.host, _version(route))
    body: Any = {} if method in ("POST", "PATCH") else None
    for value in BAD_INTS:
        url = _url(route, world, name, value)
        await refused(client, app, method, url, field=name, hdrs=hdrs, json=body)
    if method in ("GET", "DELETE") and route.path not in EMPTY_FOR_MISSING:
        url = _url(route, world, name, str(INT32_MAX))
        # Cal.com's RolesGuard (a missing team) and IsUserInTeam (a missing member) answer 403.
        status = 403 if name in ("teamId", "userId") else 404
        await refused(client, app, method, url, field=name, hdrs=hdrs, status=status)


@pytest.mark.parametrize("item", STR_PATH, ids=_ident)
async def test_text_path_parameters_refuse_nul(
    client: httpx2.AsyncClient, app: Any, world: World, item: tuple[APIRoute, str, str, Any]
) -> None:
    """A NUL character in a text path parameter is a 400 (PostgreSQL cannot even compare such
    a string; SQLite could: the answer must not depend on the database). Any path with a NUL is
    refused before routing, with a message naming the NUL character."""
    route, method, name, _ = item
    hdrs = headers(world.host, _version(route))
    body: Any = {} if method in ("POST", "PATCH") else None
    url = _url(route, world, name, quote(NUL))
    await refused(client, app, method, url, field="NUL character", hdrs=hdrs, json=body)


@pytest.mark.parametrize("item", INT_QUERY, ids=_ident)
async def test_integer_query_parameters(
    client: httpx2.AsyncClient, app: Any, world: World, item: tuple[APIRoute, str, str, Any]
) -> None:
    """Integer query parameters (skip, take, ids, durations) out of range or not integers are
    a 400 naming the parameter."""
    route, method, name, bounds = item
    hdrs = headers(world.host, _version(route))
    base = BASE_QUERY.get((route.path, _version(route)), {})
    url = _url(route, world, "", "")
    for value in [*BAD_INTS, str(bounds[1] + 1)]:
        if value == "0" and bounds[0] == 0:
            continue
        await refused(client, app, method, url, field=name, hdrs=hdrs, params={**base, name: value})


@pytest.mark.parametrize(
    ("url", "version", "params"),
    [
        ("/v2/bookings", "bookings", {"take": "30.0", "skip": "2.0"}),
        ("/v2/bookings", "2026-05-01", {"take": "30.0"}),
        ("/v2/me/ooo", None, {"take": "30.0", "skip": "0.0"}),
        ("/v2/webhooks", None, {"take": "30.0", "skip": "1.0"}),
        ("/v2/event-types/{et}/webhooks", None, {"take": "30.0"}),
    ],
)
async def test_integral_floats_accepted_in_queries(
    client: httpx2.AsyncClient, world: World, url: str, version: str | None, params: Any
) -> None:
    """``take=30.0`` reads as 30 (SDKs format every number as a float)."""
    hdrs = headers(world.host, VERSIONS.get(version or "", version))
    r = await client.get(world.fill(url), params=params, headers=hdrs)
    assert r.status_code == 200, r.text


# --- query values other than path ids ------------------------------------------------------

# fmt: off
QUERY_CASES = [
    # (id, version, url, params, field)
    ("before-end-year-0", "bookings", "/v2/bookings", {"beforeEnd": "0001-01-01T01:00:00+01:01"}, "beforeEnd"),
    ("after-start-year-10000", "bookings", "/v2/bookings", {"afterStart": "9999-12-31T23:59:59-05:00"}, "afterStart"),
    ("after-created-year-1", "bookings", "/v2/bookings", {"afterCreatedAt": "0001-01-01T00:00:00Z"}, "afterCreatedAt"),
    ("cursor-before-end-year-0", "2026-05-01", "/v2/bookings", {"beforeEnd": "0001-01-01T01:00:00+01:01"}, "beforeEnd"),
    ("event-type-ids-huge", "bookings", "/v2/bookings", {"eventTypeIds": f"1,{HUGE}"}, "eventTypeIds"),
    ("event-type-id-big", "bookings", "/v2/bookings", {"eventTypeId": str(BIG)}, "eventTypeId"),
    ("cursor-event-type-ids-huge", "2026-05-01", "/v2/bookings", {"eventTypeIds": str(HUGE)}, "eventTypeIds"),
    ("attendee-name-nul", "bookings", "/v2/bookings", {"attendeeName": NUL}, "attendeeName"),
    ("attendee-email-nul", "2026-05-01", "/v2/bookings", {"attendeeEmail": NUL}, "attendeeEmail"),
    ("booking-uid-nul", "bookings", "/v2/bookings", {"bookingUid": NUL}, "bookingUid"),
    ("attendee-name-too-long", "bookings", "/v2/bookings", {"attendeeName": "x" * 2001}, "attendeeName"),
    ("event-types-username-nul", "event-types", "/v2/event-types", {"username": NUL}, "username"),
    ("event-types-slug-nul", "event-types", "/v2/event-types", {"username": "alice", "eventSlug": NUL}, "eventSlug"),
    ("event-types-usernames-nul", "event-types", "/v2/event-types", {"usernames": f"alice,{NUL}"}, "usernames"),
    ("slots-start-year-1", "slots", "/v2/slots", {"start": "0001-01-01", "end": MONDAY, "eventTypeId": "{et}"}, "start"),
    ("slots-username-nul", "slots", "/v2/slots", {"start": MONDAY, "end": MONDAY, "username": NUL, "eventTypeSlug": "intro"}, "username"),
]
# fmt: on


@pytest.mark.parametrize(
    ("version", "url", "params", "field"),
    [c[1:] for c in QUERY_CASES],
    ids=[c[0] for c in QUERY_CASES],
)
async def test_query_values(
    client: httpx2.AsyncClient,
    app: Any,
    world: World,
    version: str,
    url: str,
    params: dict[str, str],
    field: str,
) -> None:
    """Instants outside years 1900–9000 (local or UTC), id lists beyond 32 bits, NUL
    characters and over-long strings in query parameters are a 400 naming the parameter."""
    hdrs = headers(world.host, VERSIONS.get(version, version))
    filled = {k: world.fill(v) if "{" in v else v for k, v in params.items()}
    await refused(client, app, "GET", url, field=field, hdrs=hdrs, params=filled)


# --- bodies --------------------------------------------------------------------------------

ET_BASE = {"title": "New", "slug": "new-one", "lengthInMinutes": 30}
BOOKING_BASE = {
    "start": at(MONDAY, "11:00"),
    "eventTypeId": "{et}",
    "attendee": {"name": "Bob", "email": "bob@example.com", "timeZone": "Europe/Rome"},
}
OOO_BASE = {"start": "2052-01-02T00:00:00Z", "end": "2052-01-03T00:00:00Z"}
HOOK_BASE = {"subscriberUrl": HOOK_URL + "/2", "triggers": ["BOOKING_CREATED"], "active": True}
RESERVE_BASE = {"eventTypeId": "{et}", "slotStart": at(MONDAY, "13:00")}
SEATS = {"showAttendeeInfo": False, "showAvailabilityCount": True}
RECURRENCE = {"frequency": "weekly", "interval": 1}


def deep(levels: int) -> Any:
    """A JSON value nested ``levels`` deep."""
    value: Any = "x"
    for _ in range(levels):
        value = {"k": value}
    return value


@dataclass(frozen=True)
class Case:
    """One hostile body: ``body`` is the base body with ``change`` merged in."""

    id: str
    method: str
    url: str
    version: str | None
    base: dict[str, Any]
    change: dict[str, Any]
    field: str
    anonymous: bool = False

    def body(self, world: World) -> dict[str, Any]:
        """The body, with ``"{et}"``-style placeholders filled from ``world``."""
        return _fill({**self.base, **self.change}, world)


def _fill(value: Any, world: World) -> Any:
    if isinstance(value, str) and value in ("{et}", "{sched}", "{ooo}", "{attendee}"):
        return int(world.fill(value))
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


def et(cid: str, change: dict[str, Any], field: str) -> Case:
    return Case(f"create-event-type-{cid}", "POST", "/v2/event-types", "event-types", ET_BASE, change, field)  # fmt: skip


def et_patch(cid: str, change: dict[str, Any], field: str) -> Case:
    return Case(f"update-event-type-{cid}", "PATCH", "/v2/event-types/{et}", "event-types", {}, change, field)  # fmt: skip


TEAM_ET_BASE = {**ET_BASE, "schedulingType": "roundRobin"}


def team_et(cid: str, change: dict[str, Any], field: str) -> Case:
    return Case(f"create-team-event-type-{cid}", "POST", "/v2/teams/{team}/event-types", None, TEAM_ET_BASE, change, field)  # fmt: skip


def team_et_patch(cid: str, change: dict[str, Any], field: str) -> Case:
    return Case(f"update-team-event-type-{cid}", "PATCH", "/v2/teams/{team}/event-types/{team_et}", None, {}, change, field)  # fmt: skip


def bk(cid: str, change: dict[str, Any], field: str) -> Case:
    return Case(f"create-booking-{cid}", "POST", "/v2/bookings", "bookings", BOOKING_BASE, change, field, anonymous=True)  # fmt: skip


def me(cid: str, change: dict[str, Any], field: str) -> Case:
    return Case(f"update-me-{cid}", "PATCH", "/v2/me", None, {}, change, field)


# fmt: off
BODY_CASES: list[Case] = [
    # event types: integers
    et("length-huge", {"lengthInMinutes": HUGE}, "lengthInMinutes"),
    et("length-2^31", {"lengthInMinutes": BIG}, "lengthInMinutes"),
    et("length-1e30", {"lengthInMinutes": 1e+30}, "lengthInMinutes"),
    et("length-over-a-day", {"lengthInMinutes": 1441}, "lengthInMinutes"),
    et("length-zero", {"lengthInMinutes": 0}, "lengthInMinutes"),
    et("length-negative", {"lengthInMinutes": -30}, "lengthInMinutes"),
    et("length-fraction", {"lengthInMinutes": 30.5}, "lengthInMinutes"),
    et("length-boolean", {"lengthInMinutes": True}, "lengthInMinutes"),
    et("length-string", {"lengthInMinutes": "30"}, "lengthInMinutes"),
    et("length-true-string", {"lengthInMinutes": "true"}, "lengthInMinutes"),
    et("length-null", {"lengthInMinutes": None}, "lengthInMinutes"),
    et("length-options-huge", {"lengthInMinutesOptions": [30, HUGE]}, "lengthInMinutesOptions"),
    et("slot-interval-2^31", {"slotInterval": BIG}, "slotInterval"),
    et("notice-10^12", {"minimumBookingNotice": 10**12}, "minimumBookingNotice"),
    et("notice-over-a-year", {"minimumBookingNotice": 525601}, "minimumBookingNotice"),
    et("notice-negative", {"minimumBookingNotice": -1}, "minimumBookingNotice"),
    et("buffer-huge", {"beforeEventBuffer": HUGE}, "beforeEventBuffer"),
    et("offset-2^31", {"offsetStart": BIG}, "offsetStart"),
    et("schedule-id-huge", {"scheduleId": HUGE}, "scheduleId"),
    et("schedule-id-2^31", {"scheduleId": BIG}, "scheduleId"),
    et("seats-10^12", {"seats": {"seatsPerTimeSlot": 10**12, **SEATS}}, "seatsPerTimeSlot"),
    et("seats-1001", {"seats": {"seatsPerTimeSlot": 1001, **SEATS}}, "seatsPerTimeSlot"),
    et("window-10^12-days", {"bookingWindow": {"type": "calendarDays", "value": 10**12}}, "bookingWindow"),
    et("window-3651-days", {"bookingWindow": {"type": "businessDays", "value": 3651}}, "bookingWindow"),
    et("window-fraction", {"bookingWindow": {"type": "calendarDays", "value": 30.5}}, "bookingWindow"),
    et("occurrences-10^6", {"recurrence": {**RECURRENCE, "occurrences": 10**6}}, "occurrences"),
    et("occurrences-33", {"recurrence": {**RECURRENCE, "occurrences": 33}}, "occurrences"),
    et("interval-10^6", {"recurrence": {**RECURRENCE, "interval": 10**6, "occurrences": 2}}, "interval"),
    et("limit-count-1e30", {"bookingLimitsCount": {"day": 1e+30}}, "bookingLimitsCount.day"),
    et("limit-count-10001", {"bookingLimitsCount": {"week": 10001}}, "bookingLimitsCount.week"),
    et("limit-minutes-10^12", {"bookingLimitsDuration": {"day": 10**12}}, "bookingLimitsDuration.day"),
    et("active-bookings-10^12", {"bookerActiveBookingsLimit": {"maximumActiveBookings": 10**12}}, "maximumActiveBookings"),
    et("threshold-huge", {"confirmationPolicy": {"type": "time", "blockUnconfirmedBookingsInBooker": False, "noticeThreshold": {"unit": "minutes", "count": HUGE}}}, "count"),
    et("minutes-before-huge", {"disableRescheduling": {"minutesBefore": HUGE}}, "minutesBefore"),
    # event types: text
    et("title-nul", {"title": NUL}, "title"),
    et("slug-nul", {"slug": NUL}, "slug"),
    et("description-nul", {"description": NUL}, "description"),
    et("field-label-nul", {"bookingFields": [{"type": "text", "slug": "q", "label": NUL}]}, "bookingFields.0.label"),
    et("address-nul", {"locations": [{"type": "address", "address": NUL}]}, "locations.0.address"),
    et("title-too-long", {"title": "x" * 501}, "title"),
    et("description-too-long", {"description": "x" * 10001}, "description"),
    et("custom-name-too-long", {"customName": "x" * 1001}, "customName"),
    et("field-label-too-long", {"bookingFields": [{"type": "text", "slug": "q", "label": "x" * 1001}]}, "label"),
    et("field-options-too-many", {"bookingFields": [{"type": "select", "slug": "q", "label": "Q", "options": [str(i) for i in range(101)]}]}, "options"),
    et("redirect-url-too-long", {"successRedirectUrl": "https://x.example/" + "a" * 2000}, "successRedirectUrl"),
    et_patch("length-huge", {"lengthInMinutes": HUGE}, "lengthInMinutes"),
    et_patch("length-null", {"lengthInMinutes": None}, "lengthInMinutes"),
    et_patch("title-null", {"title": None}, "title"),
    et_patch("slug-null", {"slug": None}, "slug"),
    et_patch("length-fraction", {"lengthInMinutes": 45.5}, "lengthInMinutes"),
    et_patch("length-boolean", {"lengthInMinutes": False}, "lengthInMinutes"),
    et_patch("seats-10^12", {"seats": {"seatsPerTimeSlot": 10**12, **SEATS}}, "seatsPerTimeSlot"),
    et_patch("notice-10^12", {"minimumBookingNotice": 10**12}, "minimumBookingNotice"),
    et_patch("description-nul", {"description": NUL}, "description"),
    et_patch("title-too-long", {"title": "x" * 501}, "title"),
    # team event types: the personal fields are the same types; the team's own fields
    team_et("length-huge", {"lengthInMinutes": HUGE}, "lengthInMinutes"),
    team_et("title-nul", {"title": NUL}, "title"),
    team_et("scheduling-type-nul", {"schedulingType": NUL}, "schedulingType"),
    team_et("scheduling-type-missing", {"schedulingType": None}, "schedulingType"),
    team_et("host-user-huge", {"hosts": [{"userId": HUGE}]}, "userId"),
    team_et("host-user-2^31", {"hosts": [{"userId": BIG}]}, "userId"),
    team_et("host-user-boolean", {"hosts": [{"userId": True}]}, "userId"),
    team_et("host-user-fraction", {"hosts": [{"userId": 1.5}]}, "userId"),
    team_et("host-priority-unknown", {"hosts": [{"userId": 1, "priority": "urgent"}]}, "priority"),
    team_et("host-weight-huge", {"hosts": [{"userId": 1, "weight": HUGE}]}, "weight"),
    team_et("host-weight-negative", {"hosts": [{"userId": 1, "weight": -1}]}, "weight"),
    team_et("host-schedule-huge", {"hosts": [{"userId": 1, "scheduleId": HUGE}]}, "scheduleId"),
    team_et("hosts-too-many", {"hosts": [{"userId": i} for i in range(1, 502)]}, "hosts"),
    team_et("unlocked-unknown", {"schedulingType": "managed", "managedEventConfig": {"unlockedFields": {"owner": True}}}, "unlockedFields"),
    team_et_patch("length-null", {"lengthInMinutes": None}, "lengthInMinutes"),
    team_et_patch("scheduling-type-null", {"schedulingType": None}, "schedulingType"),
    team_et_patch("host-user-huge", {"hosts": [{"userId": HUGE}]}, "userId"),
    team_et_patch("description-nul", {"description": NUL}, "description"),
    Case("create-team-webhook-template-too-long", "POST", "/v2/teams/{team}/event-types/{team_et}/webhooks", None, HOOK_BASE, {"payloadTemplate": "x" * 65537}, "payloadTemplate"),
    Case("create-team-webhook-url-nul", "POST", "/v2/teams/{team}/event-types/{team_et}/webhooks", None, HOOK_BASE, {"subscriberUrl": HOOK_URL + NUL}, "subscriberUrl"),
    Case("update-team-webhook-active-null", "PATCH", "/v2/teams/{team}/event-types/{team_et}/webhooks/{team_webhook}", None, {}, {"active": None}, "active"),
    # schedules
    Case("create-schedule-name-nul", "POST", "/v2/schedules", "schedules", {"timeZone": "UTC", "isDefault": False}, {"name": NUL}, "name"),
    Case("create-schedule-name-too-long", "POST", "/v2/schedules", "schedules", {"timeZone": "UTC", "isDefault": False}, {"name": "x" * 201}, "name"),
    Case("create-schedule-override-year-1", "POST", "/v2/schedules", "schedules", {"name": "S", "timeZone": "UTC", "isDefault": False}, {"overrides": [{"date": "0001-01-01", "startTime": "09:00", "endTime": "10:00"}]}, "date"),
    Case("update-schedule-name-null", "PATCH", "/v2/schedules/{sched}", "schedules", {}, {"name": None}, "name"),
    Case("update-schedule-zone-null", "PATCH", "/v2/schedules/{sched}", "schedules", {}, {"timeZone": None}, "timeZone"),
    Case("update-schedule-default-null", "PATCH", "/v2/schedules/{sched}", "schedules", {}, {"isDefault": None}, "isDefault"),
    Case("update-schedule-name-nul", "PATCH", "/v2/schedules/{sched}", "schedules", {}, {"name": NUL}, "name"),
    # bookings
    bk("start-year-1", {"start": "0001-01-01T00:00:00.000Z"}, "start"),
    bk("start-year-1-offset", {"start": "0001-01-01T00:30:00+01:00"}, "start"),
    bk("start-year-9999", {"start": "9999-12-31T23:59:59.000Z"}, "start"),
    bk("start-utc-year-10000", {"start": "9999-12-31T23:00:00-05:00"}, "start"),
    bk("event-type-huge", {"eventTypeId": HUGE}, "eventTypeId"),
    bk("event-type-2^31", {"eventTypeId": BIG}, "eventTypeId"),
    bk("event-type-1e30", {"eventTypeId": 1e+30}, "eventTypeId"),
    bk("event-type-boolean", {"eventTypeId": True}, "eventTypeId"),
    bk("event-type-fraction", {"eventTypeId": 1.5}, "eventTypeId"),
    bk("length-huge", {"lengthInMinutes": HUGE}, "lengthInMinutes"),
    bk("length-2^31", {"lengthInMinutes": BIG}, "lengthInMinutes"),
    bk("recurrence-count-10^6", {"recurrenceCount": 10**6}, "recurrenceCount"),
    bk("attendee-name-nul", {"attendee": {**BOOKING_BASE["attendee"], "name": NUL}}, "attendee.name"),
    bk("attendee-name-too-long", {"attendee": {**BOOKING_BASE["attendee"], "name": "x" * 201}}, "attendee.name"),
    bk("metadata-value-nul", {"metadata": {"crm": NUL}}, "metadata.crm"),
    bk("metadata-key-nul", {"metadata": {NUL: "x"}}, "metadata"),
    bk("metadata-value-too-long", {"metadata": {"crm": "x" * 501}}, "metadata"),
    bk("responses-nul", {"bookingFieldsResponses": {"notes": NUL}}, "bookingFieldsResponses.notes"),
    bk("responses-too-big", {"bookingFieldsResponses": {"notes": "x" * 70000}}, "bookingFieldsResponses"),
    bk("routing-too-deep", {"routing": deep(40)}, "nested deeper"),
    bk("guests-too-many", {"guests": [f"g{i}@example.com" for i in range(31)]}, "guests"),
    bk("location-nul", {"location": NUL}, "location"),
    Case("reschedule-start-year-1", "POST", "/v2/bookings/{uid}/reschedule", "bookings", {}, {"start": "0001-01-01T00:00:00.000Z"}, "start", anonymous=True),
    Case("reschedule-reason-nul", "POST", "/v2/bookings/{uid}/reschedule", "bookings", {"start": at(MONDAY, "12:00")}, {"reschedulingReason": NUL}, "reschedulingReason"),
    Case("cancel-reason-nul", "POST", "/v2/bookings/{uid}/cancel", "bookings", {}, {"cancellationReason": NUL}, "cancellationReason"),
    Case("cancel-reason-too-long", "POST", "/v2/bookings/{uid}/cancel", "bookings", {}, {"cancellationReason": "x" * 2001}, "cancellationReason"),
    Case("decline-reason-nul", "POST", "/v2/bookings/{uid}/decline", "bookings", {}, {"reason": NUL}, "reason"),
    Case("request-reschedule-reason-nul", "POST", "/v2/bookings/{uid}/request-reschedule", "bookings", {}, {"rescheduleReason": NUL}, "rescheduleReason"),
    Case("location-address-nul", "PATCH", "/v2/bookings/{uid}/location", "bookings", {}, {"location": {"type": "address", "address": NUL}}, "location"),
    Case("add-attendee-name-nul", "POST", "/v2/bookings/{uid}/attendees", "bookings", {"email": "c@example.com", "timeZone": "UTC"}, {"name": NUL}, "name"),
    Case("add-guest-name-nul", "POST", "/v2/bookings/{uid}/guests", "bookings", {}, {"guests": [{"email": "d@example.com", "name": NUL}]}, "guests.0.name"),
    # /v2/me
    me("email-null", {"email": None}, "email"),
    me("time-format-null", {"timeFormat": None}, "timeFormat"),
    me("time-format-fraction", {"timeFormat": 12.5}, "timeFormat"),
    me("default-schedule-null", {"defaultScheduleId": None}, "defaultScheduleId"),
    me("default-schedule-huge", {"defaultScheduleId": HUGE}, "defaultScheduleId"),
    me("default-schedule-2^31", {"defaultScheduleId": BIG}, "defaultScheduleId"),
    me("default-schedule-boolean", {"defaultScheduleId": True}, "defaultScheduleId"),
    me("week-start-null", {"weekStart": None}, "weekStart"),
    me("time-zone-null", {"timeZone": None}, "timeZone"),
    me("metadata-null", {"metadata": None}, "metadata"),
    me("name-nul", {"name": NUL}, "name"),
    me("name-too-long", {"name": "x" * 201}, "name"),
    me("bio-nul", {"bio": NUL}, "bio"),
    me("bio-too-long", {"bio": "x" * 10001}, "bio"),
    me("locale-too-long", {"locale": "x" * 11}, "locale"),
    me("metadata-value-too-long", {"metadata": {"k": "x" * 501}}, "metadata"),
    me("metadata-too-many-keys", {"metadata": {f"k{i}": i for i in range(51)}}, "metadata"),
    # /v2/me/booking-limits
    Case("user-limit-1e30", "PATCH", "/v2/me/booking-limits", None, {}, {"perDay": 1e+30}, "perDay"),
    Case("user-limit-huge", "PATCH", "/v2/me/booking-limits", None, {}, {"perWeek": HUGE}, "perWeek"),
    Case("user-limit-10001", "PATCH", "/v2/me/booking-limits", None, {}, {"perYear": 10001}, "perYear"),
    Case("user-limit-fraction", "PATCH", "/v2/me/booking-limits", None, {}, {"perDay": 2.5}, "perDay"),
    Case("user-limit-boolean", "PATCH", "/v2/me/booking-limits", None, {}, {"perDay": True}, "perDay"),
    # out of office
    Case("create-ooo-to-user-huge", "POST", "/v2/me/ooo", None, OOO_BASE, {"toUserId": HUGE}, "toUserId"),
    Case("create-ooo-to-user-2^31", "POST", "/v2/me/ooo", None, OOO_BASE, {"toUserId": BIG}, "toUserId"),
    Case("create-ooo-to-user-boolean", "POST", "/v2/me/ooo", None, OOO_BASE, {"toUserId": True}, "toUserId"),
    Case("create-ooo-start-year-1", "POST", "/v2/me/ooo", None, OOO_BASE, {"start": "0001-01-01T00:00:00Z"}, "start"),
    Case("create-ooo-end-utc-year-10000", "POST", "/v2/me/ooo", None, OOO_BASE, {"end": "9999-12-31T23:59:59-05:00"}, "end"),
    Case("create-ooo-notes-nul", "POST", "/v2/me/ooo", None, OOO_BASE, {"notes": NUL}, "notes"),
    Case("create-ooo-notes-too-long", "POST", "/v2/me/ooo", None, OOO_BASE, {"notes": "x" * 2001}, "notes"),
    Case("update-ooo-start-year-1", "PATCH", "/v2/me/ooo/{ooo}", None, {}, {"start": "0001-01-01T00:00:00Z"}, "start"),
    Case("update-ooo-to-user-huge", "PATCH", "/v2/me/ooo/{ooo}", None, {}, {"toUserId": HUGE}, "toUserId"),
    Case("update-ooo-notes-nul", "PATCH", "/v2/me/ooo/{ooo}", None, {}, {"notes": NUL}, "notes"),
    # private links
    Case("create-link-uses-1e30", "POST", "/v2/event-types/{et}/private-links", None, {}, {"maxUsageCount": 1e+30}, "maxUsageCount"),
    Case("create-link-uses-huge", "POST", "/v2/event-types/{et}/private-links", None, {}, {"maxUsageCount": HUGE}, "maxUsageCount"),
    Case("create-link-uses-over-limit", "POST", "/v2/event-types/{et}/private-links", None, {}, {"maxUsageCount": 1000001}, "maxUsageCount"),
    Case("create-link-uses-boolean", "POST", "/v2/event-types/{et}/private-links", None, {}, {"maxUsageCount": True}, "maxUsageCount"),
    Case("create-link-uses-fraction", "POST", "/v2/event-types/{et}/private-links", None, {}, {"maxUsageCount": 1.5}, "maxUsageCount"),
    Case("create-link-expired", "POST", "/v2/event-types/{et}/private-links", None, {}, {"expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt"),
    Case("create-link-expires-year-1", "POST", "/v2/event-types/{et}/private-links", None, {}, {"expiresAt": "0001-01-01T00:00:00Z"}, "expiresAt"),
    Case("create-link-expires-utc-year-10000", "POST", "/v2/event-types/{et}/private-links", None, {}, {"expiresAt": "9999-12-31T23:59:59-05:00"}, "expiresAt"),
    Case("update-link-expired", "PATCH", "/v2/event-types/{et}/private-links/{link}", None, {}, {"expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt"),
    Case("update-link-uses-1e30", "PATCH", "/v2/event-types/{et}/private-links/{link}", None, {}, {"maxUsageCount": 1e+30}, "maxUsageCount"),
    # webhooks
    Case("create-webhook-template-too-long", "POST", "/v2/webhooks", None, HOOK_BASE, {"payloadTemplate": "x" * 65537}, "payloadTemplate"),
    Case("create-webhook-template-nul", "POST", "/v2/webhooks", None, HOOK_BASE, {"payloadTemplate": NUL}, "payloadTemplate"),
    Case("create-webhook-secret-nul", "POST", "/v2/webhooks", None, HOOK_BASE, {"secret": NUL}, "secret"),
    Case("create-webhook-url-nul", "POST", "/v2/webhooks", None, HOOK_BASE, {"subscriberUrl": HOOK_URL + NUL}, "subscriberUrl"),
    Case("create-et-webhook-template-too-long", "POST", "/v2/event-types/{et}/webhooks", None, HOOK_BASE, {"payloadTemplate": "x" * 65537}, "payloadTemplate"),
    Case("update-webhook-active-null", "PATCH", "/v2/webhooks/{webhook}", None, {}, {"active": None}, "active"),
    Case("update-webhook-url-null", "PATCH", "/v2/webhooks/{webhook}", None, {}, {"subscriberUrl": None}, "subscriberUrl"),
    Case("update-webhook-triggers-null", "PATCH", "/v2/webhooks/{webhook}", None, {}, {"triggers": None}, "triggers"),
    Case("update-webhook-template-too-long", "PATCH", "/v2/webhooks/{webhook}", None, {}, {"payloadTemplate": "x" * 65537}, "payloadTemplate"),
    # slot reservations
    Case("reserve-event-type-huge", "POST", "/v2/slots/reservations", "slots", RESERVE_BASE, {"eventTypeId": HUGE}, "eventTypeId", anonymous=True),
    Case("reserve-slot-duration-1e30", "POST", "/v2/slots/reservations", "slots", RESERVE_BASE, {"slotDuration": 1e+30}, "slotDuration", anonymous=True),
    Case("reserve-duration-huge", "POST", "/v2/slots/reservations", "slots", RESERVE_BASE, {"reservationDuration": HUGE}, "reservationDuration"),
    Case("reserve-start-nul", "POST", "/v2/slots/reservations", "slots", RESERVE_BASE, {"slotStart": NUL}, "slotStart", anonymous=True),
    Case("reserve-start-year-1", "POST", "/v2/slots/reservations", "slots", RESERVE_BASE, {"slotStart": "0001-01-01T00:00:00Z"}, "start date", anonymous=True),
    Case("update-reservation-event-type-huge", "PATCH", "/v2/slots/reservations/{reservation}", "slots", RESERVE_BASE, {"eventTypeId": HUGE}, "eventTypeId", anonymous=True),
    # teams and memberships
    Case("create-team-name-nul", "POST", "/v2/teams", None, {"name": "N"}, {"name": NUL}, "name"),
    Case("create-team-name-too-long", "POST", "/v2/teams", None, {}, {"name": "x" * 201}, "name"),
    Case("create-team-slug-nul", "POST", "/v2/teams", None, {"name": "N"}, {"slug": NUL}, "slug"),
    Case("create-team-metadata-too-long", "POST", "/v2/teams", None, {"name": "N"}, {"metadata": {"k": "x" * 501}}, "metadata"),
    Case("create-team-time-format-fraction", "POST", "/v2/teams", None, {"name": "N"}, {"timeFormat": 12.5}, "timeFormat"),
    Case("update-team-limits-huge", "PATCH", "/v2/teams/{team}", None, {}, {"bookingLimits": {"PER_DAY": HUGE}}, "bookingLimits"),
    Case("update-team-limits-nul", "PATCH", "/v2/teams/{team}", None, {}, {"bookingLimits": NUL}, "bookingLimits"),
    Case("update-team-bio-nul", "PATCH", "/v2/teams/{team}", None, {}, {"bio": NUL}, "bio"),
    Case("create-membership-user-huge", "POST", "/v2/teams/{team}/memberships", None, {}, {"userId": HUGE}, "userId"),
    Case("create-membership-user-boolean", "POST", "/v2/teams/{team}/memberships", None, {}, {"userId": True}, "userId"),
    Case("update-membership-role-nul", "PATCH", "/v2/teams/{team}/memberships/{membership}", None, {}, {"role": NUL}, "role"),
    Case("team-ooo-notes-nul", "POST", "/v2/teams/{team}/users/{user}/ooo", None, OOO_BASE, {"notes": NUL}, "notes"),
    Case("team-ooo-update-start-year-1", "PATCH", "/v2/teams/{team}/users/{user}/ooo/{ooo}", None, {}, {"start": "0001-01-01T00:00:00Z"}, "start"),
    # connected calendars
    Case("ics-feed-too-many-urls", "POST", "/v2/calendars/ics-feed/save", None, {}, {"urls": [HOOK_URL] * 21}, "urls"),
    Case("ics-feed-url-nul", "POST", "/v2/calendars/ics-feed/save", None, {}, {"urls": [HOOK_URL + NUL]}, "urls"),
    Case("ics-feed-url-too-long", "POST", "/v2/calendars/ics-feed/save", None, {}, {"urls": ["https://x.example/" + "x" * 2001]}, "urls"),
    Case("ics-feed-read-only-null", "POST", "/v2/calendars/ics-feed/save", None, {"urls": [HOOK_URL]}, {"readOnly": None}, "readOnly"),
    Case("caldav-username-nul", "POST", "/v2/calendars/caldav/credentials", None, {"password": "pw", "url": HOOK_URL}, {"username": NUL}, "username"),
    Case("caldav-password-too-long", "POST", "/v2/calendars/caldav/credentials", None, {"username": "u", "url": HOOK_URL}, {"password": "x" * 1001}, "password"),
    Case("caldav-url-null", "POST", "/v2/calendars/caldav/credentials", None, {"username": "u", "password": "pw"}, {"url": None}, "url"),
    Case("disconnect-id-huge", "POST", "/v2/calendars/apple/disconnect", None, {}, {"id": HUGE}, "id"),
    Case("select-credential-huge", "POST", "/v2/selected-calendars", None, {"integration": "apple_calendar", "externalId": "x"}, {"credentialId": HUGE}, "credentialId"),
    Case("select-external-id-nul", "POST", "/v2/selected-calendars", None, {"integration": "apple_calendar", "credentialId": 1}, {"externalId": NUL}, "externalId"),
    Case("destination-external-id-nul", "PUT", "/v2/destination-calendars", None, {"integration": "apple_calendar"}, {"externalId": NUL}, "externalId"),
    Case("google-event-title-too-long", "PATCH", "/v2/calendars/google/events/e1", None, {}, {"title": "x" * 1001}, "title"),
    Case("google-event-status-bad", "PATCH", "/v2/calendars/google/events/e1", None, {}, {"status": "maybe"}, "status"),
    # credits and API keys
    Case("charge-1e30", "POST", "/v2/credits/charge", None, {"creditFor": "AI_AGENT"}, {"credits": 1e+30}, "credits"),
    Case("charge-huge", "POST", "/v2/credits/charge", None, {"creditFor": "AI_AGENT"}, {"credits": HUGE}, "credits"),
    Case("charge-boolean", "POST", "/v2/credits/charge", None, {"creditFor": "AI_AGENT"}, {"credits": True}, "credits"),
    Case("charge-ref-nul", "POST", "/v2/credits/charge", None, {"creditFor": "AI_AGENT", "credits": 1}, {"externalRef": NUL}, "externalRef"),
    Case("refresh-key-days-1e30", "POST", "/v2/api-keys/refresh", None, {}, {"apiKeyDaysValid": 1e+30}, "apiKeyDaysValid"),
    Case("refresh-key-days-huge", "POST", "/v2/api-keys/refresh", None, {}, {"apiKeyDaysValid": HUGE}, "apiKeyDaysValid"),
]
# fmt: on


@pytest.mark.parametrize("case", BODY_CASES, ids=[c.id for c in BODY_CASES])
async def test_hostile_bodies(
    client: httpx2.AsyncClient, app: Any, world: World, case: Case
) -> None:
    """Each hostile body is a 400 naming the field, and nothing is stored."""
    version = VERSIONS.get(case.version or "", case.version)
    hdrs = (
        {"cal-api-version": version} if case.anonymous and version else headers(world.host, version)
    )
    await refused(
        client, app, case.method, world.fill(case.url), field=case.field, hdrs=hdrs,
        json=case.body(world),
    )  # fmt: skip


def test_body_cases_have_unique_ids() -> None:
    ids = [c.id for c in BODY_CASES]
    assert len(ids) == len(set(ids))


# --- integral floats are integers ------------------------------------------------------------


async def test_integral_floats_accepted_everywhere(
    client: httpx2.AsyncClient, app: Any, world: World
) -> None:
    """An SDK generated from Cal.com's OpenAPI sends every number as a float: ``30.0`` is read
    as 30 wherever an integer is expected, and stored as an integer."""
    host = world.host
    etv = headers(host, VERSIONS["event-types"])
    created = await ok_json(
        await client.post(
            "/v2/event-types",
            json={
                "title": "Float",
                "slug": "float",
                "lengthInMinutes": 30.0,
                "lengthInMinutesOptions": [30.0, 60.0],
                "minimumBookingNotice": 60.0,
                "beforeEventBuffer": 5.0,
                "scheduleId": float(world.sched),
                "bookingLimitsCount": {"day": 3.0},
            },
            headers=etv,
        )
    )
    assert created["lengthInMinutes"] == 30 and isinstance(created["lengthInMinutes"], int)
    assert created["lengthInMinutesOptions"] == [30, 60]
    assert created["minimumBookingNotice"] == 60 and created["scheduleId"] == world.sched
    assert created["bookingLimitsCount"]["day"] == 3
    updated = await ok_json(
        await client.patch(
            f"/v2/event-types/{created['id']}", json={"lengthInMinutes": 60.0}, headers=etv
        )
    )
    assert updated["lengthInMinutes"] == 60
    got = await ok_json(await client.get(f"/v2/event-types/{created['id']}", headers=etv))
    assert got["lengthInMinutes"] == 60 and isinstance(got["lengthInMinutes"], int)

    bv = {"cal-api-version": VERSIONS["bookings"]}
    body = {
        "start": at(MONDAY, "13:00"),
        "eventTypeId": float(created["id"]),
        "lengthInMinutes": 30.0,
        "attendee": {"name": "F", "email": "f@example.com", "timeZone": "UTC"},
    }
    booking = await ok_json(await client.post("/v2/bookings", json=body, headers=bv))
    assert booking["eventTypeId"] == created["id"] and booking["duration"] == 30
    seated = await ok_json(
        await client.patch(
            f"/v2/event-types/{created['id']}",
            json={
                "seats": {"seatsPerTimeSlot": 5.0, **SEATS},
                "bookingWindow": {"type": "calendarDays", "value": 30.0, "rolling": False},
            },
            headers=etv,
        )
    )
    assert seated["seats"]["seatsPerTimeSlot"] == 5
    assert seated["bookingWindow"]["value"] == 30

    limits = await ok_json(
        await client.patch("/v2/me/booking-limits", json={"perDay": 3.0}, headers=host.headers)
    )
    assert limits["perDay"] == 3 and isinstance(limits["perDay"], int)
    me_data = await ok_json(
        await client.patch(
            "/v2/me",
            json={"timeFormat": 24.0, "defaultScheduleId": float(world.sched)},
            headers=host.headers,
        )
    )
    assert me_data["timeFormat"] == 24 and me_data["defaultScheduleId"] == world.sched
    link = await ok_json(
        await client.post(
            f"/v2/event-types/{world.et}/private-links",
            json={"maxUsageCount": 2.0},
            headers=host.headers,
        )
    )
    assert link["maxUsageCount"] == 2
    charge = await client.post(
        "/v2/credits/charge", json={"credits": 1.0, "creditFor": "AI_AGENT"}, headers=host.headers
    )
    assert charge.status_code == 400 and "Insufficient credits" in charge.text  # read as 1


async def test_limits_themselves_are_accepted(
    client: httpx2.AsyncClient, app: Any, world: World
) -> None:
    """The largest values of each range are accepted (the limits are inclusive)."""
    host = world.host
    etv = headers(host, VERSIONS["event-types"])
    r = await client.post(
        "/v2/event-types",
        json={
            "title": "x" * 500,
            "slug": "edge",
            "lengthInMinutes": 1440,
            "minimumBookingNotice": 525_600,
            "description": "d" * 10_000,
            "recurrence": {"frequency": "weekly", "interval": 100, "occurrences": 32},
        },
        headers=etv,
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        "/v2/webhooks",
        json={**HOOK_BASE, "payloadTemplate": "{" + "x" * 65_534 + "}"},
        headers=host.headers,
    )
    assert r.status_code == 201, r.text
    assert len(r.json()["data"]["payloadTemplate"]) == 65_536
    r = await client.patch("/v2/me/booking-limits", json={"perDay": 10_000}, headers=host.headers)
    assert r.status_code == 200, r.text


async def test_nothing_changed_after_refused_nulls(
    client: httpx2.AsyncClient, app: Any, world: World
) -> None:
    """``PATCH /v2/me {"email": null}`` used to reach a NOT NULL constraint (500); it is a 400
    and the profile keeps its email."""
    host = world.host
    r = await client.patch("/v2/me", json={"email": None}, headers=host.headers)
    assert r.status_code == 400 and "email" in r.json()["error"]["message"]
    me_data = await ok_json(await client.get("/v2/me", headers=host.headers))
    assert me_data["email"] == host.email


async def test_recurring_series_past_year_9000_is_refused(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    """A series whose occurrences would run past the year 9000 is a 400, not a half-created
    series or an overflow."""
    et_id = await make_event_type(
        app,
        host,
        slug="yearly",
        recurrence={"frequency": "yearly", "interval": 100, "occurrences": 32},
        minimumBookingNotice=0,
    )
    before = await db_state(app)
    r = await client.post(
        "/v2/bookings",
        json={
            "start": "8990-01-04T10:00:00.000Z",  # a Monday
            "eventTypeId": et_id,
            "attendee": {"name": "Y", "email": "y@example.com", "timeZone": "UTC"},
        },
        headers={"cal-api-version": VERSIONS["bookings"]},
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "BadRequestException"
    assert "past the year 9000" in r.json()["error"]["message"]
    assert await db_state(app) == before
