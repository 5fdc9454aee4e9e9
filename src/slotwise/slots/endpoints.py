"""HTTP endpoints of /v2/slots.

- ``cal-api-version: 2024-09-04``: GET /v2/slots and the slot reservations
  (``SlotsController_2024_09_04``);
- without that version: the legacy GET /v2/slots (and /v2/slots/available) of the docs'
  AI-agents guide, answering ``{"slots": {date: [{"time"}]}}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from slotwise.kit import clock
from slotwise.kit.db import transaction
from slotwise.kit.envelope import ok
from slotwise.kit.errors import BadRequest
from slotwise.kit.metrics import timed_slots
from slotwise.kit.principal import MaybeUser
from slotwise.kit.schemas import IdParam, MeetingMinutesParam
from slotwise.kit.session import AppSettings, DbSession, get_database, get_settings
from slotwise.kit.timezones import is_valid_time_zone
from slotwise.kit.versioning import SLOTS, legacy_router, versioned_router
from slotwise.slots import reservations, service
from slotwise.slots.cache import SlotsCache
from slotwise.slots.output import legacy_output, slots_output
from slotwise.slots.schemas import ReserveSlotInput, legacy_window, slots_window

current = versioned_router(SLOTS, tags=["Slots"])
legacy = legacy_router(SLOTS, tags=["Slots"])

ReservationUid = Path(
    description="The reservation's uid", min_length=1, max_length=200, pattern=r"^[^\x00]+$"
)


def _printable(**values: str | list[str] | None) -> None:
    """400 for a text parameter holding a NUL character (no database stores one)."""
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if any(item is not None and "\x00" in item for item in items):
            raise BadRequest(f"{name} must not contain NUL characters")


def _time_zone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not is_valid_time_zone(value):
        raise BadRequest(f"timeZone must be a valid IANA time zone such as 'Europe/Rome': {value}")
    return value


def _format(value: str | None) -> str:
    fmt = (value or "time").lower()
    if fmt not in ("time", "range"):
        raise BadRequest("slotFormat must be either 'range' or 'time'")
    return fmt


def _names(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [n for v in values for n in v.split(",")]


async def _answer(
    request: Request,
    query: service.SlotQuery,
    now: datetime,
    render: Callable[[service.SlotList], Any],
    tag: str,
) -> Response:
    """The JSON answer ``ok(render(slots))`` for ``query`` at ``now``: remembered bytes when
    :mod:`slotwise.slots.cache` has them, else computed in a read transaction (opened only
    then) and remembered unless volatile. ``tag`` separates the handlers' answer shapes."""
    db = get_database(request)
    cache: SlotsCache = request.app.state.slots_cache
    key = (tag, query) if query.usernames is None else None  # a dynamic group: volatile
    version = db.data_version() if cache.entries and key is not None else None
    remembered = cache.lookup(key, version, now)
    if remembered is not None:
        return Response(remembered, media_type="application/json")
    async with transaction(db, write=False) as session:
        session.info["settings"] = get_settings(request)  # for reads that call providers
        with timed_slots():
            result = await service.available_slots(session, query, now=now)
    body = bytes(JSONResponse(ok(render(result))).body)
    if not result.volatile:
        cache.store(key, version, now, body)
    return Response(body, media_type="application/json")


@current.get("/v2/slots", summary="Get available time slots for an event type")
async def get_available_slots(
    request: Request,
    start: str = Query(description="UTC date (2050-09-05) or ISO 8601 datetime"),
    end: str = Query(description="UTC date (whole day included) or ISO 8601 datetime"),
    eventTypeId: IdParam | None = Query(None, description="The event type's id"),
    eventTypeSlug: str | None = Query(None, description="With username: the event type's slug"),
    username: str | None = Query(None, description="The owner of eventTypeSlug"),
    usernames: str | None = Query(None, description="Dynamic group event: alice,bob"),
    teamSlug: str | None = Query(None, description="With eventTypeSlug: the owning team"),
    organizationSlug: str | None = Query(None, description="No organizations in Slotwise: 404"),
    timeZone: str | None = Query(None, description="IANA zone of the answer; default UTC"),
    duration: MeetingMinutesParam | None = Query(None, description="One of lengthInMinutesOptions"),
    format: str | None = Query(None, description="time (default) or range"),
    slotFormat: str | None = Query(None, description="Alias of format"),
    bookingUidToReschedule: str | None = Query(None, description="Its time counts as free"),
) -> Response:
    """``{"YYYY-MM-DD": [{"start"[, "end"]}]}``: the bookable starts in ``[start, end]``, keyed
    and formatted in ``timeZone`` (UTC ``…Z`` without it). 400 for bad input, 404 for an unknown
    event type, user or team."""
    _printable(
        eventTypeSlug=eventTypeSlug,
        username=username,
        usernames=usernames,
        teamSlug=teamSlug,
        organizationSlug=organizationSlug,
        bookingUidToReschedule=bookingUidToReschedule,
    )
    tz = _time_zone(timeZone)
    fmt = _format(format or slotFormat)
    now = clock.now()
    lo, hi = slots_window(start, end, now=now)
    query = service.SlotQuery(
        start=lo,
        end=hi,
        event_type_id=eventTypeId,
        event_type_slug=eventTypeSlug,
        username=username,
        usernames=usernames.split(",") if usernames is not None else None,
        team_slug=teamSlug,
        organization_slug=organizationSlug,
        time_zone=tz,
        duration=duration,
        reschedule_uid=bookingUidToReschedule,
    )
    return await _answer(
        request, query, now, lambda result: slots_output(result, fmt=fmt, tz=tz), f"v2 {fmt}"
    )


@legacy.get("/v2/slots", include_in_schema=False)
@legacy.get("/v2/slots/available", include_in_schema=False)
async def get_available_slots_legacy(
    request: Request,
    startTime: str = Query(description="UTC date or ISO 8601 datetime"),
    endTime: str = Query(description="UTC date (whole day included) or ISO 8601 datetime"),
    eventTypeId: IdParam | None = Query(None),
    eventTypeSlug: str | None = Query(None),
    eventSlug: str | None = Query(None, description="Alias of eventTypeSlug"),
    username: str | None = Query(None),
    usernameList: list[str] | None = Query(None, description="Repeated or comma-separated"),
    timeZone: str | None = Query(None),
    duration: MeetingMinutesParam | None = Query(None),
    rescheduleUid: str | None = Query(None),
    orgSlug: str | None = Query(None),
) -> Response:
    """The pre-2024-09-04 answer ``{"slots": {"YYYY-MM-DD": [{"time": "…Z"}]}}`` (date keys
    in ``timeZone``, default UTC), as the docs' AI-agents guide shows it."""
    _printable(
        eventTypeSlug=eventTypeSlug,
        eventSlug=eventSlug,
        username=username,
        usernameList=usernameList,
        rescheduleUid=rescheduleUid,
        orgSlug=orgSlug,
    )
    tz = _time_zone(timeZone)
    now = clock.now()
    lo, hi = legacy_window(startTime, endTime, now=now)
    names = _names(usernameList) or []
    if username:
        names = [username, *names]
    names = [n.strip() for n in names if n.strip()]
    slug = eventTypeSlug or eventSlug
    base = service.SlotQuery(
        start=lo,
        end=hi,
        time_zone=tz,
        duration=duration,
        reschedule_uid=rescheduleUid,
        organization_slug=orgSlug,
    )
    if eventTypeId is not None:
        query = replace(base, event_type_id=eventTypeId, organization_slug=None)
    elif slug and len(names) == 1:
        query = replace(base, event_type_slug=slug, username=names[0])
    elif len(names) > 1:
        query = replace(base, usernames=names)
    else:
        raise BadRequest(
            "You need to either pass an eventTypeId OR an usernameList/eventTypeSlug combination"
        )
    return await _answer(request, query, now, lambda result: legacy_output(result, tz=tz), "legacy")


@current.post("/v2/slots/reservations", status_code=201, summary="Reserve a slot")
async def reserve_slot(
    body: ReserveSlotInput, caller: MaybeUser, session: DbSession, settings: AppSettings
) -> dict[str, Any]:
    """Hold a slot for 5 minutes (``reservationDuration``: the authenticated owner's choice);
    answers ``ReserveSlotOutput_2024_09_04``. 422 when booked or reserved already."""
    done = await reservations.reserve(
        session, body, caller, now=clock.now(), default_minutes=settings.reservation_minutes
    )
    return ok(reservations.reservation_output(done.reservation, done.duration))


@current.get("/v2/slots/reservations/{uid}", summary="Get reserved slot")
async def get_reserved_slot(session: DbSession, uid: str = ReservationUid) -> dict[str, Any]:
    """The reservation ``uid``; 404 when unknown."""
    reservation = await reservations.get_reservation(session, uid)
    return ok(reservations.reservation_output(reservation, None))


@current.patch("/v2/slots/reservations/{uid}", summary="Update a reserved slot")
async def update_reserved_slot(
    body: ReserveSlotInput,
    caller: MaybeUser,
    session: DbSession,
    settings: AppSettings,
    uid: str = ReservationUid,
) -> dict[str, Any]:
    """Move and renew the reservation ``uid`` (same body and checks as POST); 404 when
    unknown."""
    done = await reservations.update_reservation(
        session, uid, body, caller, now=clock.now(), default_minutes=settings.reservation_minutes
    )
    return ok(reservations.reservation_output(done.reservation, done.duration))


@current.delete("/v2/slots/reservations/{uid}", summary="Delete a reserved slot")
async def delete_reserved_slot(session: DbSession, uid: str = ReservationUid) -> dict[str, Any]:
    """Release the reservation ``uid``; answers ``{"status": "success"}`` as Cal.com. 404 when
    unknown."""
    await reservations.delete_reservation(session, uid)
    return {"status": "success"}


router = APIRouter()
router.include_router(current)
router.include_router(legacy)
