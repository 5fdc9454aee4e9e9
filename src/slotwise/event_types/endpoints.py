"""HTTP endpoints of /v2/event-types (``cal-api-version: 2024-06-14``): a user's own event
types, and the public listing by username. Bodies and outputs are Cal.com's
``*_2024_06_14`` shapes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query

from slotwise.event_types import service
from slotwise.event_types.output import dynamic_event_type_output, event_type_output
from slotwise.event_types.schemas import CreateEventTypeInput, UpdateEventTypeInput
from slotwise.kit.envelope import ok
from slotwise.kit.principal import CurrentUser, MaybeUser
from slotwise.kit.schemas import IdParam, ParamText
from slotwise.kit.session import AppSettings, DbSession
from slotwise.kit.versioning import EVENT_TYPES, versioned_router

router = versioned_router(EVENT_TYPES, tags=["Event Types"])

EventTypeId = Annotated[IdParam, Path(description="The event type's id")]


@router.post("/v2/event-types", status_code=201, summary="Create an event type")
async def create_event_type(
    body: CreateEventTypeInput, user: CurrentUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """Create an event type for the authenticated user."""
    event_type = await service.create_event_type(session, user, body)
    return ok(event_type_output(event_type, [user], settings.base_url))


@router.get("/v2/event-types", summary="Get all event types")
async def get_event_types(
    caller: MaybeUser,
    session: DbSession,
    settings: AppSettings,
    username: ParamText | None = Query(None, description="List this user's event types (public)"),
    eventSlug: ParamText | None = Query(None, description="With username: only this event type"),
    usernames: ParamText | None = Query(None, description="Dynamic group event: alice,bob"),
    orgSlug: ParamText | None = Query(None, description="Accepted; Slotwise has no organizations"),
    orgId: IdParam | None = Query(None, description="Accepted; Slotwise has no organizations"),
    sortCreatedAt: Literal["asc", "desc"] | None = Query(None, description="Order by creation"),
) -> dict[str, Any]:
    """Event types by ``username`` (hidden ones only for their owner), one by ``username`` +
    ``eventSlug``, the dynamic group event for ``usernames``, else the caller's own. Hidden
    booking fields are left out of every listed event type, as in Cal.com."""
    listing = await service.list_event_types(
        session,
        caller,
        username=username,
        event_slug=eventSlug,
        usernames=usernames,
        sort=sortCreatedAt,
    )
    if listing.dynamic_users is not None:
        return ok([dynamic_event_type_output(listing.dynamic_users, settings.base_url)])
    owner = listing.owner
    return ok(
        [
            event_type_output(et, [owner], settings.base_url, hide_hidden_fields=True)
            for et in listing.event_types
            if owner is not None
        ]
    )


@router.get("/v2/event-types/{eventTypeId}", summary="Get an event type")
async def get_event_type(
    user: CurrentUser, session: DbSession, settings: AppSettings, eventTypeId: EventTypeId
) -> dict[str, Any]:
    """One of the caller's event types; 404 for a missing or someone else's."""
    event_type = await service.get_event_type(session, user, eventTypeId)
    return ok(event_type_output(event_type, [user], settings.base_url))


@router.patch("/v2/event-types/{eventTypeId}", summary="Update an event type")
async def update_event_type(
    body: UpdateEventTypeInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """Update the fields given; ``null`` resets a setting to its default."""
    event_type = await service.update_event_type(session, user, eventTypeId, body)
    return ok(event_type_output(event_type, [user], settings.base_url))


@router.delete("/v2/event-types/{eventTypeId}", summary="Delete an event type")
async def delete_event_type(
    user: CurrentUser, session: DbSession, eventTypeId: EventTypeId
) -> dict[str, Any]:
    """Delete one of the caller's event types; answers ``{id, lengthInMinutes, title, slug}``."""
    event_type = await service.delete_event_type(session, user, eventTypeId)
    return ok(
        {
            "id": event_type.id,
            "lengthInMinutes": event_type.length,
            "title": event_type.title,
            "slug": event_type.slug,
        }
    )
