"""The tool kit's catalog: the reference's 141 actions, nothing invented, each with a JSON Schema
that passes a validator; the mapping of arguments onto API v2 calls; the export command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from slotwise.cli import app
from slotwise.toolkit import actions, build_request, tool_definitions
from slotwise.toolkit.execute import check_arguments

REFERENCE = Path(__file__).parents[3] / "shared" / "reference" / "cal-actions.json"
PACKAGED = Path(__file__).parents[2] / "src" / "slotwise" / "toolkit" / "cal_actions.json"


def test_the_141_reference_actions_and_no_others() -> None:
    source = REFERENCE if REFERENCE.exists() else PACKAGED
    reference = json.loads(source.read_text())
    assert len(actions()) == 141
    assert list(actions()) == [a["slug"] for a in reference]
    for raw in reference:
        action = actions()[raw["slug"]]
        assert action.description == raw["description"]
        assert {i["name"] for i in raw["inputs"]} <= set(action.input_schema()["properties"])


def test_packaged_copy_is_the_reference() -> None:
    if REFERENCE.exists():
        assert json.loads(PACKAGED.read_text()) == json.loads(REFERENCE.read_text())


@pytest.mark.parametrize("slug", list(actions()))
def test_every_schema_is_valid_json_schema(slug: str) -> None:
    action = actions()[slug]
    schema = action.input_schema()
    Draft202012Validator.check_schema(schema)
    raw = {i.name: i for i in action.inputs}
    assert sorted(schema["required"]) == sorted(n for n, i in raw.items() if i.required)
    for name, prop in schema["properties"].items():
        assert prop["type"] in {"string", "integer", "boolean", "array", "object", "number"}
        if raw[name].enum and prop["type"] != "array":
            assert prop["enum"] == list(raw[name].enum)


def test_arguments_are_checked_against_the_schema() -> None:
    action = actions()["CAL_RETRIEVE_BOOKING_DETAILS_BY_UID"]
    assert check_arguments(action, {"bookingUid": "abc"}) is None
    assert "required property" in (check_arguments(action, {}) or "")
    assert "Additional properties" in (check_arguments(action, {"bookingUid": "a", "x": 1}) or "")
    members = actions()["CAL_ADD_MEMBER_TO_TEAM_USING_ORG_AND_TEAM_ID"]
    problem = check_arguments(members, {"orgId": 1, "teamId": 2, "userId": 3, "role": "KING"})
    assert problem is not None and "is not one of" in problem


def test_arguments_become_path_query_and_nested_body() -> None:
    req = build_request(
        actions()["CAL_ADD_MEMBER_TO_TEAM_USING_ORG_AND_TEAM_ID"],
        {"orgId": 7, "teamId": 9, "userId": 3, "role": "ADMIN"},
    )
    assert req["method"] == "POST"
    assert req["path"] == "/v2/organizations/7/teams/9/memberships"
    assert req["json"] == {"userId": 3, "role": "ADMIN"}
    nested = build_request(
        actions()["CAL_CREATE_TEAM_EVENT_TYPE"],
        {"teamId": 1, "title": "T", "color__darkThemeHex": "#000000"},
    )
    assert nested["json"]["color"] == {"darkThemeHex": "#000000"}
    bookings = build_request(
        actions()["CAL_FETCH_ALL_BOOKINGS"], {"status": ["upcoming", "past"], "take": 5}
    )
    assert bookings == {
        "method": "GET",
        "path": "/v2/bookings",
        "params": {"status": ["upcoming", "past"], "take": 5},
        "json": None,
        "api_version": "2024-08-13",
    }


def test_legacy_names_map_onto_the_current_operation() -> None:
    slots = build_request(
        actions()["CAL_GET_AVAILABLE_SLOTS_INFO"],
        {
            "eventTypeId": 3,
            "startTime": "2050-09-05",
            "endTime": "2050-09-06",
            "slotFormat": "range",
        },
    )
    assert slots["path"] == "/v2/slots"
    assert slots["params"] == {"eventTypeId": 3, "start": "2050-09-05", "end": "2050-09-06",
                               "format": "range"}  # fmt: skip
    assert slots["api_version"] == "2024-09-04"
    reserve = build_request(
        actions()["CAL_RESERVE_SLOT_FOR_EVENT"],
        {"eventTypeId": 3, "slotUtcStartDate": "2050-09-05T09:00:00Z",
         "slotUtcEndDate": "2050-09-05T09:45:00Z", "bookingUid": "x"},
    )  # fmt: skip
    assert reserve["json"] == {"eventTypeId": 3, "slotStart": "2050-09-05T09:00:00Z",
                               "slotDuration": 45}  # fmt: skip
    fixed = build_request(actions()["CAL_CHECK_GCAL_SYNCHRONIZATION_STATUS"], {})
    assert fixed["path"] == "/v2/calendars/google/check"
    assert build_request(actions()["CAL_GET_ALL_TIMEZONES"], {})["path"] == "/v2/timezones"


@pytest.mark.parametrize("fmt", ["openai", "anthropic"])
def test_export_prints_tool_definitions(fmt: str) -> None:
    result = CliRunner().invoke(app, ["toolkit", "export", "--format", fmt])
    assert result.exit_code == 0, result.output
    tools = json.loads(result.stdout)
    assert tools == tool_definitions(fmt)  # type: ignore[arg-type]
    assert len(tools) == 141
    for tool in tools:
        if fmt == "openai":
            assert tool["type"] == "function"
            name, schema = tool["function"]["name"], tool["function"]["parameters"]
        else:
            name, schema = tool["name"], tool["input_schema"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name)
        Draft202012Validator.check_schema(schema)


def test_export_refuses_unknown_formats() -> None:
    result = CliRunner().invoke(app, ["toolkit", "export", "--format", "yaml"])
    assert result.exit_code != 0
