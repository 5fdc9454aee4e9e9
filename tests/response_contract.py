"""Every 2xx JSON answer the API tests receive is checked against the reference schema of its
operation (issue 11): an httpx2 response hook on the ``client`` fixture (tests/conftest.py).

The reference schemas are the SDK's models generated from Cal.com's OpenAPI file
(``slotwise.client.models_generated``: ``OPERATIONS`` and one ``<Operation>Data`` type per
operation). The operation is found from the request's method, its path (matched against the
path templates) and its ``cal-api-version`` header; the answer's ``data`` must then be a value of
the ``Data`` type:

- a TypedDict: a JSON object with every ``Required`` key; known keys must match their types;
  keys the reference does not name are allowed (our extensions, docs/extensions.md);
- ``X | Y`` (the reference's ``oneOf``/``anyOf``, read as ``anyOf``): one alternative matches;
  ``| None`` (the reference's ``nullable``) allows null;
- ``Literal[...]``: one of the values; ``float`` any JSON number, ``int`` an integer, ``bool``,
  ``str``, ``list[...]``, ``dict[str, ...]``; ``Any`` anything.

Documented deviations (docs/compatibility.md) are the explicit allow-list of
``tests/response_contract_allowlist.py``; operations Slotwise serves that the reference does
not name are listed there too (``NOT_IN_REFERENCE``), so nothing is skipped silently: an answer
of an operation in neither place fails the test.
"""

from __future__ import annotations

import json
import os
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Union

import httpx2

from slotwise.client import models_generated
from tests.response_contract_allowlist import ALLOWED, NOT_IN_REFERENCE

VERSION_HEADER = "cal-api-version"
# Survey mode: with SLOTWISE_CONTRACT_RECORD=FILE, mismatches are appended to FILE instead of
# failing the test (to review them all at once when the reference or the server changes).
RECORD_TO = os.environ.get("SLOTWISE_CONTRACT_RECORD")


@dataclass(frozen=True)
class Route:
    """One reference operation: its SDK name, its ``Data`` type and its path matcher."""

    name: str
    method: str
    template: str
    version: str | None
    pattern: re.Pattern[str]

    @property
    def data_type(self) -> Any:
        """The reference type of the answer's ``data``."""
        return getattr(models_generated, data_type_name(self.name))


def data_type_name(operation: str) -> str:
    """``event_types.list`` → ``EventTypesListData``."""
    parts = operation.replace(".", "_").split("_")
    return "".join(p[:1].upper() + p[1:] for p in parts) + "Data"


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts if p) + "/?"
    )


@cache
def routes() -> tuple[Route, ...]:
    """The reference operations, literal paths before templated ones (``/v2/schedules/default``
    before ``/v2/schedules/{scheduleId}``)."""
    found = [
        Route(name, op.method, op.path, op.api_version, _pattern(op.path))
        for name, op in models_generated.OPERATIONS.items()
    ]
    return tuple(sorted(found, key=lambda r: r.template.count("{")))


def find_operation(method: str, path: str, version: str | None) -> Route | None:
    """The reference operation answering ``method path`` with header ``version``, if any."""
    for route in routes():
        if route.method != method or not route.pattern.fullmatch(path):
            continue
        if route.version is None or route.version == version:
            return route
    return None


def _template_of(method: str, path: str) -> str | None:
    for key in NOT_IN_REFERENCE:
        m, _, template = key.partition(" ")
        if m == method and _pattern(template).fullmatch(path):
            return key
    return None


def mismatches(value: Any, expected: Any, where: str = "$", operation: str = "") -> list[str]:
    """Where ``value`` (decoded JSON) is not a value of the type ``expected``; paths that
    :data:`ALLOWED` lists for ``operation`` are not checked."""
    origin = typing.get_origin(expected)
    if expected is Any or _allowed(operation, where):
        return []
    if expected is None or expected is type(None):
        return [] if value is None else [f"{where}: {value!r} is not null"]
    if origin in (Union, types.UnionType):
        alternatives = typing.get_args(expected)
        found = [mismatches(value, alt, where, operation) for alt in alternatives]
        if any(not f for f in found):
            return []
        best = min(found, key=len)
        return best if len(alternatives) == 1 else [f"{where}: no alternative matches: {best}"]
    if origin is Literal:
        options = typing.get_args(expected)
        return [] if value in options else [f"{where}: {value!r} is not one of {list(options)}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: expected an array, got {_kind(value)}"]
        (item,) = typing.get_args(expected) or (Any,)
        return [
            m for i, v in enumerate(value) for m in mismatches(v, item, f"{where}[{i}]", operation)
        ]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {_kind(value)}"]
        _, item = typing.get_args(expected) or (str, Any)
        return [m for k, v in value.items() for m in mismatches(v, item, f"{where}.{k}", operation)]
    if typing.is_typeddict(expected):
        return _typeddict_mismatches(value, expected, where, operation)
    if expected is dict:
        return [] if isinstance(value, dict) else [f"{where}: expected an object"]
    if expected is list:
        return [] if isinstance(value, list) else [f"{where}: expected an array"]
    if expected is bool:
        return [] if isinstance(value, bool) else [f"{where}: {value!r} is not a boolean"]
    if expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not a number"]
    if expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not an integer"]
    if expected is str:
        return [] if isinstance(value, str) else [f"{where}: {value!r} is not a string"]
    raise TypeError(f"{where}: no rule for the reference type {expected!r}")


def _kind(value: Any) -> str:
    return type(value).__name__ if value is not None else "null"


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def _typeddict_mismatches(value: Any, cls: Any, where: str, operation: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object ({cls.__name__}), got {_kind(value)}"]
    found: list[str] = []
    for key, hint in _hints(cls).items():
        # Not cls.__required_keys__: the generated module's annotations are strings
        # (``from __future__ import annotations``), which hides Required[] from it.
        required = bool(cls.__total__)
        inner = hint
        while typing.get_origin(inner) in (typing.Required, typing.NotRequired):
            required = typing.get_origin(inner) is typing.Required
            (inner,) = typing.get_args(inner)
        if key not in value:
            if required and not _allowed(operation, f"{where}.{key}"):
                found.append(f"{where}.{key}: required by {cls.__name__}, missing")
            continue
        found.extend(mismatches(value[key], inner, f"{where}.{key}", operation))
    return found


def _allowed(operation: str, where: str) -> bool:
    """Whether the JSON path ``where`` of ``operation``'s data is a documented deviation."""
    return bool(ALLOWED) and (operation, re.sub(r"\[\d+\]", "[]", where)) in ALLOWED


async def check_response(response: httpx2.Response) -> None:
    """The response hook: raise AssertionError when a 2xx JSON answer under /v2 does not match
    its operation's reference schema (or its operation is unknown)."""
    request = response.request
    path = request.url.path
    if not (200 <= response.status_code < 300 and path.startswith("/v2/")):
        return
    if "json" not in response.headers.get("content-type", ""):
        return
    await response.aread()
    method = request.method
    route = find_operation(method, path, request.headers.get(VERSION_HEADER))
    if route is None:
        if _template_of(method, path) is not None:
            return
        if RECORD_TO:
            with open(RECORD_TO, "a") as record:
                record.write(f"UNKNOWN\t{method} {path} {request.headers.get(VERSION_HEADER)}\n")
            return
        raise AssertionError(
            f"{method} {path} (cal-api-version {request.headers.get(VERSION_HEADER)!r}) answered "
            f"{response.status_code} but is no operation of the reference: add it to "
            "NOT_IN_REFERENCE in tests/response_contract_allowlist.py, with its reason"
        )
    body = json.loads(response.content or b"null")
    if not isinstance(body, dict) or body.get("status") != "success":
        raise AssertionError(f"{method} {path}: a 2xx JSON answer without Cal.com's envelope")
    # An operation without data (``SlotsReleaseData = None``) answers {"status": "success"}.
    problems = mismatches(body.get("data"), route.data_type, "$", route.name)
    if problems and RECORD_TO:
        with open(RECORD_TO, "a") as record:
            test = os.environ.get("PYTEST_CURRENT_TEST", "")
            record.writelines(f"{route.name}\t{p}\t{test}\n" for p in problems)
        return
    if problems:
        shown = "\n  ".join(problems[:20])
        raise AssertionError(
            f"{method} {path} ({route.name}, reference {data_type_name(route.name)}): "
            f"the answer's data does not match the reference schema:\n  {shown}\n"
            "A Slotwise bug, or a documented deviation to add to "
            "tests/response_contract_allowlist.py with its docs/compatibility.md row"
        )
