"""Performing an action: arguments checked against its JSON Schema, mapped onto the API v2 call
(path, query, body), sent through the SDK; the answer in the connector's shape
``{"successful": bool, "data": …, "error": str | None}``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict

import jsonschema

from slotwise.client import AsyncClient, Client, SlotwiseAPIError, SlotwiseError
from slotwise.client._common import render_path
from slotwise.toolkit.catalog import RENAMES, Action, actions


class Result(TypedDict):
    """What an action returns: ``data`` is the API's ``data`` on success (the error body, or
    ``{}``, on failure); ``error`` is None on success, else the reason."""

    successful: bool
    data: Any
    error: str | None


class Request(TypedDict):
    """An API v2 call: method, path (filled), query params, JSON body (None: no body), version."""

    method: str
    path: str
    params: dict[str, Any]
    json: Any
    api_version: str | None


def _minutes_between(start: Any, end: Any) -> int | None:
    try:
        a = datetime.fromisoformat(str(start).replace("Z", "+00:00"))
        b = datetime.fromisoformat(str(end).replace("Z", "+00:00"))
    except ValueError:
        return None
    return int((b - a).total_seconds() // 60)


def build_request(action: Action, arguments: Mapping[str, Any]) -> Request:
    """The call ``action`` makes for ``arguments`` (already valid against its schema).

    Raises ValueError when the action maps to no API v2 operation."""
    if action.method is None or action.path is None:
        raise ValueError(f"{action.slug} maps to no Cal.com API v2 operation")
    renames = RENAMES.get(action.slug, {})
    path_params: dict[str, Any] = dict(action.fixed_path_params)
    params: dict[str, Any] = {}
    body: dict[str, Any] = {}
    for item in action.inputs:
        if item.name not in arguments:
            continue
        value = arguments[item.name]
        name = renames.get(item.name, item.name)
        if item.location == "path" or "{" + item.name + "}" in action.path:
            path_params[item.name] = value
        elif item.location == "query":
            params[name] = value
        else:
            target = body
            parts = (item.body_path or name).split(".")
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
    if action.slug == "CAL_RESERVE_SLOT_FOR_EVENT":
        # The legacy end instant becomes the current operation's slotDuration (minutes); the
        # legacy bookingUid has no counterpart.
        end = body.pop("slotUtcEndDate", None)
        body.pop("bookingUid", None)
        minutes = _minutes_between(body.get("slotStart"), end) if end else None
        if minutes:
            body["slotDuration"] = minutes
    options = body.get("lengthInMinutesOptions")
    if isinstance(options, list):
        # The connector types the durations as strings; the operation takes minutes.
        body["lengthInMinutesOptions"] = [
            int(v) if isinstance(v, str) and v.strip().isdigit() else v for v in options
        ]
    has_body = action.method in {"POST", "PUT", "PATCH"}
    return Request(
        method=action.method,
        path=render_path(action.path, path_params),
        params=params,
        json=body if has_body else None,
        api_version=action.api_version,
    )


def check_arguments(action: Action, arguments: Mapping[str, Any]) -> str | None:
    """None if ``arguments`` satisfy the action's schema, else the validator's message."""
    try:
        jsonschema.validate(dict(arguments), action.input_schema())
    except jsonschema.ValidationError as exc:
        where = ".".join(str(p) for p in exc.absolute_path)
        return f"Invalid arguments for {action.slug}: {exc.message}" + (
            f" (at {where})" if where else ""
        )
    return None


def _failure(exc: SlotwiseError) -> Result:
    if isinstance(exc, SlotwiseAPIError):
        code = f" {exc.code}" if exc.code else ""
        data = exc.body if isinstance(exc.body, dict) else {}
        return Result(successful=False, data=data, error=f"{exc.status}{code}: {exc.message}")
    return Result(successful=False, data={}, error=str(exc))


def _prepare(slug: str, arguments: Mapping[str, Any] | None) -> tuple[Request | None, str]:
    """The request to send, or None and why not."""
    action = actions().get(slug)
    if action is None:
        return None, f"Unknown action {slug}"
    args = dict(arguments or {})
    problem = check_arguments(action, args)
    if problem:
        return None, problem
    try:
        return build_request(action, args), ""
    except ValueError as exc:
        return None, str(exc)


def execute(client: Client, slug: str, arguments: Mapping[str, Any] | None = None) -> Result:
    """Run action ``slug`` with ``arguments`` through ``client``. Never raises for API or
    argument problems: they come back as ``successful: False`` with the reason (for API errors,
    the server's status, code and message)."""
    req, problem = _prepare(slug, arguments)
    if req is None:
        return Result(successful=False, data={}, error=problem)
    try:
        page = client.send(
            req["method"], req["path"], params=req["params"], json=req["json"],
            api_version=req["api_version"],
        )  # fmt: skip
    except SlotwiseError as exc:
        return _failure(exc)
    return Result(successful=True, data=page.data, error=None)


async def aexecute(
    client: AsyncClient, slug: str, arguments: Mapping[str, Any] | None = None
) -> Result:
    """:func:`execute` with an :class:`~slotwise.client.AsyncClient`."""
    req, problem = _prepare(slug, arguments)
    if req is None:
        return Result(successful=False, data={}, error=problem)
    try:
        page = await client.send(
            req["method"], req["path"], params=req["params"], json=req["json"],
            api_version=req["api_version"],
        )  # fmt: skip
    except SlotwiseError as exc:
        return _failure(exc)
    return Result(successful=True, data=page.data, error=None)
