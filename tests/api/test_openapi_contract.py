"""The mechanism of the server's /openapi.json (kit/openapi.py): error answers with the
envelope, no phantom 422, the bearer scheme, ``cal-api-version`` where Cal.com's reference
declares it, typed success answers, one answer per version where a path serves several.

The expected header list is written here (taken from the reference once), so the test needs no
copy of Cal.com's OpenAPI file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from slotwise.app import create_app
from slotwise.config import Settings

ERROR_REF = "#/components/schemas/ErrorResponse"

# (method, path) -> the cal-api-version values the route accepts. The reference declares the
# header (required) on exactly the first 32; the last one is a Slotwise route under the
# bookings' version (the reference lacks it), so the header is required there too.
VERSIONED: dict[tuple[str, str], list[str]] = {
    ("GET", "/v2/schedules"): ["2024-06-11"],
    ("POST", "/v2/schedules"): ["2024-06-11"],
    ("GET", "/v2/schedules/default"): ["2024-06-11"],
    ("GET", "/v2/schedules/{scheduleId}"): ["2024-06-11"],
    ("PATCH", "/v2/schedules/{scheduleId}"): ["2024-06-11"],
    ("DELETE", "/v2/schedules/{scheduleId}"): ["2024-06-11"],
    ("POST", "/v2/event-types"): ["2024-06-14"],
    ("GET", "/v2/event-types"): ["2024-06-14"],
    ("GET", "/v2/event-types/{eventTypeId}"): ["2024-06-14"],
    ("PATCH", "/v2/event-types/{eventTypeId}"): ["2024-06-14"],
    ("DELETE", "/v2/event-types/{eventTypeId}"): ["2024-06-14"],
    ("GET", "/v2/slots"): ["2024-09-04"],
    ("POST", "/v2/slots/reservations"): ["2024-09-04"],
    ("GET", "/v2/slots/reservations/{uid}"): ["2024-09-04"],
    ("PATCH", "/v2/slots/reservations/{uid}"): ["2024-09-04"],
    ("DELETE", "/v2/slots/reservations/{uid}"): ["2024-09-04"],
    ("POST", "/v2/bookings"): ["2024-08-13"],
    ("GET", "/v2/bookings"): ["2024-08-13", "2026-05-01"],
    ("GET", "/v2/bookings/by-seat/{seatUid}"): ["2024-08-13"],
    ("GET", "/v2/bookings/{bookingUid}"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/cancel"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/reschedule"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/confirm"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/reassign"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/reassign/{userId}"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/decline"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/mark-absent"): ["2024-08-13"],
    ("PATCH", "/v2/bookings/{bookingUid}/location"): ["2024-08-13"],
    ("GET", "/v2/bookings/{bookingUid}/attendees"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/attendees"): ["2024-08-13"],
    ("GET", "/v2/bookings/{bookingUid}/attendees/{attendeeId}"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/guests"): ["2024-08-13"],
    ("GET", "/v2/bookings/{bookingUid}/references"): ["2024-08-13"],
    ("GET", "/v2/bookings/{bookingUid}/calendar-links"): ["2024-08-13"],
    ("POST", "/v2/bookings/{bookingUid}/request-reschedule"): ["2024-08-13"],
}
# Served without the header too (the legacy answer): declared, but not required.
OPTIONAL_VERSION = {("GET", "/v2/slots")}
# Operations that answer without any API key and never read one.
PUBLIC = {
    ("GET", "/v2/slots"),
    ("GET", "/v2/slots/reservations/{uid}"),
    ("DELETE", "/v2/slots/reservations/{uid}"),
    ("GET", "/v2/timezones"),
    ("GET", "/v2/calendars/{calendar}/save"),  # the OAuth callback: the signed state says who
}
# Operations where a key is optional (a bad one is still refused with 401).
OPTIONAL_KEY = {
    ("GET", "/v2/event-types"),
    ("GET", "/v2/teams/{teamId}/event-types"),
    ("POST", "/v2/slots/reservations"),
    ("PATCH", "/v2/slots/reservations/{uid}"),
    ("POST", "/v2/bookings"),
    ("GET", "/v2/bookings/by-seat/{seatUid}"),
    ("GET", "/v2/bookings/{bookingUid}"),
    ("POST", "/v2/bookings/{bookingUid}/cancel"),
    ("POST", "/v2/bookings/{bookingUid}/reschedule"),
}
UNPROCESSABLE = {
    ("POST", "/v2/slots/reservations"),
    ("PATCH", "/v2/slots/reservations/{uid}"),
    ("POST", "/v2/bookings"),  # a team event type without hosts
}


async def _fetch(app: Any) -> httpx2.Response:
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
        return await c.get("/openapi.json")


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """/openapi.json as the server serves it."""
    tmp: Path = tmp_path_factory.mktemp("openapi")
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp / 'db.sqlite'}", worker_in_process=False)
    )
    response = asyncio.run(_fetch(app))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (METHOD, path, operation) of the document."""
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def _error_ref(response: dict[str, Any]) -> str | None:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


def test_every_operation_declares_its_errors_with_the_envelope(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        responses = op["responses"]
        name = f"{method} {path}"
        for code in ("400", "429"):
            assert _error_ref(responses[code]) == ERROR_REF, name
        if (method, path) in PUBLIC:
            assert "401" not in responses, name
        else:
            assert _error_ref(responses["401"]) == ERROR_REF, name
        if "{" in path or (method, path) in VERSIONED:
            assert _error_ref(responses["404"]) == ERROR_REF, name
        if "requestBody" in op:
            assert _error_ref(responses["413"]) == ERROR_REF, name
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                assert _error_ref(response) == ERROR_REF, (name, code)


def test_no_phantom_422(doc: dict[str, Any]) -> None:
    with_422 = {(m, p) for m, p, op in operations(doc) if "422" in op["responses"]}
    assert with_422 == UNPROCESSABLE
    assert "HTTPValidationError" not in doc["components"]["schemas"]


def test_error_envelope_schema(doc: dict[str, Any]) -> None:
    schema = doc["components"]["schemas"]["ErrorResponse"]
    assert set(schema["required"]) == {"status", "timestamp", "path", "error"}
    assert schema["properties"]["status"]["enum"] == ["error"]
    assert set(schema["properties"]["error"]["required"]) == {"code", "message"}
    assert "details" in schema["properties"]["error"]["properties"]


def test_bearer_scheme_and_per_operation_security(doc: dict[str, Any]) -> None:
    scheme = doc["components"]["securitySchemes"]["bearer"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    for method, path, op in operations(doc):
        key = (method, path)
        if key in PUBLIC:
            assert op["security"] == [], key
        elif key in OPTIONAL_KEY:
            assert op["security"] == [{"bearer": []}, {}], key
        else:
            assert op["security"] == [{"bearer": []}], key


def test_cal_api_version_declared_where_the_reference_declares_it(doc: dict[str, Any]) -> None:
    declared: dict[tuple[str, str], dict[str, Any]] = {}
    for method, path, op in operations(doc):
        for param in op.get("parameters", []):
            if param["name"] == "cal-api-version":
                assert param["in"] == "header"
                declared[(method, path)] = param
    assert set(declared) == set(VERSIONED)
    for key, param in declared.items():
        assert param["schema"]["enum"] == VERSIONED[key], key
        assert param["required"] is (key not in OPTIONAL_VERSION), key


def test_success_answers_are_typed(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    for method, path, op in operations(doc):
        success = [c for c in op["responses"] if c.startswith("2")]
        assert len(success) == 1, (method, path)
        if success[0] == "204":
            assert "content" not in op["responses"]["204"]
            continue
        schema = op["responses"][success[0]]["content"]["application/json"]["schema"]
        refs = [s["$ref"] for s in schema.get("oneOf", [schema])]
        for ref in refs:
            target = schemas[ref.rsplit("/", 1)[1]]
            assert "status" in target["properties"], (method, path, ref)


def test_several_versions_list_each_answer(doc: dict[str, Any]) -> None:
    slots = doc["paths"]["/v2/slots"]["get"]
    refs = [
        s["$ref"]
        for s in slots["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"]
    ]
    assert refs == [
        "#/components/schemas/SlotsOutput_2024_09_04",
        "#/components/schemas/LegacySlotsOutput",
    ]
    names = {p["name"]: p for p in slots["parameters"]}
    assert {"start", "end", "startTime", "endTime"} <= set(names)
    assert not any(names[n]["required"] for n in ("start", "end", "startTime", "endTime"))
    bookings = doc["paths"]["/v2/bookings"]["get"]["responses"]["200"]["content"]
    refs = [s["$ref"] for s in bookings["application/json"]["schema"]["oneOf"]]
    assert refs == [
        "#/components/schemas/GetBookingsOutput_2024_08_13",
        "#/components/schemas/CursorBookingsOutput_2026_05_01",
    ]


def test_reference_mistakes_are_corrected(doc: dict[str, Any]) -> None:
    """The wire shapes Cal.com's server really sends (docs/compatibility.md)."""
    schemas = doc["components"]["schemas"]
    assert schemas["UserWebhookOutputDto"]["properties"]["payloadTemplate"]["type"] == [
        "string",
        "null",
    ]
    default = schemas["GetDefaultScheduleOutput_2024_06_11"]["properties"]["data"]
    assert {"type": "null"} in default["anyOf"]
    availability = schemas["ScheduleAvailabilityInput_2024_06_11"]["properties"]
    assert "enum" in availability["days"]["items"] and "enum" not in availability["days"]
    assert availability["startTime"]["pattern"] != "TIME_FORMAT_HH_MM"
    seats = schemas["EventTypeOutput_2024_06_14"]["properties"]["seats"]["anyOf"]
    assert {"$ref": "#/components/schemas/Disabled_2024_06_14"} in seats
