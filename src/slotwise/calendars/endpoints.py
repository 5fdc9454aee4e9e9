"""Connected calendars: /v2/calendars (ICS feeds, Apple and generic CalDAV credentials, the
list, busy times, check, disconnect), /v2/selected-calendars and /v2/destination-calendars.

Shapes in :mod:`.schemas` and :mod:`.output`; rules in :mod:`.service`; docs/calendars.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from slotwise.calendars import oauth, service
from slotwise.calendars.base import ICS_FEED
from slotwise.calendars.output import busy_output, credential_output
from slotwise.calendars.schemas import (
    CalendarCredentialsInput,
    CreateIcsFeedInput,
    DeleteCalendarCredentialsInput,
    DestinationCalendarInput,
    SelectedCalendarInput,
    UpdateUnifiedEventInput,
)
from slotwise.kit.db import Database, transaction
from slotwise.kit.envelope import ok
from slotwise.kit.errors import BadRequest
from slotwise.kit.principal import CurrentUser
from slotwise.kit.schemas import IdParam, ParamText
from slotwise.kit.session import AppSettings, DbSession, get_database

router = APIRouter(tags=["Calendars"])

SUCCESS = {"status": "success"}


@router.post("/v2/calendars/ics-feed/save", status_code=201, summary="Save an ICS feed")
async def save_ics_feed(
    body: CreateIcsFeedInput, user: CurrentUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """Connect read-only ICS feeds (replacing the caller's earlier ones); 400 naming the
    problem when a feed is refused, unreachable, too large or not iCalendar."""
    credential = await service.save_ics_feed(session, user, body, settings)
    return ok(credential_output(credential))


@router.get("/v2/calendars/ics-feed/check", summary="Check an ICS feed")
async def check_ics_feed(
    user: CurrentUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """``{"status": "success"}`` when the caller's feeds can be read; 400 without feeds, 401
    with the problem otherwise."""
    await service.check(session, user, ICS_FEED, settings)
    return SUCCESS


@router.get("/v2/calendars/busy-times", summary="Get busy times")
async def get_busy_times(
    request: Request,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    credentialId: Annotated[
        int | None,
        Query(ge=1, le=2_147_483_647, description="Or calendarsToLoad[i][credentialId]"),
    ] = None,
    externalId: Annotated[
        ParamText | None, Query(description="Or calendarsToLoad[i][externalId]")
    ] = None,
    loggedInUsersTz: Annotated[ParamText | None, Query()] = None,
    timeZone: Annotated[ParamText | None, Query()] = None,
    dateFrom: Annotated[ParamText | None, Query()] = None,
    dateTo: Annotated[ParamText | None, Query()] = None,
) -> dict[str, Any]:
    """Busy times of calendars of the caller's connections between two dates (whole days in
    ``timeZone``): one named by ``credentialId`` + ``externalId``, or several in the form
    Cal.com's documentation uses, ``calendarsToLoad[0][credentialId]=…&calendarsToLoad[0]
    [externalId]=…``; none without both dates; 404 for another user's credential."""
    calendars = calendars_to_load(request.query_params.multi_items())
    if credentialId is not None and externalId is not None:
        calendars.insert(0, (credentialId, externalId))
    if not calendars:
        raise BadRequest(
            "credentialId and externalId are required (or calendarsToLoad[0][credentialId] and "
            "calendarsToLoad[0][externalId])"
        )
    spans = []
    for credential_id, external_id in calendars:
        spans += await service.busy_times(
            session,
            user,
            credential_id=credential_id,
            external_id=external_id,
            date_from=dateFrom,
            date_to=dateTo,
            time_zone=timeZone or loggedInUsersTz,
            settings=settings,
        )
    spans.sort(key=lambda span: (span.start, span.end))
    return ok([busy_output(s) for s in spans])


_CALENDARS_TO_LOAD = re.compile(r"^calendarsToLoad\[(\d{1,3})\]\[(credentialId|externalId)\]$")


def calendars_to_load(items: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """``(credentialId, externalId)`` pairs from ``calendarsToLoad[i][credentialId]`` /
    ``calendarsToLoad[i][externalId]`` query items, in index order; 400 when an entry lacks
    one of the two or its credentialId is not a positive integer."""
    entries: dict[int, dict[str, str]] = {}
    for key, value in items:
        match = _CALENDARS_TO_LOAD.match(key)
        if match:
            entries.setdefault(int(match.group(1)), {})[match.group(2)] = value
    pairs = []
    for index in sorted(entries):
        entry = entries[index]
        raw, external = entry.get("credentialId", ""), entry.get("externalId", "")
        if not raw.isdigit() or not 0 < int(raw) <= 2_147_483_647 or not external:
            raise BadRequest(
                f"calendarsToLoad[{index}] needs a numeric credentialId and an externalId"
            )
        pairs.append((int(raw), external))
    return pairs


@router.get("/v2/calendars", summary="Get all calendars")
async def get_calendars(
    user: CurrentUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """The caller's connections with their calendars, selected flags, errors and the
    destination calendar."""
    return ok(await service.connected_calendars(session, user, settings))


@router.get("/v2/calendars/{calendar}/connect", summary="Get OAuth connect URL")
async def connect_calendar(
    calendar: ParamText,
    request: Request,
    user: CurrentUser,
    settings: AppSettings,
    redir: Annotated[ParamText | None, Query()] = None,
    isDryRun: Annotated[bool | None, Query()] = None,
) -> dict[str, Any]:
    """``{authUrl}``: the provider's consent page (``google``, ``office365``); 400 naming the
    settings when the provider is not configured."""
    url = oauth.connect_url(settings, user, calendar, redir, str(request.base_url))
    return ok({"authUrl": url})


@router.get("/v2/calendars/{calendar}/save", summary="Save an OAuth calendar connection")
async def save_oauth_calendar(
    calendar: ParamText,
    request: Request,
    settings: AppSettings,
    db: Annotated[Database, Depends(get_database)],
    state: Annotated[ParamText, Query()],
    code: Annotated[ParamText | None, Query()] = None,
    error: Annotated[ParamText | None, Query()] = None,
) -> Any:
    """The OAuth callback (the redirect URI to register): stores the connection, then
    redirects (301) to the ``redir`` given to connect, else ``{"status": "success"}``; 400 for
    a bad or expired state, a refused grant or code (nothing stored)."""
    async with transaction(db, write=True) as session:
        redir = await oauth.save_oauth(
            session,
            settings,
            calendar,
            state=state,
            code=code,
            error=error,
            base_url=str(request.base_url),
        )
    if redir:
        return RedirectResponse(redir, status_code=301)
    return SUCCESS


@router.get("/v2/calendars/{calendar}/event/{eventUid}", summary="Get meeting details")
async def get_calendar_event(
    calendar: ParamText,
    eventUid: ParamText,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
) -> dict[str, Any]:
    """The event ``eventUid`` of the caller's primary Google calendar; 404 without one."""
    return ok(await service.google_event(session, user, calendar, eventUid, settings))


@router.patch("/v2/calendars/{calendar}/events/{eventUid}", summary="Update meeting details")
async def update_calendar_event(
    calendar: ParamText,
    eventUid: ParamText,
    body: UpdateUnifiedEventInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
) -> dict[str, Any]:
    """Change the fields given of the event ``eventUid`` in the caller's primary Google
    calendar (``attendees`` replaces the whole list); 404 without one."""
    patch = body.model_dump(exclude_unset=True, mode="json")
    return ok(await service.google_event(session, user, calendar, eventUid, settings, patch))


@router.post(
    "/v2/calendars/{calendar}/credentials",
    status_code=201,
    summary="Save Apple calendar credentials",
)
async def save_credentials(
    calendar: ParamText,
    body: CalendarCredentialsInput,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
) -> dict[str, Any]:
    """Connect an Apple (``apple``) or generic CalDAV (``caldav``, with ``url``: our
    extension) account; 400 naming the problem (wrong password…), nothing stored."""
    await service.save_credentials(session, user, calendar, body, settings)
    return SUCCESS


@router.get("/v2/calendars/{calendar}/check", summary="Check a calendar connection")
async def check_calendar(
    calendar: ParamText, user: CurrentUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """``{"status": "success"}`` when the caller's connection of this type works; 400
    without one or when it is invalid, 401 with the provider's problem."""
    await service.check(session, user, service.integration_of(calendar), settings)
    return SUCCESS


@router.post("/v2/calendars/{calendar}/disconnect", summary="Disconnect a calendar")
async def disconnect_calendar(
    calendar: ParamText,
    body: DeleteCalendarCredentialsInput,
    user: CurrentUser,
    session: DbSession,
) -> dict[str, Any]:
    """Delete the caller's connection ``id``; 404 for a missing or someone else's one."""
    service.integration_of(calendar)
    return ok(await service.disconnect(session, user, body.id))


def _selected(row: Any) -> dict[str, Any]:
    return {
        "userId": row.user_id,
        "integration": row.integration,
        "externalId": row.external_id,
        "credentialId": row.credential_id,
    }


@router.post(
    "/v2/selected-calendars",
    status_code=201,
    summary="Add a selected calendar",
    tags=["Selected Calendars"],
)
async def add_selected_calendar(
    body: SelectedCalendarInput, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    """Count a calendar of one of the caller's connections as busy."""
    return ok(_selected(await service.add_selected(session, user, body)))


@router.delete(
    "/v2/selected-calendars", summary="Delete a selected calendar", tags=["Selected Calendars"]
)
async def delete_selected_calendar(
    user: CurrentUser,
    session: DbSession,
    integration: Annotated[ParamText, Query()],
    externalId: Annotated[ParamText, Query()],
    credentialId: IdParam,
    delegationCredentialId: Annotated[ParamText | None, Query()] = None,
) -> dict[str, Any]:
    """Stop counting a selected calendar; 404 when it is not selected."""
    row = await service.remove_selected(session, user, integration, externalId, credentialId)
    return ok(_selected(row))


@router.put(
    "/v2/destination-calendars",
    summary="Update destination calendars",
    tags=["Destination Calendars"],
)
async def update_destination_calendar(
    body: DestinationCalendarInput, user: CurrentUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """Write the caller's bookings into this calendar; 404 when it is not one of their
    writable connected calendars."""
    row = await service.set_destination(session, user, body, settings)
    return ok(
        {
            "userId": row.user_id,
            "integration": row.integration,
            "externalId": row.external_id,
            "credentialId": row.credential_id,
        }
    )
