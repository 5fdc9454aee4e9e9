"""The server's own /openapi.json: what each operation really answers.

FastAPI's default document lists a 2xx with an untyped object and a 422 no route ever sends.
:func:`install_openapi` replaces it with one built from the routes and from
``openapi_schemas.json`` (generated from Cal.com's reference by scripts/gen_openapi_schemas.py):

- the success answer of each operation, envelope included; a path served by several
  ``cal-api-version`` values (GET /v2/slots legacy and 2024-09-04, GET /v2/bookings 2024-08-13 and
  2026-05-01) lists each version's answer in a ``oneOf`` and the parameters of every version;
- the error answers each operation can give, all with the error envelope (:data:`ERROR_SCHEMA`):
  400 everywhere (validation), 401 where an API key is required or may be sent, 403/409/422
  where the rules refuse (:data:`FORBIDDEN`, :data:`CONFLICT`, :data:`UNPROCESSABLE`), 501 for
  operations that need a provider Slotwise lacks (:data:`NOT_IMPLEMENTED`), 404 for
  ids, versioned paths (a wrong ``cal-api-version``) and lookups by name, 413 for bodies over
  SLOTWISE_MAX_BODY_BYTES, 429 everywhere (rate limit);
- the ``bearer`` security scheme: required on operations that need an API key, optional
  (``[{"bearer": []}, {}]``) where one may be sent, none on public ones;
- the ``cal-api-version`` header where the route needs it: required, with the versions it accepts
  as ``enum`` (not required where a legacy route answers requests without it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from slotwise.kit.principal import optional_principal, required_principal
from slotwise.kit.versioning import HEADER

REF = "#/components/schemas/"
SECURITY_SCHEME = "bearer"
ERROR_SCHEMA_NAME = "ErrorResponse"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Cal.com's error envelope; `code` is the NestJS exception name.",
    "properties": {
        "status": {"type": "string", "enum": ["error"]},
        "timestamp": {"type": "string", "description": "ISO 8601 UTC instant"},
        "path": {"type": "string"},
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {},
            },
            "required": ["code", "message"],
        },
    },
    "required": ["status", "timestamp", "path", "error"],
}
ERROR_DESCRIPTIONS = {
    400: "Bad request: invalid input (BadRequestException)",
    401: "No, invalid or expired API key (UnauthorizedException)",
    403: "Not allowed (ForbiddenException)",
    404: "Not found, not the caller's, or a cal-api-version this path does not serve "
    "(NotFoundException)",
    409: "Conflict with the current state (ConflictException)",
    413: "Request body larger than SLOTWISE_MAX_BODY_BYTES (PayloadTooLargeException)",
    422: "The slot is already booked or reserved (UnprocessableEntityException)",
    429: "Rate limit reached; see Retry-After (TooManyRequestsException)",
    501: "Not available in Slotwise: needs a provider it does not have (NotImplementedException)",
}

# Refusals beyond the general rules, per operation ("METHOD /path").
FORBIDDEN = frozenset(
    {
        "POST /v2/slots/reservations",  # reservationDuration by someone other than the owner
        "PATCH /v2/slots/reservations/{uid}",
        "POST /v2/bookings",  # bookingRequiresAuthentication
        "POST /v2/bookings/{bookingUid}/reschedule",  # disableRescheduling.minutesBefore
        "POST /v2/bookings/{bookingUid}/confirm",  # not the host
        "POST /v2/bookings/{bookingUid}/decline",
        # teams: Cal.com's RolesGuard (non-members, also for a missing team; roles too low)
        "GET /v2/teams/{teamId}",
        "PATCH /v2/teams/{teamId}",
        "DELETE /v2/teams/{teamId}",
        "POST /v2/teams/{teamId}/memberships",  # + the OWNER role only by an OWNER
        "GET /v2/teams/{teamId}/memberships",
        "GET /v2/teams/{teamId}/memberships/{membershipId}",
        "PATCH /v2/teams/{teamId}/memberships/{membershipId}",
        "DELETE /v2/teams/{teamId}/memberships/{membershipId}",
        "POST /v2/teams/{teamId}/invite",
        "GET /v2/teams/{teamId}/schedules",
        # + Cal.com's IsUserInTeam: userId is not an accepted member
        "GET /v2/teams/{teamId}/users/{userId}/ooo",
        "POST /v2/teams/{teamId}/users/{userId}/ooo",
        "PATCH /v2/teams/{teamId}/users/{userId}/ooo/{oooId}",
        "DELETE /v2/teams/{teamId}/users/{userId}/ooo/{oooId}",
        # team event types: Cal.com's RolesGuard (not a member, or below TEAM_ADMIN)
        "POST /v2/teams/{teamId}/event-types",
        "GET /v2/teams/{teamId}/event-types/{eventTypeId}",
        "PATCH /v2/teams/{teamId}/event-types/{eventTypeId}",
        "DELETE /v2/teams/{teamId}/event-types/{eventTypeId}",
        "POST /v2/teams/{teamId}/event-types/{eventTypeId}/create-phone-call",
        "POST /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks",
        "GET /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks",
        "DELETE /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks",
        "GET /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}",
        "PATCH /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}",
        "DELETE /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}",
        "POST /v2/bookings/{bookingUid}/reassign",  # not the owner, a host or a team admin
        "POST /v2/bookings/{bookingUid}/reassign/{userId}",
        "GET /v2/teams/{teamId}/bookings",  # RolesGuard: TEAM_ADMIN
    }
)
CONFLICT = frozenset(
    {
        "PATCH /v2/me",  # email taken
        "POST /v2/me/ooo",  # overlapping entry
        "PATCH /v2/me/ooo/{oooId}",
        "POST /v2/webhooks",  # subscriber URL already used
        "PATCH /v2/webhooks/{webhookId}",
        "POST /v2/event-types/{eventTypeId}/webhooks",
        "PATCH /v2/event-types/{eventTypeId}/webhooks/{webhookId}",
        "POST /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks",
        "PATCH /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}",
        "POST /v2/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver",
        "POST /v2/bookings",  # reserved by someone else, seat taken
        "POST /v2/bookings/{bookingUid}/reschedule",
        "POST /v2/bookings/{bookingUid}/confirm",  # the host is busy by now
        "POST /v2/bookings/{bookingUid}/attendees",  # email already an attendee
        "POST /v2/teams",  # slug taken
        "PATCH /v2/teams/{teamId}",
        "POST /v2/teams/{teamId}/memberships",  # the user already has a membership
        "POST /v2/teams/{teamId}/users/{userId}/ooo",  # overlapping entry
        "PATCH /v2/teams/{teamId}/users/{userId}/ooo/{oooId}",
    }
)
UNPROCESSABLE = frozenset(
    {
        "POST /v2/slots/reservations",  # already booked or reserved (Cal.com's 422)
        "PATCH /v2/slots/reservations/{uid}",
        "POST /v2/bookings",  # a team event type without hosts
    }
)
NOT_IMPLEMENTED = frozenset(
    {
        "POST /v2/teams/{teamId}/event-types/{eventTypeId}/create-phone-call",  # no telephony
    }
)
NOT_FOUND = frozenset(
    {
        "GET /v2/event-types",  # unknown username or slug
        "POST /v2/me/ooo",  # unknown toUserId
        "PATCH /v2/me/ooo/{oooId}",
        "PATCH /v2/me",  # defaultScheduleId
        "GET /v2/calendars/busy-times",  # credentialId not the caller's
        "POST /v2/selected-calendars",
        "DELETE /v2/selected-calendars",  # not selected
        "PUT /v2/destination-calendars",  # not one of the caller's writable calendars
    }
)


@cache
def generated() -> dict[str, Any]:
    """``openapi_schemas.json``: ``operations`` and ``schemas`` (see the generator)."""
    text = resources.files("slotwise.kit").joinpath("openapi_schemas.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def install_openapi(app: FastAPI) -> None:
    """Serve :func:`build_openapi`'s document at /openapi.json (built once, on first use)."""
    state: dict[str, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        if "doc" not in state:
            state["doc"] = build_openapi(app)
        app.openapi_schema = state["doc"]
        return state["doc"]

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI documents replacing app.openapi


class _Shown(RouteContext):
    """A route context documented even though its route is hidden (another version of a
    documented operation)."""

    @property
    def include_in_schema(self) -> bool:
        return True


def _api_routes(app: FastAPI) -> Iterator[RouteContext]:
    for ctx in iter_route_contexts(app.routes):
        if isinstance(ctx.original_route, APIRoute):
            yield ctx


def variant_of(route: Any) -> list[str]:
    """The ``cal-api-version`` values a route answers: its versions, ``["legacy"]`` for a
    route answering requests without them, ``["*"]`` for an unversioned route."""
    versions = getattr(route, "api_versions", None)
    if versions is None:
        return ["*"]
    if getattr(route, "is_legacy", False):
        return ["legacy"]
    return sorted(versions)


def _calls(dependant: Any) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def auth_of(route: APIRoute) -> str | None:
    """``"required"`` when the route needs an API key, ``"optional"`` when one may be sent
    (a bad one is refused), None when it reads no key."""
    calls = set(_calls(route.dependant))
    if required_principal in calls:
        return "required"
    if optional_principal in calls:
        return "optional"
    return None


def _key(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


EXTRA_ENUM_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("UserWebhookOutputDto", "triggers"): ("INSTANT_MEETING_ACCEPTED",),
    ("EventTypeWebhookOutputDto", "triggers"): ("INSTANT_MEETING_ACCEPTED",),
}
"""Values Slotwise answers that the reference's output enums lack, by (schema, array property):
webhook triggers include ``INSTANT_MEETING_ACCEPTED``, which Cal.com's docs list and the inputs
accept (docs/webhooks.md), so a webhook echoes it."""


def _extend_enums(schemas: dict[str, Any]) -> None:
    for (name, prop), extra in EXTRA_ENUM_VALUES.items():
        items = schemas.get(name, {}).get("properties", {}).get(prop, {}).get("items", {})
        enum = items.get("enum")
        if isinstance(enum, list):
            enum.extend(value for value in extra if value not in enum)


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``app`` (see the module docstring)."""
    doc = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    gen = generated()
    schemas.update(copy.deepcopy(gen["schemas"]))
    _extend_enums(schemas)
    schemas[ERROR_SCHEMA_NAME] = copy.deepcopy(ERROR_SCHEMA)
    components["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key: `Authorization: Bearer cal_live_…`",
        }
    }

    by_operation: dict[str, list[RouteContext]] = {}
    for ctx in _api_routes(app):
        for method in sorted(ctx.methods or ()):
            if ctx.path_format in doc["paths"] and method.lower() in doc["paths"][ctx.path_format]:
                by_operation.setdefault(_key(method, ctx.path_format or ""), []).append(ctx)

    for path, item in doc["paths"].items():
        for method, operation in item.items():
            key = _key(method, path)
            contexts = by_operation.get(key, [])
            hidden = [c for c in contexts if not c.include_in_schema]
            for ctx in hidden:
                _merge_parameters(operation, ctx, schemas, method, path)
            _describe(operation, key, contexts, gen["operations"].get(key, {}))
    return doc


def _merge_parameters(
    operation: dict[str, Any], ctx: RouteContext, schemas: dict[str, Any], method: str, path: str
) -> None:
    """Add the parameters of another version of the operation (required only when every
    version requires them)."""
    other = get_openapi(title="", version="", routes=[_Shown(ctx.route, ctx._route_context)])
    for name, schema in other.get("components", {}).get("schemas", {}).items():
        if name not in ("HTTPValidationError", "ValidationError"):
            schemas.setdefault(name, schema)
    theirs = other["paths"][path][method].get("parameters", [])
    mine = operation.setdefault("parameters", [])
    label = ", ".join(variant_of(ctx.original_route))
    mine_ids = {(p["name"], p["in"]) for p in mine}
    their_ids = {(p["name"], p["in"]) for p in theirs}
    for param in mine:
        if (param["name"], param["in"]) not in their_ids:
            param["required"] = False
    for param in theirs:
        if (param["name"], param["in"]) in mine_ids:
            continue
        param = dict(param, required=False)
        note = f"Only without `{HEADER}`" if label == "legacy" else f"Only for {HEADER} {label}"
        param["description"] = f"{param.get('description', '')} ({note})".strip()
        mine.append(param)


def _response_schema(variants: dict[str, str | None], served: list[str]) -> dict[str, Any] | None:
    names = [variants[v] for v in served if variants.get(v)]
    if not names:
        return None
    unique = list(dict.fromkeys(names))
    refs = [{"$ref": REF + str(n)} for n in unique]
    return refs[0] if len(refs) == 1 else {"oneOf": refs}


def _describe(
    operation: dict[str, Any],
    key: str,
    contexts: list[RouteContext],
    variants: dict[str, str | None],
) -> None:
    """Set the responses, security and ``cal-api-version`` parameter of one operation."""
    routes = [c.original_route for c in contexts if isinstance(c.original_route, APIRoute)]
    primary = next(
        (c.original_route for c in contexts if c.include_in_schema), routes[0] if routes else None
    )
    served = [v for r in routes for v in variant_of(r)]
    auth = {auth_of(r) for r in routes}
    auth_kind = "required" if auth == {"required"} else ("optional" if auth - {None} else None)

    success = str(getattr(primary, "status_code", None) or 200)
    old = operation.get("responses", {})
    responses: dict[str, Any] = {}
    schema = _response_schema(variants, served)
    description = old.get(success, {}).get("description", "Successful Response")
    if success == "204":
        responses[success] = {"description": "No content"}
    elif schema is not None:
        responses[success] = {
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    else:
        responses[success] = old.get(success, {"description": description})

    codes = {400, 429}
    if auth_kind is not None:
        codes.add(401)
    path_has_ids = "{" in key
    versioned = any(v != "*" for v in served)
    if path_has_ids or versioned or key in NOT_FOUND:
        codes.add(404)
    if key in FORBIDDEN:
        codes.add(403)
    if key in CONFLICT:
        codes.add(409)
    if key in UNPROCESSABLE:
        codes.add(422)
    if key in NOT_IMPLEMENTED:
        codes.add(501)
    if "requestBody" in operation:
        codes.add(413)
    for code in sorted(codes):
        responses[str(code)] = {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": {"$ref": REF + ERROR_SCHEMA_NAME}}},
        }
    operation["responses"] = responses

    if auth_kind == "required":
        operation["security"] = [{SECURITY_SCHEME: []}]
    elif auth_kind == "optional":
        operation["security"] = [{SECURITY_SCHEME: []}, {}]
    else:
        operation["security"] = []

    versions = sorted({v for v in served if v not in ("*", "legacy")})
    params = [p for p in operation.get("parameters", []) if p["name"].lower() != HEADER]
    if versions:
        legacy = "legacy" in served
        text = "Must be " + " or ".join(versions)
        if legacy:
            text += "; without it the legacy answer is given"
        params.insert(
            0,
            {
                "name": HEADER,
                "in": "header",
                "required": not legacy,
                "description": text,
                "schema": {"type": "string", "enum": versions, "default": versions[0]},
            },
        )
    if params:
        operation["parameters"] = params
    else:
        operation.pop("parameters", None)
