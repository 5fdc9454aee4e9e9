"""HTTP endpoints of /v2/teams/{teamId}/event-types (every ``cal-api-version``, as Cal.com's
``TeamsEventTypesController``): team event types in Cal.com's ``TeamEventTypeOutput_2024_06_14``
shape. The rules are in :mod:`slotwise.event_types.team_service`; these functions only read the
request and shape the answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query

from slotwise.event_types import team_service
from slotwise.event_types.team_schemas import CreateTeamEventTypeInput, UpdateTeamEventTypeInput
from slotwise.kit.envelope import ok
from slotwise.kit.errors import NotImplementedFeature
from slotwise.kit.principal import CurrentPrincipal, MaybePrincipal
from slotwise.kit.schemas import IdParam, ParamText, Whole
from slotwise.kit.session import AppSettings, DbSession
from slotwise.policy.teams import team_event_type

router = APIRouter(tags=["Teams / Event Types"])

TeamId = Annotated[IdParam, Path(description="The team's id")]
EventTypeId = Annotated[IdParam, Path(description="The team event type's id")]
HostsLimit = Annotated[
    int, Whole(1, 1000, text=True), Query(description="With eventSlug: list at most N hosts")
]
PHONE_CALL_UNAVAILABLE = (
    "Phone calls are not available: Slotwise has no telephony provider (Cal.com's AI phone "
    "agent). See docs/compatibility.md."
)


@router.post("/v2/teams/{teamId}/event-types", status_code=201, summary="Create an event type")
async def create_team_event_type(
    body: CreateTeamEventTypeInput,
    principal: CurrentPrincipal,
    session: DbSession,
    settings: AppSettings,
    teamId: TeamId,
) -> dict[str, Any]:
    """Create a team event type (TEAM_ADMIN). A managed one answers ``[parent, *children]``."""
    created = await team_service.create_team_event_type(session, principal, teamId, body)
    return ok(await _answer(session, created, settings.base_url))


@router.get("/v2/teams/{teamId}/event-types", summary="Get team event types")
async def get_team_event_types(
    caller: MaybePrincipal,
    session: DbSession,
    settings: AppSettings,
    teamId: TeamId,
    eventSlug: ParamText | None = Query(None, description="Only the event type with this slug"),
    hostsLimit: HostsLimit | None = None,
    sortCreatedAt: Literal["asc", "desc"] | None = Query(None, description="Order by creation"),
) -> dict[str, Any]:
    """The team's event types; public (hidden ones only for the team's members)."""
    rows = await team_service.list_team_event_types(
        session, caller, teamId, event_slug=eventSlug, newest_first=sortCreatedAt == "desc"
    )
    return ok(
        await team_service.render(
            session,
            rows,
            settings.base_url,
            hosts_limit=hostsLimit if eventSlug is not None else None,
            hide_hidden_fields=True,
        )
    )


@router.get("/v2/teams/{teamId}/event-types/{eventTypeId}", summary="Get an event type")
async def get_team_event_type(
    principal: CurrentPrincipal,
    session: DbSession,
    settings: AppSettings,
    teamId: TeamId,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """One event type of the team (TEAM_ADMIN, as Cal.com's controller)."""
    event_type = await team_service.get_team_event_type(session, principal, teamId, eventTypeId)
    return ok((await team_service.render(session, [event_type], settings.base_url))[0])


@router.patch("/v2/teams/{teamId}/event-types/{eventTypeId}", summary="Update a team event type")
async def update_team_event_type(
    body: UpdateTeamEventTypeInput,
    principal: CurrentPrincipal,
    session: DbSession,
    settings: AppSettings,
    teamId: TeamId,
    eventTypeId: EventTypeId,
) -> dict[str, Any]:
    """Update the fields given (TEAM_ADMIN). A managed one answers ``[parent, *children]``."""
    updated = await team_service.update_team_event_type(
        session, principal, teamId, eventTypeId, body
    )
    return ok(await _answer(session, updated, settings.base_url))


@router.delete("/v2/teams/{teamId}/event-types/{eventTypeId}", summary="Delete a team event type")
async def delete_team_event_type(
    principal: CurrentPrincipal, session: DbSession, teamId: TeamId, eventTypeId: EventTypeId
) -> dict[str, Any]:
    """Delete a team event type (TEAM_ADMIN); answers ``{id, title}``."""
    event_type = await team_service.delete_team_event_type(session, principal, teamId, eventTypeId)
    return ok({"id": eventTypeId, "title": event_type.title})


@router.post(
    "/v2/teams/{teamId}/event-types/{eventTypeId}/create-phone-call",
    status_code=201,
    summary="Create a phone call",
)
async def create_phone_call(
    principal: CurrentPrincipal,
    session: DbSession,
    teamId: TeamId,
    eventTypeId: EventTypeId,
    body: Annotated[dict[str, Any] | None, Body()] = None,
) -> dict[str, Any]:
    """Not available (501 NotImplementedException after the TEAM_ADMIN check and the event
    type lookup): it needs a telephony provider. Listed in docs/compatibility.md."""
    await team_event_type(session, principal, teamId, eventTypeId, "TEAM_ADMIN")
    raise NotImplementedFeature(PHONE_CALL_UNAVAILABLE)


async def _answer(
    session: DbSession, result: team_service.TeamEventTypes, base_url: str
) -> dict[str, Any] | list[dict[str, Any]]:
    items = result.answer
    rows = items if isinstance(items, list) else [items]
    rendered = await team_service.render(session, rows, base_url)
    return rendered if isinstance(items, list) else rendered[0]
