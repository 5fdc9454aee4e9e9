"""The 141 actions of Cal.com's agent connector (``cal_actions.json``, a copy of the reference
``cal-actions.json``) as :class:`Action` records with a JSON Schema each.

An action's inputs are path, query or body parameters of one API v2 operation; a body input may
name a nested field (``body_path`` ``color.darkThemeHex``). Where the connector still uses a
legacy endpoint's names, :data:`RENAMES` maps them onto the current operation (Cal.com's own
migration notes in the reference), and :data:`LEGACY_OPERATIONS` gives the legacy endpoint for
the actions that have no current operation; the server's answer then decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from slotwise.client import OPERATIONS

JSON_TYPES = {"string", "integer", "boolean", "array", "object", "number"}

#: Legacy input names -> current names, per action (from the reference's notes).
RENAMES: dict[str, dict[str, str]] = {
    "CAL_GET_AVAILABLE_SLOTS_INFO": {
        "startTime": "start",
        "endTime": "end",
        "usernameList": "usernames",
        "orgSlug": "organizationSlug",
        "slotFormat": "format",
        "rescheduleUid": "bookingUidToReschedule",
    },
    "CAL_RESERVE_SLOT_FOR_EVENT": {"slotUtcStartDate": "slotStart"},
}

#: (method, path) of the legacy endpoint, for actions without a current operation or whose
#: current operation needs a path parameter the action does not expose.
LEGACY_OPERATIONS: dict[str, tuple[str, str]] = {
    "CAL_GET_ALL_TIMEZONES": ("GET", "/v2/timezones"),
    "CAL_FETCH_PROVIDER_ACCESS_TOKEN": ("GET", "/v2/provider/{clientId}/access-token"),
    "CAL_CHECK_TEAM_STRIPE_INTEGRATION_STATUS": ("GET", "/v2/stripe/check/{teamId}"),
}


@dataclass(frozen=True)
class Input:
    """One action input: ``name``, JSON ``type`` (``items``: element type of an array),
    ``required``, ``enum``, ``description``, where it goes (``location``: path, query or body)
    and, for nested body fields, ``body_path`` (dotted)."""

    name: str
    type: str
    required: bool
    location: str
    description: str = ""
    enum: tuple[Any, ...] | None = None
    items: str | None = None
    body_path: str | None = None

    def schema(self) -> dict[str, Any]:
        """This input's JSON Schema."""
        out: dict[str, Any] = {"type": self.type if self.type in JSON_TYPES else "string"}
        if self.type == "array":
            out["items"] = {"type": self.items if self.items in JSON_TYPES else "string"}
        if self.enum:
            if self.type == "array":
                out["items"]["enum"] = list(self.enum)
            else:
                out["enum"] = list(self.enum)
        if self.description:
            out["description"] = self.description
        return out


#: Body fields of the mapped operation that the action's input list (an older page) lacks
#: although the call cannot be made without them: a reschedule needs ``start`` (the action's
#: current description names it), Cal.com refuses a host's cancellation without
#: ``cancellationReason``, and a team event type needs ``schedulingType`` (the reference's notes
#: list them as unexposed).
EXTRA_INPUTS: dict[str, tuple[Input, ...]] = {
    "CAL_CANCEL_BOOKING_VIA_UID": (
        Input(
            "cancellationReason", "string", False, "body", "Why (required when the host cancels)"
        ),
    ),
    # The connector lists no schedulingType although the operation requires it (the reference's
    # notes: "spec requires parameters that are not action inputs: schedulingType").
    "CAL_CREATE_TEAM_EVENT_TYPE": (
        Input(
            "schedulingType",
            "string",
            True,
            "body",
            "collective (every host), roundRobin (one host per booking) or managed",
            enum=("collective", "roundRobin", "managed"),
        ),
    ),
    "CAL_RESCHEDULE_BOOKING_BY_UID": (
        Input("start", "string", True, "body", "New start time, UTC ISO 8601"),
        Input("reschedulingReason", "string", False, "body", "Why the booking moves"),
        Input("rescheduledBy", "string", False, "body", "Email of the person rescheduling"),
    ),
}


@dataclass(frozen=True)
class Action:
    """One connector action: ``slug``, ``name``, ``description``, ``inputs``, and the API v2
    call it maps to (``method``, ``path`` template, ``api_version`` header or None,
    ``fixed_path_params`` not exposed as inputs). ``method`` is None for none at all."""

    slug: str
    name: str
    description: str
    inputs: tuple[Input, ...]
    method: str | None
    path: str | None
    api_version: str | None
    fixed_path_params: dict[str, Any] = field(default_factory=dict)

    @property
    def read_only(self) -> bool:
        """True when the action only reads (a GET)."""
        return self.method == "GET"

    def input_schema(self) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of the action's arguments object."""
        return {
            "type": "object",
            "properties": {i.name: i.schema() for i in self.inputs},
            "required": [i.name for i in self.inputs if i.required],
            "additionalProperties": False,
        }


def _version(method: str, path: str, given: str | None) -> str | None:
    """The ``cal-api-version`` to send: the action's own, else the SDK's for the same call."""
    if given:
        return given
    for op in OPERATIONS.values():
        if op.method == method and op.path == path:
            return op.api_version
    return None


def _action(raw: dict[str, Any]) -> Action:
    inputs = tuple(
        Input(
            name=i["name"],
            type=i["type"],
            required=bool(i.get("required")),
            location=i["in"],
            description=i.get("description", ""),
            enum=tuple(i["enum"]) if i.get("enum") else None,
            items=i.get("items"),
            body_path=i.get("body_path"),
        )
        for i in raw["inputs"]
    ) + EXTRA_INPUTS.get(raw["slug"], ())
    op = raw.get("operation") or {}
    method, path = op.get("method"), op.get("path")
    if raw["slug"] in LEGACY_OPERATIONS:
        method, path = LEGACY_OPERATIONS[raw["slug"]]
    version = _version(method, path, op.get("cal_api_version")) if method and path else None
    return Action(
        slug=raw["slug"],
        name=raw["name"],
        description=raw["description"],
        inputs=inputs,
        method=method,
        path=path,
        api_version=version,
        fixed_path_params=dict(raw.get("fixed_path_params") or {}),
    )


@cache
def actions() -> dict[str, Action]:
    """Every action by slug (141), in the reference's order."""
    text = resources.files("slotwise.toolkit").joinpath("cal_actions.json").read_text()
    return {a.slug: a for a in (_action(raw) for raw in json.loads(text))}
