"""HTTP endpoints of private links: /v2/event-types/{eventTypeId}/private-links CRUD (the rules
are in :mod:`.private_links`; who may manage them in :mod:`slotwise.policy.private_links`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from slotwise.event_types import private_links
from slotwise.event_types.private_links import (
    CreatePrivateLinkInput,
    UpdatePrivateLinkInput,
    link_output,
)
from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import IdParam, ParamText
from slotwise.kit.session import AppSettings, DbSession
from slotwise.policy.private_links import links_event_type

router = APIRouter(tags=["Event Types Private Links"])


@router.post(
    "/v2/event-types/{eventTypeId}/private-links",
    status_code=201,
    summary="Create a private link for an event type",
)
async def create_link(
    eventTypeId: IdParam,
    body: CreatePrivateLinkInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
) -> dict[str, Any]:
    """Create a link of the caller's event type (404 for another's); 400 for both kinds."""
    event_type = await links_event_type(session, user, eventTypeId)
    link = await private_links.create_link(session, event_type, body)
    return ok(link_output(link, event_type, settings.base_url))


@router.get(
    "/v2/event-types/{eventTypeId}/private-links",
    summary="Get all private links for an event type",
)
async def list_links(
    eventTypeId: IdParam,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
) -> dict[str, Any]:
    """The event type's links, oldest first (expired ones included, flagged ``isExpired``)."""
    event_type = await links_event_type(session, user, eventTypeId)
    links = await private_links.event_type_links(session, event_type)
    return ok([link_output(link, event_type, settings.base_url) for link in links])


@router.patch(
    "/v2/event-types/{eventTypeId}/private-links/{linkId}",
    summary="Update a private link for an event type",
)
async def update_link(
    eventTypeId: IdParam,
    linkId: ParamText,
    body: UpdatePrivateLinkInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
) -> dict[str, Any]:
    """Set a new expiry (the link becomes time-based) or use count (usage-based; uses so far
    are kept); 400 for neither or both, 404 for an unknown link or event type."""
    event_type = await links_event_type(session, user, eventTypeId)
    link = await private_links.update_link(session, event_type, linkId, body)
    return ok(link_output(link, event_type, settings.base_url))


@router.delete(
    "/v2/event-types/{eventTypeId}/private-links/{linkId}",
    summary="Delete a private link for an event type",
)
async def delete_link(
    eventTypeId: IdParam,
    linkId: ParamText,
    user: CurrentUser,
    session: DbSession,
) -> dict[str, Any]:
    """Delete the link: ``{linkId, message}``; 404 for an unknown link or event type."""
    event_type = await links_event_type(session, user, eventTypeId)
    await private_links.delete_link(session, event_type, linkId)
    return ok({"linkId": linkId, "message": "Private link deleted successfully"})
