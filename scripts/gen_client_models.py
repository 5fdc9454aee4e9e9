"""Generate ``src/slotwise/client/models_generated.py`` from the Cal.com API v2 reference.

Usage: ``python scripts/gen_client_models.py [--check] [--spec PATH]``

For every SDK operation listed in :data:`SELECTION` the script reads the reference
(``$SLOTWISE_CAL_REFERENCE``, else ``../shared/reference/cal-api-v2.openapi.json`` beside the
checkout) and emits:

- ``OPERATIONS[name]``: method, path, operationId and the ``cal-api-version`` the reference asks
  for (the header parameter's ``default``, or the version its description says "Must be set to");
- ``<Name>Body``: the request body type, and ``<Name>Data``: the type of the response's ``data``;
- a ``TypedDict`` for every component schema those types reach (functional syntax, so keys such
  as ``from`` stay exact; ``required`` keys are ``Required[...]``).

Why TypedDicts rather than pydantic models: the SDK hands back exactly the JSON the server sent
(the CLI's ``--json`` and the agent tool kit print it unchanged), and a response that deviates
from the reference must not turn into a client-side validation error; the server validates
requests. TypedDicts give the static types without reshaping the data.

The reference's known quirks are handled as ARCHITECTURE.md §4 describes: an ``enum`` on an array
applies to its items; ``pattern`` placeholders are ignored (no runtime validation here anyway).
Operations the reference lacks but the docs (cal-docs.txt) list — ``/v2/me/ooo`` and
``/v2/timezones`` — are in :data:`EXTRA`, typed with the schemas of their organization-level
twins. ``--check`` exits 1 when the committed file differs from what would be generated.
"""

from __future__ import annotations

import argparse
import json
import keyword
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path(
    os.environ.get("SLOTWISE_CAL_REFERENCE")
    or ROOT.parent / "shared" / "reference" / "cal-api-v2.openapi.json"
)
OUT = ROOT / "src" / "slotwise" / "client" / "models_generated.py"

# SDK operation name -> (method, path) in the reference.
SELECTION: dict[str, tuple[str, str]] = {
    "me.get": ("get", "/v2/me"),
    "me.update": ("patch", "/v2/me"),
    "event_types.list": ("get", "/v2/event-types"),
    "event_types.get": ("get", "/v2/event-types/{eventTypeId}"),
    "event_types.create": ("post", "/v2/event-types"),
    "event_types.update": ("patch", "/v2/event-types/{eventTypeId}"),
    "event_types.delete": ("delete", "/v2/event-types/{eventTypeId}"),
    "schedules.list": ("get", "/v2/schedules"),
    "schedules.get": ("get", "/v2/schedules/{scheduleId}"),
    "schedules.get_default": ("get", "/v2/schedules/default"),
    "schedules.create": ("post", "/v2/schedules"),
    "schedules.update": ("patch", "/v2/schedules/{scheduleId}"),
    "schedules.delete": ("delete", "/v2/schedules/{scheduleId}"),
    "slots.list": ("get", "/v2/slots"),
    "slots.reserve": ("post", "/v2/slots/reservations"),
    "slots.get_reservation": ("get", "/v2/slots/reservations/{uid}"),
    "slots.update_reservation": ("patch", "/v2/slots/reservations/{uid}"),
    "slots.release": ("delete", "/v2/slots/reservations/{uid}"),
    "bookings.list": ("get", "/v2/bookings"),
    "bookings.get": ("get", "/v2/bookings/{bookingUid}"),
    "bookings.create": ("post", "/v2/bookings"),
    "bookings.cancel": ("post", "/v2/bookings/{bookingUid}/cancel"),
    "bookings.reschedule": ("post", "/v2/bookings/{bookingUid}/reschedule"),
    "bookings.confirm": ("post", "/v2/bookings/{bookingUid}/confirm"),
    "bookings.decline": ("post", "/v2/bookings/{bookingUid}/decline"),
    "bookings.mark_absent": ("post", "/v2/bookings/{bookingUid}/mark-absent"),
    "bookings.attendees": ("get", "/v2/bookings/{bookingUid}/attendees"),
    "bookings.attendee": ("get", "/v2/bookings/{bookingUid}/attendees/{attendeeId}"),
    "bookings.add_attendee": ("post", "/v2/bookings/{bookingUid}/attendees"),
    "bookings.add_guests": ("post", "/v2/bookings/{bookingUid}/guests"),
    "bookings.update_location": ("patch", "/v2/bookings/{bookingUid}/location"),
    "bookings.calendar_links": ("get", "/v2/bookings/{bookingUid}/calendar-links"),
    "bookings.references": ("get", "/v2/bookings/{bookingUid}/references"),
    "bookings.by_seat": ("get", "/v2/bookings/by-seat/{seatUid}"),
    "bookings.reassign": ("post", "/v2/bookings/{bookingUid}/reassign"),
    "bookings.reassign_to": ("post", "/v2/bookings/{bookingUid}/reassign/{userId}"),
    "teams.bookings": ("get", "/v2/teams/{teamId}/bookings"),
    "bookings.recordings": ("get", "/v2/bookings/{bookingUid}/recordings"),
    "bookings.transcripts": ("get", "/v2/bookings/{bookingUid}/transcripts"),
    "webhooks.list": ("get", "/v2/webhooks"),
    "webhooks.get": ("get", "/v2/webhooks/{webhookId}"),
    "webhooks.create": ("post", "/v2/webhooks"),
    "webhooks.update": ("patch", "/v2/webhooks/{webhookId}"),
    "webhooks.delete": ("delete", "/v2/webhooks/{webhookId}"),
    "event_type_webhooks.list": ("get", "/v2/event-types/{eventTypeId}/webhooks"),
    "event_type_webhooks.get": ("get", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
    "event_type_webhooks.create": ("post", "/v2/event-types/{eventTypeId}/webhooks"),
    "event_type_webhooks.update": ("patch", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
    "event_type_webhooks.delete": (
        "delete",
        "/v2/event-types/{eventTypeId}/webhooks/{webhookId}",
    ),
    "event_type_webhooks.delete_all": ("delete", "/v2/event-types/{eventTypeId}/webhooks"),
    "private_links.list": ("get", "/v2/event-types/{eventTypeId}/private-links"),
    "private_links.create": ("post", "/v2/event-types/{eventTypeId}/private-links"),
    "private_links.update": ("patch", "/v2/event-types/{eventTypeId}/private-links/{linkId}"),
    "private_links.delete": ("delete", "/v2/event-types/{eventTypeId}/private-links/{linkId}"),
    "api_keys.refresh": ("post", "/v2/api-keys/refresh"),
    "calendars.save_ics_feed": ("post", "/v2/calendars/ics-feed/save"),
    "calendars.check_ics_feed": ("get", "/v2/calendars/ics-feed/check"),
    "calendars.busy_times": ("get", "/v2/calendars/busy-times"),
    "calendars.list": ("get", "/v2/calendars"),
    "calendars.connect": ("get", "/v2/calendars/{calendar}/connect"),
    "calendars.save": ("get", "/v2/calendars/{calendar}/save"),
    "calendars.get_event": ("get", "/v2/calendars/{calendar}/event/{eventUid}"),
    "calendars.update_event": ("patch", "/v2/calendars/{calendar}/events/{eventUid}"),
    "calendars.save_credentials": ("post", "/v2/calendars/{calendar}/credentials"),
    "calendars.check": ("get", "/v2/calendars/{calendar}/check"),
    "calendars.disconnect": ("post", "/v2/calendars/{calendar}/disconnect"),
    "selected_calendars.add": ("post", "/v2/selected-calendars"),
    "selected_calendars.delete": ("delete", "/v2/selected-calendars"),
    "destination_calendars.update": ("put", "/v2/destination-calendars"),
    "teams.list": ("get", "/v2/teams"),
    "teams.get": ("get", "/v2/teams/{teamId}"),
    "teams.create": ("post", "/v2/teams"),
    "teams.update": ("patch", "/v2/teams/{teamId}"),
    "teams.delete": ("delete", "/v2/teams/{teamId}"),
    "teams.invite": ("post", "/v2/teams/{teamId}/invite"),
    "teams.schedules": ("get", "/v2/teams/{teamId}/schedules"),
    "team_memberships.list": ("get", "/v2/teams/{teamId}/memberships"),
    "team_memberships.get": ("get", "/v2/teams/{teamId}/memberships/{membershipId}"),
    "team_memberships.create": ("post", "/v2/teams/{teamId}/memberships"),
    "team_memberships.update": ("patch", "/v2/teams/{teamId}/memberships/{membershipId}"),
    "team_memberships.delete": ("delete", "/v2/teams/{teamId}/memberships/{membershipId}"),
    "team_event_types.list": ("get", "/v2/teams/{teamId}/event-types"),
    "team_event_types.get": ("get", "/v2/teams/{teamId}/event-types/{eventTypeId}"),
    "team_event_types.create": ("post", "/v2/teams/{teamId}/event-types"),
    "team_event_types.update": ("patch", "/v2/teams/{teamId}/event-types/{eventTypeId}"),
    "team_event_types.delete": ("delete", "/v2/teams/{teamId}/event-types/{eventTypeId}"),
    "team_event_type_webhooks.list": (
        "get",
        "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks",
    ),
    "team_event_type_webhooks.get": (
        "get",
        "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}",
    ),
    "team_event_type_webhooks.create": (
        "post",
        "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks",
    ),
    "team_event_type_webhooks.update": (
        "patch",
        "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}",
    ),
    "team_event_type_webhooks.delete": (
        "delete",
        "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}",
    ),
    "team_event_type_webhooks.delete_all": (
        "delete",
        "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks",
    ),
}

# Operations in cal-docs.txt but not in the reference file: (method, path, version, body schema,
# response schema, source). Bodies and responses borrow the organization-level OOO schemas.
EXTRA: dict[str, tuple[str, str, str | None, str | None, str | None, str]] = {
    "ooo.list": ("get", "/v2/me/ooo", None, None, "UserOoosOutputResponseDto", "cal-docs.txt"),
    "ooo.create": (
        "post",
        "/v2/me/ooo",
        None,
        "CreateOutOfOfficeEntryDto",
        "UserOooOutputResponseDto",
        "cal-docs.txt",
    ),
    "ooo.update": (
        "patch",
        "/v2/me/ooo/{oooId}",
        None,
        "UpdateOutOfOfficeEntryDto",
        "UserOooOutputResponseDto",
        "cal-docs.txt",
    ),
    "ooo.delete": (
        "delete",
        "/v2/me/ooo/{oooId}",
        None,
        None,
        "UserOooOutputResponseDto",
        "cal-docs.txt",
    ),
    "timezones.list": ("get", "/v2/timezones", None, None, None, "Cal.com API v2 (unversioned)"),
    # Cal.com's TeamsOOOController (its source; the reference file lacks it).
    "team_ooo.list": (
        "get",
        "/v2/teams/{teamId}/users/{userId}/ooo",
        None,
        None,
        "UserOoosOutputResponseDto",
        "Cal.com source: TeamsOOOController",
    ),
    "team_ooo.create": (
        "post",
        "/v2/teams/{teamId}/users/{userId}/ooo",
        None,
        "CreateOutOfOfficeEntryDto",
        "UserOooOutputResponseDto",
        "Cal.com source: TeamsOOOController",
    ),
    "team_ooo.update": (
        "patch",
        "/v2/teams/{teamId}/users/{userId}/ooo/{oooId}",
        None,
        "UpdateOutOfOfficeEntryDto",
        "UserOooOutputResponseDto",
        "Cal.com source: TeamsOOOController",
    ),
    "team_ooo.delete": (
        "delete",
        "/v2/teams/{teamId}/users/{userId}/ooo/{oooId}",
        None,
        None,
        "UserOooOutputResponseDto",
        "Cal.com source: TeamsOOOController",
    ),
    # Slotwise extensions (docs/extensions.md), answering a TeamMembershipOutput.
    "team_memberships.accept": (
        "post",
        "/v2/teams/{teamId}/memberships/{membershipId}/accept",
        None,
        None,
        "CreateTeamMembershipOutput",
        "Slotwise extension (docs/extensions.md)",
    ),
    "teams.accept_invite": (
        "post",
        "/v2/teams/invites/{token}/accept",
        None,
        None,
        "CreateTeamMembershipOutput",
        "Slotwise extension (docs/extensions.md)",
    ),
}

# ``data`` types the reference gets wrong (its slots schema says strings; its own examples and
# Cal.com's answers are objects with ``start`` and, for format=range, ``end``).
DATA_OVERRIDES = {
    "slots.list": "dict[str, list[Slot]]",
    "slots.release": "None",
    "timezones.list": "list[str]",
    # The reference types the list as one membership; Cal.com answers an array.
    "team_memberships.list": "list[TeamMembershipOutput]",
}
HAND_WRITTEN = '''
class Slot(TypedDict, total=False):
    """One slot of GET /v2/slots: ``start`` (ISO 8601 in the requested zone), ``end`` with
    format=range, seat counts for seated event types."""

    start: Required[str]
    end: str
    attendeesCount: int
    bookingUid: str
    seatsRemaining: int
'''

VERSION_RE = re.compile(r"Must be set to (\d{4}-\d{2}-\d{2})")


def ident(name: str) -> str:
    """A schema name as a Python identifier."""
    out = re.sub(r"\W", "_", name)
    return f"S_{out}" if out[0].isdigit() else out


def pascal(op: str) -> str:
    """``bookings.mark_absent`` -> ``BookingsMarkAbsent``."""
    return "".join(part.capitalize() for part in re.split(r"[._]", op))


class Generator:
    """Turns reference schemas into TypedDict declarations, following ``$ref``s."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self.emitted: dict[str, str] = {}
        self.pending: list[tuple[str, Any]] = []

    def ref(self, name: str) -> str:
        py = ident(name)
        if py not in self.emitted and all(p != py for p, _ in self.pending):
            self.pending.append((py, self.schemas[name]))
        return py

    def type_of(self, schema: Any, hint: str) -> str:
        """A Python type expression for ``schema``; ``hint`` names inline objects."""
        if not isinstance(schema, dict) or not schema:
            return "Any"
        if "$ref" in schema:
            return self.ref(schema["$ref"].rsplit("/", 1)[1])
        expr = self._base(schema, hint)
        if schema.get("nullable") and expr not in ("Any", "None"):
            expr = f"{expr} | None"
        return expr

    def _base(self, schema: dict[str, Any], hint: str) -> str:
        for key in ("oneOf", "anyOf"):
            if key in schema:
                parts = [self.type_of(s, f"{hint}_{i}") for i, s in enumerate(schema[key])]
                return union(parts)
        if "allOf" in schema:
            parts = [self.type_of(s, f"{hint}_{i}") for i, s in enumerate(schema["allOf"])]
            return parts[0] if len(parts) == 1 else "dict[str, Any]"
        kind = schema.get("type")
        enum = schema.get("enum")
        if enum and kind == "array":
            return f"list[{literal(enum)}]"
        if enum:
            return literal(enum)
        if kind == "array":
            return f"list[{self.type_of(schema.get('items'), hint + '_item')}]"
        if kind == "string":
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "object" or "properties" in schema:
            if schema.get("properties"):
                name = ident(hint)
                self.pending.append((name, schema))
                return name
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return f"dict[str, {self.type_of(extra, hint + '_value')}]"
            return "dict[str, Any]"
        return "Any"

    def typed_dict(self, name: str, schema: dict[str, Any]) -> str:
        required = set(schema.get("required", []))
        fields: list[tuple[str, str]] = []
        for key, sub in schema.get("properties", {}).items():
            expr = self.type_of(sub, f"{name}_{key}")
            fields.append((key, f"Required[{expr}]" if key in required else expr))
        doc = " ".join((schema.get("description") or "").split()).replace('"', "'")
        doc = doc.replace("\\", "/")
        if all(k.isidentifier() and not keyword.iskeyword(k) for k, _ in fields):
            lines = [f"class {name}(TypedDict, total=False):"]
            if doc:
                lines.append(f'    """{doc}"""')
            lines += [f"    {key}: {expr}" for key, expr in fields]
            if not fields and not doc:
                lines.append("    pass")
            return "\n".join(lines)
        # Keys that are not identifiers (``from``, ``x-y``) need the functional form.
        lines = [f"{name} = TypedDict(  # noqa: UP013 (keys that are not identifiers)"]
        lines += [f"    {json.dumps(name)},", "    {"]
        lines += [f"        {json.dumps(key)}: {json.dumps(expr)}," for key, expr in fields]
        lines += ["    },", "    total=False,", ")"]
        if doc:
            lines.append(f'"""{doc}"""')
        return "\n".join(lines)

    def drain(self) -> None:
        while self.pending:
            name, schema = self.pending.pop(0)
            if name in self.emitted:
                continue
            self.emitted[name] = ""  # reserve first: schemas may refer to themselves
            if schema.get("type") == "object" or "properties" in schema:
                self.emitted[name] = self.typed_dict(name, schema)
            else:
                alias = self._base(schema, name + "_inner")
                self.emitted[name] = f"{name}: TypeAlias = {alias}"


def union(parts: list[str]) -> str:
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return "Any" if "Any" in seen else " | ".join(seen)


def literal(values: list[Any]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


def api_version(operation: dict[str, Any]) -> str | None:
    for param in operation.get("parameters", []):
        if param.get("name") != "cal-api-version":
            continue
        default = param.get("schema", {}).get("default")
        if default:
            return str(default)
        found = VERSION_RE.search(param.get("description", ""))
        if found:
            return found.group(1)
    return None


def json_schema(container: dict[str, Any] | None) -> Any:
    if not container:
        return None
    return container.get("content", {}).get("application/json", {}).get("schema")


def generate(spec: dict[str, Any]) -> str:
    gen = Generator(spec)
    ops: list[str] = []
    aliases: list[str] = []

    def data_type(name: str, response: Any) -> str:
        if name in DATA_OVERRIDES:
            return DATA_OVERRIDES[name]
        if response is None:
            return "Any"
        if "$ref" in response:
            response = gen.schemas[response["$ref"].rsplit("/", 1)[1]]
        data = response.get("properties", {}).get("data")
        return gen.type_of(data, f"{pascal(name)}DataInline") if data else "Any"

    for name, (method, path) in SELECTION.items():
        op = spec["paths"][path][method]
        body = json_schema(op.get("requestBody"))
        success = next(r for code, r in op["responses"].items() if code.startswith("2"))
        body_t = gen.type_of(body, f"{pascal(name)}BodyInline") if body else "None"
        aliases.append(f"{pascal(name)}Body: TypeAlias = {body_t}")
        aliases.append(f"{pascal(name)}Data: TypeAlias = {data_type(name, json_schema(success))}")
        ops.append(
            f"    {name!r}: Operation({method.upper()!r}, {path!r}, "
            f"{op['operationId']!r}, {api_version(op)!r}),"
        )
    for name, (method, path, version, body_name, resp_name, source) in EXTRA.items():
        body_t = gen.ref(body_name) if body_name else "None"
        resp = {"$ref": f"#/components/schemas/{resp_name}"} if resp_name else None
        aliases.append(f"{pascal(name)}Body: TypeAlias = {body_t}")
        aliases.append(f"{pascal(name)}Data: TypeAlias = {data_type(name, resp)}")
        ops.append(
            f"    {name!r}: Operation({method.upper()!r}, {path!r}, None, {version!r}),  # {source}"
        )
    gen.drain()
    header = '''"""GENERATED by scripts/gen_client_models.py from cal-api-v2.openapi.json; do not
edit.

Request bodies (``<Operation>Body``) and response ``data`` (``<Operation>Data``) of the SDK's
operations, as TypedDicts of the reference's component schemas, and ``OPERATIONS``: method, path,
operationId and the ``cal-api-version`` each operation needs.
"""

# Generated: long Literal unions and descriptions stay on one line.
# ruff: noqa: E501

from __future__ import annotations

from typing import Any, Literal, NamedTuple, Required, TypeAlias, TypedDict


class Operation(NamedTuple):
    """One API v2 operation: HTTP method, path template, reference operationId (None when
    only the docs list it) and the ``cal-api-version`` header to send (None: send none)."""

    method: str
    path: str
    operation_id: str | None
    api_version: str | None


OPERATIONS: dict[str, Operation] = {
'''
    parts = [header + "\n".join(ops) + "\n}\n", HAND_WRITTEN]
    parts += [gen.emitted[n] for n in sorted(gen.emitted)]
    parts += aliases
    return "\n\n".join(p.strip("\n") for p in parts) + "\n"


def formatted(text: str) -> str:
    """``text`` after ``ruff format`` (the project's formatter, a dev dependency)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "models_generated.py"
        path.write_text(text)
        config = str(ROOT / "pyproject.toml")
        subprocess.run(["ruff", "format", "--quiet", "--config", config, str(path)], check=True)
        return path.read_text()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--spec", type=Path, default=SPEC)
    args = parser.parse_args()
    text = formatted(generate(json.loads(args.spec.read_text())))
    if args.check:
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run scripts/gen_client_models.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
