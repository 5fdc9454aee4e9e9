"""The response contract checker (tests/response_contract.py) and its allow-list."""

from __future__ import annotations

import typing
from typing import Any, Literal

import httpx2
import pytest
from tests.response_contract import (
    check_response,
    data_type_name,
    find_operation,
    mismatches,
)
from tests.response_contract_allowlist import ALLOWED, NOT_IN_REFERENCE

from slotwise.client import models_generated

SCHEDULE: dict[str, Any] = {
    "id": 1,
    "ownerId": 1,
    "name": "Office hours",
    "timeZone": "Europe/Rome",
    "availability": [{"days": ["Monday"], "startTime": "09:00", "endTime": "17:00"}],
    "isDefault": True,
    "overrides": [],
}


def test_operations_are_found_by_method_path_and_version() -> None:
    default = find_operation("GET", "/v2/schedules/default", "2024-06-11")
    assert default is not None and default.name == "schedules.get_default"
    one = find_operation("GET", "/v2/schedules/7", "2024-06-11")
    assert one is not None and one.name == "schedules.get"
    assert find_operation("GET", "/v2/schedules/7", "2024-09-04") is None  # wrong version
    me = find_operation("GET", "/v2/me", "2024-08-13")  # unversioned: any header
    assert me is not None and me.name == "me.get"
    assert find_operation("GET", "/v2/nothing", None) is None


def test_every_operation_has_its_data_type() -> None:
    for name in models_generated.OPERATIONS:
        assert hasattr(models_generated, data_type_name(name)), name


def test_a_valid_answer_passes_and_mistakes_are_named() -> None:
    kind = models_generated.SchedulesGetDefaultData
    assert mismatches(SCHEDULE, kind) == []
    assert mismatches({**SCHEDULE, "extension": 1}, kind) == []  # extra keys are allowed
    missing = {k: v for k, v in SCHEDULE.items() if k != "timeZone"}
    assert mismatches(missing, kind) == [
        "$.timeZone: required by ScheduleOutput_2024_06_11, missing"
    ]
    assert mismatches({**SCHEDULE, "id": "1"}, kind) == ["$.id: '1' is not a number"]
    assert mismatches({**SCHEDULE, "isDefault": 1}, kind) == ["$.isDefault: 1 is not a boolean"]
    assert mismatches([SCHEDULE], kind) != []
    assert mismatches(None, kind) != []  # the reference says an object; allow-listed below


def test_the_allow_list_applies_per_operation_and_path() -> None:
    kind = models_generated.SchedulesGetDefaultData
    assert mismatches(None, kind, "$", "schedules.get_default") == []
    assert mismatches(None, kind, "$", "schedules.get") != []


def test_allow_list_entries_name_real_operations_and_reasons() -> None:
    for operation, path in ALLOWED:
        assert operation in models_generated.OPERATIONS, operation
        assert path.startswith("$"), path
        assert ALLOWED[(operation, path)].strip()
    for key, reason in NOT_IN_REFERENCE.items():
        method, _, path = key.partition(" ")
        assert method in {"GET", "POST", "PATCH", "PUT", "DELETE"} and path.startswith("/v2/")
        assert reason.strip()


def _response(
    method: str, path: str, body: Any, version: str | None, status: int = 200
) -> httpx2.Response:
    headers = {"cal-api-version": version} if version else {}
    request = httpx2.Request(method, f"http://slotwise.test{path}", headers=headers)
    return httpx2.Response(status, json=body, request=request)


async def test_the_hook_fails_a_mismatching_answer() -> None:
    good = {"status": "success", "data": SCHEDULE}
    await check_response(_response("GET", "/v2/schedules/1", good, "2024-06-11"))
    bad = {"status": "success", "data": {**SCHEDULE, "availability": "always"}}
    with pytest.raises(AssertionError, match=r"\$\.availability: expected an array"):
        await check_response(_response("GET", "/v2/schedules/1", bad, "2024-06-11"))
    # errors and non-API paths are not checked
    await check_response(_response("GET", "/v2/schedules/1", {"x": 1}, "2024-06-11", 404))
    await check_response(_response("GET", "/health", {"status": "ok"}, None))


async def test_the_hook_refuses_operations_nobody_listed() -> None:
    body = {"status": "success", "data": {}}
    with pytest.raises(AssertionError, match="NOT_IN_REFERENCE"):
        await check_response(_response("GET", "/v2/organizations/1/teams", body, None))
    await check_response(_response("GET", "/v2/credits/available", body, None))


def test_reference_types_are_all_understood() -> None:
    """Every type the generated models use has a rule (no TypeError on any Data type)."""
    seen: set[Any] = set()

    def walk(kind: Any) -> None:
        if kind in seen:
            return
        seen.add(kind)
        if typing.is_typeddict(kind):
            for hint in typing.get_type_hints(kind, include_extras=True).values():
                walk(hint)
        origin = typing.get_origin(kind)
        if origin is Literal:
            return
        for arg in typing.get_args(kind):
            walk(arg)
        if origin is None and not typing.is_typeddict(kind):
            mismatches(object(), kind)  # raises TypeError for a type without a rule

    for name in models_generated.OPERATIONS:
        walk(getattr(models_generated, data_type_name(name)))
