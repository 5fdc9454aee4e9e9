"""``cal-api-version`` header routing, as Cal.com API v2 does it.

Each path has a current version (bookings 2024-08-13, event types 2024-06-14, schedules
2024-06-11, slots 2024-09-04). A route built with :func:`versioned_router` matches only when the
request carries its version. A request without it is served by the path's *legacy* route where
one exists (:func:`legacy_router`), otherwise it gets 404 naming the version to send
(:func:`version_hint`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

HEADER = "cal-api-version"
BOOKINGS = "2024-08-13"
EVENT_TYPES = "2024-06-14"
SCHEDULES = "2024-06-11"
SLOTS = "2024-09-04"

_REGISTRY: list[tuple[APIRoute, frozenset[str]]] = []


def requested_version(scope: Scope) -> str | None:
    """The ``cal-api-version`` header of the request, or None."""
    for key, value in scope.get("headers", ()):
        if key == b"cal-api-version":
            return str(value.decode("latin-1").strip())
    return None


def _route_class(versions: frozenset[str], *, legacy: bool) -> type[APIRoute]:
    class VersionedRoute(APIRoute):
        api_versions = versions
        is_legacy = legacy

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if not legacy:
                _REGISTRY.append((self, versions))

        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            match, child = super().matches(scope)
            if match is Match.NONE or scope["type"] != "http":
                return match, child
            wanted = requested_version(scope) in versions
            if legacy:
                wanted = not wanted
            return (match, child) if wanted else (Match.NONE, {})

    return VersionedRoute


def versioned_router(*versions: str, **kwargs: Any) -> APIRouter:
    """A router whose routes answer only requests carrying one of ``versions``."""
    return APIRouter(route_class=_route_class(frozenset(versions), legacy=False), **kwargs)


def legacy_router(*current_versions: str, **kwargs: Any) -> APIRouter:
    """A router whose routes answer requests *without* any of ``current_versions``."""
    return APIRouter(route_class=_route_class(frozenset(current_versions), legacy=True), **kwargs)


def version_hint(scope: Scope) -> str | None:
    """For an unmatched request, the version a versioned route at that path would need."""
    for route, versions in _REGISTRY:
        match, _ = APIRoute.matches(route, scope)
        if match is not Match.NONE:
            return sorted(versions)[-1]
    return None
